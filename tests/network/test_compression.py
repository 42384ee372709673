"""Compression from the app itself (issue 12): `make run` is as light on 2G as production."""

from __future__ import annotations

import gzip

import pytest

from tests.fixtures.browser import PWA

pytestmark = pytest.mark.usefixtures("pwa_build")
GZIP = {"Accept-Encoding": "gzip, deflate"}


@pytest.mark.parametrize("path", ["/", "/static/pwa/build/app.js", "/static/pwa/app.css",
                                  "/sw.js", "/static/pwa/build/i18n/nl.json"])
def test_app_shell_files_travel_gzip_compressed_from_their_build_time_copy(client, path):
    with client.get(path) as plain, client.get(path, headers=GZIP) as packed:
        _check_packed(plain, packed)


def _check_packed(plain, packed):  # type: ignore[no-untyped-def]
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) * 0.7


def test_the_bundle_is_sent_from_the_copy_made_at_build_time(client):
    packed = client.get("/static/pwa/build/app.js", headers=GZIP).get_data()
    assert packed == (PWA / "build" / "gz" / "build" / "app.js.gz").read_bytes()


def test_nothing_is_compressed_for_a_client_that_does_not_accept_gzip(client):
    identity = {"Accept-Encoding": "identity"}
    with client.get("/static/pwa/build/app.js", headers=identity) as response:
        assert "Content-Encoding" not in response.headers


def test_already_compressed_images_are_sent_as_they_are(client):
    with client.get("/static/pwa/icons/icon-192.png", headers=GZIP) as response:
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers


def test_json_answers_over_a_kilobyte_are_compressed(client):
    response = client.get("/api/v1/forms", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert b'"forms"' in gzip.decompress(response.get_data())


def test_a_revalidated_file_keeps_a_tag_of_its_own_per_encoding(client):
    with client.get("/static/pwa/app.css", headers=GZIP) as packed, \
            client.get("/static/pwa/app.css") as plain:
        assert packed.headers["ETag"] != plain.headers["ETag"]


@pytest.mark.parametrize("path", ["/", "/static/pwa/build/app.js", "/static/pwa/app.css",
                                  "/sw.js"])
def test_a_compressed_file_the_browser_holds_is_revalidated_with_304_not_sent_again(client, path):
    # The service worker revalidates what the page just loaded (cache: "no-cache"): on 2G a
    # second full copy of a file costs seconds.
    with client.get(path, headers=GZIP) as first:
        tag = first.headers["ETag"]
    with client.get(path, headers={**GZIP, "If-None-Match": tag}) as again:
        assert again.status_code == 304
        assert again.get_data() == b""
        assert again.headers["ETag"] == tag
    # The tag names the gzip copy: a client without gzip is sent the plain file.
    with client.get(path, headers={"Accept-Encoding": "identity", "If-None-Match": tag}) as plain:
        assert plain.status_code == 200
        assert "Content-Encoding" not in plain.headers


def test_a_chunk_named_by_its_content_hash_is_kept_for_a_year_without_asking_again(client):
    chunk = sorted((PWA / "build" / "chunks").glob("*.js"))[0]
    with client.get(f"/static/pwa/build/chunks/{chunk.name}", headers=GZIP) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Files whose name stays across builds are revalidated every time.
    with client.get("/static/pwa/build/app.js", headers=GZIP) as response:
        assert "immutable" not in response.headers.get("Cache-Control", "")

"""Paper serials belong to their team, are issued atomically, and rendering is bounded
(issue 9, findings 6 and 7)."""

from __future__ import annotations

import fcntl
import io
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from pypdf import PdfReader

from outreach.forms.serials import is_valid_paper_serial, make_paper_serial
from outreach.paper import service as paper
from outreach.paper.slots import slot_path
from outreach.teams.service import get_team

KIT_FORMS = len(paper.KIT)


def serials_in(pdf: bytes) -> set[str]:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return {word for word in text.split() if is_valid_paper_serial(word)}


def west_serial(world) -> str:
    worker3 = world.login("worker3")
    response = world.client.get("/paper/forms/visit.pdf", query_string={"team": "west"},
                                headers=worker3.headers)
    assert response.status_code == 200
    (serial,) = serials_in(response.get_data())
    return serial


def open_serials(world, slug: str) -> set[str]:
    with world.app.app_context():
        return {row.serial for row in paper.open_serials(get_team(slug))}


def test_another_teams_serial_is_refused_and_stays_that_teams(world):
    serial = west_serial(world)
    east = world.login("worker1")
    taken = east.seal("visit", meta={"area": "EAST-01", "source": "paper",
                                     "paper_serial": serial})
    (result,) = east.sync(push=[taken]).get_json()["results"]
    assert result["status"] == "rejected"
    assert result["problem"]["type"] == "/problems/paper-serial-other-team"
    assert serial in open_serials(world, "west")
    west = world.login("worker3")
    real = west.seal("visit", team="west", meta={"area": "WEST-01", "source": "paper",
                                                 "paper_serial": serial})
    assert west.sync(push=[real]).get_json()["results"] == [
        {"id": real["id"], "status": "accepted"}]
    assert serial not in open_serials(world, "west")


def test_a_serial_printed_elsewhere_can_be_entered_once_in_each_team(world):
    serial = make_paper_serial("VIS", 990001)  # typed in from a form this server never issued
    east, west = world.login("worker1"), world.login("worker3")
    first = east.seal("visit", meta={"area": "EAST-01", "paper_serial": serial})
    again = east.seal("visit", meta={"area": "EAST-07", "paper_serial": serial})
    other = west.seal("visit", team="west", meta={"area": "WEST-01", "paper_serial": serial})
    results = east.sync(push=[first, again]).get_json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected"]
    assert results[1]["problem"]["type"] == "/problems/paper-serial-used"
    assert west.sync(push=[other]).get_json()["results"][0]["status"] == "accepted"


def test_copies_are_bounded_per_request(world):
    worker = world.login("worker1")
    response = world.client.get("/paper/forms/kit.pdf", headers=worker.headers,
                                query_string={"team": "east", "copies": 51})
    assert response.status_code == 422
    assert response.get_json()["type"] == "/problems/validation"


def _download_kit(url: str, headers: dict[str, str]) -> tuple[int, bytes, int]:
    """Download like a client that honours 503 + Retry-After (PROTOCOL §3); counts refusals."""
    for refusals in range(60):
        response = requests.get(url, headers=headers, timeout=120,
                                params={"team": "east", "copies": 1})
        if response.status_code != 503:
            return response.status_code, response.content, refusals
        assert response.headers["Content-Type"].startswith("application/problem+json")
        # The client's back-off as the protocol asks, not a synchronisation point.
        time.sleep(float(response.headers["Retry-After"]))
    raise AssertionError("never served")


def test_twenty_parallel_kit_downloads_all_get_distinct_serials(live_world):
    world, server = live_world
    sessions = [world.login(name) for name in ("worker1", "worker2", "supervisor1")]
    url = server.url + "/paper/forms/kit.pdf"
    with ThreadPoolExecutor(20) as pool:
        downloads = list(pool.map(
            lambda i: _download_kit(url, sessions[i % 3].headers), range(20)))
    assert [status for status, _, _ in downloads] == [200] * 20
    serials = [serials_in(pdf) for _, pdf, _ in downloads]
    assert all(len(found) == KIT_FORMS for found in serials)
    everything = set().union(*serials)
    assert len(everything) == 20 * KIT_FORMS
    assert open_serials(world, "east") == everything


def test_a_busy_printer_answers_503_at_once_and_sync_goes_on(world, app):
    config = app.config["OUTREACH"]
    worker = world.login("worker1")
    slot_path(config.instance_dir, 0).parent.mkdir(parents=True, exist_ok=True)
    with slot_path(config.instance_dir, 0).open("a+b") as held:
        # Another worker process is drawing a kit: it holds the only slot.
        fcntl.flock(held, fcntl.LOCK_EX)
        response = world.client.get("/paper/forms/kit.pdf", headers=worker.headers,
                                    query_string={"team": "east"})
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "2"
        assert response.get_json()["type"] == "/problems/busy"
        envelope = worker.seal("note")
        assert worker.sync(push=[envelope]).get_json()["results"] == [
            {"id": envelope["id"], "status": "accepted"}]
        fcntl.flock(held, fcntl.LOCK_UN)
    assert open_serials(world, "east") == set()  # nothing was issued for the refused kit
    response = world.client.get("/paper/forms/kit.pdf", headers=worker.headers,
                                query_string={"team": "east"})
    assert response.status_code == 200

"""The browser's crypto (WebCrypto + @hpke/core, as the PWA ships it) and outreach.crypto in
Python read each other's envelopes, grants, wrapped keys and login keys."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach import crypto

pytestmark = pytest.mark.slow


def b64(data: bytes) -> str:
    return crypto.b64u_encode(data)


def test_envelope_sealed_in_python_opens_and_verifies_in_the_browser(crypto_page):
    page, world = crypto_page
    session = world.login("worker1")
    plaintext = {"name": "Ștefan Lakatos", "note": "Лакатош · لاكاتوش", "n": [1, 2, 3] * 40}
    case_id = crypto.new_uuid7()
    envelope = session.seal("note", plaintext=plaintext, case_id=case_id)
    legacy = crypto.seal_envelope(
        plaintext, id=crypto.new_uuid7(), record_id=crypto.new_uuid7(), type="note",
        case_id=case_id, team_id="east", schema="note@1",
        recipients=[("team:east:1", world.team_public["east"])], device_id=session.device_id,
        signing_key=session.device_key, created_at="2026-03-17T09:14:03Z", format=1)
    team_key = world.team_private["east"]
    result = page.evaluate("""async ([envs, pkcs8, devicePub]) => {
        const key = await oc.importEncryptionPrivateKey(oc.b64uDecode(pkcs8));
        const verifyKey = await oc.importVerifyKey(oc.b64uDecode(devicePub));
        const out = [];
        for (const env of envs) {
            const opened = await oc.openRecord(env, "team:east:1", key);
            out.push({...opened, format: oc.envelopeFormat(env),
                      verified: await oc.verifyEnvelope(env, verifyKey)});
        }
        return out;
    }""", [[envelope, legacy], b64(crypto.private_key_to_pkcs8(team_key)),
           crypto.public_key_to_b64u(session.device_key.public_key())])
    exact = crypto.open_record(envelope, "team:east:1", team_key).created_at
    assert result == [
        {"plaintext": plaintext, "caseId": case_id, "createdAt": exact, "format": 2,
         "verified": True},
        # Format 1, as stored before the upgrade: still read on the phone.
        {"plaintext": plaintext, "caseId": case_id, "createdAt": "2026-03-17T09:14:03Z",
         "format": 1, "verified": True}]


def test_envelope_sealed_in_the_browser_opens_in_python_and_syncs(crypto_page):
    page, world = crypto_page
    session = world.login("worker1")
    team_public = crypto.public_key_to_b64u(world.team_public["east"])
    recovery_public = crypto.public_key_to_b64u(world.recovery_key.public_key())
    plaintext = {"display_name": "Familia Ionescu", "location": "casa 12, Valea Seacă",
                 "text": "repeat " * 50}
    ids = {"id": crypto.new_uuid7(), "record_id": crypto.new_uuid7(),
           "case_id": crypto.new_uuid7(), "created_at": "2026-11-20T09:14:03Z"}
    sealed = page.evaluate("""async ([plaintext, ids, teamPub, recoveryPub]) => {
        const signing = await oc.generateSigningKey();
        const fields = {...ids, type: "household", team_id: "east", schema: "household@1",
                        meta: {area: "EAST-01", source: "app"}, device_id: ids.id};
        const recipients = [
            ["team:east:1", await oc.importEncryptionPublicKey(oc.b64uDecode(teamPub))],
            ["recovery:1", await oc.importEncryptionPublicKey(oc.b64uDecode(recoveryPub))]];
        const envelope = await oc.sealEnvelope(plaintext, fields, recipients, signing.privateKey);
        return {envelope,
                devicePub: oc.b64uEncode(await oc.exportPublicKey(signing.publicKey))};
    }""", [plaintext, ids, team_public, recovery_public])
    envelope = sealed["envelope"]
    assert envelope["payload"]["z"] == "gzip"
    # Envelope format 2: no clear case id, the month only; both inside the ciphertext.
    assert (envelope["v"], envelope["created_at"]) == (2, "2026-11-01T00:00:00Z")
    assert "case_id" not in envelope
    opened = crypto.open_record(envelope, "team:east:1", world.team_private["east"])
    assert (opened.case_id, opened.created_at) == (ids["case_id"], ids["created_at"])
    crypto.verify_envelope_signature(envelope, crypto.load_public_key(sealed["devicePub"]))
    assert crypto.open_envelope(envelope, "team:east:1", world.team_private["east"]) == plaintext
    assert crypto.open_envelope(envelope, "recovery:1", world.recovery_key) == plaintext
    # A browser-sealed envelope is accepted by the real server once its device is the signer.
    with pytest.raises(crypto.DecryptionError):
        crypto.open_envelope({**envelope, "record_id": crypto.new_uuid7()}, "team:east:1",
                             world.team_private["east"])
    assert session.sync(push=[envelope]).get_json()["results"][0]["problem"]["type"] == \
        "/problems/unknown-device"


def test_login_keys_wrapped_keys_and_grants_agree(crypto_page):
    page, world = crypto_page
    salt = b"0123456789abcdef"
    python_keys = crypto.derive_login_keys("ﬁeld worker passphrase", salt, 1000)
    member = crypto.generate_private_key()
    iv, wrapped = crypto.wrap_private_key(python_keys.wrap_key, member)
    grant = crypto.grant_team_key(world.team_private["east"], member.public_key())
    result = page.evaluate("""async ([salt, iv, wrapped, grant]) => {
        const keys = await oc.deriveLoginKeys("ﬁeld worker passphrase", oc.b64uDecode(salt), 1000);
        const memberPkcs8 = await oc.unwrapPrivateKey(keys.wrapKey, oc.b64uDecode(iv),
                                                      oc.b64uDecode(wrapped));
        const member = await oc.importEncryptionPrivateKey(memberPkcs8);
        const team = await oc.openGrant(oc.b64uDecode(grant), member);
        return {auth: oc.b64uEncode(keys.authKey), wrap: oc.b64uEncode(keys.wrapKey),
                member: oc.b64uEncode(memberPkcs8),
                team: oc.b64uEncode(await oc.exportPrivateKey(team))};
    }""", [b64(salt), b64(iv), b64(wrapped), b64(grant)])
    assert result["auth"] == b64(python_keys.auth_key)
    assert result["wrap"] == b64(python_keys.wrap_key)
    assert crypto.load_private_key_pkcs8(crypto.b64u_decode(result["member"])).private_numbers() \
        == member.private_numbers()
    team = crypto.load_private_key_pkcs8(crypto.b64u_decode(result["team"]))
    assert team.private_numbers() == world.team_private["east"].private_numbers()


def test_canonical_json_is_the_same_in_both(crypto_page):
    page, _ = crypto_page
    values = [{"b": [1, 2.5, 1e21, -0.0, 0.000001], "a": "é\u2028\u0007", "€": None},
              {"z": {"y": {"x": [True, False, "\"quoted\""]}}}]
    for value in values:
        browser = page.evaluate("(v) => oc.b64uEncode(oc.canonicalJson(v))", value)
        assert crypto.b64u_decode(browser) == crypto.canonical_json(value)


def test_opening_with_the_derived_key_pair_matches_python_and_never_mixes_keys(crypto_page):
    """hpkeOpen derives each private key's public half once and reuses it (crypto/hpke.js):
    every open still gives what Python sealed, and a key's cached pair never opens for
    another key."""
    page, _world = crypto_page
    members = [crypto.generate_private_key() for _ in range(2)]
    teams = [crypto.generate_private_key() for _ in range(3)]
    grants = [[b64(crypto.grant_team_key(team, member.public_key())) for team in teams]
              for member in members]
    result = page.evaluate("""async ([members, grants]) => {
        const keys = await Promise.all(members.map((m) => oc.importEncryptionPrivateKey(
            oc.b64uDecode(m))));
        const opened = [];
        for (const [i, key] of keys.entries()) {
            // Concurrent first opens share one derivation; later opens reuse it.
            const teams = await Promise.all(grants[i].map(
                (g) => oc.openGrant(oc.b64uDecode(g), key)));
            opened.push(await Promise.all(teams.map(async (t) => oc.b64uEncode(
                await oc.exportPrivateKey(t)))));
        }
        let crossed = 0;
        for (const g of grants[0]) {
            try {
                await oc.openGrant(oc.b64uDecode(g), keys[1]);
                crossed += 1;
            } catch { /* refused, as it must be */ }
        }
        return { opened, crossed };
    }""", [[b64(crypto.private_key_to_pkcs8(m)) for m in members], grants])
    assert result["crossed"] == 0
    for row in result["opened"]:
        assert [crypto.load_private_key_pkcs8(crypto.b64u_decode(t)).private_numbers()
                for t in row] == [t.private_numbers() for t in teams]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53 + 1, 2**53 - 1)
    | st.text(max_size=400) | st.just("repeat " * 60),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=6),
    max_leaves=40)


@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(drawn=st.lists(JSON_VALUES, min_size=8, max_size=12))
def test_payloads_inflate_in_the_browser_as_python_and_the_browser_compressed_them(
        crypto_page, drawn):
    """Opening inflates gzip payloads with fflate (crypto/envelope.js) where it used a
    DecompressionStream; the browser's CompressionStream still packs them. Whatever the content,
    every payload Python sealed and every one the browser sealed opens to what went in, many
    opened at once as the case book opens them."""
    page, world = crypto_page
    session = world.login("worker1")
    # One that surely compresses and one that surely does not, with whatever was drawn.
    plaintexts = [{"text": "repeat " * 60}, {"noise": b64(os.urandom(30))},
                  *({"value": value} for value in drawn)]
    envelopes = [session.seal("note", plaintext=p, case_id=crypto.new_uuid7()) for p in plaintexts]
    team_key = world.team_private["east"]
    result = page.evaluate("""async ([envs, plaintexts, pkcs8, pub]) => {
        const key = await oc.importEncryptionPrivateKey(oc.b64uDecode(pkcs8));
        const recipients = [
            ["team:east:1", await oc.importEncryptionPublicKey(oc.b64uDecode(pub))]];
        const signing = await oc.generateSigningKey();
        const sealed = await Promise.all(plaintexts.map((p, i) => oc.sealEnvelope(p, {
            id: envs[i].id, record_id: envs[i].record_id, case_id: envs[i].id, type: "note",
            team_id: "east", schema: "note@1", device_id: envs[i].id}, recipients,
            signing.privateKey)));
        const open = (e) => oc.openEnvelope(e, "team:east:1", key);
        return { python: await Promise.all(envs.map(open)),
                 browser: await Promise.all(sealed.map(open)),
                 zipped: sealed.slice(0, 2).map((e) => e.payload.z ?? null) };
    }""", [envelopes, plaintexts, b64(crypto.private_key_to_pkcs8(team_key)),
           crypto.public_key_to_b64u(world.team_public["east"])])
    assert [e["payload"].get("z") for e in envelopes[:2]] == ["gzip", None]
    assert result["zipped"] == ["gzip", None]
    assert result["python"] == plaintexts
    assert result["browser"] == plaintexts


HKDF_CASES = st.lists(st.tuples(
    st.one_of(st.just(b""), st.binary(min_size=32, max_size=32)),  # HPKE's salts
    st.binary(max_size=80), st.binary(max_size=80), st.integers(1, 96)), min_size=6, max_size=10)


@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cases=HKDF_CASES)
def test_the_key_schedule_hkdf_in_js_equals_webcrypto(crypto_page, cases):
    """HPKE's key schedule runs its HKDF in JS (@noble/hashes, crypto/hpke.js) instead of
    @hpke/core's WebCrypto one: every labeled extract, expand and extract-and-expand gives the
    same bytes as the WebCrypto path, on arbitrary inputs of the sizes HPKE uses."""
    page, _world = crypto_page
    result = page.evaluate("""async (cases) => {
        const hex = (b) => [...new Uint8Array(b)].map(
            (x) => x.toString(16).padStart(2, "0")).join("");
        const suiteId = new Uint8Array([72, 80, 75, 69, 0, 16, 0, 1, 0, 1]);
        const label = new TextEncoder().encode("key");
        const run = async (kdf) => {
            kdf.init(suiteId);
            const out = [];
            for (const [salt, ikm, info, len] of cases) {
                const [s, k, i] = [salt, ikm, info].map((b) => oc.b64uDecode(b));
                const prk = await kdf.labeledExtract(s, label, k);
                out.push(hex(prk), hex(await kdf.labeledExpand(prk, label, i, len)),
                         hex(await kdf.extractAndExpand(k.length ? k : s, i, k, len)));
            }
            return out;
        };
        return { js: await run(new oc.HkdfSha256Js()),
                 native: await run(new oc.HkdfSha256Native()) };
    }""", [[b64(salt), b64(ikm), b64(info), length] for salt, ikm, info, length in cases])
    assert len(result["js"]) == 3 * len(cases)
    assert result["js"] == result["native"]

"""Devices and revocation from the app: last contact, a reason, the phone refused at once."""

from __future__ import annotations

from tests.admin.helpers import add_supervisor
from tests.api.test_auth import problem


def test_a_supervisor_lists_their_teams_devices_with_last_contact(world):
    phone = world.login("worker1")
    world.login("worker3")
    supervisor = world.login("supervisor1")
    listed = world.client.get("/api/v1/devices", headers=supervisor.headers).get_json()
    by_id = {d["id"]: d for d in listed["devices"]}
    assert phone.device_id in by_id
    assert by_id[phone.device_id]["username"] == "worker1"
    assert by_id[phone.device_id]["last_seen_at"] is not None
    assert by_id[phone.device_id]["teams"] == ["east"]
    assert "worker3" not in {d["username"] for d in listed["devices"]}
    admin = world.login("admin1")
    everyone = world.client.get("/api/v1/devices", headers=admin.headers).get_json()
    assert "worker3" in {d["username"] for d in everyone["devices"]}


def test_a_revoked_phone_is_told_to_wipe_and_its_signatures_are_refused(world):
    lost = world.login("worker1")
    written_before = lost.seal()
    supervisor = world.login("supervisor1")
    answer = world.client.post(f"/api/v1/devices/{lost.device_id}/revoke",
                               headers=supervisor.headers, json={"reason": "stolen"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["device"]["revoked_reason"] == "stolen"
    assert answer.get_json()["rotate_teams"] == ["east"]
    # Its next contact: 401 device-revoked with Clear-Site-Data, and the PWA wipes.
    response = lost.sync()
    problem(response, 401, "/problems/device-revoked")
    assert response.headers["Clear-Site-Data"] == '"storage"'
    refreshed = world.client.post("/api/v1/auth/refresh",
                                  json={"refresh_token": lost.tokens["refresh_token"]})
    problem(refreshed, 401, "/problems/device-revoked")
    # Carried by another phone (a relay), what the lost phone signed is refused.
    carrier = world.login("worker2")
    result = carrier.sync(push=[written_before]).get_json()["results"][0]
    assert result["status"] == "rejected", result
    listed = world.client.get("/api/v1/devices", headers=supervisor.headers).get_json()
    assert next(d for d in listed["devices"] if d["id"] == lost.device_id)["revoked_at"]


def test_revocation_needs_a_known_reason_and_stays_in_scope(world):
    lost = world.login("worker1")
    supervisor = world.login("supervisor1")
    problem(world.client.post(f"/api/v1/devices/{lost.device_id}/revoke",
                              headers=supervisor.headers, json={"reason": "Anna lost it"}),
            422, "/problems/validation")
    problem(world.client.post(f"/api/v1/devices/{lost.device_id}/revoke",
                              headers=supervisor.headers, json={}), 422, "/problems/validation")
    problem(world.client.post("/api/v1/devices/00000000-0000-4000-8000-000000000000/revoke",
                              headers=supervisor.headers, json={"reason": "lost"}),
            404, "/problems/not-found")
    problem(world.client.post(f"/api/v1/devices/{supervisor.device_id}/revoke",
                              headers=supervisor.headers, json={"reason": "lost"}),
            403, "/problems/forbidden")
    admin = world.login("admin1")
    problem(world.client.post(f"/api/v1/devices/{admin.device_id}/revoke",
                              headers=supervisor.headers, json={"reason": "lost"}),
            403, "/problems/forbidden")
    west = add_supervisor(world)
    problem(world.client.post(f"/api/v1/devices/{lost.device_id}/revoke",
                              headers=west.headers, json={"reason": "lost"}),
            403, "/problems/forbidden")
    assert lost.sync().status_code == 200

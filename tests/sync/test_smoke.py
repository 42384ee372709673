def test_push_then_pull_round_trip(world):
    s = world.login("worker1")
    env = s.seal("visit", "east", {"x": 1}, meta={"area": "EAST-01", "date": "2026-11-20"})
    r = s.sync(push=[env])
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["results"] == [{"id": env["id"], "status": "accepted"}]
    other = world.login("worker2")
    pulled = other.pull_all()
    assert [p["id"] for p in pulled] == [env["id"]]

"""Area names are data in the household's language: an administrator gives an area its names
per locale through the API (as `flask area add --name-in` does), the phones get them with the
team, and a printout looks them up along the household's chain."""

from __future__ import annotations

from tests.api.test_auth import problem

NAMES = {"ro": "Valea Seacă", "ar": "الوادي الجاف", "rom": "Šuki vala"}


def test_an_area_is_added_with_its_names_per_locale_and_phones_get_them(world):
    admin = world.login("admin1")
    made = world.client.post("/api/v1/organisation/teams/east/areas", headers=admin.headers,
                             json={"code": "EAST-08", "name": "Dry Valley", "names": NAMES})
    assert made.status_code == 201, made.get_json()
    east = next(t for t in made.get_json()["teams"] if t["id"] == "east")
    assert next(a for a in east["areas"] if a["code"] == "EAST-08")["names"] == NAMES
    worker = world.login("worker1")
    teams = world.client.get("/api/v1/teams", headers=worker.headers).get_json()["teams"]
    area = next(a for t in teams for a in t["areas"] if a["code"] == "EAST-08")
    assert (area["name"], area["names"]) == ("Dry Valley", NAMES)


def test_names_need_a_language_tag_and_a_name(world):
    admin = world.login("admin1")
    for names in ({"Romanian": "Valea"}, {"ro": ""}, {"ro": "x" * 201}, ["ro"]):
        problem(world.client.post("/api/v1/organisation/teams/east/areas", headers=admin.headers,
                                  json={"code": "EAST-09", "name": "Hill", "names": names}),
                422, "/problems/validation")

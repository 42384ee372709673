"""GET /api/v1/teams: the caller's teams, their areas and the regional referral catalogue."""

from __future__ import annotations

import json

import pytest

from outreach.config import PACKAGE, Config, ConfigError
from outreach.extensions import db
from outreach.forms.registry import load_registry
from outreach.teams.catalogue import BrokenCatalogueError, load_catalogue
from tests.api.test_auth import problem
from tests.fixtures.world import DISPLAY_NAMES, build_world

DEFAULT = PACKAGE / "teams" / "catalogues" / "default.json"


def teams_of(world, username):
    response = world.client.get("/api/v1/teams", headers=world.login(username).headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["teams"]


def test_worker_sees_only_their_own_teams_areas_and_catalogue(world):
    from outreach.teams import service as teams

    with world.app.app_context():
        east = teams.get_team("east")
        region = teams.add_area(east, "EAST", "East region", level="region")
        teams.add_area(east, "EAST-09", "Riverside camp", urbanisation="rural",
                       deprived=True, segregated=True, parent=region)
        db.session.commit()
    (east,) = teams_of(world, "worker1")
    assert (east["id"], east["name"]) == ("east", "East")
    assert [a["code"] for a in east["areas"]] == ["EAST", "EAST-01", "EAST-07", "EAST-09"]
    assert east["areas"][3] == {"code": "EAST-09", "name": "Riverside camp",
                                "level": "settlement", "urbanisation": "rural",
                                "deprived": True, "segregated": True, "names": None,
                                "parent": "EAST"}
    assert east["areas"][1]["urbanisation"] is None
    assert east["areas"][1]["parent"] is None
    # Where a small area's records report (docs/threat-model.md): the phone applies it.
    assert east["area_min_households"] == 10
    assert east["services"] == list(load_catalogue(DEFAULT))
    assert east["members"] == [{"id": world.user_ids[name], "username": name,
                                "display_name": DISPLAY_NAMES[name]}
                               for name in ("supervisor1", "worker1", "worker2")]


def test_a_team_carries_what_a_printed_plan_needs_to_name_who_to_call(world):
    from outreach.teams import service as teams

    with world.app.app_context():
        org_name = teams.get_organisation().name
        teams.add_area(teams.get_team("east"), "EAST-10", "Dry valley",
                       names={"ro": "Valea Seacă", "hu": "Száraz-völgy"})
        db.session.commit()
    (east,) = teams_of(world, "worker1")
    assert east["phone"] == "+32 0 000 10 01"
    assert east["organisation"] == {"name": org_name, "contact_phone": "+32 0 000 10 00",
                                    "contact_email": "info@example.org"}
    assert {"id": world.user_ids["worker1"], "username": "worker1",
            "display_name": "Ana Lungu"} in east["members"]
    assert "worker3" not in {m["username"] for m in east["members"]}  # another team's
    assert east["areas"][-1]["names"] == {"ro": "Valea Seacă", "hu": "Száraz-völgy"}


def test_bundled_catalogue_names_every_service_in_every_shipped_language():
    from outreach.i18n import LOCALES

    for service in load_catalogue(DEFAULT):
        for locale in LOCALES:
            if locale == "en":
                continue
            words = service["translations"].get(locale, {})
            assert words.get("name"), (service["id"], locale)
            if service["hours"]:
                assert words.get("hours"), (service["id"], locale)


def test_another_teams_worker_sees_theirs_and_not_east(world):
    (west,) = teams_of(world, "worker3")
    assert west["id"] == "west"
    assert [a["code"] for a in west["areas"]] == ["WEST-01"]
    assert west["services"]


def test_admin_who_is_no_member_sees_no_teams(world):
    assert teams_of(world, "admin1") == []


def test_without_a_token_the_answer_is_401_problem(world):
    problem(world.client.get("/api/v1/teams"), 401, "/problems/unauthorized")


def test_bundled_catalogue_is_valid_and_fits_the_referral_form():
    services = load_catalogue(DEFAULT)
    assert len(services) >= 8
    fields = {f["id"]: f for f in load_registry().get("referral@1").document["fields"]}
    referral = [choice["value"] for choice in fields["service_type"]["choices"]]
    for service in services:
        assert set(service) == {"id", "name", "service_type", "phone", "address", "hours",
                                "opening_hours", "translations"}
        assert service["service_type"] in referral
    assert len({s["id"] for s in services}) == len(services)


def test_a_region_configures_its_own_catalogue(make_app, tmp_path):
    path = tmp_path / "region.json"
    path.write_text(json.dumps({"catalogue": "region", "services": [
        {"id": "food-bank", "name": "Food bank", "service_type": "other"}]}))
    world = build_world(make_app(referral_catalogue=path))
    (east,) = teams_of(world, "worker1")
    assert east["services"] == [{"id": "food-bank", "name": "Food bank", "service_type": "other",
                                 "phone": None, "address": None, "hours": None,
                                 "opening_hours": [], "translations": {}}]


def test_catalogue_is_read_from_the_environment(tmp_path):
    path = tmp_path / "region.json"
    path.write_text("{}")
    env = {"OUTREACH_REFERRAL_CATALOGUE": str(path), "OUTREACH_TESTING": "1"}
    assert Config.from_env(env).referral_catalogue == path.resolve()
    with pytest.raises(ConfigError, match="OUTREACH_REFERRAL_CATALOGUE"):
        Config.from_env({**env, "OUTREACH_REFERRAL_CATALOGUE": str(tmp_path / "missing.json")})


@pytest.mark.parametrize(("services", "fault"), [
    ([{"id": "x", "name": "X", "service_type": "astrology"}], "service_type"),
    ([{"id": "x", "name": "X", "service_type": "legal", "email": "x@example.org"}], "email"),
    ([{"id": "x", "name": "X", "service_type": "legal"}] * 2, "unique"),
    ([{"id": "X Y", "name": "X", "service_type": "legal"}], "id"),
    ([{"id": "x", "name": "X", "service_type": "legal",
       "opening_hours": [{"days": ["mon"], "opens": "9:00", "closes": "16:00"}]}], "opens"),
    ([{"id": "x", "name": "X", "service_type": "legal",
       "opening_hours": [{"days": ["monday"], "opens": "09:00", "closes": "16:00"}]}], "days"),
    ([{"id": "x", "name": "X", "service_type": "legal",
       "translations": {"ro": {"name": "X", "email": "x@example.org"}}}], "email"),
])
def test_a_broken_catalogue_is_refused_naming_the_fault(tmp_path, services, fault):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"catalogue": "broken", "services": services}))
    with pytest.raises(BrokenCatalogueError, match=fault):
        load_catalogue(path)

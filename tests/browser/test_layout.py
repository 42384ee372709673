"""Every screen fits the phone: on a mobile viewport (where the page widens with its content,
so `scrollWidth - innerWidth` says nothing) the document and every element stay within the
DEVICE's width, at 360 × 740 and 320 × 568, for every route of the worker's and the
supervisor's app (forms opened from a household, the conflict screen, the print view, paper
entry), in English at both sizes and in every other shipped language at the smaller one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.pwa import log_in, settled, unlock
from tests.fixtures.browser import watch_csp

pytestmark = pytest.mark.slow

LOCALES = ["en", "nl", "ro", "bg", "hu", "sk", "cs", "uk", "ar", "rom"]
LONG_NOTE = ("Called the landlord twice about the mould in the children's room; he says the "
             "roof will be fixed after the winter. " * 12
             + "https://example.org/a-very-long-address-without-any-place-to-break-it-0123456789")

# Elements wider than the screen, or outside it sideways. Inside a box that scrolls on its own
# (a wide table in `.scroll`) an element may be wider, as long as that box fits.
OFFENDERS = """(width) => {
  const fits = (r) => r.left >= -0.5 && r.right <= width + 0.5;
  const scroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return p;
    }
    return null;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || fits(r)) continue;
    const box = scroller(el);
    if (box && fits(box.getBoundingClientRect())) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className
         ? '.' + el.className.split(' ').join('.') : '');
    out.push(`${name} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
  }
  return { document: document.documentElement.scrollWidth, offenders: out.slice(0, 8) };
}"""


@pytest.fixture
def phone(chromium, pwa_build, live_world) -> Iterator[tuple[Any, Any, Any]]:
    """A real phone's viewport: mobile (the viewport meta applies, the page may widen), touch."""
    world, server = live_world
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                   has_touch=True, device_scale_factor=2)
    violations = watch_csp(context)
    page = context.new_page()
    page.goto(server.url + "/")
    yield page, world, server
    context.close()
    assert violations == [], "the app did something its Content-Security-Policy refuses"


def fits(page: Any, where: str) -> None:
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    width = page.viewport_size["width"]
    answer = page.evaluate(OFFENDERS, width)
    assert answer["offenders"] == [], f"{where}: wider than the {width} px screen"
    assert answer["document"] <= width, f"{where}: the page scrolls sideways"
    assert page.evaluate("visualViewport.width") == width, f"{where}: the page was zoomed out"


def a_full_household(world: Any) -> dict[str, str]:
    """What a team has after some weeks with a family, synced by another worker's phone, plus a
    conflict on a visit and a request for changes from the supervisor."""
    worker2, supervisor = world.login("worker2"), world.login("supervisor1")
    household = worker2.seal("household", plaintext={
        "display_name": "Familia Rostaș-Ștefănescu-Dumitrescu", "household_language": "ro",
        "location": "Behind the old sugar factory, the third caravan on the left"})
    case = household["record_id"]  # a household is its own case

    def seal(session: Any, type_: str, plaintext: dict[str, Any], **kw: Any) -> dict[str, Any]:
        return session.seal(type_, plaintext=plaintext, case_id=case, **kw)

    ana = seal(worker2, "person", {"name": "Ana-Maria Alexandrescu", "age_band": "25-49"})
    child = seal(worker2, "person", {"name": "Iosif", "age_band": "6-11", "birth_year": 2017})
    visit = seal(worker2, "visit", {"date": "2026-11-20", "area": "EAST-01",
                                    "contact_type": "home_visit", "present": [ana["record_id"]],
                                    "signals": ["unpaid_bills", "eviction_risk"],
                                    "next_contact": "2026-12-10"})
    both = seal(worker2, "visit",
                {"date": "2026-11-22", "area": "EAST-01", "contact_type": "street"})
    ours = seal(worker2, "visit", {"date": "2026-11-22", "area": "EAST-01", "contact_type": "phone",
                                   "signals": ["health_emergency"]},
                record_id=both["record_id"], parents=[both["id"]])
    theirs = seal(supervisor, "visit", {"date": "2026-11-23", "area": "EAST-07",
                                        "contact_type": "office", "present": [child["record_id"]]},
                  record_id=both["record_id"], parents=[both["id"]], meta={"area": "EAST-07"})
    records = [
        household, ana, child, visit, both, ours,
        seal(worker2, "note", {"text": LONG_NOTE, "date": "2026-11-20"}),
        seal(worker2, "referral", {"service": "health-centre", "service_type": "health",
                                   "status": "not_taken_up",
                                   "not_taken_up_reason": "waiting_list"}),
        seal(worker2, "consent", {"method": "on_screen", "status": "given", "date": "2026-11-20",
                                  "scope": ["data_processing", "sharing_with_referrals"]}),
        seal(worker2, "assessment", {"date": "2026-11-20", "scores": {"income": 2, "energy": 1},
                                     "barriers": {"income": ["administrative", "language"]},
                                     "empowerment": {"confidence": 2}, "comment": "We manage."}),
        seal(worker2, "plan", {"goals": ["A warm and dry home before the winter comes"],
                               "actions": [{"description": "Call the energy supplier about the "
                                            "instalment plan", "owner": "worker", "status": "open",
                                            "due": "2026-12-01"}],
                               "status": "agreed", "household_language": "ro",
                               "worker": "worker2", "next_visit": "2026-12-10"}),
    ]
    assert worker2.sync(push=records).status_code == 200
    review = seal(supervisor, "review", {"visit_id": visit["record_id"],
                                         "decision": "changes_requested",
                                         "comment": "Who else was present? Add the children."},
                  meta={})
    assert supervisor.sync(push=[theirs, review]).status_code == 200
    return {"case": case, "household": household["record_id"], "visit": visit["record_id"],
            "conflict": both["record_id"]}


def serials(world: Any) -> dict[str, str]:
    from outreach.extensions import db
    from outreach.paper import service as paper
    from outreach.teams import service as teams

    with world.app.app_context():
        team = teams.get_team("east")
        issued = {form: paper.issue_serials(team, f"{form}@1", "en", 1)[0]
                  for form in ("visit", "household")}
        db.session.commit()
    return issued


def routes(ids: dict[str, str], serial: dict[str, str]) -> list[tuple[str, str]]:
    case, base = ids["case"], f"/h/{ids['case']}"
    return [
        ("/", "#new-household"),
        ("/new", "#form-household"),
        (base, "#household-name"),
        (f"{base}/edit/{ids['household']}", "#form-household"),
        *[(f"{base}/add/{kind}", f"#form-{kind}")
          for kind in ("person", "visit", "note", "referral", "consent")],
        (f"{base}/edit/{ids['visit']}", "#form-visit"),
        (f"{base}/assessment", "#form-assessment"),
        (f"{base}/plan", "#form-plan"),
        (f"{base}/plan/print", "article.print-plan"),
        (f"{base}/resolve/{ids['conflict']}", "section.version"),
        (f"{base}/paper", "#paper-entry"),
        ("/paper", "#paper-entry"),
        (f"/paper/{serial['visit']}", "#paper-households"),
        (f"/paper/{serial['visit']}/h/{case}", "#form-visit"),
        (f"/paper/{serial['household']}", "#form-household"),
        ("/paper/missing", "#missing-serials, #missing-none, #missing-offline"),
        ("/review", "#review-queue, #review-empty"),
        (f"/review/{ids['visit']}", "#review-visit"),
        ("/report", "#report-period"),
        ("/figures", "#reach-table"),
        ("/sync", "#receipts"),
        ("/settings", "#interface-language"),
        ("/team/east", "#team-version"),
    ]


def walk(page: Any, pages: list[tuple[str, str]], where: str) -> None:
    for path, ready in pages:
        # The screen before is marked, so the wait below cannot be met by what is still shown.
        page.evaluate("""(path) => {
          document.querySelectorAll('#app > *').forEach((e) => e.setAttribute('data-old', ''));
          if (location.hash === `#${path}`) dispatchEvent(new HashChangeEvent('hashchange'));
          else location.hash = path;
        }""", path)
        page.wait_for_selector(f"#app:not(:has(> [data-old])) :is({ready})", state="attached")
        fits(page, f"{where} #{path}")


def in_language(page: Any, locale: str) -> None:
    page.evaluate("(locale) => localStorage.setItem('outreach.locale', locale)", locale)
    page.reload()
    page.wait_for_selector("#pin")
    fits(page, f"{locale} unlock")
    unlock(page)
    page.wait_for_selector("#app:not(:has(#pin)) h1")  # back where it was, after the PIN


def test_every_screen_fits_the_phone_in_english_at_360_and_320(phone):
    page, world, _server = phone
    ids, serial = a_full_household(world), serials(world)
    page.wait_for_selector("#username")
    fits(page, "login")
    log_in(page, "supervisor1")  # a supervisor reaches every screen a worker does, and more
    settled(page)
    pages = routes(ids, serial)
    walk(page, pages, "en 360")
    page.set_viewport_size({"width": 320, "height": 568})
    walk(page, pages, "en 320")


def test_every_screen_fits_a_small_phone_in_every_shipped_language(phone):
    page, world, _server = phone
    ids, serial = a_full_household(world), serials(world)
    page.set_viewport_size({"width": 320, "height": 568})
    log_in(page, "supervisor1")
    settled(page)
    pages = routes(ids, serial)
    for locale in LOCALES[1:]:
        in_language(page, locale)
        walk(page, pages, f"{locale} 320")

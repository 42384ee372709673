"""A team with hundreds of households (issue 18): the home list draws only the rows near the
viewport, and still behaves as a list of every household: scrolled far down it shows the rows
there, the search finds any household, a focused row stays, a quiet refresh keeps the place,
the screen reader hears each row's place in the whole list, and it fits the phone's width."""

from __future__ import annotations

import pytest

from tests.browser.pwa import home, log_in, settled
from tests.browser.test_screens import serious_violations

pytestmark = pytest.mark.slow
AREA = {"area": "EAST-01"}
COUNT = 260  # above ui/long-list.js LONG_LIST (200): drawn near the viewport only


def seal_many(world, count: int) -> None:  # type: ignore[no-untyped-def]
    """``count`` households; every seventh has members, so its row has a second line (rows of
    different heights, measured as they are drawn)."""
    east = world.login("worker2")
    batch = []
    for n in range(count):
        household = east.seal("household", "east", {"display_name": f"Familia {n:04}"}, meta=AREA)
        batch.append(household)
        if n % 7 == 3:
            batch += [east.seal("person", "east", {"name": f"Ana Maria Lungu-Stoica {n} {m}"},
                                case_id=household["record_id"], meta=AREA) for m in range(3)]
    for start in range(0, len(batch), 100):
        assert east.sync(push=batch[start:start + 100]).status_code == 200


# The drawn rows, top to bottom, neither overlapping nor leaving a hole between them.
ROWS_IN_PLACE = """() => {
  const rows = [...document.querySelectorAll('#households li')]
    .map((li) => li.getBoundingClientRect());
  return rows.length > 0 && rows.every((r, i) => i === 0 || (r.top >= rows[i - 1].bottom - 0.5
                                                   && r.top - rows[i - 1].bottom < 10));
}"""


def drawn_names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#households li .name").all_inner_texts()

# The rows on screen: their place in the list and their name.
ON_SCREEN = """() => [...document.querySelectorAll('#households li')]
  .filter((li) => li.getBoundingClientRect().bottom > 0
                  && li.getBoundingClientRect().top < innerHeight)
  .map((li) => [li.getAttribute('aria-posinset'), li.querySelector('.name').textContent])"""


def sync_in_background(page) -> None:  # type: ignore[no-untyped-def]
    before = page.evaluate("document.querySelector('#status').dataset.lastSync || ''")
    page.evaluate("dispatchEvent(new Event('online'))")
    page.wait_for_function("(b) => document.querySelector('#status').dataset.lastSync > b",
                           arg=before, timeout=30000)


def test_a_long_household_list_draws_near_the_viewport_and_acts_as_the_whole_list(app_page):
    page, _context, world, _server = app_page
    seal_many(world, COUNT)
    log_in(page, "worker1")
    settled(page)
    home(page)
    page.wait_for_function(f"document.querySelector('#households').dataset.count === '{COUNT}'",
                           timeout=30000)
    # The top of the list, in order, and far fewer rows than households in the DOM.
    names = drawn_names(page)
    assert names[:3] == ["Familia 0000", "Familia 0001", "Familia 0002"]
    assert 5 < len(names) < 80
    page.wait_for_function(ROWS_IN_PLACE)
    # Each drawn row tells its place in the whole list (what a screen reader announces).
    assert page.get_attribute("#households li:first-child", "aria-posinset") == "1"
    assert page.get_attribute("#households li:first-child", "aria-setsize") == str(COUNT)
    # Tab goes on from row to row past the first screenful: the next row is always drawn
    # by the time the focus reaches the last one drawn.
    page.focus("#households li:first-child a")
    for place in range(2, 40):
        page.keyboard.press("Tab")
        page.wait_for_function("""(place) => {
          const li = document.activeElement.closest('#households li');
          return li?.getAttribute('aria-posinset') === String(place)
            && document.querySelector(`#households li[aria-posinset="${place + 1}"]`) !== null;
        }""", arg=place)
    assert page.evaluate("document.activeElement.textContent").startswith("Familia 0038")
    page.evaluate("document.activeElement.blur()")  # a focused row would stay drawn (below)

    # Scrolled through a screenful at a time, the list shows every household once, in the
    # order a short list draws them, each row where its place says.
    page.evaluate("window.scrollTo(0, 0)")
    seen: dict[int, str] = {}
    while True:
        page.wait_for_function(f"""() => document.querySelector('#households').dataset.rest
          === String(Math.round(scrollY)) && ({ROWS_IN_PLACE})()""")
        seen.update({int(place): name for place, name in page.evaluate(ON_SCREEN)})
        if page.evaluate("scrollY + innerHeight >= document.documentElement.scrollHeight - 1"):
            break
        page.evaluate("window.scrollBy(0, innerHeight - 60)")
    assert seen == {n + 1: f"Familia {n:04}" for n in range(COUNT)}
    page.evaluate("window.scrollTo(0, 0)")

    # Scrolled to the end, the last households are drawn and the first are gone.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_selector(f"#households li:has-text('Familia {COUNT - 1:04}')")
    assert "Familia 0000" not in drawn_names(page)
    last = page.locator(f"#households li:has-text('Familia {COUNT - 1:04}')")
    assert last.get_attribute("aria-posinset") == str(COUNT)
    assert last.is_visible()
    page.wait_for_function(ROWS_IN_PLACE)
    # It fits the phone: nothing sticks out sideways; and axe-core finds nothing serious in
    # a list of placed rows.
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert serious_violations(page) == []

    # A focused row stays drawn (and focused) when the page scrolls far from it.
    page.focus(f"#households li:has-text('Familia {COUNT - 2:04}') a")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_selector("#households li:has-text('Familia 0000')")
    assert page.evaluate("document.activeElement.closest('li')?.textContent").startswith(
        f"Familia {COUNT - 2:04}")

    # The search finds a household near the end; a short result is an ordinary list.
    page.fill("#search", f"familia {COUNT - 3:04}")
    page.wait_for_function("document.querySelector('#households').dataset.count === '1'")
    assert drawn_names(page) == [f"Familia {COUNT - 3:04}"]
    assert page.get_attribute("#households li", "aria-setsize") is None
    page.fill("#search", "")
    page.wait_for_function(f"document.querySelector('#households').dataset.count === '{COUNT}'")
    assert drawn_names(page)[0] == "Familia 0000"

    # A quiet refresh (a background sync bringing a household) keeps the place in the list.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    # At rest there: rows measured as they were drawn, the page's position adjusted to them.
    page.wait_for_function("""() => window.scrollY > 1000
      && document.querySelector('#households').dataset.rest === String(Math.round(scrollY))""")
    scrolled = page.evaluate("window.scrollY")
    top_row = """() => [...document.querySelectorAll('#households li')]
      .find((li) => li.getBoundingClientRect().bottom > 0)?.querySelector('.name').textContent"""
    page.wait_for_function(f"() => ({top_row})() !== undefined")
    shown = page.evaluate(top_row)
    east = world.login("worker2")
    east.sync(push=[east.seal("household", "east", {"display_name": "Zsófia Nouă"}, meta=AREA)])
    sync_in_background(page)
    page.wait_for_function(
        f"document.querySelector('#households').dataset.count === '{COUNT + 1}'")
    assert page.evaluate("window.scrollY") == scrolled
    assert page.evaluate(top_row) == shown
    assert page.evaluate("document.activeElement.tagName") != "H1"  # nothing re-announced

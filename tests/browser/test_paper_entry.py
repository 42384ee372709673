"""Paper forms back into the app: a numbered form typed, photographed or scanned on the phone,
entered once (the phone refuses a serial it holds, the server one entered elsewhere), seen by the
supervisor and gone from the lost-forms list; a paper kit downloaded and opened offline."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pypdfium2
import pytest
import segno
import zxingcpp

from outreach.forms.serials import is_valid_paper_serial, make_paper_serial
from outreach.paper.pdf import qr_payload
from outreach.paper.service import PREFIXES
from tests.browser.pwa import (
    home,
    log_in,
    new_household,
    pulled,
    settled,
    submit,
    unlock,
    wait_until_synced,
)
from tests.browser.test_screens import check
from tests.fixtures.browser import serve_sources

pytestmark = pytest.mark.slow


def qr_codes(pdf: bytes) -> list[str]:
    found = []
    for page in pypdfium2.PdfDocument(pdf):
        found += [r.text for r in zxingcpp.read_barcodes(page.render(scale=2.5).to_pil())]
    return found


def issue(world, username: str, form: str, copies: int = 1, lang: str = "en") -> bytes:
    """Blank numbered forms from the live server, as a member of team east prints them."""
    session = world.login(username)
    response = world.client.get(f"/paper/forms/{form}.pdf?team=east&lang={lang}&copies={copies}",
                                headers=session.headers)
    assert response.status_code == 200
    return response.get_data()


def serials_of(pdf: bytes) -> list[str]:
    return [code.rsplit(":", 1)[1] for code in qr_codes(pdf)]


def open_serials(world) -> set[str]:
    supervisor = world.login("supervisor1")
    response = world.client.get("/api/v1/teams/east/paper-serials", headers=supervisor.headers)
    return {s["serial"] for s in response.get_json()["serials"]}


def type_serial(page, serial: str) -> None:
    page.wait_for_selector("#paper-entry")
    page.fill("#paper-serial", serial)
    page.click("#paper-continue")


def refusal(page, expected: str) -> str:
    page.wait_for_function(
        "(text) => document.querySelector('#paper-message')?.textContent.includes(text)",
        arg=expected)
    return page.inner_text("#paper-message")


def fill_visit(page) -> None:
    page.wait_for_selector("#form-visit")
    page.select_option("#f-area", "EAST-07")
    page.select_option("#f-contact_type", "home_visit")
    submit(page)
    page.wait_for_selector("#household-name")


def test_the_check_digit_and_the_qr_code_are_read_as_the_server_writes_them(app_page):
    page, context, _world, _server = app_page
    serve_sources(context)  # the server serves only the bundle; this test reads one module
    serials = [make_paper_serial(prefix, n) for prefix in [*PREFIXES.values(), "Z9", "AB12CD"]
               for n in (0, 1, 7, 123, 99999, 1234567)]
    # Every one-character slip and every swap of neighbours, judged by both sides.
    slips = {s[:i] + c + s[i + 1:] for s in serials[::5] for i in range(len(s)) for c in "07AZ-"}
    slips |= {s[:i] + s[i + 1] + s[i] + s[i + 2:] for s in serials[::5] for i in range(len(s) - 1)}
    answer = page.evaluate("""async ([serials, slips, payload]) => {
        const p = await import('/static/pwa/src/paper/serials.js');
        return {
          made: serials.map((s) => p.makeSerial(s.split('-')[0], Number(s.split('-')[1]))),
          valid: Object.fromEntries(slips.map((s) => [s, p.isValidSerial(s)])),
          forms: p.PAPER_FORMS,
          qr: p.readPaperCode(payload),
          typed: p.readPaperCode(' vis 000123 7 '),
        };
    }""", [serials, sorted(slips), qr_payload("assessment@1", "ro", serials[0])])
    assert answer["made"] == serials
    assert answer["valid"] == {s: is_valid_paper_serial(s) for s in slips}
    assert sum(answer["valid"].values()) < len(slips) / 10  # almost every slip is caught
    assert answer["forms"] == {prefix: form for form, prefix in PREFIXES.items()}
    assert answer["qr"] == {"serial": serials[0], "form": "assessment", "schema": "assessment@1",
                            "language": "ro"}
    assert answer["typed"]["serial"] == "VIS-000123-7"


def test_a_paper_visit_typed_offline_reaches_the_supervisor_and_leaves_the_lost_forms_list(
        app_page, chromium):
    page, context, world, server = app_page
    first, second = serials_of(issue(world, "worker1", "visit", copies=2))
    assert {first, second} <= open_serials(world)
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Familia Hârtie")

    context.set_offline(True)
    page.click("#add-paper")
    type_serial(page, first.lower().replace("-", " "))  # as a hurried thumb types it
    page.wait_for_selector(f"#paper-notice[data-serial='{first}']")
    fill_visit(page)

    # The same form again: refused at once, on the phone, offline.
    page.click("#add-paper")
    type_serial(page, first)
    assert first in refusal(page, "already entered")
    assert page.locator("#paper-entered-link").count() == 1
    # A slip of the pen: the check digit catches it before any form opens.
    body, check = first.rsplit("-", 1)
    type_serial(page, f"{body}-{(int(check) + 1) % 10}")
    refusal(page, "not right")
    assert page.locator("#form-visit").count() == 0

    context.set_offline(False)
    home(page)
    wait_until_synced(page)
    (visit,) = pulled(world, "visit")
    assert visit["meta"]["source"] == "paper"
    assert visit["meta"]["paper_serial"] == first
    assert visit["meta"]["area"] == "EAST-07"
    assert visit["schema"] == "visit@1"
    assert visit["plaintext"]["paper_serial"] == first
    remaining = open_serials(world)
    assert first not in remaining
    assert second in remaining

    supervisor_context = chromium.new_context(viewport={"width": 360, "height": 740})
    supervisor = supervisor_context.new_page()
    try:
        supervisor.goto(server.url + "/")
        log_in(supervisor, "supervisor1")
        settled(supervisor)
        supervisor.click("#review-link")
        supervisor.click("#paper-missing-link")
        supervisor.wait_for_selector("#missing-serials")
        listed = supervisor.locator("#missing-serials li").evaluate_all(
            "items => items.map((item) => item.dataset.serial)")
        assert second in listed
        assert first not in listed
        supervisor_context.set_offline(True)
        home(supervisor)
        supervisor.evaluate("location.hash = '#/paper/missing'")
        supervisor.wait_for_selector("#missing-offline")
        assert "signal" in supervisor.inner_text("#missing-offline")
    finally:
        supervisor_context.close()


def test_a_form_entered_on_two_phones_is_refused_by_the_server_with_its_reason(app_page):
    page, context, world, _server = app_page
    (serial,) = serials_of(issue(world, "worker1", "visit"))
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Familia Dublă")
    context.set_offline(True)
    page.click("#add-paper")
    type_serial(page, serial)
    fill_visit(page)

    # Meanwhile a colleague entered the same sheet on their phone, and it synced first.
    colleague = world.login("worker2")
    envelope = colleague.seal("visit", plaintext={"date": "2026-11-20", "paper_serial": serial},
                              meta={"area": "EAST-01", "source": "paper", "paper_serial": serial})
    (result,) = colleague.sync(push=[envelope]).get_json()["results"]
    assert result["status"] == "accepted"

    context.set_offline(False)
    home(page)
    page.evaluate("dispatchEvent(new Event('online'))")
    page.wait_for_function("document.querySelector('#outbox')?.classList.contains('warning')",
                           timeout=20000)
    page.click("#outbox")
    page.wait_for_selector("#receipts li[data-status=refused]")
    reason = page.locator("#receipts li[data-status=refused] .error")
    assert reason.get_attribute("data-problem") == "/problems/paper-serial-used"
    text = reason.inner_text()
    assert serial in text
    assert "another phone" in text
    assert "This paper form was already entered." in text  # the server's own words, too
    (kept,) = pulled(world, "visit")
    assert kept["id"] == envelope["id"]


def test_a_photo_of_an_assessment_sheet_opens_it_for_the_chosen_household(app_page, tmp_path):
    page, context, world, _server = app_page
    pdf = issue(world, "worker1", "assessment", lang="ro")
    (serial,) = serials_of(pdf)[:1]
    photo = tmp_path / "sheet.png"
    pypdfium2.PdfDocument(pdf)[0].render(scale=2).to_pil().save(photo)
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Familia Foto")
    home(page)
    context.set_offline(True)  # the QR reader comes from the service worker's precache
    page.click("#paper-link")
    page.wait_for_selector("#paper-photo")
    page.set_input_files("#paper-photo", str(photo))
    page.wait_for_selector("#paper-form[data-form=assessment]", timeout=20000)
    assert serial in page.inner_text("#paper-form")
    page.click("#paper-households a:has-text('Familia Foto')")
    page.wait_for_selector("#form-assessment")
    page.wait_for_selector(f"#paper-notice[data-serial='{serial}']")
    page.check("#domain-housing input[value='2']")
    submit(page)
    page.wait_for_selector("#household-name")
    context.set_offline(False)
    home(page)
    wait_until_synced(page)
    (assessment,) = pulled(world, "assessment")
    assert assessment["schema"] == "assessment@1"
    assert assessment["meta"]["source"] == "paper"
    assert assessment["meta"]["paper_serial"] == serial
    assert assessment["plaintext"]["scores"]["housing"] == 2


def fake_camera(page, png: bytes) -> None:
    """The phone's camera, filmed: a canvas stream showing the QR code, frame after frame."""
    page.evaluate("""async (url) => {
        const image = new Image();
        image.src = url;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = 640;
        canvas.height = 480;
        const draw = () => {
          const c = canvas.getContext('2d');
          c.fillStyle = '#777';
          c.fillRect(0, 0, 640, 480);
          c.drawImage(image, 180, 100, 280, 280);
        };
        draw();
        setInterval(draw, 100);
        const stream = canvas.captureStream(10);
        navigator.mediaDevices.getUserMedia = async () => stream;
    }""", "data:image/png;base64," + base64.b64encode(png).decode())


def test_the_camera_reads_a_household_sheet_in_its_language(app_page):
    page, _context, world, _server = app_page
    (serial,) = serials_of(issue(world, "worker1", "household", lang="bg"))
    buffer = io.BytesIO()
    segno.make(qr_payload("household@1", "bg", serial), error="m").save(
        buffer, kind="png", scale=8, border=4)
    log_in(page, "worker1")
    settled(page)
    home(page)
    page.click("#paper-link")
    fake_camera(page, buffer.getvalue())
    page.click("#scan-qr")
    page.wait_for_selector("#form-household", timeout=20000)
    page.wait_for_selector(f"#paper-notice[data-serial='{serial}']")
    assert page.input_value("#f-household_language") == "bg"  # the sheet's language
    page.fill("#f-display_name", "Семейство Хартия")
    submit(page)
    page.wait_for_selector("#household-name")
    home(page)
    wait_until_synced(page)
    (household,) = pulled(world, "household")
    assert household["meta"]["source"] == "paper"
    assert household["meta"]["paper_serial"] == serial
    assert household["plaintext"]["household_language"] == "bg"


def test_a_paper_kit_is_downloaded_once_and_opens_again_offline(app_page):
    page, context, world, _server = app_page
    before = open_serials(world)
    log_in(page, "worker1")
    settled(page)
    home(page)
    page.click("#paper-link")
    page.select_option("#kit-language", "ro")
    page.fill("#kit-copies", "1")
    page.click("#kit-download")
    page.wait_for_selector("#kit-file")
    with page.expect_download() as download:
        page.click("#kit-file")
    pdf = Path(download.value.path()).read_bytes()
    codes = qr_codes(pdf)
    assert sorted(code.split(":")[2] for code in codes) == [
        "assessment@1", "consent@1", "plan@1", "visit@1"]
    assert all(code.split(":")[3] == "ro" for code in codes)
    assert open_serials(world) - before == {code.rsplit(":", 1)[1] for code in codes}

    # No signal, the app closed and opened again: the kit is still on the phone.
    context.set_offline(True)
    page.reload()
    unlock(page)
    page.wait_for_selector("#kit-file")
    assert "Romanian" in page.inner_text("#kit-about")
    with page.expect_download() as again:
        page.click("#kit-file")
    assert Path(again.value.path()).read_bytes() == pdf
    page.click("#kit-download")
    page.wait_for_function("document.querySelector('#kit-status').textContent.includes('signal')")
    assert open_serials(world) - before == {code.rsplit(":", 1)[1] for code in codes}


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_paper_screens_are_accessible_and_fit_a_small_phone(app_page, chromium, locale):
    page, _context, world, server = app_page
    (serial,) = serials_of(issue(world, "worker1", "note"))
    page.evaluate(f"localStorage.setItem('outreach.locale', '{locale}')")
    page.reload()
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Familia Rostaș")
    page.click("#add-paper")
    page.wait_for_selector("#paper-entry")
    check(page, "paper", locale)
    type_serial(page, serial[:-1] + str((int(serial[-1]) + 1) % 10))
    page.wait_for_selector("#paper-message p")
    check(page, "paper-refused", locale)
    home(page)
    page.click("#paper-link")
    type_serial(page, serial)
    page.wait_for_selector("#paper-households")
    check(page, "paper-household", locale)

    context = chromium.new_context(viewport={"width": 360, "height": 740})
    supervisor = context.new_page()
    try:
        supervisor.goto(server.url + "/")
        supervisor.evaluate(f"localStorage.setItem('outreach.locale', '{locale}')")
        log_in(supervisor, "supervisor1")
        settled(supervisor)
        supervisor.evaluate("location.hash = '#/paper/missing'")
        supervisor.wait_for_selector("#missing-serials")
        check(supervisor, "paper-missing", locale)
    finally:
        context.close()


def test_a_paper_change_of_phase_and_a_paper_street_contact_are_typed_in_later(app_page):
    page, _context, world, _server = app_page
    (phase_serial,) = serials_of(issue(world, "worker1", "phase"))
    (contact_serial,) = serials_of(issue(world, "worker1", "contact"))
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Familia Tudor")

    # A change of phase, written on the sheet at the kitchen table: this household's phase.
    page.click("#add-paper")
    type_serial(page, phase_serial)
    page.wait_for_selector("#form-phase #f-phase")
    assert page.get_attribute("#paper-notice", "data-serial") == phase_serial
    page.select_option("#f-phase", "presence")
    submit(page)
    page.wait_for_selector("#current-phase[data-phase=presence]")

    # A street contact is written before there is a household: the number opens the contact
    # form itself, even from a household's screen.
    page.click("#add-paper")
    type_serial(page, contact_serial)
    page.wait_for_selector("#form-contact")
    assert page.get_attribute("#paper-notice", "data-serial") == contact_serial
    page.fill("#f-description", "Man with a cart of scrap metal")
    submit(page)
    page.wait_for_selector("#contact-description:has-text('scrap metal')")

    home(page)
    wait_until_synced(page)
    (phase,) = pulled(world, "phase")
    (contact,) = pulled(world, "contact")
    assert (phase["meta"]["source"], phase["meta"]["paper_serial"]) == ("paper", phase_serial)
    assert (contact["meta"]["source"], contact["meta"]["paper_serial"]) == ("paper",
                                                                              contact_serial)
    assert contact["plaintext"]["description"] == "Man with a cart of scrap metal"
    assert not {phase_serial, contact_serial} & open_serials(world)

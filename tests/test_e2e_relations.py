"""End-to-end: an editor records a network membership, a diaspora association and three press items in Chromium.

Through the Data page's import (the same pipeline as every table): the Overview, the Relations
page and the annual report (en and fa) show them; a visitor sees no person abroad anywhere.
Screenshots and the report's pages go to test-artifacts/.
"""

from __future__ import annotations

import re
import subprocess

from .conftest import TODAY
from .test_e2e import ARTIFACTS, _idle, _open, _sign_in, pytestmark, server  # noqa: F401

MEMBERSHIP = "Mayors for Caspian Tourism"
ASSOCIATION = "Sari Society of Toronto"
PERSON = "Parisa Hosseini"
PRESS = ("Sari opens its coast to Caspian mayors", "A Persian city courts Toronto's travellers",
         "Sari's festival draws Astrakhan guests")  # fmt: skip


def _import(pg, url: str, table: str, path) -> None:
    pg.goto(f"{url}/data")
    pg.wait_for_selector("h1:has-text('Data')", timeout=60_000)
    _idle(pg)
    pg.locator("[data-testid=stSelectbox]", has_text="Table").first.click()
    pg.get_by_role("option", name=table, exact=True).click()
    _idle(pg)
    pg.set_input_files("input[type=file]", str(path))
    pg.get_by_role("button", name="Commit this import").wait_for(timeout=60_000)
    _idle(pg)
    pg.get_by_role("button", name="Commit this import").click()
    pg.wait_for_selector("text=Committed as import #", timeout=60_000)
    assert pg.locator("[data-testid=stException]").count() == 0


def _files(tmp_path) -> dict[str, object]:
    year = TODAY.year
    due = TODAY.replace(day=min(TODAY.day, 28)).isoformat()
    organisations = tmp_path / "organisations.csv"
    organisations.write_text(
        "home_city,home_country,name,kind,country,city,stage,since,fee,currency,fee_due_on,goals\n"
        f"Sari,IR,{MEMBERSHIP},network,RU,Astrakhan,member,{year - 1}-05,800,EUR,{due},organisations;investment\n"
        f"Sari,IR,{ASSOCIATION},diaspora,CA,Toronto,member,{year}-02,,,,diaspora\n",
        encoding="utf-8",
    )
    coverage = tmp_path / "coverage.csv"
    rows = [f"Sari,IR,{year}-0{i + 4}-1{i},Outlet {i},RU,ru,{title},https://example.org/{i},{tone},,,{org},media"
            for i, (title, tone, org) in enumerate(zip(PRESS, ("positive", "neutral", "positive"),
                                                       (MEMBERSHIP, ASSOCIATION, ""), strict=True))]  # fmt: skip
    coverage.write_text("home_city,home_country,published_on,outlet,country,language,title,link,tone,partner_city,"
                        "partner_country,organisation,goals\n" + "\n".join(rows) + "\n", encoding="utf-8")  # fmt: skip
    people = tmp_path / "people_abroad.csv"
    people.write_text("home_city,home_country,name,country,city,association,consent,email\n"
                      f"Sari,IR,{PERSON},CA,Toronto,{ASSOCIATION},yes,parisa@example.org\n", encoding="utf-8")  # fmt: skip
    return {"Organisations": organisations, "Media coverage": coverage, "People abroad": people}


def _report(pg, url: str, tmp_path, lang: str, name: str) -> str:
    pg.goto(f"{url}/?lang={lang}")
    pg.wait_for_selector("h1", timeout=60_000)
    _idle(pg)
    pg.locator("[data-testid=stExpander] summary").filter(has_text="PDF").first.click()
    with pg.expect_download(timeout=120_000) as got:
        pg.locator(".st-key-report_download button").click()
    path = tmp_path / f"{name}-{lang}.pdf"
    got.value.save_as(path)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / f"relations-{name}-{lang}")],
                   check=True)  # fmt: skip
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub("[\u202a-\u202e\u2066-\u2069]", "", text.replace("\xad\n", ""))  # bidi marks of a Persian page
    return " ".join(text.split())  # table cells wrap: words as one line


def test_an_editor_records_the_units_relations_and_leaders_read_them_everywhere(server, browser, tmp_path):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    editor = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True).new_page()
    editor.server = server
    _sign_in(server, editor)
    for table, path in _files(tmp_path).items():
        _import(editor, server, table, path)

    _open(editor, "Overview", "Sister-city partnerships")
    editor.wait_for_selector("text=Networks and organisations the city belongs to", timeout=30_000)
    editor.wait_for_selector("text=Due with organisations within 90 days", timeout=30_000)
    main = editor.locator("[data-testid=stMain]")
    main.locator("h3:has-text('Due with organisations')").scroll_into_view_if_needed()
    editor.wait_for_selector("text=The unit's work this year, by goal", timeout=30_000)
    editor.screenshot(path=str(ARTIFACTS / "relations-overview-en-1280.png"), full_page=True)

    _open(editor, "Relations", "Relations beyond twinnings")
    editor.wait_for_selector("[data-testid=stDataFrame]", timeout=30_000)
    editor.wait_for_selector(".leaflet-interactive, iframe", state="attached", timeout=30_000)
    editor.screenshot(path=str(ARTIFACTS / "relations-page-en-1280.png"), full_page=True)
    editor.get_by_role("tab", name="Media coverage").click()
    _idle(editor)
    editor.screenshot(path=str(ARTIFACTS / "relations-media-en-1280.png"), full_page=True)
    editor.get_by_role("tab", name="The unit's goals").click()
    _idle(editor)
    editor.screenshot(path=str(ARTIFACTS / "relations-goals-en-1280.png"), full_page=True)

    phone = browser.new_context(viewport={"width": 390, "height": 900}, accept_downloads=True).new_page()
    _sign_in(server, phone)
    phone.goto(f"{server}/relations?lang=fa")
    phone.wait_for_selector("h1", timeout=60_000)
    _idle(phone)
    # Persian tables are laid out by the browser right to left: the first column a reader reads (the day
    # a thing is due) stands at the right edge of a phone, headed and in view, never clipped.
    first = phone.locator(".tm-table[dir=rtl] th").first
    first.wait_for(timeout=30_000)
    box, view = first.bounding_box(), phone.viewport_size
    assert first.inner_text() == "مهلت" and box["x"] >= view["width"] / 2 and box["x"] + box["width"] <= view["width"]
    phone.screenshot(path=str(ARTIFACTS / "relations-page-fa-390.png"), full_page=True)

    for lang in ("en", "fa"):
        text = _report(editor, server, tmp_path, lang, "internal")
        assert MEMBERSHIP in text and PRESS[0] in text and PRESS[2] in text, lang
        assert PERSON not in text  # people abroad are counted by country, never named in a report
        if lang == "en":
            assert "The unit's work by goal" in text and "The diaspora abroad" in text and ASSOCIATION in text

    visitor = browser.new_context(viewport={"width": 390, "height": 900}, accept_downloads=True).new_page()
    for path in ("", "/map", "/register", "/timeline", "/relations", "/?kiosk=1&seconds=600"):
        visitor.goto(f"{server}{path}")
        visitor.wait_for_selector("h1, [data-testid=stAlert]", timeout=60_000)  # a staff page refuses: an alert
        _idle(visitor)
        assert "Relations beyond twinnings" not in visitor.inner_text("body"), path
        assert PERSON not in visitor.inner_text("body") and "parisa@" not in visitor.content(), path
    public = _report(visitor, server, tmp_path, "en", "public")
    assert MEMBERSHIP in public and PRESS[1] in public and PERSON not in public
    assert "living abroad, by country" not in public

"""End-to-end: an editor changes a purpose, adds an event and deletes a contact in the grids, then undoes all three.

The real app in Debian's Chromium, as a person uses it: the grid is a canvas, so cells are
reached by a click and the arrow keys, and a cell is edited with Enter, typing and Enter.
The store must come back exactly: the Data pg's exports before and after are compared.
"""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .test_e2e import ARTIFACTS, _idle, _open, _said_anew, _sign_in, page, pytestmark, server  # noqa: F401

ROW, HEADER = 35, 18  # the grid's row height and half its header's, in pixels


def _exports(pg) -> dict[str, bytes]:
    _open(pg, "Data", "Data")
    pg.get_by_role("tab", name="Templates and exports").click()
    _idle(pg)
    return {
        table: _download(pg, f".st-key-data_export_{table} button") for table in ("partnerships", "events", "contacts")
    }


def _download(pg, button: str, tries: int = 3) -> bytes:
    """The file a button gives; pressed again when a rerun replaced the file it offered as it was pressed.

    A lazily made download belongs to the script run that drew its button: a press that lands while
    the page reruns (after an undo, or opening the page it is on) asks for a file the new run has
    replaced, and nothing downloads, as a person would see and press again.
    """
    for attempt in range(tries):
        try:
            with pg.expect_download(timeout=15_000) as download:
                pg.locator(button).click()
            return open(download.value.path(), "rb").read()
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            _idle(pg)
    raise AssertionError("unreachable")


def _grid(pg, table: str, partnership: str = "", search: str = "") -> None:
    _open(pg, "Edit records", "Edit records")
    chooser = pg.locator(".st-key-edit_table input")
    chooser.click()
    chooser.fill(table)
    pg.get_by_role("option", name=table, exact=True).click()
    _idle(pg)
    pg.locator(".st-key-edit_search input").fill(search)  # what an earlier grid searched for is cleared
    pg.locator(".st-key-edit_search input").press("Enter")
    _idle(pg)
    if partnership:
        chooser = pg.locator(".st-key-edit_partnerships input")
        chooser.click()
        chooser.fill(partnership)
        pg.wait_for_timeout(500)
        chooser.press("Enter")
        pg.keyboard.press("Escape")
    _idle(pg)
    pg.wait_for_timeout(1000)


def _click_row(pg, row: int, x: int = 60) -> None:
    """Select a cell of the grid's ``row``-th row (1: the first) in its id column (or at ``x``)."""
    box = pg.locator("[data-testid=stDataFrame]").first.bounding_box()
    pg.mouse.click(box["x"] + x, box["y"] + HEADER + ROW * row)
    pg.wait_for_timeout(300)


def _type_into(pg, moves: int, text: str) -> None:
    """Move right ``moves`` cells, edit the cell (a choice is typed and picked the same way), come back up."""
    for _ in range(moves):
        pg.keyboard.press("ArrowRight")
    pg.keyboard.press("Enter")
    pg.wait_for_timeout(300)
    pg.keyboard.press("Control+a")
    pg.keyboard.type(text)
    pg.wait_for_timeout(300)
    pg.keyboard.press("Enter")
    pg.wait_for_timeout(300)
    pg.keyboard.press("ArrowUp")


def _save(pg) -> int:
    text = _said_anew(pg, pg.locator(".st-key-edit_save button").click, "Saved as import #", timeout=30_000)
    return int(text.split("#")[1].split(";")[0])


def test_an_editor_edits_three_tables_in_grids_and_undoes_each_exactly(server, page):  # noqa: F811
    pg = page
    _sign_in(server, pg)
    before = _exports(pg)

    _grid(pg, "Partnerships", search="Montesilvano")
    _click_row(pg, 1)
    _type_into(pg, 9, "Coastal tourism, edited in the grid.")  # id, four city columns, kind, status, 2 dates
    purpose = _save(pg)

    _grid(pg, "Events", partnership="Sari – Montesilvano")
    pg.locator("[data-testid=stDataFrame]").first.hover()
    events = pg.locator("[data-testid=stDataFrame]").first.bounding_box()["height"] // ROW - 2
    pg.locator("[data-testid=stElementToolbarButton]").first.click()  # add a row
    _click_row(pg, events + 1)
    _type_into(pg, 5, "Festival")  # kind; the partnership columns come from the grid's partnership
    _type_into(pg, 1, "Grid festival of the sea")
    _type_into(pg, 1, "2027-06-01")
    _type_into(pg, 13, "Planned")  # status, after the participants, funding and budget columns
    event = _save(pg)

    _grid(pg, "Contacts", partnership="Sari – Montesilvano")
    pg.screenshot(path=str(ARTIFACTS / "edit-contacts-before.png"))
    _click_row(pg, 1, x=15)  # the row's marker selects the whole row
    pg.keyboard.press("Delete")
    pg.wait_for_timeout(500)
    contact = _save(pg)
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "edit-saved.png"), full_page=True)

    _open(pg, "Register", "Partnership register")
    pg.locator(".st-key-register_search input").fill("Montesilvano")
    pg.locator(".st-key-register_search input").press("Enter")
    _idle(pg)
    pg.wait_for_selector("text=Coastal tourism, edited in the grid.", timeout=30_000)
    pg.get_by_role("tab", name="History of changes").click()
    pg.wait_for_timeout(1000)
    pg.screenshot(path=str(ARTIFACTS / "edit-register-history.png"), full_page=True)

    changed = _exports(pg)
    assert b"Coastal tourism, edited in the grid." in changed["partnerships"]
    assert b"Grid festival of the sea" in changed["events"]
    assert len(changed["contacts"].splitlines()) == len(before["contacts"].splitlines()) - 1

    for batch, table in ((contact, "Contacts"), (event, "Events"), (purpose, "Partnerships")):
        pg.get_by_role("tab", name="Past imports").click()  # newest first; none chosen for the reader
        box = pg.locator("[class*=st-key-data_undo_batch]")
        assert box.locator("input").input_value() == ""
        box.click()
        pg.get_by_role("option", name=f"#{batch} · {table} · edit: {table.lower()} · admin").first.click()
        pg.wait_for_selector(f"text=Import #{batch} of edit: {table.lower()}", timeout=30_000)
        does = {
            "Contacts": "Undo brings back 1 row deleted from Contacts.",
            "Events": "Undo removes 1 row added to Events.",
            "Partnerships": "Undo restores the previous values of 1 row changed in Partnerships.",
        }
        pg.wait_for_selector(f"text={does[table]}", timeout=30_000)  # said before anyone confirms
        pg.locator("[class*=st-key-data_undo_sure] input").check(force=True)
        pg.locator(".st-key-data_undo button").click()
        pg.wait_for_selector(f"text=Import #{batch} undone.", timeout=30_000)
        _idle(pg)
    assert _exports(pg) == before

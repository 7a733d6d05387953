"""End-to-end: an editor attaches the signed agreement and three photos to Sari–Astrakhan in Chromium.

The register shows them, a visitor sees the public photos and never the staff-only agreement,
the kiosk shows a public photo full screen, the annual report (en and fa) prints it, and an
undo on the Data page takes the photos away again. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import subprocess

from .conftest import ROOT
from .test_e2e import ARTIFACTS, KIOSK_TYPE, _idle, _open, _said_anew, _sign_in, page, pytestmark, server  # noqa: F401
from .test_uploads import pdf, photo


def _files(tmp_path) -> tuple[str, list[str]]:
    agreement = tmp_path / "memorandum-sari-astrakhan.pdf"
    agreement.write_bytes(pdf())
    photos = []
    for i, colour in enumerate(((200, 60, 40), (40, 120, 200), (60, 160, 80)), 1):
        path = tmp_path / f"delegation-{i}.jpg"
        path.write_bytes(photo(size=(1600, 1200), colour=colour, gps=True))
        photos.append(str(path))
    return str(agreement), photos


def _register(pg, search: str = "astrakhan", url: str = "") -> None:
    if url:  # a phone's sidebar is folded away: open the page by its address
        pg.goto(f"{url}/register")
        pg.wait_for_selector("h1:has-text('Partnership register')", timeout=60_000)
    else:
        _open(pg, "Register", "Partnership register")
    pg.locator(".st-key-register_search input").fill(search)
    pg.locator(".st-key-register_search input").press("Enter")
    pg.wait_for_selector("h2:has-text('Sari – Astrakhan')", timeout=30_000)
    _idle(pg)


def _attach(pg, files: list[str], kind: str | None, public: bool, caption: str = "") -> None:
    pg.get_by_role("tab", name="Documents and photos").click()
    _idle(pg)
    pg.locator(".st-key-register_files_files input[type=file]").set_input_files(files)
    pg.wait_for_timeout(500)
    if kind:
        pg.locator(".st-key-register_files_kind").click()
        pg.get_by_role("option", name=kind, exact=True).click()
    if public:
        pg.locator(".st-key-register_files_public label").click()
    if caption:
        pg.locator(".st-key-register_files_caption input").fill(caption)
        pg.locator(".st-key-register_files_credit input").fill("Sari press office")
    _said_anew(pg, pg.get_by_role("button", name="Attach").click, "Stored as import #")


def _pdf_text(pg, tmp_path, lang: str) -> str:
    pg.goto(f"{pg.server}/?lang={lang}")
    pg.wait_for_selector("h1", timeout=60_000)
    pg.locator("[data-testid=stExpander] summary").filter(has_text="PDF").first.click()
    with pg.expect_download(timeout=90_000) as got:
        pg.locator(".st-key-report_download button").click()
    path = tmp_path / f"report-{lang}.pdf"
    got.value.save_as(path)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(ARTIFACTS / f"attach-report-{lang}")], check=True)
    pictures = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(pictures.splitlines()) >= 3, pictures  # the header, its rule and at least one photo
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_an_editor_attaches_an_agreement_and_photos_that_the_register_kiosk_and_report_show(server, browser, tmp_path):  # noqa: F811
    from twinmap.views import kiosk

    ARTIFACTS.mkdir(exist_ok=True)
    agreement, photos = _files(tmp_path)
    editor = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True).new_page()
    _sign_in(server, editor)
    _register(editor)
    _attach(editor, [agreement], "Signed agreement", public=False)
    _attach(editor, photos, None, public=True, caption="The delegation from Astrakhan in Sari")
    _register(editor)
    editor.wait_for_selector(".st-key-register_agreement button", timeout=30_000)
    editor.get_by_role("tab", name="Documents and photos").click()
    _idle(editor)
    # the card's row and the tab's gallery: pictures arrive after the page's text, each a file of its own
    editor.wait_for_function("document.querySelectorAll('[data-testid=stImage] img').length >= 4", timeout=30_000)
    editor.screenshot(path=str(ARTIFACTS / "attach-register-staff.png"), full_page=True)

    visitor = browser.new_context(viewport={"width": 390, "height": 900}, accept_downloads=True).new_page()
    visitor.server = server
    _register(visitor, url=server)
    visitor.get_by_role("tab", name="Documents and photos").click()
    _idle(visitor)
    visitor.wait_for_selector("text=The delegation from Astrakhan in Sari", timeout=30_000)
    visitor.screenshot(path=str(ARTIFACTS / "attach-register-visitor-390.png"), full_page=True)
    text = visitor.locator("[data-testid=stMain]").inner_text()
    assert "memorandum-sari-astrakhan" not in text and "Signed agreement" not in text
    assert visitor.locator(".st-key-register_agreement").count() == 0
    assert "The delegation from Astrakhan in Sari" in text

    kiosk_page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    order = kiosk.cycle(12, 3)
    start = next(i for i, (kind, _n) in enumerate(order) if kind == "photo")
    kiosk_page.goto(f"{server}/?kiosk=1&seconds=600&start={start}")
    kiosk_page.wait_for_selector(f".tm-progress[data-slot='{start}']", state="attached", timeout=60_000)
    kiosk_page.wait_for_selector("[data-testid=stImage] img", timeout=30_000)
    _idle(kiosk_page)
    kiosk_page.wait_for_timeout(800)
    kiosk_page.screenshot(path=str(ARTIFACTS / "attach-kiosk-photo.png"))
    found = kiosk_page.evaluate(KIOSK_TYPE)
    assert not found["outside"] and not found["scrolls"], found["outside"][:5]
    assert "Sari press office" in kiosk_page.inner_text("body")

    for lang in ("en", "fa"):
        text = _pdf_text(visitor, tmp_path, lang)
        assert "memorandum" not in text.lower()
        if lang == "en":
            assert "The year in photos" in text and "The delegation from Astrakhan in Sari" in text

    _open(editor, "Data", "Data")
    editor.get_by_role("tab", name="Past imports").click()
    _idle(editor)
    editor.locator("[class*=st-key-data_undo_batch_]").click()
    editor.get_by_role("option").filter(has_text="delegation-1.jpg").first.click()
    _idle(editor)
    editor.locator("[class*=st-key-data_undo_sure_] label").click()
    _idle(editor)
    editor.locator(".st-key-data_undo button").click()
    editor.wait_for_selector("text=undone.", timeout=30_000)
    _register(editor)
    editor.get_by_role("tab", name="Documents and photos").click()
    _idle(editor)
    editor.wait_for_selector("text=memorandum-sari-astrakhan", timeout=30_000)
    main = editor.locator("[data-testid=stMain]").inner_text()
    assert "The delegation from Astrakhan in Sari" not in main and "memorandum-sari-astrakhan" in main
    assert (ROOT / "test-artifacts" / "attach-kiosk-photo.png").exists()

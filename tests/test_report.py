"""The annual report: its reads of a year, and the PDF read back as a reader would (poppler's pdftotext).

The crafted store (tests/fixtures/crafted.py) gets a year of its own from tests/fixtures/report/:
tourist arrivals for 2025 and 2026, two held events with participants, a mission, and a partner
in negotiation with a private note.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from twinmap.ingest import batches, importer, seed
from twinmap.reads import impact, queries, report
from twinmap.views import report_pdf as printed
from twinmap.views.i18n import Translator

from .conftest import ROOT, TODAY

FIXTURES = Path(__file__).parent / "fixtures" / "report"
ARTIFACTS = ROOT / "test-artifacts"
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) is not installed")

EN, RU, FA = Translator("en"), Translator("ru"), Translator("fa", "jalali")
PRIVATE = ("Theta", "Secret talks", "Kappa", "Secret negotiation", "Internal note", "Leila Karimi", "leila@example.org",
           "Send a revival letter", "Mayor's visit", "Memorandum on student", "Candidate", "Negotiating", "Fading")  # fmt: skip


@pytest.fixture(scope="module")
def year_store(crafted_db, tmp_path_factory) -> Path:
    """The crafted store with a year to report on."""
    path = tmp_path_factory.mktemp("report") / "report.duckdb"
    shutil.copy(crafted_db, path)
    con = seed.connect(path)
    talks = (b"home_city,home_country,partner_city,partner_country,kind,status,purpose,notes\n"
             b"Beta,IR,Kappa,DE,sister_city,negotiating,Secret negotiation,Internal note on Kappa\n")  # fmt: skip
    year = (("indicators", "arrivals.csv"), ("events", "events_2026.csv"), ("missions", "missions_2026.csv"))
    files = [("partnerships", "talks.csv", talks)] + [(t, n, (FIXTURES / n).read_bytes()) for t, n in year]
    for table, name, data in files:
        plan = importer.plan_import(con, data, name, table)
        assert not plan.errors, plan.errors
        batches.commit(con, plan, "test")
    con.close()
    return path


@pytest.fixture
def con(year_store):
    con = seed.connect(year_store)
    yield con
    con.close()


STAFF = queries.PartnershipFilter(include_private=True)


def _pdf(con, tr: Translator, year: int, internal: bool, f: queries.PartnershipFilter = STAFF, homes=()) -> bytes:
    return printed.annual(report.gather(con, f, year, tr.cal, TODAY, internal), tr, list(homes), "Alpha Municipality")


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        out = ["-"] if tool == "pdftotext" else []
        return subprocess.run([tool, *args, file.name, *out], capture_output=True, check=True).stdout.decode()


# pdftotext reads right-to-left lines in visual order: the words of a Persian line come out
# last first, lam-alef (one glyph) as alef-lam, a zero-width non-joiner or a hamza where it falls.
_CONTROLS = re.compile("[\u0654\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _words(text: str) -> list[str]:
    return _CONTROLS.sub("", text).replace("لا", "ال").replace("(", " ").replace(")", " ").split()


def _lines(pdf: bytes) -> list[list[str]]:
    return [_words(line) for line in _poppler("pdftotext", pdf, "-raw").splitlines() if line.strip()]


def _has_line(lines: list[list[str]], *phrases: str) -> bool:
    """Some table row holds every word of every phrase (in any order: a Persian line reads back reversed).

    A row is up to eight lines: a cell's words wrap onto the next, and a right-to-left row reads
    back cell by cell, the last cell first.
    """
    wanted = {w for p in phrases for w in _words(p)}
    return any(wanted <= {w for line in lines[i : i + 8] for w in line} for i in range(len(lines)))


def _figure(lines: list[list[str]], label: str) -> str:
    """The value printed under a figure's label."""
    for i, line in enumerate(lines[:-1]):
        if sorted(line) == sorted(_words(label)):
            return " ".join(lines[i + 1])
    raise AssertionError(f"no figure {label!r}")


def test_the_year_reads_its_figures_events_exchanges_and_tourism(con):
    year = report.gather(con, STAFF, 2026, "gregorian", TODAY, internal=True)
    f = year.figures
    assert (f["signed_partners"], f["active"], f["dormant"], f["fading"]) == (5, 2, 1, 3)
    assert (f["events_held"], f["participants"], f["new_agreements"], f["agreements_ending"]) == (4, 84, 0, 0)
    assert list(year.exchanges["title"]) == ["Summer school in Gamma"]
    verdicts = dict(zip(year.tourism["partner_country"], year.tourism["verdict"], strict=True))
    assert verdicts == {"RU": "no_data", "KZ": "no_data"}  # the impact estimate: no months around 2014 and 2021
    russia = year.tourism.set_index("partner_country").loc["RU"]
    assert (russia["this_year"], russia["last_year"], round(russia["change_pct"])) == (1800, 1200, 50)
    assert russia["months"] == 12 and russia["reason"] == impact.FEW_BEFORE
    assert list(year.missions["title"]) == ["Mayor's visit to Gamma"]
    assert list(year.follow_ups["action"]) == ["Send a revival letter"]  # due 1 June 2026, still open
    assert list(year.expiring_next["partner_name"]) == ["Epsilon", "Gamma"]  # 15 Jan and 30 June 2027
    people = report.participants(year.events)
    assert (people["women"], people["men"], people["without_gender"]) == (34, 50, 2)
    assert dict(people["by_country"]) == {"IR": 55, "KZ": 25, "RU": 4}


def test_a_solar_hijri_year_runs_from_farvardin_to_esfand(con):
    year = report.gather(con, STAFF, 1405, "jalali", TODAY, internal=False)
    assert (str(year.first), str(year.last)) == ("2026-03-21", "2027-03-20")
    assert sorted(year.events["title"]) == ["Friendship cup", "Gamma days", "Summer school in Gamma"]  # not February's
    russia = year.tourism.set_index("partner_country").loc["RU"]
    # 9 of 1405's months recorded (April-December 2026): compared with the same 9 months of 1404, not all 12
    assert (russia["months"], russia["this_year"], russia["last_year"], round(russia["change_pct"])) == (
        9,
        1350,
        900,
        50,
    )


def test_a_year_with_no_month_recorded_in_both_years_compares_nothing(con):
    year = report.gather(con, STAFF, 2027, "gregorian", TODAY, internal=False)
    assert year.tourism.empty  # the report says no arrivals were recorded, never a fall of 100 %


@needs_poppler
def test_the_english_report_reads_back_the_figures_a_councillor_checks(con):
    pdf = _pdf(con, EN, 2026, internal=True)
    lines = _lines(pdf)
    assert _figure(lines, "Partners (agreements in force)") == "5"
    assert _figure(lines, "Events held") == "4"
    assert _figure(lines, "Participants") == "84"
    assert _figure(lines, "Fading") == "3"
    assert _has_line(lines, "Alpha – Gamma", "January 2026", "December 2026", "1,800", "1,200", "50.0", "not enough")
    assert _has_line(lines, "Beta – Zeta", "months before the signing recorded")
    assert _has_line(lines, "Mayor's visit to Gamma")
    assert _has_line(lines, "Send a revival letter", "Overdue by 175 days")
    assert _has_line(lines, "Alpha – Epsilon", "15 Jan 2027")
    assert _has_line(lines, "Women: 34; men: 50; events without a gender breakdown: 2.")
    info = _poppler("pdfinfo", pdf)
    assert re.search(r"Page size: +595.276 x 841.89 pts \(A4\)", info) and "Author:          Alpha Municipality" in info
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:  # nothing poppler calls an error (it once said
        file.write(pdf)  # "Syntax Error: Suspects object is wrong type" to whoever opened the report)
        file.flush()
        said = subprocess.run(["pdfinfo", file.name], capture_output=True, check=True).stderr.decode()
    assert "Error" not in said, said
    assert b"/MarkInfo<</Marked true" in pdf  # still a tagged PDF
    fonts = _poppler("pdffonts", pdf).splitlines()[2:]
    assert fonts and all(" yes yes " in f for f in fonts), fonts  # every font embedded (as a subset)
    assert len(_poppler("pdfimages", pdf, "-list").splitlines()) == 2  # a header only: map and charts are vectors


@needs_poppler
def test_the_persian_report_is_in_persian_digits_and_the_solar_hijri_calendar(con):
    pdf = _pdf(con, FA, 1405, internal=True)
    lines = _lines(pdf)
    assert _figure(lines, FA("Partners (agreements in force)")) == "۵"
    assert _figure(lines, FA("Events held")) == "۳"
    assert _figure(lines, FA("Participants")) == "۸۴"
    assert _has_line(lines, "گزارش سالانه ۱۴۰۵")
    assert _has_line(lines, "۱٬۳۵۰", "۹۰۰", "۵۰٫۰")  # April-December of 1405 against the same months of 1404
    assert _has_line(lines, "۲ آذر ۱۴۰۵")  # as of 23 November 2026
    assert not any(re.search("[0-9]", w) for line in lines for w in line if w not in ("twinmap", "PDF")), [
        line for line in lines if any(re.search("[0-9]", w) for w in line)
    ]


@needs_poppler
@pytest.mark.parametrize("tr", [EN, RU, FA], ids=lambda t: t.lang)
def test_the_public_report_holds_no_private_row(con, tr):
    text = " ".join(" ".join(line) for line in _lines(_pdf(con, tr, 2026 if tr.cal == "gregorian" else 1405, False)))
    for private in PRIVATE:
        assert (
            " ".join(_words(tr(private) if private in ("Candidate", "Negotiating", "Fading") else private)) not in text
        )
    internal = " ".join(" ".join(line) for line in _lines(_pdf(con, EN, 2026, True)))
    assert "Send a revival letter" in internal and "Candidate" in internal  # the test can fail: they are there


@needs_poppler
def test_a_home_citys_report_covers_only_its_partnerships(con):
    beta = queries.PartnershipFilter(home_city_ids=(int(next(iter(report.home_cities(con, ["Beta"])))),),
                                     include_private=True)  # fmt: skip
    lines = _lines(_pdf(con, EN, 2026, True, beta, ["Beta"]))
    text = " ".join(" ".join(line) for line in lines)
    assert "Gamma" not in text and "Send a revival letter" not in text and "Alpha" not in text
    assert _figure(lines, "Events held") == "2" and "Beta – Zeta" in text


@needs_poppler
@pytest.mark.parametrize("tr", [RU, FA], ids=lambda t: t.lang)
def test_every_page_draws(con, tr, tmp_path):
    pdf = _pdf(con, tr, 2026 if tr.cal == "gregorian" else 1405, True)
    (tmp_path / "r.pdf").write_bytes(pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"report-{tr.lang}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(tmp_path / "r.pdf"), str(ARTIFACTS / f"report-{tr.lang}")],
                   check=True)  # fmt: skip
    from PIL import Image

    pages = sorted(ARTIFACTS.glob(f"report-{tr.lang}-*.png"))
    assert len(pages) >= 2
    for page in pages:
        grey = Image.open(page).convert("L")
        dark = sum(grey.histogram()[:200]) / (grey.width * grey.height)
        assert dark > 0.002, f"{page.name} is blank"


def test_text_people_typed_is_printed_as_text_never_as_typesetting(year_store, tmp_path):
    shutil.copy(year_store, tmp_path / "typed.duckdb")
    con = seed.connect(tmp_path / "typed.duckdb")
    typed = b"home_city,home_country,partner_city,partner_country,kind,title,starts_on,status\n"
    typed += b'Alpha,IR,Gamma,RU,youth_exchange,"#panic(""boom"") *bold* $x$ <b>tag</b> \\\\ // c",2026-10-01,held\n'
    batches.commit(con, importer.plan_import(con, typed, "typed.csv", "events"), "test")
    pdf = _pdf(con, EN, 2026, True)
    if POPPLER:
        text = " ".join(_poppler("pdftotext", pdf, "-raw").split())
        assert '#panic("boom") *bold* $x$ <b>tag</b> \\\\ // c' in text


@needs_poppler
def test_the_command_line_writes_the_report_and_refuses_an_unknown_home_city(year_store, tmp_path):
    env = {"TWINMAP_DB": str(year_store), "TWINMAP_TODAY": TODAY.isoformat(), "PATH": "/usr/bin:/bin"}
    out = tmp_path / "out" / "report.pdf"
    cli = [sys.executable, "-m", "twinmap", "report"]
    done = subprocess.run([*cli, str(out), "--year", "1405", "--lang", "fa", "--internal", "--home-city", "alpha"],
                          cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = _lines(out.read_bytes())
    assert _figure(lines, FA("Partners (agreements in force)")) == "۳"  # Alpha's: Gamma, Delta, Epsilon
    bad = subprocess.run([*cli, str(tmp_path / "no.pdf"), "--year", "2026", "--home-city", "Nowhere"], cwd=ROOT,
                         env=env, capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip() == "error: Nowhere is not a home city (home cities: Alpha,IR, Beta,IR)"
    assert not (tmp_path / "no.pdf").exists()


@needs_poppler
@pytest.mark.parametrize("tr", [EN, FA], ids=lambda t: t.lang)
def test_the_year_in_photos_prints_public_photos_in_the_public_report_and_staff_ones_only_inside(year_store, tmp_path,
                                                                                                 tr):  # fmt: skip
    import datetime as dt

    from twinmap.ingest import attachments

    from .test_uploads import photo

    path = tmp_path / "photos.duckdb"
    shutil.copy(year_store, path)
    con = seed.connect(path)
    try:
        gamma = attachments.find(con, "partnerships", "Alpha,IR;Gamma,RU")
        day = dt.date(2026, 5, 10)
        attachments.attach(con, [("festival.jpg", photo(size=(1600, 1200)))], gamma, attachments.Details(
            dated_on=day, public=True, caption="Festival in Gamma", credit="Press office"), "staff")  # fmt: skip
        attachments.attach(con, [("inside.jpg", photo(colour=(5, 5, 5)))], gamma,
                           attachments.Details(dated_on=day, caption="Internal photo"), "staff")  # fmt: skip
        year = 2026 if tr.cal == "gregorian" else 1405
        public, internal = _pdf(con, tr, year, False), _pdf(con, tr, year, True)
    finally:
        con.close()
    text = " ".join(" ".join(line) for line in _lines(public))
    assert "Festival in Gamma" in text and "Press office" in text and "Internal photo" not in text
    assert "Internal photo" in " ".join(" ".join(line) for line in _lines(internal))
    images = _poppler("pdfimages", public, "-list").splitlines()[2:]
    assert [line.split()[3:5] for line in images] == [["360", "480"]] or len(images) == 1, images
    (tmp_path / "r.pdf").write_bytes(public)
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(tmp_path / "r.pdf"), str(ARTIFACTS / f"photos-{tr.lang}")],
                   check=True)  # fmt: skip


@needs_poppler
def test_the_report_reads_the_units_relations_public_memberships_and_press_inside_talks_and_the_diaspora(
    year_store, tmp_path
):
    path = tmp_path / "relations.duckdb"
    shutil.copy(year_store, path)
    con = seed.connect(path)
    files = {
        "organisations": b"home_city,home_country,name,kind,country,stage\n"
                         b"Alpha,IR,Caspian Mayors Network,network,AZ,member\n"
                         b"Alpha,IR,Quiet Investor Ltd,investor,AE,contact\n",
        "coverage": b"home_city,home_country,published_on,outlet,country,title,tone\n"
                    b"Alpha,IR,2026-04-02,Gamma Herald,RU,Alpha days in Gamma,positive\n"
                    b"Alpha,IR,2025-04-02,Old Paper,RU,Last year's story,neutral\n",
        "people_abroad": b"home_city,home_country,name,country\nAlpha,IR,Secret Person,DE\n",
    }  # fmt: skip
    try:
        for table, data in files.items():
            plan = importer.plan_import(con, data, f"{table}.csv", table)
            assert plan.ok, plan.errors
            batches.commit(con, plan, "test")
        public = " ".join(" ".join(line) for line in _lines(_pdf(con, EN, 2026, False)))
        internal = " ".join(" ".join(line) for line in _lines(_pdf(con, EN, 2026, True)))
    finally:
        con.close()
    assert "Caspian Mayors Network" in public and "Alpha days in Gamma" in public
    assert "Quiet Investor" not in public and "Last year's story" not in public and "Secret Person" not in public
    assert "living abroad, by country" not in public and "Germany" not in public.split("The diaspora abroad")[-1]
    assert "Quiet Investor" in internal and "living abroad, by country" in internal and "Secret Person" not in internal

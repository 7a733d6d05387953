import datetime as dt
import io

import openpyxl
import pytest

from twinmap.ingest import batches, exporter, importer
from twinmap.ingest.specs import LOAD_ORDER, TABLES

from .conftest import ROOT


def _import_formula_file(con):
    data = (ROOT / "tests/fixtures/import/events_formula.csv").read_bytes()
    batches.commit(con, importer.plan_import(con, data, "events_formula.csv", "events"), "tester")


def test_exported_csv_cells_never_start_a_formula(con):
    _import_formula_file(con)
    text = exporter.to_csv(exporter.table_frame(con, "events"), "events").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1+1" in text
    for line in text.splitlines()[1:]:
        assert not any(cell.startswith(("=", "+", "@")) for cell in line.split(","))


def test_the_workbook_stores_formula_like_text_as_text(con):
    _import_formula_file(con)
    book = openpyxl.load_workbook(io.BytesIO(exporter.workbook(con)))
    cells = [c for row in book["events"].iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert book.sheetnames == list(LOAD_ORDER)


@pytest.mark.both_backends
def test_an_export_imports_back_unchanged(con):
    for table in ("cities", "partnerships", "events", "contacts", "indicators"):
        data = exporter.to_csv(exporter.table_frame(con, table), table)
        plan = importer.plan_import(con, data, f"{table}.csv", table)
        assert plan.ok and not plan.new and not plan.changed, (table, plan.errors, plan.changed[:1])


def test_templates_have_every_column_and_a_valid_example(con):
    for table in ("cities", "partnerships", "events", "contacts", "indicators"):
        data = exporter.template(table)
        plan = importer.plan_import(con, data, f"{table}-template.csv", table)
        assert plan.ok, (table, plan.errors)


def test_a_shown_table_downloads_safely_as_csv_and_excel():
    import pandas as pd

    frame = pd.DataFrame({"Event": ['=HYPERLINK("http://x")', "Festival"], "Participants": [12, None]})
    text = exporter.frame_csv(frame).decode("utf-8-sig")
    assert text.splitlines() == ["Event,Participants", '"\'=HYPERLINK(""http://x"")",12.0', "Festival,"]
    book = openpyxl.load_workbook(io.BytesIO(exporter.frame_xlsx({"t": frame})))
    assert book["t"]["A2"].data_type == "s" and book["t"]["B2"].value == 12


def test_every_cell_that_is_not_a_number_is_defused_currency_and_time_zone_too(con):
    from twinmap.ingest import forms

    row = {**dict(TABLES["events"].examples[0]), "title": "Budgeted", "currency": "=1+1", "budget": "10"}
    batches.commit(con, importer.plan_import(con, forms.one_row("events", row), "f.csv", "events"), "tester")
    with con.cursor() as cur:
        cur.execute("UPDATE cities SET timezone = '=HYPERLINK(\"http://x\")' WHERE name = 'Sari'")
    for table in ("events", "cities"):
        text = exporter.to_csv(exporter.table_frame(con, table), table).decode("utf-8-sig")
        cells = [c for line in text.splitlines()[1:] for c in line.split(",")]
        assert not [c for c in cells if c.lstrip('"').startswith(("=", "+", "@"))], table
    again = importer.plan_import(con, exporter.to_csv(exporter.table_frame(con, "events"), "events"), "e.csv", "events")
    assert again.ok and not again.changed  # the apostrophe is taken off again on import


def test_the_workbook_is_written_in_linear_time():
    import time

    import pandas as pd

    def seconds(n: int) -> float:
        frame = pd.DataFrame({"a": ["=x"] * n, "b": range(n)})
        start = time.perf_counter()
        exporter.frame_xlsx({"t": frame})
        return time.perf_counter() - start

    small, large = seconds(5_000), seconds(40_000)
    assert large < 8 * small * 2.5  # 8 times the rows: nowhere near 64 times the time


def test_an_export_that_fails_halfway_leaves_the_directory_as_it_was(con, tmp_path, monkeypatch):
    import pytest

    target = tmp_path / "exports" / "out"
    exporter.export_dir(con, target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    real = exporter.table_frame

    def failing(con_, table):
        if table == "indicators":
            raise OSError("disk read error")
        return real(con_, table)

    monkeypatch.setattr(exporter, "table_frame", failing)
    with pytest.raises(OSError):
        exporter.export_dir(con, target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert [p.name for p in target.parent.iterdir()] == ["out"]  # no staging folder left behind


@pytest.mark.parametrize("lang", ["en", "ru", "fa"])
def test_a_template_in_each_language_imports_back_as_it_comes(con, lang):
    from twinmap.ingest.specs import LOAD_ORDER

    for table in LOAD_ORDER:
        plan = importer.plan_import(con, exporter.template(table, lang), f"{table}-{lang}.csv", table)
        assert plan.ok, (table, lang, plan.errors)


def test_a_persian_template_filled_with_the_labels_the_app_shows_imports_with_english_city_names(con):
    from twinmap.reads import queries
    from twinmap.views.i18n import Translator

    head = exporter.template("partnerships", "fa").decode("utf-8-sig").splitlines()[0]
    cells = {h: "" for h in head.split(",")}
    cells |= {"شهر مبدا": "ساری", "کشور مبدا": "ایران", "شهر خواهرخوانده": "ریگا", "کشور همکار": "لتونی",
              "نوع": "خواهرخواندگی", "وضعیت": "امضا شده", "تاریخ امضا": "۱۴۰۲/۰۵", "زمینه ها": "فرهنگ؛ گردشگری"}  # fmt: skip
    data = (head + "\n" + ",".join(cells[h] for h in head.split(",")) + "\n").encode("utf-8")
    plan = importer.plan_import(con, data, "فرم.csv", "partnerships")
    assert plan.ok, plan.errors
    batches.commit(con, plan, "leila")
    row = queries.partnerships(con, queries.PartnershipFilter(), dt.date(2026, 11, 23)).query("partner_name == 'Riga'")
    assert len(row) == 1 and row.iloc[0]["home_name"] == "Sari"  # the English register reads Sari – Riga
    assert list(row.iloc[0]["areas"]) == ["culture", "tourism"] and row.iloc[0]["signed_precision"] == "jmonth"
    assert Translator("en").city("Riga", "ریگا") == "Riga"


def test_the_template_workbook_says_what_goes_in_each_column_in_the_readers_language():
    book = openpyxl.load_workbook(io.BytesIO(exporter.template_xlsx("events", "ru")))
    assert book.sheetnames == ["events", "Что писать в каждом столбце"]
    guide = {row[0].value: row[2].value for row in book["Что писать в каждом столбце"].iter_rows(min_row=2)}
    assert guide["начало"].startswith("дата:") and "Фестиваль" in guide["вид"]


def test_an_export_for_a_user_limited_to_home_cities_holds_their_partnerships_and_whole_shared_tables(crafted):
    (beta,) = crafted.execute("SELECT id FROM cities WHERE name = 'Beta'").fetchone()
    partnerships = exporter.table_frame(crafted, "partnerships", homes=(beta,))
    assert set(partnerships["home_city"]) == {"Beta"} and len(partnerships) == 3
    assert exporter.table_frame(crafted, "contacts", homes=(beta,)).empty  # Alpha's contacts are Alpha's
    assert len(exporter.table_frame(crafted, "cities", homes=(beta,))) == len(exporter.table_frame(crafted, "cities"))
    assert "Leila Karimi" in exporter.table_frame(crafted, "contacts")["name"].tolist()

"""The grant report: counts by country and gender, hand-checked on crafted events."""

import io

import openpyxl

from twinmap.ingest import batches, importer
from twinmap.reads import grant as reads_grant
from twinmap.reads import queries
from twinmap.views import grant_sheets as grant

HEAD = ("home_city,home_country,partner_city,partner_country,kind,title,starts_on,status,participants,"
        "participants_female,participants_male,participants_by_country,funding_source,budget,currency\n")  # fmt: skip


def test_a_years_report_adds_up_what_was_recorded_and_says_what_was_not(con):
    text = HEAD + (
        "Sari,IR,Aktau,KZ,festival,G1,2030-05-01,held,30,10,20,IR:20;KZ:10,grant,1000,EUR\n"
        "Sari,IR,Aktau,KZ,festival,G2,2030-06-01,held,12,,,KZ:12,city_budget,500,EUR\n"
        "Sari,IR,Aktau,KZ,festival,G3,2030-07-01,held,,,,,,,\n"
        "Sari,IR,Aktau,KZ,festival,G4,2030-08-01,planned,99,,,,,,\n"
    )
    batches.commit(con, importer.plan_import(con, text.encode(), "g.csv", "events"), "tester")
    frame = reads_grant.held_events(con, queries.PartnershipFilter(), 2030)
    assert list(frame["title"]) == ["G1", "G2", "G3"]  # the planned one is not reported
    sheets = grant.report(frame, 2030)
    summary = dict(sheets["Summary"].to_numpy().tolist())
    assert summary["Participants"] == 42 and summary["Events without a participant count"] == 1
    assert (summary["Women"], summary["Men"], summary["Events without a gender breakdown"]) == (10, 20, 2)
    assert summary["Budget, EUR"] == 1500.0 and summary["Funded by: Grant"] == 1
    assert sheets["By country"].to_numpy().tolist() == [["Kazakhstan", 22], ["Iran", 20]]
    book = openpyxl.load_workbook(io.BytesIO(grant.workbook(sheets)))
    assert book.sheetnames == ["Summary", "Events", "By country"]
    assert book["Events"]["F2"].value == 30  # participants stay numbers in Excel

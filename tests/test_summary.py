"""The printable summary: every element, nothing live from the data."""

import datetime as dt

from twinmap.reads import health, queries, register
from twinmap.views import i18n, summary

TODAY = dt.date(2026, 11, 23)


def _row(con, partner):
    frame = register.table(con, queries.PartnershipFilter(include_private=True), TODAY)
    return frame[frame["partner_name"] == partner].iloc[0].to_dict()


def test_the_summary_holds_the_agreement_health_and_events(con):
    row = _row(con, "Astrakhan")
    events = queries.events(con, queries.PartnershipFilter(partnership_ids=(int(row["id"]),)))
    page = summary.partnership_html(row, events, TODAY, found=row["health"])
    assert "<h1>Sari – Astrakhan</h1>" in page
    assert "Missing: Plans and programmes" in page and "Health: 90 of 100, Alive" in page
    assert "Caspian youth forum" in page  # a coming event
    assert "@page { size: A4" in page


def test_text_from_the_data_is_printed_not_run(con):
    row = {**_row(con, "Astrakhan"), "purpose": "<script>alert(1)</script>", "partner_name": "<b>x</b>"}
    events = queries.events(con, queries.PartnershipFilter(partnership_ids=(int(row["id"]),)))
    page = summary.partnership_html(row, events, TODAY)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>x</b>" not in page


def test_the_persian_summary_runs_right_to_left(con):
    row = _row(con, "Astrakhan")
    events = queries.events(con, queries.PartnershipFilter(partnership_ids=(int(row["id"]),)))
    page = summary.partnership_html(row, events, TODAY, i18n.Translator("fa", "jalali"), found=row["health"])
    assert page.startswith('<!doctype html><html lang="fa" dir="rtl">')
    assert "<h2>توافق‌نامه</h2>" in page and "<h2>رویدادهای پیش رو</h2>" in page  # headings translated too
    assert isinstance(row["health"], health.Health)

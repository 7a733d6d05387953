"""Health: each reason fires on a crafted history, parts without evidence are left out."""

import datetime as dt

import duckdb
import pytest

from twinmap.ingest import batches, importer
from twinmap.reads import health, queries
from twinmap.store import db

TODAY = dt.date(2026, 11, 23)
QUIET = {"events_24m": 4, "sent": 2, "received": 2, "fu_due": 0, "fu_on_time": 0, "fu_overdue": 0, "fu_late": 0,
         "targets_judged": 0, "targets_met": 0, "last_contact": dt.date(2026, 10, 1)}  # fmt: skip


def test_a_busy_balanced_partnership_is_alive_with_nothing_to_say():
    found = health.assess(QUIET, TODAY)
    assert (found.score, found.klass, found.reasons) == (100, "alive", ())
    assert found.parts["follow_ups"] is None and found.parts["targets"] is None  # nothing to judge: left out


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"events_24m": 0}, "no events or exchanges in the last 24 months"),
        ({"events_24m": 2}, "only 2 events or exchanges in the last 24 months"),
        ({"sent": 0, "received": 0}, "no visits either way in the last 5 years"),
        ({"sent": 0, "received": 3}, "visits go one way only: 0 to the partner, 3 from the partner"),
        ({"fu_due": 3, "fu_on_time": 1, "fu_overdue": 2}, "2 follow-up actions overdue"),
        ({"fu_due": 2, "fu_on_time": 1, "fu_late": 1}, "1 follow-up action done late"),
        ({"targets_judged": 2, "targets_met": 1}, "1 of 2 indicator targets missed"),
        ({"last_contact": dt.date(2025, 8, 1)}, "last contact 15 months ago"),
        ({"last_contact": None}, "no contact recorded"),
    ],
)
def test_each_reason_fires(change, reason):
    found = health.assess({**QUIET, **change}, TODAY)
    assert [r.text() for r in found.reasons] == [reason]
    assert found.score < 100


def test_score_is_the_weighted_mean_of_the_judged_parts():
    # activity 2/4 (30), balance 1/3 (15), follow-ups 1/2 (20), contact 1 (20); targets not judged.
    row = {**QUIET, "events_24m": 2, "sent": 1, "received": 3, "fu_due": 2, "fu_on_time": 1, "fu_late": 1}
    expected = round(100 * (30 * 0.5 + 15 / 3 + 20 * 0.5 + 20 * 1) / 85)
    found = health.assess(row, TODAY)
    assert found.score == expected == 59
    assert found.klass == "at_risk"


def test_two_silent_years_make_a_partnership_dormant_whatever_else_it_scores():
    found = health.assess({**QUIET, "last_contact": dt.date(2024, 11, 1)}, TODAY)
    assert found.score >= 65 and found.klass == "inactive"


def _load(con, table, text):
    plan = importer.plan_import(con, text.encode(), f"{table}.csv", table)
    assert plan.ok, [p.text(table) for p in plan.errors]
    batches.commit(con, plan, "tester", record_stages=False)


PAIR = "home_city,home_country,partner_city,partner_country"


@pytest.fixture
def crafted(tmp_path):
    """An empty store holding one partnership with a known history."""
    con = duckdb.connect(str(tmp_path / "crafted.duckdb"))
    db.migrate(con)
    _load(con, "cities", "name,country_code,lat,lon\nSari,IR,36.56,53.06\nAktau,KZ,43.65,51.17\n")
    _load(con, "partnerships", f"{PAIR},kind,status,signed_on\nSari,IR,Aktau,KZ,sister_city,active,2018-09-12\n")
    _load(
        con,
        "events",
        f"{PAIR},kind,title,starts_on,host_city,host_country,status\n"
        "Sari,IR,Aktau,KZ,delegation_visit,Visit 1,2024-06-01,Sari,IR,held\n"
        "Sari,IR,Aktau,KZ,delegation_visit,Visit 2,2026-03-01,Sari,IR,held\n"
        "Sari,IR,Aktau,KZ,festival,Fest,2026-05-01,Sari,IR,cancelled\n"
        "Sari,IR,Aktau,KZ,festival,Old,2019-05-01,Aktau,KZ,held\n",
    )
    _load(
        con,
        "follow_ups",
        f"{PAIR},action,due_on,status,done_on\n"
        "Sari,IR,Aktau,KZ,Report,2026-01-31,done,2026-01-20\n"
        "Sari,IR,Aktau,KZ,Letter,1405/06,done,2026-10-01\n"  # Shahrivar 1405 ends 2026-09-22: done late
        "Sari,IR,Aktau,KZ,Invite,2026-10-31,open,\n"
        "Sari,IR,Aktau,KZ,Later,2027-01-31,open,\n",
    )
    _load(con, "targets", f"{PAIR},indicator,target_value,due_on\nSari,IR,Aktau,KZ,tourist_arrivals,100,2025\n")
    rows = "".join(f"Sari,IR,KZ,tourist_arrivals,2025-{m:02d},5\n" for m in range(1, 13))
    _load(con, "indicators", "city,country,origin_country,indicator,period,value\n" + rows)
    return con


def test_the_store_counts_a_crafted_history_as_assess_expects(crafted):
    frame = health.assess_all(crafted, queries.PartnershipFilter(), TODAY)
    row = frame.iloc[0]
    counts = {k: int(row[k]) for k in ("events_24m", "sent", "received", "fu_due", "fu_on_time", "fu_overdue",
                                       "fu_late", "targets_judged", "targets_met")}  # fmt: skip
    assert counts == {"events_24m": 1, "sent": 0, "received": 2, "fu_due": 3, "fu_on_time": 1, "fu_overdue": 1,
                      "fu_late": 1, "targets_judged": 1, "targets_met": 0}  # fmt: skip
    assert row["last_contact"].date() == dt.date(2026, 10, 1)  # the late letter is the latest contact
    assert [r.text() for r in row["health"].reasons] == [
        "only 1 event or exchange in the last 24 months",
        "visits go one way only: 0 to the partner, 2 from the partner",
        "1 follow-up action overdue",
        "1 follow-up action done late",
        "1 of 1 indicator targets missed",
    ]
    assert row["klass"] == "inactive"

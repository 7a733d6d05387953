"""Tourism impact: the verdict against the general trend on hand-computed figures."""

import datetime as dt

import pandas as pd

from twinmap.ingest import batches, importer
from twinmap.reads import impact, queries


def _rows(**cols):
    base = {"n_before": [24], "n_after": [24]}
    return pd.DataFrame({**base, **cols})


def test_growth_is_credited_only_beyond_the_trend():
    frame = pd.DataFrame({"change_pct": [50.0, 12.0, 0.0, 30.0], "all_foreign_change_pct": [20.0, 10.0, 20.0, 25.0],
                          "n_before": [24, 24, 24, 10], "n_after": [24, 24, 24, 24]})  # fmt: skip
    out = impact.summarise(frame, 24)
    assert list(out["verdict"]) == ["beyond", "in_line", "below", "no_data"]
    assert out["beyond_pp"].tolist()[:3] == [30.0, 2.0, -20.0] and pd.isna(out["beyond_pp"].iloc[3])


def test_impact_on_a_hand_computed_series(con):
    # Kutaisi (GE) signed in March 2020 with Ramsar; 12 months before: 100 a month from GE, 1000 in all;
    # 12 months after: 150 from GE (+50 %), 1100 in all (+10 %): 40 points beyond the trend.
    rows = ["city,country,origin_country,indicator,period,value"]
    for m in range(12):
        before, after = f"2019-{m + 3:02d}" if m < 10 else f"2020-{m - 9:02d}", None
        after = f"2020-{m + 4:02d}" if m < 9 else f"2021-{m - 8:02d}"
        rows += [f"Ramsar,IR,GE,tourist_arrivals,{before},100", f"Ramsar,IR,,tourist_arrivals,{before},1000",
                 f"Ramsar,IR,GE,tourist_arrivals,{after},150", f"Ramsar,IR,,tourist_arrivals,{after},1100"]  # fmt: skip
    pship = "home_city,home_country,partner_city,partner_country,kind,status,signed_on\n"
    for table, text in (("partnerships", pship + "Ramsar,IR,Kutaisi,GE,sister_city,active,2020-03\n"),
                        ("indicators", "\n".join(rows) + "\n")):  # fmt: skip
        plan = importer.plan_import(con, text.encode(), "f.csv", table)
        assert plan.ok, plan.errors
        batches.commit(con, plan, "tester")
    pid = con.execute("SELECT p.id FROM partnerships p JOIN cities c ON c.id = p.partner_city_id "
                      "WHERE c.name = 'Kutaisi'").fetchone()[0]  # fmt: skip
    out = impact.impact(con, queries.PartnershipFilter(partnership_ids=(pid,)), "tourist_arrivals",
                        dt.date(2026, 11, 23), months=12).iloc[0]  # fmt: skip
    assert (out["before"], out["after"]) == (100.0, 150.0)
    assert round(out["change_pct"], 6) == 50.0 and round(out["all_foreign_change_pct"], 6) == 10.0
    assert round(out["beyond_pp"], 6) == 40.0 and out["verdict"] == "beyond"

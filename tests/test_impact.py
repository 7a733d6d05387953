"""Tourism impact: the verdict against the general trend on hand-computed figures."""

import datetime as dt

import pandas as pd
import pytest

from twinmap.ingest import batches, importer
from twinmap.reads import impact, queries


def _rows(**cols):
    base = {"n_before": [24], "n_after": [24]}
    return pd.DataFrame({**base, **cols})


def test_growth_is_credited_only_beyond_the_trend():
    frame = pd.DataFrame({"change_pct": [50.0, 12.0, 0.0, 30.0], "all_foreign_change_pct": [20.0, 10.0, 20.0, 25.0],
                          "n_before": [24, 24, 24, 10], "n_after": [24, 24, 24, 24]})  # fmt: skip
    out = impact.summarise(frame, 24)
    assert list(out["verdict"]) == ["grew_faster", "in_line", "steady_while_others_grew", "no_data"]
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
    assert round(out["beyond_pp"], 6) == 40.0 and out["verdict"] == "grew_faster"


# (partner country's change %, all foreign visitors' change %, verdict): every sign combination,
# including the two the old wording got backwards (Sari–Batumi, Sari–Aktau).
SIGNS = [
    (50, 20, "grew_faster"), (12, 10, "in_line"), (20, 50, "grew_slower"),
    (10, -20, "grew_while_others_fell"), (0, -20, "steady_while_others_fell"), (0, 20, "steady_while_others_grew"),
    (-50, -57.4, "fell_less"), (-10.9, -26.2, "fell_less"), (-30, -10, "fell_more"),
    (-20, 10, "fell_while_others_grew"), (-20, 0, "fell_while_others_grew"), (-3, 1, "in_line"),
]  # fmt: skip


@pytest.mark.parametrize(("partner", "everyone", "code"), SIGNS)
def test_a_verdict_says_what_the_figures_say_for_every_sign(partner, everyone, code):
    assert impact.verdict(partner, everyone) == code
    label = next(t.label for t in impact.VERDICTS if t.code == code)
    grew, fell = label.startswith("Grew"), label.startswith("Fell")
    assert not grew or partner > 0  # a verdict never says "grew" of a fall, nor "fell" of a rise
    assert not fell or partner < 0


@pytest.mark.parametrize("lang", ["ru", "fa"])
def test_every_verdict_and_group_reads_in_russian_and_persian(lang):
    from twinmap.views.i18n import Translator

    tr = Translator(lang)
    for term in (*impact.VERDICTS, *impact.GROUPS):
        assert tr(term.label) != term.label, (lang, term.label)


def test_the_overview_groups_verdicts_into_better_in_line_worse_and_no_data():
    from twinmap.views import tables

    frame = pd.DataFrame({"verdict": ["fell_less", "grew_faster", "fell_more", "in_line", "no_data", "grew_slower"]})
    assert tables.impact_summary(frame) == {"better": 2, "in_line": 1, "worse": 2, "no_data": 1}

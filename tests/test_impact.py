"""Tourism impact: an estimate with a range, against the home city's other countries of origin.

Series are simulated (seeded) and loaded through the import pipeline: a season, a common trend,
counting noise and a small drift of each country's own, as bench/bench_impact.py does at scale.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from twinmap.ingest import batches, importer
from twinmap.reads import impact, queries
from twinmap.views import tables
from twinmap.views.i18n import Translator

TODAY = dt.date(2026, 11, 23)
CONTROLS = ("TR", "AZ", "AM", "KZ", "UZ", "IQ", "IN", "CN")
MONTHS = pd.period_range("2016-03", "2024-02", freq="M")  # four years either side of March 2020


def _series(rng: np.random.Generator, level: float, effect: float = 1.0) -> list[int]:
    """Monthly visitors: a season, the city's common trend, a drift of the country's own, counted (Poisson)."""
    t = np.arange(len(MONTHS))
    season = 1 + 0.3 * np.sin(2 * np.pi * (t % 12) / 12)
    trend = 1.004**t
    drift = np.exp(np.cumsum(rng.normal(0, 0.01, len(t))))
    after = np.where(pd.Period("2020-04", "M") <= MONTHS, effect, 1.0)
    return list(rng.poisson(level * season * trend * drift * after))


def _city(con, rng, home: str, partner: tuple[str, str], level: float, effect: float) -> int:
    """A home city, its partnership signed in March 2020, and its visitors by country; the partnership's id."""
    city, country = partner
    rows = ["city,country,origin_country,indicator,period,value"]
    origins = {country: (level, effect), **{c: (1000.0, 1.0) for c in CONTROLS if c != country}}
    for origin, (size, change) in origins.items():
        rows += [f"{home},IR,{origin},tourist_arrivals,{m},{v}" for m, v in zip(MONTHS, _series(rng, size, change),
                                                                               strict=True)]  # fmt: skip
    pship = f"home_city,home_country,partner_city,partner_country,kind,status,signed_on\n{home},IR,{city},{country}," \
            "sister_city,active,2020-03\n"  # fmt: skip
    for table, text in (("partnerships", pship), ("indicators", "\n".join(rows) + "\n")):
        plan = importer.plan_import(con, text.encode(), "f.csv", table)
        assert plan.ok, [p.text("f.csv") for p in plan.errors]
        batches.commit(con, plan, "tester")
    return con.execute("SELECT p.id FROM partnerships p JOIN cities c ON c.id = p.partner_city_id WHERE c.name = ?",
                       [city]).fetchone()[0]  # fmt: skip


def _estimate(con, pid: int, months: int = 24) -> dict:
    found = impact.impact(con, queries.PartnershipFilter(partnership_ids=(pid,)), "tourist_arrivals", TODAY, months)
    return found.iloc[0].to_dict()


@pytest.fixture(scope="module")
def simulated(shipped_db, tmp_path_factory):
    """Three home cities: a partnership that changed nothing, one that doubled its visitors, one of ten a month."""
    import shutil

    from twinmap.ingest import seed

    path = tmp_path_factory.mktemp("impact") / "impact.duckdb"
    shutil.copy(shipped_db, path)
    con = seed.connect(path)
    rng = np.random.default_rng(20261207)
    ids = {
        "placebo": _city(con, rng, "Ramsar", ("Kutaisi", "GE"), 800.0, 1.0),
        "doubled": _city(con, rng, "Babolsar", ("Poti", "GE"), 800.0, 2.0),
        "tiny": _city(con, rng, "Nowshahr", ("Rustavi", "GE"), 10.0, 1.0),
    }
    yield con, ids
    con.close()


def test_a_partnership_that_changed_nothing_gets_no_clear_difference(simulated):
    con, ids = simulated
    found = _estimate(con, ids["placebo"])
    assert found["verdict"] == "no_clear", found
    assert found["low_pct"] < 0 < found["high_pct"] and found["n_controls"] == len(CONTROLS) - 0


def test_a_doubling_is_claimed_with_a_range_that_holds_it(simulated):
    con, ids = simulated
    found = _estimate(con, ids["doubled"])
    assert found["verdict"] == "more"
    assert found["low_pct"] < 100 < found["high_pct"] and found["low_pct"] > 0
    words = tables.impact_words(found, Translator("en"))
    assert words.startswith("about ") and "more visitors from Georgia than the trend (likely between +" in words


def test_ten_visitors_a_month_give_a_wide_range_and_no_confident_claim(simulated):
    con, ids = simulated
    tiny, large = _estimate(con, ids["tiny"]), _estimate(con, ids["placebo"])
    assert tiny["high_pct"] - tiny["low_pct"] > 1.3 * (large["high_pct"] - large["low_pct"])
    assert tiny["high_pct"] - tiny["low_pct"] > 30 and tiny["verdict"] == "no_clear"


def test_too_few_months_or_countries_is_not_enough_data_with_the_reason(simulated):
    con, ids = simulated
    found = _estimate(con, ids["placebo"], months=72)  # the series begin four years before the signing
    assert found["verdict"] == "no_data" and found["reason"] == impact.FEW_BEFORE
    words = tables.impact_words(found, Translator("en"))
    assert words == "not enough data: 48 of the 72 months before the signing recorded"


def test_the_partners_own_country_is_never_its_own_comparison(simulated):
    con, ids = simulated
    spans = impact.windows(queries.partnerships(con, queries.PartnershipFilter(partnership_ids=(ids["doubled"],)),
                                                TODAY), 24)  # fmt: skip
    counts = impact.series(con, spans, "tourist_arrivals", 24)
    found = impact.estimate(spans, counts, 24, TODAY).iloc[0]
    others = counts[counts["origin"] != "GE"]
    d = np.log((others["sum_after"] + 0.5) / others["n_after"]) - np.log((others["sum_before"] + 0.5)
                                                                        / others["n_before"])  # fmt: skip
    assert found["comparison_pct"] == pytest.approx(np.expm1(d.mean()) * 100)


def test_a_home_city_that_records_only_all_foreign_visitors_is_not_enough_data(con):
    rows = "city,country,origin_country,indicator,period,value\n" + "".join(
        f"Sari,IR,,overnight_stays,{y}-{m:02d},500\n" for y in range(2012, 2026) for m in range(1, 13)
    )
    batches.commit(con, importer.plan_import(con, rows.encode(), "f.csv", "indicators"), "tester")
    found = impact.impact(con, queries.PartnershipFilter(), "overnight_stays", TODAY, 24)
    assert len(found) and set(found["verdict"]) == {"no_data"}
    assert set(found["reason"]) <= {impact.ONLY_TOTAL, impact.NOT_YET}


def test_students_t_for_a_95_percent_range():
    assert impact.t_975(np.array([2, 5, 10, 30, 200])) == pytest.approx([4.303, 2.571, 2.228, 2.042, 1.972], abs=0.003)


WORDS = [
    ({"verdict": "more", "effect_pct": 18.2, "low_pct": 6.1, "high_pct": 31.4, "partner_country": "RU"},
     "about 18 % more visitors from Russia than the trend (likely between +6 % and +31 %)"),
    ({"verdict": "fewer", "effect_pct": -22.0, "low_pct": -35.2, "high_pct": -4.0, "partner_country": "IT"},
     "about 22 % fewer visitors from Italy than the trend (likely between −35 % and −4 %)"),
    ({"verdict": "no_clear", "effect_pct": 2.0, "low_pct": -9.4, "high_pct": 14.0, "partner_country": "IT"},
     "no clear difference from the trend (between −9 % and +14 %)"),
    ({"verdict": "no_data", "reason": impact.FEW_CONTROLS, "reason_values": {"n": 1, "need": 3},
      "partner_country": "RU"},
     "not enough data: 1 other countries of origin recorded, 3 needed for a comparison"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "said"), WORDS)
def test_the_words_claim_only_what_the_range_supports(row, said):
    assert tables.impact_words(row, Translator("en")) == said


@pytest.mark.parametrize("lang", ["ru", "fa"])
def test_every_verdict_group_and_sentence_reads_in_russian_and_persian(lang):
    tr = Translator(lang)
    for term in (*impact.VERDICTS, *impact.GROUPS):
        assert tr(term.label) != term.label, (lang, term.label)
    for row, said in WORDS:
        assert tables.impact_words(row, tr) != said


def test_the_overview_groups_verdicts():
    frame = pd.DataFrame({"verdict": ["more", "no_clear", "fewer", "no_clear", "no_data", "more"]})
    assert tables.impact_summary(frame) == {"better": 2, "in_line": 2, "worse": 1, "no_data": 1}

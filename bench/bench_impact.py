"""How often the tourism-impact verdict is wrong, on simulated stores with a known answer.

    python bench/bench_impact.py                  # 120 partnerships per cell (about 4 minutes on 2 cores)
    python bench/bench_impact.py --per-cell 10    # a quick look

Each simulated partnership is a home city of its own, signed in the middle of eight years of
monthly tourist arrivals from its partner's country and from nine other countries of origin,
loaded through the import pipeline (files planned and committed as staff would). Every series
has a season, the home city's common trend, counting noise (Poisson) and a drift of the
country's own, of one of two kinds: ``ar1`` (mean-reverting, an AR(1) on the log level) or
``walk`` (a random walk). The partner's country gets no effect (a placebo) or a known one (+10,
+30, +100 %) from the month after the signing. The verdicts are read with the Tourism page's own
read (:func:`twinmap.reads.impact.impact`) for windows of 12, 24 and 36 months.

Printed per drift model, partner level (visitors a month) and window:
- ``false_claims``: placebo partnerships given anything but "no clear difference" (target <= 5 %);
- ``power_<effect>``: real effects found, in the right direction (target at +30 %: >= 80 % from 100 a month);
- ``wrong_direction``: real rises called falls (target <= 1 %);
- ``coverage``: ranges that hold the true effect, placebos included (target >= 90 %).
And the baseline the page used before (partner's change against all foreign visitors, a fixed
+-5 point band), on the same placebos: ``old_false_claims``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twinmap.ingest import batches, importer  # noqa: E402
from twinmap.reads import impact, queries  # noqa: E402
from twinmap.store import db  # noqa: E402

TODAY = dt.date(2026, 11, 23)
MONTHS = pd.period_range("2014-01", "2021-12", freq="M")  # eight years; signed in January 2018
SIGNED = "2018-01"
LEVELS = (10, 100, 1000, 10000)
EFFECTS = (0.0, 0.10, 0.30, 1.00)
MODELS = ("ar1", "walk")
WINDOWS = (12, 24, 36)
ORIGINS = ("RU", "TR", "DE", "IT", "KZ", "CN", "IN", "AZ", "AM", "GE")  # the partner's first, nine to compare


def drift(rng: np.random.Generator, model: str, n: int) -> np.ndarray:
    """A country's own movement on the log scale: mean-reverting (AR(1)) or a random walk, a few % a month."""
    steps = rng.normal(0, 0.02 if model == "ar1" else 0.012, n)
    if model == "walk":
        return np.cumsum(steps)
    out = np.empty(n)
    level = rng.normal(0, 0.02 / np.sqrt(1 - 0.9**2))
    for i in range(n):
        level = 0.9 * level + steps[i]
        out[i] = level
    return out


def simulate(rng: np.random.Generator, per_cell: int) -> tuple[dict[str, str], pd.DataFrame]:
    """The files of one simulated store (cities, partnerships, indicators) and the truth of each partnership."""
    t = np.arange(len(MONTHS))
    after = (pd.Period(SIGNED, "M") < MONTHS).astype(float)
    cities, pairs, rows, truth = [], [], [], []
    n = 0
    for model in MODELS:
        for level in LEVELS:
            for effect in EFFECTS:
                for _ in range(per_cell):
                    n += 1
                    home, partner = f"Sim{n:05d}", f"Par{n:05d}"
                    lat, lon = rng.uniform(30, 35), rng.uniform(51, 57)
                    cities += [(home, "IR", lat, lon), (partner, "RU", rng.uniform(52, 60), rng.uniform(38, 50))]
                    pairs.append((home, partner, SIGNED))
                    truth.append((home, model, level, effect))
                    common = 0.004 * t + 0.25 * np.sin(2 * np.pi * t / 12 + rng.uniform(0, 6.3))  # trend and season
                    for i, origin in enumerate(ORIGINS):
                        size = level if i == 0 else float(np.exp(rng.uniform(np.log(100), np.log(10_000))))
                        mean = size * np.exp(common + drift(rng, model, len(t)))
                        if i == 0:
                            mean = mean * (1 + effect * after)
                        values = rng.poisson(mean)
                        rows.append(pd.DataFrame({"city": home, "country": "IR", "origin_country": origin,
                                                  "indicator": "tourist_arrivals", "period": MONTHS.astype(str),
                                                  "value": values}))  # fmt: skip
                    rows.append(pd.DataFrame({"city": [home] * len(t), "country": "IR", "origin_country": "",
                                              "indicator": "tourist_arrivals", "period": MONTHS.astype(str),
                                              "value": rng.poisson(20_000 * np.exp(common))}))  # fmt: skip
    files = {
        "cities": pd.DataFrame(cities, columns=["name", "country_code", "lat", "lon"]).to_csv(index=False),
        "partnerships": pd.DataFrame(
            [(h, "IR", p, "RU", "sister_city", "active", s) for h, p, s in pairs],
            columns=["home_city", "home_country", "partner_city", "partner_country", "kind", "status", "signed_on"],
        ).to_csv(index=False),
    }
    table = pd.concat(rows)
    parts = range(0, len(table), 1_500_000)  # files under the import's 256 MB limit, as staff would send them
    files |= {f"indicators.{i}": table.iloc[i : i + 1_500_000].to_csv(index=False) for i in parts}
    return files, pd.DataFrame(truth, columns=["home_name", "model", "level", "effect"])


def load(path: Path, files: dict[str, str]) -> float:
    """Plan and commit each file as an import would; the seconds it took."""
    began = time.perf_counter()
    con = db.connect(path)
    for name in files:
        table = name.split(".")[0]
        plan = importer.plan_import(con, files[name].encode(), f"{name}.csv", table)
        assert plan.ok, [p.text(table) for p in plan.errors[:5]]
        batches.commit(con, plan, "bench")
    con.close()
    return time.perf_counter() - began


def old_rule(con, months: int) -> pd.DataFrame:
    """The rule the page used before: the partner's change against all foreign visitors', within +-5 points."""
    found = queries.before_after(con, queries.PartnershipFilter(), "tourist_arrivals", TODAY, months)
    found["claims"] = (found["change_pct"] - found["all_foreign_change_pct"]).abs() > 5
    return found


def judge(con, truth: pd.DataFrame, months: int) -> tuple[pd.DataFrame, float]:
    """The verdicts of every simulated partnership for one window, with the truth beside them; seconds taken."""
    began = time.perf_counter()
    found = impact.impact(con, queries.PartnershipFilter(), "tourist_arrivals", TODAY, months)
    took = time.perf_counter() - began
    found = found.merge(truth, on="home_name")
    true_pct = found["effect"] * 100
    found["covered"] = (found["low_pct"] <= true_pct) & (true_pct <= found["high_pct"])
    old = old_rule(con, months)[["id", "claims"]].rename(columns={"claims": "old_claims"})
    return found.merge(old, on="id", how="left"), took


def report(found: pd.DataFrame, months: int) -> list[str]:
    """The figures of one window, per drift model and level."""
    lines = []
    for (model, level), cell in found.groupby(["model", "level"]):
        placebo, real = cell[cell["effect"] == 0], cell[cell["effect"] > 0]
        name = f"impact_{model}_{level}_w{months}"
        lines.append(f"{name}_false_claims: {100 * (placebo['verdict'] != 'no_clear').mean():.1f} %")
        lines.append(f"{name}_old_false_claims: {100 * placebo['old_claims'].mean():.1f} %")
        for effect in EFFECTS[1:]:
            hit = cell[cell["effect"] == effect]
            lines.append(f"{name}_power_{int(effect * 100)}: {100 * (hit['verdict'] == 'more').mean():.1f} %")
        lines.append(f"{name}_wrong_direction: {100 * (real['verdict'] == 'fewer').mean():.1f} %")
        lines.append(f"{name}_coverage: {100 * cell['covered'].mean():.1f} %")
        lines.append(f"{name}_no_data: {100 * (cell['verdict'] == 'no_data').mean():.1f} %")
    return lines


def main() -> int:
    """Simulate, load, judge, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-cell", type=int, default=120, help="partnerships per drift model, level and effect")
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    files, truth = simulate(rng, args.per_cell)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "impact.duckdb"
        print(f"impact_load_seconds: {load(path, files):.1f} s")
        print(f"impact_partnerships: {len(truth)} partnerships")
        con = db.connect(path)
        for months in WINDOWS:
            found, took = judge(con, truth, months)
            print(f"impact_w{months}_read_seconds: {took:.2f} s")
            for line in report(found, months):
                print(line)
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The unit's relations at scale: 10,000 organisations and 50,000 press items imported and read.

    python bench/bench_relations.py --db STORE.duckdb --keep WITH.duckdb   # onto a copy of a full store
    python bench/bench_relations.py --size small                          # a small generated store

Generates the rows over the store's home cities (organisations of every kind and stage, with
fees, calls and seats from the gazetteer; press items over three years in every tone, a tenth
naming an organisation), imports them through the real pipeline (plan and commit, as the Data
page does), then times the reads the pages make: the organisations, what is due, the work
counted per goal, coverage per month, the seats placed and the map built. ``--keep`` saves the
store for ``bench_sessions.py --db`` (no page slower with the relations than without).

Printed as ``relations_<what>: x s``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TODAY = dt.date(2026, 11, 23)
KINDS = ("network", "ngo", "investor", "tour_operator", "diaspora", "consulate", "region")
STAGES = ("contact", "member", "partner", "dormant", "ended")


def organisations(homes: pd.DataFrame, seats: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` organisations spread over the home cities, each at a gazetteer city."""
    home = homes.iloc[rng.integers(0, len(homes), n)].reset_index(drop=True)
    seat = seats.iloc[rng.integers(0, len(seats), n)].reset_index(drop=True)
    due = [(TODAY + dt.timedelta(days=int(d))).isoformat() for d in rng.integers(-60, 400, n)]
    member = rng.random(n) < 0.4
    return pd.DataFrame({
        "home_city": home["name"], "home_country": home["country_code"],
        "name": [f"Organisation {i:05d}" for i in range(n)],
        "kind": rng.choice(KINDS, n), "country": seat["country_code"], "city": seat["name"],
        "stage": np.where(member, "member", rng.choice(STAGES, n)),
        "since": [f"{y}-{m:02d}" for y, m in zip(rng.integers(2005, 2026, n), rng.integers(1, 13, n), strict=True)],
        "fee": np.where(member, rng.integers(100, 5000, n).astype(str), ""), "currency": np.where(member, "EUR", ""),
        "fee_due_on": np.where(member, due, ""),
        "call": np.where(rng.random(n) < 0.1, "Joint project call", ""),
        "call_closes_on": [(TODAY + dt.timedelta(days=int(d))).isoformat() for d in rng.integers(1, 200, n)],
    })  # fmt: skip


def coverage(orgs: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` press items over three years, a tenth about one of the home city's organisations."""
    pick = orgs.iloc[rng.integers(0, len(orgs), n)].reset_index(drop=True)
    days = [(TODAY - dt.timedelta(days=int(d))).isoformat() for d in rng.integers(0, 3 * 365, n)]
    about = rng.random(n) < 0.1
    return pd.DataFrame({
        "home_city": pick["home_city"], "home_country": pick["home_country"], "published_on": days,
        "outlet": [f"Outlet {i % 900}" for i in range(n)], "country": pick["country"], "language": "en",
        "title": [f"Press item {i:06d}" for i in range(n)], "link": [f"https://example.org/{i}" for i in range(n)],
        "tone": rng.choice(("positive", "neutral", "negative"), n, p=(0.5, 0.35, 0.15)),
        "organisation": np.where(about, pick["name"], ""),
    })  # fmt: skip


def timed(label: str, work, *args):
    """Run ``work``, print its seconds, return what it returned."""
    started = time.perf_counter()
    out = work(*args)
    print(f"relations_{label}: {time.perf_counter() - started:.3f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a store to copy (bench/bench_import.py --keep makes one)")
    parser.add_argument("--size", choices=["small"], default=None)
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--coverage", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="save the store with the relations here")
    args = parser.parse_args()
    import bench_pages

    from twinmap.ingest import batches, importer, seed
    from twinmap.reads import relations
    from twinmap.views import maps

    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = bench_pages.store_in(Path(tmp), args.db)
        con = seed.connect(str(store))
        homes = con.execute("SELECT DISTINCT c.name, c.country_code FROM partnerships p JOIN cities c "
                            "ON c.id = p.home_city_id ORDER BY 1, 2").df()  # fmt: skip
        seats = con.execute("SELECT name, country_code FROM cities WHERE population > 200000 ORDER BY id "
                            "LIMIT 400").df()  # fmt: skip
        print(f"# {len(homes)} home cities; seats among {len(seats)} cities")
        orgs = organisations(homes, seats, args.organisations, rng)
        items = coverage(orgs, args.coverage, rng)
        for table, frame in (("organisations", orgs), ("coverage", items)):
            data = frame.to_csv(index=False).encode()
            plan = timed(f"plan_{table}_{len(frame)}", importer.plan_import, con, data, f"{table}.csv", table)
            assert plan.ok, plan.errors[:3]
            timed(f"commit_{table}_{len(frame)}", batches.commit, con, plan, "bench")
        found = timed("read_organisations", relations.organisations, con, None)
        work = timed("read_work", relations.work, con, None)
        due = timed("due_90_days", relations.due, found, work, TODAY)
        print(f"# {len(due):,} items due within 90 days")
        timed("work_per_goal_year", relations.work_per_goal, con, None, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        press = timed("read_coverage", relations.coverage, con, None)
        timed("coverage_by_month", relations.coverage_by_month, press)
        placed = timed("placed", maps.organisation_seats, found)
        fmap = timed("organisations_map", maps.organisations_map, placed)
        print(f"relations_map_html_bytes: {len(maps.to_html(fmap)):,} bytes")
        con.close()
        if args.keep:
            shutil.copy(store, args.keep)
            print(f"# kept: {args.keep}")


if __name__ == "__main__":
    main()

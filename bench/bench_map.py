"""How the store, queries and map builder scale: a synthetic network of many partnerships.

Run by hand: ``./dev bench`` (or ``python bench/bench_map.py --partners 20000``). Prints the
time to build the database, to query it with and without filters, to build the folium map
and the size of the map's HTML, so a regression shows as a figure, not a flaky test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from twinmap.core import reference
from twinmap.reads import finder, health, network, queries, register
from twinmap.store import db
from twinmap.views import maps


def _timed(label: str, fn):
    start = time.perf_counter()
    out = fn()
    print(f"{label:<44} {1000 * (time.perf_counter() - start):9.1f} ms")
    return out


def _fill(con, partners: int, events_per: int, rng: random.Random) -> None:
    cities = pd.DataFrame(
        {
            "name": [f"City {i}" for i in range(partners + 50)],
            "country_code": [
                rng.choice(["IR", "RU", "IT", "TR", "KZ", "DE", "JP", "US"]) for _ in range(partners + 50)
            ],
            "lat": [rng.uniform(-60, 70) for _ in range(partners + 50)],
            "lon": [rng.uniform(-180, 180) for _ in range(partners + 50)],
        }
    )
    statuses = reference.codes(reference.STATUSES)
    with db.write_transaction(con) as cur:
        cur.register("c", cities)
        cur.execute("INSERT INTO cities (name, country_code, lat, lon) SELECT * FROM c")
        cur.execute(
            """INSERT INTO partnerships (home_city_id, partner_city_id, kind, status, signed_on, signed_precision)
               SELECT 1 + (i % 50), 51 + i, 'sister_city', list_extract($s, 1 + (i % len($s))::INT),
                      DATE '2000-01-01' + to_days((i * 37 % 9000)::INT), 'day'
               FROM range($n) t(i)""",
            {"n": partners, "s": list(statuses)},
        )
        cur.execute(
            """INSERT INTO events (partnership_id, kind, title, starts_on, status)
               SELECT 1 + (i % $n), 'festival', 'Event ' || i, DATE '2010-01-01' + to_days((i % 6000)::INT), 'held'
               FROM range($m) t(i)""",
            {"n": partners, "m": partners * events_per},
        )
        cur.execute(
            """INSERT INTO follow_ups (partnership_id, action, due_on, status, done_on)
               SELECT 1 + (i % $n), 'Action ' || i, DATE '2024-01-01' + to_days((i % 1200)::INT),
                      CASE WHEN i % 3 = 0 THEN 'open' ELSE 'done' END,
                      CASE WHEN i % 3 = 0 THEN NULL ELSE DATE '2024-01-05' + to_days((i % 1200)::INT) END
               FROM range($m) t(i)""",
            {"n": partners, "m": partners * 2},
        )
        cur.execute(
            """INSERT INTO targets (partnership_id, indicator, target_value, due_on)
               SELECT 1 + i, 'tourist_arrivals', 1000, DATE '2025-01-01' FROM range($n) t(i)""",
            {"n": partners},
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partners", type=int, default=20_000)
    parser.add_argument("--events-per-partner", type=int, default=10)
    args = parser.parse_args()
    today = dt.date(2026, 11, 23)
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        db.migrate(con)
        print(f"{args.partners:,} partnerships, {args.partners * args.events_per_partner:,} events")
        _timed("fill database", lambda: _fill(con, args.partners, args.events_per_partner, random.Random(1)))
        frame = _timed(
            "partnerships query (all public)", lambda: queries.partnerships(con, queries.PartnershipFilter(), today)
        )
        _timed(
            "partnerships query (one home city)",
            lambda: queries.partnerships(con, queries.PartnershipFilter(home_city_ids=(1,)), today),
        )
        _timed("headline figures", lambda: queries.headline(con, queries.PartnershipFilter(), today))
        _timed("upcoming events", lambda: queries.upcoming_events(con, queries.PartnershipFilter(), today))
        f = queries.PartnershipFilter(include_private=True)
        scored = _timed("health of every agreement in force", lambda: health.assess_all(con, f, today))
        print(f"{'  partnerships assessed':<44} {len(scored):9,}")
        _timed("register table (stage, completeness, health)", lambda: register.table(con, f, today))
        links = _timed("network edges", lambda: network.edges(con, include_private=True))
        _timed("network degrees", lambda: network.degrees(links, set(range(1, 51))))
        _timed("partner finder, first call (coast distances)", lambda: finder.rank(con, 1, finder.Weights()))
        _timed("partner finder, next call", lambda: finder.rank(con, 2, finder.Weights(), ("tourism",)))
        homes = queries.home_cities(con)
        fmap = _timed(
            f"build folium map ({len(frame):,} partners)", lambda: maps.partnership_map(frame, homes, tiles="none")
        )
        page = _timed("render map HTML", lambda: maps.to_html(fmap))
        print(
            f"{'map HTML size':<44} {len(page) / 1e6:9.1f} MB ({len(page) / max(len(frame), 1):.0f} bytes per partner)"
        )
        print(f"{'peak resident memory':<44} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:9.0f} MB")


if __name__ == "__main__":
    main()

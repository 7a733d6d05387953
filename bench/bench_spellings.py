"""One spelling per reader, at scale: learning a store's cities' Russian and Persian spellings.

    python bench/bench_spellings.py --db STORE.duckdb     # e.g. the full bench store (50,000 partnerships)

The app learns the spellings of every city the store holds before a data version's labels are
made (once per version; only new cities are worked out). Timed here: reading the cities, the
first learning in a fresh process (the gazetteer's alternate names read and picked), learning
again as a new data version does, and naming 50,000 partnerships in Russian.

Printed as ``spellings_<what>: x unit``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twinmap.reads import queries  # noqa: E402
from twinmap.views import i18n, labels  # noqa: E402


def main() -> None:
    """Time the steps on a copy-free read-only store and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    args = parser.parse_args()
    con = duckdb.connect(str(args.db), read_only=True)
    started = time.perf_counter()
    cities = queries.city_spellings(con)
    print(f"spellings_read: {time.perf_counter() - started:.3f} s")
    print(f"spellings_cities: {len(cities)} cities")
    started = time.perf_counter()
    i18n.learn_spellings(cities, "first")
    print(f"spellings_first_learn: {time.perf_counter() - started:.3f} s")
    started = time.perf_counter()
    i18n.learn_spellings(queries.city_spellings(con), "again")
    print(f"spellings_new_version: {time.perf_counter() - started:.3f} s")
    for lang in ("ru", "fa"):
        print(f"spellings_known_{lang}: {sum(1 for v in i18n._SPELLINGS[lang].values() if v)} names")
    frame = queries.partnerships(con, queries.PartnershipFilter(), dt.date.today())
    started = time.perf_counter()
    named = labels.pair_labels(frame, i18n.Translator("ru"))
    print(f"spellings_label_{len(named)}_pairs: {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()

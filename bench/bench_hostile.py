"""How much work hostile files and big exports cost: time and peak memory, each in a fresh process.

Run by hand: ``./dev bench`` or ``python bench/bench_hostile.py [--rows 181000]``. For each of the
corpus's worst files (tests/corpus/make_corpus.py) it plans the import against a copy of the
shipped store; then it exports a store of ``--rows`` indicator rows as one Excel workbook.
Prints ``name: value unit`` lines.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORST = ("xlsx_far_cell.xlsx", "xlsx_shared_strings_bomb.xlsx", "xlsx_billion_laughs.xlsx", "million_columns.csv",
         "too_many_rows.csv", "long_cell.csv")  # fmt: skip

_PLAN = """
import json, resource, sys, time
from twinmap.ingest import importer, seed
from twinmap.store import db
con = seed.connect(sys.argv[1])
data = open(sys.argv[2], "rb").read()
start = time.perf_counter()
plan = importer.plan_import(con, data, sys.argv[2], sys.argv[3])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
why = plan.errors[0].reason if plan.errors else "accepted"
print(json.dumps({"seconds": time.perf_counter() - start, "mb": peak, "why": why}))
"""

_EXPORT = """
import json, resource, sys, time
from twinmap.ingest import exporter, seed
from twinmap.store import db
con = seed.connect(sys.argv[1])
with db.write_transaction(con) as cur:
    cur.execute('''INSERT INTO indicators (city_id, origin_country, indicator, period, value)
                   SELECT 1, 'C' || (i // 1000), 'tourist_arrivals', DATE '1900-01-01' + to_months((i % 1000)::INT), i
                   FROM range(?) t(i)''', [int(sys.argv[2])])
start = time.perf_counter()
size = len(exporter.workbook(con))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": time.perf_counter() - start, "mb": peak, "bytes": size}))
"""


def _fresh_store(tmp: Path) -> Path:
    store = tmp / "store.duckdb"
    code = f"from twinmap.ingest import seed; seed.connect({str(store)!r}).close()"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=181_000, help="indicator rows added before the Excel export")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.corpus.make_corpus import corpus

    cases = {c.name: c for c in corpus()}
    with tempfile.TemporaryDirectory() as tmp:
        store = _fresh_store(Path(tmp))
        for name in WORST:
            path = Path(tmp) / name
            path.write_bytes(cases[name].data)
            out = subprocess.run([sys.executable, "-c", _PLAN, str(store), str(path), cases[name].table], cwd=ROOT,
                                 capture_output=True, text=True, check=True)  # fmt: skip
            got = json.loads(out.stdout)
            stem = Path(name).stem
            print(f"# {name} ({len(cases[name].data) / 1e3:.0f} KB) refused: {got['why'][:100]}")
            print(f"hostile_{stem}_seconds: {got['seconds']:.2f} s")
            print(f"hostile_{stem}_peak_memory: {got['mb']:.0f} MB")
        out = subprocess.run([sys.executable, "-c", _EXPORT, str(store), str(args.rows)], cwd=ROOT, capture_output=True,
                             text=True, check=True)  # fmt: skip
        got = json.loads(out.stdout)
        print(f"# excel export with {args.rows:,} extra indicator rows")
        print(f"export_xlsx_seconds: {got['seconds']:.1f} s")
        print(f"export_xlsx_peak_memory: {got['mb']:.0f} MB")
        print(f"export_xlsx_size: {got['bytes'] / 1e6:.1f} MB")


if __name__ == "__main__":
    main()

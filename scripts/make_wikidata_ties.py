"""Make data/ties_wikidata.csv, the world's twin-town network as shipped reference data.

Reads ../shared/data/wikidata-twin-cities.tsv (Wikidata's P190 "twinned administrative body",
CC0) through twinmap's own import pipeline and mapping, against a store built from the other
shipped files, and writes the rows that resolve, in the ties template's columns (coordinates
kept, so the first start resolves them the same way). Prints what resolved and why the rest did
not; data/README.md records the figures. Run: ``python scripts/make_wikidata_ties.py``.
"""

from __future__ import annotations

import collections
import csv
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twinmap.ingest import batches, importer, mapping, readers  # noqa: E402
from twinmap.ingest.specs import LOAD_ORDER  # noqa: E402
from twinmap.store import db  # noqa: E402

SOURCE = ROOT.parent / "shared" / "data" / "wikidata-twin-cities.tsv"
TARGET = ROOT / "data" / "ties_wikidata.csv"
LAYOUT = mapping.Mapping(
    "ties",
    {"origincityLabel": "city", "origincountry": "country", "originlat": "lat", "originlong": "lon",
     "originpopulation": "", "sistercityLabel": "other_city", "destinationlat": "other_lat",
     "destinationlong": "other_lon", "destinationpopulation": "", "destination_countryLabel": "other_country",
     "dist": "", "eu": ""},
    {"source": "Wikidata P190 (2018 extract)", "is_demo": "false"},
)  # fmt: skip


def _store(folder: Path):
    """The shipped data without this file: what the first start holds when it reads it."""
    con = db.connect(folder / "build.duckdb")
    for table in LOAD_ORDER:
        path = ROOT / "data" / f"{table}.csv"  # the shipped files, not this one's earlier output
        plan = importer.plan_import(con, path.read_bytes(), path.name, table)
        batches.commit(con, plan, "shipped data", record_stages=False)
    return con


def main() -> None:
    """Write the file and say what did not resolve, and why."""
    data = SOURCE.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        con = _store(Path(tmp))
        plan = importer.plan_import(con, data, SOURCE.name, "ties", LAYOUT)
    sheet = LAYOUT.apply(readers.read(data))
    kept = set(plan.new_rows)
    with TARGET.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(sheet.header)
        writer.writerows(cells for line, cells in sheet.rows if line in kept)
    why = collections.Counter(re.sub(r"'[^']*'|\(id \d+\)|\d+", "…", p.reason) for p in plan.errors)
    print(f"rows read: {plan.rows_read}; resolved and written: {len(kept)}; cities added: {len(plan.new_cities)}")
    for reason, n in why.most_common():
        print(f"{n:6d}  {reason}")


if __name__ == "__main__":
    main()

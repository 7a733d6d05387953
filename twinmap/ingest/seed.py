"""Fill a new database from the CSV files shipped in ``data/``, through the import pipeline.

The shipped files are in the same form staff import, so they pass the same validation and
become the first recorded batches; a broken edit of the shipped data stops the build with the
file, row and column of every problem.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from twinmap.core.config import DATA_DIR
from twinmap.ingest import batches, importer
from twinmap.ingest.specs import LOAD_ORDER
from twinmap.store import db

SHIPPED_USER = "shipped data"


class SeedError(ValueError):
    """A shipped data file has bad values (the message names file, row and column)."""


def connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    """The app's store at ``path``: opened and migrated, or built from the shipped data on first use."""
    return db.connect(path, fill=load_shipped)


def load_shipped(con: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> None:
    """Import every shipped file, in reference order, each as one batch."""
    for table in LOAD_ORDER:
        for path in shipped_files(table, data_dir):
            plan = importer.plan_import(con, path.read_bytes(), path.name, table)
            if not plan.ok:
                raise SeedError("; ".join(p.text(path.name) for p in plan.errors[:5]))
            batches.commit(con, plan, SHIPPED_USER, record_stages=False)


def shipped_files(table: str, data_dir: Path = DATA_DIR) -> list[Path]:
    """A table's shipped files: ``table.csv``, then reference data beside it (``ties_wikidata.csv``)."""
    return [data_dir / f"{table}.csv", *sorted(data_dir.glob(f"{table}_*.csv"))]

"""Convert a store written by DuckDB 2.0 (twinmap before PostgreSQL support) for this twinmap's DuckDB.

DuckDB files are not readable by an older DuckDB, and twinmap now pins DuckDB 1.4.4 (the line
whose postgres extension installs offline). This script exports the old file with DuckDB 2.0 in
a throw-away virtual environment, imports it with the running DuckDB, moves every id sequence
past the ids in use, checks every table's row count, and only then swaps the files; the old
file is kept beside the new one as ``NAME.duckdb2-backup``.

    .venv/bin/python scripts/convert_store.py data/twinmap.duckdb
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb

from twinmap.store import transfer
from twinmap.store.schema import SEQUENCES

OLD_DUCKDB = "duckdb==2.0.0"
EXPORT = """
import duckdb, sys
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("EXPORT DATABASE '" + sys.argv[2].replace("'", "''") + "' (FORMAT parquet)")
for (t,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall():
    print(t, con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
"""


def convert(path: Path) -> None:
    """Export with the old DuckDB, import with this one, check, then swap the files."""
    with tempfile.TemporaryDirectory() as tmp:
        env_dir, dump = Path(tmp) / "venv", Path(tmp) / "dump"
        venv.create(env_dir, with_pip=True)
        py = env_dir / "bin" / "python"
        subprocess.run([py, "-m", "pip", "install", "--quiet", OLD_DUCKDB], check=True)  # noqa: S603 - our venv
        out = subprocess.run([py, "-c", EXPORT, str(path), str(dump)], check=True, capture_output=True, text=True)  # noqa: S603
        expected = {t: int(n) for t, n in (line.split() for line in out.stdout.splitlines())}
        new = path.with_name(f".{path.name}.converting")
        new.unlink(missing_ok=True)
        con = duckdb.connect(str(new))
        con.execute(f"IMPORT DATABASE '{str(dump).replace(chr(39), chr(39) * 2)}'")
        cur = con.cursor()
        for table, sequence in SEQUENCES.items():
            transfer.advance_sequence(cur, table, sequence)
        found = {t: cur.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in expected}
        cur.close()  # an open cursor keeps CHECKPOINT waiting
        con.execute("CHECKPOINT")
        con.close()
        if found != expected:
            new.unlink()
            sys.exit(f"error: {path}: row counts differ after conversion ({found} != {expected}); nothing changed")
    os.replace(path, path.with_name(path.name + ".duckdb2-backup"))
    os.replace(new, path)
    print(f"{path}: converted ({sum(expected.values())} rows); the old file is {path.name}.duckdb2-backup")


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_file():
        sys.exit("usage: scripts/convert_store.py STORE.duckdb")
    convert(Path(sys.argv[1]))

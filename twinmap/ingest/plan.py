"""What an import would do: the plan of a file, its problems and changes (the model of the pipeline).

:func:`twinmap.ingest.importer.plan_import` makes a :class:`Plan` and never writes;
:func:`twinmap.ingest.batches.commit` commits it in one transaction and can undo it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from twinmap.ingest import readers


@dataclass(frozen=True)
class Problem:
    """One reason a file is rejected; ``row`` is the line number as Excel shows it.

    The reason is a catalogue message with values, so the Data page shows it in the reader's
    language; ``reason`` is the English text (reports, the command line).
    """

    row: int | None
    column: str
    msgid: str
    values: dict = field(default_factory=dict, compare=False)

    @property
    def reason(self) -> str:
        """The reason in English."""
        return self.msgid.format(**self.values)

    def text(self, filename: str) -> str:
        """The problem as one sentence naming file, row and column."""
        where = ", ".join(
            p
            for p in (filename, f"row {self.row}" if self.row else "", f"column {self.column}" if self.column else "")
            if p
        )
        return f"{where}: {self.reason}"


@dataclass
class Change:
    """A row that exists and would change: its id, full old values and the new values that differ."""

    id: int
    before: dict[str, Any]
    after: dict[str, Any]
    row: int


@dataclass
class Plan:
    """What importing a file would do."""

    table: str
    filename: str
    data: bytes = field(repr=False)
    file_hash: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows_read: int = 0
    new_table: pa.Table | None = field(default=None, repr=False)  # the new rows, typed as stored
    new_rows: list[int] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    new_cities: list[dict[str, Any]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    mapping: Any = field(default=None, repr=False)  # the Mapping the columns were read by (ingest.mapping)
    city_names: dict[int, str] = field(default_factory=dict, repr=False)  # every held city, to show names
    partnership_cities: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)  # id -> home, partner
    part: str = ""  # of a pair list: "ours" (partnerships) or "others" (ties)
    version: int | None = None  # the store's data version the plan was made against
    source: readers.Sheet | None = field(default=None, repr=False)  # the file as read, for the skipped rows' file
    blank_clears: bool = False  # asked for: a blank cell of a row that updates a held row erases its value
    city_spellings: list[Change] = field(default_factory=list)  # held cities given the file's spelling (local name)
    # or the Wikidata id it gives, where they had none
    deleted: list[Change] = field(default_factory=list)  # rows to delete (grid edits), each with its full values
    writer: Any = None  # whose rights the plan is checked with: a User, a user's name, None (ingest.scopes.Writer)
    fence: Any = field(default=None, repr=False)  # that user's home cities, when limited (scopes.Fence)
    risky: list[Problem] = field(default_factory=list)  # held cities renamed into another or moved far (renames)

    @property
    def new(self) -> list[dict[str, Any]]:
        """The new rows as dicts (previews, tests); the commit reads :attr:`new_table`."""
        return self.new_table.to_pylist() if self.new_table is not None else []

    @property
    def new_count(self) -> int:
        """How many rows are new."""
        return self.new_table.num_rows if self.new_table is not None else 0

    @property
    def can_skip(self) -> bool:
        """Every problem is a row's (none is the file's or its header's) and some rows are valid."""
        return bool(self.errors) and all(p.row and p.row > 1 for p in self.errors) and self.valid_rows > 0

    @property
    def skipped_rows(self) -> list[int]:
        """The line numbers of the rows an import of the valid rows leaves out."""
        return sorted({p.row for p in self.errors if p.row})

    @property
    def cities_to_create(self) -> list[dict[str, Any]]:
        """The planned cities a committed row refers to (none for a row that was left out)."""
        if not self.new_cities:
            return []
        used = {v for c in self.changed for k, v in c.after.items() if k.endswith("city_id")}
        table = self.new_table if self.new_table is not None else pa.table({})
        for name in table.column_names:
            if name.endswith("city_id"):
                used |= set(pc.unique(table[name]).to_pylist())
        return [c for c in self.new_cities if c["id"] in used]

    @property
    def spellings_to_add(self) -> list[Change]:
        """The local names a committed row gives held cities (none from a row that was left out)."""
        skipped = set(self.skipped_rows) if self.errors else set()
        return [c for c in self.city_spellings if c.row not in skipped]

    @property
    def erasures(self) -> list[tuple[int, str, Any]]:
        """Every held value a blank cell erases (row, database column, old value): asked for with blank_clears."""
        return [
            (c.row, k, c.before.get(k))
            for c in self.changed
            for k, v in c.after.items()
            if plain(v) in (None, []) and plain(c.before.get(k)) not in (None, [])
        ]

    @property
    def has_changes(self) -> bool:
        """Whether committing would write anything."""
        return bool(self.new_count or self.changed or self.cities_to_create or self.spellings_to_add or self.deleted)

    @property
    def valid_rows(self) -> int:
        """Rows that would be imported (new, changed or unchanged)."""
        return self.new_count + len(self.changed) + self.unchanged

    def rejects_csv(self) -> bytes:
        """The skipped rows in the file's own columns, with a ``problem`` column: fix them and import again."""
        reasons: dict[int, list[str]] = {}
        for p in self.errors:
            reasons.setdefault(p.row, []).append(f"{p.column}: {p.reason}" if p.column else p.reason)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        header = self.source.header if self.source else []
        writer.writerow([*header, "problem"])
        for line, cells in self.source.rows if self.source else ():
            if line in reasons:
                writer.writerow([*cells, *[""] * (len(header) - len(cells)), "; ".join(reasons[line])])
        return buf.getvalue().encode("utf-8-sig")

    @property
    def ok(self) -> bool:
        """True when the file can be committed."""
        return not self.errors

    def fingerprint(self) -> tuple:
        """What a commit would do, to check that nothing moved between preview and commit."""
        changed = [(c.id, sorted(c.after)) for c in self.changed]
        spellings = [(c.id, sorted(c.after.items())) for c in self.city_spellings]
        deleted = [c.id for c in self.deleted]
        return (
            self.file_hash,
            self.new_count,
            changed,
            len(self.new_cities),
            tuple(self.skipped_rows),
            spellings,
            deleted,
        )

    def report(self, status: str) -> dict[str, Any]:
        """The machine-readable report (command line ``--report`` and tests)."""
        return {
            "status": status, "table": self.table, "file": self.filename, "encoding": self.encoding,
            "rows_read": self.rows_read, "inserted": self.new_count, "updated": len(self.changed),
            "unchanged": self.unchanged, "cities_created": len(self.cities_to_create),
            "deleted": len(self.deleted),
            "local_names_added": sum("local_name" in c.after for c in self.spellings_to_add),
            "wikidata_ids_added": sum("wikidata" in c.after for c in self.spellings_to_add),
            "erased": [{"row": r, "column": c, "old": json_safe(v)} for r, c, v in self.erasures],
            "skipped": len(self.skipped_rows) if self.errors else 0,
            "errors": [{"row": p.row, "column": p.column, "reason": p.reason} for p in self.errors],
            "warnings": [w.reason for w in self.warnings],
        }  # fmt: skip


def json_safe(value: Any) -> Any:
    """A held value as a report's JSON holds it (dates as ISO text)."""
    value = plain(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def plain(value: Any) -> Any:
    """Values as Python compares them (numpy and pandas scalars, NaN/NaT as None, lists)."""
    if value is None:
        return None
    if hasattr(value, "tolist"):
        value = value.tolist()
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime().date()
    if isinstance(value, float) and value != value:
        return None
    if str(value) == "NaT":
        return None
    return value

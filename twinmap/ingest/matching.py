"""Which held row each file row is: natural keys, repeats in the file, and pairs either way round.

Rows are matched by ``id`` when the file gives one, else by the table's natural key compared
without case or accents. A cities file's row is a place: its key is its name and country *and*
where it is, so two namesakes far apart are two rows. A pair (A–B) and the same pair the other
way round (B–A) are one pair: a directed table (partnerships) refuses the second, a pair list
(ties, or either part of a list of city pairs) counts it as the same tie, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from twinmap.core.geo import distance_km
from twinmap.core.reference import N_
from twinmap.core.text import fold
from twinmap.ingest import bulk
from twinmap.ingest.cities import FAR_KM
from twinmap.ingest.plan import Problem

Planner = Any  # twinmap.ingest.importer.Planner (not imported: the importer imports this module)


@dataclass
class Match:
    """The valid rows of a file (positions and line numbers) and the held row each updates (-1: a new row)."""

    rows: np.ndarray
    lines: np.ndarray
    held: pa.Table
    old: np.ndarray
    accepted: np.ndarray
    table: pa.Table


def match(p: Planner, ok: np.ndarray) -> Match | None:
    """Each valid row's held row; a repeated row, a pair the other way round or a wrong id is a problem."""
    rows = np.flatnonzero(ok)
    if rows.size == 0:
        return None
    table = pa.table({k: v.take(pa.array(rows)) for k, v in p.values.items()})
    lines = p.lines[rows]
    held = existing_rows(p, table)
    held_ids = bulk.ints(held["id"].combine_chunks(), held.num_rows) if held.num_rows else np.zeros(0, np.int64)
    place = _places(p, table) if p.spec.name == "cities" else None
    key, back, held_key = keys(p, table, held, place, held_ids)
    size = int(max(key.max(initial=0), back.max(initial=0), held_key.max(initial=0))) + 1
    held_by_key = bulk.first_of(held_key, size)
    given = bulk.ints(table["id"].combine_chunks(), len(rows)) if "id" in table.column_names else None
    folds = p.spec.folds or bool(p.plan.part)
    refused = _reversed(p, key, back, size, (held_by_key, held_ids), lines, given, folds)
    first = bulk.first_of(key, size, among=~refused)
    earlier = ~refused & (first[key] != np.arange(len(rows)))
    if folds:
        _folded(p, lines, refused | earlier)
    else:
        names = ", ".join(p.spec.key)
        for r in np.flatnonzero(earlier):
            msgid = N_("the same row ({keys}) as row {row}: remove one of them")
            p.error(int(lines[r]), "", msgid, keys=names, row=int(lines[first[key[r]]]))
    accepted = ~refused & ~earlier
    if place is not None:
        held_by_key = None  # a cities row's held row is its place, found by GeoNames id or namesake
    old = _held_row(p, key, held_by_key, held_ids, given, lines, accepted, place)
    return Match(rows, lines, held, old, accepted & (old != -2), table)


def existing_rows(p: Planner, table: pa.Table) -> pa.Table:
    """The held rows a file's rows could be: by id, or sharing the id a natural key starts with.

    Only those are read, so a thousand-row update of a five-million-row table reads a
    thousand rows' neighbours, not the table. Oldest first: the first-held row owns its key.
    """
    name = p.spec.name  # from the spec, not from input
    ids = _distinct(table, "id")
    by = [c for c in (p.spec.pair or p.spec.key[:1]) if c.endswith("_id")]
    if by:
        found = sorted({v for c in by for v in _distinct(table, c)})
        near = " OR ".join(f"{c} IN (SELECT unnest($keys))" for c in by)
        sql = f"SELECT * FROM {name} WHERE id IN (SELECT unnest($ids)) OR {near} ORDER BY id"
        return p.cur.execute(sql, {"ids": ids, "keys": found}).fetch_arrow_table()
    return p.cur.execute(f"SELECT * FROM {name} ORDER BY id").fetch_arrow_table()  # cities, missions: small


def keys(
    p: Planner, table: pa.Table, held: pa.Table, place: np.ndarray | None = None, held_ids: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Natural keys as numbers, compared without case or accents, all in one numbering.

    The file's keys, the file's keys read the other way round (B–A for A–B; the same keys
    for a table without pairs) and the held rows'. With ``place`` (cities) a row's place is
    part of its key.
    """
    n = table.num_rows
    spec = p.spec

    def column(source: pa.Table, name: str) -> pa.Array:
        return bulk.folded(source[name].combine_chunks() if name in source.column_names else bulk.nulls(len(source)))

    parts = []
    for k in spec.key:
        both_ways = [column(table, k)]
        if spec.pair:  # both sides of a pair share one numbering, so they can be swapped
            other = spec.pair[1 - spec.pair.index(k)] if k in spec.pair else k
            both_ways.append(column(table, other))
        parts.append(bulk.codes([*both_ways, column(held, k)]))
    if place is not None:
        parts.append(bulk.codes([pa.array(place), pa.array(held_ids if held_ids is not None else [])]))
    key = bulk.combined(parts)
    if not spec.pair:
        return key[:n], key[:n], key[n:]
    return key[:n], key[n : 2 * n], key[2 * n :]


def _places(p: Planner, table: pa.Table) -> np.ndarray:
    """A cities file's rows as places: the held city each is (its id), else a number shared by rows near each other.

    Rows of one name and country more than :data:`~twinmap.ingest.cities.FAR_KM` apart are
    different places (new cities count down from -1), so namesakes are not repeats.
    """
    records = table.select([c for c in ("name", "country_code", "lat", "lon", "geonameid", "wikidata")
                            if c in table.column_names]).to_pylist()  # fmt: skip
    out = np.zeros(len(records), dtype=np.int64)
    groups: dict[tuple[str, str], list[tuple[tuple[float, float] | None, int]]] = {}
    for r, row in enumerate(records):
        point = (row["lat"], row["lon"]) if row.get("lat") is not None and row.get("lon") is not None else None
        held = p.places.place_of(
            row.get("name"), row.get("country_code"), point, row.get("geonameid"), row.get("wikidata")
        )
        if held is not None:
            out[r] = held
            continue
        group = groups.setdefault((fold(row.get("name") or ""), str(row.get("country_code"))), [])
        out[r] = next((code for where, code in group if _near(where, point)), 0) or -(r + 1)
        if out[r] == -(r + 1):
            group.append((point, int(out[r])))
    return out


def _near(a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool:
    """Two rows' points are one place (a row without a point is wherever its namesake is)."""
    return a is None or b is None or distance_km(*a, *b) <= FAR_KM


def _folded(p: Planner, lines: np.ndarray, repeats: np.ndarray) -> None:
    """Repeats of a pair in a pair list: counted once, as unchanged, and said so once."""
    n = int(repeats.sum())
    if not n:
        return
    p.plan.unchanged += n
    shown = ", ".join(str(int(x)) for x in lines[repeats][:5]) + (", …" if n > 5 else "")
    msgid = N_("{n} rows repeat a pair already held or given in an earlier row, either way round (a list records a "
               "twinning from both cities): counted once, as unchanged (rows {rows})")  # fmt: skip
    p.plan.warnings.append(Problem(None, "", msgid, {"n": n, "rows": shown}))


def _reversed(
    p: Planner, key: np.ndarray, back: np.ndarray, size: int, holding: tuple[np.ndarray, np.ndarray],
    lines: np.ndarray, given: np.ndarray | None, folds: bool,
) -> np.ndarray:  # fmt: skip
    """A pair held, or earlier in the file, the other way round (B–A for A–B): not added.

    A directed table reports it; a pair list (``folds``) takes it as the pair it already has.
    """
    held_by_key, held_ids = holding
    refused = np.zeros(len(key), dtype=bool)
    if not p.spec.pair:
        return refused
    turned = (key != back) & (given == 0 if given is not None else True)
    held = turned & (held_by_key[back] >= 0)
    either = np.minimum(key, back)  # the pair whichever way round; the way it first appears wins
    first = bulk.first_of(either, size, among=~held)[either]
    later = turned & ~held & (key != key[first])
    if folds:
        return held | later
    msgid = N_("this pair is already held the other way round (id {id}): change that row instead")
    for r in np.flatnonzero(held):
        p.error(int(lines[r]), "", msgid, id=int(held_ids[held_by_key[back[r]]]))
    msgid = N_("the same pair as row {row}, the other way round: remove one of them")
    for r in np.flatnonzero(later):
        p.error(int(lines[r]), "", msgid, row=int(lines[first[r]]))
    return held | later


def _held_row(
    p: Planner, key: np.ndarray, held_by_key: np.ndarray | None, held_ids: np.ndarray, given: np.ndarray | None,
    lines: np.ndarray, accepted: np.ndarray, place: np.ndarray | None,
) -> np.ndarray:  # fmt: skip
    """Each row's held row (its position among the held rows), -1 for a new row, -2 for a problem."""
    if place is not None:  # a cities row: the held city at its place
        position = {int(i): at for at, i in enumerate(held_ids)}
        taken = np.array([position.get(int(c), -1) if c > 0 else -1 for c in place], dtype=np.int64)
    else:
        taken = held_by_key[key]
    old = taken.copy()
    if given is not None:
        asked = accepted & (given != 0)
        at = np.searchsorted(held_ids, given)  # the held rows come ordered by id
        there = np.zeros(len(key), dtype=bool)
        if held_ids.size:
            there = held_ids[np.minimum(at, held_ids.size - 1)] == given
        msgid = N_("there is no {table} row with id {id}")
        for r in np.flatnonzero(asked & ~there):
            p.error(int(lines[r]), "id", msgid, table=p.spec.name, id=int(given[r]))
        old = np.where(asked, np.where(there, at, -2), old)
    clash = accepted & (old >= 0) & (taken >= 0) & (taken != old)
    msgid = N_("row id {id} would take the {keys} of the row with id {other}: they would be the same row")
    for r in np.flatnonzero(clash):
        p.error(int(lines[r]), "id", msgid, id=int(held_ids[old[r]]), keys=", ".join(p.spec.key),
                other=int(held_ids[taken[r]]))  # fmt: skip
    return np.where(clash, -2, old)


def _distinct(table: pa.Table, column: str) -> list[Any]:
    """The distinct values a column of the file holds (none when it lacks the column)."""
    if column not in table.column_names:
        return []
    return sorted(v for v in pc.unique(table[column]).to_pylist() if v is not None)

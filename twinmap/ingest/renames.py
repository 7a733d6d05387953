"""A held city that a file renames into another city, or moves far: said in the preview, confirmed under --strict.

A cities file keyed by id can rename city #1 from Sari to Chalus, a real town 150 km away, and
every partnership of Sari would then read "Chalus – ...". Spelling corrections are common and
harmless ("Sary" → "Sari"); a rename that names *another* city of the country, or a move of
more than :data:`MOVE_KM`, is almost always a row meant for another city. Both are planned as
before, with a warning that names both cities; ``import --strict`` refuses them unless confirmed.
"""

from __future__ import annotations

from typing import Any

import duckdb

from twinmap.core.geo import distance_km
from twinmap.core.reference import N_
from twinmap.core.text import fold, quoted
from twinmap.ingest import gazetteer
from twinmap.ingest.plan import Change, Plan, Problem

MOVE_KM = 25  # a held city's position corrected by more than this is another place, not a better fix

ANOTHER = N_(
    "row {row}: city #{id} {old} would be renamed {new}, the name of another city of {country} "
    "({km} km away): check that this row is meant for {old}"
)
MOVED = N_("row {row}: city #{id} {old} would move {km} km: check that this row is meant for {old}")


def check(con: duckdb.DuckDBPyConnection, plan: Plan) -> list[Problem]:
    """The risky changes of a cities plan (each also a warning of the plan); none for other tables."""
    if plan.table != "cities":
        return []
    cur = con.cursor()
    found = [p for change in plan.changed if (p := _risk(cur, change)) is not None]
    plan.warnings += found
    return found


def _risk(cur: duckdb.DuckDBPyConnection, change: Change) -> Problem | None:
    before, after = change.before, {**change.before, **change.after}
    old, new, country = before.get("name"), after.get("name"), after.get("country_code")
    values: dict[str, Any] = {"row": change.row, "id": change.id, "old": quoted(old), "new": quoted(new)}
    if "name" in change.after and old and new and fold(old) != fold(new):
        other = _other_city(cur, change.id, new, country, before)
        if other is not None:
            return Problem(change.row, "name", ANOTHER, {**values, "country": country, "km": round(other)})
    moved = _km(before, after)
    if moved is not None and moved > MOVE_KM:
        return Problem(change.row, "lat", MOVED, {**values, "km": round(moved)})
    return None


def _other_city(cur: duckdb.DuckDBPyConnection, city_id: int, name: str, country: str, before: dict) -> float | None:
    """How far from the held city another city of that name lies (in the store or the gazetteer), if one does."""
    rows = cur.execute(
        "SELECT lat, lon FROM cities WHERE country_code = ? AND id <> ? AND (lower(name) = lower(?) "
        "OR lower(local_name) = lower(?))",
        [country, city_id, name, name],
    ).fetchall()
    places = [(lat, lon) for lat, lon in rows] + [(p.lat, p.lon) for p in gazetteer.namesakes(name, country)]
    far = [distance_km(before["lat"], before["lon"], lat, lon) for lat, lon in places if _known(before)]
    far = [km for km in far if km > MOVE_KM]
    return min(far) if far else None


def _known(values: dict) -> bool:
    return values.get("lat") is not None and values.get("lon") is not None


def _km(before: dict, after: dict) -> float | None:
    if not (_known(before) and _known(after)):
        return None
    return distance_km(before["lat"], before["lon"], after["lat"], after["lon"])

"""The rules a table's rows obey beyond each cell's own value, named on each :class:`~twinmap.ingest.specs.TableSpec`.

A rule gets the planner and a mask of the rows still valid; it reads whole columns
(``p.get``), reports with ``p.flag`` / ``p.error`` and may fill values (a city's, from the
gazetteer). Rules run after matching, so an updating row is judged with its held values
filled in; ``before_matching`` rules run first because they decide a row's key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from twinmap.core import reference
from twinmap.core.reference import N_
from twinmap.core.text import fold, is_latin, parse_counts, quoted
from twinmap.ingest import bulk, gazetteer
from twinmap.ingest.plan import Problem

Planner = Any  # twinmap.ingest.importer.Planner (not imported: the importer imports this module)

Rule = Callable[[Planner, np.ndarray], None]


def names_cities(p: Planner, line: int, out: dict[str, Any]) -> None:
    """Before matching: a name in its own script is stored in English (the key), the spelling kept for later."""
    name, country = out.get("name"), out.get("country_code")
    if not (name and country):
        return
    place = gazetteer.find(name, country)
    if not is_latin(name) and place is None:  # stored as written, as a reference to it would be
        msgid = N_("row {row}: {name} is not in Latin letters and the gazetteer does not know it in {country}: "
                   "stored as written; add its English name under name when you know it")  # fmt: skip
        p.plan.warnings.append(Problem(line, "name", msgid, {"row": line, "name": quoted(name), "country": country}))
    elif not is_latin(name):  # the English name comes from GeoNames; the typed one becomes the local name
        p.places.spelled[line] = name
        out["name"] = place.name
    if place is not None and out.get("geonameid") is None and (out.get("lat") is None or not is_latin(name)):
        out["geonameid"] = place.geonameid  # finds the city held under another spelling


def cities(p: Planner, line: int, out: dict[str, Any]) -> None:
    """After matching (held values filled in): coordinates, and what the gazetteer knows of a new city."""
    lat, lon = out.get("lat"), out.get("lon")
    if (lat is None) != (lon is None):
        return p.error(line, "lat" if lat is None else "lon", N_("give both latitude and longitude, or neither"))
    name, country = out.get("name"), out.get("country_code")
    if not (name and country):
        return None
    spelled = p.places.spelled.get(line)
    if spelled and not out.get("local_name"):
        out["local_name"] = spelled
    elif spelled and fold(out["local_name"]) != fold(spelled):
        msgid = N_("row {row}: {name} is the city {known}, which keeps its local name {local}")
        values = {"row": line, "name": quoted(spelled), "known": quoted(name), "local": quoted(out["local_name"])}
        p.plan.warnings.append(Problem(line, "name", msgid, values))
    if lat is None:
        place = gazetteer.find(name, country)
        if place is None:
            hint = gazetteer.suggest(name, country)
            msgid = (
                N_("no coordinates given and {name} is not in the gazetteer for {country}; did you mean {hint}?")
                if hint
                else N_("no coordinates given and {name} is not in the gazetteer for {country}")
            )
            names = ", ".join(quoted(h) for h in hint)
            return p.error(line, "lat", msgid, name=quoted(name), country=country, hint=names)
        out.update(lat=place.lat, lon=place.lon)
        for k, v in (("population", place.population), ("timezone", place.timezone), ("geonameid", place.geonameid)):
            if out.get(k) is None:
                out[k] = v
    return None


def each_row(rule: Callable[[Planner, int, dict[str, Any]], None]) -> Callable[[Planner, np.ndarray], None]:
    """A rule that reads and may fill a row's values (a city's, from the gazetteer), run row by row.

    For small tables only (cities): the row's values are read into a dict and written back.
    """

    def run(p: Planner, rows: np.ndarray) -> None:
        picked = np.flatnonzero(rows)
        if picked.size == 0:
            return
        table = pa.table({k: v.take(pa.array(picked)) for k, v in p.values.items()})
        records = table.to_pylist() if table.num_columns else [{} for _ in picked]
        for r, out in zip(picked, records, strict=True):
            rule(p, int(p.lines[r]), out)
        p.touched = True
        for name in {k for out in records for k in out}:
            column = p.values.get(name)
            full = column.to_pylist() if column is not None else [None] * len(p.lines)
            for r, out in zip(picked, records, strict=True):
                full[r] = out.get(name)
            kind = column.type if column is not None and not pa.types.is_null(column.type) else None
            p.values[name] = pa.array(full, kind)

    return run


def partnerships(p: Planner, rows: np.ndarray) -> None:
    """A city is not its own partner; an agreement does not expire before it was signed."""
    n = len(rows)
    home, partner = bulk.ints(p.get("home_city_id"), n), bulk.ints(p.get("partner_city_id"), n)
    p.flag(rows & (home != 0) & (home == partner), "partner_city", N_("a city cannot be its own partner"))
    signed = bulk.starts(p.get("signed_on"), n)
    until = bulk.ends(p.get("valid_until"), p.get("valid_until_precision"), n)
    p.flag(rows & (until < signed), "valid_until", N_("the agreement expires before it was signed"))


def dated(p: Planner, rows: np.ndarray) -> None:
    """Something that happens over days does not end before it starts."""
    of_organisation(p, rows)
    n = len(rows)
    start = bulk.starts(p.get("starts_on"), n)
    end = bulk.ends(p.get("ends_on"), p.get("ends_precision"), n)
    p.flag(rows & (end < start), "ends_on", N_("the event ends before it starts"))


def events(p: Planner, rows: np.ndarray) -> None:
    """Dates in order; women and men, and the countries, add up to no more than the participants.

    (The organisation an event is with is checked by :func:`dated`.)
    """
    dated(p, rows)
    n = len(rows)
    total = bulk.numbers(p.get("participants"), n)
    counted = rows & ~np.isnan(total)
    women_men = np.nan_to_num(bulk.numbers(p.get("participants_female"), n)) + np.nan_to_num(
        bulk.numbers(p.get("participants_male"), n)
    )
    msgid = N_("women and men add up to {n}, more than the {total} participants")
    for r in np.flatnonzero(counted & (women_men > total)):
        p.error(int(p.lines[r]), "participants_female", msgid, n=int(women_men[r]), total=int(total[r]))
    by_country = p.get("participants_by_country")
    if by_country is None:
        return
    summed = bulk.numbers(bulk.per_distinct(by_country, lambda v: sum(parse_counts(v).values()), pa.int64()), n)
    msgid = N_("the countries add up to {n}, more than the {total} participants")
    for r in np.flatnonzero(counted & (summed > total)):
        p.error(int(p.lines[r]), "participants_by_country", msgid, n=int(summed[r]), total=int(total[r]))


def follow_ups(p: Planner, rows: np.ndarray) -> None:
    """A done action says when it was done; the organisation it is for is one of its home city's."""
    of_organisation(p, rows)
    n = len(rows)
    status = p.get("status")
    if status is None:
        return
    done = pc.is_in(status, pa.array(list(reference.FOLLOW_UP_DONE), pa.string())).fill_null(False)
    undated = np.isnat(bulk.starts(p.get("done_on"), n))
    done_undated = rows & done.to_numpy(zero_copy_only=False) & undated
    p.flag(done_undated, "done_on", N_("a done action needs the date it was done"))


def ties(p: Planner, rows: np.ndarray) -> None:
    """A city is not twinned with itself."""
    n = len(rows)
    city, other = bulk.ints(p.get("city_id"), n), bulk.ints(p.get("other_city_id"), n)
    p.flag(rows & (city != 0) & (city == other), "other_city", N_("a city cannot be its own partner"))


city_names = each_row(names_cities)
city_values = each_row(cities)


CONSENT = N_("a person abroad's e-mail or phone is kept only with their consent: set consent to yes, or leave them out")


def people_abroad(p: Planner, rows: np.ndarray) -> None:
    """A person abroad's contact details only with their consent recorded (never stored without it)."""
    n = len(rows)
    consent = p.get("consent")
    agreed = np.zeros(n, dtype=bool) if consent is None else np.asarray(
        pc.fill_null(consent.cast(pa.bool_()), False).to_numpy(zero_copy_only=False), dtype=bool)  # fmt: skip
    for column in ("email", "phone"):
        values = p.get(column)
        if values is None:
            continue
        given = np.asarray(pc.is_valid(values).to_numpy(zero_copy_only=False), dtype=bool)
        p.flag(rows & given & ~agreed, column, CONSENT)


UNKNOWN_ORGANISATION = N_("{name} is not an organisation of {city}: add it to the organisations first (table: "
                          "Organisations), or check its spelling")  # fmt: skip
UNKNOWN_ANYWHERE = N_("{name} is not an organisation of any home city: add it to the organisations first (table: "
                      "Organisations), or check its spelling")  # fmt: skip


def of_organisation(p: Planner, rows: np.ndarray) -> None:
    """The organisation a row names is one its home city keeps; stored as that organisation spells its name.

    Work that belongs to an organisation (an event, a mission, a follow-up, a press item) names
    it by name, the organisations' key within a home city. The home city is the row's own, or
    its partnership's; a mission of no partnership may name any home city's organisation.
    """
    values = p.get("organisation")
    if values is None or values.null_count == len(values):
        return
    n = len(rows)
    homes = _row_homes(p, n)
    held: dict[tuple[int, str], str] = {}
    for home, name in p.cur.execute("SELECT home_city_id, name FROM organisations").fetchall():
        held.setdefault((int(home), fold(name)), name)
        held.setdefault((0, fold(name)), name)
    names = values.to_pylist()
    cities = dict(p.cur.execute("SELECT id, name FROM city_names WHERE id IN (SELECT unnest(?))",
                                [sorted({int(h) for h in homes if h})]).fetchall())  # fmt: skip
    for r in np.flatnonzero(rows):
        name = names[r]
        if not isinstance(name, str) or not name.strip():
            continue
        found = held.get((int(homes[r]), fold(name)))
        if found is None:
            city = cities.get(int(homes[r])) if homes[r] else None
            msgid = UNKNOWN_ORGANISATION if city else UNKNOWN_ANYWHERE
            p.error(int(p.lines[r]), "organisation", msgid, name=quoted(name), city=city)
        else:
            names[r] = found
    p.values["organisation"] = pa.array(names, pa.string())
    p.touched = True


def _row_homes(p: Planner, n: int) -> np.ndarray:
    """Each row's home city: its own column, else its partnership's (0: none)."""
    if not p.spec.partnership:
        return bulk.ints(p.get("home_city_id"), n)
    ids = bulk.ints(p.get("partnership_id"), n)
    return np.array([p.plan.partnership_cities.get(int(i), (0, 0))[0] for i in ids], dtype=np.int64)

"""Which city a row names: resolution against the store and the gazetteer, namesakes kept apart.

A city is a place, not a name: two towns of one name may both be in a country (the San Juans
of Argentina, the Springfields of the United States). A row's city is found, in this order:

1. by its GeoNames id, when the row has one (cities files);
2. by the file's coordinates: the held (or just planned) city of that name and country nearest
   them within :data:`FAR_KM`; else the gazetteer's namesake within that distance; else a new
   city where the file puts it, as long as that lies in the named country (or in one of its
   overseas parts with a code of their own, read as that part; or in land no ISO code names);
3. by the region the file gives ("Illinois, United States" in the country column, or a region
   column): the one held namesake in that region;
4. by name and country alone, only when that names one city (or several copies of one place,
   or one that is in a partnership); else the row is a problem that lists the namesakes.

A name may be any spelling the store or GeoNames knows (St. Charles, Saint Charles; Астрахань).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from twinmap.core.geo import country_of_point, distance_km, in_uncoded_land, km_outside
from twinmap.core.reference import N_
from twinmap.core.text import fold, is_latin, quoted
from twinmap.ingest import bulk, convert, countries, gazetteer
from twinmap.ingest.plan import Change, Problem
from twinmap.ingest.specs import CityRef

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from twinmap.ingest.plan import Plan

FAR_KM = 50  # a city this far from a held namesake is another city; from the named one, the row is checked
CHOICE = -(1 << 40)  # ids from here down stand for "one of these namesakes" (Places.choices), settled by the pair


class CellProblem(Exception):
    """A cell's conversion failed while resolving a city (which column, and why)."""

    def __init__(self, column: str, err: convert.CellError):
        super().__init__(column)
        self.column, self.err = column, err


@dataclass
class City:
    """A held or planned city as resolution sees it."""

    id: int
    name: str
    local_name: str | None
    country: str
    region: str | None
    lat: float
    lon: float
    geonameid: int | None
    wikidata: str | None = None


class Places:
    """The cities an import can name: those held, and those this file will create.

    ``report(line, column, msgid, **values)`` records a row's problem (the planner's).
    """

    def __init__(self, cur: duckdb.DuckDBPyConnection, plan: Plan, report: Any):
        self.plan, self.report = plan, report
        rows = cur.execute(
            "SELECT id, name, local_name, country_code, region, lat, lon, geonameid, wikidata FROM cities ORDER BY id"
        ).fetchall()
        self.held: dict[int, City] = {r[0]: City(*r) for r in rows}
        # Every spelling of a name, case and accents aside, to the cities it names (oldest first).
        self.named: dict[tuple[str, str], list[int]] = {}
        for city in self.held.values():
            self._index(city)
        self.by_geonameid: dict[int, int] = {}
        self.by_wikidata: dict[str, int] = {}
        for city in self.held.values():
            if city.geonameid is not None:
                self.by_geonameid.setdefault(city.geonameid, city.id)
            if city.wikidata:
                self.by_wikidata.setdefault(city.wikidata, city.id)
        self.partnered = {
            i for (i,) in cur.execute(
                "SELECT home_city_id FROM partnerships UNION SELECT partner_city_id FROM partnerships"
            ).fetchall()
        }  # fmt: skip
        self.planned: dict[int, City] = {}
        self.planned_places: dict[int, int] = {}  # GeoNames id -> planned city
        self.local_names = {c.id: c.local_name for c in self.held.values()}
        self.spelled: dict[int, str] = {}  # line -> the non-Latin name a cities row typed (kept as local name)
        self.choices: list[list[int]] = []  # namesakes a partnership's side may be, until its pair says which
        self.planned_wikidata: dict[str, int] = {}
        plan.city_names = {c.id: c.name for c in self.held.values()}

    def _index(self, city: City) -> None:
        for name in (city.name, city.local_name):
            if name:
                ids = self.named.setdefault((fold(name), city.country), [])
                if city.id not in ids:
                    ids.append(city.id)

    def city(self, city_id: int) -> City | None:
        """A held or planned city by id."""
        return self.held.get(city_id) or self.planned.get(city_id)

    def namesakes(self, name: str, country: str) -> list[int]:
        """Every held or planned city of that name (any spelling) in that country, oldest first."""
        return list(self.named.get((fold(name), country), ()))

    # -- a column of city names ------------------------------------------------------------

    def column(self, ref: CityRef, texts: dict[str, pa.Array], lines: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Each row's city id (0 for none), resolved once per distinct spelling unless resolving it warned."""
        names = [c for c in columns(ref) if c in texts]
        group = bulk.combined([bulk.codes([texts[c]]) for c in names])
        found = np.zeros(len(lines), dtype=np.int64)
        for alike in bulk.groups_in_order(group, np.flatnonzero(rows)):
            raw = {c: texts[c][int(alike[0])].as_py() for c in names}
            self._resolve_alike(ref, raw, alike, lines, found)
        return found

    def _resolve_alike(
        self, ref: CityRef, raw: dict[str, str], rows: np.ndarray, lines: np.ndarray, found: np.ndarray
    ) -> None:
        """Rows naming a city alike: resolved for the first; a warning names its row, so such rows resolve afresh."""
        errors = self.plan.errors
        for at, r in enumerate(rows):
            first_error, warnings = len(errors), len(self.plan.warnings)
            city = self.resolve(int(lines[r]), ref, raw) or 0
            found[r] = city
            if len(self.plan.warnings) == warnings:
                rest = rows[at + 1 :]
                found[rest] = city
                problems = errors[first_error:]  # the first row's, copied to each row alike (once each)
                for line in lines[rest].tolist():
                    errors.extend(Problem(line, p.column, p.msgid, p.values) for p in problems)
                return

    # -- one row's city --------------------------------------------------------------------

    def resolve(self, line: int, ref: CityRef, raw: dict[str, str]) -> int | None:
        """The id of the city a row names (negative: planned), or None with the row's problem recorded."""
        name = (raw.get(ref.city) or "").strip()
        if not name:
            return None
        try:
            reading = convert.country_reading(raw.get(ref.country) or "")
            point = self._point(ref, raw)
            geonameid, wikidata = self._ids(ref, raw)
        except convert.CellError as err:
            return self.report(line, ref.country, err.msgid, **err.values)
        except CellProblem as problem:
            return self.report(line, problem.column, problem.err.msgid, **problem.err.values)
        known = self._by_id(line, name, geonameid, wikidata)
        if known is not None:
            return self.learn(line, known, wikidata)
        if reading is None:
            return self.report(
                line, ref.country, N_("give the country of {name} (ISO code, e.g. IR)"), name=quoted(name)
            )
        country = self._country(name, reading, point)
        if reading.note:
            msgid = N_("row {row}: the country {written} was read as {country}")
            values = {"row": line, "written": quoted(reading.note), "country": country}
            self.plan.warnings.append(Problem(line, ref.country, msgid, values))
        region = ((raw.get(ref.region) or "").strip() if ref.region else "") or reading.region
        found = self._identify(line, ref, name, country, point, region)
        return self.learn(line, found, wikidata) if found and found > CHOICE else found

    def _ids(self, ref: CityRef, raw: dict[str, str]) -> tuple[int | None, str | None]:
        """The GeoNames and Wikidata ids a row gives its city (each optional)."""
        out: list[Any] = []
        for column, read in ((ref.geonameid, _geonameid), (ref.wikidata, convert.wikidata)):
            try:
                out.append(read(raw.get(column) or "") if column else None)
            except convert.CellError as err:
                raise CellProblem(column, err) from None
        return out[0], out[1]

    def _by_id(self, line: int, name: str, geonameid: int | None, wikidata: str | None) -> int | None:
        """The city a row's ids name: one held with that Wikidata or GeoNames id, or the gazetteer's of that id."""
        if wikidata and wikidata in self.by_wikidata:
            return self.by_wikidata[wikidata]
        if wikidata and wikidata in self.planned_wikidata:
            return self.planned_wikidata[wikidata]
        if geonameid is None:
            return None
        if geonameid in self.by_geonameid:
            return self.by_geonameid[geonameid]
        place = gazetteer.by_id(geonameid)
        if place is None:
            return None
        return self._from_gazetteer(line, name, place.country_code, place, place.region)

    def _country(self, name: str, reading: Any, point: tuple[float, float] | None) -> str:
        """Of the countries a cell named ("Réunion, France"), the one that holds the city."""
        if len(reading.candidates) < 2:
            return reading.code
        for code in reversed(reading.candidates):  # the more particular first: Réunion before France
            if self.namesakes(name, code) or gazetteer.namesakes(name, code):
                return code
        if point:
            inside = [c for c in reading.candidates if (km_outside(c, *point) or 0) <= FAR_KM]
            if inside:
                return inside[0]
        return reading.code

    def _identify(
        self, line: int, ref: CityRef, name: str, country: str, point: tuple[float, float] | None, region: str
    ) -> int | None:
        known = self.namesakes(name, country)
        if point and known:
            city_id, km = self._nearest(known, point)
            if km <= FAR_KM:
                return city_id
            if not ref.from_gazetteer:  # only a held city will do, and the one held is elsewhere
                return self._far(line, ref, name, km)
        if not point and known:
            chosen = self._without_point(line, ref, name, country, known, region)
            if chosen != 0:
                return chosen
            return None
        return self._new_city(line, ref, name, country, point, region)

    def _without_point(
        self, line: int, ref: CityRef, name: str, country: str, known: list[int], region: str
    ) -> int | None:
        """Of the namesakes held, the one a row without coordinates means; 0 when it is a problem (recorded)."""
        if len(known) == 1:
            return known[0]
        if region:
            inside = [i for i in known if _same_region(self.city(i).region, region)]
            if len(inside) == 1:
                return inside[0]
        first = self.city(known[0])
        if all(distance_km(first.lat, first.lon, c.lat, c.lon) <= FAR_KM for c in map(self.city, known)):
            return known[0]  # copies of one place (an old store's case copy): the first held
        partnered = [i for i in known if i in self.partnered]
        if len(partnered) == 1:
            return partnered[0]
        if not ref.db and partnered:  # a side of a partnership: the other side may settle which (see pairs)
            self.choices.append(partnered)
            return CHOICE - (len(self.choices) - 1)
        self._ambiguous(line, ref, name, country, known)
        return 0

    def _ambiguous(self, line: int, ref: CityRef, name: str, country: str, known: list[int]) -> None:
        msgid = N_("{name} names {n} cities in {country} ({which}): give the city's coordinates or its region "
                   "to say which")  # fmt: skip
        which = "; ".join(self.label(i) for i in known)
        self.report(line, ref.city, msgid, name=quoted(name), n=len(known), country=country, which=which)

    def pairs(
        self, home: np.ndarray, partner: np.ndarray, held: set[tuple[int, int]], lines: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """A partnership's sides that name namesakes, settled by the one held partnership they can make together."""
        open_ = (home <= CHOICE) | (partner <= CHOICE)
        if not open_.any():
            return home, partner
        home, partner = home.copy(), partner.copy()
        pair = np.stack([home, partner], axis=1)
        distinct, inverse = np.unique(pair[open_], axis=0, return_inverse=True)
        where = np.flatnonzero(open_)
        for k, (h, p) in enumerate(distinct.tolist()):
            sides = [self.choices[CHOICE - v] if v <= CHOICE else [v] for v in (h, p)]
            found = [(a, b) for a in sides[0] for b in sides[1] if (a, b) in held]
            rows = where[inverse.ravel() == k]
            if len(found) == 1:
                home[rows], partner[rows] = found[0]
                continue
            home[rows] = np.where(home[rows] <= CHOICE, 0, home[rows])
            partner[rows] = np.where(partner[rows] <= CHOICE, 0, partner[rows])
            for side, v in (("home_city", h), ("partner_city", p)):
                if v <= CHOICE:
                    known = self.choices[CHOICE - v]
                    first = self.city(known[0])
                    for line in lines[rows].tolist():
                        self._ambiguous(line, CityRef(side, "", ""), first.name, first.country, known)
        return home, partner

    def label(self, city_id: int) -> str:
        """A city told apart from its namesakes as pages show it: "San Juan, Tucumán" or "San Juan (-31.54, -68.54)"."""
        c = self.city(city_id)
        return f"{c.name}, {c.region}" if c.region else f"{c.name} ({c.lat:.2f}, {c.lon:.2f})"

    def _nearest(self, ids: list[int], point: tuple[float, float]) -> tuple[int, float]:
        return min(((i, distance_km(*self._where(i), *point)) for i in ids), key=lambda t: t[1])

    def _where(self, city_id: int) -> tuple[float, float]:
        c = self.city(city_id)
        return c.lat, c.lon

    def _far(self, line: int, ref: CityRef, name: str, km: float) -> None:
        msgid = N_("the file puts {name} {km} km from the {name} of that country: probably another city or another "
                   "country. Check the row")  # fmt: skip
        return self.report(line, ref.city, msgid, name=quoted(name), km=round(km))

    def _new_city(
        self, line: int, ref: CityRef, name: str, country: str, point: tuple[float, float] | None, region: str
    ) -> int | None:
        """No city held there: the gazetteer's namesake (nearest the file's point, or the largest), else the file's."""
        places = gazetteer.namesakes(name, country)
        if not ref.from_gazetteer:  # only a held city will do, but under any of its spellings (St. Charles)
            held = next((self.by_geonameid[p.geonameid] for p in places if p.geonameid in self.by_geonameid), None)
            if held is None:
                return self._unknown(line, ref, name, country)
            self._read_as(line, name, held)
            return held
        if places and point:
            place, km = gazetteer.nearest(places, *point)
            if km > FAR_KM:
                return self._from_file(line, ref, name, country, point, region, (place.name, km))
        elif places:
            inside = [p for p in places if region and _same_region(p.region, region)]
            place = max(inside or places, key=lambda p: p.population)
        elif point:
            return self._from_file(line, ref, name, country, point, region, None)
        else:
            return self._unknown(line, ref, name, country)
        return self._from_gazetteer(line, name, country, place, region)

    def _point(self, ref: CityRef, raw: dict[str, str]) -> tuple[float, float] | None:
        """The file's coordinates of a named city, when it gives both."""
        if not ref.lat:
            return None
        values = []
        for column, limit in ((ref.lat, 90), (ref.lon, 180)):
            try:
                value = convert.decimal(raw.get(column) or "")
                convert.within(value, -limit, limit)
            except convert.CellError as err:
                raise CellProblem(column, err) from None
            values.append(value)
        return (values[0], values[1]) if None not in values else None

    def _from_file(
        self, line: int, ref: CityRef, name: str, country: str, point: tuple[float, float], region: str,
        gazetteers: tuple[str, float] | None,
    ) -> int | None:  # fmt: skip
        """A city the store and gazetteer do not have there (a small town, a namesake), added where the file puts it."""
        outside = km_outside(country, *point)
        if outside is not None and outside > FAR_KM:
            part = country_of_point(*point)
            if part in countries.parts(country):  # a commune of Réunion listed under France
                msgid = N_("row {row}: the file puts {name} in {part}, a part of {country} with its own ISO code: "
                           "read as a city of {part}")  # fmt: skip
                values = {"row": line, "name": quoted(name), "part": part, "country": country}
                self.plan.warnings.append(Problem(line, ref.country, msgid, values))
                return self._identify(line, ref, name, part, point, region)
            if not in_uncoded_land(*point):  # land no ISO code names (Somaliland) may be the territory's country's
                msgid = N_("the file puts {name} {km} km outside {country}: probably another city or another "
                           "country. Check the row")  # fmt: skip
                return self.report(line, ref.city, msgid, name=quoted(name), km=round(outside), country=country)
        known = list(self.namesakes(name, country))
        city_id = self._plan_city(name, None, country, region, point, {})
        if known:
            _, km = self._nearest(known, point)
            msgid = N_("row {row}: {name} is {km} km from the {name} already known in {country}: added as another "
                       "city where the file puts it")  # fmt: skip
            values = {"row": line, "name": quoted(name), "km": round(km), "country": country}
        elif gazetteers:
            msgid = N_("row {row}: {name} is {km} km from the gazetteer's {name}: added as another city where the "
                       "file puts it")  # fmt: skip
            values = {"row": line, "name": quoted(name), "km": round(gazetteers[1])}
        else:
            msgid = N_("row {row}: {name} is not in the gazetteer; added where the file puts it")
            values = {"row": line, "name": quoted(name)}
        self.plan.warnings.append(Problem(line, "", msgid, values))
        return city_id

    def _plan_city(
        self, name: str, local: str | None, country: str, region: str, point: tuple[float, float], more: dict
    ) -> int:
        temp_id = -(len(self.plan.new_cities) + 1)
        row = {"id": temp_id, "name": name, "local_name": local, "country_code": country, "region": region or None,
               "lat": point[0], "lon": point[1], "population": None, "timezone": None, "geonameid": None,
               "wikidata": None}  # fmt: skip
        row |= more
        self.plan.new_cities.append(row)
        city = City(temp_id, name, local, country, region or None, point[0], point[1], row["geonameid"])
        self.planned[temp_id] = city
        self._index(city)
        return temp_id

    def _unknown(self, line: int, ref: CityRef, name: str, country: str) -> None:
        known = {fold(c.name): c.name for c in reversed(self.held.values()) if c.country == country}
        close = difflib.get_close_matches(fold(name), list(known), n=3, cutoff=0.7)
        hint = [known[n] for n in close] or gazetteer.suggest(name, country)
        names = ", ".join(quoted(h) for h in hint)
        self.report(line, ref.city, _no_city(ref.from_gazetteer, hint), name=quoted(name), country=country, hint=names)

    def _from_gazetteer(self, line: int, name: str, country: str, place: gazetteer.Place, region: str) -> int:
        """The id of the gazetteer's city: one we hold (under any spelling), one this file adds, or a new one.

        A name typed in another script (Волгоград) becomes the new city's local name; its
        English name comes from the gazetteer, so the English pages read "Volgograd".
        """
        held = self.by_geonameid.get(place.geonameid)
        if held is None:  # held under the gazetteer's own name, at that place
            near = [i for i in self.namesakes(place.name, country) if i > 0]
            if near:
                city_id, km = self._nearest(near, (place.lat, place.lon))
                held = city_id if km <= FAR_KM else None
        if held is not None:  # another spelling of a city we hold
            self._read_as(line, name, held)
            return held
        if place.geonameid in self.planned_places:  # another spelling of a city this file creates
            return self.planned_places[place.geonameid]
        english, local = (name, None) if is_latin(name) else (place.name, name)
        more = {"population": place.population, "timezone": place.timezone, "geonameid": place.geonameid}
        city_id = self._plan_city(english, local, country, region or place.region, (place.lat, place.lon), more)
        self.planned_places[place.geonameid] = city_id
        return city_id

    def learn(self, line: int, city: int, wikidata: str | None) -> int:
        """A city a row names with a Wikidata id it lacks takes it (a held one as a change undone with the batch)."""
        planned = self.planned.get(city)
        if wikidata and planned is not None and not planned.wikidata and wikidata not in self.planned_wikidata:
            planned.wikidata = self.plan.new_cities[-city - 1]["wikidata"] = wikidata
            self.planned_wikidata[wikidata] = city
            return city
        held = self.held.get(city)
        if wikidata and held is not None and not held.wikidata and wikidata not in self.by_wikidata:
            held.wikidata = wikidata
            self.by_wikidata[wikidata] = city
            self.plan.city_spellings.append(Change(city, {}, {"wikidata": wikidata}, line))
        return city

    def _read_as(self, line: int, name: str, held: int) -> None:
        msgid = N_("row {row}: {name} was read as the known city {known}")
        known = quoted(self.plan.city_names.get(held, name))
        self.plan.warnings.append(Problem(line, "", msgid, {"row": line, "name": quoted(name), "known": known}))
        self.keep_spelling(line, held, name)

    def keep_spelling(self, line: int, city: int, name: str) -> None:
        """A held city named in another script keeps that spelling as its local name, if it has none."""
        if is_latin(name):
            return
        local = self.local_names.get(city)
        if local is None:
            self.local_names[city] = name
            self.plan.city_spellings.append(Change(city, {}, {"local_name": name}, line))
        elif fold(local) != fold(name):
            msgid = N_("row {row}: {name} is the city {known}, which keeps its local name {local}")
            known = quoted(self.plan.city_names.get(city, name))
            self.plan.warnings.append(
                Problem(line, "", msgid, {"row": line, "name": quoted(name), "known": known, "local": quoted(local)})
            )

    def spellings_before(self, cur: duckdb.DuckDBPyConnection) -> None:
        """The full held rows of the cities given a local name (an undo restores them)."""
        ids = [c.id for c in self.plan.city_spellings]
        if not ids:
            return
        rows = cur.execute("SELECT * FROM cities WHERE id IN (SELECT unnest(?))", [ids]).fetch_arrow_table()
        held = {r["id"]: r for r in rows.to_pylist()}
        for change in self.plan.city_spellings:
            change.before = held[change.id]

    # -- rows of a cities file -------------------------------------------------------------

    def place_of(self, name: str | None, country: str | None, point: tuple[float, float] | None,
                 geonameid: int | None, wikidata: str | None = None) -> int | None:  # fmt: skip
        """The held city a cities file's row is: by Wikidata or GeoNames id, else its namesake near its point."""
        if wikidata and wikidata in self.by_wikidata:
            return self.by_wikidata[wikidata]
        if geonameid and geonameid in self.by_geonameid:
            return self.by_geonameid[geonameid]
        if not (name and country):
            return None
        known = [i for i in self.namesakes(name, country) if i > 0]
        if not known:
            return None
        if point is None:
            return known[0]
        city_id, km = self._nearest(known, point)
        return city_id if km <= FAR_KM else None


def _geonameid(cell: str) -> int | None:
    value = convert.integer(cell)
    convert.within(value, 1, 10_000_000_000)  # the cities table's own limits (specs.CITIES)
    return value


def columns(ref: CityRef) -> list[str]:
    """The template columns that say which city a reference names."""
    return [c for c in (ref.city, ref.country, ref.lat, ref.lon, ref.region, ref.geonameid, ref.wikidata) if c]


def _same_region(held: str | None, given: str) -> bool:
    """A held region and a file's region are one, however cased or accented; "Illinois" is "Illinois, US"."""
    if not held:
        return False
    a, b = fold(held), fold(given)
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def _no_city(from_gazetteer: bool, hint: list[str]) -> str:
    """The message for a city not found, with "did you mean" when there are near misses."""
    if from_gazetteer:
        msgid = (
            N_("no city {name} in {country} in the database or the gazetteer; did you mean {hint}?")
            if hint
            else N_("no city {name} in {country} in the database or the gazetteer")
        )
    else:
        msgid = (
            N_("no city {name} in {country} in the database (import it in cities first); did you mean {hint}?")
            if hint
            else N_("no city {name} in {country} in the database (import it in cities first)")
        )
    return msgid

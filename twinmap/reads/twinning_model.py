"""Which cities twin: a score learned from the world's twinnings the store holds, read part by part.

A logistic regression on a few features of a pair of cities, each one a sentence a person can
check: how far apart they are and whether abroad, how many twinnings their two countries already
share, whether they share an official language (CLDR, through Babel), the candidate's size and
the gap in size, how often the candidate twins already, and how many of the home city's partners
are twinned with it (Adamic-Adar: common partners, the rarer the stronger), and the twinnings
of the towns around the home city: with the towns around the candidate, and with its country.
Trained on every tie
of the store (the shipped Wikidata twinnings and the office's own) against cities drawn at
random from the gazetteer, with a light L2 penalty, by Newton's method (no library needed). A
pair's own tie is taken out of the counts it is judged by, so the model never learns from itself.

Measured in ``bench/bench_finder.py``: hidden ties of cities it has not seen, against simple
baselines (nearest abroad, gravity, most-twinned, partners of partners).
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
from babel import languages

from twinmap.core import geo

FEATURES = ("distance", "distance_squared", "abroad", "country_ties", "country_share", "language", "size", "size_gap",
            "degree", "ties_to_our_country", "common_partners", "region_ties", "region_country")  # fmt: skip
RADIUS_KM = 100  # "near": the cities around the home city, and around a candidate, whose ties judge the pair
NEGATIVES = 10  # gazetteer cities drawn at random per known tie, and as many more from the partner's own country
MAX_HOMES = 4000  # cities whose ties train the model (a sample of the largest networks: under 30 s)
PENALTY = 1.0


@dataclass
class Network:
    """The twinnings a model learns from: store cities and undirected ties between them (store ids)."""

    cities: pd.DataFrame  # id, geonameid, country_code, lat, lon, population
    neighbours: dict[int, set[int]] = field(default_factory=dict)
    country_pairs: Counter = field(default_factory=Counter)
    country_ties: Counter = field(default_factory=Counter)  # every tie's ends' countries, counted once per end
    toward: Counter = field(default_factory=Counter)  # (city, country): the city's ties to cities of that country
    tied_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # cities with ties and a place
    tied_xyz: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))  # their places as unit vectors
    xyz_of: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))  # by store id: a place (NaN: none)
    country_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))  # by store id
    partners_of: dict[int, np.ndarray] = field(default_factory=dict)  # a city's ties, as an array of store ids

    @classmethod
    def of(cls, cities: pd.DataFrame, edges: np.ndarray) -> Network:
        """The network of these ties (pairs of store city ids; direction and repeats do not matter)."""
        net = cls(cities.set_index("id", drop=False))
        country = net.cities["country_code"].to_dict()
        for a, b in {(min(a, b), max(a, b)) for a, b in edges.tolist() if a != b}:
            net.neighbours.setdefault(a, set()).add(b)
            net.neighbours.setdefault(b, set()).add(a)
            net.country_pairs[country_pair(country.get(a), country.get(b))] += 1
            net.country_ties[str(country.get(a))] += 1
            net.country_ties[str(country.get(b))] += 1
            net.toward[(a, str(country.get(b)))] += 1
            net.toward[(b, str(country.get(a)))] += 1
        placed = net.cities.loc[net.cities.index.isin(list(net.neighbours))].dropna(subset=["lat", "lon"])
        net.tied_ids = placed.index.to_numpy(np.int64)
        net.tied_xyz = unit_vectors(placed["lat"].to_numpy(float), placed["lon"].to_numpy(float))
        ids = net.cities.index.to_numpy(np.int64)
        size = int(ids.max()) + 1 if len(ids) else 1
        net.xyz_of = np.full((size, 3), np.nan)
        net.xyz_of[ids] = unit_vectors(net.cities["lat"].to_numpy(float), net.cities["lon"].to_numpy(float))
        net.country_of = np.full(size, "", dtype=object)
        net.country_of[ids] = net.cities["country_code"].astype(str).to_numpy()
        net.partners_of = {a: np.fromiter(ns, np.int64, len(ns)) for a, ns in net.neighbours.items()}
        return net

    def without(self, cities: set[int]) -> Network:
        """The same network with every tie of these cities taken out (a city the model must not have seen)."""
        edges = [(a, b) for a, ns in self.neighbours.items() for b in ns if a < b and a not in cities
                 and b not in cities]  # fmt: skip
        return Network.of(self.cities.reset_index(drop=True), np.array(edges or [(0, 0)]))

    def degree(self, city: int) -> int:
        """How many ties a store city has."""
        return len(self.neighbours.get(city, ()))


def country_pair(a: object, b: object) -> tuple[str, str]:
    """Two countries as an unordered pair (the key of the countries' twinning counts)."""
    a, b = str(a), str(b)
    return (a, b) if a <= b else (b, a)


def network(con: duckdb.DuckDBPyConnection) -> Network:
    """The store's twinnings: other cities' ties and the partnerships (any stage but candidates in talks)."""
    cur = con.cursor()
    cities = cur.execute("SELECT id, geonameid, country_code, lat, lon, population FROM cities").df()
    edges = cur.execute(
        """SELECT city_id, other_city_id FROM ties
           UNION ALL SELECT home_city_id, partner_city_id FROM partnerships
           WHERE status NOT IN ('candidate', 'analysis')"""
    ).fetchnumpy()
    pairs = np.column_stack([edges["city_id"], edges["other_city_id"]]) if len(edges["city_id"]) else np.zeros((0, 2))
    return Network.of(cities, pairs.astype(np.int64))


@functools.cache
def _languages(country: str) -> frozenset[str]:
    return frozenset(languages.get_official_languages(country, de_facto=True)) if country else frozenset()


def shared_language(a: str, b: str) -> str | None:
    """An official language two countries share (None when none)."""
    common = _languages(a) & _languages(b)
    return min(common) if common else None


@dataclass(frozen=True)
class Home:
    """The city partners are sought for, as the features read it."""

    lat: float
    lon: float
    population: float
    country: str
    city_id: int | None  # its store id (None: not in the store)


def features(home: Home, cand: pd.DataFrame, net: Network, store_ids: np.ndarray, own_tie: np.ndarray | None = None
             ) -> np.ndarray:  # fmt: skip
    """The features of (home, each candidate) as a matrix, one row per candidate.

    ``cand`` holds lat, lon, population and country_code; ``store_ids`` each candidate's store id
    (0 when the store does not hold it). ``own_tie`` marks pairs that are ties themselves (training):
    their tie is not counted in the figures that judge them.
    """
    n = len(cand)
    own = np.zeros(n, dtype=bool) if own_tie is None else own_tie
    km = geo_km(home.lat, home.lon, cand["lat"].to_numpy(float), cand["lon"].to_numpy(float))
    countries = cand["country_code"].astype(str).to_numpy()
    abroad = countries != home.country
    pairs = np.array([net.country_pairs.get(country_pair(home.country, c), 0) for c in countries], dtype=float) - own
    share = np.maximum(pairs, 0) / max(net.country_ties.get(home.country, 0) - own.any(), 1)
    speaks = np.array([shared_language(home.country, c) is not None for c in countries], dtype=float)
    population = np.maximum(pd.to_numeric(cand["population"], errors="coerce").fillna(20_000).to_numpy(float), 1_000)
    degree = np.array([net.degree(int(i)) for i in store_ids], dtype=float) - own
    common = common_partners(home.city_id, store_ids, net)
    toward = np.array([net.toward.get((int(i), home.country), 0) for i in store_ids], dtype=float) - own
    distance = np.log1p(km / 100)
    cand_xyz = unit_vectors(cand["lat"].to_numpy(float), cand["lon"].to_numpy(float))
    region, region_country = region_ties(home, cand_xyz, countries, net)
    return np.column_stack([
        distance, distance**2, abroad, np.log1p(np.maximum(pairs, 0)), np.log(share + 1e-3), speaks * abroad,
        np.log10(population), np.abs(np.log10(population / max(home.population, 1_000))),
        np.log1p(np.maximum(degree, 0)), np.log1p(np.maximum(toward, 0)), np.log1p(common),
        np.log1p(region), np.log1p(region_country),
    ])  # fmt: skip


def unit_vectors(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Places as points on the unit sphere (rows x 3): nearness is then one matrix product."""
    la, lo = np.radians(lats), np.radians(lons)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


_NEAR = float(np.cos(RADIUS_KM / 6371.0088))  # the cosine of the angle RADIUS_KM spans on the earth


def region_ties(home: Home, cand_xyz: np.ndarray, countries: np.ndarray, net: Network) -> tuple[np.ndarray, np.ndarray]:
    """Ties between the home city's region and each candidate's region, and toward each candidate's country.

    The region is every city within :data:`RADIUS_KM` (the home city itself left out: its own
    ties are what is sought). Twinnings cluster: the towns of one district twin with the towns of
    one department abroad, and a region's cities favour the same countries. Both figures read
    only other cities' ties, so they work for a city with no partners yet.
    """
    n = len(cand_xyz)
    if not len(net.tied_ids) or pd.isna(home.lat) or pd.isna(home.lon):
        return np.zeros(n), np.zeros(n)
    here = unit_vectors(np.array([home.lat]), np.array([home.lon]))[0]
    near = net.tied_ids[(net.tied_xyz @ here) > _NEAR]
    lists = [net.partners_of[s] for s in near.tolist() if s != home.city_id]
    partners = np.concatenate(lists) if lists else np.zeros(0, np.int64)
    partners = partners[(partners != (home.city_id if home.city_id is not None else -1)) & (partners < len(net.xyz_of))]
    points = net.xyz_of[partners]
    placed = ~np.isnan(points[:, 0])
    points, partners = points[placed], partners[placed]
    if not len(partners):
        return np.zeros(n), np.zeros(n)
    counts = np.zeros(n)
    for start in range(0, n, 4096):  # 4,096 x partners at a time: a few MB
        counts[start : start + 4096] = ((cand_xyz[start : start + 4096] @ points.T) > _NEAR).sum(axis=1)
    named, times = np.unique(net.country_of[partners].astype(str), return_counts=True)
    toward = dict(zip(named.tolist(), times.tolist(), strict=True))
    return counts, np.array([toward.get(c, 0) for c in countries], dtype=float)


def geo_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle kilometres from one point to many."""
    la1, lo1, la2, lo2 = np.radians(lat), np.radians(lon), np.radians(lats), np.radians(lons)
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * geo.EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def common_partners(city: int | None, store_ids: np.ndarray, net: Network) -> np.ndarray:
    """Adamic-Adar of the home city and each candidate: its partners' ties to the candidate, the rarer the stronger."""
    out = np.zeros(len(store_ids))
    if city is None or city not in net.neighbours:
        return out
    weight: dict[int, float] = defaultdict(float)
    for z in net.neighbours[city]:
        w = 1 / np.log(max(net.degree(z), 2))
        for c in net.neighbours.get(z, ()):
            weight[c] += w
    if weight:
        out = np.array([weight.get(int(i), 0.0) for i in store_ids])
    return out


@dataclass(frozen=True)
class Model:
    """A fitted logistic regression on standardised features: its weights, the means and spreads, what it saw."""

    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    ties: int

    def logit(self, x: np.ndarray) -> np.ndarray:
        """The score of each row (log-odds)."""
        return self.intercept + ((x - self.mean) / self.scale) @ self.coef

    def parts(self, x: np.ndarray) -> np.ndarray:
        """Each feature's push on each row's score, against a typical candidate (rows x features)."""
        return ((x - self.mean) / self.scale) * self.coef


def fit(x: np.ndarray, y: np.ndarray, ties: int, penalty: float = PENALTY) -> Model:
    """Logistic regression by Newton's method with an L2 penalty on the standardised features."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1
    z = np.column_stack([np.ones(len(x)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    ridge = np.full(z.shape[1], penalty)
    ridge[0] = 0
    for _ in range(30):
        p = 1 / (1 + np.exp(-(z @ beta)))
        grad = z.T @ (p - y) + ridge * beta
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(ridge)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return Model(beta[1:], float(beta[0]), mean, scale, ties)


def train(net: Network, world: pd.DataFrame, seed: int = 7, max_homes: int = MAX_HOMES) -> Model:
    """Learn from every tie whose ends the gazetteer holds, against random gazetteer cities."""
    rng = np.random.default_rng(seed)
    by_gid = net.cities.dropna(subset=["geonameid"]).set_index("geonameid")["id"]
    store_of = world["geonameid"].map(by_gid).fillna(0).astype(np.int64).to_numpy()
    in_world = set(int(g) for g in world["geonameid"])
    rows, labels = [], []
    cities = net.cities
    columns = ["lat", "lon", "population", "country_code"]
    world_cols = {c: world[c].to_numpy() for c in columns}
    city_cols = {c: cities[c].to_numpy() for c in columns}
    row_of = {int(i): k for k, i in enumerate(cities.index)}
    known_gid = cities["geonameid"].to_numpy()
    by_country = {c: np.flatnonzero(world_cols["country_code"] == c) for c in world["country_code"].unique()}
    homes = list(net.neighbours)
    if len(homes) > max_homes:
        homes = list(rng.choice(homes, size=max_homes, replace=False))
    for a in homes:
        k = row_of.get(int(a))
        if k is None or pd.isna(city_cols["lat"][k]):  # a city without a place
            continue
        home = Home(city_cols["lat"][k], city_cols["lon"][k], people(city_cols["population"][k]),
                    str(city_cols["country_code"][k]), a)  # fmt: skip
        known = [b for b in net.neighbours[a] if b in row_of and not pd.isna(known_gid[row_of[b]])
                 and int(known_gid[row_of[b]]) in in_world]  # fmt: skip
        if not known:
            continue
        at = np.array([row_of[b] for b in known])
        near = [rng.choice(by_country.get(str(c), np.arange(len(world))), NEGATIVES)
                for c in city_cols["country_code"][at]]  # fmt: skip
        picks = np.concatenate([rng.integers(0, len(world), NEGATIVES * len(known)), *near])
        cand = pd.DataFrame({c: np.concatenate([city_cols[c][at], world_cols[c][picks]]) for c in columns})
        own = np.zeros(len(cand), dtype=bool)
        own[: len(known)] = True  # the home city's own ties: not counted in the figures that judge them
        rows.append(features(home, cand, net, np.concatenate([np.array(known, np.int64), store_of[picks]]), own))
        labels.append(own.astype(float))
    ties = sum(len(ns) for ns in net.neighbours.values()) // 2
    if not rows:
        return Model(np.zeros(len(FEATURES)), 0.0, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), 0)
    return fit(np.vstack(rows), np.concatenate(labels), ties)


def people(value: object) -> float:
    """A stored population as a number (20,000, a typical gazetteer town, when none is recorded)."""
    return 20_000.0 if pd.isna(value) else float(value)

"""Which cities twin: a score learned from the world's twinnings the store holds, read part by part.

A choice model (a conditional logit) on a few features of a pair of cities, each one a sentence
a person can check: how far apart they are and whether abroad, how many twinnings their two
countries already share (and what share of each country's twinnings that is), whether they
share an official language (CLDR, through Babel), the candidate's size and the gap in size, how
often the candidate twins already, and how many of the home city's partners are twinned with it
(Adamic-Adar: common partners, the rarer the stronger), and the twinnings of the towns around
the home city: with the towns around the candidate, and with its country.

Each real partner is read as a choice among itself and rival cities drawn from the gazetteer
for its home city (at random, and from the partner's own country, corrected for how often each
was likely to be drawn). Each feature's part is a line with a few bends (hinges at quantiles),
so a part can rise and then level off, and a score is still the sum of its parts. Fitted by
Newton's method with a light L2 penalty (no library needed). A pair's own tie is taken out of the
counts it is judged by, so the model never learns from itself.

Measured in ``bench/bench_finder.py``: hidden ties of cities it has not seen, against simple
baselines (nearest abroad, gravity, most-twinned, partners of partners).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from babel import languages

from twinmap.core import geo

FEATURES = ("distance", "distance_squared", "abroad", "country_ties", "country_share", "share_back", "language",
            "size", "size_gap", "degree", "ties_to_our_country", "common_partners", "region_ties",
            "region_country")  # fmt: skip
RADIUS_KM = 100  # "near": the cities around the home city, and around a candidate, whose ties judge the pair
NEGATIVES = 10  # gazetteer cities drawn at random per known tie, and as many more from the partner's own country
MAX_HOMES = 4000  # cities whose ties train the model (a sample of the largest networks: under 30 s)
PENALTY = 1.0
KNOTS = 5  # where each feature's line may bend: at these many quantiles of the training candidates


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


def features(home: Home, cand: Mapping[str, Any], net: Network, store_ids: np.ndarray,
             own_tie: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """The features of (home, each candidate) as a matrix, one row per candidate.

    ``cand`` holds lat, lon, population and country_code (a frame, or plain arrays: training asks
    this for thousands of home cities, and a frame for each cost a third of it); ``store_ids`` each
    candidate's store id (0 when the store does not hold it). ``own_tie`` marks pairs that are ties
    themselves (training): their tie is not counted in the figures that judge them.
    """
    lats, lons = np.asarray(cand["lat"], dtype=float), np.asarray(cand["lon"], dtype=float)
    own = np.zeros(len(lats), dtype=bool) if own_tie is None else own_tie
    km = geo_km(home.lat, home.lon, lats, lons)
    countries = np.asarray(cand["country_code"]).astype(str)
    abroad = countries != home.country
    pairs = np.array([net.country_pairs.get(country_pair(home.country, c), 0) for c in countries], dtype=float) - own
    share = np.maximum(pairs, 0) / max(net.country_ties.get(home.country, 0) - own.any(), 1)
    theirs = np.array([net.country_ties.get(c, 0) for c in countries], dtype=float) - own
    back = np.maximum(pairs, 0) / np.maximum(theirs, 1)  # the share of the candidate's country's twinnings with ours
    speaks = np.array([shared_language(home.country, c) is not None for c in countries], dtype=float)
    population = pd.to_numeric(pd.Series(np.asarray(cand["population"])), errors="coerce").to_numpy(float)
    population = np.maximum(np.nan_to_num(population, nan=20_000), 1_000)
    degree = np.array([net.degree(int(i)) for i in store_ids], dtype=float) - own
    common = common_partners(home.city_id, store_ids, net)
    toward = np.array([net.toward.get((int(i), home.country), 0) for i in store_ids], dtype=float) - own
    distance = np.log1p(km / 100)
    cand_xyz = unit_vectors(lats, lons)
    region, region_country = region_ties(home, cand_xyz, countries, net)
    return np.column_stack([
        distance, distance**2, abroad, np.log1p(np.maximum(pairs, 0)), np.log(share + 1e-3), np.log(back + 1e-3),
        speaks * abroad,
        np.log10(population), np.abs(np.log10(population / np.maximum(home.population, 1_000))),
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
    if pd.isna(home.lat) or pd.isna(home.lon):  # a home city with no place: unknown, not none
        return np.full(n, np.nan), np.full(n, np.nan)
    if not len(net.tied_ids):
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
    """A fitted choice model: each feature's curve (a line and a few hinges), standardised, and what it saw.

    ``x`` is always the raw feature matrix (one column per :data:`FEATURES`); the model expands
    each feature into its hinges itself, so a feature's part of a score is the sum of its own
    columns and every score is the sum of its parts.
    """

    coef: np.ndarray  # per basis column
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    ties: int
    knots: tuple[tuple[float, ...], ...] = ()  # per feature: where its line bends
    span: np.ndarray = field(default_factory=lambda: np.zeros((2, len(FEATURES))))  # a feature's low and high

    def basis(self, x: np.ndarray) -> np.ndarray:
        """Each feature, then each of its hinges max(0, x - knot)."""
        return expand(x, self.knots)

    def logit(self, x: np.ndarray) -> np.ndarray:
        """The score of each row (log-odds); an unknown feature (NaN: a home city with no place) counts as typical."""
        return self.intercept + np.nan_to_num((self.basis(x) - self.mean) / self.scale) @ self.coef

    def parts(self, x: np.ndarray) -> np.ndarray:
        """Each feature's push on each row's score, against a typical candidate (rows x features; unknown: 0)."""
        pushes = np.nan_to_num((self.basis(x) - self.mean) / self.scale) * self.coef
        owner = np.concatenate([np.arange(x.shape[1])] + [np.full(len(k), j) for j, k in enumerate(self.knots)])
        out = np.zeros((len(x), x.shape[1]))
        for j in range(x.shape[1]):
            out[:, j] = pushes[:, owner == j].sum(axis=1)
        return out

    def effects(self) -> np.ndarray:
        """Per feature, how far its part moves a score from a low value to a high one (:attr:`span`), in log-odds.

        Positive: more of it makes a twinning likelier. What the page shows as "what it learned".
        """
        parts = self.parts(self.span)
        return parts[1] - parts[0]

    def to_json(self) -> str:
        """The model as JSON (what :func:`from_json` reads back: no pickle, nothing executed on load)."""
        return json.dumps({"features": list(FEATURES), "coef": self.coef.tolist(), "intercept": self.intercept,
                           "mean": self.mean.tolist(), "scale": self.scale.tolist(), "ties": self.ties,
                           "knots": [list(k) for k in self.knots], "span": self.span.tolist()})  # fmt: skip


def from_json(text: str) -> Model:
    """A model written by :meth:`Model.to_json`; ValueError when it is not one for today's features."""
    try:
        found = json.loads(text)
        if found["features"] != list(FEATURES):
            raise ValueError("not a twinning model of these features")
        knots = tuple(tuple(float(v) for v in k) for k in found["knots"])
        model = Model(np.array(found["coef"], dtype=float), float(found["intercept"]),
                      np.array(found["mean"], dtype=float), np.array(found["scale"], dtype=float),
                      int(found["ties"]), knots, np.array(found["span"], dtype=float))  # fmt: skip
    except (KeyError, TypeError, json.JSONDecodeError) as err:
        raise ValueError(f"not a twinning model: {err}") from err
    width = len(FEATURES) + sum(len(k) for k in knots)
    if len(knots) != len(FEATURES) or model.coef.shape != (width,) or model.span.shape != (2, len(FEATURES)):
        raise ValueError("not a twinning model: its shapes do not match its features")
    return model


def fingerprint(net: Network, world: pd.DataFrame) -> str:
    """What a model trained now would be fitted from, as one hash: equal hashes, the same model.

    It covers the network's ties and the cities they join, the gazetteer the rivals are drawn
    from, and this module's own code (its features, constants and seed), so a model is reused
    only where training again would give exactly it. Most commits (events, indicators, contacts)
    leave it unchanged.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes())
    cities = net.cities.sort_index()[["geonameid", "country_code", "lat", "lon", "population"]]
    digest.update(pd.util.hash_pandas_object(cities, index=True).to_numpy().tobytes())
    edges = sorted((a, b) for a, ns in net.neighbours.items() for b in ns if a < b)
    digest.update(np.array(edges, dtype=np.int64).tobytes())
    places = world[["geonameid", "country_code", "lat", "lon", "population"]]
    digest.update(pd.util.hash_pandas_object(places, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def expand(x: np.ndarray, knots: tuple[tuple[float, ...], ...]) -> np.ndarray:
    """The raw features and their hinges (a feature without knots is a straight line)."""
    hinges = [np.maximum(x[:, [j]] - np.array(k), 0) for j, k in enumerate(knots) if k]
    return np.hstack([x, *hinges]) if hinges else x


def bends(x: np.ndarray, n: int = KNOTS) -> tuple[tuple[float, ...], ...]:
    """Where each feature's line may bend: at quantiles of the training candidates, strictly inside its range."""
    out = []
    for column in x.T:
        low, high = column.min(), column.max()
        qs = np.unique(np.quantile(column, np.linspace(0.1, 0.9, n))) if len(np.unique(column)) > 2 else []
        out.append(tuple(float(q) for q in qs if low < q < high))
    return tuple(out)


def spans(x: np.ndarray) -> np.ndarray:
    """A low and a high value per feature: the smallest, and the 95th percentile (or the largest, if that is it)."""
    low, high = x.min(axis=0), np.quantile(x, 0.95, axis=0)
    return np.vstack([low, np.where(high > low, high, x.max(axis=0))])


def fit_choice(x: np.ndarray, chosen: np.ndarray, groups: np.ndarray, offset: np.ndarray | None = None,
               penalty: float = PENALTY) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """A conditional logit: each real partner chosen among itself and the cities drawn for its home city.

    The home city's own level (a busy region, a large country) cancels inside its group, so the
    weights say only what sets a partner apart from the cities it could have chosen. ``offset``
    (minus the log of how often each candidate was likely to be drawn) corrects for drawing
    some countries more often than others (McFadden's sampling of alternatives). Newton's method
    with step halving, an L2 penalty on the standardised columns. Returns weights, means, spreads.
    """
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1
    z = (x - mean) / scale
    _, g = np.unique(groups, return_inverse=True)
    pos = chosen > 0
    off = np.zeros(len(z)) if offset is None else offset
    neg = (z[~pos], g[~pos], off[~pos])
    hit = (z[pos], g[pos], off[pos])
    beta, n = np.zeros(z.shape[1]), int(g.max()) + 1
    ridge = penalty * np.eye(z.shape[1])
    for _ in range(50):
        value, grad, hess = _choice_terms(beta, neg, hit, n)
        step = np.linalg.solve(hess + ridge, grad - penalty * beta)
        t, goal = 1.0, value - 0.5 * penalty * beta @ beta
        while t > 1e-4:  # halve the step until the penalised likelihood does not fall
            trial = beta + t * step
            if _choice_terms(trial, neg, hit, n, value_only=True)[0] - 0.5 * penalty * trial @ trial >= goal:
                break
            t /= 2
        beta = beta + t * step
        if np.abs(t * step).max() < 1e-6:
            break
    return beta, mean, scale


def _choice_terms(beta: np.ndarray, neg: tuple, hit: tuple, n: int, value_only: bool = False) -> tuple:
    """The log-likelihood of the choices, its gradient and Hessian (each group's rivals summed once)."""
    (zn, gn, on), (zp, gp, op) = neg, hit
    sn, sp = zn @ beta + on, zp @ beta + op
    top = np.full(n, -np.inf)
    np.maximum.at(top, gn, sn)
    np.maximum.at(top, gp, sp)
    en, ep = np.exp(sn - top[gn]), np.exp(sp - top[gp])
    rivals = np.bincount(gn, en, n)
    denom = ep + rivals[gp]
    value = float((np.log(ep) - np.log(denom)).sum())
    if value_only:
        return value, None, None
    sums = np.column_stack([np.bincount(gn, en * zn[:, j], n) for j in range(zn.shape[1])])
    mu = (ep[:, None] * zp + sums[gp]) / denom[:, None]
    weight = en * np.bincount(gp, 1 / denom, n)[gn]
    hess = (zp * (ep / denom)[:, None]).T @ zp + (zn * weight[:, None]).T @ zn - mu.T @ mu
    return value, (zp - mu).sum(axis=0), hess


def _level(score: np.ndarray, y: np.ndarray) -> float:
    """The constant that makes the scores' mean probability the share of real partners among the drawn pairs."""
    a = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a + score)))
        step = (y.sum() - p.sum()) / max(float((p * (1 - p)).sum()), 1e-9)
        a += step
        if abs(step) < 1e-9:
            break
    return a


def train(net: Network, world: pd.DataFrame, seed: int = 7, max_homes: int = MAX_HOMES) -> Model:
    """Learn from every tie whose ends the gazetteer holds, against gazetteer cities drawn for each home city.

    For each home city: its ties, :data:`NEGATIVES` cities drawn at random from the whole
    gazetteer per tie, and as many from each partner's own country (the rivals a partner really
    beat). How often each city was likely to be drawn is kept, and the choice model corrects for it.
    """
    rng = np.random.default_rng(seed)
    draw = _Draws(world)
    by_gid = net.cities.dropna(subset=["geonameid"]).set_index("geonameid")["id"]
    store_of = world["geonameid"].map(by_gid).fillna(0).astype(np.int64).to_numpy()
    in_world = set(int(g) for g in world["geonameid"])
    cities = net.cities
    columns = ["lat", "lon", "population", "country_code"]
    city_cols = {c: cities[c].to_numpy() for c in columns}
    row_of = {int(i): k for k, i in enumerate(cities.index)}
    known_gid = cities["geonameid"].to_numpy()
    homes = sorted(net.neighbours)  # in order of id, not of reading: the same ties give the same model
    if len(homes) > max_homes:
        homes = list(rng.choice(homes, size=max_homes, replace=False))
    rows, labels, groups, rates = [], [], [], []
    for a in homes:
        k = row_of.get(int(a))
        if k is None or pd.isna(city_cols["lat"][k]):  # a city without a place
            continue
        home = Home(city_cols["lat"][k], city_cols["lon"][k], people(city_cols["population"][k]),
                    str(city_cols["country_code"][k]), a)  # fmt: skip
        known = [b for b in sorted(net.neighbours[a]) if b in row_of and not pd.isna(known_gid[row_of[b]])
                 and int(known_gid[row_of[b]]) in in_world]  # fmt: skip
        if not known:
            continue
        at = np.array([row_of[b] for b in known])
        picks, rate = draw.rivals(rng, city_cols["country_code"][at].astype(str))
        cand = {c: np.concatenate([city_cols[c][at], draw.cols[c][picks]]) for c in columns}
        own = np.zeros(len(cand["lat"]), dtype=bool)
        own[: len(known)] = True  # the home city's own ties: not counted in the figures that judge them
        rows.append(features(home, cand, net, np.concatenate([np.array(known, np.int64), store_of[picks]]), own))
        labels.append(own.astype(float))
        groups.append(np.full(len(own), len(groups)))
        rates.append(rate(cand["country_code"].astype(str)))
    ties = sum(len(ns) for ns in net.neighbours.values()) // 2
    if not rows:
        return Model(np.zeros(len(FEATURES)), 0.0, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), 0,
                     tuple(() for _ in FEATURES))  # fmt: skip
    x, y = np.vstack(rows), np.concatenate(labels)
    knots = bends(x)
    coef, mean, scale = fit_choice(expand(x, knots), y, np.concatenate(groups), -np.log(np.concatenate(rates)))
    score = ((expand(x, knots) - mean) / scale) @ coef
    return Model(coef, _level(score, y), mean, scale, ties, knots, spans(x))


class _Draws:
    """The gazetteer as the training draws rivals from it, and how often a city of each country is drawn."""

    def __init__(self, world: pd.DataFrame) -> None:
        self.cols = {c: world[c].to_numpy() for c in ("lat", "lon", "population", "country_code")}
        self.codes, where = np.unique(self.cols["country_code"].astype(str), return_inverse=True)
        self.sizes = np.bincount(where, minlength=len(self.codes))
        self.members = [np.flatnonzero(where == i) for i in range(len(self.codes))]

    def rivals(self, rng: np.random.Generator, partner_countries: np.ndarray) -> tuple[np.ndarray, Callable]:
        """Cities drawn for one home city, and a function giving any city's expected draws by its country."""
        n = len(partner_countries)
        everywhere = len(self.cols["lat"])
        picks = [rng.integers(0, everywhere, NEGATIVES * n)]
        per_city = np.full(len(self.codes), NEGATIVES * n / everywhere)
        found = np.searchsorted(self.codes, partner_countries).clip(0, len(self.codes) - 1)
        for i in found[self.codes[found] == partner_countries]:
            picks.append(self.members[i][rng.integers(0, self.sizes[i], NEGATIVES)])
            per_city[i] += NEGATIVES / self.sizes[i]

        def rate(countries: np.ndarray) -> np.ndarray:
            at = np.searchsorted(self.codes, countries).clip(0, len(self.codes) - 1)
            return np.where(self.codes[at] == countries, per_city[at], NEGATIVES * n / everywhere)

        return np.concatenate(picks), rate


def people(value: object) -> float:
    """A stored population as a number (20,000, a typical gazetteer town, when none is recorded)."""
    return 20_000.0 if pd.isna(value) else float(value)

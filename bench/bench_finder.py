"""How often the partner finder puts a city's real partners near the top, on ties it has not seen.

    python bench/bench_finder.py                 # the shipped store (Wikidata's twinnings), 200 cities
    python bench/bench_finder.py --db STORE --cities 50

Cross-validation by city: the store's cities with three or more ties to gazetteer cities are
sampled and split into five folds. For each fold the model is trained again without those
cities' ties (cold: the city has no partners yet) or without half of each one's ties (warm: the
other half are its partnerships), and each city's hidden partners are looked for among the
gazetteer's 34,000 cities. Printed for the finder and for simple baselines in the same run:
recall@25 and recall@50 (share of hidden partners in the top 25 / 50) and the mean reciprocal
rank of the first hidden partner found, and the time one ranking of the whole gazetteer takes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twinmap.ingest import seed  # noqa: E402
from twinmap.reads import finder  # noqa: E402
from twinmap.reads import twinning_model as tm  # noqa: E402

BASELINES = ("random", "nearest", "nearest_abroad", "gravity", "gravity_abroad", "most_twinned", "adamic_adar")


def scores(method: str, home: tm.Home, world: pd.DataFrame, net: tm.Network, store_ids: np.ndarray,
           model: tm.Model | None, rng: np.random.Generator) -> np.ndarray:  # fmt: skip
    """Every gazetteer city's score for ``home`` by one method (higher first)."""
    lat, lon = world["lat"].to_numpy(float), world["lon"].to_numpy(float)
    km = np.maximum(tm.geo_km(home.lat, home.lon, lat, lon), 1)
    abroad = world["country_code"].to_numpy() != home.country
    pop = np.maximum(world["population"].to_numpy(float), 1)
    if method == "finder":
        return model.logit(tm.features(home, world, net, store_ids))
    if method == "random":
        return rng.random(len(world))
    if method.startswith("nearest"):
        base = -km
    elif method.startswith("gravity"):
        base = np.log(pop) - 2 * np.log(km)
    elif method == "most_twinned":
        return np.array([net.degree(int(i)) for i in store_ids], dtype=float) + rng.random(len(world)) * 1e-3
    else:  # adamic_adar
        return tm.common_partners(home.city_id, store_ids, net) + rng.random(len(world)) * 1e-3
    return np.where(abroad, base, base - 1e6) if method.endswith("abroad") else base


def evaluate(con, n_cities: int, seed: int, methods: tuple[str, ...], max_homes: int = tm.MAX_HOMES
             ) -> dict[str, dict[str, list[float]]]:  # fmt: skip
    """Hidden partners' ranks per mode (cold, warm) and method."""
    rng = np.random.default_rng(seed)
    net = tm.network(con)
    world = finder.world().reset_index(drop=True)
    by_gid = net.cities.dropna(subset=["geonameid"]).set_index("geonameid")["id"]
    store_ids = world["geonameid"].map(by_gid).fillna(0).astype(np.int64).to_numpy()
    position = {int(s): i for i, s in enumerate(store_ids) if s}
    eligible = [c for c, ns in net.neighbours.items() if c in position and sum(b in position for b in ns) >= 3]
    chosen = list(rng.choice(eligible, size=min(n_cities, len(eligible)), replace=False))
    folds = [chosen[i::5] for i in range(5)]
    out: dict[str, dict[str, list]] = {mode: {m: [] for m in methods} for mode in ("cold", "warm")}
    out["timing"] = {"rank": [], "train": []}
    for fold in folds:
        for mode in ("cold", "warm"):
            hidden = {c: [b for b in net.neighbours[c] if b in position] for c in fold}
            if mode == "warm":
                hidden = {c: list(rng.permutation(bs))[: len(bs) // 2 or 1] for c, bs in hidden.items()}
            keep = [(a, b) for a, ns in net.neighbours.items() for b in ns if a < b and not (
                (a in hidden and b in hidden[a]) or (b in hidden and a in hidden[b]))]  # fmt: skip
            train_net = tm.Network.of(net.cities.reset_index(drop=True), np.array(keep))
            began = time.perf_counter()
            model = tm.train(train_net, world, max_homes=max_homes) if "finder" in methods else None
            out["timing"]["train"].append(time.perf_counter() - began)
            for city, targets in hidden.items():
                row = net.cities.loc[city]
                home = tm.Home(row["lat"], row["lon"], tm.people(row["population"]), str(row["country_code"]), city)
                known = train_net.neighbours.get(city, set()) | {city}
                excluded = np.array([position[k] for k in known if k in position])
                wanted = np.array([position[t] for t in targets])
                for method in methods:
                    began = time.perf_counter()
                    s = scores(method, home, world, train_net, store_ids, model, rng).astype(float)
                    if method == "finder":
                        out["timing"]["rank"].append(time.perf_counter() - began)
                    s[excluded] = -np.inf  # never offered: itself and what it already has
                    ranks = [1 + int((s > s[w]).sum()) for w in wanted]
                    out[mode][method].append(ranks)
    return out


def summary(ranks: list[list[int]]) -> tuple[float, float, float]:
    """Recall@25, recall@50 (pooled over hidden partners) and the mean reciprocal rank of each city's first."""
    flat = np.array([r for city in ranks for r in city])
    first = np.array([min(city) for city in ranks])
    return 100 * (flat <= 25).mean(), 100 * (flat <= 50).mean(), float((1 / first).mean())


def main() -> int:
    """Evaluate the finder and the baselines; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a store (default: the shipped data, built in a temporary folder)")
    parser.add_argument("--cities", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--max-homes", type=int, default=tm.MAX_HOMES, help="cities whose ties train each model")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        con = seed.connect(args.db or Path(tmp) / "shipped.duckdb")
        found = evaluate(con, args.cities, args.seed, ("finder", *BASELINES), args.max_homes)
        con.close()
    for mode in ("cold", "warm"):
        for method, ranks in found[mode].items():
            r25, r50, mrr = summary(ranks)
            print(f"finder_{mode}_{method}_recall25: {r25:.1f} %")
            print(f"finder_{mode}_{method}_recall50: {r50:.1f} %")
            print(f"finder_{mode}_{method}_mrr: {mrr:.3f} mrr")
    print(f"finder_rank_seconds: {np.median(found['timing']['rank']):.3f} s")
    print(f"finder_train_seconds: {np.median(found['timing']['train']):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

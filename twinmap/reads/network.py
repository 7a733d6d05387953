"""The twinning network: our partnerships plus other cities' ties, as a graph of cities.

Edges are undirected: a partnership (one of our home cities and its partner) or a tie between
two other cities recorded for this view. Private stages are left out unless asked for, as in
every other read.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from twinmap.core import reference

_EDGES_SQL = """
SELECT p.home_city_id AS a, p.partner_city_id AS b, 'partnership' AS kind, p.status
FROM partnerships p WHERE (NOT list_contains($hidden::VARCHAR[], p.status) OR $open_all
                           OR list_contains($private_homes::INTEGER[], p.home_city_id))
                     AND NOT list_contains($ended, p.status)
UNION ALL
SELECT city_id, other_city_id, 'tie', NULL FROM ties
"""


def edges(
    con: duckdb.DuckDBPyConnection, include_private: bool = False, private_homes: tuple[int, ...] = ()
) -> pd.DataFrame:
    """Every link, with both cities' names and positions (private stages: of ``private_homes`` only, when given)."""
    params = {"hidden": sorted(reference.PRIVATE_STATUSES), "open_all": include_private and not private_homes,
              "private_homes": list(private_homes) if include_private else [],
              "ended": list(reference.ENDED_STATUSES)}  # fmt: skip
    sql = f"""SELECT e.*, ca.name AS a_name, ca.country_code AS a_country, ca.lat AS a_lat, ca.lon AS a_lon,
                     cb.name AS b_name, cb.country_code AS b_country, cb.lat AS b_lat, cb.lon AS b_lon
              FROM ({_EDGES_SQL}) e JOIN city_names ca ON ca.id = e.a JOIN city_names cb ON cb.id = e.b"""
    return con.cursor().execute(sql, params).df()


def around(frame: pd.DataFrame, home_ids: set[int]) -> pd.DataFrame:
    """Our links and our partners' own links: the part of the network the home cities touch."""
    mine = frame[frame["a"].isin(home_ids) | frame["b"].isin(home_ids)]
    near = set(mine["a"]) | set(mine["b"])
    return frame[frame["a"].isin(near) | frame["b"].isin(near)]


def degrees(frame: pd.DataFrame, home_ids: set[int]) -> pd.DataFrame:
    """Cities with their number of twin cities (distinct neighbours), most connected first."""
    ends = pd.concat(
        [
            frame[["a", "b", "a_name", "a_country", "a_lat", "a_lon"]].set_axis(
                ["id", "other", "name", "country", "lat", "lon"], axis=1
            ),
            frame[["b", "a", "b_name", "b_country", "b_lat", "b_lon"]].set_axis(
                ["id", "other", "name", "country", "lat", "lon"], axis=1
            ),
        ]
    )
    out = ends.groupby(["id", "name", "country", "lat", "lon"], as_index=False).agg(degree=("other", "nunique"))
    out["is_home"] = out["id"].isin(home_ids)
    return out.sort_values(["degree", "name"], ascending=[False, True]).reset_index(drop=True)


def partners_of_partners(frame: pd.DataFrame, home_ids: set[int]) -> pd.DataFrame:
    """(home city, our partner, the partner's own partner) where the last is not already ours."""
    links = pd.concat([frame[["a", "b"]], frame[["b", "a"]].set_axis(["a", "b"], axis=1)]).drop_duplicates()
    names = dict(zip(frame["a"], frame["a_name"], strict=True)) | dict(zip(frame["b"], frame["b_name"], strict=True))
    countries = dict(zip(frame["a"], frame["a_country"], strict=True)) | dict(
        zip(frame["b"], frame["b_country"], strict=True)
    )
    ours = links[links["a"].isin(home_ids)].rename(columns={"a": "home", "b": "partner"})
    second = ours.merge(links.rename(columns={"a": "partner", "b": "second"}), on="partner")
    second = second[second["second"] != second["home"]]
    direct = ours.rename(columns={"partner": "second"}).assign(direct=True)  # already ours: not a second partner
    second = second.merge(direct, on=["home", "second"], how="left")
    second = second[second["direct"].isna()]
    return (
        pd.DataFrame(
            {
                "home": second["home"].map(names),
                "partner": second["partner"].map(names),
                "second": second["second"].map(names),
                "second_country": second["second"].map(countries),
            }
        )
        .sort_values(["home", "partner", "second"])
        .reset_index(drop=True)
    )


def shared_partners(frame: pd.DataFrame, home_ids: set[int]) -> pd.DataFrame:
    """Partner cities that two or more of our home cities share, with those home cities."""
    ours = frame[(frame["kind"] == "partnership") & frame["a"].isin(home_ids)]
    grouped = ours.groupby(["b", "b_name", "b_country"], as_index=False).agg(
        homes=("a_name", lambda s: sorted(set(s))), n=("a", "nunique")
    )
    return grouped[grouped["n"] >= 2].sort_values(["n", "b_name"], ascending=[False, True]).reset_index(drop=True)

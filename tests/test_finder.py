"""Partner finder: learned from the store's twinnings, explained in words, never offering what exists."""

from __future__ import annotations

import numpy as np
import pytest

from twinmap.ingest import batches, importer
from twinmap.reads import finder
from twinmap.reads import twinning_model as tm
from twinmap.views import cards
from twinmap.views.i18n import Translator


def _city(con, name: str) -> int:
    return con.execute("SELECT id FROM cities WHERE name = ?", [name]).fetchone()[0]


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    """This module's own cache folder: its models are trained here, not read from another test's."""
    return tmp_path_factory.mktemp("kept-models")


@pytest.fixture(scope="module")
def learned(shipped_db, kept):
    """The model of the shipped store (its 9,902 Wikidata twinnings and the demo's), trained once."""
    from twinmap.ingest import seed

    con = seed.connect(shipped_db)
    try:
        yield finder.learn(con, kept)
    finally:
        con.close()


def test_coastal_distances_of_known_cities():
    km = finder.coast_km(np.array([36.56, 35.69, 42.46, 43.65]), np.array([53.06, 51.42, 14.21, 51.17]))
    sari, tehran, pescara, aktau = km
    assert 15 < sari < 35  # Sari lies about 25 km inland from the Caspian shore
    assert tehran > 90 and pescara < 5 and aktau < 10


def test_the_model_learns_what_twinnings_show(learned):
    effect = dict(zip(tm.FEATURES, learned.model.effects(), strict=True))
    assert learned.ties > 9_000
    assert effect["abroad"] > 0 and effect["country_share"] > 0  # partners are abroad, in countries already twinned
    assert effect["distance"] + effect["distance_squared"] < 0  # and nearer rather than farther
    assert learned.trained_at is not None
    grouped = dict(finder.effects(learned.model))  # as the page shows it: each quantity once, its readings together
    assert set(grouped) == set(tm.FEATURES) - {"distance_squared", "country_share", "share_back"}
    assert grouped["country_ties"] == pytest.approx(effect["country_ties"] + effect["country_share"]
                                                    + effect["share_back"]) and grouped["country_ties"] > 0  # fmt: skip


def test_a_score_is_the_sum_of_its_parts(con, learned):
    ranked = finder.rank(con, _city(con, "Sari"), finder.Weights(), limit=50, learned=learned)
    pushes = ranked[[f"p_{f}" for f in tm.FEATURES]].sum(axis=1).to_numpy()
    logit = np.log(ranked["score"] / (100 - ranked["score"])).to_numpy()
    assert np.allclose(pushes + learned.model.intercept, logit, atol=1e-6)


def _choices(rng, weights, homes=3000, drawn=20, favoured=0.0):
    """Simulated choices: each home picks one of 200 rivals by a known utility; some rivals are drawn more often."""
    x = rng.normal(size=(homes, 200, len(weights)))
    utility = x @ weights
    pick = (utility + rng.gumbel(size=utility.shape)).argmax(axis=1)
    rows, chosen, groups, offset = [], [], [], []
    for h in range(homes):
        odds = np.exp(favoured * (x[h, :, 0] > 0))  # rivals with a high first feature drawn more often
        q = odds / odds.sum()
        others = rng.choice(np.delete(np.arange(200), pick[h]), drawn, replace=False, p=np.delete(q, pick[h]) /
                            np.delete(q, pick[h]).sum())  # fmt: skip
        at = np.concatenate([[pick[h]], others])
        rows.append(x[h, at])
        chosen.append(np.arange(len(at)) == 0)
        groups.append(np.full(len(at), h))
        offset.append(-np.log(q[at]))
    return np.vstack(rows), np.concatenate(chosen), np.concatenate(groups), np.concatenate(offset)


def test_the_choice_model_recovers_known_weights_and_corrects_for_favoured_draws():
    rng = np.random.default_rng(3)
    truth = np.array([1.0, -0.5])
    x, chosen, groups, offset = _choices(rng, truth, favoured=1.5)
    beta, _mean, scale = tm.fit_choice(x, chosen, groups, offset, penalty=0.01)
    assert np.allclose(beta / scale, truth, atol=0.1)  # back to the raw features' scale
    naive, _mean, scale = tm.fit_choice(x, chosen, groups, None, penalty=0.01)
    assert naive[0] / scale[0] < truth[0] - 0.3  # not corrected: rivals drawn for a high first feature hide it


def test_a_partner_abroad_that_shares_a_language_ranks_above_a_domestic_town_of_its_size(con, learned):
    # A new Austrian home city with no partners yet: German towns (abroad, German spoken, Austria and Germany
    # twinned hundreds of times) above an Austrian town of the same size next door.
    row = b"name,country_code,lat,lon,population\nNeuhausen am Inn,AT,48.25,13.05,60000\n"
    batches.commit(con, importer.plan_import(con, row, "c.csv", "cities"), "tester")
    ranked = finder.rank(con, _city(con, "Neuhausen am Inn"), finder.Weights(), limit=40_000, learned=learned)
    order = list(ranked["name"])
    assert order.index("Rosenheim") < order.index("Villach")  # both about 60,000; Villach is in Austria
    top = ranked.head(50)
    assert (top["country_code"] != "AT").mean() > 0.8  # abroad, as real partners are


def test_existing_partners_and_ties_are_never_offered_and_are_listed_apart(con, learned):
    sari = _city(con, "Sari")
    ranked = finder.rank(con, sari, finder.Weights(), limit=40_000, learned=learned)
    assert not {"Sari", "Astrakhan", "Aktau", "Montesilvano"} & set(ranked["name"])
    assert {"Astrakhan", "Aktau", "Montesilvano"} <= set(finder.already(con, sari, learned)["name"])


def test_every_suggestion_says_what_raised_and_lowered_it(con, learned):
    ranked = finder.rank(con, _city(con, "Sari"), finder.Weights(coast=3), themes=("tourism",), limit=5,
                         learned=learned)  # fmt: skip
    top = ranked.iloc[0].to_dict()
    parts = finder.explain(top, finder.Weights(coast=3))
    said = {m[-1] if isinstance(m, tuple) else m for m, _v, _p in parts}
    assert said >= {"{km} km away", "the two countries already share {n} twinnings"}
    assert parts[-1][0] == finder.PARTS["coast"]  # the user's tilt, after the learned parts
    raised = cards.finder_reasons(top, finder.Weights(coast=3), Translator("en"), raised=True)
    assert raised and "{" not in raised
    fa = cards.finder_reasons(top, finder.Weights(coast=3), Translator("fa"), raised=True)
    assert fa != raised


def test_a_home_city_with_no_place_or_a_store_without_ties_still_ranks(con):
    from twinmap.store import db

    with db.write_transaction(con) as cur:
        cur.execute("DELETE FROM ties")
    bare = finder.learn(con)
    sari = _city(con, "Sari")
    ranked = finder.rank(con, sari, finder.Weights(), limit=10, learned=bare)
    assert len(ranked) == 10 and finder.unusable(con, sari) == []
    with db.write_transaction(con) as cur:
        cur.execute("UPDATE cities SET population = NULL WHERE id = ?", [sari])
    assert len(finder.rank(con, sari, finder.Weights(size=3), limit=10, learned=bare)) == 10
    assert finder.unusable(con, sari) == ["size_gap"]
    # A home with no place (the store requires one; a gazetteer row may lack it): ranked on what is known
    world = finder.world().head(500)
    x = tm.features(tm.Home(np.nan, np.nan, np.nan, "IR", None), world, bare.net, np.zeros(500, np.int64))
    scores = bare.model.logit(x)
    assert np.isfinite(scores).all() and np.ptp(scores) > 0  # countries and sizes still tell cities apart
    row = {f"x_{f}": v for f, v in zip(tm.FEATURES, x[0], strict=True)}
    row |= {f"p_{f}": v for f, v in zip(tm.FEATURES, bare.model.parts(x)[0], strict=True)}
    row |= {"distance_km": np.nan, "pair_ties": 3, "population": 50_000, "degree": 0, "our_country_ties": 0,
            "common_partners": 0, "region_ties": np.nan, "region_country": np.nan}  # fmt: skip
    said = [m[-1] if isinstance(m, tuple) else m for m, _v, _p in finder.explain(row, finder.Weights())]
    assert "{km} km away" not in said and "the two countries already share {n} twinnings" in said
    one = cards.finder_reasons({**row, "p_country_ties": 1.0, "pair_ties": 1}, finder.Weights(), Translator("en"))
    assert "the two countries already share 1 twinning" in one and "1 twinnings" not in one


def test_the_towns_around_a_new_city_show_where_its_region_twins():
    # Two new candidate towns abroad, alike in every way but one: the towns around the home city are
    # twinned with towns around the first. The home city itself has no partners.
    cities = [(1, 100, "DE", 52.0, 10.0), (2, 101, "DE", 52.3, 10.2), (3, 102, "DE", 51.8, 9.8),  # home, two near
              (4, 103, "FR", 48.1, -1.6), (5, 104, "FR", 48.2, -1.5),  # near the first candidate
              (6, 105, "FR", 43.6, 1.4), (7, 106, "FR", 43.3, 5.4)]  # fmt: skip
    frame = __import__("pandas").DataFrame(cities, columns=["id", "geonameid", "country_code", "lat", "lon"])
    frame["population"] = 50_000
    net = tm.Network.of(frame, np.array([(2, 4), (3, 5), (6, 7)]))
    home = tm.Home(52.0, 10.0, 50_000, "DE", 1)
    cand = frame.loc[[4, 5], ["lat", "lon", "population", "country_code"]].copy()
    cand[["lat", "lon"]] = [(48.11, -1.68), (43.61, 1.44)]  # Rennes-like and Toulouse-like, both in France
    x = tm.features(home, cand, net, np.array([0, 0]))
    region = x[:, tm.FEATURES.index("region_ties")]
    assert round(np.expm1(region[0])) == 2 and region[1] == 0  # two ties join the two regions; none the other
    toward = np.rint(np.expm1(x[:, tm.FEATURES.index("region_country")]))
    assert toward.tolist() == [2, 2]  # both are in the country the region twins with


def test_a_trained_model_is_kept_by_what_it_learned_from_and_trained_again_when_that_changes(con, learned, kept,
                                                                                           caplog):  # fmt: skip
    """The same ties read the kept model back (its training time too); a new tie or a damaged file trains anew."""
    files = sorted(kept.glob("finder-model-*.json"))
    assert len(files) == 1
    again = finder.learn(con, kept)  # the crafted store of this test is a copy of the shipped one
    assert again.trained_at == learned.trained_at
    np.testing.assert_array_equal(again.model.coef, learned.model.coef)
    assert again.model.knots == learned.model.knots and again.ties == learned.ties
    home = _city(con, "Sari")
    top = finder.rank(con, home, finder.Weights(), learned=again)
    assert list(top["name"]) == list(finder.rank(con, home, finder.Weights(), learned=learned)["name"])

    con.execute("INSERT INTO events (partnership_id, starts_on, kind, title, status) SELECT min(id), DATE '2026-01-05', "
                "'visit', 'A visit', 'held' FROM partnerships")  # fmt: skip
    assert finder.learn(con, kept).trained_at == learned.trained_at  # an event is not a twinning: kept

    rome, paris = _city(con, "Rome"), _city(con, "Paris")
    con.execute("DELETE FROM ties WHERE (city_id = ? AND other_city_id = ?) OR (city_id = ? AND other_city_id = ?)",
                [rome, paris, paris, rome])  # fmt: skip
    changed = finder.learn(con, kept)
    assert changed.ties == learned.ties - 1 and len(list(kept.glob("finder-model-*.json"))) == 2

    files[0].write_text("{not json", encoding="utf-8")
    con.execute("INSERT INTO ties (city_id, other_city_id) VALUES (?, ?)", [rome, paris])
    with caplog.at_level("WARNING"):
        retrained = finder.learn(con, kept)
    assert "is not used" in caplog.text
    np.testing.assert_array_equal(retrained.model.coef, learned.model.coef)  # the same ties, the same model
    assert tm.from_json(learned.model.to_json()).effects().tolist() == learned.model.effects().tolist()
    with pytest.raises(ValueError, match="not a twinning model"):
        tm.from_json('{"features": []}')

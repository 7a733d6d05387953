"""Partner finder: a hand-checked ranking for Sari, and the explanation of a score."""

import numpy as np

from twinmap.reads import finder


def _sari(con):
    return con.execute("SELECT id FROM cities WHERE name = 'Sari'").fetchone()[0]


def test_coastal_distances_of_known_cities():
    km = finder.coast_km(np.array([36.56, 35.69, 42.46, 43.65]), np.array([53.06, 51.42, 14.21, 51.17]))
    sari, tehran, pescara, aktau = km
    assert 15 < sari < 35  # Sari lies about 25 km inland from the Caspian shore
    assert tehran > 90 and pescara < 5 and aktau < 10


def test_sari_ranks_coastal_cities_of_its_size_above_an_inland_megacity(con):
    weights = finder.Weights(size=3, coast=3, climate=0, themes=0, distance=0, ties=0)
    ranked = finder.rank(con, _sari(con), weights, limit=40_000)
    order = list(ranked["name"])
    # Pescara (Adriatic, 120,000) and Atyrau (Caspian, 290,000) against Tehran (inland, 7 million).
    assert order.index("Pescara") < order.index("Tehran")
    assert order.index("Atyrau") < order.index("Tehran")
    assert ranked.iloc[0]["score"] > 95 and ranked.set_index("name").loc["Tehran", "score"] < 40
    assert not {"Sari", "Astrakhan", "Aktau", "Montesilvano"} & set(order)  # itself and its partners are left out


def test_ties_and_the_explanation_add_up_to_the_score(con):
    weights = finder.Weights(size=1, coast=1, climate=1, themes=1, distance=1, ties=5)
    ranked = finder.rank(con, _sari(con), weights, themes=("tourism",), limit=5)
    top = ranked.iloc[0].to_dict()
    assert top["partner_of_partner"]  # a partner of Astrakhan or Aktau (Baku, Atyrau) rises to the top
    parts = finder.explain(top, weights)
    assert abs(sum(points for *_, points in parts) - top["score"]) < 0.5
    assert parts[-1][0] == "twinned with one of our partners"

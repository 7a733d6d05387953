"""Register: completeness names what an agreement still lacks."""

import datetime as dt

import pandas as pd

from twinmap.reads import queries, register

FULL = {"partner_name": "Aktau", "purpose": "p", "programmes": "p", "obligations_home": "o",
        "obligations_partner": "o", "expected_results": "r", "success_indicators": "s", "n_targets": 1,
        "signed_on": dt.date(2018, 9, 12), "valid_until": dt.date(2027, 3, 31), "home_contacts": 1,
        "partner_contacts": 2, "n_agreements": 1}  # fmt: skip


def test_a_complete_agreement_scores_100():
    assert register.completeness(FULL) == (100, [])


def test_each_missing_element_costs_an_eleventh_and_is_named():
    row = {**FULL, "purpose": "  ", "valid_until": pd.NaT, "partner_contacts": 0, "n_targets": 0, "n_agreements": 0}
    assert register.completeness(row) == (55, ["purpose", "targets", "term", "contacts", "agreement_file"])


def test_the_register_of_the_shipped_data(con):
    frame = register.table(con, queries.PartnershipFilter(include_private=True), dt.date(2026, 11, 23))
    by_partner = frame.set_index("partner_name")
    assert by_partner.loc["Aktau", "completeness"] == 91  # every element but the signed document itself
    assert by_partner.loc["Aktau", "missing"] == ["agreement_file"]
    # The article gives Astrakhan's purpose and month of signing, nothing else of the agreement.
    assert "purpose" not in by_partner.loc["Astrakhan", "missing"] and "term" in by_partner.loc["Astrakhan", "missing"]
    assert by_partner.loc["Astrakhan", "klass"] == "alive"
    assert by_partner.loc["Trabzon", "klass"] == "inactive"
    assert pd.isna(by_partner.loc["Lankaran", "score"])  # no agreement yet: not assessed
    assert str(by_partner.loc["Lankaran", "entered_on"].date()) == "2026-09-01"

"""Country cells as lists write them: one table of forms, and the rules for what is not a plain name."""

import pytest

from twinmap.ingest import convert, countries

# (as written, code, region kept, note: the reading a warning names)
FORMS = [
    ("England, United Kingdom", "GB", "England", ""), ("Scotland, United Kingdom", "GB", "Scotland", ""),
    ("Wales, UK", "GB", "Wales", ""), ("Northern Ireland, United Kingdom", "GB", "Northern Ireland", ""),
    ("Brandenburg, Germany", "DE", "Brandenburg", ""), ("Paris, France", "FR", "Paris", ""),
    ("Washington, D.C., United States", "US", "Washington, D.C.", ""),
    ("Korea, Republic of", "KR", "", ""), ("Iran, Islamic Republic of", "IR", "", ""),
    ("Mazandaran، ایران", "IR", "Mazandaran", ""),
    ("Grece", "GR", "", "Grece"), ("Madagaskar", "MG", "", "Madagaskar"), ("Kazakhstah", "KZ", "", "Kazakhstah"),
    ("Bosnia and Hercegovina", "BA", "", "Bosnia and Hercegovina"), ("Argentinia", "AR", "", "Argentinia"),
    ("Kosovo", "XK", "", ""), ("Palestine", "PS", "", ""), ("State of Palestine", "PS", "", ""),
    ("Western Sahara", "EH", "", ""), ("Northern Cyprus", "CY", "", "Northern Cyprus"),
    ("Turkish Republic of Northern Cyprus", "CY", "", "Turkish Republic of Northern Cyprus"),
    ("Abkhazia", "GE", "", "Abkhazia"), ("Transnistria", "MD", "", "Transnistria"),
]  # fmt: skip


@pytest.mark.parametrize(("written", "code", "region", "note"), FORMS)
def test_a_country_cell_reads_as_lists_write_it(written, code, region, note):
    found = convert.country_reading(written)
    assert (found.code, found.region, found.note) == (code, region, note)


def test_a_region_that_is_itself_a_country_leaves_both_as_candidates():
    assert convert.country_reading("Réunion, France").candidates == ("FR", "RE")
    assert convert.country_reading("Georgia, United States").candidates == ("US", "GE")


@pytest.mark.parametrize(("written", "why"), [
    ("Austrlia", "as close to AT, AU"), ("Nigera", "as close to NE, NG"), ("Atlantis", "is not a country"),
    ("Yugoslavia", "several of today's countries"), ("Sydney, Austrlia", "is not a country"),
])  # fmt: skip
def test_a_cell_no_rule_reads_is_refused_saying_why(written, why):
    with pytest.raises(convert.CellError) as err:
        convert.country_reading(written)
    assert why in err.value.msgid.format(**err.value.values)


def test_overseas_parts_are_read_off_iso_3166_2():
    assert {"RE", "GP", "MQ", "YT", "NC", "PF"} <= countries.parts("FR")
    assert {"PR", "GU", "VI"} <= countries.parts("US") and "GE" not in countries.parts("US")  # Georgia is a state
    assert countries.parts("DE") == frozenset()

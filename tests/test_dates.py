import datetime as dt

import pytest

from twinmap.core import dates

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2014-05-21", D(2014, 5, 21), D(2014, 5, 21), "day"),
        ("21.05.2014", D(2014, 5, 21), D(2014, 5, 21), "day"),
        ("2014-05", D(2014, 5, 1), D(2014, 5, 31), "month"),
        ("2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
        ("May 2014", D(2014, 5, 1), D(2014, 5, 31), "month"),
        # The sources' dates: Solar Hijri months, not Gregorian ones.
        ("1393/02", D(2014, 4, 21), D(2014, 5, 21), "jmonth"),
        ("Ordibehesht 1393", D(2014, 4, 21), D(2014, 5, 21), "jmonth"),
        ("اردیبهشت ۱۳۹۳", D(2014, 4, 21), D(2014, 5, 21), "jmonth"),
        ("1395/05", D(2016, 7, 22), D(2016, 8, 21), "jmonth"),
        ("۱۳۹۵/۰۵", D(2016, 7, 22), D(2016, 8, 21), "jmonth"),
        ("1393/02/31", D(2014, 5, 21), D(2014, 5, 21), "day"),
        ("1393", D(2014, 3, 21), D(2015, 3, 20), "jyear"),
        ("1399/12", D(2021, 2, 19), D(2021, 3, 20), "jmonth"),  # Esfand of a leap year: 30 days
    ],
)
def test_parse_keeps_the_period_the_source_gave(text, start, end, precision):
    p = dates.parse(text)
    assert (p.start, p.end, p.precision) == (start, end, precision)


@pytest.mark.parametrize("text", ["2014-05-21", "2014-05", "2014", "1393/02", "1393"])
def test_canonical_text_reads_back_unchanged(text):
    assert dates.parse(text).text() == text
    assert dates.parse(dates.parse(text).text()) == dates.parse(text)


@pytest.mark.parametrize(
    ("text", "gregorian", "jalali"),
    [
        ("1393/02", "April–May 2014", "Ordibehesht 1393"),
        ("1395/05", "July–August 2016", "Mordad 1395"),
        ("2014-05", "May 2014", "Ordibehesht–Khordad 1393"),
        ("2014-05-21", "21 May 2014", "31 Ordibehesht 1393"),
        ("1393/10", "December 2014 – January 2015", "Dey 1393"),
    ],
)
def test_display_never_invents_a_day(text, gregorian, jalali):
    p = dates.parse(text)
    assert p.display() == gregorian
    assert p.display("jalali") == jalali


@pytest.mark.parametrize("empty", [None, "", "  ", "nan"])
def test_empty_cells_are_no_date(empty):
    assert dates.parse(empty) is None


@pytest.mark.parametrize("bad", ["yesterday", "2014-13", "31.02.2014", "1393/13/01", "14/05"])
def test_bad_dates_say_what_to_write(bad):
    with pytest.raises(dates.DateParseError, match=repr(bad)[1:-1]):
        dates.parse(bad)


def test_from_db_accepts_what_duckdb_and_pandas_return():
    import pandas as pd

    assert dates.from_db(pd.Timestamp("2014-04-21"), "jmonth").display("jalali") == "Ordibehesht 1393"
    assert dates.from_db(pd.NaT, "day") is None
    assert dates.from_db(None, None) is None


@pytest.mark.parametrize(
    ("text", "english", "persian"),
    [
        ("2027-13-01", "'2027-13-01' is not a real date: there is no month 13", "ماه ۱۳ وجود ندارد"),
        ("31.02.2027", "'31.02.2027' is not a real date: that month has no day 31", "آن ماه روز ۳۱ ندارد"),
        ("1403/12/31", "'1403/12/31' is not a real date: that month has no day 31", "آن ماه روز ۳۱ ندارد"),
    ],
)
def test_an_impossible_date_says_why_in_the_readers_own_words(text, english, persian):
    from twinmap.views.i18n import Translator

    with pytest.raises(dates.DateParseError) as caught:
        dates.parse(text)
    err = caught.value
    assert str(err) == english  # no Python wording such as "month must be in 1..12"
    assert Translator("fa")(err.msgid, **err.values).endswith(persian)


def test_a_value_named_in_a_message_is_shown_as_typed():
    from twinmap.core.text import quoted

    assert quoted("زمینه\u200cها") == "'زمینه\u200cها'"  # the non-joiner stays a non-joiner, never "\u200c"
    assert quoted("a\nb") == "'a\\nb'"  # a line break inside a cell is made visible

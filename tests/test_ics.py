"""The .ics export, read back by a calendar library."""

import datetime as dt

import icalendar

from twinmap.ingest import batches, importer
from twinmap.reads import queries
from twinmap.views import i18n, ics


def _calendar(con, f=None):
    f = f or queries.PartnershipFilter()
    return icalendar.Calendar.from_ical(ics.events_calendar(queries.events(con, f)))


def test_every_event_is_read_back_with_its_days_place_and_status(con):
    cal = _calendar(con)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(events) == len(queries.events(con, queries.PartnershipFilter()))
    festival = next(e for e in events.values() if str(e["summary"]).startswith("Cultural-heritage festival"))
    assert festival.decoded("dtstart") == dt.date(2026, 6, 12)
    assert festival.decoded("dtend") == dt.date(2026, 6, 16)  # exclusive end: the festival runs 12–15 June
    assert str(festival["summary"]) == "Cultural-heritage festival (Sari – Astrakhan)"
    assert str(festival["location"]) == "City park, Sari"
    assert str(festival["status"]) == "CONFIRMED"


def test_a_month_precision_event_spans_its_month_and_says_so(con):
    text = (
        "home_city,home_country,partner_city,partner_country,kind,title,starts_on,status\n"
        "Sari,IR,Astrakhan,RU,festival,Nowruz fair,1405/01,planned\n"
    )
    batches.commit(con, importer.plan_import(con, text.encode(), "f.csv", "events"), "tester")
    event = next(e for e in _calendar(con).walk("VEVENT") if str(e["summary"]).startswith("Nowruz fair"))
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (dt.date(2026, 3, 21), dt.date(2026, 4, 21))
    assert str(event["description"]) == "Festival\nPlanned\nExact day not known: March–April 2026"
    assert str(event["status"]) == "TENTATIVE"


def test_one_partnership_in_persian_keeps_stable_uids(con):
    pid = int(queries.partnerships(con, queries.PartnershipFilter(), dt.date(2026, 11, 23)).query(
        "partner_name == 'Weimar'")["id"].iloc[0])  # fmt: skip
    f = queries.PartnershipFilter(partnership_ids=(pid,))
    i18n.learn_spellings(queries.city_spellings(con))
    fa = icalendar.Calendar.from_ical(ics.events_calendar(queries.events(con, f), i18n.Translator("fa", "jalali")))
    uids = [str(e["uid"]) for e in fa.walk("VEVENT")]
    assert uids == [str(e["uid"]) for e in _calendar(con, f).walk("VEVENT")] and len(uids) == 5
    assert all(str(e["summary"]).endswith("(شیراز – وایمار)") for e in fa.walk("VEVENT"))  # the gazetteer's Persian

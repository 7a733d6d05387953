"""Events as an iCalendar (.ics) file that Outlook, Google Calendar and phones import.

Events are all-day entries: the store keeps days, not times. An event known only to a month
or a year spans that whole period (and says so), rather than pinning an invented day. UIDs are
stable, so importing a newer export updates the entries instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pandas as pd

from twinmap.core import dates, reference
from twinmap.views.i18n import ENGLISH, Translator
from twinmap.views.labels import pair_label

_STATUS = {"planned": "TENTATIVE", "confirmed": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}


def _span(row: dict) -> tuple[dt.date, dt.date]:
    """First day and the day after the last (iCalendar's DTEND is exclusive)."""
    start = dates.from_db(row["starts_on"], row["starts_precision"])
    end = dates.from_db(row.get("ends_on"), row.get("ends_precision")) or start
    return start.start, max(end.end, start.end) + dt.timedelta(days=1)


def events_calendar(frame: pd.DataFrame, tr: Translator = ENGLISH, name: str = "twinmap") -> bytes:
    """The events of ``frame`` (rows of :func:`twinmap.reads.queries.events`) as .ics bytes."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//twinmap//sister-city partnerships//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC)
    for row in frame.to_dict("records"):
        first, after = _span(row)
        event = icalendar.Event()
        event.add("uid", f"event-{int(row['id'])}@twinmap")
        event.add("dtstamp", stamp)
        event.add("dtstart", first)
        event.add("dtend", after)
        pair = pair_label(row, tr)
        event.add("summary", f"{row['title']} ({pair})")
        places = (row.get("venue"), row.get("host_name"))
        where = ", ".join(dict.fromkeys(str(v) for v in places if isinstance(v, str) and v.strip()))
        if where:
            event.add("location", where)
        lines = [tr.term(reference.EVENT_KINDS, row["kind"]), tr.term(reference.EVENT_STATUSES, row["status"])]
        if row["starts_precision"] != "day":
            lines.append(tr("Exact day not known: {date}", date=tr.date(row["starts_on"], row["starts_precision"])))
        if row.get("participants") and not pd.isna(row["participants"]):
            lines.append(tr("Participants: {n}", n=tr.number(int(row["participants"]))))
        event.add("description", "\n".join(lines))
        event.add("status", _STATUS.get(row["status"], "TENTATIVE"))
        cal.add_component(event)
    return cal.to_ical()

"""Timeline: agreements from signing to expiry, events by kind, and what is coming."""

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from twinmap.core import dates, reference
from twinmap.ingest.attachments import Target
from twinmap.ui import attached, cache, page, widgets
from twinmap.views import charts, grant_sheets, ics, tables


def _timeline_figure(partners: pd.DataFrame, events: pd.DataFrame, counts: pd.DataFrame | None, today: dt.date,
                     start: dt.date, end: dt.date, tr: object) -> object:  # fmt: skip
    """Each event on its partnership's line, or (too many to read: ``counts`` given) events per month by kind."""
    if counts is None:
        fig = charts.timeline(partners, events, today, tr)
    else:
        fig = charts.events_by_month(events, today, tr, counts=counts)
    fig.update_xaxes(range=[start, end])
    return fig


def _newest_events(events: pd.DataFrame, most: int, tr: object) -> tuple[pd.DataFrame, dict]:
    """The newest ``most`` events (sorting a million is seconds of a run) and their labels, by id."""
    shown = events.sort_values("starts_on", ascending=False).head(most)
    return shown, dict(zip(shown["id"], tables.event_labels(shown, tr), strict=True))


p = page.start()
_ = p.tr
today = p.today
base = p.filter
all_partners = cache.partnerships(base, today)
first, _last = cache.signing_years()

with st.sidebar:
    st.subheader(_("Timeline filters"))
    chosen = widgets.pick_partnerships(
        all_partners, _("Partnerships"), "timeline_partners", multi=True, placeholder=_("All partnerships")
    )
    kinds = st.multiselect(
        _("Event kinds"),
        reference.codes(reference.EVENT_KINDS),
        format_func=lambda c: _.term(reference.EVENT_KINDS, c),
        key="timeline_kinds",
        placeholder=_("All kinds"),
        select_all=widgets.english_only(_),
    )
    start, end, _all = widgets.year_range(_("Years"), first, today.year + 2,
                                          (max(first, today.year - 12), today.year + 1), "timeline_years")  # fmt: skip

f = dataclasses.replace(base, partnership_ids=tuple(chosen) or None)  # none chosen: all of them
partners = cache.partnerships(f, today)
events = cache.events(f, tuple(kinds), start, end)

st.title(_("Timeline"))
st.caption(
    _(
        "{events} events of {partners} partnerships, {first}–{last}.",
        events=_.number(len(events)),
        partners=_.number(len(partners)),
        first=_.digits(str(dates.year_of(start, _.cal))),
        last=_.digits(str(dates.year_of(end, _.cal))),
    )
)
readable = charts.readable_timeline(partners, events)
if not readable:
    st.caption(_("Too many to draw one by one: events per month by kind. Choose partnerships to see each event."))
counts = None if readable else cache.events_per_month(f, tuple(kinds), start, end)
fig = cache.view(_timeline_figure, partners, events, counts, today, start, end, _)  # once per version and choice
widgets.chart(fig, key="timeline_chart", alt=_("Timeline"))
st.download_button(
    _("Add these events to a calendar (.ics)"),
    lambda: ics.events_calendar(events, _, name=_("Sister-city events")),
    "twinmap-events.ics",
    "text/calendar",
    key="timeline_ics",
    on_click="ignore",
    icon=":material/event:",
)

st.subheader(_("Upcoming events"))
widgets.table_downloads(
    cache.upcoming_events(f, today, 20), "upcoming-events", "timeline_upcoming", build=tables.events_table
)
st.subheader(_("All events shown"))
widgets.table_downloads(events, "events", "timeline_events", build=tables.events_table)

st.subheader(_("Photos and documents of an event"))
shown, names = cache.view(_newest_events, events, widgets.OPTIONS_SHOWN, _)
chosen_event = st.selectbox(_("Event"), list(names), index=None, format_func=names.get, key="timeline_event_files",
                            placeholder=_("Choose an event"))  # fmt: skip
if chosen_event is not None:
    row = shown[shown["id"] == chosen_event].iloc[0]
    homes = all_partners.set_index("id")["home_city_id"]
    home = int(homes[row["partnership_id"]]) if row["partnership_id"] in homes.index else None
    attached.section(p, Target("events", int(chosen_event)), home, "timeline_files")

if p.signed_in:
    st.subheader(_("Grant report"))
    st.caption(
        _("A year's held events with participants by country and gender, funding and budget, as grant forms ask.")
    )
    year = st.selectbox(_("Year"), list(range(today.year, first - 1, -1)), format_func=lambda y: _.digits(str(y)),
                        key="timeline_grant_year")  # fmt: skip
    sheets = cache.grant_report(f.own(), int(year), _)  # a user limited to some home cities: theirs
    widgets.table(grant_sheets.summary_shown(next(iter(sheets.values())), _), "timeline_grant_summary")
    st.download_button(_("Grant report (Excel)"), lambda: grant_sheets.workbook(sheets), f"grant-report-{year}.xlsx",
                       widgets.XLSX, key="timeline_grant_xlsx", on_click="ignore")  # fmt: skip

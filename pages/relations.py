"""Relations: the unit's work beyond twinnings: organisations and networks, the city in the media, the diaspora."""

import functools

import pandas as pd
import streamlit as st

from twinmap.core import config, dates, reference
from twinmap.ui import cache, leaflet, page, widgets
from twinmap.views import charts, tables


def _of_organisation(frame: pd.DataFrame, home_city_id: int, name: str) -> pd.DataFrame:
    return frame[(frame["home_city_id"] == home_city_id) & (frame["organisation"] == name)]


p = page.start("viewer")
_ = p.tr
homes = p.homes  # a user limited to some home cities: theirs
st.title(_("Relations beyond twinnings"))
st.caption(_("Networks and organisations, the city in the media, and its people abroad."))
groups, media, diaspora, goals = st.tabs([_("Organisations"), _("Media coverage"), _("The diaspora abroad"),
                                          _("The unit's goals")])  # fmt: skip

with groups:
    found = cache.organisations(homes)
    due = cache.due_with_organisations(homes, p.today, p.staff)
    standing = found["stage"].isin(reference.having(reference.RELATION_STAGES, "belongs"))
    widgets.metrics([(_("Organisations"), _.number(len(found)), None),
                     (_("Memberships and partners"), _.number(int(standing.sum())), None),
                     (_("Due within 90 days"), _.number(len(due)), None)])  # fmt: skip
    widgets.titled_table(_("Due within 90 days: fees, calls and follow-up actions"), due, "relations_due",
                         build=tables.due_table)  # fmt: skip
    leaflet.show(cache.organisations_map(homes, config.get("TWINMAP_TILES"), _), "relations_map", 360)
    st.caption(_("Each organisation at its seat, coloured by kind. One with no city the gazetteer knows is in the "
                 "table only."))  # fmt: skip
    query = st.text_input(_("Search"), key="relations_search", placeholder=_("Name, country, city or kind")).strip()
    matched = cache.view(tables.organisation_matches, found, query, _)
    widgets.table_downloads(matched, "organisations", "relations_organisations",
                            build=functools.partial(tables.organisations_table, notes=p.staff))  # fmt: skip
    if len(matched):
        st.subheader(_("One organisation's work"))
        rows = list(matched.head(widgets.OPTIONS_SHOWN).itertuples())
        labels = [f"{r.name} ({_.city(r.home_name, r.home_local_name)})" for r in rows]
        picked = st.selectbox(_("Organisation"), range(len(rows)), key="relations_pick", format_func=labels.__getitem__)
        if len(matched) > len(rows):
            st.caption(_("The list offers the first {n} of {total} organisations; search above to find any other.",
                         n=_.number(len(rows)), total=_.number(len(matched))))  # fmt: skip
        org = rows[min(picked or 0, len(rows) - 1)]
        mine = cache.view(_of_organisation, cache.organisation_work(homes, p.staff), org.home_city_id, org.name)
        widgets.titled_table(_("Events, missions and follow-up actions"), mine, "relations_work", always=True,
                             build=tables.work_table)  # fmt: skip
        if not len(mine):
            st.caption(_("None yet: name this organisation under organisation when you import events, missions or "
                         "follow-up actions."))  # fmt: skip
        about = cache.view(_of_organisation, cache.coverage(homes), org.home_city_id, org.name)
        widgets.titled_table(_("Press items about it"), about, "relations_org_press",
                             build=tables.coverage_table)  # fmt: skip
        if p.private_for(org.home_city_id):
            widgets.titled_table(_("Contact people"), cache.organisation_contacts(org.home_city_id, org.name),
                                 "relations_org_contacts", build=tables.contacts_table)  # fmt: skip

with media:
    items = cache.coverage(homes)
    if items.empty:
        st.info(_("No press items yet. Import them on the Data page (table: Media coverage)."))
    else:
        figure = cache.view(charts.coverage_by_month, cache.coverage_by_month(homes), _)
        widgets.chart(figure, key="relations_coverage_chart", alt=_("Press items per month, by tone"))
        widgets.titled_table(_("By country of the outlet"), cache.coverage_by_country(homes),
                             "relations_coverage_countries", build=tables.coverage_countries_table)  # fmt: skip
        st.subheader(_("The items"))
        widgets.table_downloads(items, "coverage", "relations_coverage", build=tables.coverage_table)

with diaspora:
    st.caption(_("People of the city living abroad, counted by country. Their names and contact details are "
                 "for the staff of their home city only."))  # fmt: skip
    widgets.table_downloads(cache.diaspora_by_country(homes), "diaspora-by-country", "relations_diaspora",
                            build=tables.diaspora_table)  # fmt: skip
    if p.staff:
        st.subheader(_("People abroad"))
        widgets.table_downloads(cache.people_abroad(homes), "people-abroad", "relations_people",
                                build=tables.people_table)  # fmt: skip

with goals:
    year = dates.year_of(p.today, _.cal)
    first, last = dates.year_span(year, _.cal)
    st.caption(_("The unit's eight goals and this year's work for each: events held, missions done, follow-ups "
                 "done and press items of the year; organisations that stand and people abroad on record. A record "
                 "counts under each goal it is tagged with, else under its organisation's or its kind's."))  # fmt: skip
    widgets.table_downloads(cache.work_per_goal(homes, first, last), "work-by-goal", "relations_goals",
                            build=tables.goals_table)  # fmt: skip

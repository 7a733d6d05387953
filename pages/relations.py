"""Relations: the unit's work beyond twinnings: organisations and networks, the city in the media, the diaspora."""

import streamlit as st

from twinmap.core import config, dates, reference
from twinmap.ui import cache, leaflet, page, widgets
from twinmap.views import charts, tables

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
                         build=lambda r: tables.due_table(r, _), memo=(homes, p.today, p.staff))  # fmt: skip
    leaflet.show(cache.organisations_map(homes, config.get("TWINMAP_TILES"), _), "relations_map", 360)
    st.caption(_("Each organisation at its seat, coloured by kind. One with no city the gazetteer knows is in the "
                 "table only."))  # fmt: skip
    query = st.text_input(_("Search"), key="relations_search", placeholder=_("Name, country, city or kind")).strip()
    matched = cache.view(("organisation_matches", homes, query, _),
                          lambda: tables.organisation_matches(found, query, _))  # fmt: skip
    widgets.table_downloads(matched, "organisations", "relations_organisations",
                            build=lambda r: tables.organisations_table(r, _, notes=p.staff),
                            memo=(homes, query, p.staff))  # fmt: skip
    if len(matched):
        st.subheader(_("One organisation's work"))
        rows = list(matched.head(widgets.OPTIONS_SHOWN).itertuples())
        labels = [f"{r.name} ({_.city(r.home_name, r.home_local_name)})" for r in rows]
        picked = st.selectbox(_("Organisation"), range(len(rows)), key="relations_pick", format_func=labels.__getitem__)
        if len(matched) > len(rows):
            st.caption(_("The list offers the first {n} of {total} organisations; search above to find any other.",
                         n=_.number(len(rows)), total=_.number(len(matched))))  # fmt: skip
        org = rows[min(picked or 0, len(rows) - 1)]
        which = (homes, p.staff, org.home_city_id, org.name)
        work = cache.organisation_work(homes, p.staff)
        mine = work[(work["home_city_id"] == org.home_city_id) & (work["organisation"] == org.name)]
        widgets.titled_table(_("Events, missions and follow-up actions"), mine, "relations_work", always=True,
                             build=lambda r: tables.work_table(r, _), memo=which)  # fmt: skip
        if not len(mine):
            st.caption(_("None yet: name this organisation under organisation when you import events, missions or "
                         "follow-up actions."))  # fmt: skip
        press = cache.coverage(homes)
        about = press[(press["home_city_id"] == org.home_city_id) & (press["organisation"] == org.name)]
        widgets.titled_table(_("Press items about it"), about, "relations_org_press",
                             build=lambda r: tables.coverage_table(r, _), memo=which)  # fmt: skip
        if p.private_for(org.home_city_id):
            widgets.titled_table(_("Contact people"), cache.organisation_contacts(org.home_city_id, org.name),
                                 "relations_org_contacts", build=lambda r: tables.contacts_table(r, _),
                                 memo=(org.home_city_id, org.name))  # fmt: skip

with media:
    items = cache.coverage(homes)
    if items.empty:
        st.info(_("No press items yet. Import them on the Data page (table: Media coverage)."))
    else:
        figure = cache.view(("coverage_chart", homes, _),
                             lambda: charts.coverage_by_month(cache.coverage_by_month(homes), _))  # fmt: skip
        widgets.chart(figure, key="relations_coverage_chart", alt=_("Press items per month, by tone"))
        widgets.titled_table(_("By country of the outlet"), cache.coverage_by_country(homes),
                             "relations_coverage_countries", build=lambda r: tables.coverage_countries_table(r, _),
                             memo=(homes,))  # fmt: skip
        st.subheader(_("The items"))
        widgets.table_downloads(items, "coverage", "relations_coverage", build=lambda r: tables.coverage_table(r, _),
                                memo=(homes,))  # fmt: skip

with diaspora:
    st.caption(_("People of the city living abroad, counted by country. Their names and contact details are "
                 "for the staff of their home city only."))  # fmt: skip
    widgets.table_downloads(tables.diaspora_table(cache.diaspora_by_country(homes), _), "diaspora-by-country",
                            "relations_diaspora")  # fmt: skip
    if p.staff:
        st.subheader(_("People abroad"))
        widgets.table_downloads(tables.people_table(cache.people_abroad(homes), _), "people-abroad",
                                "relations_people")  # fmt: skip

with goals:
    year = dates.year_of(p.today, _.cal)
    first, last = dates.year_span(year, _.cal)
    st.caption(_("The unit's eight goals and this year's work for each: events held, missions done, follow-ups "
                 "done and press items of the year; organisations that stand and people abroad on record. A record "
                 "counts under each goal it is tagged with, else under its organisation's or its kind's."))  # fmt: skip
    widgets.table_downloads(cache.work_per_goal(homes, first, last), "work-by-goal", "relations_goals",
                            build=lambda r: tables.goals_table(r, _), memo=(homes, first, last))  # fmt: skip

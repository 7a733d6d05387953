"""Relations: the unit's work beyond twinnings: organisations and networks, the city in the media, the diaspora."""

import streamlit as st

from twinmap.core import reference
from twinmap.ui import cache, page, widgets
from twinmap.views import charts, tables

p = page.start("viewer")
_ = p.tr
homes = p.homes  # a user limited to some home cities: theirs
st.title(_("Relations beyond twinnings"))
st.caption(_("Networks and organisations, the city in the media, and its people abroad."))
groups, media, diaspora = st.tabs([_("Organisations"), _("Media coverage"), _("The diaspora abroad")])

with groups:
    found = cache.organisations(homes)
    due = cache.dues(homes, p.today)
    standing = found["stage"].isin(reference.having(reference.RELATION_STAGES, "belongs"))
    widgets.metrics([(_("Organisations"), _.number(len(found)), None),
                     (_("Memberships and partners"), _.number(int(standing.sum())), None),
                     (_("Fees due within 90 days"), _.number(len(due)), None)])  # fmt: skip
    for row in due.itertuples():
        st.warning(_("{name}: the fee is due on {day}.", name=row.name, day=_.date(row.fee_due_on,
                                                                                  row.fee_due_precision)))  # fmt: skip
    query = st.text_input(_("Search"), key="relations_search", placeholder=_("Name, country, city or kind"))
    shown = tables.organisations_table(found, _, notes=p.staff)
    if query.strip():
        needle = query.strip().casefold()
        shown = shown[shown.apply(lambda r: needle in " ".join(map(str, r.values)).casefold(), axis=1)]
    widgets.table_downloads(shown, "organisations", "relations_organisations")

with media:
    items = cache.coverage(homes)
    if items.empty:
        st.info(_("No press items yet. Import them on the Data page (table: Media coverage)."))
    else:
        widgets.chart(charts.coverage_by_month(cache.coverage_by_month(homes), _), key="relations_coverage_chart",
                      alt=_("Press items per month, by tone"))  # fmt: skip
        widgets.table_downloads(tables.coverage_table(items, _), "coverage", "relations_coverage")

with diaspora:
    st.caption(_("People of the city living abroad, counted by country. Their names and contact details are "
                 "for the staff of their home city only."))  # fmt: skip
    widgets.table_downloads(tables.diaspora_table(cache.diaspora_by_country(homes), _), "diaspora-by-country",
                            "relations_diaspora")  # fmt: skip
    if p.staff:
        st.subheader(_("People abroad"))
        widgets.table_downloads(tables.people_table(cache.people_abroad(homes), _), "people-abroad",
                                "relations_people")  # fmt: skip

"""Overview: headline figures, a small map, what is coming, and (signed in) what needs attention."""

import functools

import pandas as pd
import streamlit as st

from twinmap.core import config, dates, reference
from twinmap.ui import annual, cache, leaflet, page, widgets
from twinmap.views import cards, charts, tables


def _status_bar(head: object, tr: object) -> object:
    return charts.status_bar(head.by_status, tr)


def _weak(assessed: pd.DataFrame) -> pd.DataFrame:
    return assessed[assessed["klass"] != reference.ALIVE]


def _later(six: pd.DataFrame, twelve: pd.DataFrame) -> pd.DataFrame:
    return twelve[~twelve["id"].isin(six["id"])]


def _overdue(follow: pd.DataFrame) -> pd.DataFrame:
    return follow[follow["overdue"]]


def _missed(targets: pd.DataFrame) -> pd.DataFrame:
    return targets.query("state == 'missed'")


def _belongs(organisations: pd.DataFrame) -> pd.DataFrame:
    return organisations[organisations["stage"].isin(reference.having(reference.RELATION_STAGES, "belongs"))]


p = page.start()
_, today, f = p.tr, p.today, p.filter
head = cache.headline(f, today, _.cal)

st.title(_("Sister-city partnerships"))
if p.signed_in:  # the leader's four questions first: how each partnership is doing, what comes, what ends, tourism
    own = f.own()  # a user limited to some home cities assesses only theirs
    widgets.glance(cache.view(cards.at_a_glance, cache.assessed_health(own, today), cache.upcoming_events(f, today, 8),
                              cache.expiring(f, today, 12), cache.tourism_impact(f, "tourist_arrivals", today, 24),
                              _))  # fmt: skip
widgets.metrics(cards.headline_figures(head, today, _))
left, right = st.columns([3, 2])
with left:
    partners = cache.partnerships(f, today)
    fmap = cache.partner_map(f, today, config.get("TWINMAP_TILES"), _)
    leaflet.show(fmap, "overview_map", 380)
with right:
    widgets.chart(cache.view(_status_bar, head, _), key="overview_status")
widgets.titled_table(_("Next events"), cache.upcoming_events(f, today, 8), "overview_events", always=True,
                     build=tables.events_table)  # fmt: skip
annual.download(p)

if not p.signed_in:
    expiring = cache.expiring(f, today, 12)
    widgets.titled_table(_("Agreements expiring within 12 months"), expiring, "overview_expiring",
                         build=functools.partial(tables.expiring_table, today=today))  # fmt: skip
    st.caption(_("Sign in to see how each partnership is doing, what is overdue and the tourism impact."))
    st.stop()

st.header(_("What needs attention"))
own = f.own()  # a user limited to some home cities assesses only theirs
assessed = cache.assessed_health(own, today)
widgets.metrics(cards.health_figures(assessed, _), columns=3)
weak = cache.view(_weak, assessed)
if len(weak):
    st.subheader(_("Dying or at risk, and why"))
    widgets.table_downloads(weak, "partnership-health", "overview_health", build=tables.health_table,
                            **widgets.LONG_TEXT)  # fmt: skip
six, twelve = cache.expiring(f, today, 6), cache.expiring(f, today, 12)
later = cache.view(_later, six, twelve)
widgets.titled_table(_("Agreements expiring within 6 months"), six, "overview_expiring_6",
                     build=functools.partial(tables.expiring_table, today=today))  # fmt: skip
widgets.titled_table(_("Agreements expiring in 6 to 12 months"), later, "overview_expiring_12",
                     build=functools.partial(tables.expiring_table, today=today))  # fmt: skip
follow = cache.follow_ups_of(own, today)
widgets.titled_table(_("Overdue follow-up actions"), cache.view(_overdue, follow), "overview_overdue",
                     build=tables.follow_ups_table)  # fmt: skip
missed = cache.view(_missed, cache.targets_of(own, today))
widgets.titled_table(_("Targets missed"), missed, "overview_targets", build=tables.targets_table)

organisations = cache.organisations(p.homes)
belongs = cache.view(_belongs, organisations)
widgets.titled_table(_("Networks and organisations the city belongs to"), belongs, "overview_organisations",
                     build=tables.organisations_table)  # fmt: skip
due = cache.due_with_organisations(p.homes, today, p.staff)
widgets.titled_table(_("Due with organisations within 90 days"), due, "overview_due",
                     build=tables.due_table)  # fmt: skip
first, last = dates.year_span(dates.year_of(today, _.cal), _.cal)
widgets.titled_table(_("The unit's work this year, by goal"), cache.work_per_goal(p.homes, first, last),
                     "overview_goals", build=tables.goals_table)  # fmt: skip
st.caption(_("Events held, missions done, follow-ups done and press items of this year; organisations that stand "
             "and people abroad on record. A record counts under each goal it is tagged with, else under its "
             "organisation's or its kind's."))  # fmt: skip

st.subheader(_("Tourism from partner countries against the general trend"))
result = cache.tourism_impact(f, "tourist_arrivals", today, 24)
widgets.metrics(cards.verdict_figures(tables.impact_summary(result), _))
st.caption(_("Tourist arrivals in the 24 months before and after each signing, against the home city's other "
             "countries of origin; a difference is counted only when its 95 % range excludes zero. The Tourism "
             "page shows each estimate and the method."))  # fmt: skip

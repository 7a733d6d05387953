"""Reference values defined once: statuses, kinds, event kinds, indicators, colours.

Validation, filters, legends, templates and translations all read these tuples, so a new
status or event kind is added here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a label for the message catalogues; it is translated where it is shown."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message that counts ``{n}`` things: its forms are chosen by each language's plural rules.

    Russian has three ("1 строка", "2 строки", "5 строк"), Persian and English two; the
    translation is picked where it is shown (:meth:`twinmap.views.i18n.Translator.plural`).
    """
    return (singular, plural)


class Explained(ValueError):
    """An error whose message is a catalogue message plus values, so each reader gets it in their language."""

    def __init__(self, msgid: str, **values: object):
        super().__init__(msgid.format(**values))
        self.msgid, self.values = msgid, values


@dataclass(frozen=True)
class Term:
    """A reference value: the code stored in the database, its English label, colour and meanings.

    ``means`` says what the value stands for wherever that matters (``private``, ``in_force``,
    ``held``, ``cancelled``...), so code asks :func:`having` instead of spelling codes out.
    """

    code: str
    label: str
    colour: str = "#666666"
    means: frozenset[str] = frozenset()


def _m(*meanings: str) -> frozenset[str]:
    return frozenset(meanings)


def having(terms: tuple[Term, ...], meaning: str) -> tuple[str, ...]:
    """The codes of a vocabulary that carry a meaning (for filters and bound query parameters)."""
    return tuple(t.code for t in terms if meaning in t.means)


# Lifecycle stages of a partnership, in the order the Russian guide describes them.
STATUSES: tuple[Term, ...] = (
    # private: internal work in progress, never shown to the public (kiosk, signed-out visitors);
    # in_force: an agreement exists and can expire; showcase: what the kiosk presents; ended: over.
    Term("candidate", N_("Candidate"), "#9e9e9e", _m("private")),
    Term("analysis", N_("Analysis"), "#8c8cbf", _m("private")),
    Term("contacts", N_("First contacts"), "#c994c7", _m("private")),
    Term("negotiating", N_("Negotiating"), "#f2a900", _m("private")),
    Term("signed", N_("Signed"), "#1f78b4", _m("in_force", "showcase", "dated_by_signing")),
    Term("active", N_("Active"), "#2e9d3a", _m("in_force", "showcase")),
    Term("dormant", N_("Dormant"), "#d95f02", _m("in_force")),
    Term("ended", N_("Ended"), "#6a3d9a", _m("ended")),
)

PRIVATE_STATUSES: frozenset[str] = frozenset(having(STATUSES, "private"))

# Stages in which an agreement exists and can expire.
AGREEMENT_STATUSES: frozenset[str] = frozenset(having(STATUSES, "in_force"))

PARTNERSHIP_KINDS: tuple[Term, ...] = (
    Term("sister_city", N_("Sister city")),
    Term("friendship", N_("Friendship agreement")),
    Term("cooperation_mou", N_("Cooperation MoU")),
)

EVENT_KINDS: tuple[Term, ...] = (
    Term("delegation_visit", N_("Delegation visit"), "#17becf", _m("exchange")),
    Term("festival", N_("Festival"), "#e7298a"),
    Term("sport", N_("Sport"), "#bcbd22"),
    Term("exhibition", N_("Exhibition"), "#7570b3"),
    Term("seminar", N_("Seminar / conference"), "#a6761d"),
    Term("youth_exchange", N_("Youth exchange"), "#fb9a99", _m("exchange")),
    Term("student_exchange", N_("Student exchange"), "#a6cee3", _m("exchange")),
    Term("expert_exchange", N_("Expert exchange"), "#1b9e77", _m("exchange")),
    Term("business_mission", N_("Business mission"), "#8c564b"),
)

EVENT_STATUSES: tuple[Term, ...] = (
    Term("planned", N_("Planned"), means=_m("upcoming")),
    Term("confirmed", N_("Confirmed"), means=_m("upcoming")),
    Term("held", N_("Held"), means=_m("held")),
    Term("cancelled", N_("Cancelled"), means=_m("cancelled")),
)

AREAS: tuple[Term, ...] = (
    Term("tourism", N_("Tourism")),
    Term("culture", N_("Culture")),
    Term("sport", N_("Sport")),
    Term("education", N_("Education")),
    Term("science", N_("Science and technology")),
    Term("economy", N_("Economy and trade")),
    Term("youth", N_("Youth")),
    Term("health", N_("Health care")),  # the sector; "Health" is how a partnership is doing
    Term("environment", N_("Environment")),
    Term("urban", N_("Urban management")),
)

INDICATORS: tuple[Term, ...] = (
    Term("tourist_arrivals", N_("Tourist arrivals")),
    Term("overnight_stays", N_("Overnight stays")),
)

# Official trips of the municipality's managers and staff (the Sari unit organises them).
MISSION_STATUSES: tuple[Term, ...] = (
    Term("planned", N_("Planned")),
    Term("done", N_("Done"), means=_m("done")),
    Term("cancelled", N_("Cancelled"), means=_m("cancelled")),
)

# Follow-up actions of a memorandum: the secretariat's to-do list.
FOLLOW_UP_STATUSES: tuple[Term, ...] = (
    Term("open", N_("Open"), means=_m("open")),
    Term("done", N_("Done"), means=_m("done")),
    Term("cancelled", N_("Cancelled"), means=_m("cancelled")),
)

# The international unit's goals (the Sari unit's eight), each a place in twinmap: records are
# tagged with the goals they serve, and the overview and the annual report count work per goal.
UNIT_GOALS: tuple[Term, ...] = (
    Term("twinning", N_("Twinnings")),
    Term("missions", N_("Missions abroad")),
    Term("secretariat", N_("Follow-up of memoranda")),
    Term("media", N_("Image abroad and media diplomacy")),
    Term("organisations", N_("International organisations and NGOs")),
    Term("investment", N_("Attracting tourism investment")),
    Term("diaspora", N_("The diaspora abroad")),
    Term("neighbours", N_("Neighbouring countries")),
)

# Relations beyond twinnings: who the organisation is to the city.
ORGANISATION_KINDS: tuple[Term, ...] = (
    Term("network", N_("Network of cities"), "#1f78b4"),
    Term("ngo", N_("International organisation or NGO"), "#33a02c"),
    Term("investor", N_("Investor"), "#e31a1c"),
    Term("tour_operator", N_("Tour operator"), "#ff7f00"),
    Term("diaspora", N_("Diaspora association"), "#6a3d9a"),
    Term("consulate", N_("Consulate"), "#b15928"),
    Term("region", N_("Province or region across the border"), "#a6cee3"),
)

# The unit's goal an organisation's work serves when a record names no goal of its own.
KIND_GOALS: dict[str, str] = {"network": "organisations", "ngo": "organisations", "investor": "investment",
                              "tour_operator": "investment", "diaspora": "diaspora", "consulate": "neighbours",
                              "region": "neighbours"}  # fmt: skip
# ... and the goal of each kind of record that names neither goals nor an organisation.
RECORD_GOALS: dict[str, str] = {"events": "twinning", "missions": "missions", "follow_ups": "secretariat",
                                "coverage": "media", "people_abroad": "diaspora"}  # fmt: skip

# How a relation with an organisation stands (the lifecycle's words where they fit).
RELATION_STAGES: tuple[Term, ...] = (
    Term("contact", N_("First contacts"), means=_m("open")),
    Term("member", N_("Member"), means=_m("open", "belongs")),
    Term("partner", N_("Partner"), means=_m("open", "belongs")),
    Term("dormant", N_("Dormant")),
    Term("ended", N_("Ended"), means=_m("ended")),
)

# How a press item speaks of the city.
TONES: tuple[Term, ...] = (
    Term("positive", N_("Positive"), "#2e9d3a"),
    Term("neutral", N_("Neutral"), "#9e9e9e"),
    Term("negative", N_("Negative"), "#d95f02"),
)

# What a document or picture on a record is (twinmap.ingest.attachments). "agreement" is the
# signed memorandum itself: the register counts it as an element of the agreement on record.
ATTACHMENT_KINDS: tuple[Term, ...] = (
    Term("agreement", N_("Signed agreement"), means=_m("document", "agreement")),
    Term("annex", N_("Annex"), means=_m("document")),
    Term("letter", N_("Letter"), means=_m("document")),
    Term("photo", N_("Photo"), means=_m("photo")),
    Term("other", N_("Other document"), means=_m("document")),
)

# Where an event's money came from (the guide: grants, sponsors, city budget, partners' funds).
FUNDING_SOURCES: tuple[Term, ...] = (
    Term("city_budget", N_("City budget")),
    Term("partner", N_("Partner city")),
    Term("grant", N_("Grant")),
    Term("sponsor", N_("Sponsors")),
    Term("mixed", N_("Mixed")),
)

# Health classes of a partnership, computed from its activity (see health.py).
# Codes of their own, never a stage's code: a stage is what the office decided, a class what the
# activity shows.
HEALTH_CLASSES: tuple[Term, ...] = (
    Term("alive", N_("Alive"), "#2e9d3a"),
    Term("at_risk", N_("At risk"), "#f2a900", _m("weak")),
    Term("inactive", N_("Fading"), "#d95f02", _m("weak")),  # not "Dormant": that is a stage
)
ALIVE, AT_RISK, INACTIVE = (t.code for t in HEALTH_CLASSES)

# Date precisions: Gregorian day / month / year, and Solar Hijri (Jalali) month / year, because
# the sources record "Ordibehesht 1393", which is not a Gregorian month.
PRECISIONS: tuple[str, ...] = ("day", "month", "year", "jmonth", "jyear")


def codes(terms: tuple[Term, ...]) -> tuple[str, ...]:
    """Return the stored codes of a vocabulary, for validation and widget options."""
    return tuple(t.code for t in terms)


def label(terms: tuple[Term, ...], code: str | None) -> str:
    """Return the English label of a code, or the code itself when unknown."""
    for term in terms:
        if term.code == code:
            return term.label
    return code or ""


def colour(terms: tuple[Term, ...], code: str | None) -> str:
    """Return the display colour of a code (grey when unknown)."""
    for term in terms:
        if term.code == code:
            return term.colour
    return "#666666"


# The meanings code asks about, as codes (bound into queries, used in filters).
EVENT_HELD = having(EVENT_STATUSES, "held")
EVENT_CANCELLED = having(EVENT_STATUSES, "cancelled")
EVENT_UPCOMING = having(EVENT_STATUSES, "upcoming")
EXCHANGE_KINDS = having(EVENT_KINDS, "exchange")  # people going between the cities
MISSION_DONE = having(MISSION_STATUSES, "done")
FOLLOW_UP_OPEN = having(FOLLOW_UP_STATUSES, "open")
FOLLOW_UP_DONE = having(FOLLOW_UP_STATUSES, "done")
FOLLOW_UP_CANCELLED = having(FOLLOW_UP_STATUSES, "cancelled")
ENDED_STATUSES = having(STATUSES, "ended")
SHOWCASE_STATUSES = having(STATUSES, "showcase")


# What became of an import (``import_batches.status``): kept, or taken back by an undo.
BATCH_STATUSES: tuple[Term, ...] = (
    Term("committed", N_("Committed")),
    Term("undone", N_("Undone")),
)

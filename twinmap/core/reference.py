"""Reference values defined once: statuses, kinds, event kinds, indicators, colours.

Validation, filters, legends, templates and translations all read these tuples, so a new
status or event kind is added here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a label for the message catalogues; it is translated where it is shown."""
    return message


class Explained(ValueError):
    """An error whose message is a catalogue message plus values, so each reader gets it in their language."""

    def __init__(self, msgid: str, **values: object):
        super().__init__(msgid.format(**values))
        self.msgid, self.values = msgid, values


@dataclass(frozen=True)
class Term:
    """A reference value: the code stored in the database and its English label."""

    code: str
    label: str
    colour: str = "#666666"


# Lifecycle stages of a partnership, in the order the Russian guide describes them.
STATUSES: tuple[Term, ...] = (
    Term("candidate", N_("Candidate"), "#9e9e9e"),
    Term("analysis", N_("Analysis"), "#8c8cbf"),
    Term("contacts", N_("First contacts"), "#c994c7"),
    Term("negotiating", N_("Negotiating"), "#f2a900"),
    Term("signed", N_("Signed"), "#1f78b4"),
    Term("active", N_("Active"), "#2e9d3a"),
    Term("dormant", N_("Dormant"), "#d95f02"),
    Term("ended", N_("Ended"), "#6a3d9a"),
)

# Stages that are internal work in progress: never shown to the public (kiosk, signed-out visitors).
PRIVATE_STATUSES: frozenset[str] = frozenset({"candidate", "analysis", "contacts", "negotiating"})

# Stages in which an agreement exists and can expire.
AGREEMENT_STATUSES: frozenset[str] = frozenset({"signed", "active", "dormant"})

PARTNERSHIP_KINDS: tuple[Term, ...] = (
    Term("sister_city", N_("Sister city")),
    Term("friendship", N_("Friendship agreement")),
    Term("cooperation_mou", N_("Cooperation MoU")),
)

EVENT_KINDS: tuple[Term, ...] = (
    Term("delegation_visit", N_("Delegation visit"), "#1f78b4"),
    Term("festival", N_("Festival"), "#e7298a"),
    Term("sport", N_("Sport"), "#2e9d3a"),
    Term("exhibition", N_("Exhibition"), "#7570b3"),
    Term("seminar", N_("Seminar / conference"), "#a6761d"),
    Term("youth_exchange", N_("Youth exchange"), "#66a61e"),
    Term("student_exchange", N_("Student exchange"), "#e6ab02"),
    Term("expert_exchange", N_("Expert exchange"), "#1b9e77"),
    Term("business_mission", N_("Business mission"), "#d95f02"),
)

EVENT_STATUSES: tuple[Term, ...] = (
    Term("planned", N_("Planned")),
    Term("confirmed", N_("Confirmed")),
    Term("held", N_("Held")),
    Term("cancelled", N_("Cancelled")),
)

AREAS: tuple[Term, ...] = (
    Term("tourism", N_("Tourism")),
    Term("culture", N_("Culture")),
    Term("sport", N_("Sport")),
    Term("education", N_("Education")),
    Term("science", N_("Science and technology")),
    Term("economy", N_("Economy and trade")),
    Term("youth", N_("Youth")),
    Term("health", N_("Health")),
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
    Term("done", N_("Done")),
    Term("cancelled", N_("Cancelled")),
)

# Follow-up actions of a memorandum: the secretariat's to-do list.
FOLLOW_UP_STATUSES: tuple[Term, ...] = (
    Term("open", N_("Open")),
    Term("done", N_("Done")),
    Term("cancelled", N_("Cancelled")),
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
HEALTH_CLASSES: tuple[Term, ...] = (
    Term("active", N_("Alive"), "#2e9d3a"),
    Term("at_risk", N_("At risk"), "#f2a900"),
    Term("dormant", N_("Dormant"), "#d95f02"),
)

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

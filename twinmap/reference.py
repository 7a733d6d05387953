"""Reference values defined once: statuses, kinds, event kinds, indicators, colours.

Validation, filters, legends, templates and translations all read these tuples, so a new
status or event kind is added here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A reference value: the code stored in the database and its English label."""

    code: str
    label: str
    colour: str = "#666666"


# Lifecycle stages of a partnership, in the order the Russian guide describes them.
STATUSES: tuple[Term, ...] = (
    Term("candidate", "Candidate", "#9e9e9e"),
    Term("negotiating", "Negotiating", "#f2a900"),
    Term("signed", "Signed", "#1f78b4"),
    Term("active", "Active", "#2e9d3a"),
    Term("dormant", "Dormant", "#d95f02"),
    Term("ended", "Ended", "#6a3d9a"),
)

# Stages that are internal work in progress: never shown to the public (kiosk, signed-out visitors).
PRIVATE_STATUSES: frozenset[str] = frozenset({"candidate", "negotiating"})

# Stages in which an agreement exists and can expire.
AGREEMENT_STATUSES: frozenset[str] = frozenset({"signed", "active", "dormant"})

PARTNERSHIP_KINDS: tuple[Term, ...] = (
    Term("sister_city", "Sister city"),
    Term("friendship", "Friendship agreement"),
    Term("cooperation_mou", "Cooperation MoU"),
)

EVENT_KINDS: tuple[Term, ...] = (
    Term("delegation_visit", "Delegation visit", "#1f78b4"),
    Term("festival", "Festival", "#e7298a"),
    Term("sport", "Sport", "#2e9d3a"),
    Term("exhibition", "Exhibition", "#7570b3"),
    Term("seminar", "Seminar / conference", "#a6761d"),
    Term("youth_exchange", "Youth exchange", "#66a61e"),
    Term("student_exchange", "Student exchange", "#e6ab02"),
    Term("expert_exchange", "Expert exchange", "#1b9e77"),
    Term("business_mission", "Business mission", "#d95f02"),
)

EVENT_STATUSES: tuple[Term, ...] = (
    Term("planned", "Planned"),
    Term("confirmed", "Confirmed"),
    Term("held", "Held"),
    Term("cancelled", "Cancelled"),
)

AREAS: tuple[Term, ...] = (
    Term("tourism", "Tourism"),
    Term("culture", "Culture"),
    Term("sport", "Sport"),
    Term("education", "Education"),
    Term("science", "Science and technology"),
    Term("economy", "Economy and trade"),
    Term("youth", "Youth"),
    Term("health", "Health"),
    Term("environment", "Environment"),
    Term("urban", "Urban management"),
)

INDICATORS: tuple[Term, ...] = (
    Term("tourist_arrivals", "Tourist arrivals"),
    Term("overnight_stays", "Overnight stays"),
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

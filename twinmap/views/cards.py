"""The partner card: the essentials of one partnership as (label, text) pairs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from twinmap.core import dates, geo, reference
from twinmap.core.reference import N_
from twinmap.reads import finder, impact
from twinmap.reads.queries import Headline
from twinmap.views.i18n import ENGLISH, Translator
from twinmap.views.labels import MISSING, local_time, pair_labels


def headline_figures(head: Headline, today: dt.date, tr: Translator = ENGLISH) -> list[tuple[str, str, None]]:
    """The overview's headline: signed partners (and the pipeline, when there is one), countries, events, expiries.

    Each label says what it counts: a candidate or a negotiation is not a partner.
    """
    pipeline = [(tr("In the pipeline"), tr.number(head.in_pipeline), None)] if head.in_pipeline else []
    return [
        (tr("Signed partners"), tr.number(head.signed_partners), None),
        *pipeline,
        (tr("Partner countries"), tr.number(head.countries), None),
        (
            tr("Events in {year}", year=tr.digits(str(dates.year_of(today, tr.cal)))),
            tr.number(head.events_this_year),
            None,
        ),  # the reader's year, Solar Hijri in Persian
        (tr("Upcoming events"), tr.number(head.upcoming_events), None),
        (tr("Expiring within 12 months"), tr.number(head.expiring_12_months), None),
    ]


def health_figures(assessed: pd.DataFrame, tr: Translator = ENGLISH) -> list[tuple[str, str, None]]:
    """How many assessed partnerships fall in each health class."""
    counts = assessed["klass"].value_counts()
    return [(tr(t.label), tr.number(int(counts.get(t.code, 0))), None) for t in reference.HEALTH_CLASSES]


def verdict_figures(summary: dict[str, int], tr: Translator = ENGLISH) -> list[tuple[str, str, None]]:
    """How many partnerships fall under each tourism-impact verdict."""
    return [(tr(t.label), tr.number(summary[t.code]), None) for t in impact.GROUPS]


def register_figures(row: dict, found: object, tr: Translator = ENGLISH) -> list[tuple[str, str, str | None]]:
    """The register's figures for one partnership: stage, completeness and, when assessed, its health."""
    figures = [
        (tr("Stage"), tr.term(reference.STATUSES, row["status"]), None),
        (tr("Agreement complete"), f"{tr.number(int(row['completeness']))}%", None),
    ]
    if found is not None:
        figures += [
            (tr("Health"), tr.number(found.score), tr("Out of 100; how it is reached is shown below.")),
            (tr("Assessment"), tr.term(reference.HEALTH_CLASSES, found.klass), None),
        ]
    return figures


def partner_card(row: pd.Series, tr: Translator = ENGLISH, private: bool = False) -> list[tuple[str, str]]:
    """The essentials of one partnership as (label, text) pairs; internal notes only if ``private``."""
    km = geo.distance_km(row["home_lat"], row["home_lon"], row["partner_lat"], row["partner_lon"])
    direction = geo.compass(geo.bearing_deg(row["home_lat"], row["home_lon"], row["partner_lat"], row["partner_lon"]))
    population = row.get("partner_population")
    areas = row.get("areas")
    areas = list(areas) if areas is not None and len(areas) else []
    home = tr.city(row["home_name"], row.get("home_local_name"))
    pairs = [
        (tr("Country"), tr.country(row["partner_country"])),
        (tr("Region"), row.get("partner_region") or MISSING),
        (tr("Population"), tr.number(population) if pd.notna(population) else MISSING),
        (tr("Home city"), home),
        (tr("Distance"), tr("{km} km {direction} of {city}", km=round(km), direction=tr(direction), city=home)),
        (tr("Local time"), tr.digits(local_time(row.get("partner_timezone"))) or MISSING),
        (tr("Kind"), tr.term(reference.PARTNERSHIP_KINDS, row["kind"])),
        (tr("Status"), tr.term(reference.STATUSES, row["status"])),
        (tr("Signed"), tr.date(row.get("signed_on"), row.get("signed_precision"))),
        (tr("Valid until"), tr.date(row.get("valid_until"), row.get("valid_until_precision"))),
        (tr("Areas"), tr.join([tr.term(reference.AREAS, a) for a in areas]) or MISSING),
        (tr("Purpose"), row.get("purpose") or MISSING),
        (tr("Last event"), tr.date(row.get("last_event"), "day")),
        (tr("Next event"), tr.date(row.get("next_event"), "day")),
        (tr("Source"), row.get("source") or MISSING),
    ]
    if private:
        pairs.append((tr("Internal notes"), row.get("notes") or MISSING))
    return pairs


@dataclass(frozen=True)
class StageColumn:
    """One stage of the pipeline board: its name, how many it holds, the cards shown (label, since when)."""

    label: str
    count: str
    cards: tuple[tuple[str, str], ...]
    more: int


def stage_columns(board: pd.DataFrame, today: dt.date, tr: Translator = ENGLISH, shown: int = 12) -> list[StageColumn]:
    """The pipeline board, a column per stage held, each with the ``shown`` partnerships longest in it.

    Those longest in a stage are the ones most likely stuck; a board of fifty thousand cards is a
    wall, so the rest are counted. One sort of the board serves every stage.
    """
    counts = board["status"].value_counts()
    longest = board.sort_values("entered_on", na_position="first", kind="stable")
    first = longest.groupby("status", sort=False).head(shown)
    names = dict(zip(first["id"], pair_labels(first, tr), strict=True))
    columns = []
    for term in (t for t in reference.STATUSES if t.code in counts):
        rows = first[first["status"] == term.code]
        cards = tuple(
            (names[pid], _since(since, precision, today, tr))
            for pid, since, precision in zip(rows["id"], rows["entered_on"], rows["entered_precision"], strict=True)
        )
        columns.append(StageColumn(tr(term.label), tr.number(int(counts[term.code])), cards,
                                   int(counts[term.code]) - len(cards)))  # fmt: skip
    return columns


def _since(since: object, precision: object, today: dt.date, tr: Translator) -> str:
    """How long a partnership has been in its stage, in the reader's calendar and digits."""
    if since is None or since != since:  # NaT and None alike: the stage's date was never recorded
        return tr("Date not recorded")
    days = (today - since.date()).days
    return tr("Since {date} ({days} days)", date=tr.date(since, precision), days=tr.number(days))


# The finder's learned parts, as a person names them.
FINDER_PARTS = {
    "distance": N_("Distance"), "distance_squared": N_("Distance (far off)"), "abroad": N_("Abroad"),
    "country_ties": N_("Twinnings between the two countries"), "country_share": N_("Share of our country's twinnings"),
    "share_back": N_("Share of its country's twinnings with ours"),
    "language": N_("A language in common"), "size": N_("Size"), "size_gap": N_("Gap in size"),
    "degree": N_("Twinnings it has already"), "ties_to_our_country": N_("Its twinnings with our country"),
    "common_partners": N_("Our partners' ties to it"), "region_ties": N_("Twinnings between our region and its region"),
    "region_country": N_("Our region's twinnings in its country"),
}  # fmt: skip


def finder_reasons(row: dict, weights: object, tr: Translator = ENGLISH, raised: bool = True) -> str:
    """The parts that raised (or lowered) a candidate's rank, strongest first, in the reader's words."""
    parts = [(m, v, p) for m, v, p in finder.explain(row, weights) if (p > 0.05 if raised else p < -0.05)]
    parts = [(m, v, p) for m, v, p in parts if v.get("n", 1) != 0]  # "0 cities" is no reason, whichever way it pushed
    said = []
    for msgid, values, _push in parts[:4]:
        shown = {k: (tr.number(v) if isinstance(v, int) else _language(v, tr) if k == "language" else v)
                 for k, v in values.items()}  # fmt: skip
        counted = isinstance(msgid, tuple)  # "1 twinning", "5 twinnings" (and Russian's three forms)
        said.append(tr.plural(msgid, values["n"]) if counted else tr(msgid, **shown))
    return "; ".join(said)


def _language(code: str, tr: Translator) -> str:
    from babel import Locale

    try:
        return Locale(tr.lang).languages.get(code, code)
    except Exception:  # a code Babel does not name: shown as it is
        return code


GLANCE_NAMES = 4  # names a line of the leader's first screen lists before "and n more"


def _names(labels: list[str], tr: Translator) -> str:
    """A few names and how many more: a line that fits a first screen."""
    shown = labels[:GLANCE_NAMES]
    more = len(labels) - len(shown)
    text = tr.join(shown)
    return text + (" " + tr("and {n} more", n=tr.number(more)) if more else "")


def at_a_glance(assessed: pd.DataFrame, upcoming: pd.DataFrame, expiring: pd.DataFrame, impact_frame: pd.DataFrame,
                tr: Translator = ENGLISH) -> list[tuple[str, list[str]]]:  # fmt: skip
    """The leader's four questions, each a heading and a few lines naming the partnerships.

    How each partnership is doing (its health class, not its stage), what is coming, which
    agreements expire within 12 months, and whether tourism from partner countries grew.
    """
    pairs = dict(zip(assessed["id"], pair_labels(assessed, tr), strict=True)) if len(assessed) else {}
    health = [f"{tr(t.label)} ({tr.number(int((assessed['klass'] == t.code).sum()))}): "
              f"{_names([pairs[i] for i in assessed.loc[assessed['klass'] == t.code, 'id']], tr) or '—'}"
              for t in reference.HEALTH_CLASSES]  # fmt: skip
    coming = [f"{tr.date(d, p)} · {title} ({pair})" for d, p, title, pair in
              zip(upcoming["starts_on"], upcoming["starts_precision"], upcoming["title"], pair_labels(upcoming, tr),
                  strict=True)][:3] or [tr("No event is planned.")]  # fmt: skip
    ends = [f"{pair} · {tr.date(e, 'day')}" for pair, e in
            zip(pair_labels(expiring, tr), expiring["expires_on"], strict=True)][:3]  # fmt: skip
    if len(expiring) > 3:
        ends.append(tr("and {n} more", n=tr.number(len(expiring) - 3)))
    grouped = [impact.group(v) for v in impact_frame["verdict"]] if len(impact_frame) else []
    named = dict(zip(impact_frame["id"], pair_labels(impact_frame, tr), strict=True)) if len(impact_frame) else {}
    tourism = []
    for t in impact.GROUPS:
        ids = [i for i, g in zip(impact_frame["id"], grouped, strict=True) if g == t.code] if grouped else []
        names = f": {_names([named[i] for i in ids], tr)}" if ids and t.code in ("better", "worse") else ""
        tourism.append(f"{tr(t.label)} ({tr.number(len(ids))}){names}")
    return [
        (tr("How the partnerships are doing"), health),
        (tr("What is coming"), coming),
        (tr("Agreements expiring within 12 months"), ends or [tr("None within 12 months.")]),
        (tr("Tourism from partner countries against the trend"), tourism),
    ]

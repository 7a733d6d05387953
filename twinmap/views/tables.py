"""Tables people read, built from query frames: events, expiries, register, health, lifecycle, tourism.

Every function takes query rows and a :class:`~twinmap.views.i18n.Translator` and returns a plain
DataFrame of text and numbers (right-to-left column order for Persian), so pages only draw and
the same table is what CSV and Excel downloads hold.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from twinmap.core import reference
from twinmap.core.reference import N_
from twinmap.core.text import fold
from twinmap.reads import health, impact, register
from twinmap.views.i18n import ENGLISH, Translator
from twinmap.views.labels import MISSING, date_or_blank, dates_of, pair_labels, rtl_order


def fullest_first(frame: pd.DataFrame) -> pd.DataFrame:
    """The register's rows with the most complete agreement first (the one a page opens on), the rest as they were.

    Opening on whichever partnership sorts first showed a dormant record with nothing on file.
    """
    if frame.empty or "completeness" not in frame:
        return frame
    best = frame.index[int(np.argmax(pd.to_numeric(frame["completeness"], errors="coerce").fillna(-1).to_numpy()))]
    return pd.concat([frame.loc[[best]], frame.drop(index=best)])


def matching(frame: pd.DataFrame, query: str, stages: list[str], tr: Translator = ENGLISH) -> pd.DataFrame:
    """Partnerships that contain the query and are in one of ``stages`` (when any are chosen).

    The query is looked for, folded like every name, in the names as the reader sees them and in
    English and local script, the partner's country and the purpose.
    """
    if query:
        text = (frame["home_name"] + " " + frame["partner_name"] + " " + frame["partner_country"].map(tr.country)
                + " " + frame["purpose"].fillna("") + " " + frame["partner_local_name"].fillna("") + " "
                + pd.Series(pair_labels(frame, tr), index=frame.index))  # fmt: skip
        frame = frame[text.map(fold).str.contains(fold(query), regex=False)]
    return frame[frame["status"].isin(stages)] if stages else frame


def city_matches(cities: pd.DataFrame, query: str, tr: Translator = ENGLISH) -> list[int]:
    """Ids of the cities whose name (English or local script) or country contains the query, folded like every name."""
    text = cities["name"] + " " + cities["local_name"].fillna("") + " " + cities["country_code"].map(tr.country)
    return [int(i) for i in cities["id"][text.map(fold).str.contains(fold(query), regex=False)]]


def event_columns(frame: pd.DataFrame, tr: Translator = ENGLISH) -> dict[str, list]:
    """When, what, kind, which partnership, where: the columns every table of events starts with."""
    return {
        tr("Date"): [tr.date(d, p) for d, p in zip(frame["starts_on"], frame["starts_precision"], strict=True)],
        tr("Event"): list(frame["title"]),
        tr("Kind"): [tr.term(reference.EVENT_KINDS, k) for k in frame["kind"]],
        tr("Partnership"): pair_labels(frame, tr),
        tr("Venue"): [tr.city(v) for v in frame["venue"].fillna("")],  # a venue that is a city's name is that city
    }


def events_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Events as a readable table: when, what, which partnership, where, status."""
    out = pd.DataFrame(
        {
            **event_columns(frame, tr),
            tr("Status"): [tr.term(reference.EVENT_STATUSES, s) for s in frame["status"]],
        }
    )
    return rtl_order(out, tr)


def event_labels(frame: pd.DataFrame, tr: Translator = ENGLISH) -> list[str]:
    """Each event as a picker names it: its date, title and partnership."""
    pairs = pair_labels(frame, tr)
    return [f"{tr.date(row.starts_on, row.starts_precision)} · {row.title} ({pair})"
            for row, pair in zip(frame.itertuples(), pairs, strict=True)]  # fmt: skip


def expiring_table(frame: pd.DataFrame, today: dt.date, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Agreements about to expire, with the days left."""
    out = pd.DataFrame(
        {
            tr("Partnership"): pair_labels(frame, tr),
            tr("Expires"): [tr.date(e, "day") for e in frame["expires_on"]],
            tr("Days left"): [tr.number((e - today).days) for e in frame["expires_on"]],
        }
    )
    return rtl_order(out, tr)


def signed_pct(value: float, tr: Translator = ENGLISH) -> str:
    """A change in per cent with its sign, as a sentence writes it (+18 %, −9 %)."""
    rounded = round(float(value))
    sign = "+" if rounded > 0 else "−" if rounded < 0 else ""
    return tr.digits(f"{sign}{tr.number(abs(rounded))} %")


def impact_words(row: dict, tr: Translator = ENGLISH) -> str:
    """The estimate in words that claim only what its range supports (one sentence per verdict)."""
    verdict, country = row["verdict"], tr.country(row["partner_country"])
    if verdict == "no_data":
        msgid = row.get("reason") or ""  # one of impact's reasons, each marked for translation there
        why = tr(msgid, **(row.get("reason_values") or {})) if msgid else ""
        return tr("not enough data: {why}", why=why) if why else tr("not enough data")
    low, high = signed_pct(row["low_pct"], tr), signed_pct(row["high_pct"], tr)
    if verdict == "no_clear":
        return tr("no clear difference from the trend (between {low} and {high})", low=low, high=high)
    size = tr.digits(f"{tr.number(abs(round(float(row['effect_pct']))))} %")
    if verdict == "more":
        return tr("about {size} more visitors from {country} than the trend (likely between {low} and {high})",
                  size=size, country=country, low=low, high=high)  # fmt: skip
    return tr("about {size} fewer visitors from {country} than the trend (likely between {low} and {high})",
              size=size, country=country, low=low, high=high)  # fmt: skip


def before_after_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Each partnership's tourism estimate in words, beside the figures it comes from."""
    rows = frame.to_dict("records")
    out = pd.DataFrame(
        {
            tr("Partnership"): pair_labels(frame, tr),
            tr("Estimate"): [impact_words(r, tr) for r in rows],  # beside the name: never scrolled away
            tr("From"): [tr.country(c) for c in frame["partner_country"]],
            tr("Signed"): [tr.date(d, p) for d, p in zip(frame["signed_on"], frame["signed_precision"], strict=True)],
            tr("Beyond the trend, %"): tr.figures(frame["effect_pct"], 1),
            tr("Range from, %"): tr.figures(frame["low_pct"], 1),
            tr("Range to, %"): tr.figures(frame["high_pct"], 1),
            tr("Change from the partner's country, %"): tr.figures(frame["change_pct"], 1),
            tr("Change from the other countries, %"): tr.figures(frame["comparison_pct"], 1),
            tr("Countries compared"): tr.figures(frame["n_controls"]),
            tr("Monthly mean before"): tr.figures(frame["before"]),
            tr("Monthly mean after"): tr.figures(frame["after"]),
        }
    )
    return rtl_order(out, tr)


def _health(tr: Translator, score: object, klass: object) -> str:
    if score is None or pd.isna(score):
        return ""
    return f"{tr.number(int(score))} · {tr.term(reference.HEALTH_CLASSES, klass)}"


def partners_shown_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The partnerships a map shows, one line each: the map's content for a reader who cannot see it."""
    out = pd.DataFrame({
        tr("Partnership"): pair_labels(frame, tr),
        tr("Country"): [tr.country(c) for c in frame["partner_country"]],
        tr("Stage"): [tr.term(reference.STATUSES, s) for s in frame["status"]],
        tr("Signed"): dates_of(tr, frame, "signed_on", "signed_precision"),
        tr("Valid until"): [date_or_blank(tr, d, p)
                            for d, p in zip(frame["valid_until"], frame["valid_until_precision"], strict=True)],
    })  # fmt: skip
    return rtl_order(out, tr)


def register_table(frame: pd.DataFrame, tr: Translator = ENGLISH, with_health: bool = False) -> pd.DataFrame:
    """One line per partnership: stage and since when, term, completeness, activity (and health)."""
    out = pd.DataFrame(
        {
            tr("Partnership"): pair_labels(frame, tr),
            tr("Country"): [tr.country(c) for c in frame["partner_country"]],
            tr("Stage"): [tr.term(reference.STATUSES, s) for s in frame["status"]],
            tr("Stage since"): dates_of(tr, frame, "entered_on", "entered_precision"),
            tr("Signed"): dates_of(tr, frame, "signed_on", "signed_precision"),
            tr("Valid until"): [
                date_or_blank(tr, d, p)
                for d, p in zip(frame["valid_until"], frame["valid_until_precision"], strict=True)
            ],
            tr("Agreement complete, %"): tr.figures(frame["completeness"]),
            tr("Last event"): [date_or_blank(tr, d, "day") for d in frame["last_event"]],
            tr("Next event"): [date_or_blank(tr, d, "day") for d in frame["next_event"]],
        }
    )
    if with_health:
        out[tr("Health")] = [_health(tr, s, k) for s, k in zip(frame["score"], frame["klass"], strict=True)]
    return rtl_order(out, tr)


def reasons(found: health.Health, tr: Translator = ENGLISH) -> list[str]:
    """The health findings as sentences in the reader's language."""
    return [_finding(r, tr) for r in found.reasons]


def _finding(r: health.Reason, tr: Translator) -> str:
    """One health finding; a counted one in the form the reader's language uses for its number."""
    if isinstance(r.msgid, tuple):
        rest = {k: v for k, v in r.values.items() if k != "n"}
        return tr.plural(r.msgid, int(r.values["n"]), **rest)
    return tr(r.msgid, **{k: tr.number(v) if isinstance(v, int) else v for k, v in r.values.items()})


def health_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Assessed partnerships, weakest first, with why."""
    out = pd.DataFrame(
        {
            tr("Partnership"): pair_labels(frame, tr),
            tr("Stage"): [tr.term(reference.STATUSES, s) for s in frame["status"]],
            tr("Health"): [_health(tr, s, k) for s, k in zip(frame["score"], frame["klass"], strict=True)],
            tr("Why"): ["; ".join(reasons(h, tr)) or tr("nothing to report") for h in frame["health"]],
        }
    )
    return rtl_order(out, tr)


def health_parts(found: health.Health, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The score of one partnership part by part: how it was reached."""
    rows = [
        (
            tr(label),
            tr.number(health.WEIGHTS[k]),
            MISSING if found.parts[k] is None else tr.number(round(100 * found.parts[k])),
        )
        for k, label in health.PARTS.items()
    ]
    out = pd.DataFrame(rows, columns=[tr("Part"), tr("Weight"), tr("Score, %")])
    return rtl_order(out, tr)


def missing_elements(missing: list[str], tr: Translator = ENGLISH) -> list[str]:
    """Names of the agreement's missing elements."""
    labels = dict(register.ELEMENTS)
    return [tr(labels[m]) for m in missing]


def missions_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Official trips: when, where, who, why, what came of it, for which partnership."""
    pairs = pair_labels(frame, tr)
    out = pd.DataFrame(
        {
            tr("Date"): dates_of(tr, frame, "starts_on", "starts_precision"),
            tr("Mission"): list(frame["title"]),
            tr("Destination"): [
                f"{tr.city(n)}, {tr.country(c)}"
                for n, c in zip(frame["destination"], frame["destination_country"], strict=True)
            ],
            tr("Travellers"): list(frame["travellers"].fillna("")),
            tr("Purpose"): list(frame["purpose"].fillna("")),
            tr("Outcomes"): list(frame["outcomes"].fillna("")),
            tr("Status"): [tr.term(reference.MISSION_STATUSES, s) for s in frame["status"]],
            tr("Partnership"): pairs,
        }
    )  # fmt: skip
    return rtl_order(out, tr)


def follow_ups_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Follow-up actions with their state: overdue (and by how many days), done on time or late."""

    def state(r: dict) -> str:
        if r["overdue"]:
            return tr("Overdue by {days} days", days=tr.number(r["days_overdue"]))
        if r["late"]:
            return tr("Done late")
        return tr.term(reference.FOLLOW_UP_STATUSES, r["status"])

    rows = frame.to_dict("records")
    out = pd.DataFrame(
        {
            tr("Due"): [date_or_blank(tr, r["due_on"], r["due_precision"]) for r in rows],
            tr("Action"): [r["action"] for r in rows],
            tr("Owner"): [r["owner"] or "" for r in rows],
            tr("Partnership"): pair_labels(frame, tr),
            tr("State"): [state(r) for r in rows],
            tr("Done on"): [date_or_blank(tr, r["done_on"], r["done_precision"]) for r in rows],
        }
    )
    return rtl_order(out, tr)


def targets_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Indicator targets with what was measured and whether they were met."""
    states = {"met": tr("Met"), "missed": tr("Missed"), "pending": tr("Period not over"), "no data": tr("No data")}
    out = pd.DataFrame(
        {
            tr("Partnership"): pair_labels(frame, tr),
            tr("Indicator"): [tr.term(reference.INDICATORS, i) for i in frame["indicator"]],
            tr("From"): [tr.country(c) for c in frame["partner_country"]],
            tr("Period"): dates_of(tr, frame, "due_on", "due_precision"),
            tr("Target"): [tr.number(v) for v in frame["target_value"]],
            tr("Measured"): ["" if pd.isna(v) else tr.number(v) for v in frame["measured"]],
            tr("Result"): [states[s] for s in frame["state"]],
        }
    )
    return rtl_order(out, tr)


def stages_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """A partnership's stage history, oldest first."""
    out = pd.DataFrame(
        {
            tr("Stage"): [tr.term(reference.STATUSES, s) for s in frame["status"]],
            tr("Since"): dates_of(tr, frame, "entered_on", "entered_precision"),
            tr("Note"): list(frame["note"].fillna("")),
            tr("Source"): list(frame["source"].fillna("")),
        }
    )
    return rtl_order(out, tr)


def impact_summary(frame: pd.DataFrame) -> dict[str, int]:
    """How many partnerships fall under each tourism-impact verdict."""
    counts = frame["verdict"].value_counts().to_dict()
    grouped: dict[str, int] = {t.code: 0 for t in impact.GROUPS}
    for code, n in counts.items():
        grouped[impact.group(code)] += int(n)
    return grouped


def second_partners_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Our partners' own partners: home city, our partner, its partner and that partner's country."""
    names = {c: frame[c].map(tr.city) for c in frame.columns[:3]}  # home, partner, its partner: city names
    out = frame.assign(**names, second_country=frame["second_country"].map(tr.country))
    return out.set_axis([tr("Home city"), tr("Our partner"), tr("Its partner"), tr("Country")], axis=1)


def shared_partners_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Partner cities shared by several of our home cities."""
    out = frame.assign(
        homes=[tr.join([tr.city(h) for h in homes]) for homes in frame["homes"]],
        b_name=frame["b_name"].map(tr.city),
        b_country=frame["b_country"].map(tr.country),
    )
    names = [tr("Partner city"), tr("Country"), tr("Home cities")]
    return out[["b_name", "b_country", "homes"]].set_axis(names, axis=1)


def degree_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Cities with their number of twin cities."""
    out = frame.assign(
        name=frame["name"].map(tr.city), country=frame["country"].map(tr.country), degree=tr.figures(frame["degree"])
    )
    out = out[["name", "country", "degree"]]
    return out.set_axis([tr("City"), tr("Country"), tr("Twin cities")], axis=1)


SIGN_IN_METHODS = {"password": N_("password"), "oidc": N_("single sign-on")}


def users_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Users as an admin reads them: name, role, home cities, how they sign in, since when, failures, lock."""
    out = pd.DataFrame({
        tr("User"): list(frame["name"]),
        tr("Role"): [tr(r) for r in frame["role"]],
        tr("Home cities"): [h if h and r != "admin" else tr("every home city")
                            for h, r in zip(frame["home_cities"], frame["role"], strict=True)],
        tr("Signs in with"): [tr(SIGN_IN_METHODS.get(m, m)) for m in frame["sign_in"]],
        tr("Created"): [tr.moment(t) for t in frame["created_at"]],
        tr("Failed sign-ins"): [tr.number(int(n)) for n in frame["failed_attempts"]],
        tr("Locked until"): [tr.moment(t) for t in frame["locked_until"]],
    })  # fmt: skip
    return rtl_order(out, tr)


def sign_ins_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The sign-in audit as an admin reads it, newest first."""
    out = pd.DataFrame({
        tr("When"): [tr.moment(t) for t in frame["happened_at"]],
        tr("User"): list(frame["name"]),
        tr("How"): [tr(SIGN_IN_METHODS.get(m, m)) for m in frame["method"]],
        tr("What happened"): [tr(o) for o in frame["outcome"]],
        tr("Details"): [MISSING if d is None or d != d else d for d in frame["detail"]],
    })  # fmt: skip
    return rtl_order(out, tr)


def contacts_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """A partnership's coordinators, with a dash where a detail is not known."""
    columns = {"name": tr("Name"), "role": tr("Role"), "organisation": tr("Organisation"), "email": tr("Email"),
               "phone": tr("Phone"), "city": tr("City")}  # fmt: skip
    out = pd.DataFrame({label: [MISSING if v is None or v != v else tr.city(v) if c == "city" else v for v in frame[c]]
                        for c, label in columns.items()})  # fmt: skip
    return rtl_order(out, tr)


def organisations_table(frame: pd.DataFrame, tr: Translator = ENGLISH, notes: bool = False) -> pd.DataFrame:
    """The organisations as a reader reads them: kind and stage in words, dates in the reader's calendar."""
    out = {
        tr("Organisation"): list(frame["name"]),
        tr("Kind"): [tr.term(reference.ORGANISATION_KINDS, k) for k in frame["kind"]],
        tr("Country"): [tr.country(c) for c in frame["country_code"]],
        tr("City"): [tr.place(c, k) if isinstance(c, str) else "" for c, k in zip(frame["city"], frame["country_code"],
                                                                                   strict=True)],
        tr("Stage"): [tr.term(reference.RELATION_STAGES, s) for s in frame["stage"]],
        tr("Since"): _dates(frame["since"], frame["since_precision"], tr),
        tr("Fee"): [f"{tr.number(f)} {c or ''}".strip() if f == f and f is not None else ""
                    for f, c in zip(frame["fee"], frame["currency"], strict=True)],
        tr("Fee due"): _dates(frame["fee_due_on"], frame["fee_due_precision"], tr),
        tr("Goals"): [tr.join([tr.term(reference.UNIT_GOALS, g) for g in (gs if gs is not None else [])])
                      for gs in frame["goals"]],
        tr("Home city"): [tr.city(n, ln) for n, ln in zip(frame["home_name"], frame["home_local_name"], strict=True)],
    }  # fmt: skip
    if notes:
        out[tr("Notes")] = [n if isinstance(n, str) else "" for n in frame["notes"]]
    return rtl_order(pd.DataFrame(out), tr)


def organisation_matches(frame: pd.DataFrame, query: str, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The organisations whose name, city, country (code or name in the reader's words) or kind holds ``query``."""
    if not query:
        return frame
    needle = fold(query)
    kinds = {t.code: fold(tr(t.label)) for t in reference.ORGANISATION_KINDS}
    countries = {c: fold(f"{c} {tr.country(c)}") for c in set(frame["country_code"])}
    rows = zip(frame["name"], frame["city"], frame["country_code"], frame["kind"], strict=True)
    hay = [
        f"{fold(n)} {fold(c + ' ' + tr.place(c, k)) if isinstance(c, str) else ''} {countries[k]} {kinds.get(t, t)}"
        for n, c, k, t in rows
    ]
    return frame[[needle in h for h in hay]]


def _dates(values: pd.Series, precisions: pd.Series, tr: Translator) -> list[str]:
    """Partial dates in the reader's calendar, empty where there is none."""
    return [tr.date(d, p) if isinstance(p, str) else "" for d, p in zip(values, precisions, strict=True)]


def coverage_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Press items: when, where, what, in what tone, and what they are about."""
    about = [tr.city(n, ln) if isinstance(n, str) else (o if isinstance(o, str) else "")
             for n, ln, o in zip(frame["partner_name"], frame["partner_local_name"], frame["organisation"],
                                 strict=True)]  # fmt: skip
    return rtl_order(pd.DataFrame({
        tr("Date"): [tr.date(d, p) for d, p in zip(frame["published_on"], frame["published_precision"], strict=True)],
        tr("Outlet"): list(frame["outlet"]),
        tr("Country"): [tr.country(c) for c in frame["country_code"]],
        tr("Title"): list(frame["title"]),
        tr("Tone"): [tr.term(reference.TONES, t) for t in frame["tone"]],
        tr("About"): about,
        tr("Link"): [v if isinstance(v, str) else "" for v in frame["link"]],
    }), tr)  # fmt: skip


DUE_WORDS = {"fee": N_("Membership fee"), "call": N_("Call closes"), "follow_up": N_("Follow-up action")}
RECORD_WORDS = {"events": N_("Event"), "missions": N_("Mission"), "follow_ups": N_("Follow-up action")}
GOAL_COLUMNS = {"events": N_("Events held"), "missions": N_("Missions done"), "follow_ups": N_("Follow-ups done"),
                "coverage": N_("Press items"), "organisations": N_("Organisations"),
                "people_abroad": N_("People abroad")}  # fmt: skip


def due_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """What is due with organisations: the day, the organisation, what falls due and its detail."""
    return rtl_order(pd.DataFrame({
        tr("Due"): _dates(frame["due_on"], frame["due_precision"], tr),
        tr("Organisation"): list(frame["organisation"]),
        tr("What"): [tr(DUE_WORDS[w]) for w in frame["what"]],
        tr("Detail"): [_amount(d, tr) if w == "fee" else d
                       for w, d in zip(frame["what"], frame["detail"], strict=True)],
    }), tr)  # fmt: skip


def _amount(detail: str, tr: Translator) -> str:
    """A fee as "1200 EUR" in the reader's digits."""
    number, _space, currency = detail.partition(" ")
    try:
        return f"{tr.number(float(number))} {currency}".strip()
    except ValueError:
        return detail


def goals_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The unit's work counted per goal (:func:`twinmap.reads.relations.work_per_goal`), goals in words."""
    out = {tr("Goal"): [tr.term(reference.UNIT_GOALS, g) for g in frame["goal"]]}
    out |= {tr(label): tr.figures(frame[column]) for column, label in GOAL_COLUMNS.items() if column in frame}
    return rtl_order(pd.DataFrame(out), tr)


def work_table(frame: pd.DataFrame, tr: Translator = ENGLISH, named: bool = False) -> pd.DataFrame:
    """An organisation's events, missions and follow-up actions, by day (``named``: with the organisation's name)."""
    statuses = {"events": reference.EVENT_STATUSES, "missions": reference.MISSION_STATUSES,
                "follow_ups": reference.FOLLOW_UP_STATUSES}  # fmt: skip
    return rtl_order(pd.DataFrame({
        tr("Date"): _dates(frame["day"], frame["precision"], tr),
        tr("Record"): [tr(RECORD_WORDS[r]) for r in frame["record"]],
        tr("Title"): list(frame["title"]),
        tr("Status"): [tr.term(statuses[r], s) for r, s in zip(frame["record"], frame["status"], strict=True)],
        **({tr("Organisation"): list(frame["organisation"])} if named else {}),
    }), tr)  # fmt: skip


def coverage_countries_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Press items per country and tone (:func:`twinmap.reads.relations.coverage_by_country`)."""
    out = {tr("Country"): [tr.country(c) for c in frame["country_code"]], tr("Press items"): tr.figures(frame["items"])}
    out |= {tr(t.label): tr.figures(frame[t.code]) for t in reference.TONES}
    return rtl_order(pd.DataFrame(out), tr)


def diaspora_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """People abroad counted by country (what readers outside the staff see)."""
    return rtl_order(pd.DataFrame({tr("Country"): [tr.country(c) for c in frame["country_code"]],
                                   tr("People"): tr.figures(frame["people"])}), tr)  # fmt: skip


def people_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """People abroad in full, for their home city's staff: contact details only where they consented."""

    def text(values: pd.Series) -> list[str]:
        return [v if isinstance(v, str) else "" for v in values]

    return rtl_order(pd.DataFrame({
        tr("Name"): list(frame["name"]), tr("Country"): [tr.country(c) for c in frame["country_code"]],
        tr("City"): [tr.place(c, k) if isinstance(c, str) else "" for c, k in zip(frame["city"], frame["country_code"],
                                                                                   strict=True)],
        tr("Association"): text(frame["association"]),
        tr("Occupation"): text(frame["occupation"]), tr("Offered"): text(frame["offered"]),
        tr("Consent"): [tr("Yes") if c else tr("No") for c in frame["consent"]],
        tr("E-mail"): text(frame["email"]), tr("Phone"): text(frame["phone"]),
    }), tr)  # fmt: skip

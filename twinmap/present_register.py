"""Tables of the register, health, pipeline, missions and follow-ups, in the reader's language.

Like :mod:`twinmap.present`, every function takes query rows and returns a plain DataFrame of
text and numbers (right-to-left column order for Persian), so pages only draw and the same table
is what CSV and Excel downloads hold.
"""

from __future__ import annotations

import pandas as pd

from twinmap import health, impact, reference, register
from twinmap.charts import pair_labels
from twinmap.i18n import ENGLISH, Translator
from twinmap.present import _ordered


def _date(tr: Translator, value: object, precision: object) -> str:
    return "" if value is None or pd.isna(value) else tr.date(value, precision if isinstance(precision, str) else "day")


def _health(tr: Translator, score: object, klass: object) -> str:
    if score is None or pd.isna(score):
        return ""
    return f"{tr.number(int(score))} · {tr.term(reference.HEALTH_CLASSES, klass)}"


def register_table(frame: pd.DataFrame, tr: Translator = ENGLISH, with_health: bool = False) -> pd.DataFrame:
    """One line per partnership: stage and since when, term, completeness, activity (and health)."""
    out = pd.DataFrame(
        {
            tr("Partnership"): pair_labels(frame, tr),
            tr("Country"): [tr.country(c) for c in frame["partner_country"]],
            tr("Stage"): [tr.term(reference.STATUSES, s) for s in frame["status"]],
            tr("Stage since"): [
                _date(tr, d, p) for d, p in zip(frame["entered_on"], frame["entered_precision"], strict=True)
            ],
            tr("Signed"): [_date(tr, d, p) for d, p in zip(frame["signed_on"], frame["signed_precision"], strict=True)],
            tr("Valid until"): [
                _date(tr, d, p) for d, p in zip(frame["valid_until"], frame["valid_until_precision"], strict=True)
            ],
            tr("Agreement complete, %"): frame["completeness"].astype(int),
            tr("Last event"): [_date(tr, d, "day") for d in frame["last_event"]],
            tr("Next event"): [_date(tr, d, "day") for d in frame["next_event"]],
        }
    )
    if with_health:
        out[tr("Health")] = [_health(tr, s, k) for s, k in zip(frame["score"], frame["klass"], strict=True)]
    return _ordered(out, tr)


def reasons(found: health.Health, tr: Translator = ENGLISH) -> list[str]:
    """The health findings as sentences in the reader's language."""
    return [tr(r.msgid, **{k: tr.number(v) if isinstance(v, int) else v for k, v in r.values.items()})
            for r in found.reasons]  # fmt: skip


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
    return _ordered(out, tr)


def health_parts(found: health.Health, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The score of one partnership part by part: how it was reached."""
    rows = [
        (tr(label), health.WEIGHTS[k], "—" if found.parts[k] is None else tr.number(round(100 * found.parts[k])))
        for k, label in health.PARTS.items()
    ]
    out = pd.DataFrame(rows, columns=[tr("Part"), tr("Weight"), tr("Score, %")])
    return _ordered(out, tr)


def missing_elements(missing: list[str], tr: Translator = ENGLISH) -> list[str]:
    """Names of the agreement's missing elements."""
    labels = dict(register.ELEMENTS)
    return [tr(labels[m]) for m in missing]


def missions_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Official trips: when, where, who, why, what came of it, for which partnership."""
    pairs = [
        f"{tr.city(h)} – {tr.city(p)}" if isinstance(h, str) else ""
        for h, p in zip(frame["home_name"], frame["partner_name"], strict=True)
    ]
    out = pd.DataFrame(
        {
            tr("Date"): [_date(tr, d, p) for d, p in zip(frame["starts_on"], frame["starts_precision"], strict=True)],
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
    return _ordered(out, tr)


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
            tr("Due"): [_date(tr, r["due_on"], r["due_precision"]) for r in rows],
            tr("Action"): [r["action"] for r in rows],
            tr("Owner"): [r["owner"] or "" for r in rows],
            tr("Partnership"): pair_labels(frame, tr),
            tr("State"): [state(r) for r in rows],
            tr("Done on"): [_date(tr, r["done_on"], r["done_precision"]) for r in rows],
        }
    )
    return _ordered(out, tr)


def targets_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Indicator targets with what was measured and whether they were met."""
    states = {"met": tr("Met"), "missed": tr("Missed"), "pending": tr("Period not over"), "no data": tr("No data")}
    out = pd.DataFrame(
        {
            tr("Partnership"): pair_labels(frame, tr),
            tr("Indicator"): [tr.term(reference.INDICATORS, i) for i in frame["indicator"]],
            tr("From"): [tr.country(c) for c in frame["partner_country"]],
            tr("Period"): [_date(tr, d, p) for d, p in zip(frame["due_on"], frame["due_precision"], strict=True)],
            tr("Target"): [tr.number(v) for v in frame["target_value"]],
            tr("Measured"): ["" if pd.isna(v) else tr.number(v) for v in frame["measured"]],
            tr("Result"): [states[s] for s in frame["state"]],
        }
    )
    return _ordered(out, tr)


def stages_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """A partnership's stage history, oldest first."""
    out = pd.DataFrame(
        {
            tr("Stage"): [tr.term(reference.STATUSES, s) for s in frame["status"]],
            tr("Since"): [
                _date(tr, d, p) for d, p in zip(frame["entered_on"], frame["entered_precision"], strict=True)
            ],
            tr("Note"): list(frame["note"].fillna("")),
            tr("Source"): list(frame["source"].fillna("")),
        }
    )
    return _ordered(out, tr)


def impact_summary(frame: pd.DataFrame) -> dict[str, int]:
    """How many partnerships fall under each tourism-impact verdict."""
    counts = frame["verdict"].value_counts().to_dict()
    return {t.code: int(counts.get(t.code, 0)) for t in impact.VERDICTS}

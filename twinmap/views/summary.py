"""A printable one-page summary of a partnership, for a meeting: a self-contained HTML file.

Opened in any browser and printed (A4, no page furniture); works offline; every value from the
data is escaped, so a title typed as ``<script>`` prints as text.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd

from twinmap.core import reference
from twinmap.reads.health import Health
from twinmap.views.i18n import ENGLISH, Translator
from twinmap.views.labels import pair_label
from twinmap.views.tables import missing_elements, reasons

_CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: "Noto Sans", "Noto Naskh Arabic", "DejaVu Sans", sans-serif; font-size: 10.5pt; color: #222;
       max-width: 190mm; margin: auto; }
h1 { font-size: 17pt; margin: 0 0 2mm; } h2 { font-size: 12pt; margin: 5mm 0 1.5mm; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; } td, th { padding: 1mm 2mm; vertical-align: top; text-align: start; }
th { width: 32%; color: #555; font-weight: normal; } .missing { color: #b00; } .muted { color: #666; }
ul { margin: 0; padding-inline-start: 5mm; }
"""


def _row(label: str, value: object) -> str:
    text = "" if value is None or (not isinstance(value, list) and pd.isna(value)) else str(value)
    return f"<tr><th>{escape(label)}</th><td>{escape(text) or '—'}</td></tr>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>" if items else "<p class=muted>—</p>"


def _areas(row: dict) -> list[str]:
    areas = row.get("areas")
    return [] if areas is None else list(areas)


def _events(frame: pd.DataFrame, tr: Translator) -> list[str]:
    return [f"{tr.date(r['starts_on'], r['starts_precision'])} — {r['title']}" for r in frame.to_dict("records")]


def partnership_html(
    row: dict,
    events: pd.DataFrame,
    today: dt.date,
    tr: Translator = ENGLISH,
    found: Health | None = None,
    contacts: pd.DataFrame | None = None,
) -> str:
    """The summary page; ``found`` (health) and ``contacts`` only when the reader may see them."""
    pair = pair_label(row, tr)
    date = lambda d, p: tr.date(d, p) if d is not None and not pd.isna(d) else ""  # noqa: E731
    agreement = [
        _row(tr("Stage"), tr.term(reference.STATUSES, row["status"])),
        _row(tr("Kind"), tr.term(reference.PARTNERSHIP_KINDS, row["kind"])),
        _row(tr("Signed"), date(row.get("signed_on"), row.get("signed_precision"))),
        _row(tr("Valid until"), date(row.get("valid_until"), row.get("valid_until_precision"))),
        _row(tr("Areas"), tr.join([tr.term(reference.AREAS, a) for a in _areas(row)])),
        _row(tr("Purpose"), row.get("purpose")),
        _row(tr("Plans and programmes"), row.get("programmes")),
        _row(tr("Our obligations"), row.get("obligations_home")),
        _row(tr("Partner's obligations"), row.get("obligations_partner")),
        _row(tr("Expected results"), row.get("expected_results")),
        _row(tr("Success indicators"), row.get("success_indicators")),
    ]
    held = events[(events["starts_on"].dt.date <= today) & events["status"].isin(reference.EVENT_HELD)].tail(5)
    coming = events[(events["starts_on"].dt.date > today) & ~events["status"].isin(reference.EVENT_CANCELLED)].head(5)
    # Texts are translated outside the f-strings: the catalogue extractor does not look inside them.
    titles = {
        "date": tr("Summary of {date}", date=tr.date(today, "day")),
        "agreement": tr("Agreement"),
        "complete": tr("Agreement complete: {pct}%", pct=tr.number(int(row["completeness"]))),
        "recent": tr("Recent events"),
        "coming": tr("Coming events"),
        "contacts": tr("Contact persons"),
    }
    parts = [
        f"<h1>{escape(pair)}</h1>",
        f"<p class=muted>{escape(titles['date'])}</p>",
        f"<h2>{escape(titles['agreement'])}</h2><table>{''.join(agreement)}</table>",
        f"<p>{escape(titles['complete'])}</p>",
    ]
    missing = missing_elements(list(row.get("missing") or []), tr)
    if missing:
        text = tr("Missing: {items}", items=tr.join(missing))
        parts.append(f"<p class=missing>{escape(text)}</p>")
    if found is not None:
        head = tr("Health: {score} of 100, {klass}", score=tr.number(found.score),
                  klass=tr.term(reference.HEALTH_CLASSES, found.klass))  # fmt: skip
        parts.append(f"<h2>{escape(head)}</h2>{_list(reasons(found, tr))}")
    parts += [f"<h2>{escape(titles['recent'])}</h2>{_list(_events(held, tr))}",
              f"<h2>{escape(titles['coming'])}</h2>{_list(_events(coming, tr))}"]  # fmt: skip
    if contacts is not None and len(contacts):
        people = [", ".join(str(v) for v in r if isinstance(v, str) and v) for r in contacts.itertuples(index=False)]
        parts.append(f"<h2>{escape(titles['contacts'])}</h2>{_list(people)}")
    direction = "rtl" if tr.rtl else "ltr"
    return (
        f'<!doctype html><html lang="{tr.lang}" dir="{direction}"><head><meta charset="utf-8">'
        f"<title>{escape(pair)}</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )

"""The digest as an e-mail: a subject, a plain-text body and an HTML body, in the reader's language.

Every value from the data is escaped in the HTML body (a partner named ``<b>`` stays text), and
the HTML is one table per part, readable in any mail client (no scripts, no external images).
"""

from __future__ import annotations

import html
from email.message import EmailMessage

import pandas as pd

from twinmap.reads.digest import DUE_SOON_DAYS, FEES_DAYS, Digest
from twinmap.views import tables
from twinmap.views.i18n import Translator
from twinmap.views.labels import pair_labels


def _expiring(frame: pd.DataFrame, tr: Translator) -> list[str]:
    return [tr("{pair}: valid until {date}", pair=pair, date=tr.date(d, p))
            for pair, d, p in zip(pair_labels(frame, tr), frame["valid_until"], frame["valid_until_precision"],
                                  strict=True)]  # fmt: skip


def _follow_ups(frame: pd.DataFrame, tr: Translator) -> list[str]:
    pairs = pair_labels(frame, tr)
    return [tr("{pair}: {action} (due {date})", pair=pair, action=a, date=tr.date(d, p))
            for pair, a, d, p in zip(pairs, frame["action"], frame["due_on"], frame["due_precision"],
                                     strict=True)]  # fmt: skip


def _events(frame: pd.DataFrame, tr: Translator) -> list[str]:
    pairs = pair_labels(frame, tr)
    return [f"{tr.date(d, p)}: {title} ({pair})"
            for d, p, title, pair in zip(frame["starts_on"], frame["starts_precision"], frame["title"], pairs,
                                         strict=True)]  # fmt: skip


def _fading(frame: pd.DataFrame, tr: Translator) -> list[str]:
    pairs = pair_labels(frame, tr)
    return [f"{pair}: {(tables.reasons(found, tr) or [''])[0]}".rstrip(": ")
            for pair, found in zip(pairs, frame["health"], strict=True)]  # fmt: skip


def _organisations(frame: pd.DataFrame, tr: Translator) -> list[str]:
    if frame.empty:
        return []
    due = zip(frame["what"], frame["organisation"], frame["detail"], frame["due_on"], frame["due_precision"],
              strict=True)  # fmt: skip
    return [tr("{name}: fee due {date}", name=n, date=tr.date(d, p)) if w == "fee"
            else tr("{name}: {call} closes {date}", name=n, call=c, date=tr.date(d, p))
            for w, n, c, d, p in due]  # fmt: skip


def parts(digest: Digest, tr: Translator) -> list[tuple[str, list[str]]]:
    """The digest's headings and lines, in order; a part with nothing to say is left out."""
    found = [
        (tr("Agreements expiring within 6 months"), _expiring(digest.expiring_6, tr)),
        (tr("Agreements expiring in 6 to 12 months"), _expiring(digest.expiring_12, tr)),
        (tr("Overdue follow-up actions"), _follow_ups(digest.overdue, tr)),
        (tr("Follow-up actions due within {n} days", n=tr.number(DUE_SOON_DAYS)), _follow_ups(digest.due_soon, tr)),
        (tr("Next events"), _events(digest.next_events, tr)),
        (tr("Partnerships that turned fading since the last digest"), _fading(digest.turned_fading, tr)),
        (
            tr("Due with organisations within {n} days", n=tr.number(FEES_DAYS)),
            _organisations(digest.organisations_due, tr),
        ),
    ]
    return [(heading, lines) for heading, lines in found if lines]


def message(digest: Digest, tr: Translator, app_url: str, sender: str, to: str) -> EmailMessage:
    """The e-mail: plain text with an HTML alternative, both saying the same."""
    sections = parts(digest, tr)
    subject = tr("twinmap digest: {n} things to look at", n=tr.number(sum(len(lines) for _h, lines in sections)))
    text = "\n\n".join(f"{heading}\n" + "\n".join(f"- {line}" for line in lines) for heading, lines in sections)
    text += "\n\n" + tr("Open the dashboard: {url}", url=app_url) + "\n"
    direction = "rtl" if tr.rtl else "ltr"
    body = "".join(
        f"<h2>{html.escape(heading)}</h2><ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"
        for heading, lines in sections
    )
    link = html.escape(app_url, quote=True)
    page = (f'<!doctype html><html lang="{tr.lang}" dir="{direction}"><body style="font-family: sans-serif">'
            f'<h1>{html.escape(subject)}</h1>{body}<p><a href="{link}">{html.escape(tr("Open the dashboard"))}</a>'
            "</p></body></html>")  # fmt: skip
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = subject, sender, to
    mail.set_content(text)
    mail.add_alternative(page, subtype="html")
    return mail

"""The grant report of a year's events, in the form twinning grant programmes ask for.

The EU's citizens' programme and national funds ask for each event, participants by country and
by gender, the funding source and the budget.
"""

from __future__ import annotations

import pandas as pd

from twinmap.core import reference
from twinmap.core.text import parse_counts
from twinmap.ingest import exporter
from twinmap.reads.grant import by_country
from twinmap.views.i18n import ENGLISH, Translator
from twinmap.views.labels import rtl_order
from twinmap.views.tables import event_columns


def _int(v: object) -> object:
    return None if v is None or pd.isna(v) else int(v)


def report(frame: pd.DataFrame, year: int, tr: Translator = ENGLISH) -> dict[str, pd.DataFrame]:
    """The report's sheets: summary, events, participants by country."""
    counted = frame["participants"].notna()
    gendered = frame["participants_female"].notna() | frame["participants_male"].notna()
    summary = [
        (tr("Year"), str(year)),
        (tr("Events held"), len(frame)),
        (tr("Participants"), int(frame.loc[counted, "participants"].sum())),
        (tr("Events without a participant count"), int((~counted).sum())),
        (tr("Women"), int(frame["participants_female"].fillna(0).sum())),
        (tr("Men"), int(frame["participants_male"].fillna(0).sum())),
        (tr("Events without a gender breakdown"), int((~gendered).sum())),
    ]
    for currency, total in frame.groupby("currency")["budget"].sum().items():
        summary.append((tr("Budget, {currency}", currency=currency), float(total)))
    for code, n in frame["funding_source"].value_counts().items():
        summary.append((tr("Funded by: {source}", source=tr.term(reference.FUNDING_SOURCES, code)), int(n)))
    events = pd.DataFrame(
        {
            **event_columns(frame, tr),
            tr("Participants"): [_int(v) for v in frame["participants"]],
            tr("Women"): [_int(v) for v in frame["participants_female"]],
            tr("Men"): [_int(v) for v in frame["participants_male"]],
            tr("By country"): [
                tr.join(
                    [
                        f"{tr.country(c)}: {tr.number(n)}"
                        for c, n in parse_counts(v if isinstance(v, str) else None).items()
                    ]
                )
                for v in frame["participants_by_country"]
            ],
            tr("Funding"): [
                tr.term(reference.FUNDING_SOURCES, s) if isinstance(s, str) else "" for s in frame["funding_source"]
            ],
            tr("Budget"): [None if pd.isna(b) else float(b) for b in frame["budget"]],
            tr("Currency"): list(frame["currency"].fillna("")),
        }
    )
    countries = by_country(frame)
    per_country = pd.DataFrame({tr("Country"): [tr.country(c) for c in countries.index],
                                tr("Participants"): countries.to_numpy()})  # fmt: skip
    return {
        tr("Summary"): pd.DataFrame(summary, columns=[tr("Item"), tr("Value")]),
        tr("Events"): rtl_order(events, tr),
        tr("By country"): rtl_order(per_country, tr),
    }


def summary_shown(summary: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The summary sheet as the page shows it: every value in the reader's digits (the workbook keeps numbers)."""
    values = [tr.number(v) if isinstance(v, int | float) else tr.digits(str(v)) for v in summary.iloc[:, 1]]
    return summary.assign(**{summary.columns[1]: values})


def workbook(frames: dict[str, pd.DataFrame]) -> bytes:
    """The report as an Excel workbook."""
    return exporter.frame_xlsx(frames)

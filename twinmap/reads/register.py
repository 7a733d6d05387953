"""The partnership register: every partnership with its agreement's completeness, stage and health.

The elements an agreement records come from the twinning guide (partner, purpose, programmes,
each side's obligations, expected results, success indicators with targets, term, contact
persons); completeness is the share of them the register holds, and the missing ones are named
so staff know what to ask the partner for.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from twinmap.core.reference import N_
from twinmap.reads import health, lifecycle
from twinmap.reads.queries import PartnershipFilter

# (code, label): the elements of an agreement, in the guide's order.
ELEMENTS: tuple[tuple[str, str], ...] = (
    ("partner", N_("Partner city")),
    ("purpose", N_("Purpose")),
    ("programmes", N_("Plans and programmes")),
    ("obligations_home", N_("Our obligations")),
    ("obligations_partner", N_("Partner's obligations")),
    ("expected_results", N_("Expected results")),
    ("success_indicators", N_("Success indicators")),
    ("targets", N_("Targets with numbers")),
    ("term", N_("Term of validity")),
    ("contacts", N_("Contact persons on both sides")),
    ("agreement_file", N_("Signed agreement on file")),
)
_TEXT = ("purpose", "programmes", "obligations_home", "obligations_partner", "expected_results", "success_indicators")


def _filled(column: pd.Series) -> pd.Series:
    """Whether each value is there: not missing and not blank."""
    return column.notna() & column.astype(str).str.strip().ne("")


def _count(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_numeric(frame[name], errors="coerce").fillna(0) if name in frame else pd.Series(0, index=frame.index)


def completeness_of(frame: pd.DataFrame) -> tuple[pd.Series, list[list[str]]]:
    """Per cent of each agreement's elements present, and the codes of the missing ones, a row each.

    ``frame`` holds the partnerships' columns plus ``n_targets``, ``home_contacts``,
    ``partner_contacts`` and ``n_agreements`` (the signed agreement attached as a document); the
    term counts when both the signing date and the end are known.
    Judged a column at a time: the register of 50,000 partnerships is read by every first visitor.
    """

    def filled(name: str) -> pd.Series:
        return _filled(frame[name]) if name in frame else pd.Series(False, index=frame.index)

    present = pd.DataFrame({
        "partner": filled("partner_name"),
        **{k: filled(k) for k in _TEXT},
        "targets": _count(frame, "n_targets") > 0,
        "term": filled("signed_on") & filled("valid_until"),
        "contacts": (_count(frame, "home_contacts") > 0) & (_count(frame, "partner_contacts") > 0),
        "agreement_file": _count(frame, "n_agreements") > 0,
    })[[code for code, _ in ELEMENTS]]  # fmt: skip
    pct = (100 * present.sum(axis=1) / len(ELEMENTS)).round().astype(int)
    pattern = present.to_numpy() @ (1 << np.arange(len(ELEMENTS)))  # a few hundred patterns for 50,000 rows
    codes = [code for code, _ in ELEMENTS]
    missing = {int(b): [c for i, c in enumerate(codes) if not b >> i & 1] for b in np.unique(pattern)}
    return pct, [list(missing[int(b)]) for b in pattern]


def completeness(row: dict) -> tuple[int, list[str]]:
    """One agreement's per cent of elements present and its missing ones (see :func:`completeness_of`)."""
    pct, missing = completeness_of(pd.DataFrame([row]))
    return int(pct.iloc[0]), missing[0]


# The register of a reader who sees no health (signed out): the columns, no assessment made.
NO_HEALTH = pd.DataFrame({"id": pd.Series(dtype="int32"), "score": pd.Series(dtype="float64"),
                          "klass": pd.Series(dtype="object"), "health": pd.Series(dtype="object")})  # fmt: skip

_EXTRAS_SQL = """
WITH t AS (SELECT partnership_id, count(*) AS n FROM targets GROUP BY ALL),
     k AS (SELECT partnership_id, city_id, count(*) AS n FROM contacts GROUP BY ALL),
     a AS (SELECT partnership_id, count(*) AS n FROM attachments
           WHERE kind = 'agreement' AND event_id IS NULL AND mission_id IS NULL GROUP BY ALL)
SELECT p.id, coalesce(t.n, 0) AS n_targets, coalesce(kh.n, 0) AS home_contacts, coalesce(kp.n, 0) AS partner_contacts,
       coalesce(a.n, 0) AS n_agreements
FROM partnerships p
LEFT JOIN t ON t.partnership_id = p.id
LEFT JOIN a ON a.partnership_id = p.id
LEFT JOIN k kh ON kh.partnership_id = p.id AND kh.city_id = p.home_city_id
LEFT JOIN k kp ON kp.partnership_id = p.id AND kp.city_id = p.partner_city_id
"""


def table(con: duckdb.DuckDBPyConnection, f: PartnershipFilter, today: dt.date, board: pd.DataFrame | None = None,
          assessed: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    """The register: partnerships with stage entry date, completeness, missing elements and health.

    ``board`` and ``assessed`` are :func:`lifecycle.board` of ``f`` and :func:`health.assess_all` of
    ``f.own()`` when the caller holds them.
    """
    frame = lifecycle.board(con, f, today) if board is None else board
    extras = con.cursor().execute(_EXTRAS_SQL).df()  # every partnership's counts: cheaper than a 50,000-id list
    frame = frame.merge(extras, on="id", how="left")
    frame["completeness"], frame["missing"] = completeness_of(frame)
    assessed = health.assess_all(con, f.own(), today) if assessed is None else assessed  # of the reader's cities
    assessed = assessed[["id", "score", "klass", "health"]]
    return frame.merge(assessed, on="id", how="left")

"""The partnership register: every partnership with its agreement's completeness, stage and health.

The elements an agreement records come from the twinning guide (partner, purpose, programmes,
each side's obligations, expected results, success indicators with targets, term, contact
persons); completeness is the share of them the register holds, and the missing ones are named
so staff know what to ask the partner for.
"""

from __future__ import annotations

import datetime as dt

import duckdb
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
)
_TEXT = ("purpose", "programmes", "obligations_home", "obligations_partner", "expected_results", "success_indicators")


def _filled(value: object) -> bool:
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return False
    return bool(str(value).strip())


def completeness(row: dict) -> tuple[int, list[str]]:
    """Per cent of the agreement's elements present, and the codes of the missing ones.

    ``row`` holds the partnership's columns plus ``n_targets``, ``home_contacts`` and
    ``partner_contacts``; the term counts when both the signing date and the end are known.
    """
    present = {
        "partner": _filled(row.get("partner_name")),
        **{k: _filled(row.get(k)) for k in _TEXT},
        "targets": int(row.get("n_targets") or 0) > 0,
        "term": _filled(row.get("signed_on")) and _filled(row.get("valid_until")),
        "contacts": int(row.get("home_contacts") or 0) > 0 and int(row.get("partner_contacts") or 0) > 0,
    }
    missing = [code for code, _ in ELEMENTS if not present[code]]
    return round(100 * (len(ELEMENTS) - len(missing)) / len(ELEMENTS)), missing


# The register of a reader who sees no health (signed out): the columns, no assessment made.
NO_HEALTH = pd.DataFrame({"id": pd.Series(dtype="int32"), "score": pd.Series(dtype="float64"),
                          "klass": pd.Series(dtype="object"), "health": pd.Series(dtype="object")})  # fmt: skip

_EXTRAS_SQL = """
WITH t AS (SELECT partnership_id, count(*) AS n FROM targets GROUP BY ALL),
     k AS (SELECT partnership_id, city_id, count(*) AS n FROM contacts GROUP BY ALL)
SELECT p.id, coalesce(t.n, 0) AS n_targets, coalesce(kh.n, 0) AS home_contacts, coalesce(kp.n, 0) AS partner_contacts
FROM partnerships p
LEFT JOIN t ON t.partnership_id = p.id
LEFT JOIN k kh ON kh.partnership_id = p.id AND kh.city_id = p.home_city_id
LEFT JOIN k kp ON kp.partnership_id = p.id AND kp.city_id = p.partner_city_id
WHERE list_contains($ids::INTEGER[], p.id)
"""


def table(con: duckdb.DuckDBPyConnection, f: PartnershipFilter, today: dt.date, board: pd.DataFrame | None = None,
          assessed: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    """The register: partnerships with stage entry date, completeness, missing elements and health.

    ``board`` and ``assessed`` are :func:`lifecycle.board` of ``f`` and :func:`health.assess_all` of
    ``f.own()`` when the caller holds them.
    """
    frame = lifecycle.board(con, f, today) if board is None else board
    extras = con.cursor().execute(_EXTRAS_SQL, {"ids": [int(i) for i in frame["id"]]}).df()
    frame = frame.merge(extras, on="id", how="left")
    needed = ["partner_name", *_TEXT, "n_targets", "signed_on", "valid_until", "home_contacts", "partner_contacts"]
    found = [completeness(r) for r in frame[needed].to_dict("records")]
    frame["completeness"] = [c for c, _ in found]
    frame["missing"] = [m for _, m in found]
    assessed = health.assess_all(con, f.own(), today) if assessed is None else assessed  # of the reader's cities
    assessed = assessed[["id", "score", "klass", "health"]]
    return frame.merge(assessed, on="id", how="left")

"""Turn query frames into what a person reads: formatted dates, labels, partner cards.

No Streamlit here, so the wording of every table and card is testable with plain pytest.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from twinmap import dates, geo, reference


def date_text(value: object, precision: str | None, cal: str = "gregorian") -> str:
    """A stored date shown at its own precision ('—' when unknown)."""
    p = dates.from_db(value, precision)
    return p.display(cal) if p else "—"


def events_table(frame: pd.DataFrame, cal: str = "gregorian") -> pd.DataFrame:
    """Events as a readable table: when, what, which partnership, where, who, status."""
    return pd.DataFrame(
        {
            "Date": [date_text(d, p, cal) for d, p in zip(frame["starts_on"], frame["starts_precision"], strict=True)],
            "Event": frame["title"],
            "Kind": [reference.label(reference.EVENT_KINDS, k) for k in frame["kind"]],
            "Partnership": [f"{h} – {p}" for h, p in zip(frame["home_name"], frame["partner_name"], strict=True)],
            "Venue": frame["venue"].fillna(""),
            "Status": [reference.label(reference.EVENT_STATUSES, s) for s in frame["status"]],
        }
    )


def expiring_table(frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Agreements about to expire, with the days left."""
    return pd.DataFrame(
        {
            "Partnership": [f"{h} – {p}" for h, p in zip(frame["home_name"], frame["partner_name"], strict=True)],
            "Expires": [e.strftime("%d %b %Y") for e in frame["expires_on"]],
            "Days left": [(e - today).days for e in frame["expires_on"]],
        }
    )


def partner_card(row: pd.Series, cal: str = "gregorian", private: bool = False) -> list[tuple[str, str]]:
    """The essentials of one partnership as (label, text) pairs; internal notes only if ``private``."""
    km = geo.distance_km(row["home_lat"], row["home_lon"], row["partner_lat"], row["partner_lon"])
    direction = geo.compass(geo.bearing_deg(row["home_lat"], row["home_lon"], row["partner_lat"], row["partner_lon"]))
    population = row.get("partner_population")
    areas = row.get("areas")
    areas = list(areas) if areas is not None and len(areas) else []
    pairs = [
        ("Country", geo.country_name(row["partner_country"])),
        ("Region", row.get("partner_region") or "—"),
        ("Population", f"{int(population):,}" if pd.notna(population) else "—"),
        ("Home city", row["home_name"]),
        ("Distance", f"{km:,.0f} km {direction} of {row['home_name']}"),
        ("Kind", reference.label(reference.PARTNERSHIP_KINDS, row["kind"])),
        ("Status", reference.label(reference.STATUSES, row["status"])),
        ("Signed", date_text(row.get("signed_on"), row.get("signed_precision"), cal)),
        ("Valid until", date_text(row.get("valid_until"), row.get("valid_until_precision"), cal)),
        ("Areas", ", ".join(reference.label(reference.AREAS, a) for a in areas) or "—"),
        ("Purpose", row.get("purpose") or "—"),
        ("Last event", date_text(row.get("last_event"), "day", cal)),
        ("Next event", date_text(row.get("next_event"), "day", cal)),
        ("Source", row.get("source") or "—"),
    ]
    if private:
        pairs.append(("Internal notes", row.get("notes") or "—"))
    return pairs


def before_after_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The before/after-signing comparison as a table, with the general trend beside it."""
    return pd.DataFrame(
        {
            "Partnership": [f"{h} – {p}" for h, p in zip(frame["home_name"], frame["partner_name"], strict=True)],
            "From": [geo.country_name(c) for c in frame["partner_country"]],
            "Signed": [date_text(d, p) for d, p in zip(frame["signed_on"], frame["signed_precision"], strict=True)],
            "Monthly mean before": frame["before"].round(0),
            "Monthly mean after": frame["after"].round(0),
            "Change %": frame["change_pct"].round(1),
            "All foreign, change %": frame["all_foreign_change_pct"].round(1),
        }
    )


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def md_escape(text: object) -> str:
    """Escape Markdown so data shows as typed (no links, emphasis or HTML from a cell)."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(map(str, value))
    return str(value)


def plan_tables(plan: object) -> dict[str, pd.DataFrame]:
    """An import preview as tables: problems, new rows, changes (old → new), new cities."""
    problems = pd.DataFrame(
        [{"Row": p.row or "", "Column": p.column, "Problem": p.reason} for p in plan.errors],
        columns=["Row", "Column", "Problem"],
    )
    new = pd.DataFrame(
        [
            {"Row": line, **{k: _show(v) for k, v in values.items()}}
            for line, values in zip(plan.new_rows, plan.new, strict=True)
        ]
    )
    changes = pd.DataFrame(
        [
            {"Row": c.row, "Id": c.id, "Column": col, "Old": _show(c.before.get(col)), "New": _show(new_value)}
            for c in plan.changed
            for col, new_value in c.after.items()
        ],
        columns=["Row", "Id", "Column", "Old", "New"],
    )
    cities = pd.DataFrame(
        [{k: _show(v) for k, v in c.items() if k != "id"} for c in plan.new_cities],
    )
    return {"problems": problems, "new": new, "changes": changes, "cities": cities}

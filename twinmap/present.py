"""Turn query frames into what a person reads: formatted dates, labels, partner cards, previews.

No Streamlit here, so the wording of every table and card is testable with plain pytest. Every
function takes a :class:`~twinmap.i18n.Translator`; right-to-left readers get the columns of a
table in reverse order, so the first column stands on the right.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pandas as pd

from twinmap import geo, reference
from twinmap.charts import pair_labels
from twinmap.i18n import ENGLISH, Translator
from twinmap.impact import VERDICTS
from twinmap.tables import TABLES


def _ordered(frame: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    return frame[frame.columns[::-1]] if tr.rtl else frame


def event_columns(frame: pd.DataFrame, tr: Translator = ENGLISH) -> dict[str, list]:
    """When, what, kind, which partnership, where: the columns every table of events starts with."""
    return {
        tr("Date"): [tr.date(d, p) for d, p in zip(frame["starts_on"], frame["starts_precision"], strict=True)],
        tr("Event"): list(frame["title"]),
        tr("Kind"): [tr.term(reference.EVENT_KINDS, k) for k in frame["kind"]],
        tr("Partnership"): pair_labels(frame, tr),
        tr("Venue"): list(frame["venue"].fillna("")),
    }


def events_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Events as a readable table: when, what, which partnership, where, status."""
    out = pd.DataFrame(
        {
            **event_columns(frame, tr),
            tr("Status"): [tr.term(reference.EVENT_STATUSES, s) for s in frame["status"]],
        }
    )
    return _ordered(out, tr)


def expiring_table(frame: pd.DataFrame, today: dt.date, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Agreements about to expire, with the days left."""
    out = pd.DataFrame(
        {
            tr("Partnership"): pair_labels(frame, tr),
            tr("Expires"): [tr.date(e, "day") for e in frame["expires_on"]],
            tr("Days left"): [tr.number((e - today).days) for e in frame["expires_on"]],
        }
    )
    return _ordered(out, tr)


def local_time(timezone: str | None, now: dt.datetime | None = None) -> str:
    """The time of day now in a city's time zone (HH:MM), or '' when unknown."""
    if not timezone:
        return ""
    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ""
    return (now or dt.datetime.now(dt.UTC)).astimezone(zone).strftime("%H:%M")


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
        (tr("Region"), row.get("partner_region") or "—"),
        (tr("Population"), tr.number(population) if pd.notna(population) else "—"),
        (tr("Home city"), home),
        (tr("Distance"), tr("{km} km {direction} of {city}", km=round(km), direction=tr(direction), city=home)),
        (tr("Local time"), tr.digits(local_time(row.get("partner_timezone"))) or "—"),
        (tr("Kind"), tr.term(reference.PARTNERSHIP_KINDS, row["kind"])),
        (tr("Status"), tr.term(reference.STATUSES, row["status"])),
        (tr("Signed"), tr.date(row.get("signed_on"), row.get("signed_precision"))),
        (tr("Valid until"), tr.date(row.get("valid_until"), row.get("valid_until_precision"))),
        (tr("Areas"), ", ".join(tr.term(reference.AREAS, a) for a in areas) or "—"),
        (tr("Purpose"), row.get("purpose") or "—"),
        (tr("Last event"), tr.date(row.get("last_event"), "day")),
        (tr("Next event"), tr.date(row.get("next_event"), "day")),
        (tr("Source"), row.get("source") or "—"),
    ]
    if private:
        pairs.append((tr("Internal notes"), row.get("notes") or "—"))
    return pairs


def before_after_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The before/after-signing comparison as a table, with the general trend and the verdict beside it."""
    out = pd.DataFrame(
        {
            tr("Partnership"): pair_labels(frame, tr),
            tr("From"): [tr.country(c) for c in frame["partner_country"]],
            tr("Signed"): [tr.date(d, p) for d, p in zip(frame["signed_on"], frame["signed_precision"], strict=True)],
            tr("Monthly mean before"): frame["before"].round(0),
            tr("Monthly mean after"): frame["after"].round(0),
            tr("Change %"): frame["change_pct"].round(1),
            tr("All foreign, change %"): frame["all_foreign_change_pct"].round(1),
            tr("Beyond the trend, points"): frame["beyond_pp"].round(1),
            tr("Verdict"): [tr.term(VERDICTS, v) for v in frame["verdict"]],
        }
    )
    return _ordered(out, tr)


def batch_label(row: dict, tr: Translator = ENGLISH) -> str:
    """One import in a line: number, table, file, who and when (what the undo box offers)."""
    when = row["created_at"].strftime("%Y-%m-%d %H:%M") if row.get("created_at") is not None else ""
    return f"#{row['id']} · {tr(_table_label(row['table_name']))} · {row['file_name']} · {row['user_name']} · {when}"


def batch_details(row: dict, tr: Translator = ENGLISH) -> str:
    """What undoing an import takes back, said before anyone confirms it."""
    return tr(
        "Import #{batch} of {file} into {table} by {user} on {when}: {inserted} new row(s), {updated} changed, "
        "{cities} city(ies) added. Undo deletes the new rows and restores the previous values of the changed ones.",
        batch=row["id"], file=row["file_name"], table=tr(_table_label(row["table_name"])), user=row["user_name"],
        when=tr.digits(row["created_at"].strftime("%Y-%m-%d %H:%M")), inserted=int(row["inserted"]),
        updated=int(row["updated"]), cities=int(row["cities_created"]),
    )  # fmt: skip


def _table_label(table: str) -> str:
    return TABLES[table].label if table in TABLES else table


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def plain_row(row: pd.Series) -> dict:
    """A frame row as a dict with missing values as None (so "or '—'" shows a dash, not "nan")."""
    return {k: None if pd.api.types.is_scalar(v) and pd.isna(v) else v for k, v in row.items()}


# Markdown turns bare URLs, www. names and e-mail addresses into links even when escaped; an
# invisible word joiner (U+2060) inside "://", "www." and before "@" keeps them plain text.
_AUTOLINKS = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?=@)")


def md_escape(text: object) -> str:
    """Escape Markdown so data shows as typed (no links, emphasis or HTML from a cell)."""
    plain = _AUTOLINKS.sub("\u2060", str(text))
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in plain)


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(map(str, value))
    return str(value)


def plan_tables(plan: object, tr: Translator = ENGLISH) -> dict[str, pd.DataFrame]:
    """An import preview as tables: problems, new rows, changes (old → new), new cities."""
    problems = pd.DataFrame(
        [{tr("Row"): p.row or "", tr("Column"): p.column, tr("Problem"): tr(p.msgid, **p.values)} for p in plan.errors],
        columns=[tr("Row"), tr("Column"), tr("Problem")],
    )
    new = pd.DataFrame(
        [
            {tr("Row"): line, **{k: _show(v) for k, v in values.items()}}
            for line, values in zip(plan.new_rows, plan.new, strict=True)
        ]
    ).fillna("")
    changes = pd.DataFrame(
        [
            {tr("Row"): c.row, "id": c.id, tr("Column"): col, tr("Old"): _show(c.before.get(col)), tr("New"): _show(v)}
            for c in plan.changed
            for col, v in c.after.items()
        ],
        columns=[tr("Row"), "id", tr("Column"), tr("Old"), tr("New")],
    )
    cities = pd.DataFrame([{k: _show(v) for k, v in c.items() if k != "id"} for c in plan.new_cities])
    return {"problems": problems, "new": new, "changes": changes, "cities": cities}

"""How one value reads: pair labels, escaped Markdown, missing values, local time.

The smallest pieces of the view layer, used by every table, card, chart and map, so a
partnership is named one way everywhere ("Home – Partner", in the reader's script).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping

import pandas as pd

from twinmap.views.i18n import ENGLISH, MISSING, Translator

__all__ = ["MISSING", "date_or_blank", "dates_of", "local_time", "md_escape", "pair_label", "pair_labels", "plain_row",
           "rtl_order"]  # fmt: skip


def pair_label(row: Mapping, tr: Translator = ENGLISH) -> str:
    """One partnership's label, "Home – Partner", in the reader's script."""
    home = tr.city(row["home_name"], row.get("home_local_name"))
    return f"{home} – {tr.city(row['partner_name'], row.get('partner_local_name'))}"


def pair_labels(frame: pd.DataFrame, tr: Translator = ENGLISH) -> list[str]:
    """Labels ("Home – Partner") of many partnerships, in frame order, in the reader's script."""
    local = {
        side: frame[f"{side}_local_name"] if f"{side}_local_name" in frame else [None] * len(frame)
        for side in ("home", "partner")
    }
    return [
        f"{tr.city(h, hl)} – {tr.city(p, pl)}" if isinstance(h, str) else ""
        for h, hl, p, pl in zip(frame["home_name"], local["home"], frame["partner_name"], local["partner"], strict=True)
    ]


def rtl_order(frame: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Right-to-left readers get a table's columns in reverse order, so the first stands on the right."""
    return frame[frame.columns[::-1]] if tr.rtl else frame


def dates_of(tr: Translator, frame: pd.DataFrame, column: str, precision: str) -> list[str]:
    """A frame's stored dates (a date column and its precision column) as the reader writes them."""
    return [date_or_blank(tr, d, p) for d, p in zip(frame[column], frame[precision], strict=True)]


def date_or_blank(tr: Translator, value: object, precision: object) -> str:
    """A stored date at its precision, or empty when there is none (tables show blanks, not dashes)."""
    return "" if value is None or pd.isna(value) else tr.date(value, precision if isinstance(precision, str) else "day")


def local_time(timezone: object, now: dt.datetime | None = None) -> str:
    """The time of day now in a city's time zone (HH:MM), or '' when unknown.

    A city an import created without a zone holds none: a frame's cell is then NaN or None, not text.
    """
    if not isinstance(timezone, str) or not timezone.strip():
        return ""
    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ""
    return (now or dt.datetime.now(dt.UTC)).astimezone(zone).strftime("%H:%M")


def plain_row(row: pd.Series) -> dict:
    """A frame row as a dict with missing values as None (so "or '—'" shows a dash, not "nan")."""
    return {k: None if pd.api.types.is_scalar(v) and pd.isna(v) else v for k, v in row.items()}


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


# Markdown turns bare URLs, www. names and e-mail addresses into links even when escaped; an
# invisible word joiner (U+2060) inside "://", "www." and before "@" keeps them plain text.
_AUTOLINKS = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?=@)")


def md_escape(text: object) -> str:
    """Escape Markdown so data shows as typed (no links, emphasis or HTML from a cell)."""
    plain = _AUTOLINKS.sub("\u2060", str(text))
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in plain)


def shorten(text: str, limit: int) -> str:
    """Text cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,.;:") + "…"

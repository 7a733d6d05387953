"""The public kiosk: settings, the order of the slides, and the data each slide shows.

A session's rotation starts at the slide the clock gives (``slide_at``) and then moves one slide
per tick, so screens started together stay in step and a reloaded browser or restarted server
picks up near where the rotation was instead of starting over. Only public data is read here,
whatever the URL says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import pandas as pd

from twinmap import config, i18n, queries

FIXED_SLIDES = ("headline", "upcoming", "growth")
MIN_SECONDS, MAX_SECONDS = 2, 600


@dataclass(frozen=True)
class Settings:
    """How one kiosk screen runs: language and seconds per slide."""

    lang: str = "en"
    seconds: int = 20

    @property
    def translator(self) -> i18n.Translator:
        """The screen's language, in its default calendar (Jalali for Persian)."""
        return i18n.Translator(self.lang, i18n.default_calendar(self.lang))


def enabled(params: Mapping[str, str]) -> bool:
    """Kiosk mode: ``?kiosk=1`` in the URL, or ``TWINMAP_KIOSK=1`` for a dedicated kiosk server."""
    return config.get("TWINMAP_KIOSK") == "1" or params.get("kiosk") == "1"


def settings(params: Mapping[str, str]) -> Settings:
    """The screen's settings from the URL (``lang``, ``seconds``), else from the environment."""
    lang = params.get("lang") or config.get("TWINMAP_KIOSK_LANG")
    if lang not in i18n.LANGUAGES:
        lang = "en"
    try:
        seconds = int(params.get("seconds") or config.get("TWINMAP_KIOSK_SECONDS"))
    except ValueError:
        seconds = int(config.get("TWINMAP_KIOSK_SECONDS"))
    return Settings(lang, max(MIN_SECONDS, min(MAX_SECONDS, seconds)))


def cycle(partners: int) -> list[tuple[str, int | None]]:
    """One full rotation: each fixed slide, and each partner's map and card, interleaved."""
    slides: list[tuple[str, int | None]] = []
    for i in range(max(partners, len(FIXED_SLIDES))):
        slides.append((FIXED_SLIDES[i % len(FIXED_SLIDES)], None))
        if partners:
            slides += [("map", i % partners), ("card", i % partners)]
    return slides


def slide_at(now: float, seconds: int, partners: int) -> tuple[str, int | None]:
    """The slide on screen at a moment (seconds since the epoch)."""
    slides = cycle(partners)
    return slides[int(now // seconds) % len(slides)]


def public_filter() -> queries.PartnershipFilter:
    """The kiosk's only filter: public stages, never private ones."""
    return queries.PartnershipFilter(include_private=False)


def partners(con: duckdb.DuckDBPyConnection, today: dt.date) -> pd.DataFrame:
    """Partnerships that may be shown to the public, with a signing date first, by signing."""
    frame = queries.partnerships(con, public_filter(), today)
    frame = frame[frame["status"].isin(["signed", "active"])]
    return frame.sort_values(["signed_on", "partner_name"], na_position="last").reset_index(drop=True)


def growth(frame: pd.DataFrame) -> pd.DataFrame:
    """Partnerships signed each year and the running total: the network growing."""
    signed = frame.dropna(subset=["signed_on"])
    years = pd.to_datetime(signed["signed_on"]).dt.year
    per_year = years.value_counts().sort_index()
    if per_year.empty:
        return pd.DataFrame(columns=["year", "signed", "total", "partners"])
    span = range(int(per_year.index.min()), int(per_year.index.max()) + 1)
    names = signed.groupby(years)["partner_name"].apply(list)
    out = pd.DataFrame({"year": list(span)})
    out["signed"] = [int(per_year.get(y, 0)) for y in span]
    out["total"] = out["signed"].cumsum()
    out["partners"] = [names.get(y, []) for y in span]
    return out


def partner_events(
    con: duckdb.DuckDBPyConnection, partnership_id: int, today: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The last three and the next three events of one public partnership."""
    frame = queries.events(con, queries.PartnershipFilter(partnership_ids=(partnership_id,)))
    frame = frame[frame["status"] != "cancelled"]
    starts = frame["starts_on"].dt.date
    return frame[starts <= today].tail(3).iloc[::-1], frame[starts > today].head(3)

"""The public kiosk: settings, the order of the slides, and the data each slide shows.

A session's rotation starts at the slide the clock gives (``slide_at``) and then moves one slide
per tick, so screens started together stay in step and a reloaded browser or restarted server
picks up near where the rotation was instead of starting over. Only public data is read here,
whatever the URL says.

The public data itself is read in :mod:`twinmap.reads.public`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from twinmap.core import config
from twinmap.views import i18n

FIXED_SLIDES = ("headline", "upcoming", "growth")


MIN_SECONDS, MAX_SECONDS = 2, 600


@dataclass(frozen=True)
class Settings:
    """How one kiosk screen runs: language, seconds per slide, and where the rotation starts."""

    lang: str = "en"
    seconds: int = 20
    start: int | None = None  # a position in the rotation (to preview a slide); None: the clock chooses

    @property
    def translator(self) -> i18n.Translator:
        """The screen's language, in its default calendar (Jalali for Persian)."""
        return i18n.Translator(self.lang, i18n.default_calendar(self.lang))


def enabled(params: Mapping[str, str]) -> bool:
    """Kiosk mode: ``?kiosk=1`` in the URL, or ``TWINMAP_KIOSK=1`` for a dedicated kiosk server."""
    return config.get("TWINMAP_KIOSK") == "1" or params.get("kiosk") == "1"


def settings(params: Mapping[str, str]) -> Settings:
    """The screen's settings from the URL (``lang``, ``seconds``, ``start``), else from the environment."""
    lang = params.get("lang") or config.get("TWINMAP_KIOSK_LANG")
    if lang not in i18n.LANGUAGES:
        lang = "en"
    try:
        seconds = int(params.get("seconds") or config.get("TWINMAP_KIOSK_SECONDS"))
    except ValueError:
        seconds = int(config.get("TWINMAP_KIOSK_SECONDS"))
    start = params.get("start")
    return Settings(
        lang, max(MIN_SECONDS, min(MAX_SECONDS, seconds)), int(start) if start and start.isdigit() else None
    )


def cycle(partners: int, photos: int = 0) -> list[tuple[str, int | None]]:
    """One full rotation: each fixed slide, each partner's map and card, and recent public photos, interleaved."""
    slides: list[tuple[str, int | None]] = []
    for i in range(max(partners, len(FIXED_SLIDES), photos)):
        slides.append((FIXED_SLIDES[i % len(FIXED_SLIDES)], None))
        if partners:
            slides += [("map", i % partners), ("card", i % partners)]
        if photos:
            slides.append(("photo", i % photos))
    return slides


def slide_at(now: float, seconds: int, partners: int, photos: int = 0) -> tuple[str, int | None]:
    """The slide on screen at a moment (seconds since the epoch)."""
    slides = cycle(partners, photos)
    return slides[int(now // seconds) % len(slides)]

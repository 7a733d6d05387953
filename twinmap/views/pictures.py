"""Pictures scaled for where they are shown: a kiosk screen, a printed page.

Stored photos are already clean (:mod:`twinmap.ingest.uploads`); this only makes them the size a
screen or a page needs, so a 5 MB photo is not sent to a kiosk or embedded in a report whole.
"""

from __future__ import annotations

import io

from PIL import Image


def fitted(data: bytes, box: tuple[int, int], quality: int = 85) -> bytes:
    """The picture scaled down (never up) to fit ``box`` (width, height), as JPEG."""
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        image.thumbnail(box)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        return out.getvalue()

"""Check an uploaded document or photo by its bytes, and make it safe to keep and to show.

Only PDF documents and photos (JPEG, PNG, WebP, and HEIC from phones) are kept; the type is read
from the bytes, never from the name, so an SVG, a web page or a program called ``photo.jpg`` is
refused. A photo is decoded whole (a truncated one is refused), refused when it has more pixels
than a camera makes (a decompression bomb), turned upright as its camera said, and encoded again
without its metadata: no GPS position, camera serial or editing history leaves with it. A HEIC
photo is kept as JPEG, which every browser and the report can show. A PDF is read as a PDF
(truncated, encrypted or unreadable: refused) and refused when it carries scripts, actions that
launch programs, or embedded files; it is never run, only its first page drawn by poppler's
pdftoppm as a picture for lists. Every refusal is one line naming the file and why.
"""

from __future__ import annotations

import hashlib
import io
import logging
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from twinmap.core.reference import N_, Explained

log = logging.getLogger("twinmap.uploads")

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")  # kept as they come (HEIC becomes JPEG)
PDF = "application/pdf"
EXTENSIONS = {PDF: "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MAX_PIXELS = 120_000_000  # above the largest phone and camera sensors (108 MP): more is a bomb
THUMB_PX = 480
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
# PDF names that run or launch something, or carry other files inside.
_ACTIVE = {"/JS": N_("scripts"), "/JavaScript": N_("scripts"), "/Launch": N_("an action that starts a program"),
           "/EmbeddedFiles": N_("embedded files"), "/EmbeddedFile": N_("embedded files"),
           "/RichMedia": N_("embedded media"), "/XFA": N_("a scripted form"),
           "/ImportData": N_("an action that reads other files")}  # fmt: skip

REFUSED = N_("{file}: {why}; nothing was stored.")
NOT_ALLOWED = N_("it is {what}, not a PDF document or a photo (JPEG, PNG, WebP, HEIC)")
TOO_BIG = N_("it is {size}, more than the {limit} a file may be")
EMPTY = N_("it is empty")
TRUNCATED = N_("it is cut short or damaged ({detail})")
BOMB = N_("it claims {pixels} million pixels, more than any camera makes (a decompression bomb?)")
ACTIVE = N_("the PDF carries {what}, which twinmap does not keep")
ENCRYPTED = N_("the PDF is locked with a password")


class Refused(Explained):
    """A file that is not kept: its message names the file and why (``why``, a message of its own)."""

    def __init__(self, file: str, why: str, **values: object):
        super().__init__(REFUSED, file=file, why=why.format(**values))
        self.why, self.why_values = why, values

    def said(self, tr: object) -> str:
        """The refusal in a reader's language (``tr``: a Translator), reason included."""
        values = {k: tr(v) if isinstance(v, str) else v for k, v in self.why_values.items()}  # type: ignore[operator]
        return tr(REFUSED, file=self.values["file"], why=tr(self.why, **values))  # type: ignore[operator]


@dataclass(frozen=True)
class Checked:
    """A file as it will be kept: its cleaned bytes, their SHA-256, type, size in pixels or pages, a thumbnail."""

    name: str
    content: bytes
    sha256: str
    media_type: str
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    thumbnail: bytes | None = None

    @property
    def is_photo(self) -> bool:
        """A picture (shown as itself), not a document."""
        return self.media_type.startswith("image/")


def size_text(n: float) -> str:
    """Bytes as people read them: 812 KB, 20.0 MB."""
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


def check(name: str, data: bytes, limit: int) -> Checked:
    """The file ``name`` made safe to keep, or :class:`Refused` saying why (``limit``: the most bytes allowed)."""
    shown = safe_name(name)
    if not data:
        raise Refused(shown, EMPTY)
    if len(data) > limit:
        raise Refused(shown, TOO_BIG, size=size_text(len(data)), limit=size_text(limit))
    kind = sniff(data)
    if kind == PDF:
        return _pdf(shown, data)
    if kind in PHOTO_TYPES or kind == "image/heic":
        return _photo(shown, data, kind)
    raise Refused(shown, NOT_ALLOWED, what=kind)


# What the first bytes say a file is (prefix, type): the types kept, then what is refused by name.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"MZ", N_("a program")), (b"\x7fELF", N_("a program")), (b"\xca\xfe\xba\xbe", N_("a program")),
    (b"\xcf\xfa\xed\xfe", N_("a program")), (b"#!", N_("a program")),
    (b"PK\x03\x04", N_("a ZIP archive or an office file")),
    (b"GIF8", N_("a GIF animation")),
)  # fmt: skip


def sniff(data: bytes) -> str:
    """The type the bytes say they are: a media type kept here, or a few words for what is refused."""
    head = data[:64]
    known = next((kind for prefix, kind in _SIGNATURES if head.startswith(prefix)), None)
    if known:
        return known
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in data[:4096].lower() and text.startswith(b"<"):
        return N_("an SVG drawing (it can carry scripts)")
    if text.startswith(b"<"):
        return N_("a web page or markup")
    return N_("a file of another kind")


def safe_name(name: str) -> str:
    """A file name as it may be shown and stored: its last part only, no control or path characters, 120 at most."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return cleaned[:120] or "file"


def _photo(name: str, data: bytes, kind: str) -> Checked:
    """Decode the whole picture, refuse bombs and damage, turn it upright, encode it again without metadata."""
    if kind == "image/heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise Refused(name, BOMB, pixels=round(width * height / 1e6))
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(name, BOMB, pixels="?") from None
    except (OSError, SyntaxError, ValueError) as err:
        raise Refused(name, TRUNCATED, detail=_first_line(err)) from None
    keep = "image/jpeg" if kind == "image/heic" else kind
    content = _encode(upright, keep, image.info.get("icc_profile"))
    return Checked(_renamed(name, keep), content, hashlib.sha256(content).hexdigest(), keep, upright.width,
                   upright.height, thumbnail=_thumbnail(upright))  # fmt: skip


def _encode(image: Image.Image, kind: str, icc: bytes | None) -> bytes:
    """The picture's pixels in ``kind``, with its colour profile and nothing else (no EXIF, XMP, text)."""
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if image.mode == "P":  # a palette's transparency lives in the metadata cleared next
        image = image.convert("RGBA")
    image.info = {}  # EXIF, XMP, text chunks: never written again, whatever an encoder would copy
    if kind == "image/jpeg":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        image.save(out, "JPEG", quality=92, optimize=True, **extra)
    elif kind == "image/png":
        image.save(out, "PNG", **extra)
    else:
        image.save(out, "WEBP", quality=90, **extra)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    """A small JPEG for lists and cards."""
    small = image.convert("RGB")
    small.thumbnail((THUMB_PX, THUMB_PX))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()


def _renamed(name: str, kind: str) -> str:
    """The name with the extension of the type it is kept as (a HEIC photo becomes .jpg)."""
    stem, dot, ext = name.rpartition(".")
    wanted = EXTENSIONS[kind]
    if dot and ext.lower() in (wanted, "jpeg" if wanted == "jpg" else wanted):
        return name
    return f"{stem if dot else name}.{wanted}"


def _pdf(name: str, data: bytes) -> Checked:
    """Read the PDF's structure; refuse damage, passwords and active content; draw its first page."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if b"%%EOF" not in data[-2048:]:
        raise Refused(name, TRUNCATED, detail="no end of file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logging.getLogger("pypdf").setLevel(logging.ERROR)
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise Refused(name, ENCRYPTED)
            pages = len(reader.pages)
            found = _active(reader)
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
        raise Refused(name, TRUNCATED, detail=_first_line(err)) from None
    if found:
        raise Refused(name, ACTIVE, what=found)
    if pages < 1:
        raise Refused(name, TRUNCATED, detail="no pages")
    return Checked(_renamed(name, PDF), data, hashlib.sha256(data).hexdigest(), PDF, pages=pages,
                   thumbnail=first_page(data))  # fmt: skip


def _active(reader: object) -> str | None:
    """What active content the PDF holds (scripts, launches, embedded files), walking every object it reaches."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    todo: list[object] = [reader.trailer]  # type: ignore[attr-defined]
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in _ACTIVE:
                    return _ACTIVE[name]
                if name in ("/S", "/Type") and isinstance(value, NameObject) and value in _ACTIVE:
                    return _ACTIVE[value]
                todo.append(value)
        elif isinstance(item, ArrayObject):
            todo.extend(item)
    return None


def first_page(data: bytes) -> bytes | None:
    """The PDF's first page as a small JPEG, drawn by pdftoppm (no scripts run); None when it cannot be drawn."""
    with tempfile.TemporaryDirectory(prefix="twinmap-pdf-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        try:
            command = ["pdftoppm", "-f", "1", "-l", "1", "-scale-to", str(THUMB_PX), "-jpeg", str(source),
                       str(Path(tmp) / "page")]  # fmt: skip
            subprocess.run(command, check=True, capture_output=True, timeout=30)  # noqa: S603 (fixed arguments)
        except (OSError, subprocess.SubprocessError) as err:
            log.warning("no thumbnail for a PDF: %s", _first_line(err))
            return None
        made = sorted(Path(tmp).glob("page*.jpg"))
        return made[0].read_bytes() if made else None


def _first_line(err: BaseException) -> str:
    return (str(err).splitlines() or [type(err).__name__])[0][:160]

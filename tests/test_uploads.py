"""Uploaded documents and photos are judged by their bytes: what is kept is clean, what is refused says why."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from twinmap.ingest import uploads
from twinmap.views.i18n import Translator

LIMIT = 25_000_000
SERIAL = "CAM-SERIAL-0042"


def photo(kind: str = "JPEG", size: tuple[int, int] = (640, 480), orientation: int | None = None, gps: bool = False,
          colour: tuple[int, int, int] = (20, 90, 200)) -> bytes:  # fmt: skip
    """A picture with the metadata a phone writes: camera, serial, orientation, a GPS position."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0xA431] = SERIAL  # BodySerialNumber
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (36.0, 33.0, 55.0), 3: "E", 4: (53.0, 3.0, 36.0)}
    out = io.BytesIO()
    image.save(out, kind, exif=exif.tobytes())
    return out.getvalue()


def pdf(js: bool = False, embedded: bool = False, password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if js:
        writer.add_open_action(JavaScript("app.alert('hello');"))
    if embedded:
        writer.add_attachment("run.exe", b"MZ\x90\x00")
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _refusal(name: str, data: bytes, limit: int = LIMIT) -> str:
    with pytest.raises(uploads.Refused) as err:
        uploads.check(name, data, limit)
    return str(err.value)


def test_a_phone_photo_is_kept_upright_without_its_position_or_camera_serial():
    kept = uploads.check("IMG_0001.JPG", photo(orientation=6, gps=True), LIMIT)
    assert (kept.media_type, kept.width, kept.height) == ("image/jpeg", 480, 640)  # turned as the camera said
    again = Image.open(io.BytesIO(kept.content))
    assert again.size == (480, 640)
    assert not again.getexif() and "exif" not in again.info
    assert SERIAL.encode() not in kept.content and b"PhoneMaker" not in kept.content
    assert kept.thumbnail and max(Image.open(io.BytesIO(kept.thumbnail)).size) <= uploads.THUMB_PX


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_and_webp_are_kept_as_they_are_without_metadata(kind):
    kept = uploads.check(f"a.{kind.lower()}", photo(kind, gps=True), LIMIT)
    assert kept.media_type == f"image/{kind.lower()}"
    assert SERIAL.encode() not in kept.content
    assert not Image.open(io.BytesIO(kept.content)).getexif()


def test_a_heic_photo_from_a_phone_is_kept_as_jpeg():
    import pillow_heif

    heif = pillow_heif.from_pillow(Image.new("RGB", (320, 240), (200, 50, 50)))
    out = io.BytesIO()
    heif.save(out, quality=60)
    kept = uploads.check("IMG_2001.HEIC", out.getvalue(), LIMIT)
    assert (kept.media_type, kept.name, kept.width) == ("image/jpeg", "IMG_2001.jpg", 320)


def test_the_same_photo_twice_is_the_same_content():
    data = photo(gps=True)
    assert uploads.check("a.jpg", data, LIMIT).sha256 == uploads.check("b.jpg", data, LIMIT).sha256


def test_a_pdf_is_kept_with_its_pages_and_a_first_page_picture():
    kept = uploads.check("memorandum.pdf", pdf(), LIMIT)
    assert (kept.media_type, kept.pages) == ("application/pdf", 1)
    assert kept.thumbnail and kept.thumbnail.startswith(b"\xff\xd8")


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("photo.jpg", b"MZ\x90\x00" + bytes(200), "it is a program"),
        ("photo.jpg", b"\x7fELF" + bytes(200), "it is a program"),
        ("logo.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "SVG"),
        ("logo.png", b"  <svg onload=alert(1)></svg>", "SVG"),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "a web page"),
        ("report.jpg", b"PK\x03\x04" + bytes(100), "a ZIP archive"),
        ("anim.gif", b"GIF89a" + bytes(100), "a GIF"),
        ("empty.jpg", b"", "it is empty"),
        ("notes.txt", b"just text", "a file of another kind"),
    ],
)
def test_what_is_not_a_pdf_or_a_photo_is_refused_by_its_bytes_not_its_name(name, data, why):
    said = _refusal(name, data)
    assert said.startswith(f"{name}: ") and why in said and said.endswith("nothing was stored.")


def test_a_truncated_photo_and_a_truncated_pdf_are_refused():
    assert "cut short or damaged" in _refusal("cut.jpg", photo(size=(1200, 900))[:3000])
    assert "cut short or damaged" in _refusal("cut.pdf", pdf()[:-400])


@pytest.mark.parametrize(("data", "why"), [(pdf(js=True), "scripts"), (pdf(embedded=True), "embedded files")])
def test_a_pdf_with_scripts_or_embedded_files_is_refused(data, why):
    assert f"the PDF carries {why}" in _refusal("agreement.pdf", data)


def test_a_locked_pdf_is_refused():
    assert "locked with a password" in _refusal("locked.pdf", pdf(password="secret"))


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (12_000, 11_000)).save(out, "PNG")  # 132 million pixels in a small file
    assert len(out.getvalue()) < 2_000_000
    assert "decompression bomb" in _refusal("bomb.png", out.getvalue())


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    assert "it is 1.2 MB, more than the 1.0 MB a file may be" in _refusal("big.pdf", b"%PDF-" + bytes(1_200_000),
                                                                          1_000_000)  # fmt: skip


def test_a_refusal_is_said_in_the_readers_language():
    with pytest.raises(uploads.Refused) as err:
        uploads.check("x.jpg", b"MZ" + bytes(10), LIMIT)
    said = err.value.said(Translator("ru"))
    assert "x.jpg" in said and "nothing was stored" not in said


@pytest.mark.parametrize(
    ("given", "kept"),
    [("../../etc/passwd.jpg", "passwd.jpg"), ("C:\\Users\\a\\b<script>.png", "bscript.png"), ("\x1b[31mred.jpg", "[31mred.jpg"),
     ("...", "file")],
)  # fmt: skip
def test_a_file_name_is_its_last_part_without_path_or_control_characters(given, kept):
    assert uploads.safe_name(given) == kept

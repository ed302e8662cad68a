"""Small real documents for upload tests: they must parse whole (intake/uploads.py)."""

import io

import pypdf
from PIL import Image
from pypdf.actions import JavaScript


def pdf_bytes(javascript: str | None = None) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    if javascript:
        writer.add_open_action(JavaScript(javascript))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()

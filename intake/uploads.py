"""What an uploaded file really is, judged by its content.

An image must decode as the format its first bytes claim (so an HTML page behind a PNG
header is refused); a PDF must start and end like one. Neither may open with HTML markup
(only the first few KB are looked at: compressed data further on can hold any bytes).
"""

from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
PDF_START = b"%PDF-"
HEAD_BYTES = 4096
HTML_MARKERS = (b"<html", b"<script", b"<!doctype html", b"<body", b"<iframe", b"<svg")


def detect(upload) -> str | None:
    """The content type of an allowed file, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(PDF_START):
            return "application/pdf" if _looks_like_pdf(upload) else None
        return _image_type(upload)
    finally:
        upload.seek(0)


def _image_type(upload) -> str | None:
    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()  # walks the whole structure: trailing tricks fail here
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # and the pixels really decode
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    if kind not in IMAGE_FORMATS:
        return None
    upload.seek(0)
    if _opens_with_html(upload.read(HEAD_BYTES)):
        return None
    return IMAGE_FORMATS[kind]


def _looks_like_pdf(upload) -> bool:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(max(upload.size - 2048, 0))
    tail = upload.read()
    return b"%%EOF" in tail and not _opens_with_html(head)


def _opens_with_html(head: bytes) -> bool:
    lowered = head.lower()
    return any(marker in lowered for marker in HTML_MARKERS)

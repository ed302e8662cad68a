"""What an uploaded file really is, judged by parsing it whole.

A file is kept only when it parses completely as one allowed format (a PDF by pypdf, an
image by Pillow), its name ends in that format's extension, and nothing else hides in it:
polyglots (a PDF that is also a ZIP, a JPEG that is also a web page) are what an attacker
sends to a paralegal who will open the download. Image sizes are checked from the header,
before a single pixel is decoded: a 480 KB PNG can unpack to gigabytes.
"""

import re
import warnings
from dataclasses import dataclass

import pypdf
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from pypdf.errors import PyPdfError

PDF_START = b"%PDF-"
PNG_START, PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"
JPEG_START, JPEG_END = b"\xff\xd8\xff", b"\xff\xd9"

# Name endings a client may use for each detected type; the first is the one staff download.
EXTENSIONS = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
}
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}

# A second format anywhere in the bytes, not only at the start: browsers and unzip tools
# look in the middle and at the end too. The ZIP headers include the bytes that follow the
# signature in every real archive, so random compressed image data rarely looks like one.
SECOND_FORMAT = re.compile(
    rb"PK\x03\x04[\x00-\x3f]\x00|PK\x05\x06\x00\x00|PK\x01\x02"
    rb"|<html|<script|<svg[\s>/]|<!doctype|<hta:|<body|<iframe|<object|<embed|javascript:",
    re.IGNORECASE,
)
# PDF features that run something or carry another file inside.
PDF_ACTIVE = {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia",
              "/XFA", "/SubmitForm", "/ImportData", "/GoToE"}  # fmt: skip
PDF_MAX_OBJECTS = 100_000
WHITESPACE = b" \t\r\n\x00\x0c"

NOT_ALLOWED = _("Please upload a PDF, JPEG or PNG file.")
SECOND_CONTENT = _(
    "This file contains something besides the document (for example a hidden archive, a web "
    "page or a script). Please upload a plain PDF, JPEG or PNG copy."
)
NAME_MISMATCH = _(
    "The name of this file does not match what it contains. Please name PDFs .pdf and "
    "photos .jpg, .jpeg or .png."
)
TOO_MANY_PIXELS = _(
    "This image is too large (at most %(megapixels)d megapixels). Please upload a smaller "
    "photo or scan."
)


class Refused(Exception):
    def __init__(self, message, params=None):
        super().__init__(str(message))
        self.message = message
        self.params = params or {}


@dataclass(frozen=True)
class Checked:
    content_type: str
    extension: str  # the one staff download it with


def check(upload) -> Checked:
    """The type of an allowed file, or Refused with a message for the client."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data.startswith((PDF_START, PNG_START, JPEG_START)):
        raise Refused(NOT_ALLOWED)
    if SECOND_FORMAT.search(data):  # before parsing: cheaper, and a parser may skip it
        raise Refused(SECOND_CONTENT)
    if data.startswith(PDF_START):
        content_type = _pdf(upload, data)
    else:
        content_type = _image(upload, data)
    extension = upload.name.rpartition(".")[2].lower() if "." in upload.name else ""
    if extension not in EXTENSIONS[content_type]:
        raise Refused(NAME_MISMATCH)
    return Checked(content_type, EXTENSIONS[content_type][0])


def detect(upload) -> str | None:
    """The content type of an allowed file, or None."""
    try:
        return check(upload).content_type
    except Refused:
        return None


def _pdf(upload, data: bytes) -> str:
    if not data.rstrip(WHITESPACE).endswith(b"%%EOF"):
        raise Refused(SECOND_CONTENT)  # bytes after the last %%EOF: room for another format
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns about repairable damage; judged below
            reader = pypdf.PdfReader(upload, strict=False)
            if reader.is_encrypted:
                raise Refused(NOT_ALLOWED)
            if len(reader.pages) < 1:
                raise Refused(NOT_ALLOWED)
            _refuse_active_content(reader)
    except Refused:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError,
            RecursionError, OSError, AssertionError):  # fmt: skip
        raise Refused(NOT_ALLOWED) from None
    finally:
        upload.seek(0)
    return "application/pdf"


def _refuse_active_content(reader) -> None:
    """Walk every object reachable from the trailer; bounded, since a file can loop or sprawl."""
    seen, stack, count = set(), [reader.trailer], 0
    while stack:
        node = stack.pop()
        if isinstance(node, pypdf.generic.IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        count += 1
        if count > PDF_MAX_OBJECTS:
            raise Refused(NOT_ALLOWED)
        if isinstance(node, dict):
            for name, value in node.items():
                if name in PDF_ACTIVE:
                    raise Refused(SECOND_CONTENT)
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, pypdf.generic.NameObject) and node in PDF_ACTIVE:
            raise Refused(SECOND_CONTENT)


def _image(upload, data: bytes) -> str:
    limit = settings.INTAKE_UPLOAD_MAX_PIXELS
    Image.MAX_IMAGE_PIXELS = limit  # Pillow's own guard too, for anything that opens an image
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:  # reads the header only
                kind = image.format
                if kind not in IMAGE_FORMATS:
                    raise Refused(NOT_ALLOWED)
                width, height = image.size
                if width * height > limit:
                    raise Refused(TOO_MANY_PIXELS, {"megapixels": limit // 1_000_000})
                image.verify()  # walks the whole structure
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # and the pixels really decode, now that their count is known
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(TOO_MANY_PIXELS, {"megapixels": limit // 1_000_000}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise Refused(NOT_ALLOWED) from None
    finally:
        upload.seek(0)
    end = PNG_END if kind == "PNG" else JPEG_END
    # Some scanners pad with zero bytes; anything else after IEND / EOI is another file.
    if not data.rstrip(WHITESPACE).endswith(end):
        raise Refused(SECOND_CONTENT)
    return IMAGE_FORMATS[kind]

"""Issue 16 items 4 and 5: polyglot uploads, a decompression bomb, a flood of files, and the
name a document downloads under."""

import functools
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from cases.models import Case, Document
from intake import uploads
from intake.models import IntakeDraft

from ..conftest import verified_login
from ..documents import jpeg_bytes, pdf_bytes, png_bytes
from ..intake_data import answers, walk
from ..intake_pages import text, the

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def photo_bytes() -> bytes:
    """A photo-like JPEG (noise compresses badly): tens of KB, past any look at the head only."""
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 80).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def zip_with_exe() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("invoice.exe", b"MZ\x90\x00" + b"\x00" * 200)
    return buffer.getvalue()


HTML = b"<html><body><script>fetch('/cases/').then(r=>r.text())</script></body></html>"
HTA = b'<hta:application id="x"/><script language="VBScript">CreateObject("WScript.Shell")' \
      b'.Run "calc"</script>'  # fmt: skip


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@functools.cache
def bomb_bytes() -> bytes:
    """13000 x 13000 RGB pixels of one colour: ~500 KB on disk, 507 MB decoded.

    Written row by row (what Pillow's optimize=True makes of it, without this process ever
    holding the pixels).
    """
    side = 13_000
    squeeze = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * side)  # filter byte "none", then black pixels
    idat = b"".join(squeeze.compress(row) for _ in range(side)) + squeeze.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat)
            + _chunk(b"IEND", b""))  # fmt: skip


def to_documents(client):
    steps = answers()
    walk(client, {k: steps[k] for k in ("consent", "about", "arrival", "family", "claim")})


def upload(client, name, data, kind="evidence"):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post("/intake/step/documents/", {"action": "upload", "kind": kind,
                                                   "file": handle})  # fmt: skip


def message_beside_the_file(response) -> str:
    return text(the(response.content.decode(), "div", {"id": "id_file_error"}))


POLYGLOTS = {
    # PDF+ZIP: opens as a PDF, and as an archive with an .exe inside.
    "evidence.zip": pdf_bytes() + zip_with_exe(),
    "evidence.pdf": pdf_bytes() + zip_with_exe(),
    # A PDF header, then a script: Windows runs .hta files with mshta.
    "statement.hta": b"%PDF-1.4\n%" + b"x" * 5000 + b"\n" + HTA + b"\n%%EOF\n",
    # A real PDF with a desktop-facing double extension.
    "statement.pdf.html": pdf_bytes(),
    # A web page deep inside a PDF, past the first 4 KB, before %%EOF.
    "deep.pdf": pdf_bytes().replace(b"%%EOF", b"%" + b"x" * 5000 + b"\n" + HTML + b"\n%%EOF"),
    # Bytes after the last %%EOF.
    "tail.pdf": pdf_bytes() + b"\n" + b"A" * 100,
    # A PDF that runs JavaScript when opened.
    "script.pdf": pdf_bytes(javascript="app.alert('hi')"),
    # JPEG+HTML: an image to Pillow, a page to a browser sniffing it.
    "photo.jpg": photo_bytes() + HTML,
    "photo.html": jpeg_bytes(),
    # A ZIP after a PNG's IEND.
    "scan.png": png_bytes() + zip_with_exe(),
}


@pytest.mark.parametrize("name", list(POLYGLOTS))
def test_a_polyglot_is_refused_with_a_message_in_the_clients_language(client, name):
    client.cookies["django_language"] = "ru"
    to_documents(client)
    response = upload(client, name, POLYGLOTS[name])
    assert response.status_code == 200
    assert not Document.objects.exists()
    with translation.override("ru"):
        expected = {str(m) for m in (uploads.SECOND_CONTENT, uploads.NAME_MISMATCH,
                                     uploads.NOT_ALLOWED)}  # fmt: skip
    assert not any(message.isascii() for message in expected)  # really translated
    assert message_beside_the_file(response) in expected


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("notice.pdf", pdf_bytes(), "application/pdf"),
        ("NOTICE.PDF", pdf_bytes(), "application/pdf"),
        ("scan.jpg", jpeg_bytes(), "image/jpeg"),
        ("scan.jpeg", jpeg_bytes(), "image/jpeg"),
        ("photo.png", png_bytes(), "image/png"),
        ("padded.jpg", jpeg_bytes() + b"\x00" * 16, "image/jpeg"),  # some scanners pad
    ],
)
def test_clean_files_are_still_kept(client, name, data, content_type):
    to_documents(client)
    assert upload(client, name, data).status_code == 302
    assert Document.objects.get().content_type == content_type


def test_a_decompression_bomb_is_refused_without_decoding_it(client):
    data = bomb_bytes()
    assert len(data) < 1_000_000
    to_documents(client)
    response = upload(client, "bomb.png", data)
    assert response.status_code == 200
    assert "megapixels" in message_beside_the_file(response)
    assert not Document.objects.exists()


MEASURE = """
import io, json, resource, sys
import django
django.setup()
from PIL import Image
from intake import uploads
data = sys.stdin.buffer.read()
handle = io.BytesIO(data)
handle.name = "bomb.png"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcome = "refused" if uploads.detect(handle) is None else "accepted"
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "growth_kb": after - before}))
"""


def test_checking_a_bomb_costs_the_server_almost_no_memory():
    """Measured in a fresh process: its peak resident size barely moves (decoding it: ~500 MB)."""
    run = subprocess.run(
        [sys.executable, "-c", MEASURE], input=bomb_bytes(), capture_output=True, cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        timeout=120, check=True,
    )  # fmt: skip
    result = json.loads(run.stdout.decode().strip().splitlines()[-1])
    assert result["outcome"] == "refused"
    assert result["growth_kb"] < 30_000, result


def test_uploads_are_rate_limited_and_the_answers_are_kept(client, settings):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "upload": "2/h"}
    to_documents(client)
    assert upload(client, "a.pdf", pdf_bytes()).status_code == 302
    assert upload(client, "b.jpg", jpeg_bytes()).status_code == 302
    limited = upload(client, "c.png", png_bytes())
    assert limited.status_code == 429
    assert "Please wait an hour" in message_beside_the_file(limited)
    assert Document.objects.count() == 2
    assert IntakeDraft.objects.get().data["about"]["about-family_name"] == ["Politov"]


def test_staff_download_a_document_under_the_cases_reference_never_its_name(client, paralegal):
    to_documents(client)
    assert upload(client, "evidence.pdf", pdf_bytes(), kind="passport").status_code == 302
    assert upload(client, "my photo.jpeg", jpeg_bytes(), kind="military").status_code == 302
    walk(client, {"documents": {}})
    assert client.post("/intake/step/review/", {"action": "submit"}).status_code == 302
    case = Case.objects.get()
    staff = Client()
    verified_login(staff, paralegal)
    names = []
    for document in case.client.documents.order_by("uploaded_at", "pk"):
        response = staff.get(reverse("cases:document", args=[case.pk, document.pk]))
        assert response.status_code == 200
        names.append(response["Content-Disposition"])
    assert names == [f'attachment; filename="{case.reference}-1.pdf"',
                     f'attachment; filename="{case.reference}-2.jpg"']  # fmt: skip

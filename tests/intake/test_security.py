"""The public intake against scripts and hostile files, without costing a person anything."""

import io
import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from cases.models import Case, Client, Document
from intake.models import IntakeDraft

from ..documents import pdf_bytes
from ..intake_data import answers, walk

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 30, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


PDF = pdf_bytes()


def upload(client, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    with path.open("rb") as handle:
        return client.post(
            "/intake/step/documents/", {"action": "upload", "kind": "evidence", "file": handle}
        )


def to_documents(client):
    steps = answers()
    walk(client, {k: steps[k] for k in ("consent", "about", "arrival", "family", "claim")})


def test_a_filled_honeypot_is_refused_and_nothing_is_kept(client):
    response = client.post("/intake/step/consent/", {
        **answers()["consent"], "contact_by_fax": "http://spam.example", "action": "next",
    })  # fmt: skip
    assert response.status_code == 400
    assert "could not accept" in response.content.decode()
    assert not IntakeDraft.objects.exists()


def test_a_page_posted_too_quickly_keeps_its_answers_and_asks_again(client, settings,
                                                                     time_machine):  # fmt: skip
    settings.INTAKE_MIN_SECONDS_PER_PAGE = 2
    time_machine.move_to(timezone.now(), tick=False)
    page = client.get("/intake/step/consent/")
    stamp = page.context["form_stamp"]
    data = {**answers()["consent"], "form_stamp": stamp, "action": "next"}
    quick = client.post("/intake/step/consent/", data)
    assert quick.status_code == 200
    assert "take a moment" in quick.content.decode()
    assert IntakeDraft.objects.get().data["consent"]["consent-consent"] == ["on"]
    time_machine.shift(timedelta(seconds=3))
    assert client.post("/intake/step/consent/", data).status_code == 302


def test_a_missing_or_forged_stamp_counts_as_too_quick(client, settings):
    settings.INTAKE_MIN_SECONDS_PER_PAGE = 2
    for stamp in ("", "forged:value"):
        response = client.post("/intake/step/consent/", {
            **answers()["consent"], "form_stamp": stamp, "action": "next",
        })  # fmt: skip
        assert response.status_code == 200


def test_save_for_later_is_rate_limited_per_ip_and_keeps_the_answers(client, settings):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "save": "2/h"}
    walk(client, {"consent": answers()["consent"], "about": answers()["about"]})
    statuses = [client.post("/intake/save/", {"email": "d@example.org"}).status_code
                for _ in range(3)]  # fmt: skip
    assert statuses == [200, 200, 429]
    assert IntakeDraft.objects.get().data["about"]["about-family_name"] == ["Politov"]


def test_resume_attempts_are_rate_limited(client, settings):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "resume": "3/h"}
    statuses = [client.get(f"/intake/resume/guess{i}/").status_code for i in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_submit_is_rate_limited_and_the_draft_survives(client, settings):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "submit": "0/h"}
    walk(client, answers())
    response = client.post("/intake/step/review/", {"action": "submit"})
    assert response.status_code == 429
    assert "Your answers are saved" in response.content.decode()
    assert not Case.objects.exists() and IntakeDraft.objects.get().data["claim"]


def test_with_the_cache_down_clients_are_not_turned_away(client, broker):
    """Rate limits count in Redis; if it is down, a client still gets through."""
    broker.stop()
    try:
        response = client.post("/intake/step/consent/", {**answers()["consent"],
                                                         "action": "next"})  # fmt: skip
    finally:
        broker.start()
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "data", "accepted"),
    [
        ("photo.png", png_bytes(), True),
        ("scan.jpg", jpeg_bytes(), True),
        ("notice.pdf", PDF, True),
        ("evil.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", False),
        ("evil.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF", False),
        ("page.html", b"<!doctype html><html><body>hello</body></html>", False),
        ("truncated.png", png_bytes()[:60], False),
        ("renamed.pdf", png_bytes(), False),  # judged by content: a PNG, not what it says
        ("empty.pdf", b"", False),
    ],
)
def test_uploads_are_judged_by_content(client, tmp_path, name, data, accepted):
    to_documents(client)
    response = upload(client, tmp_path, name, data)
    assert (response.status_code == 302) is accepted
    assert Document.objects.exists() is accepted
    if not accepted:
        assert response.status_code == 200  # the form, with a message; never a 500


def test_renamed_files_are_refused_with_a_message(client, tmp_path):
    """The content decides the type; a name that says otherwise is refused (issue 16)."""
    to_documents(client)
    response = upload(client, tmp_path, "renamed.pdf", png_bytes())
    assert "does not match what it contains" in response.content.decode()
    assert not Document.objects.exists()


def test_all_files_together_have_a_limit(client, tmp_path, settings):
    settings.INTAKE_UPLOAD_MAX_TOTAL_BYTES = len(PDF) * 2
    to_documents(client)
    assert upload(client, tmp_path, "a.pdf", PDF).status_code == 302
    assert upload(client, tmp_path, "b.pdf", PDF).status_code == 302
    refused = upload(client, tmp_path, "c.pdf", PDF)
    assert "All your files together" in refused.content.decode()
    assert Document.objects.count() == 2


SECRETS = ["Политов", "Дмитрий", "Politov", "A123456789", "751234567",
           "Меня мобилизуют", "Меня задержали"]  # fmt: skip


def test_logs_never_hold_names_narrative_or_numbers(client, caplog):
    """A full intake and a failing one, with every logger at DEBUG: none of it is logged."""
    caplog.set_level(logging.DEBUG)
    walk(client, answers())
    client.post("/intake/step/review/", {"action": "submit"})
    bad = type(client)()
    bad.post("/intake/step/consent/", {**answers()["consent"], "action": "next"})
    bad.post("/intake/step/about/", {**answers()["about"], "about-email": "broken",
                                     "action": "next"})  # fmt: skip
    bad.get("/intake/step/claim/?review=1")
    assert Client.objects.count() == 1
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail"))
    for secret in SECRETS:
        assert secret not in logged

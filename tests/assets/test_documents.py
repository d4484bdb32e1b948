"""Guide PDFs through Wagtail's document admin: checked by content, processed in the background."""

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from library.models import GuideDocument, LibraryImage
from tests.assets.helpers import JS_OPEN_ACTION, LAUNCH_ACTION, fpdf_guide, hand_pdf

pytestmark = pytest.mark.django_db


def upload(client, name, content, root_collection, language=""):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Guide",
            "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
            "collection": root_collection.pk,
            "language": language,
        },
    )


def test_good_pdf_is_stored_under_our_key_and_processed(
    editor_client, root_collection, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(editor_client, "Guide de l'atelier.pdf", fpdf_guide(pages=3), root_collection)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    document = GuideDocument.objects.get()
    assert document.file.name.startswith("guides/") and document.file.name.endswith("/document.pdf")
    assert document.page_count == 3
    assert document.processed_at is not None
    assert "Guide pédagogique" in document.extracted_text
    assert document.language == "fr"  # guessed from the text, the editor left it empty
    thumbnail = LibraryImage.objects.get(pk=document.thumbnail_id)
    assert thumbnail.width == 800 and thumbnail.height > 1000


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("guide.pdf", hand_pdf(JS_OPEN_ACTION), "JavaScript"),
        ("guide.pdf", hand_pdf(LAUNCH_ACTION), "lance un programme"),
        ("guide.pdf", b"<!DOCTYPE html><html><body>Pas un PDF</body></html>", "pas un PDF"),
        ("guide.pdf", b"MZ\x90\x00" + b"\x00" * 200, "pas un PDF"),
    ],
)
def test_refused_pdfs_say_why_and_leave_nothing(editor_client, root_collection, name, content, message):
    response = upload(editor_client, name, content, root_collection)
    assert response.status_code == 200
    errors = str(response.context["form"].errors["file"])  # the admin speaks French
    assert message in errors, errors
    assert not GuideDocument.objects.exists()


def test_pdf_without_script_keeps_editor_language(editor_client, root_collection, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(editor_client, "guide.pdf", hand_pdf(text=b"Hello"), root_collection, language="en")
    document = GuideDocument.objects.get()
    assert document.language == "en"
    assert document.page_count == 1
    assert "Hello" in document.extracted_text

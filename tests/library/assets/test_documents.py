"""Guide PDFs through Wagtail's document admin: checked by content, processed in the background."""

import io

import pikepdf
import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from library.assets.media.errors import MediaError
from library.assets.media.pdf import inspect_pdf
from library.models import GuideDocument, LibraryImage
from tests.library.assets import pdfs
from tests.library.assets.helpers import JS_OPEN_ACTION, LAUNCH_ACTION, fpdf_guide, hand_pdf

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


def file_error(response, code):
    """The file field's error of `code` (Wagtail's model check adds one about the extension of the refused file)."""
    errors = {error.code: error for error in response.context["form"].errors.as_data()["file"]}
    assert code in errors, errors
    return errors[code]


def object_stream_pdf(filters):
    """The open action's JavaScript packed in an object stream behind `filters`; checked to be read as such."""
    data = pdfs.with_encoded_object_stream(pdfs.build(pdfs.js_open_action_indirect, object_streams=True), filters)
    with pikepdf.open(io.BytesIO(data), suppress_warnings=False) as pdf:
        assert not pdf.get_warnings()
        assert pdf.Root.OpenAction.JS == pdfs.ALERT
        holders = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Type") == "/ObjStm"]
        assert [str(name) for name in holders[0].Filter] == filters
    assert b"JavaScript" not in data and b"/JS" not in data
    return data


@pytest.mark.parametrize(
    ("content", "code", "named"),
    [
        (pdfs.build(pdfs.js_open_action), "javascript", "JavaScript"),
        (object_stream_pdf(["/ASCIIHexDecode"]), "javascript", "JavaScript"),
        (object_stream_pdf(["/ASCIIHexDecode", "/FlateDecode"]), "javascript", "JavaScript"),
        (object_stream_pdf(["/FlateDecode"]), "javascript", "JavaScript"),
        (pdfs.build(pdfs.page_additional_action), "javascript", "JavaScript"),
        (pdfs.build(pdfs.named_javascript, object_streams=True), "javascript", "JavaScript"),
        (pdfs.build(pdfs.launch), "launch", "programme"),
        (pdfs.build(pdfs.xfa_script), "xfa", "XFA"),
        (pdfs.build(pdfs.embedded_file), "embedded_file", ""),
        (pdfs.build(pdfs.file_attachment_annotation), "embedded_file", ""),
        (pdfs.build(pdfs.javascript_link), "uri", "“javascript:”"),
        (pdfs.build(pdfs.file_link), "uri", "“file:”"),
        (pdfs.build(pdfs.remote_goto_share), "file_action", "GoToR"),
    ],
    ids=[
        "js-open-action",
        "js-in-asciihex-object-stream",
        "js-in-asciihex-flate-object-stream",
        "js-in-flate-object-stream",
        "page-additional-action",
        "names-javascript-tree",
        "launch",
        "xfa-script",
        "embedded-file",
        "file-attachment-annotation",
        "javascript-link",
        "file-link",
        "remote-goto-share",
    ],
)
def test_active_content_is_refused_on_the_upload_form_naming_it(editor_client, root_collection, content, code, named):
    response = upload(editor_client, "guide.pdf", content, root_collection)
    assert response.status_code == 200
    error = file_error(response, code)
    assert named in str(error.message)
    assert escape(error.message) in response.content.decode()  # shown on the form
    assert not GuideDocument.objects.exists()


def test_several_kinds_are_all_named(tmp_path):
    def both(pdf):
        pdfs.launch(pdf)
        pdfs.xfa_script(pdf)

    path = tmp_path / "guide.pdf"
    path.write_bytes(pdfs.build(both))
    with pytest.raises(MediaError) as caught:
        inspect_pdf(path)
    assert caught.value.code == "launch"
    assert "XFA" in str(caught.value)


def test_pdf_with_web_link_and_xfa_without_script_is_accepted(editor_client, root_collection):
    def ordinary(pdf):
        pdfs.web_link(pdf)
        pdf.Root.AcroForm = pikepdf.Dictionary(
            Fields=pikepdf.Array([]), XFA=pdf.make_stream(pdfs.XFA_TEMPLATE.replace(b"script", b"desc"))
        )

    response = upload(editor_client, "guide.pdf", pdfs.build(ordinary, object_streams=True), root_collection)
    assert response.status_code == 302, response.context["form"].errors
    assert GuideDocument.objects.get().page_count == 1


def test_password_protected_pdf_is_refused(editor_client, root_collection):
    def protect(pdf):
        buffer = io.BytesIO()
        pdf.save(buffer, encryption=pikepdf.Encryption(user="secret", owner="secret"))
        return buffer.getvalue()

    with pikepdf.open(io.BytesIO(pdfs.build())) as pdf:
        content = protect(pdf)
    response = upload(editor_client, "guide.pdf", content, root_collection)
    assert "mot de passe" in str(file_error(response, "password").message)
    assert not GuideDocument.objects.exists()

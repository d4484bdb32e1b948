"""Admin requests a view cannot serve as sent get a 4xx with a message; the page types all render.

Found by the admin sweep (`test_admin_sweep.py`) asking as a national editor
and as a coordination's own editor, who get past the permission checks: an
empty POST to Wagtail's page copy view or to localize's PO upload (a field
missing), a delete of an item still in use from the multiple upload screen
or the admin pages API, the multiple upload's "create from upload" form, and
the preview of a page type without a template.
"""

import pytest

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Locale, UploadedFile, get_page_models
from wagtail_localize.models import Translation, TranslationSource

from library.access.network import coordination_collection
from library.core.tiers import Tier
from library.models import PartnerOrganisation
from tests.factories import make_guide, make_partner, make_pdf, make_user
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture(scope="module")
def world(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        collection = coordination_collection(network.coord_b)
        document = make_pdf("Dossier Beta", collection=collection)
        guide = make_guide(network.coord_b, "Guide Beta", Tier.NETWORK, document=document)
        english = Locale.objects.get_or_create(language_code="en")[0]
        guide.copy_for_translation(english, copy_parents=True, exclude_fields=["editors_group"])
        source, _ = TranslationSource.get_or_create_from_instance(guide)
        translation = Translation.objects.create(source=source, target_locale=english)
        make_partner(network.coord_b, make_user("partenaire-beta", Group.objects.get(name="Partenaires")))
    return {"network": network, "document": document, "guide": guide, "translation": translation}


def _as(client, world, role):
    client.force_login(world["network"].users[role])
    return client


def test_copying_a_page_without_its_parent_field_is_a_400(client, world):
    response = _as(client, world, "national").post(reverse("wagtailadmin_pages:copy", args=[world["guide"].pk]))
    assert response.status_code == 400
    assert "new_parent_page" in response.content.decode()


def test_uploading_a_po_file_without_the_file_is_a_400(client, world):
    url = reverse("wagtail_localize:upload_pofile", args=[world["translation"].pk])
    response = _as(client, world, "national").post(url)
    assert response.status_code == 400


@pytest.mark.parametrize("parent", ["pas-un-nombre", "999999999"])
def test_copying_a_page_under_a_parent_that_does_not_exist_is_a_400(client, world, parent):
    url = reverse("wagtailadmin_pages:copy", args=[world["guide"].pk])
    response = _as(client, world, "national").post(url, {"new_parent_page": parent, "new_title": "Copie"})
    assert response.status_code == 400
    assert "La page de destination choisie pour la copie n’existe pas" in response.content.decode()


def test_uploading_a_po_file_not_exported_from_a_translation_is_a_400(client, world):
    """A PO file from elsewhere (no wagtail-localize header) is refused with a message, the translation untouched."""
    url = reverse("wagtail_localize:upload_pofile", args=[world["translation"].pk])
    po = ContentFile(b'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "Bonjour"\nmsgstr "Hello"\n', name="autre.po")
    response = _as(client, world, "national").post(url, {"file": po})
    assert response.status_code == 400
    assert "Ce fichier PO n’a pas été exporté d’une traduction de ce site" in response.content.decode()


def test_deleting_a_document_a_guide_uses_from_the_multiple_upload_screen_is_a_409(client, world):
    document = world["document"]
    url = reverse("wagtaildocs:delete_multiple", args=[document.pk])
    response = _as(client, world, "editor_b").post(url, **XHR)
    assert response.status_code == 409
    assert response.json()["success"] is False
    assert "Cet élément est utilisé" in response.json()["error_message"]
    assert get_document_model().objects.filter(pk=document.pk).exists()


def test_deleting_a_coordination_its_partners_belong_to_through_the_admin_api_is_a_409(client, world):
    coordination = world["network"].coord_b
    assert PartnerOrganisation.objects.filter(coordination=coordination).exists()
    url = reverse("wagtailadmin_api:pages:action", args=[coordination.pk, "delete"])
    response = _as(client, world, "national").post(url)
    assert response.status_code == 409
    assert "Cet élément est utilisé" in response.json()["error_message"]
    assert coordination.__class__.objects.filter(pk=coordination.pk).exists()


def test_a_staged_upload_completed_with_its_title_becomes_a_document(client, world):
    """The multiple upload's second step: Wagtail checked the empty file's extension and answered 500."""
    editor = world["network"].users["editor_b"]
    collection = coordination_collection(world["network"].coord_b)
    staged = UploadedFile.objects.create(
        file=ContentFile(make_pdf("Brouillon", collection=collection).file.read(), name="programme.pdf"),
        for_content_type=ContentType.objects.get_for_model(get_document_model()),
        uploaded_by_user=editor,
    )
    prefix = f"uploaded-document-{staged.pk}"
    url = reverse("wagtaildocs:create_multiple_from_uploaded_document", args=[staged.pk])
    response = _as(client, world, "editor_b").post(
        url, {f"{prefix}-title": "Programme Beta", f"{prefix}-collection": collection.pk}, **XHR
    )
    assert response.status_code == 200
    assert response.json()["success"] is True, response.json()
    document = get_document_model().objects.get(pk=response.json()["doc_id"])
    assert document.title == "Programme Beta"
    assert document.file.name.endswith(".pdf")


@pytest.mark.parametrize("model", get_page_models(), ids=lambda model: model._meta.label)
def test_every_page_type_has_a_template(model):
    """Preview, revision views and localize's preview render the page's template: a missing one was a 500."""
    get_template(model().get_template(RequestFactory().get("/")))


def test_previewing_a_coordination_renders_it(client, world):
    coordination = world["network"].coord_b
    response = _as(client, world, "national").get(reverse("wagtailadmin_pages:view_draft", args=[coordination.pk]))
    assert response.status_code == 200
    assert coordination.title in response.content.decode()

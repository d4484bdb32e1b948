"""An editor cannot show a film wider than its consent: the admin edit view refuses, in French."""

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from library.core.groups import NATIONAL_GROUP
from library.core.tiers import ConsentScope, Tier
from library.models import FilmPage
from tests.factories import build_coordinations, build_home, make_consent, make_film, make_user
from tests.library.admin_forms import edit_form_data

pytestmark = pytest.mark.django_db

FRENCH_REFUSAL = "Le consentement des participants ne permet pas ce niveau d’accès"


@pytest.fixture
def setup():
    home = build_home()
    _index, (coord_a, _coord_b) = build_coordinations(home)
    consent = make_consent(coord_a, ConsentScope.NETWORK, label="Réseau seulement")
    film = make_film(coord_a, "Film du réseau", Tier.NETWORK, consent)
    return coord_a, film


@pytest.mark.parametrize("role", ["editor_a", "national"])
def test_edit_view_refuses_a_tier_wider_than_consent(client, setup, role):
    coord_a, film = setup
    group = coord_a.editors_group if role == "editor_a" else Group.objects.get(name=NATIONAL_GROUP)
    user = make_user(role, group)
    client.force_login(user)
    url = reverse("wagtailadmin_pages:edit", args=[film.pk])
    action = {"action-publish": "publish"} if role == "national" else {}
    response = client.post(url, edit_form_data(film, user, access_tier=Tier.PUBLIC, **action))

    assert response.status_code == 200, "the form comes back with its errors"
    html = response.content.decode()
    assert FRENCH_REFUSAL in html
    assert "Réseau (partenaires)" in html, "the message names the widest tier the consent allows"
    film.refresh_from_db()
    assert (film.access_tier, film.effective_tier) == (Tier.NETWORK, Tier.NETWORK)
    assert film.revisions.count() == 1, "no revision was saved"


def test_edit_view_accepts_a_tier_within_consent(client, setup):
    coord_a, film = setup
    user = make_user("national", Group.objects.get(name=NATIONAL_GROUP))
    client.force_login(user)
    url = reverse("wagtailadmin_pages:edit", args=[film.pk])
    data = edit_form_data(film, user, access_tier=Tier.INTERNAL, **{"action-publish": "publish"})
    response = client.post(url, data)
    assert response.status_code == 302
    film = FilmPage.objects.get(pk=film.pk)
    assert (film.access_tier, film.effective_tier) == (Tier.INTERNAL, Tier.INTERNAL)


def test_a_translation_resyncs_after_its_consent_lapsed(setup, django_capture_on_commit_callbacks):
    """The French source is refused a tier wider than consent; its translation still re-syncs, narrowed."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from wagtail.models import Locale
    from wagtail_localize.models import TranslationSource

    from library.models import ConsentRecord
    from tests.factories import make_consent

    coord_a, _film = setup
    consent = make_consent(coord_a, ConsentScope.PUBLIC, label="Public")
    film = make_film(coord_a, "Film public", Tier.PUBLIC, consent)
    english = Locale.objects.get_or_create(language_code="en")[0]
    with django_capture_on_commit_callbacks(execute=True):
        source, _ = TranslationSource.get_or_create_from_instance(film)
        source.create_or_update_translation(english, copy_parent_pages=True, fallback=True)

    ConsentRecord.objects.filter(pk=consent.pk).update(
        withdrawn_on=timezone.localdate(), withdrawal_reason="Demande d'une famille"
    )
    film = FilmPage.objects.get(pk=film.pk)
    with pytest.raises(ValidationError):
        film.full_clean()

    with django_capture_on_commit_callbacks(execute=True):
        source.update_from_db()
        source.create_or_update_translation(english, fallback=True)
    translated = FilmPage.objects.get(translation_key=film.translation_key, locale=english)
    assert translated.access_tier == Tier.PUBLIC, "the editor's choice is mirrored"
    assert translated.effective_tier == Tier.INTERNAL, "what is shown follows the withdrawn consent"

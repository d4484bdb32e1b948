"""The library's demo content: the network, its catalogue, its media, and a second run that changes nothing.

`load_demo_content` runs once for the module (it is the slowest fixture of
the suite); its second run is the idempotency check.
"""

import datetime
import io
import time

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import (
    APIToken,
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Revision,
    WorkflowPage,
    WorkflowState,
)
from wagtail_localize.models import Translation

from library.access.network import WORKFLOW_NAME
from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.core.tiers import ConsentScope, Tier
from library.models import (
    ConsentRecord,
    CoordinationIndexPage,
    CoordinationPage,
    DownloadEvent,
    FilmPage,
    Genre,
    GuideDocument,
    GuideDocumentLink,
    GuidePage,
    PartnerOrganisation,
    PartnerToken,
    ProcessingStatus,
    TextTrack,
    Theme,
    Video,
    VideoRendition,
)

# The module's first test also loads the whole demo (its clips generated and transcoded): minutes on a busy
# 2-core machine, more than the suite's 300 s per test.
pytestmark = [pytest.mark.django_db, pytest.mark.timeout(900)]


def snapshot():
    """Everything the demo writes, in a form that a second run must leave equal."""
    return {
        "pages": sorted(Page.objects.values_list("pk", "latest_revision_id", "live", "title")),
        "revisions": Revision.objects.count(),
        "consents": sorted(ConsentRecord.objects.values_list("pk", "scope", "expires_on", "withdrawn_on")),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "page_permissions": GroupPagePermission.objects.count(),
        "collection_permissions": GroupCollectionPermission.objects.count(),
        "collections": Collection.objects.count(),
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
        "tokens": APIToken.objects.count(),
        "partners": PartnerOrganisation.objects.count(),
        "downloads": DownloadEvent.objects.count(),
        "themes": Theme.objects.count(),
        "translations": Translation.objects.count(),
        "workflow_states": WorkflowState.objects.count(),
        "videos": sorted(Video.objects.values_list("pk", "file", "sign_language_video_id")),
        "video_renditions": sorted(VideoRendition.objects.values_list("pk", "file")),
        "text_tracks": sorted(TextTrack.objects.values_list("pk", "file")),
        "guide_documents": sorted(GuideDocument.objects.values_list("pk", "file")),
        "guide_links": GuideDocumentLink.objects.count(),
        "film_videos": sorted(FilmPage.objects.values_list("pk", "video_id")),
    }


@pytest.fixture(scope="module")
def demo(module_db):
    with module_db.build():
        out = io.StringIO()
        started = time.monotonic()
        call_command("load_demo_content", stdout=out)
        first_run = time.monotonic() - started
        before = snapshot()
        second_out = io.StringIO()
        call_command("load_demo_content", stdout=second_out)
        after = snapshot()
    return {
        "out": out.getvalue(),
        "second_out": second_out.getvalue(),
        "before": before,
        "after": after,
        "seconds": first_run,
    }


def test_second_run_changes_nothing(demo):
    assert demo["before"] == demo["after"]
    assert "Catalogue: 0 films and 0 guides published." in demo["second_out"]
    assert "Videos: 0 films" in demo["second_out"]
    assert "Guides: 0 PDFs generated." in demo["second_out"]


def test_credentials_are_not_printed_without_debug(demo):
    for output in (demo["out"], demo["second_out"]):
        assert "passeurs-demo" not in output
        assert "wagtail_" not in output


def test_twenty_one_coordinations_placeholders_marked(demo):
    french = Locale.objects.get(language_code="fr")
    index = CoordinationIndexPage.objects.get(locale=french)
    coordinations = CoordinationPage.objects.child_of(index)
    assert coordinations.count() == 21
    placeholders = coordinations.filter(is_placeholder=True)
    assert placeholders.count() == 12
    assert all("(à confirmer)" in page.title for page in placeholders)
    assert not any("(à confirmer)" in page.title for page in coordinations.filter(is_placeholder=False))
    assert {"ACRIF", "Hors Cadre", "Ciclic", "Le RECIT", "FRMJC"} <= set(
        coordinations.values_list("carrying_structure", flat=True)
    )
    english = CoordinationPage.objects.filter(locale__language_code="en")
    assert english.count() == 21
    assert english.filter(title="Brittany (to be confirmed)").exists()


def test_each_coordination_group_holds_its_subtree_only(demo):
    for coordination in CoordinationPage.objects.filter(locale__language_code="fr"):
        group = coordination.editors_group
        assert group is not None
        pages = set(GroupPagePermission.objects.filter(group=group).values_list("page_id", flat=True))
        assert pages == set(coordination.get_translations(inclusive=True).values_list("pk", flat=True))
        codenames = set(GroupPagePermission.objects.filter(group=group).values_list("permission__codename", flat=True))
        assert codenames == {"add_page", "change_page", "lock_page"}  # never publish: the workflow decides
        collections = set(
            GroupCollectionPermission.objects.filter(group=group).values_list("collection__name", flat=True)
        )
        assert collections == {coordination.title}


def test_national_group_partners_and_workflow(demo):
    national = Group.objects.get(name=NATIONAL_GROUP)
    assert GroupPagePermission.objects.filter(
        group=national, page__depth=1, permission__codename="publish_page"
    ).exists()
    assert Group.objects.filter(name=PARTNERS_GROUP).exists()
    index = CoordinationIndexPage.objects.get(locale__language_code="fr")
    assert WorkflowPage.objects.get(page=index).workflow.name == WORKFLOW_NAME
    in_moderation = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    assert in_moderation.count() == 2
    assert all(state.workflow.name == WORKFLOW_NAME for state in in_moderation)
    token = PartnerToken.objects.select_related("api_token__user").get()
    assert token.is_valid
    assert token.organisation.members.filter(pk=token.api_token.user_id).exists()
    assert token.api_token.user.groups.filter(name=PARTNERS_GROUP).exists()


def test_catalogue_across_coordinations_tiers_and_consents(demo):
    films = FilmPage.objects.filter(locale__language_code="fr")
    guides = GuidePage.objects.filter(locale__language_code="fr")
    assert films.count() == 30
    assert guides.count() == 10
    assert films.values("coordination").distinct().count() >= 10
    assert set(films.values_list("effective_tier", flat=True)) == set(Tier.values)
    assert set(guides.values_list("access_tier", flat=True)) >= {Tier.PUBLIC, Tier.NETWORK, Tier.INTERNAL}

    today = timezone.localdate()
    soon = ConsentRecord.objects.filter(
        expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=60), withdrawn_on__isnull=True
    )
    assert soon.count() >= 3
    withdrawn = ConsentRecord.objects.filter(withdrawn_on__isnull=False)
    assert withdrawn.count() == 1
    assert set(withdrawn.get().films.values_list("effective_tier", flat=True)) == {Tier.INTERNAL}
    assert ConsentRecord.objects.filter(scope=ConsentScope.NONE).count() >= 3
    assert not films.filter(consent__isnull=True).exists()


def test_english_translations_of_catalogue_and_taxonomy(demo):
    live_french = FilmPage.objects.filter(locale__language_code="fr", live=True)
    english = FilmPage.objects.filter(locale__language_code="en")
    assert english.count() == live_french.count()
    assert english.filter(title="Line 13", synopsis__startswith="Teenagers film").exists()
    assert GuidePage.objects.filter(locale__language_code="en", title="Filming your neighbourhood").exists()
    assert Genre.objects.filter(locale__language_code="en", name="Documentary").exists()
    film = english.get(title="Line 13")
    assert film.genre.locale.language_code == "en"
    assert film.consent_id == FilmPage.objects.get(title="La ligne 13").consent_id  # one register for both


def test_demo_editors(demo):
    users = get_user_model().objects
    assert users.filter(groups__name=NATIONAL_GROUP, username="editeur-national").exists()
    regional = users.filter(groups__coordination__isnull=False).distinct()
    assert regional.count() == 9
    for user in regional:
        assert not user.is_superuser
        assert user.groups.count() == 1


def test_translations_sync_again_after_groups_were_set(demo, django_capture_on_commit_callbacks):
    """A coordination's editors' group stays on the French page when wagtail-localize syncs the English one."""
    from wagtail_localize.models import TranslationSource

    french = CoordinationPage.objects.get(locale__language_code="fr", slug="alsace")
    source, _ = TranslationSource.update_or_create_from_instance(french)
    with django_capture_on_commit_callbacks(execute=True):
        source.translations.get(target_locale__language_code="en").save_target(publish=True)
    english = CoordinationPage.objects.get(translation_key=french.translation_key, locale__language_code="en")
    assert english.editors_group_id is None
    assert CoordinationPage.objects.get(pk=french.pk).editors_group_id is not None


def test_every_public_and_network_film_plays_with_french_and_english_tracks(demo):
    """In both languages: a processed video, with a rendition on file, French captions and English subtitles."""
    films = FilmPage.objects.filter(effective_tier__in=[Tier.PUBLIC, Tier.NETWORK]).select_related("video")
    assert films.filter(locale__language_code="fr").count() >= 20
    assert films.filter(locale__language_code="en").count() == films.filter(locale__language_code="fr").count()
    for film in films:
        video = film.video
        assert video is not None, film.title
        assert video.status == ProcessingStatus.READY, film.title
        rendition = video.renditions.get(name=VideoRendition.Name.LOW_360P)
        assert rendition.file_size > 0 and rendition.file.storage.exists(rendition.file.name)
        assert video.poster_id is not None
        tracks = {(track.language, track.kind): track for track in video.text_tracks.all()}
        assert set(tracks) >= {("fr", TextTrack.Kind.CAPTIONS), ("en", TextTrack.Kind.SUBTITLES)}, film.title
        assert film.has_captions and film.has_sdh
    # Each film's cues are its own, not one text for every film.
    french = {film.video.text_tracks.get(language="fr").text for film in films.filter(locale__language_code="fr")}
    assert len(french) == films.filter(locale__language_code="fr").count()
    line_13 = FilmPage.objects.get(title="La ligne 13").video
    assert "Porte de Paris" in line_13.text_tracks.get(language="fr").text
    assert "Next stop" in line_13.text_tracks.get(language="en").text


def test_some_films_have_audio_description_and_sign_language(demo):
    french = FilmPage.objects.filter(locale__language_code="fr").select_related("video")
    described = french.filter(has_audio_description=True)
    signed = french.filter(has_sign_language=True)
    assert described.count() >= 2
    assert signed.count() >= 2
    for film in described:
        audio = film.video.renditions.get(name=VideoRendition.Name.AUDIO_DESCRIPTION)
        assert audio.file.storage.exists(audio.file.name)
    for film in signed:
        version = film.video.sign_language_video
        assert version.status == ProcessingStatus.READY
        assert version.renditions.filter(name=VideoRendition.Name.LOW_360P).exists()
        assert version.pk != film.video_id
    english = FilmPage.objects.filter(locale__language_code="en")
    assert english.filter(has_audio_description=True).count() == described.count()
    assert english.filter(has_sign_language=True).count() == signed.count()


def test_most_guides_have_a_pdf(demo):
    for language in ("fr", "en"):
        guides = GuidePage.objects.filter(locale__language_code=language)
        with_pdf = guides.filter(documents__isnull=False).distinct()
        assert guides.count() - 2 <= with_pdf.count() < guides.count(), language
    for document in GuideDocument.objects.all():
        with document.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
        assert document.page_count == 4

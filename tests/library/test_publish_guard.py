"""A film is never published before its video is ready, whichever path publishes it.

Publishing from code raises; scheduling is allowed and a due schedule is
postponed (kept, logged once in the history) until the video is ready;
`publish_scheduled` goes on with the other pages; processing that finishes
publishes the films that were waiting; the admin's bulk publish refuses with
a message.
"""

import datetime
import io

import pytest

from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail import hooks
from wagtail.log_actions import registry as log_registry
from wagtail.models import PageLogEntry

from library.core.tiers import ConsentScope, Tier
from library.models import FilmPage, ProcessingStatus, Video
from library.models.films import publish_films_waiting_for
from library.models.publishing import POSTPONED_ACTION, FilmNotReadyError
from tests.factories import build_coordinations, build_home, make_consent, make_film, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordination():
    _index, (coord_a, _coord_b) = build_coordinations(build_home())
    return coord_a


@pytest.fixture
def video():
    return Video.objects.create(title="Master", file="videos/test/original.mp4", status=ProcessingStatus.PROCESSING)


def draft_film(coordination, video, title="Film en attente"):
    film = make_film(coordination, title, Tier.PUBLIC, make_consent(coordination, ConsentScope.PUBLIC), live=False)
    film.video = video
    return film


def make_ready(video):
    Video.objects.filter(pk=video.pk).update(status=ProcessingStatus.READY)


def live(film):
    return FilmPage.objects.get(pk=film.pk).live


def schedule_due(film, minutes_ago=5):
    """Schedule the film, then move its go-live time into the past, as if the time had come."""
    film.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = film.save_revision()
    revision.publish()
    assert not live(film)
    due = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    revision.refresh_from_db()
    revision.content["go_live_at"] = due.isoformat()
    revision.approved_go_live_at = due
    revision.save(update_fields=["content", "approved_go_live_at"])
    return revision


def publish_scheduled():
    call_command("publish_scheduled", stdout=io.StringIO())


def test_publishing_from_code_is_refused_until_the_video_is_ready(coordination, video):
    film = draft_film(coordination, video)
    revision = film.save_revision()
    with pytest.raises(FilmNotReadyError, match="vidéo"):
        revision.publish()
    with pytest.raises(PermissionDenied):  # what callers of Wagtail's publish actions catch
        film.save_revision().publish(user=make_user("ed", is_superuser=True))
    assert not live(film)

    make_ready(video)
    film.save_revision().publish()
    assert live(film)


def test_a_film_without_video_publishes_as_before(coordination):
    film = make_film(coordination, "Sans vidéo", Tier.PUBLIC, make_consent(coordination, ConsentScope.PUBLIC))
    assert live(film)


def test_scheduling_is_allowed_and_waits_for_the_video(coordination, video):
    film = draft_film(coordination, video)
    other = make_film(
        coordination, "Autre film", Tier.PUBLIC, make_consent(coordination, ConsentScope.PUBLIC), live=False
    )
    other_revision = schedule_due(other)
    revision = schedule_due(film)

    publish_scheduled()
    publish_scheduled()  # the command runs every few minutes; the history says it once
    assert not live(film)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None  # still scheduled
    entries = PageLogEntry.objects.filter(page=film, action=POSTPONED_ACTION)
    assert entries.count() == 1 and entries.get().revision_id == revision.pk
    assert "vidéo" in str(log_registry.get_formatter(entries.get()).format_message(entries.get()))
    other_revision.refresh_from_db()
    assert other_revision.approved_go_live_at is None  # the rest of the run went on
    assert FilmPage.objects.get(pk=other.pk).live

    make_ready(video)
    publish_scheduled()
    assert live(film)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    assert PageLogEntry.objects.filter(page=film, action="wagtail.publish.scheduled").exists()


def test_processing_that_finishes_publishes_the_waiting_film(coordination, video):
    film = draft_film(coordination, video)
    schedule_due(film)
    publish_scheduled()
    assert not live(film)
    assert publish_films_waiting_for(video.pk) == 1
    assert not live(film)  # the guard still holds while the video is not ready

    make_ready(video)
    assert publish_films_waiting_for(video.pk) == 1
    assert live(film)
    assert publish_films_waiting_for(video.pk) == 0


def test_a_schedule_in_the_future_is_not_published_early(coordination, video):
    film = draft_film(coordination, video)
    film.go_live_at = timezone.now() + datetime.timedelta(days=1)
    film.save_revision().publish()
    make_ready(video)
    assert publish_films_waiting_for(video.pk) == 0
    publish_scheduled()
    assert not live(film)


def test_admin_bulk_publish_refuses_with_a_message(client, coordination, video):
    film = draft_film(coordination, video)
    film.save_revision()
    client.force_login(make_user("admin", is_superuser=True))
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = f"?id={film.pk}&next=/admin/"
    response = client.post(url + query, {"include_descendants": ""}, follow=True)
    assert response.status_code == 200
    assert any("vidéo" in str(message) for message in response.context["messages"])
    assert not live(film)

    make_ready(video)
    client.post(url + query, {"include_descendants": ""})
    assert live(film)


def test_admin_publish_button_allows_scheduling_only(rf, coordination, video):
    film = draft_film(coordination, video)
    request = rf.post("/")
    request.user = make_user("ed", is_superuser=True)
    request._messages = CookieStorage(request)
    refusals = [hook(request, film) for hook in hooks.get_hooks("before_publish_page")]
    assert any(response is not None and response.status_code == 302 for response in refusals)
    film.go_live_at = timezone.now() + datetime.timedelta(days=1)
    assert all(hook(request, film) is None for hook in hooks.get_hooks("before_publish_page"))

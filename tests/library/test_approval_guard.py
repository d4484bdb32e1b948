"""National approval publishes, so it cannot approve a film whose video is not ready."""

import pytest

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from library.core.groups import NATIONAL_GROUP
from library.core.tiers import ConsentScope, Tier
from library.models import FilmPage, NationalApprovalTask, ProcessingStatus, Video
from tests.factories import build_coordinations, build_home, make_consent, make_film, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    home = build_home()
    _index, (coord_a, _coord_b) = build_coordinations(home)
    video = Video.objects.create(title="Master", file="videos/test/original.mp4", status=ProcessingStatus.PROCESSING)
    film = make_film(coord_a, "Film en attente", Tier.PUBLIC, make_consent(coord_a, ConsentScope.PUBLIC), live=False)
    film.video = video
    editor = make_user("alice", coord_a.editors_group)
    film.save_revision(user=editor)
    film.get_workflow().start(film, editor)
    national = make_user("nadia", Group.objects.get(name=NATIONAL_GROUP))
    task_state = FilmPage.objects.get(pk=film.pk).current_workflow_task_state
    return film, video, national, task_state


def test_the_network_workflow_uses_the_guarded_task(submitted):
    _film, _video, _national, task_state = submitted
    assert isinstance(task_state.task.specific, NationalApprovalTask)


def test_approval_waits_for_the_video(submitted):
    film, video, national, task_state = submitted
    task = task_state.task.specific

    assert [name for name, *_ in task.get_actions(film, national)] == ["reject"]
    with pytest.raises(PermissionDenied, match="vidéo"):
        task.on_action(task_state, national, "approve")
    assert not FilmPage.objects.get(pk=film.pk).live

    Video.objects.filter(pk=video.pk).update(status=ProcessingStatus.READY)
    assert "approve" in [name for name, *_ in task.get_actions(film, national)]
    task.on_action(task_state, national, "approve")
    assert FilmPage.objects.get(pk=film.pk).live

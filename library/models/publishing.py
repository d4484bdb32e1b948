"""Rules a film must meet before it is published, whoever publishes it.

The rule: a film goes live only once its video is ready. It holds on every
path that publishes a film, because they all end in `FilmPage.publish`
(`FilmPublicationGuard`): the admin's buttons, bulk publishing, the national
approval task, scheduled publishing (`manage.py publish_scheduled`), the
import and any `revision.publish()` in code.

- Publishing now raises `FilmNotReadyError` (a `PublishPermissionError`)
  with the reason in words an editor understands. The admin asks earlier
  (`before_publish_page`, `before_bulk_action`, the approval task's actions)
  so editors see a message, not an error page.
- Scheduling (a go-live date in the future) is allowed: the video has until
  then to be processed.
- A scheduled publication that falls due while the video is not ready is
  postponed, not dropped: the revision stays scheduled, the page history
  says why (once), and the film goes live as soon as processing finishes
  (`library.models.films.publish_films_waiting_for`) or at the next `publish_scheduled` run.
"""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.actions.publish_revision import PublishPermissionError

from library.models.videos import ProcessingStatus, Video

logger = logging.getLogger(__name__)

# Wagtail's own action name for a scheduled publication (`publish_scheduled`).
SCHEDULED_PUBLISH_ACTION = "wagtail.publish.scheduled"
POSTPONED_ACTION = "library.publish.waiting_for_video"
POSTPONED_LABEL = gettext_lazy("Scheduled publication postponed")
POSTPONED_MESSAGE = gettext_lazy("Scheduled publication postponed: the video is not ready yet")


class FilmNotReadyError(PublishPermissionError):
    """A film cannot be published before its video is ready."""


def film_publish_problem(page):
    """Why this film cannot be published now, or None."""
    if not isinstance(page, FilmPublicationGuard) or not page.video_id:
        return None
    status = Video.objects.filter(pk=page.video_id).values_list("status", flat=True).first()
    if status == ProcessingStatus.READY:
        return None
    return _(
        "The film cannot be published before its video is ready (its state is “%(state)s”). "
        "Your changes are saved as a draft; publish again once processing has finished."
    ) % {"state": ProcessingStatus(status).label if status else _("missing")}


def latest_version(page):
    """The version a moderator is asked to approve: the page as in its latest revision."""
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    revision = getattr(specific, "latest_revision", None)
    return revision.as_object() if revision is not None else specific


class FilmPublicationGuard:
    """Mixin of `FilmPage`: every publication of a film goes through `publish`, so the rule is checked there."""

    def publish(self, revision, *args, log_action=True, **kwargs):
        film = revision.as_object()
        if film.go_live_at and film.go_live_at > timezone.now():
            return super().publish(revision, *args, log_action=log_action, **kwargs)  # scheduling only
        problem = film_publish_problem(film)
        if problem is None:
            return super().publish(revision, *args, log_action=log_action, **kwargs)
        if log_action == SCHEDULED_PUBLISH_ACTION:
            _postpone(revision, film)
            return None
        raise FilmNotReadyError(problem)


def _postpone(revision, film):
    """Keep the schedule; say once, in the page history and the log, why the film is not live yet."""
    from wagtail.log_actions import log
    from wagtail.models import PageLogEntry

    logger.warning(
        "scheduled publication of film %s (revision %s) postponed: its video is not ready", film.pk, revision.pk
    )
    if not PageLogEntry.objects.filter(page_id=film.pk, revision=revision, action=POSTPONED_ACTION).exists():
        log(instance=film, action=POSTPONED_ACTION, revision=revision, content_changed=False)


def publish_when_ready(revision, user=None):
    """Publish a film now, or as soon as its video is ready; returns whether it went live now.

    For callers that mean "publish" while the video may still be processing
    (the import): the revision is scheduled for now, which the guard
    postpones until processing finishes.
    """
    film = revision.as_object()
    if film_publish_problem(film) is None:
        revision.publish(user=user)
        return True
    revision.approved_go_live_at = timezone.now()
    revision.save(update_fields=["approved_go_live_at"])
    type(film).objects.get(pk=film.pk).revisions.exclude(pk=revision.pk).update(approved_go_live_at=None)
    return False

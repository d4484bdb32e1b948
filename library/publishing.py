"""Rules a film must meet before it is published, whoever publishes it.

Asked by the admin's publish button (`before_publish_page`) and by the
national approval task, since regional editors' films reach the public
through that task rather than through the button.
"""

from django.utils.translation import gettext as _


def film_publish_problem(page):
    """Why this film cannot be published now, or None."""
    from library.models import FilmPage, ProcessingStatus, Video

    if not isinstance(page, FilmPage) or not page.video_id:
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

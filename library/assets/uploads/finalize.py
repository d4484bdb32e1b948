"""Start and finish an upload: every check happens here, before any `Video` row.

`start` refuses a bad name, an unknown collection or a file over the limit
before a byte is sent. `finalize` completes the upload, then checks what the
storage really holds: its size against the announced one and the limit, its
signature (the first bytes, not the name or the browser's Content-Type),
and a probe of the container (truncated, corrupt, unsupported codec). Only
then is the `Video` row created; if anything fails, including the database
refusing the row, the stored object is deleted before the error is
returned, so a refusal leaves nothing behind.

The editor waits for finalize, so it overlaps what it can: the probe's
child process starts first and loads FFmpeg while the storage assembles
the parts; on S3 the size comes from the server's list of parts, so an
incomplete upload is refused before it is assembled.
"""

import logging
import uuid

from django.conf import settings
from django.db import DatabaseError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from library.assets.media.errors import MediaError
from library.assets.media.isolation import IsolatedProbe
from library.assets.media.names import clean_original_name
from library.assets.media.sniff import HEAD_SIZE, check_video_head
from library.assets.uploads.backends import get_backend
from library.models import UploadSession, Video

logger = logging.getLogger(__name__)


def max_size(kind):
    return settings.LIBRARY_MAX_UPLOAD_SIZE[kind]


def human_size(size):
    """A size as Django's `filesizeformat` writes it in the active language (« 20,0 Gio »), so that sizes
    in messages read like those the admin's templates show."""
    return filesizeformat(size)


def start(*, user, collection, filename, size, title=""):
    """Create the session and, on S3, the multipart upload; return the session."""
    name = clean_original_name(filename)
    if not isinstance(size, int) or size <= 0:
        raise MediaError(_("The file is empty."), code="empty")
    limit = max_size("video")
    if size > limit:
        raise MediaError(
            _("The file is too large (%(size)s); the limit for videos is %(limit)s.")
            % {"size": human_size(size), "limit": human_size(limit)},
            code="too_large",
        )
    backend = get_backend()
    prefix = uuid.uuid4().hex
    session = UploadSession(
        kind=UploadSession.Kind.VIDEO,
        mode=backend.mode,
        user=user,
        collection=collection,
        title=(title or name.rsplit(".", 1)[0])[:255],
        original_filename=name,
        size=size,
        storage_prefix=prefix,
        key=f"videos/{prefix}/original",
    )
    backend.create(session)
    try:
        session.save()
    except DatabaseError:
        backend.abort(session)
        raise
    return session


def finalize(session):
    """Complete, check and register the upload; return the new `Video`. Raises `MediaError`."""
    backend = get_backend()
    try:
        with IsolatedProbe() as probe:  # starting now, it is ready by the time the file is
            size = backend.complete(session)
            video = _check_and_register(session, backend, probe, size)
    except MediaError as error:
        _discard(session, backend, error)
        raise
    except DatabaseError:
        logger.exception("finalize of upload %s refused by the database", session.pk)
        error = MediaError(
            _("The library could not record the video (database error); nothing was kept. Try again."),
            code="database",
        )
        _discard(session, backend, error)
        raise error from None
    return video


def _check_and_register(session, backend, probe, size=None):
    if size is None:
        size = backend.stored_size(session)
    if size != session.size:
        raise MediaError(
            _("The upload is incomplete: %(received)s arrived out of %(expected)s. Upload the file again.")
            % {"received": human_size(size), "expected": human_size(session.size)},
            code="incomplete",
        )
    if size > max_size("video"):
        raise MediaError(_("The file is larger than the limit for videos."), code="too_large")
    check_video_head(backend.read_head(session, min(HEAD_SIZE, size)))
    info, _bytes_read = probe.run(backend.probe_source(session))
    backend.place(session)
    with transaction.atomic():
        video = Video(
            title=session.title,
            collection=session.collection,
            storage_prefix=session.storage_prefix,
            original_filename=session.original_filename,
            file_size=size,
            uploaded_by_user=session.user,
            **info.as_fields(),
        )
        video.file.name = session.key
        video.save()
        UploadSession.objects.filter(pk=session.pk).update(state=UploadSession.State.COMPLETED, video=video, error="")
        from library.assets.processing.videos import schedule_video_processing

        transaction.on_commit(lambda: schedule_video_processing(video.pk))
    session.state, session.video = UploadSession.State.COMPLETED, video
    return video


def _discard(session, backend, error):
    """Remove every byte of a refused upload, then record why (best effort)."""
    try:
        backend.abort(session)
        backend.delete(session)
        needs_cleanup = False
    except MediaError:
        logger.warning("could not delete refused upload %s; library_maintenance will retry", session.pk)
        needs_cleanup = True
    try:
        UploadSession.objects.filter(pk=session.pk).update(
            state=UploadSession.State.FAILED, error=str(error)[:2000], needs_cleanup=needs_cleanup
        )
    except DatabaseError:
        logger.warning("could not record the refusal of upload %s", session.pk)


def abort(session):
    backend = get_backend()
    backend.abort(session)
    backend.delete(session)
    UploadSession.objects.filter(pk=session.pk).update(state=UploadSession.State.ABORTED)
    session.state = UploadSession.State.ABORTED

"""Generating named renditions: the queue and the background task that fills it.

Describing an image (`library.models.renditions`) only announces the named
renditions it lacks (`renditions_missing`); this module, connected by
`library.receivers`, queues their generation, so answering a request never
resizes an image.
"""

import threading
from contextlib import contextmanager

from django_tasks import task

from django.core.cache import cache
from django.db import transaction

from library.assets.processing import in_request, schedule
from library.core.signals import renditions_generated
from library.models.renditions import NAMED_RENDITIONS

#: How long a queued generation is not queued again (it normally takes seconds).
QUEUED_RENDITIONS_TTL = 600

_pending = threading.local()


def queue_missing_renditions(image_id):
    """Queue the generation of an image's missing named renditions, once.

    Inside a request the image is only noted: the queue is written when the
    response has been sent (`queue_noted_renditions`, on `request_finished`),
    so a list full of images without renditions answers as fast as a warm one.
    A short-lived cache key stops every request that notices the same gap from
    queueing it again.
    """
    if in_request() or getattr(_pending, "deferring", False):
        if not hasattr(_pending, "image_ids"):
            _pending.image_ids = set()
        _pending.image_ids.add(image_id)
    else:
        _queue([image_id])


@contextmanager
def queue_after_commit():
    """Within this block, missing renditions are only noted, and queued once it is committed.

    The listing cards are written this way: on the in-process task backend a
    queued generation runs at once and rewrites the cards with the new
    renditions, which the block's own, older cards must not overwrite.
    """
    outer = getattr(_pending, "deferring", False)
    _pending.deferring = True
    try:
        yield
    finally:
        _pending.deferring = outer
    if not outer:
        image_ids = sorted(getattr(_pending, "image_ids", ()))
        _pending.image_ids = set()
        if image_ids:
            transaction.on_commit(lambda: _queue(image_ids))


def queue_noted_renditions():
    """Queue what requests noted; run once the response has been sent."""
    image_ids = getattr(_pending, "image_ids", None)
    if image_ids:
        _pending.image_ids = set()
        _queue(sorted(image_ids))


def _queue(image_ids):
    for image_id in image_ids:
        if cache.add(f"library:renditions-queued:{image_id}", True, timeout=QUEUED_RENDITIONS_TTL):
            schedule(generate_named_renditions, image_id)


def generate_after_commit(image_id):
    """Generate every named rendition of a new or replaced image once its row is committed."""
    transaction.on_commit(lambda: generate_named_renditions.enqueue(image_id))


@task()
def generate_named_renditions(image_id):
    """Create every named rendition of an image, outside any request."""
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return
    before = image.renditions.count()
    image.get_renditions(*NAMED_RENDITIONS.values())
    if image.renditions.count() != before:
        renditions_generated.send(sender=type(image), image_id=image_id)

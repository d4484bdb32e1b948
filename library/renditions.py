"""Named image renditions: the only filter specs the API ever produces.

A client picks a name (`card`, `hero`...), never a filter spec, so nobody can
make the server generate arbitrary image sizes. Every name is generated when
an image is saved, by a background task, so answering a request never resizes
an image.
"""

import threading

from django.core.cache import cache
from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

#: How long a queued generation is not queued again (it normally takes seconds).
QUEUED_RENDITIONS_TTL = 600

NAMED_RENDITIONS = {
    "thumbnail": "fill-320x180|format-webp",
    "card": "fill-640x360|format-webp",
    "card_2x": "fill-1280x720|format-webp",
    "hero": "width-1600|format-webp",
    "original_jpeg": "max-2400x2400|format-jpeg",
}

#: For `srcset`: the names that share an aspect ratio, by width.
SRCSET_GROUPS = {
    "card": ("thumbnail", "card", "card_2x"),
}

RENDITION_LABELS = {
    "thumbnail": _("Thumbnail"),
    "card": _("Card"),
    "card_2x": _("Card (high density)"),
    "hero": _("Wide banner"),
    "original_jpeg": _("Large JPEG"),
}


def serialize_image(image, names=("card",), renditions=None):
    """Describe `image` for the API as named renditions with width, height and alt text.

    `renditions` may be passed pre-fetched (see `prefetch_renditions`); only
    renditions that already exist are returned, so a request never triggers
    image processing. Missing ones are scheduled for generation instead.
    """
    if image is None:
        return None
    existing = renditions if renditions is not None else _existing_renditions(image)
    result = {"id": image.pk, "alt": image.default_alt_text, "renditions": {}}
    missing = False
    for name in names:
        spec = NAMED_RENDITIONS[name]
        rendition = existing.get(spec)
        if rendition is None:
            missing = True
            continue
        result["renditions"][name] = {"url": rendition.url, "width": rendition.width, "height": rendition.height}
    for group, members in SRCSET_GROUPS.items():
        if group in names:
            parts = [
                f"{existing[NAMED_RENDITIONS[m]].url} {existing[NAMED_RENDITIONS[m]].width}w"
                for m in members
                if NAMED_RENDITIONS[m] in existing
            ]
            result["srcset"] = ", ".join(parts)
    if missing:
        schedule_named_renditions(image.pk)
    return result


_pending = threading.local()


def schedule_named_renditions(image_id):
    """Queue the generation of an image's missing named renditions, once.

    Inside a request the image is only noted: the queue is written when the
    response has been sent (`request_finished`), so a list full of images
    without renditions answers as fast as a warm one. A short-lived cache key
    stops every request that notices the same gap from queueing it again.
    """
    from library.processing import in_request

    if in_request():
        if not hasattr(_pending, "image_ids"):
            _pending.image_ids = set()
        _pending.image_ids.add(image_id)
    else:
        _queue([image_id])


@receiver(request_finished)
def _queue_pending(sender, **kwargs):
    image_ids = getattr(_pending, "image_ids", None)
    if image_ids:
        _pending.image_ids = set()
        _queue(sorted(image_ids))


def _queue(image_ids):
    from library.processing import schedule
    from library.tasks import generate_named_renditions

    for image_id in image_ids:
        if cache.add(f"library:renditions-queued:{image_id}", True, timeout=QUEUED_RENDITIONS_TTL):
            schedule(generate_named_renditions, image_id)


def _existing_renditions(image):
    if hasattr(image, "prefetched_renditions"):
        renditions = image.prefetched_renditions
    else:
        renditions = image.renditions.all()
    return {r.filter_spec: r for r in renditions}

"""Named image renditions: the only filter specs the API ever produces, and how an image is described by them.

A client picks a name (`card`, `hero`...), never a filter spec, so nobody can
make the server generate arbitrary image sizes. Declared beside the image
model, like Wagtail's `ImageRenditionField`, because the models' API fields
(`library.models.api_fields`) describe images with them.

Describing is pure: only renditions that exist are shown, and a gap is
announced with `renditions_missing`, never filled here. Generating them is
the work of `library.assets.processing.renditions`, which listens.
"""

from django.utils.translation import gettext_lazy as _

from library.core.signals import renditions_missing
from library.core.signed_urls import signs_urls, urls_for

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
    image processing. Missing ones are announced (`renditions_missing`) instead.
    """
    return image_from_files(image_files(image, names, renditions))


def image_files(image, names=("card",), renditions=None):
    """What `serialize_image` shows, with storage names instead of URLs: the storable form.

    Listing cards keep this form, because URLs of a private bucket are signed
    and expire; `image_from_files` makes the URLs when answering. `srcset`
    lists every existing member of the shape groups asked for, asked for by
    name or not.
    """
    if image is None:
        return None
    existing = renditions if renditions is not None else _existing_renditions(image)
    files = {}
    for name in names:
        rendition = existing.get(NAMED_RENDITIONS[name])
        if rendition is not None:
            files[name] = [rendition.file.name, rendition.width, rendition.height]
    if len(files) < len(names):
        renditions_missing.send(sender=type(image), image_id=image.pk)
    stored = {"id": image.pk, "alt": image.default_alt_text, "files": files}
    for group, members in SRCSET_GROUPS.items():
        if group in names:
            stored["srcset"] = [
                [existing[NAMED_RENDITIONS[m]].file.name, existing[NAMED_RENDITIONS[m]].width]
                for m in members
                if NAMED_RENDITIONS[m] in existing
            ]
    return stored


def image_from_files(stored, urls=None):
    """The API's image (rendition URLs, `srcset`) from `image_files`' storable form.

    `urls` maps file names to URLs when the caller has fetched them for many
    images at once (`rendition_urls`); otherwise they are fetched here.
    """
    if stored is None:
        return None
    if urls is None:
        urls = rendition_urls(stored_file_names(stored))
    result = {
        "id": stored["id"],
        "alt": stored["alt"],
        "renditions": {
            name: {"url": urls[file_name], "width": width, "height": height}
            for name, (file_name, width, height) in stored["files"].items()
        },
    }
    if "srcset" in stored:
        result["srcset"] = ", ".join(f"{urls[file_name]} {width}w" for file_name, width in stored["srcset"])
    return result


def stored_file_names(stored):
    """The rendition files an `image_files` form shows (the srcset repeats the named ones)."""
    if stored is None:
        return set()
    return {file_name for file_name, _w, _h in stored["files"].values()} | {
        file_name for file_name, _width in stored.get("srcset", ())
    }


def rendition_urls(file_names):
    """`{file name: URL}` of these renditions, signed ones reused (`library.core.signed_urls`)."""
    return urls_for(rendition_storage(), file_names)


def rendition_urls_expire():
    """True when rendition URLs are signed (a private bucket): they cannot be stored, only made."""
    return signs_urls(rendition_storage())


def rendition_storage():
    from wagtail.images import get_image_model

    return get_image_model().get_rendition_model()._meta.get_field("file").storage


def _existing_renditions(image):
    if hasattr(image, "prefetched_renditions"):
        renditions = image.prefetched_renditions
    else:
        renditions = image.renditions.all()
    return {r.filter_spec: r for r in renditions}

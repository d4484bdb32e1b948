"""Turn pages into the dictionaries of `library.representation.schemas`, in the requested locale."""

from django.urls import reverse

from wagtail.rich_text import expand_db_html

from library.access.rules import can_download, can_download_guide, can_download_video, current_tier
from library.models.films import WORKSHOP_FIELDS
from library.models.renditions import image_files, serialize_image
from library.representation.localisation import default_language, overlay, term, terms

FILM_TEXT_FIELDS = ("title", "slug", "synopsis", "easy_read_summary")
FILM_DETAIL_TEXT_FIELDS = ("credits",)
GUIDE_TEXT_FIELDS = ("title", "slug", "summary")
COORDINATION_TEXT_FIELDS = ("title", "slug", "description")
IMAGE_NAMES = ("thumbnail", "card", "card_2x")


def _image(image):
    if image is None:
        return None
    return serialize_image(image, names=IMAGE_NAMES, renditions=_renditions(image))


def stored_image(image):
    """An image in the storable form of listing cards (storage names, no URLs)."""
    if image is None:
        return None
    return image_files(image, names=IMAGE_NAMES, renditions=_renditions(image))


def _renditions(image):
    prefetched = getattr(image, "prefetched_renditions", None)
    if prefetched is None:
        return None
    return {r.filter_spec: r for r in prefetched}


def _meta(item, kind, language, translation, fallback, detail_url):
    return {
        "type": kind,
        "locale": language if translation is not None else item_locale(item),
        "fallback_fields": fallback,
        "detail_url": detail_url,
    }


def item_locale(item):
    return default_language()


def _coordination(page):
    if page is None:
        return None
    return {"id": page.pk, "title": page.title, "slug": page.slug}


def api_prefix():
    """`/api/v3` as mounted, computed once per process."""
    global _API_PREFIX
    if _API_PREFIX is None:
        _API_PREFIX = reverse("wagtailapi_v3:openapi-json").rsplit("/openapi.json", 1)[0]
    return _API_PREFIX


_API_PREFIX = None


def film(item, language, translation=None, detail=False, image=_image):
    fields = FILM_TEXT_FIELDS + (FILM_DETAIL_TEXT_FIELDS if detail else ())
    values, fallback = overlay(item, translation, fields)
    language = language if translation is not None else default_language()
    data = {
        "id": item.pk,
        **{name: values[name] for name in FILM_TEXT_FIELDS},
        "year": item.year,
        "genre": term(item.genre, language),
        "action_type": term(item.action_type, language),
        "themes": terms(list(item.themes.all()), language),
        "audiences": terms(list(item.audiences.all()), language),
        "coordination": _coordination(item.coordination),
        "poster": image(item.shown_poster),
        "accessibility": {
            "captions": item.has_captions or item.has_sdh,
            "sdh": item.has_sdh,
            "audio_description": item.has_audio_description,
            "sign_language": item.has_sign_language,
        },
        "licence": item.licence,
        "spoken_languages": list(item.spoken_languages or []),
        # The French source's switch (a translation only overlays text): the site says "download not allowed".
        "download_allowed": item.download_allowed,
        "tier": current_tier(item),
        "first_published_at": item.first_published_at,
        "meta": _meta(item, "library.FilmPage", language, translation, fallback, f"{api_prefix()}/films/{item.pk}/"),
    }
    if detail:
        data["credits"] = values["credits"]
    return data


def film_detail(item, language, requester, translation=None):
    data = film(item, language, translation, detail=True)
    prefix = api_prefix()
    data["workshop"] = {name: getattr(item, name) for name in WORKSHOP_FIELDS}
    video = item.video
    renditions = [r.name for r in video.renditions.all()] if video else []
    data["video"] = (
        {
            "duration": video.duration,
            "width": video.width,
            "height": video.height,
            "ready": video.is_ready,
            "renditions": renditions,
            "text_tracks": [
                {
                    "id": track.pk,
                    "language": track.language,
                    "kind": track.kind,
                    "label": track.label or track.language,
                    "url": reverse("library_embed:track", args=[item.pk, track.pk]),
                }
                for track in video.text_tracks.all()
            ],
        }
        if video
        else None
    )
    data["related_guides"] = [{"id": g.pk, "title": g.title, "slug": g.slug} for g in item.related_guides.all()]
    public = current_tier(item) == "public"
    data["embed_url"] = reverse("library_embed:film", args=[item.pk]) if public else None
    data["oembed_url"] = reverse("library_embed:oembed") + f"?url={data['embed_url']}" if public else None
    data["stream_urls"] = {name: f"{prefix}/films/{item.pk}/stream/?rendition={name}" for name in renditions}
    downloads = {}
    if video and can_download_video(requester, item):
        downloads["original"] = f"{prefix}/films/{item.pk}/download/?rendition=original"
        downloads.update({name: f"{prefix}/films/{item.pk}/download/?rendition={name}" for name in renditions})
    data["download_urls"] = downloads
    # With the download switch off, the pack still holds the tracks, the poster and the guides.
    packed = video is not None and can_download(requester, item)
    data["screening_pack_url"] = f"{prefix}/films/{item.pk}/screening-pack/" if packed else None
    return data


def guide(item, language, translation=None, image=_image):
    values, fallback = overlay(item, translation, GUIDE_TEXT_FIELDS)
    language = language if translation is not None else default_language()
    return {
        "id": item.pk,
        **values,
        "cover": image(item.cover),
        "themes": terms(list(item.themes.all()), language),
        "audiences": terms(list(item.audiences.all()), language),
        "age_groups": terms(list(item.age_groups.all()), language),
        "coordination": _coordination(item.coordination),
        "tier": current_tier(item),
        "first_published_at": item.first_published_at,
        "meta": _meta(item, "library.GuidePage", language, translation, fallback, f"{api_prefix()}/guides/{item.pk}/"),
    }


def guide_detail(item, language, requester, translation=None):
    data = guide(item, language, translation)
    allowed = can_download_guide(requester, item)
    prefix = api_prefix()
    data["documents"] = [
        {
            "id": link.document.pk,
            "title": link.document.title,
            "language": link.language,
            "label": link.label,
            "page_count": link.document.page_count,
            "download_url": f"{prefix}/guides/{item.pk}/download/?document={link.document.pk}" if allowed else None,
        }
        for link in item.documents.all()
    ]
    data["related_films"] = [{"id": f.pk, "title": f.title, "slug": f.slug} for f in item.related_films.all()]
    return data


def coordination(item, language, translation=None):
    values, fallback = overlay(item, translation, COORDINATION_TEXT_FIELDS)
    language = language if translation is not None else default_language()
    return {
        "id": item.pk,
        "title": values["title"],
        "slug": values["slug"],
        "region": item.region,
        "carrying_structure": item.carrying_structure,
        "territory": [str(code) for code in item.territory or []],
        "website": item.website,
        "logo": _image(item.logo),
        # Rich text as display HTML: internal links and embeds expanded.
        "description": expand_db_html(values["description"]) if values["description"] else "",
        "is_placeholder": item.is_placeholder,
        "contacts": [
            {"name": c.name, "role": c.role, "email": c.email, "phone": c.phone} for c in item.contacts.all()
        ],
        "meta": _meta(item, "library.CoordinationPage", language, translation, fallback, ""),
    }

"""Querysets of the list and detail endpoints, with every join and prefetch they need.

The number of queries of a list does not depend on its page size: each
relation is loaded once for the whole page. Each `select_related` or
`Prefetch` below names the N+1 it removes.
"""

from django.conf import settings
from django.db.models import Prefetch

from library.access.rules import filter_visible
from library.models import (
    CoordinationContact,
    CoordinationPage,
    FilmPage,
    GuideDocumentLink,
    GuidePage,
    LibraryRendition,
)
from library.models.renditions import NAMED_RENDITIONS

#: Renditions the API shows for posters, covers and logos.
CARD_NAMES = ("thumbnail", "card", "card_2x")


def _renditions_prefetch(path):
    # One query for the named renditions of every image on the page (instead
    # of one `image.renditions` query per item); only the named specs are
    # loaded, never generated (`library.models.renditions.serialize_image`).
    return Prefetch(
        f"{path}__renditions",
        queryset=LibraryRendition.objects.filter(filter_spec__in=list(NAMED_RENDITIONS.values())),
        to_attr="prefetched_renditions",
    )


def films(requester):
    """Films `requester` may see, with every relation a film card shows."""
    return filter_visible(film_rows(), requester)


def film_rows():
    """Every default-locale film, with every relation a film card shows (no access rule: the caller's)."""
    return (
        FilmPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .select_related(
            # coordination: one JOIN instead of a query per film for its name and slug.
            "coordination",
            # genre, action_type: JOINs instead of two queries per film.
            "genre",
            "action_type",
            # poster: JOIN instead of a query per film for the image row.
            "poster",
            # video's poster frame, shown when the film has no poster: JOINs too.
            "video__poster",
            # consent: JOIN; the film's tier today (access.current_tier) reads it.
            "consent",
        )
        .prefetch_related(
            # themes, audiences: one query each for the page instead of two per film.
            "themes",
            "audiences",
            _renditions_prefetch("poster"),
            _renditions_prefetch("video__poster"),
        )
    )


def film_detail(requester):
    return (
        films(requester)
        .select_related("video")
        .prefetch_related(
            "video__renditions",
            "video__text_tracks",
            # Related guides, filtered by the same access rule as the guides list.
            Prefetch(
                "related_guides", queryset=filter_visible(GuidePage.objects.only("id", "title", "slug"), requester)
            ),
        )
    )


def guides(requester):
    """Guides `requester` may see, with every relation a guide card shows."""
    return filter_visible(guide_rows(), requester)


def guide_rows():
    """Every default-locale guide, with every relation a guide card shows (no access rule: the caller's)."""
    return (
        GuidePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .select_related(
            # coordination, cover: JOINs instead of a query per guide each.
            "coordination",
            "cover",
        )
        .prefetch_related(
            # themes, audiences, age_groups: one query each for the page, not three per guide.
            "themes",
            "audiences",
            "age_groups",
            _renditions_prefetch("cover"),
        )
    )


def guide_detail(requester):
    return guides(requester).prefetch_related(
        Prefetch("documents", queryset=GuideDocumentLink.objects.select_related("document")),
        Prefetch(
            "related_films", queryset=filter_visible(FilmPage.objects.all(), requester).only("id", "title", "slug")
        ),
    )


def coordinations():
    return (
        CoordinationPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        # logo: JOIN instead of a query per coordination.
        .select_related("logo")
        # contacts and logo renditions: one query each for the page.
        .prefetch_related(
            Prefetch("contacts", queryset=CoordinationContact.objects.order_by("sort_order")),
            _renditions_prefetch("logo"),
        )
        .order_by("title", "pk")
    )

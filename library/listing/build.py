"""Write the listing entries and cards of films and guides.

Cards are made by the API's own serializers (`library.representation.serializers`), so a
card is exactly what the list endpoint showed when it serialised pages on each
request; only image URLs (signed on a private bucket) and the tier (decided
by the consent on the day) are left to the request.
"""

import json

from ninja.responses import NinjaJSONEncoder

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from library.access.rules import consent_columns
from library.assets.processing.renditions import queue_after_commit
from library.core.signals import listing_changed
from library.listing import counts
from library.models import FilmPage, GuidePage, ListingCard, ListingEntry, ListingKind
from library.models.renditions import image_from_files, rendition_urls_expire, stored_file_names
from library.representation import queries, serializers
from library.representation.localisation import content_languages, real_translations

#: Items refreshed per batch by `refresh_all`.
BATCH_SIZE = 500


def _kinds():
    return (
        (FilmPage, ListingKind.FILM, queries.film_rows, serializers.film),
        (GuidePage, ListingKind.GUIDE, queries.guide_rows, serializers.guide),
    )


def _schemas():
    from library.representation.schemas import FilmSummary, GuideSummary

    return {ListingKind.FILM: (FilmSummary, "poster"), ListingKind.GUIDE: (GuideSummary, "cover")}


def refresh(page_ids):
    """Rewrite the entries and cards of the films and guides among `page_ids` (any locale).

    A translation's id refreshes its default-locale source, whose cards carry
    every language. Other page ids are ignored. Returns the number of items written.
    """
    from wagtail.models import Page

    page_ids = list(page_ids)
    if not page_ids:
        return 0
    keys = list(Page.objects.filter(pk__in=page_ids).values_list("translation_key", flat=True))
    written = 0
    for model, kind, rows, serialize in _kinds():
        items = list(rows().filter(translation_key__in=keys))
        if items:
            _write(model, kind, items, serialize)
            written += len(items)
    return written


def refresh_all(stdout=None):
    """Rewrite every entry and card (after a bulk import, or to repair the read model)."""
    written = 0
    for model, _kind, rows, _serialize in _kinds():
        ids = list(rows().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            written += refresh(ids[start : start + BATCH_SIZE])
            if stdout:
                stdout.write(f"  {model._meta.verbose_name_plural}: {min(start + BATCH_SIZE, len(ids))}/{len(ids)}\n")
    return written


def refresh_missing():
    """Write the entries of films and guides that have none yet (after a migration, a bulk insert)."""
    written = 0
    for _model, _kind, rows, _serialize in _kinds():
        ids = list(rows().filter(listing_entry__isnull=True).values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            written += refresh(ids[start : start + BATCH_SIZE])
    return written


def _write(model, kind, items, serialize):
    languages = [code for code in content_languages() if code != settings.LANGUAGE_CODE]
    translations = {
        language: {
            page.translation_key: page
            for page in real_translations(model.objects).filter(
                translation_key__in=[item.translation_key for item in items],
                locale__language_code=language,
                live=True,
            )
        }
        for language in languages
    }
    # One transaction: the renditions found missing are queued once the cards are committed.
    with transaction.atomic():
        with queue_after_commit():
            entries, cards = _rows(kind, items, translations, serialize)
        ListingEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=[
                "kind",
                "live",
                "coordination",
                "access_tier",
                "consent_cap",
                "consent_until",
                "title",
                "year",
                "first_published_at",
                "refreshed_at",
            ],
        )
        ListingCard.objects.bulk_create(
            cards,
            update_conflicts=True,
            unique_fields=["entry", "language"],
            update_fields=["data", "image", "image_json"],
        )
        counts.changed()
        ids = [entry.page_id for entry in entries]
        transaction.on_commit(lambda: listing_changed.send(sender=ListingEntry, page_ids=ids))


def _rows(kind, items, translations, serialize):
    """The entries and cards of `items` (`translations`: {language: {translation key: page}})."""
    now = timezone.now()
    entries, cards = [], []
    for item in items:
        consent_cap, consent_until = consent_columns(item)
        entries.append(
            ListingEntry(
                page_id=item.pk,
                kind=kind,
                live=item.live,
                coordination_id=item.coordination_id,
                access_tier=item.access_tier,
                consent_cap=consent_cap,
                consent_until=consent_until,
                title=item.title,
                year=getattr(item, "year", None),
                first_published_at=item.first_published_at,
                refreshed_at=now,
            )
        )
        for language in [settings.LANGUAGE_CODE, *translations]:
            translation = translations[language].get(item.translation_key) if language in translations else None
            cards.append(_card(kind, item, translation, serialize, language))
    return entries, cards


def _card(kind, item, translation, serialize, language):
    """The `ListingCard` of `item` in `language`, checked against the endpoint's schema."""
    schema, image_field = _schemas()[kind]
    data = serialize(item, language, translation, image=serializers.stored_image)
    image = data.pop(image_field)
    data.pop("tier")  # decided when answering (`library.access.rules.tier_from_columns`)
    signed = rendition_urls_expire()
    # Signed URLs are made when answering (`read.py`): the card keeps none, and none is signed
    # here just to validate it; the file names stand in for the URLs.
    shown = image_from_files(image, {name: name for name in stored_file_names(image)} if signed else None)
    # Validated as Ninja validates a response, since the card is sent without it.
    schema.model_validate({**data, "tier": "public", image_field: shown})
    # Ninja's encoder, so that dates read as the endpoint always wrote them.
    return ListingCard(
        entry_id=item.pk,
        language=language,
        data=json.dumps(data, cls=NinjaJSONEncoder),
        image=image,
        image_json="null" if signed else json.dumps(shown),
    )

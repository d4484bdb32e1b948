"""Build `SearchDocument` rows from pages, reading each model's `search_fields`.

The fields and relations a model declares for Wagtail's index are the ones
extracted here, so adding a `SearchField` or `RelatedFields` on a model
feeds both indexes at once. Weights (A > B > C > D) are chosen per field name:
the title first, then summaries and taxonomy, then the workshop record and
credits, then the long texts (captions, guide PDFs) that match often and
mean little.

Each document also counts its words in the lexicon under the audiences that
may see it (`search.audiences`, `search.vocabulary`), so a typo correction
never offers a word of an item the requester could not find.
"""

from collections import Counter

from django.db import connection, transaction
from django.db.models import Manager
from django.db.models.query import QuerySet

from wagtail.models import Page
from wagtail.search import index

from search import vocabulary
from search.audiences import document_audiences, unrestricted_ids
from search.configs import config_for, normalise
from search.models import Kind, SearchDocument, SearchTerm

WEIGHT_A = ("title",)
WEIGHT_B = (
    "synopsis",
    "summary",
    "introduction",
    "themes",
    "audiences",
    "genre",
    "action_type",
    "age_groups",
    "coordination",
)
WEIGHT_D = ("video", "documents")
#: Captions and PDFs can be long; PostgreSQL refuses vectors over 1 MB.
MAX_FIELD_CHARS = 100_000
CHUNK_SIZE = 500


def kind_of(model):
    from library.models import FilmPage, GuidePage

    if issubclass(model, FilmPage):
        return Kind.FILM
    if issubclass(model, GuidePage):
        return Kind.GUIDE
    return Kind.PAGE


def _text(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _text(item)]
    return [str(value)]


def _related_objects(value):
    if value is None:
        return []
    if isinstance(value, (Manager, QuerySet)) or hasattr(value, "all"):
        return list(value.all())
    return [value]


def _extract(obj, field):
    """Plain text of one search field of `obj`, following RelatedFields."""
    if isinstance(field, index.RelatedFields):
        texts = []
        for related in _related_objects(field.get_value(obj)):
            for sub_field in field.fields:
                texts.extend(_extract(related, sub_field))
        return texts
    if isinstance(field, index.SearchField):
        return _text(field.get_value(obj))
    return []


def _prefetch_paths(fields, prefix=""):
    paths = []
    for field in fields:
        if isinstance(field, index.RelatedFields):
            path = f"{prefix}{field.field_name}"
            paths.append(path)
            paths.extend(_prefetch_paths(field.fields, prefix=f"{path}__"))
    return paths


def build_fields(page):
    """Field name -> text, for every searchable field of `page` (its specific class)."""
    fields = {}
    for field in type(page).get_search_fields():
        if not isinstance(field, (index.SearchField, index.RelatedFields)):
            continue
        text = " ".join(t for t in _extract(page, field) if t).strip()
        if text:
            previous = fields.get(field.field_name)
            fields[field.field_name] = f"{previous} {text}" if previous else text
    return {name: text[:MAX_FIELD_CHARS] for name, text in fields.items()}


def build_document(page, audiences=()):
    locale_code = page.locale.language_code if page.locale_id else "fr"
    return SearchDocument(
        audiences=vocabulary.stored_audiences(audiences),
        page_id=page.pk,
        kind=kind_of(type(page)),
        locale=locale_code,
        config=config_for(locale_code),
        title=page.title[:255],
        title_norm=normalise(page.title)[:255],
        fields=build_fields(page),
    )


def _vector_sql():
    """SQL that rebuilds the weighted vector of rows from their `fields` (PostgreSQL)."""

    def group(keys, weight):
        text = " || ' ' || ".join(f"coalesce(fields->>'{key}', '')" for key in keys)
        return f"setweight(to_tsvector(config::regconfig, {text}), '{weight}')"

    known = ", ".join(f"'{key}'" for key in WEIGHT_A + WEIGHT_B + WEIGHT_D)
    # Every name and weight below is a constant of this module; the ids are a parameter.
    others = f"(SELECT string_agg(value, ' ') FROM jsonb_each_text(fields) WHERE key NOT IN ({known}))"  # noqa: S608
    others = f"setweight(to_tsvector(config::regconfig, coalesce({others}, '')), 'C')"
    vector = f"{group(WEIGHT_A, 'A')} || {group(WEIGHT_B, 'B')} || {others} || {group(WEIGHT_D, 'D')}"
    return f"UPDATE search_searchdocument SET search_vector = {vector} WHERE page_id = ANY(%s)"  # noqa: S608


def _specific_pages(page_ids):
    """The pages of `page_ids` as their specific classes, with their search relations prefetched."""
    by_model = {}
    for page_id, content_type_id in Page.objects.filter(pk__in=page_ids, depth__gt=1).values_list(
        "pk", "content_type_id"
    ):
        by_model.setdefault(content_type_id, []).append(page_id)
    from django.contrib.contenttypes.models import ContentType

    pages = []
    for content_type_id, ids in by_model.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        related = (
            ["locale", "consent"] if any(f.name == "consent" for f in model._meta.concrete_fields) else ["locale"]
        )
        queryset = model.objects.filter(pk__in=ids).select_related(*related)
        paths = _prefetch_paths(model.get_search_fields())
        if paths:
            queryset = queryset.prefetch_related(*paths)
        pages.extend(queryset)
    return pages


def index_pages(page_ids):
    """Create or refresh the documents of `page_ids`; drop those whose page is gone.

    One transaction, the pages' rows locked first (in id order), so two
    reindexings of the same page cannot both take back its old counts.
    """
    page_ids = sorted({int(pk) for pk in page_ids})
    with transaction.atomic():
        list(Page.objects.select_for_update(no_key=True).filter(pk__in=page_ids).order_by("pk").values_list("pk"))
        return _index_locked(page_ids)


def _index_locked(page_ids):
    previous = {
        pk: (fields, audiences)
        for pk, fields, audiences in SearchDocument.objects.filter(pk__in=page_ids).values_list(
            "page_id", "fields", "audiences"
        )
    }
    pages = _specific_pages(page_ids)
    unrestricted = unrestricted_ids([page.pk for page in pages])
    documents = [build_document(page, document_audiences(page, unrestricted)) for page in pages]
    # Deleting sends `post_delete`, which takes the documents' counts back (`search.signals`).
    SearchDocument.objects.filter(pk__in=set(page_ids) - {d.page_id for d in documents}).delete()
    if not documents:
        return 0
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=["kind", "locale", "config", "title", "title_norm", "fields", "audiences", "updated_at"],
    )
    ids = [d.page_id for d in documents]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_vector_sql(), [ids])
    change = Counter()
    for document in documents:
        old_fields, old_audiences = previous.get(document.page_id, ({}, []))
        change.update(vocabulary.document_change(old_fields, old_audiences, document.fields, document.audiences))
    vocabulary.apply(change)
    return len(documents)


def rebuild(progress=None, chunk_size=CHUNK_SIZE):
    """Reindex every page, `chunk_size` at a time; `progress(done, total)` after each chunk."""
    ids = list(Page.objects.filter(depth__gt=1).order_by("pk").values_list("pk", flat=True))
    SearchDocument.objects.exclude(pk__in=Page.objects.filter(depth__gt=1).values("pk")).delete()
    # The counts are rebuilt from nothing, so any drift (rows written by hand, say) goes away.
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        SearchDocument.objects.update(audiences=[])
    done = 0
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        index_pages(chunk)
        done += len(chunk)
        if progress:
            progress(done, len(ids))
    return done

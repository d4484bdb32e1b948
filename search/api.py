"""`/api/v3/search/` and `/api/v3/search/suggest/`, mounted on the project's one API object."""

from ninja import Query, Router
from ninja.errors import HttpError

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from wagtail.api.v3.errors import ProblemDetail

from library.api.auth import READ_AUTH, requester_for
from library.api.filters import GuideFilters
from search import engine, facets, snippets
from search.models import Kind, SearchDocument
from search.schemas import FILM_ONLY, LIBRARY_COMMON, SearchParams, SearchResults, Suggestions, SuggestParams
from search.suggest import suggest

router = Router(tags=["search"])
PROBLEMS = {400: ProblemDetail, 401: ProblemDetail, 422: ProblemDetail}
DETAIL_URLS = {Kind.FILM: "wagtailapi_v3:library_film_detail", Kind.GUIDE: "wagtailapi_v3:library_guide_detail"}


def _refuse_unknown(request: HttpRequest, schema):
    """Ninja ignores unknown parameters; a misspelt filter would silently filter nothing."""
    unknown = sorted(set(request.GET) - set(schema.model_fields))
    if unknown:
        raise HttpError(400, _("Unknown parameters: %(names)s") % {"names": ", ".join(unknown)})


def _scope(request, params):
    requester = requester_for(request)
    values = params.model_dump()
    film_filtered = any(values.get(name) not in (None, "") for name in FILM_ONLY)
    library_filtered = film_filtered or any(values.get(name) not in (None, "") for name in LIBRARY_COMMON)
    guide_filters = GuideFilters(**{name: values[name] for name in LIBRARY_COMMON})
    return engine.Scope(
        requester=requester,
        locale=params.language,
        kinds=tuple(params.type) or (Kind.FILM, Kind.GUIDE, Kind.PAGE),
        film_q=params.film_filters().q(),
        guide_q=None if film_filtered else guide_filters.q(),
        pages=not library_filtered,
    )


def _detail_url(hit_type, page_id):
    try:
        if hit_type in DETAIL_URLS:
            return reverse(DETAIL_URLS[hit_type], args=[page_id])
        return reverse("wagtailapi_v3:detail_page", args=[page_id])
    except NoReverseMatch:
        return None


@router.get(
    "/",
    response={200: SearchResults, **PROBLEMS},
    auth=READ_AUTH,
    url_name="search",
    summary="Search pages, films and guides",
)
def search(request, params: Query[SearchParams]):
    """Full text in the requested locale's language rules, typo-tolerant, with facets.

    Results, `count` and facets only include what the caller may see.
    """
    _refuse_unknown(request, SearchParams)
    scope = _scope(request, params)
    found = engine.match(scope, params.q)
    ranked = found.ranked
    if params.ordering != "relevance":
        titles = dict(
            SearchDocument.objects.filter(engine.ids_q([pk for pk, _k, _r in ranked])).values_list("pk", "title")
        )
        ranked = sorted(
            ranked, key=lambda c: (titles.get(c[0], "").casefold(), c[0]), reverse=params.ordering == "-title"
        )
    window = ranked[params.offset : params.offset + params.limit]
    documents = SearchDocument.objects.filter(pk__in=[pk for pk, _kind, _rank in window]).only(
        "page_id", "kind", "locale", "title", "fields"
    )
    documents = {doc.page_id: doc for doc in documents}
    page = [(documents[pk], rank) for pk, _kind, rank in window if pk in documents]
    highlights = snippets.highlight([doc for doc, _rank in page], found)
    return {
        "query": params.q,
        "searched_for": found.attempt.searched_for,
        "did_you_mean": found.attempt.did_you_mean,
        "any_word": found.attempt.any_word,
        "count": found.count,
        "items": [
            {
                "id": doc.page_id,
                "type": doc.kind,
                "title": doc.title,
                "locale": doc.locale,
                "score": round(rank, 6),
                "snippet": highlights.get(doc.page_id, ("", []))[0],
                "matched_in": highlights.get(doc.page_id, ("", []))[1],
                "detail_url": _detail_url(doc.kind, doc.page_id),
            }
            for doc, rank in page
        ],
        "facets": facets.compute(found),
    }


@router.get(
    "/suggest/",
    response={200: Suggestions, **PROBLEMS},
    auth=READ_AUTH,
    url_name="search_suggest",
    summary="Suggestions as you type",
)
def search_suggest(request, params: Query[SuggestParams]):
    """Titles the caller may see, taxonomy terms and coordinations whose names resemble `q`."""
    _refuse_unknown(request, SuggestParams)
    from django.conf import settings

    scope = engine.Scope(requester=requester_for(request), locale=params.locale or settings.LANGUAGE_CODE)
    return {"query": params.q, "items": suggest(scope, params.q, limit=params.limit)}

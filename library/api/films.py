"""`/api/v3/films/`: the catalogue of workshop films."""

from ninja import Field, Query, Router

from wagtail.api.v3.errors import ProblemDetail

from library.access.rules import filter_visible
from library.api.auth import READ_AUTH, READ_SECURITY, requester_for
from library.api.filters import ORDERINGS, FilmFilters, ItemId, Localised
from library.api.responses import get_detail, listing_response
from library.listing.facets import film_facets
from library.listing.read import PAGE_PARAMETERS, read_page
from library.models import FilmPage
from library.representation import queries, serializers
from library.representation.schemas import FilmDetail, FilmList

router = Router(tags=["films"])

PROBLEMS = {401: ProblemDetail, 404: ProblemDetail, 422: ProblemDetail}


class FilmListParams(FilmFilters):
    """The list's filters, and whether to add the facet counts (a parameter of the list only, not of search)."""

    facets: bool = Field(
        False,
        description="Add `facets`: how many films carry each filter value, over the whole list "
        "(not the page), each facet ignoring its own filter.",
    )


def _translations(requester):
    return filter_visible(FilmPage.objects.all(), requester)


@router.get(
    "/",
    response={200: FilmList, **PROBLEMS},
    auth=READ_AUTH,
    openapi_extra=READ_SECURITY,
    url_name="library_film_list",
    operation_id="listFilms",
    summary="List films",
)
def list_films(request, params: Query[FilmListParams]):
    """Films the caller may see: the public tier, plus the network tier for partners' tokens.

    With `facets=true`, the counts of each filter value over every film the caller
    may see that matches the other filters (`library.listing.facets`).
    """
    # Read from the listing read model (`library.listing`): two queries, no page instances.
    requester = requester_for(request)
    page = read_page("film", FilmPage, requester, params, params.q(), ORDERINGS[params.ordering])
    if params.facets:
        page = page.with_facets(film_facets(requester, params, params.model_dump(exclude=PAGE_PARAMETERS)))
    return listing_response(page)


@router.get(
    "/{film_id}/",
    response={200: FilmDetail, **PROBLEMS},
    auth=READ_AUTH,
    openapi_extra=READ_SECURITY,
    url_name="library_film_detail",
    operation_id="getFilm",
    summary="Get a film",
)
def get_film(request, film_id: ItemId, params: Query[Localised]):
    requester = requester_for(request)
    item, translation, language = get_detail(
        queries.film_detail(requester), film_id, params.locale, requester, _translations(requester)
    )
    return serializers.film_detail(item, language, requester, translation)

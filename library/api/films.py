"""`/api/v3/films/`: the catalogue of workshop films."""

from ninja import Query, Router

from wagtail.api.v3.errors import ProblemDetail

from library.access.rules import filter_visible
from library.api.auth import READ_AUTH, READ_SECURITY, requester_for
from library.api.filters import ORDERINGS, FilmFilters, ItemId, Localised
from library.api.responses import get_detail, listing_response
from library.listing.read import read_page
from library.models import FilmPage
from library.representation import queries, serializers
from library.representation.schemas import FilmDetail, FilmList

router = Router(tags=["films"])

PROBLEMS = {401: ProblemDetail, 404: ProblemDetail, 422: ProblemDetail}


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
def list_films(request, params: Query[FilmFilters]):
    """Films the caller may see: the public tier, plus the network tier for partners' tokens."""
    # Read from the listing read model (`library.listing`): two queries, no page instances.
    page = read_page("film", FilmPage, requester_for(request), params, params.q(), ORDERINGS[params.ordering])
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

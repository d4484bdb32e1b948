"""`/api/v3/guides/`: pedagogical guides."""

from ninja import Query, Router

from wagtail.api.v3.errors import ProblemDetail

from library.access.rules import filter_visible
from library.api.auth import READ_AUTH, READ_SECURITY, requester_for
from library.api.filters import ORDERINGS, GuideFilters, ItemId, Localised
from library.api.responses import get_detail, listing_response
from library.listing.read import read_page
from library.models import GuidePage
from library.representation import queries, serializers
from library.representation.schemas import GuideDetail, GuideList

router = Router(tags=["guides"])

PROBLEMS = {401: ProblemDetail, 404: ProblemDetail, 422: ProblemDetail}


def _translations(requester):
    return filter_visible(GuidePage.objects.all(), requester)


@router.get(
    "/",
    response={200: GuideList, **PROBLEMS},
    auth=READ_AUTH,
    openapi_extra=READ_SECURITY,
    url_name="library_guide_list",
    operation_id="listGuides",
    summary="List guides",
)
def list_guides(request, params: Query[GuideFilters]):
    # Read from the listing read model (`library.listing`): two queries, no page instances.
    page = read_page("guide", GuidePage, requester_for(request), params, params.q(), ORDERINGS[params.ordering])
    return listing_response(page)


@router.get(
    "/{guide_id}/",
    response={200: GuideDetail, **PROBLEMS},
    auth=READ_AUTH,
    openapi_extra=READ_SECURITY,
    url_name="library_guide_detail",
    operation_id="getGuide",
    summary="Get a guide",
)
def get_guide(request, guide_id: ItemId, params: Query[Localised]):
    requester = requester_for(request)
    item, translation, language = get_detail(
        queries.guide_detail(requester), guide_id, params.locale, requester, _translations(requester)
    )
    return serializers.guide_detail(item, language, requester, translation)

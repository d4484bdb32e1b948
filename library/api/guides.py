"""`/api/v3/guides/`: pedagogical guides."""

from ninja import Query, Router

from wagtail.api.v3.errors import ProblemDetail

from library.access import filter_visible
from library.api import queries, serializers
from library.api.auth import READ_AUTH, READ_SECURITY, requester_for
from library.api.filters import ORDERINGS, GuideFilters, ItemId, Localised
from library.api.listing import get_detail, page_of
from library.api.schemas import GuideDetail, GuideList
from library.models import GuidePage

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
    summary="List guides",
)
def list_guides(request, params: Query[GuideFilters]):
    requester = requester_for(request)
    queryset = queries.guides(requester).filter(params.q()).order_by(*ORDERINGS[params.ordering])
    return page_of(queryset, params, serializers.guide, _translations(requester))


@router.get(
    "/{guide_id}/",
    response={200: GuideDetail, **PROBLEMS},
    auth=READ_AUTH,
    openapi_extra=READ_SECURITY,
    url_name="library_guide_detail",
    summary="Get a guide",
)
def get_guide(request, guide_id: ItemId, params: Query[Localised]):
    requester = requester_for(request)
    item, translation, language = get_detail(
        queries.guide_detail(requester), guide_id, params.locale, requester, _translations(requester)
    )
    return serializers.guide_detail(item, language, requester, translation)

"""`/api/v3/coordinations/` and `/api/v3/taxonomy/{kind}/`: the network and its vocabulary."""

from ninja import Query, Router

from django.conf import settings

from wagtail.api.v3.errors import ProblemDetail

from library.api.filters import CoordinationFilters, Localised, TaxonomyKind
from library.api.responses import page_of
from library.models import ActionType, AgeGroup, Audience, CoordinationPage, Genre, Theme
from library.representation import queries, serializers
from library.representation.schemas import CoordinationList, TaxonomyList

router = Router(tags=["coordinations"])
taxonomy_router = Router(tags=["taxonomy"])

PROBLEMS = {422: ProblemDetail}
TAXONOMY = {
    "themes": Theme,
    "audiences": Audience,
    "genres": Genre,
    "action-types": ActionType,
    "age-groups": AgeGroup,
}


@router.get(
    "/",
    response={200: CoordinationList, **PROBLEMS},
    url_name="library_coordination_list",
    operation_id="listCoordinations",
    summary="List coordinations",
)
def list_coordinations(request, params: Query[CoordinationFilters]):
    """The regional coordinations (public: they are the network's shop windows)."""
    return page_of(queries.coordinations(), params, serializers.coordination, CoordinationPage.objects.live())


@taxonomy_router.get(
    "/{kind}/",
    response={200: TaxonomyList, **PROBLEMS},
    url_name="library_taxonomy",
    operation_id="listTerms",
    summary="List taxonomy terms",
)
def list_terms(request, kind: TaxonomyKind, params: Query[Localised]):
    """Every term of one kind, in the requested locale, falling back to French term by term."""
    model = TAXONOMY[kind]
    language = params.locale or settings.LANGUAGE_CODE
    rows = model.objects.filter(locale__language_code__in={settings.LANGUAGE_CODE, language}).select_related("locale")
    by_key = {}
    for row in rows:
        by_key.setdefault(row.translation_key, {})[row.locale.language_code] = row
    items = []
    for versions in by_key.values():
        chosen = versions.get(language) or versions.get(settings.LANGUAGE_CODE)
        items.append(
            {
                "id": chosen.pk,
                "slug": chosen.slug,
                "name": chosen.name,
                "description": chosen.description,
                "locale": language if language in versions else settings.LANGUAGE_CODE,
                "min_age": getattr(chosen, "min_age", None),
                "max_age": getattr(chosen, "max_age", None),
            }
        )
    items.sort(key=lambda item: (item["min_age"] or 0, item["name"].casefold()))
    return {"count": len(items), "items": items}

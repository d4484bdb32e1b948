"""The one API object: Wagtail's v3 routers plus the project's own.

Everything the public site and partner portals read is mounted on this
object, so `/api/v3/openapi.json` describes the whole API in one document.
Wagtail's stock API v2 is kept at `/api/v2/` for existing Wagtail front ends.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v3.errors import register_exception_handlers
from wagtail.api.v3.routers.pages import router as wagtail_pages_router
from wagtail.api.v3.routers.schema import router as wagtail_schema_router
from wagtail.api.v3.routers.sites import router as wagtail_sites_router
from wagtail.api.v3.routers.whoami import router as wagtail_whoami_router

from cms.openapi import ProjectAPI, name_operations
from home.api_language import localised
from library.api.auth import apply_token_rule, bound_operations
from library.api.routers import mount as mount_library_routers
from library.serving.wagtail_views import AccessDocumentsAPIViewSet, AccessImagesAPIViewSet, AccessPagesAPIViewSet
from search.api import router as search_router

api = ProjectAPI(
    title="Passeurs d'images API",
    version="3.0.0",
    description=str(
        _(
            "Pages, workshop films and pedagogical guides of the Passeurs d'images network. "
            "Anonymous requests see public items; a partner's bearer token adds the network tier."
        )
    ),
    # Wagtail's v3 schemas reverse URLs in this namespace (detail_url).
    urls_namespace="wagtailapi_v3",
    openapi_url="/openapi.json",
    docs_url="/docs/",
)
register_exception_handlers(api)

api.add_router("/pages/", wagtail_pages_router)
api.add_router("/schema/", wagtail_schema_router)
api.add_router("/sites/", wagtail_sites_router)
api.add_router("/", wagtail_whoami_router)
api.add_router("/search/", search_router)
mount_library_routers(api)
# One token rule (expiry, organisation, rate limit) on every route above, Wagtail's own included.
apply_token_rule(api)
# Operation ids that read as names (listFilms, getPage), one per operation (cms.openapi).
name_operations(api, bound_operations(api))

v2_router = WagtailAPIRouter("wagtailapi")
# Wagtail's v2 endpoints, filtered by the access module (films, guides, their images and documents).
v2_router.register_endpoint("pages", localised(AccessPagesAPIViewSet))
v2_router.register_endpoint("images", AccessImagesAPIViewSet)
v2_router.register_endpoint("documents", AccessDocumentsAPIViewSet)

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import health
from cms.api import api, v2_router
from cms.security.logout import PostOnlyLogoutView
from cms.security.password_reset import ThrottledPasswordResetView
from library.admin.checked_posts import CheckedCopyView, checked_upload_pofile
from library.admin.external_link import VisibleExternalLinkView
from library.admin.wagtail_reports import report_urlpatterns
from library.serving.media_files import media_urlpatterns
from library.serving.wagtail_views import AccessImageServeView, AccessSitemap

urlpatterns = [
    # Ahead of Wagtail's admin URLs, under the same names: the admin's account views, hardened.
    path("admin/logout/", PostOnlyLogoutView.as_view(), name="wagtailadmin_logout"),
    path("admin/password_reset/", ThrottledPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    # A pasted URL of the site becomes a page link named as access.admin_visibility says (no other coordination's drafts).
    path(
        "admin/choose-external-link/",
        require_admin_access(VisibleExternalLinkView.as_view()),
        name="wagtailadmin_choose_page_external_link",
    ),
    # Views that used a posted value unchecked (a 500 on a bad one), checked first, then Wagtail's own.
    path("admin/pages/<int:page_id>/copy/", require_admin_access(CheckedCopyView.as_view()), name="checked_page_copy"),
    path(
        "admin/localize/translate/<int:translation_id>/pofile/upload/",
        require_admin_access(checked_upload_pofile),
        name="checked_upload_pofile",
    ),
    # Wagtail's reports, narrowed to what the editor may see (same paths, ahead of Wagtail's).
    path("admin/reports/", include(report_urlpatterns())),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "images/<str:signature>/<int:image_id>/<str:filter_spec>/",
        AccessImageServeView.as_view(action="redirect"),
        name="wagtailimages_serve",
    ),
    # Liveness (the process answers) and readiness (database, cache, bucket, task lag) for balancers.
    path("health/live/", health.live, name="health_live"),
    path("health/ready/", health.ready, name="health_ready"),
    path("api/v2/", v2_router.urls),
    path("api/v3/", api.urls),
    # Partner accounts: django-allauth's headless API (app client), see cms/partner_accounts.
    path("_allauth/", include("allauth.headless.urls")),
    path("", include("library.embed.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": AccessSitemap}}, name="sitemap"),
]

# Images on local disk, each after the access check (never a static route: hidden items' files sit there).
urlpatterns += media_urlpatterns()

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Pages last: French at the root, other languages under their prefix (/en/...).
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)

# The database away answers 503 with Retry-After (problem+json on /api/), other errors Django's 500 page.
handler500 = "cms.unavailable.server_error"

"""Wagtail's admin reports, narrowed to what the editor may see (`access.admin_visibility`, `access.log_visibility`).

Wagtail's reports open to every editor, and some read the whole tree or
every log entry:

- page types usage counts every page and names, by title, id and edit link,
  the last edited page of each type, wherever it is (another coordination's
  internal film, a never-published draft): here counts and the last edited
  page come from `visibility.filter_pages` (the editor's own pages, and
  other coordinations' pages they may see, which the admin titles by their
  live title). Among pages whose drafts the editor may not see, "last
  edited" is last published: a draft's date is not theirs to know;
- site history lists entries as `log_visibility.visible_log_entries` says;
  its user, action and type filters offer only what those entries hold
  (Wagtail offers every user who ever edited a page);
- the workflow report lists the editor's own pages already, but its
  "requested by" filter names every user who started a workflow anywhere:
  here only the requesters of the listed rows. (Locked pages needs the
  "unlock" permission, which regional editors do not hold; aging pages
  lists pages the editor may publish.)

The views are Wagtail's, subclassed; `report_urlpatterns()` is Wagtail's
`wagtailadmin_reports` URL list with these views in place, mounted ahead of
Wagtail's admin (cms/urls.py) at the same paths (so Wagtail's URL names lead here), with the
decorators Wagtail gives its admin URLs.
"""

import django_filters

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import URLPattern
from django.views.decorators.cache import never_cache

from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.urls import display_custom_404
from wagtail.admin.urls import reports as wagtail_report_urls
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowView,
    get_editable_content_type_ids,
    get_editable_page_ids_query,
)
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page, WorkflowState, get_default_page_content_type
from wagtail.permissions import page_permission_policy
from wagtail.utils.urlpatterns import decorate_urlpatterns

from library.access import admin_visibility as visibility
from library.access.log_visibility import visible_log_entries

# --- Page types usage ---------------------------------------------------------------------------


def _last_edited_at(user):
    """Order key of "last edited": the latest revision on pages whose drafts `user` sees, else the last publication."""
    if visibility.is_national(user):
        return F("latest_revision_created_at")
    permitted = page_permission_policy.instances_user_has_any_permission_for(user, visibility.PAGE_ACTIONS)
    return Case(
        When(pk__in=permitted.values("pk"), then=F("latest_revision_created_at")),
        default=F("last_published_at"),
    )


class VisiblePageTypesUsageReportView(PageTypesUsageReportView):
    def visible_pages(self):
        visible = visibility.filter_pages(Page.objects.all(), self.request.user)
        cleaned = self.filters.form.cleaned_data if self.filters else {}
        if cleaned.get("page_locale"):
            visible = visible.filter(locale__language_code=cleaned["page_locale"])
        if cleaned.get("site"):
            visible = visible.filter(path__startswith=cleaned["site"])
        return visible

    def get_queryset(self):
        """Wagtail's page types and filters; counts and last edited page among the pages the editor may see."""
        queryset = ContentType.objects.filter(model__in=self.page_models)
        if not Page.objects.filter(depth__gt=1, content_type=ContentType.objects.get_for_model(Page)).exists():
            queryset = queryset.exclude(id=ContentType.objects.get_for_model(Page).id)
        self.queryset = queryset
        queryset = self.filter_queryset(queryset).distinct()
        of_type = self.visible_pages().filter(content_type=OuterRef("pk"))
        latest = of_type.annotate(last_edited_at=_last_edited_at(self.request.user)).order_by(
            F("last_edited_at").desc(nulls_last=True), "title", "-pk"
        )
        counts = of_type.order_by().values("content_type").annotate(n=Count("pk")).values("n")
        return queryset.annotate(
            count=Coalesce(Subquery(counts, output_field=IntegerField()), 0),
            last_edited_page_id=Subquery(latest.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")


# --- Site history -------------------------------------------------------------------------------


def _visible_entries(request):
    return [visible_log_entries(request, log_model) for log_model in log_action_registry.get_log_entry_models()]


def visible_log_users(request):
    user_ids = set()
    for entries in _visible_entries(request):
        user_ids |= entries.get_user_ids()
    user_model = get_user_model()
    return user_model.objects.filter(pk__in=user_ids).order_by(user_model.USERNAME_FIELD)


def visible_log_content_types(request):
    content_type_ids = set()
    for entries in _visible_entries(request):
        content_type_ids |= entries.get_content_type_ids()
    return ContentType.objects.filter(pk__in=content_type_ids).order_by("model")


class VisibleSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    object_type = ContentTypeFilter(
        label=SiteHistoryReportFilterSet.base_filters["object_type"].label,
        method="filter_object_type",
        queryset=visible_log_content_types,
    )

    def get_action_choices(self):
        actions = set()
        for entries in _visible_entries(self.request):
            actions |= entries.get_actions()
        return [action for action in log_action_registry.get_choices() if action[0] in actions]

    def get_users_queryset(self):
        return visible_log_users(self.request)


class VisibleLogEntriesView(LogEntriesView):
    """Wagtail's site history, on `visible_log_entries` instead of `viewable_by_user`."""

    filterset_class = VisibleSiteHistoryFilterSet

    def get_filtered_queryset(self):
        self.log_models = list(log_action_registry.get_log_entry_models())
        queryset = None
        for index, log_model in enumerate(self.log_models):
            entries = (
                visible_log_entries(self.request, log_model)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            entries = self.filter_queryset(entries).order_by()
            queryset = entries if queryset is None else queryset.union(entries, all=True)
        return queryset.order_by("-timestamp")


# --- Workflows: the requester filter -----------------------------------------------


def requesters(request):
    """Users who started a workflow on a page or snippet the workflow report lists to `request.user`."""
    listed = WorkflowState.objects.filter(
        Q(base_content_type_id=get_default_page_content_type().id, object_id__in=get_editable_page_ids_query(request))
        | Q(content_type_id__in=get_editable_content_type_ids(request))
    )
    user_model = get_user_model()
    return user_model.objects.filter(pk__in=listed.values("requested_by")).order_by(user_model.USERNAME_FIELD)


class VisibleWorkflowReportFilterSet(WorkflowReportFilterSet):
    requested_by = django_filters.ModelChoiceFilter(field_name="requested_by", queryset=requesters)


class VisibleWorkflowView(WorkflowView):
    filterset_class = VisibleWorkflowReportFilterSet


# --- URLs ---------------------------------------------------------------------------------------

#: Wagtail's report view -> ours.
REPLACED_VIEWS = {
    PageTypesUsageReportView: VisiblePageTypesUsageReportView,
    LogEntriesView: VisibleLogEntriesView,
    WorkflowView: VisibleWorkflowView,
}


def _replaced(pattern):
    view_class = getattr(pattern.callback, "view_class", None)
    replacement = REPLACED_VIEWS.get(view_class)
    if replacement is None:
        return pattern
    view = replacement.as_view(**pattern.callback.view_initkwargs)
    return URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)


#: Our own namespace: Wagtail's names still reverse to the same paths, which resolve here first
#: (a second `wagtailadmin_reports` namespace would fail `check --deploy` with urls.W005).
REPORTS_NAMESPACE = "library_reports"


def report_urlpatterns():
    """Wagtail's `wagtailadmin_reports` URLs with the views above in place, decorated as Wagtail's admin URLs are."""
    urls = [_replaced(pattern) for pattern in wagtail_report_urls.urlpatterns]
    urls = decorate_urlpatterns(urls, require_admin_access)
    urls = decorate_urlpatterns(urls, display_custom_404)
    return decorate_urlpatterns(urls, never_cache), REPORTS_NAMESPACE

"""The downloads report: downloads per film, per coordination and per month.

A Wagtail `ReportView`, so filters, pagination and the CSV/XLSX export come
from Wagtail. Rows are aggregated in the database (one row per month, film
and coordination); the chart is inline SVG drawn from one more grouped query,
with no script and no third-party request. Regional editors see their own
coordinations' downloads only.
"""

import django_filters

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from library.admin.coordination_scope import coordination_choices, scope_queryset
from library.models import DownloadEvent

CHART_WIDTH = 720
CHART_HEIGHT = 200
BAR_GAP = 4


class DownloadsFilterSet(WagtailFilterSet):
    coordination = django_filters.ModelChoiceFilter(label=_("Coordination"), queryset=coordination_choices)
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = DownloadEvent
        fields = []


def _month_label(value):
    """The month as `2025-11`: the exports' and the chart's compact form."""
    return value.strftime("%Y-%m") if value else ""


class MonthColumn(Column):
    """The month in words, in the admin's language ("novembre 2025")."""

    def get_value(self, instance):
        month = instance["month"]
        return date_format(month, "YEAR_MONTH_FORMAT") if month else ""


def month_bars(totals):
    """Bar geometry for the inline SVG chart: [(x, y, width, height, label, count)]."""
    if not totals:
        return []
    peak = max(count for _month, count in totals) or 1
    width = max(8, (CHART_WIDTH - BAR_GAP * len(totals)) // len(totals))
    bars = []
    for position, (month, count) in enumerate(totals):
        height = round((CHART_HEIGHT - 20) * count / peak)
        x = position * (width + BAR_GAP)
        bars.append(
            {
                "x": x,
                "y": CHART_HEIGHT - 20 - height,
                "width": width,
                "height": height,
                "label": _month_label(month),
                "count": count,
                "label_x": x + width // 2,
            }
        )
    return bars


class DownloadsReportView(ReportView):
    page_title = _("Downloads")
    header_icon = "download"
    template_name = "library/admin/downloads_report.html"
    index_url_name = "library_downloads_report"
    index_results_url_name = "library_downloads_report_results"
    filterset_class = DownloadsFilterSet
    permission_policy = ModelPermissionPolicy(DownloadEvent)
    permission_required = "view"
    export_filename = "telechargements"
    list_export = ["month", "coordination__title", "item_title", "downloads"]
    export_headings = {
        "month": _("Month"),
        "coordination__title": _("Coordination"),
        "item_title": _("Film or guide"),
        "downloads": _("Downloads"),
    }
    custom_field_preprocess = {"month": {"csv": _month_label, "xlsx": _month_label}}
    columns = [
        MonthColumn("month", label=_("Month")),
        Column("coordination__title", label=_("Coordination")),
        Column("item_title", label=_("Film or guide")),
        Column("downloads", label=_("Downloads")),
    ]

    def get_base_queryset(self):
        return scope_queryset(DownloadEvent.objects.all(), self.request.user)

    def get_queryset(self):
        return self.get_base_queryset()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        self.filtered_events = queryset
        return (
            queryset.annotate(month=TruncMonth("created_at"))
            .values("month", "coordination__title", "page_id", "item_title")
            .annotate(downloads=Count("pk"))
            .order_by("-month", "coordination__title", "item_title")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = (
            self.filtered_events.annotate(month=TruncMonth("created_at"))
            .values_list("month")
            .annotate(n=Count("pk"))
            .order_by("month")
        )
        context["bars"] = month_bars(list(totals))
        context["chart_width"] = CHART_WIDTH
        context["chart_height"] = CHART_HEIGHT
        context["total_downloads"] = sum(bar["count"] for bar in context["bars"])
        return context


class DownloadsReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("library.view_downloadevent")


def report_urls():
    return [
        path("reports/downloads/", DownloadsReportView.as_view(), name="library_downloads_report"),
        path(
            "reports/downloads/results/",
            DownloadsReportView.as_view(results_only=True),
            name="library_downloads_report_results",
        ),
    ]


def report_menu_item():
    return DownloadsReportMenuItem(
        _("Downloads"), reverse("library_downloads_report"), name="downloads", icon_name="download", order=1100
    )

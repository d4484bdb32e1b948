"""The log of consent scan openings, for national editors only, under Reports.

Every opening of a scanned form (`consent_scans.open_scan`) leaves a row: who,
when, which record and scan, viewed or downloaded. National editors read them
here, filtered by record, by user and by date; the listing is read-only (the
rows are written by the opening itself, never by hand) and exports to CSV or
XLSX. Regional editors never see it, not even by typing its address: its
permission policy answers for national editors and superusers only, whatever
model permissions a group holds.
"""

import django_filters

from django.contrib.auth import get_user_model
from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from library.access.admin_visibility import is_national
from library.admin.tables import LocalDateColumn
from library.models import ConsentRecord
from library.models.consent import ConsentScanAccess


class NationalReadOnlyPolicy(BasePermissionPolicy):
    """National editors (and superusers) may view; nobody adds, changes or deletes by hand."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and (user.is_superuser or is_national(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        from library.core.groups import NATIONAL_GROUP

        if "view" not in actions:
            return get_user_model().objects.none()
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(is_superuser=True) | users.filter(groups__name=NATIONAL_GROUP)


register_permission_policy(ConsentScanAccess, NationalReadOnlyPolicy(ConsentScanAccess), exact_class=True)


def _users_in_log(request):
    ids = ConsentScanAccess.objects.exclude(user=None).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("username")


def _records_in_log(request):
    ids = ConsentScanAccess.objects.exclude(record=None).values("record_id")
    return ConsentRecord.objects.filter(pk__in=ids).order_by("label")


class ScanAccessFilterSet(WagtailFilterSet):
    record = django_filters.ModelChoiceFilter(label=_("Consent record"), queryset=_records_in_log)
    user = django_filters.ModelChoiceFilter(label=_("User"), queryset=_users_in_log)
    at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = ConsentScanAccess
        fields = []


class ScanColumn(Column):
    """The scan's original name, or that it was deleted since (by hand or by the retention purge)."""

    def get_value(self, instance):
        if instance.form is None:
            return _("(deleted)")
        return instance.form.original_filename or "—"


class ScanAccessIndexView(IndexView):
    page_title = _("Consent scan openings")
    export_filename = "consultations-formulaires-consentement"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("form")


class ConsentScanAccessViewSet(ModelViewSet):
    model = ConsentScanAccess
    icon = "lock"
    menu_label = _("Consent scan openings")
    add_to_admin_menu = False
    index_view_class = ScanAccessIndexView
    filterset_class = ScanAccessFilterSet
    list_display = [
        LocalDateColumn("at", label=_("Opened at"), sort_key="at"),
        Column("user_label", label=_("User"), sort_key="user_label"),
        Column("record_label", label=_("Consent record"), sort_key="record_label"),
        ScanColumn("form", label=_("Scanned form")),
        Column("get_kind_display", label=_("Opened as")),
    ]
    list_export = ["at", "user_label", "record_label", "get_kind_display"]
    export_headings = {
        "at": _("Opened at"),
        "user_label": _("User"),
        "record_label": _("Consent record"),
        "get_kind_display": _("Opened as"),
    }
    ordering = ["-at", "-pk"]
    list_per_page = 50

    def register_admin_url_finder(self):
        """No edit view: an opening has no admin URL of its own."""

    def get_permissions_to_register(self):
        """None: the policy decides (national editors), not a permission ticked on a group."""
        from django.contrib.auth.models import Permission

        return Permission.objects.none()

    def get_urlpatterns(self):
        """The listing only: no form adds, edits or deletes an opening."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


scan_access_viewset = ConsentScanAccessViewSet("consent_scan_openings")


class NationalMenuItem(MenuItem):
    def is_shown(self, request):
        return scan_access_viewset.permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_viewset")
def register_scan_access_viewset():
    return scan_access_viewset


@hooks.register("register_reports_menu_item")
def scan_access_menu_item():
    return NationalMenuItem(
        _("Consent scan openings"),
        scan_access_viewset.menu_url,
        name="consent_scan_openings",
        icon_name="lock",
        order=1200,
    )

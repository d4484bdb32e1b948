"""The consent register in the admin.

Scanned forms are private files: the form widget shows their original name
only, never a link, because no URL may serve them (not even a signed one).
"""

import datetime

import django_filters

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from library.admin.coordination_scope import (
    CoordinationChoiceForm,
    CoordinationScopedViewSetMixin,
    coordination_choices,
)
from library.core.tiers import ConsentScope
from library.models import ConsentRecord

EXPIRY_WINDOW_DAYS = 60


class PrivateFileInput(forms.ClearableFileInput):
    """A file input that names the stored file without linking to it."""

    template_name = "library/admin/widgets/private_file_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        instance = getattr(value, "instance", None)
        context["widget"]["stored_name"] = getattr(instance, "original_filename", "") or (
            value.name.rsplit("/", 1)[-1] if value else ""
        )
        return context


def consent_status_q(status, today=None):
    """Records in `status`: missing, valid, expiring (within 60 days), expired or withdrawn."""
    today = today or timezone.localdate()
    not_withdrawn = Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today)
    if status == "withdrawn":
        return Q(withdrawn_on__lte=today)
    if status == "missing":
        return Q(scope=ConsentScope.NONE) & not_withdrawn
    in_force = not_withdrawn & ~Q(scope=ConsentScope.NONE)
    if status == "expired":
        return in_force & Q(expires_on__lt=today)
    if status == "expiring":
        return in_force & Q(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS))
    if status == "valid":
        return in_force & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    raise ValueError(status)


CONSENT_STATUS_CHOICES = [
    ("missing", _("No authorisation")),
    ("valid", _("In force")),
    ("expiring", _("Expiring within 60 days")),
    ("expired", _("Expired")),
    ("withdrawn", _("Withdrawn")),
]


class ConsentFilterSet(WagtailFilterSet):
    coordination = django_filters.ModelChoiceFilter(label=_("Coordination"), queryset=coordination_choices)
    scope = django_filters.ChoiceFilter(label=_("Scope"), choices=ConsentScope.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CONSENT_STATUS_CHOICES, method="filter_status")

    class Meta:
        model = ConsentRecord
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(consent_status_q(value)) if value else queryset


class StatusColumn(Column):
    """`ConsentRecord.status` (missing, valid, expired, withdrawn), in words."""

    def get_value(self, instance):
        return STATUS_LABELS.get(instance.status, instance.status)


STATUS_LABELS = dict(CONSENT_STATUS_CHOICES)


class ConsentRecordViewSet(CoordinationScopedViewSetMixin, SnippetViewSet):
    model = ConsentRecord
    icon = "lock"
    menu_label = _("Consent register")
    menu_name = "consent_register"
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    filterset_class = ConsentFilterSet
    list_display = [
        "label",
        Column("coordination", label=_("Coordination")),
        Column("get_scope_display", label=_("Scope")),
        DateColumn("expires_on", label=_("Expiry date")),
        StatusColumn("status", label=_("Status")),
    ]
    list_export = ["label", "coordination", "scope", "granted_on", "expires_on", "withdrawn_on", "status"]
    ordering = ["label"]
    edit_handler = ObjectList(
        [
            FieldPanel("label"),
            FieldPanel("coordination"),
            MultiFieldPanel(
                [
                    FieldPanel("scope"),
                    FieldPanel("granted_on"),
                    FieldPanel("expires_on"),
                    FieldPanel("participants_count"),
                ],
                heading=_("Authorisation"),
            ),
            MultiFieldPanel([FieldPanel("withdrawn_on"), FieldPanel("withdrawal_reason")], heading=_("Withdrawal")),
            FieldPanel("notes"),
            InlinePanel("forms", label=_("Scanned forms"), panels=[FieldPanel("file", widget=PrivateFileInput)]),
        ],
        base_form_class=CoordinationChoiceForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("coordination")

"""The consent register in the admin.

Scanned forms are private files signed by the parents of minors. The form
widget names each by its original name and links to `consent_scans.open_scan`,
to view it or save it: editors need to read a form to check what a family
authorised. The link is not the file's address: each click is checked
against who may edit the record, written to the access log national editors
read (`consent_access_log`), and answered with a URL that lasts a minute and
that no browser or CDN keeps. The storage key never reaches the page.
"""

import datetime

import django_filters

from django import forms
from django.db.models import F, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext_lazy

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from library.admin.consent_scans import open_scan
from library.admin.coordination_scope import (
    CoordinationChoiceForm,
    CoordinationScopedViewSetMixin,
    coordination_choices,
)
from library.admin.tables import LocalDateColumn, StateTagColumn
from library.core.tiers import ConsentScope
from library.models import ConsentRecord

EXPIRY_WINDOW_DAYS = 60


class PrivateFileInput(forms.ClearableFileInput):
    """A file input that names the stored scan and links to its logged route, never to the file itself."""

    template_name = "library/admin/widgets/private_file_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        instance = getattr(value, "instance", None)
        context["widget"]["stored_name"] = getattr(instance, "original_filename", "") or (
            value.name.rsplit("/", 1)[-1] if value else ""
        )
        if getattr(instance, "pk", None):
            context["widget"]["scan_url"] = reverse(
                ConsentRecord.snippet_viewset.get_url_name("scan"), args=[instance.pk]
            )
        return context


class PurgedOnPanel(FieldPanel):
    """The day the retention purge deleted the record's scans and free text, shown only once it has."""

    def __init__(self, field_name="personal_data_purged_on", **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault(
            "help_text",
            _(
                "The scanned forms, notes and reason for withdrawal were deleted at the end of the retention "
                "period. The scope and dates are kept, so the films stay restricted."
            ),
        )
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return super().is_shown() and bool(self.value_from_instance)


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


def _expiring_label():
    return npgettext(
        "consent record", "Expiring within %(days)s day", "Expiring within %(days)s days", EXPIRY_WINDOW_DAYS
    ) % {"days": EXPIRY_WINDOW_DAYS}


#: The register's own words for a record's status: a record is an authorisation
#: (feminine in French: "Expirée"), where film listings speak of a film's consent.
REGISTER_STATUS_CHOICES = [
    ("missing", pgettext_lazy("consent record", "No authorisation")),
    ("valid", pgettext_lazy("consent record", "In force")),
    ("expiring", lazy(_expiring_label, str)()),
    ("expired", pgettext_lazy("consent record", "Expired")),
    ("withdrawn", pgettext_lazy("consent record", "Withdrawn")),
]


def register_status(record, today=None):
    """`record.status`, with "expiring" for a record in force whose expiry falls within the window."""
    today = today or timezone.localdate()
    window_end = today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS)
    if record.status == "valid" and record.expires_on is not None and record.expires_on <= window_end:
        return "expiring"
    return record.status


class ConsentFilterSet(WagtailFilterSet):
    coordination = django_filters.ModelChoiceFilter(label=_("Coordination"), queryset=coordination_choices)
    scope = django_filters.ChoiceFilter(label=_("Scope"), choices=ConsentScope.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=REGISTER_STATUS_CHOICES, method="filter_status")

    class Meta:
        model = ConsentRecord
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(consent_status_q(value)) if value else queryset


class StatusColumn(StateTagColumn):
    """The record's status: plain words when in force, a tag otherwise (expired, expiring, withdrawn, none)."""

    states = dict(REGISTER_STATUS_CHOICES)
    calm_states = ("valid",)

    def get_state(self, instance):
        return register_status(instance)


REGISTER_STATUS_LABELS = dict(REGISTER_STATUS_CHOICES)

#: A film's consent, in film listings (`library.admin.listings`).
STATUS_LABELS = dict(CONSENT_STATUS_CHOICES)


class ConsentIndexView(snippet_views.IndexView):
    """The register, headed by its name; records without an expiry date sort last either way."""

    page_title = _("Consent register")
    export_headings = {"status": _("Status")}

    def to_row_dict(self, item):
        """The exported row in the register's words: scope and status labelled, as on screen."""
        row = super().to_row_dict(item)
        row["scope"] = item.get_scope_display()
        row["status"] = REGISTER_STATUS_LABELS[register_status(item)]
        return row

    def order_queryset(self, queryset):
        if self.ordering in ("expires_on", "-expires_on"):
            expiry = F("expires_on")
            expiry = expiry.desc(nulls_last=True) if self.ordering.startswith("-") else expiry.asc(nulls_last=True)
            return queryset.order_by(expiry, "label", "pk")
        return super().order_queryset(queryset)


class ConsentRecordViewSet(CoordinationScopedViewSetMixin, SnippetViewSet):
    model = ConsentRecord
    icon = "lock"
    menu_label = _("Consent register")
    menu_name = "consent_register"
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = ConsentIndexView
    filterset_class = ConsentFilterSet
    list_display = [
        "label",
        Column("coordination", label=_("Coordination")),
        Column("get_scope_display", label=_("Scope")),
        LocalDateColumn("expires_on", label=_("Expiry date"), sort_key="expires_on"),
        StatusColumn("status", label=_("Status")),
    ]
    list_export = ["label", "coordination", "scope", "granted_on", "expires_on", "withdrawn_on", "status"]
    ordering = ["label"]
    edit_handler = ObjectList(
        [
            FieldPanel("label"),
            FieldPanel("coordination"),
            PurgedOnPanel(),
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

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("scan/<int:pk>/", open_scan, name="scan")]

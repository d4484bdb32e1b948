"""Flat listings of films and guides, filterable by coordination, tier, consent and processing state.

Wagtail's `PageListingViewSet` already limits the rows to pages the user may
explore, so a regional editor only finds her coordination's items (plus what
her page permissions reach); the filters here only narrow that further. The
listings open on the default locale (`library.admin.listing_locale`). Their
"Ajouter un film" / "Ajouter un guide" button leads to the user's own
coordination (`library.admin.add_item`), whose creation form is served under
the listing's URL (`films:add`, `guides:add`).
"""

import django_filters

from django import forms
from django.db.models import Q, prefetch_related_objects
from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet

from library.admin.add_button import NamedAddButtonMixin
from library.admin.add_item import FilmChooseParentView, GuideChooseParentView, creation_view
from library.admin.consent import CONSENT_STATUS_CHOICES, STATUS_LABELS, consent_status_q
from library.admin.coordination_scope import coordination_choices
from library.admin.listing_locale import DefaultLocaleFilterMixin, TranslationColumn, annotate_translation_state
from library.admin.tables import LocalDateColumn
from library.admin.translation_buttons import annotate_translation_buttons
from library.core.tiers import Tier
from library.models import ConsentRecord, FilmPage, GuidePage, ProcessingStatus

#: Cells kept on one line (`library/css/admin.css`): short words and dates a line break would garble.
NOWRAP = "library-nowrap"
#: A coordination's name, given room for a short one on one line.
COORDINATION = "library-coordination"
#: The access tier, whose long heading may wrap.
TIER = "library-tier"


def item_base_columns():
    """Wagtail's page columns less "Parent", with "Updated" written as a date.

    A film's or guide's parent is its coordination, which the Coordination
    column names already (in the default language), so the title keeps its
    room. Wagtail writes the update as a time relative to now ("Il y a 3
    semaines"); the library's listings write dates as dates.
    """
    columns = []
    for column in IndexView.base_columns:
        if column.name == "parent":
            continue
        if column.name == "latest_revision_created_at":
            column = LocalDateColumn(
                "latest_revision_created_at", label=_("Updated"), sort_key=column.sort_key, classname=NOWRAP
            )
        columns.append(column)
    return columns


ITEM_BASE_COLUMNS = item_base_columns()

NO_VIDEO = "none"


class LibraryItemFilterSet(DefaultLocaleFilterMixin, PageFilterSet):
    coordination = django_filters.ModelMultipleChoiceFilter(
        label=_("Coordination"), queryset=coordination_choices, widget=forms.CheckboxSelectMultiple
    )
    effective_tier = django_filters.MultipleChoiceFilter(
        label=_("Effective tier"), choices=Tier.choices, widget=forms.CheckboxSelectMultiple
    )


class FilmFilterSet(LibraryItemFilterSet):
    consent_status = django_filters.ChoiceFilter(
        label=_("Consent"), choices=CONSENT_STATUS_CHOICES, method="filter_consent_status"
    )
    processing_state = django_filters.ChoiceFilter(
        label=_("Processing state"),
        choices=[(NO_VIDEO, _("No video")), *ProcessingStatus.choices],
        method="filter_processing_state",
    )

    class Meta:
        model = FilmPage
        fields = []

    def filter_consent_status(self, queryset, name, value):
        if not value:
            return queryset
        records = ConsentRecord.objects.filter(consent_status_q(value)).values("pk")
        if value == "missing":
            # A film without any consent record awaits consent as much as one recorded as "none".
            return queryset.filter(Q(consent__isnull=True) | Q(consent__in=records))
        return queryset.filter(consent__in=records)

    def filter_processing_state(self, queryset, name, value):
        if not value:
            return queryset
        if value == NO_VIDEO:
            return queryset.filter(video__isnull=True)
        return queryset.filter(video__status=value)


class GuideFilterSet(LibraryItemFilterSet):
    class Meta:
        model = GuidePage
        fields = []


class CoordinationColumn(Column):
    def get_value(self, instance):
        return instance.coordination.title if instance.coordination_id else "—"


class TierColumn(Column):
    def get_value(self, instance):
        return Tier(instance.effective_tier).label


class ConsentColumn(Column):
    def get_value(self, instance):
        if instance.consent_id is None:
            return STATUS_LABELS["missing"]
        return STATUS_LABELS.get(instance.consent.status, instance.consent.status)


class VideoColumn(Column):
    def get_value(self, instance):
        if instance.video_id is None:
            return _("No video")
        return instance.video.get_status_display()


class LibraryIndexView(IndexView):
    """Fetch the related rows shown in the columns once per relation, not once per row.

    The page listing turns rows into specific pages with a second query, which
    drops any `select_related`; prefetching on the paginated rows costs one
    query per relation whatever the page size. The rows' buttons cost no query
    per row either: wagtail-localize's are answered for the whole page
    (`library.admin.translation_buttons`), Wagtail's delete check from the row
    (`library.models.page_permissions`).
    """

    related = ("coordination",)
    #: `library-listing`: the admin stylesheet's narrower padding for these nine-column tables.
    table_classname = "listing full-width library-listing"

    def get_table(self, object_list):
        rows = list(object_list)
        prefetch_related_objects(rows, *self.related)
        annotate_translation_state(rows)
        annotate_translation_buttons(rows, self.request.user)
        return super().get_table(rows)


class FilmIndexView(LibraryIndexView):
    related = ("coordination", "consent", "video")


class LibraryListingViewSet(NamedAddButtonMixin, PageListingViewSet):
    """A listing whose add button names its item ("Ajouter un film") and opens the creation form under it."""

    def get_choose_parent_view_kwargs(self, **kwargs):
        return super().get_choose_parent_view_kwargs(add_url_name=self.get_url_name("add"), **kwargs)

    def get_urlpatterns(self):
        # The creation form under the listing's URL, so the sidebar keeps the listing's menu item highlighted.
        return super().get_urlpatterns() + [
            path("add/<int:parent_page_id>/", creation_view(self.model), name="add"),
        ]


class FilmListingViewSet(LibraryListingViewSet):
    model = FilmPage
    index_view_class = FilmIndexView
    choose_parent_view_class = FilmChooseParentView
    add_item_label = _("Add a film")
    icon = "media"
    menu_label = _("Films")
    menu_name = "films"
    menu_order = 200
    add_to_admin_menu = True
    filterset_class = FilmFilterSet
    columns = [
        *ITEM_BASE_COLUMNS,
        CoordinationColumn("coordination", label=_("Coordination"), classname=COORDINATION),
        TierColumn("effective_tier", label=_("Effective tier"), sort_key="effective_tier", classname=TIER),
        ConsentColumn("consent", label=_("Consent")),
        VideoColumn("video", label=_("Video"), classname=NOWRAP),
        TranslationColumn("translation", label=_("Translation")),
    ]


class GuideListingViewSet(LibraryListingViewSet):
    model = GuidePage
    index_view_class = LibraryIndexView
    choose_parent_view_class = GuideChooseParentView
    add_item_label = _("Add a guide")
    icon = "doc-full"
    menu_label = _("Guides")
    menu_name = "guides"
    menu_order = 201
    add_to_admin_menu = True
    filterset_class = GuideFilterSet
    columns = [
        *ITEM_BASE_COLUMNS,
        CoordinationColumn("coordination", label=_("Coordination"), classname=COORDINATION),
        TierColumn("effective_tier", label=_("Effective tier"), sort_key="effective_tier", classname=TIER),
        TranslationColumn("translation", label=_("Translation")),
    ]

"""The dashboard panel of each coordination: what needs the editors' attention.

For a regional editor, one section per coordination she edits, listing its
films awaiting consent, consents expiring within 60 days and items waiting
for national approval. National editors see one summary row per coordination
instead (a list of 21 coordinations' items would drown the dashboard). The
counts are grouped queries, so the panel costs the same few queries whatever
the size of the catalogue. Each count of expiring consents links to the
consent register filtered on that coordination and "expiring within 60 days".
Coordinations are listed in dictionary order ("Île-de-France" among the I's).
"""

import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from wagtail.admin.ui.components import Component
from wagtail.models import Locale, WorkflowState, get_default_page_content_type

from library.admin.consent import EXPIRY_WINDOW_DAYS, consent_status_q
from library.admin.coordination_scope import coordination_scope
from library.core.tiers import ConsentScope
from library.models import ConsentRecord, CoordinationPage, FilmPage, GuidePage
from library.models.forms import name_key

#: Rows listed per section for a regional editor; the count says how many there are in all.
SECTION_LIMIT = 10


def awaiting_consent_q():
    """Films with no consent record, or one that records no authorisation."""
    return Q(consent__isnull=True) | Q(consent__scope=ConsentScope.NONE, consent__withdrawn_on__isnull=True)


def in_moderation_ids():
    """IDs of pages with a workflow in progress (two queries: object_id is a string column)."""
    object_ids = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS, base_content_type=get_default_page_content_type()
    ).values_list("object_id", flat=True)
    return [int(pk) for pk in object_ids]


def expiring_register_url(coordination):
    """The consent register showing the coordination's consents that expire within the window."""
    register = reverse("wagtailsnippets_library_consentrecord:list")
    return f"{register}?{urlencode({'coordination': coordination.pk, 'status': 'expiring'})}"


class CoordinationDashboardPanel(Component):
    name = "library_coordinations"
    template_name = "library/admin/dashboard_panel.html"
    order = 90

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        scope = coordination_scope(self.user)
        if scope is not None and not scope:
            context["sections"] = []
            return context
        coordinations = CoordinationPage.objects.filter(locale=Locale.get_default()).order_by("title")
        if scope is not None:
            coordinations = coordinations.filter(pk__in=scope)
        today = timezone.localdate()
        films = FilmPage.objects.filter(coordination__in=coordinations, locale=Locale.get_default())
        expiring = ConsentRecord.objects.filter(coordination__in=coordinations).filter(
            consent_status_q("expiring", today)
        )
        moderation = in_moderation_ids()
        awaiting_approval = [
            model.objects.filter(coordination__in=coordinations, pk__in=moderation) for model in (FilmPage, GuidePage)
        ]
        context["national"] = scope is None
        context["window"] = EXPIRY_WINDOW_DAYS
        context["until"] = today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS)
        if scope is None:
            context["rows"] = self.summary(coordinations, films, expiring, awaiting_approval)
        else:
            context["sections"] = self.sections(coordinations, films, expiring, awaiting_approval)
        return context

    @staticmethod
    def counts(films, expiring, awaiting_approval):
        """{coordination id: {"consent": n, "expiring": n, "approval": n}} in four grouped queries."""
        counts = defaultdict(lambda: {"consent": 0, "expiring": 0, "approval": 0})
        for row in films.filter(awaiting_consent_q()).values("coordination").annotate(n=Count("pk")):
            counts[row["coordination"]]["consent"] = row["n"]
        for row in expiring.values("coordination").annotate(n=Count("pk")):
            counts[row["coordination"]]["expiring"] = row["n"]
        for queryset in awaiting_approval:
            for row in queryset.values("coordination").annotate(n=Count("pk")):
                counts[row["coordination"]]["approval"] += row["n"]
        return counts

    def summary(self, coordinations, films, expiring, awaiting_approval):
        counts = self.counts(films, expiring, awaiting_approval)
        coordinations = sorted(coordinations, key=lambda coordination: name_key(coordination.title))
        return [
            {
                "coordination": coordination,
                "expiring_url": expiring_register_url(coordination),
                **counts[coordination.pk],
            }
            for coordination in coordinations
            if any(counts[coordination.pk].values())
        ]

    def sections(self, coordinations, films, expiring, awaiting_approval):
        coordinations = sorted(coordinations, key=lambda coordination: name_key(coordination.title))
        counts = self.counts(films, expiring, awaiting_approval)
        limit = SECTION_LIMIT * len(coordinations)
        sections = {
            c.pk: {
                "coordination": c,
                "panel_id": f"library-coordination-{c.pk}",
                "expiring_url": expiring_register_url(c),
                "consent": [],
                "expiring": [],
                "approval": [],
                **{f"{key}_count": value for key, value in counts[c.pk].items()},
            }
            for c in coordinations
        }
        rows = [
            ("consent", films.filter(awaiting_consent_q()).order_by("title")[:limit]),
            ("expiring", expiring.order_by("expires_on")[:limit]),
            *[("approval", queryset.order_by("title")[:limit]) for queryset in awaiting_approval],
        ]
        for key, queryset in rows:
            for item in queryset:
                items = sections[item.coordination_id][key]
                if len(items) < SECTION_LIMIT:
                    items.append(item)
        return list(sections.values())


def add_coordination_panel(request, panels):
    """`construct_homepage_panels` hook: editors of a coordination (and national editors) get the panel."""
    scope = coordination_scope(request.user)
    if scope is None or scope:
        panels.append(CoordinationDashboardPanel(request.user))

"""wagtail-localize's translations report, narrowed to what the editor may see.

The report lists every translation of the whole site by its source's title:
another coordination's drafts, internal films and guides included. Here a
regional editor is shown translations of the pages they hold a permission on
(whose draft titles are theirs to read) and of snippets their viewsets let
them see; national editors see the report as wagtail-localize builds it.
The view is mounted ahead of wagtail-localize's under the same paths
(`visibility_hooks.shadow_localize_views`).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from wagtail.models import Page
from wagtail.permissions import page_permission_policy
from wagtail_localize.models import TranslationSource
from wagtail_localize.views.report import TranslationsReportView

from library.access import admin_visibility as visibility


def _visible_sources(request):
    """A condition on `Translation` rows: their source object is one the editor may see with its drafts."""
    user = request.user
    pages = page_permission_policy.instances_user_has_any_permission_for(user, visibility.PAGE_ACTIONS)
    condition = Q(source__object_id__in=pages.values("translation_key"))
    source_types = TranslationSource.objects.values_list("specific_content_type", flat=True).distinct()
    for content_type in ContentType.objects.filter(pk__in=source_types):
        model = content_type.model_class()
        if model is None or issubclass(model, Page):
            continue
        visible = visibility.filter_objects(request, model._default_manager.all())
        condition |= Q(
            source__specific_content_type=content_type, source__object_id__in=visible.values("translation_key")
        )
    return condition


class VisibleTranslationsReportView(TranslationsReportView):
    def get_queryset(self):
        queryset = super().get_queryset()
        if visibility.is_national(self.request.user):
            return queryset
        return queryset.filter(_visible_sources(self.request))

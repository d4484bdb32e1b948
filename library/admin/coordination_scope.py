"""Keep regional editors inside their coordinations in model admin views.

Wagtail's model permissions say *what kind* of object a group may edit, not
*which* ones: a regional editor with `change_consentrecord` could otherwise
open another coordination's consent record by its ID. These mixins narrow the
index queryset and refuse (404) any single object outside the editor's
coordinations; national editors and superusers see everything. Which
coordinations a user edits is the access layer's rule
(`library.access.admin_visibility.coordination_scope`).
"""

from django import forms
from django.db.models import Case, Value, When
from django.http import Http404

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from library.access.admin_visibility import coordination_scope, scope_queryset
from library.models.forms import name_key


def coordination_choices(request):
    """Coordinations offered by filters: the user's own, in the default language (items point at those).

    In dictionary order ("Île-de-France" among the I's): the database's
    collation sorts by code point, which puts accented initials last.
    """
    from library.models import CoordinationPage

    queryset = CoordinationPage.objects.filter(locale=Locale.get_default())
    scope = coordination_scope(request.user) if request else None
    if scope is not None:
        queryset = queryset.filter(pk__in=scope)
    ordered = sorted(queryset.values_list("pk", "title"), key=lambda row: name_key(row[1]))
    if not ordered:
        return queryset
    rank = Case(*(When(pk=pk, then=Value(position)) for position, (pk, _title) in enumerate(ordered)))
    return queryset.order_by(rank, "title")


class CoordinationScopedObjectMixin:
    """Refuse, as not found, an object of another coordination asked for by its ID."""

    def object_coordination_id(self, obj):
        return obj.coordination_id

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        scope = coordination_scope(self.request.user)
        if scope is not None and self.object_coordination_id(obj) not in scope:
            raise Http404
        return obj


class CoordinationScopedEditView(CoordinationScopedObjectMixin, snippet_views.EditView):
    pass


class CoordinationScopedDeleteView(CoordinationScopedObjectMixin, snippet_views.DeleteView):
    pass


class CoordinationScopedInspectView(CoordinationScopedObjectMixin, snippet_views.InspectView):
    pass


class CoordinationScopedHistoryView(CoordinationScopedObjectMixin, snippet_views.HistoryView):
    pass


class CoordinationScopedUsageView(CoordinationScopedObjectMixin, snippet_views.UsageView):
    pass


class ViewSetQuerysetMixin:
    """A snippet chooser view that offers and returns only what the snippet's viewset lists to the user.

    Wagtail's chooser views read the model's default manager, so its
    `chosen/<pk>/` view would describe (by its string: an organisation's
    name, a token's prefix) any object of the model, whatever the snippet
    viewset's `get_queryset(request)` scopes.
    """

    def viewset_queryset(self):
        queryset = self.model.snippet_viewset.get_queryset(self.request)
        return self.model._default_manager.all() if queryset is None else queryset


class ViewSetScopedChooseView(ViewSetQuerysetMixin, snippet_chooser.ChooseView):
    def get_object_list(self):
        return super().get_object_list().filter(pk__in=self.viewset_queryset().values("pk"))


class ViewSetScopedChooseResultsView(ViewSetQuerysetMixin, snippet_chooser.ChooseResultsView):
    def get_object_list(self):
        return super().get_object_list().filter(pk__in=self.viewset_queryset().values("pk"))


class ViewSetScopedChosenView(ViewSetQuerysetMixin, snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return self.viewset_queryset().get(pk=pk)


class ViewSetScopedChosenMultipleView(ViewSetQuerysetMixin, snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self.viewset_queryset().filter(pk__in=pks)


class ViewSetScopedChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    """The chooser of a snippet whose viewset scopes its objects (`get_queryset(request)`)."""

    choose_view_class = ViewSetScopedChooseView
    choose_results_view_class = ViewSetScopedChooseResultsView
    chosen_view_class = ViewSetScopedChosenView
    chosen_multiple_view_class = ViewSetScopedChosenMultipleView


class CoordinationScopedViewSetMixin:
    """For a SnippetViewSet whose model has a `coordination` foreign key."""

    chooser_viewset_class = ViewSetScopedChooserViewSet
    edit_view_class = CoordinationScopedEditView
    delete_view_class = CoordinationScopedDeleteView
    inspect_view_class = CoordinationScopedInspectView
    history_view_class = CoordinationScopedHistoryView
    usage_view_class = CoordinationScopedUsageView

    def get_queryset(self, request):
        return scope_queryset(self.model._default_manager.all(), request.user)


class CoordinationChoiceForm(WagtailAdminModelForm):
    """Offer only the user's own coordinations, in a plain select (not a page chooser)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("coordination")
        if field is None:
            return
        from library.models import CoordinationPage

        choices = CoordinationPage.objects.filter(locale=Locale.get_default()).order_by("title")
        if self.for_user is not None:
            choices = scope_queryset(choices, self.for_user, field="pk")
        field.queryset = choices
        field.widget = forms.Select(choices=field.choices)

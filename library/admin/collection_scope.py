"""Check a permission on the very object a view acts on, not only on its model.

Wagtail's generic model views ask the permission policy whether the user may
"change" *some* object of the model. With a collection policy a regional
editor may (her coordination's collection), so without more the edit,
delete, history and usage views would answer for any video asked for by its
ID, and a POST would save it. Wagtail's own image and document views add a
check on the instance; these helpers do the same, with the policy registered
for the model (`wagtail.permissions.policy_registry`), for every view of the
project's collection-based assets: a user without the permission on the
object's collection gets Wagtail's "permission denied" (a redirect to the
dashboard, or a 403 to an XHR) and never its title.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.views.generic import history, usage
from wagtail.permissions import policy_registry


def check_instance_permission(user, actions, instance):
    """Raise `PermissionDenied` unless `user` may do one of `actions` on `instance` itself."""
    policy = policy_registry.get_by_type(type(instance))
    if not policy.user_has_any_permission_for_instance(user, list(actions), instance):
        raise PermissionDenied


def get_permitted_object(request, model, pk, actions):
    """For function views: the object, or 404 if it does not exist, or `PermissionDenied`."""
    instance = get_object_or_404(model, pk=pk)
    check_instance_permission(request.user, actions, instance)
    return instance


class InstancePermissionMixin:
    """A generic view whose `get_object` checks, on the object, the permission the view requires.

    The actions are the view's own `permission_required` or
    `any_permission_required` (what Wagtail checks on the model at dispatch),
    unless `instance_actions` names others.
    """

    instance_actions = None

    def get_instance_actions(self):
        if self.instance_actions is not None:
            return self.instance_actions
        if getattr(self, "permission_required", None):
            return [self.permission_required]
        return self.any_permission_required

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        check_instance_permission(self.request.user, self.get_instance_actions(), instance)
        return instance


class PermittedObjectsMixin:
    """A chooser's "chosen multiple" view: only the objects the user may choose, the others left out."""

    instance_actions = ["choose"]

    def get_objects(self, pks):
        policy = policy_registry.get_by_type(self.model_class)
        return policy.instances_user_has_any_permission_for(self.request.user, self.instance_actions).filter(
            pk__in=pks
        )


class CollectionScopedEditView(InstancePermissionMixin, generic.EditView):
    pass


class CollectionScopedDeleteView(InstancePermissionMixin, generic.DeleteView):
    pass


class CollectionScopedHistoryView(InstancePermissionMixin, history.HistoryView):
    pass


class CollectionScopedUsageView(InstancePermissionMixin, usage.UsageView):
    pass


class CollectionScopedInspectView(InstancePermissionMixin, generic.InspectView):
    pass


class CollectionScopedChosenView(InstancePermissionMixin, chooser_views.ChosenView):
    instance_actions = ["choose"]


class CollectionScopedChosenMultipleView(PermittedObjectsMixin, chooser_views.ChosenMultipleView):
    pass


class CollectionScopedViewSetMixin:
    """For a `ModelViewSet` of a collection-based model: every view taking an ID checks it.

    Copying is off: a copy would need its own collection check and the
    project's assets come from their upload screens.
    """

    edit_view_class = CollectionScopedEditView
    delete_view_class = CollectionScopedDeleteView
    history_view_class = CollectionScopedHistoryView
    usage_view_class = CollectionScopedUsageView
    inspect_view_class = CollectionScopedInspectView
    copy_view_enabled = False


class CollectionScopedChooserViewSetMixin:
    """For a `ChooserViewSet`: "chosen" refuses, and "chosen multiple" drops, what the user may not choose."""

    chosen_view_class = CollectionScopedChosenView
    chosen_multiple_view_class = CollectionScopedChosenMultipleView

    def get_urlpatterns(self):
        """Without a creation form the modal has no "create" tab, and its URL must not answer either.

        Wagtail routes `create/` whatever the viewset says; with no form behind it,
        a POST there fails with a server error instead of a refusal.
        """
        patterns = super().get_urlpatterns()
        if self._creation_form_class is not None:
            return patterns
        return [pattern for pattern in patterns if pattern.name != "create"]

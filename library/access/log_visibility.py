"""Which log entries (Wagtail's site history) a regional editor may read.

Wagtail's `viewable_by_user` asks only whether the user holds *some*
permission on the logged model (`ModelLogEntry`) or may explore the page
(`PageLogEntry`), so every coordination's consent records, partner
organisations and tokens would be listed by their labels to every regional
editor, and the report's user filter would name every editor. Here the
object each entry is about decides, as it does everywhere else in the admin:

- a page's entries only where the editor may see the page's drafts
  (`visibility.shows_drafts_of`: their own coordination's pages): an entry's
  label is the title the page had when it was logged, the draft's for an
  edit, which another coordination's editor may not read;
- an image's, document's or video's entries where the editor holds a
  permission on the item's collection;
- a snippet's entries where its viewset's `get_queryset(request)` lists it;
  a model with a `coordination` field and no viewset, by that field;
- other models (the shared taxonomy, workflows, sites) as Wagtail says.

An entry whose object no longer exists (deleted) is left out for regional
editors: nothing says any more whose it was. National editors and
superusers keep Wagtail's answer.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry
from wagtail.permissions import page_permission_policy, policy_registry

from library.access import admin_visibility as visibility
from library.access.admin_visibility import scope_queryset

ASSET_ACTIONS = ("add", "change", "delete", "choose")


def _asset_policies():
    from library.access.asset_policies import video_permission_policy
    from library.models import Video

    return (
        (get_image_model(), policy_registry.get_by_type(get_image_model())),
        (get_document_model(), policy_registry.get_by_type(get_document_model())),
        (Video, video_permission_policy),
    )


def _has_coordination(model):
    try:
        model._meta.get_field("coordination")
    except FieldDoesNotExist:
        return False
    return True


def visible_instances(request, model):
    """The objects of `model` whose log entries `request.user` may read, or None when the model is not narrowed."""
    for asset_model, policy in _asset_policies():
        if issubclass(model, asset_model):
            return policy.instances_user_has_any_permission_for(request.user, ASSET_ACTIONS)
    viewset = getattr(model, "snippet_viewset", None)
    if viewset is not None:
        return viewset.get_queryset(request)
    if _has_coordination(model):
        return scope_queryset(model._default_manager.all(), request.user)
    return None


def _page_entries(queryset, user):
    permitted = page_permission_policy.instances_user_has_any_permission_for(user, visibility.PAGE_ACTIONS)
    return queryset.filter(page_id__in=permitted.values("pk"))


def _model_entries(queryset, request):
    from django.contrib.contenttypes.models import ContentType

    allowed = Q(pk__in=[])
    for content_type_id in queryset.get_content_type_ids():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        instances = visible_instances(request, model)
        if instances is None:
            allowed |= Q(content_type_id=content_type_id)
        else:
            ids = instances.values_list(Cast("pk", output_field=CharField()), flat=True)
            allowed |= Q(content_type_id=content_type_id, object_id__in=ids)
    return queryset.filter(allowed)


def visible_log_entries(request, log_model):
    """`log_model`'s entries that `request.user` may read in the site history (see the module docstring)."""
    queryset = log_model.objects.viewable_by_user(request.user)
    if visibility.is_national(request.user):
        return queryset
    if issubclass(log_model, PageLogEntry):
        return _page_entries(queryset, request.user)
    return _model_entries(queryset, request)

"""What a regional editor may see in the admin of another coordination's items: one rule for every admin view.

Wagtail's permissions say what an editor may *change*; many admin views
also *show* objects the editor may not change (the explorer, the choosers,
"move to" destinations, bulk action confirmations listing "items you cannot
act on", the admin API). What they may show follows `library.access.rules`:

- pages the editor holds a page permission on (their coordination's subtree)
  are shown with their drafts;
- other pages only when live, films and guides only when the editor may see
  them (`access.can_view`: live public and network items of other
  coordinations), and always by their live title, never the title of a draft
  revision (`shows_drafts_of`);
- images and guide documents as `access.visible_images_q` /
  `visible_documents_q` say;
- a snippet as its viewset's `get_queryset(request)` scopes it
  (`CoordinationScopedViewSetMixin`: the editor's coordinations only).

National editors and superusers see everything.
"""

from django.db.models import Q

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from library.access import rules as access
from library.access.rules import Requester

PAGE_ACTIONS = ("add", "change", "publish", "bulk_delete", "lock", "unlock")


#: Where the user's `Requester` is kept, on the user object itself.
REQUESTER_CACHE = "_admin_visibility_requester"


def _requester(user):
    """The user's `Requester`, made once per user object: its groups are read once, not once per page.

    The admin asks for every listed page's title (`page_guard`), and each
    answer needs whether the user is a national editor. `request.user` is
    loaded for each request, so the cache lives as long as the request, as
    Wagtail's own page permission cache does on the same object.
    """
    requester = getattr(user, REQUESTER_CACHE, None)
    if requester is None:
        requester = Requester(user=user)
        setattr(user, REQUESTER_CACHE, requester)
    return requester


def is_national(user):
    return user is not None and user.is_authenticated and _requester(user).is_national


def shows_drafts_of(user, page):
    """May `user` see `page`'s drafts (its draft title, unpublished pages)? Only where they hold a page permission.

    Wagtail caches the user's page permissions for the request, so this costs
    no query per page.
    """
    if not user.is_active:
        return False
    if is_national(user):
        return True
    return bool(page.path) and bool(page.permissions_for_user(user).permissions)


def may_see_page(user, page):
    if shows_drafts_of(user, page):
        return True
    if not page.live:
        return False
    from library.models import FilmPage, GuidePage

    specific = page.specific_deferred
    if isinstance(specific, FilmPage | GuidePage):
        return access.can_view(_requester(user), specific, include_drafts=True)
    return True


def filter_pages(queryset, user):
    """`queryset` less the pages `user` may not see in the admin (see the module docstring)."""
    if is_national(user):
        return queryset
    permitted = page_permission_policy.instances_user_has_any_permission_for(user, PAGE_ACTIONS)
    queryset = queryset.filter(Q(live=True) | Q(pk__in=permitted.values("pk")))
    return access.filter_visible_pages(queryset, _requester(user), include_drafts=True)


def _snippet_queryset(request, model):
    """The snippet viewset's own scoping (None: the viewset does not narrow its objects)."""
    viewset = getattr(model, "snippet_viewset", None)
    return viewset.get_queryset(request) if viewset is not None else None


def filter_objects(request, queryset):
    """`queryset` (of any model) less the objects `request.user` may not see in the admin."""
    user = request.user
    model = queryset.model
    if is_national(user):
        return queryset
    if issubclass(model, Page):
        return filter_pages(queryset, user)
    if issubclass(model, get_image_model()):
        return queryset.filter(access.visible_images_q(_requester(user), include_drafts=True))
    if issubclass(model, get_document_model()):
        return queryset.filter(access.visible_documents_q(_requester(user), include_drafts=True))
    scoped = _snippet_queryset(request, model)
    if scoped is not None:
        return queryset.filter(pk__in=scoped.values("pk"))
    return queryset


def visible_among(request, objects):
    """`objects` less those `request.user` may not see, in one query per model rather than per object.

    Bulk action confirmations list up to a page of selected items, twice per
    request (the form and its submission).
    """
    objects = list(objects)
    if not objects or is_national(request.user):
        return objects
    by_model = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj.pk)
    visible = set()
    for model, pks in by_model.items():
        queryset = filter_objects(request, model._default_manager.filter(pk__in=pks))
        visible.update((model, pk) for pk in queryset.values_list("pk", flat=True))
    return [obj for obj in objects if (type(obj), obj.pk) in visible]


def coordination_scope(user):
    """None when `user` sees every coordination, else the set of coordination IDs they edit."""
    requester = Requester(user=user)
    if requester.is_national:
        return None
    return set(requester.edited_coordination_ids)


def scope_queryset(queryset, user, field="coordination_id"):
    """`queryset` narrowed to the coordinations `user` edits (through `field`), whole for national editors."""
    scope = coordination_scope(user)
    if scope is None:
        return queryset
    return queryset.filter(**{f"{field}__in": scope})

"""Tiers mapped onto Wagtail's own page privacy, so Wagtail enforces them for free.

A network or internal film or guide carries one `PageViewRestriction` of
type "groups": Wagtail's v2 pages API, v3 anonymous reads, page serving, the
sitemap (`.public()`) and `PageQuerySet.public()` in search then leave it out
for anyone outside those groups, with no code of ours on the path.

| tier     | restriction groups                                                  |
| -------- | ------------------------------------------------------------------- |
| public   | none (the restriction is removed)                                   |
| network  | Partenaires, every coordination's editors, Coordination nationale   |
| internal | the item's coordination's editors, Coordination nationale           |

The restriction follows the tier *today* (`access.current_tier`: consent
checked now), not only the stored `effective_tier`, so a sync after a consent
lapse narrows it. Only "groups" restrictions are managed here: a password or
login restriction an editor adds by hand is left alone, since it can only
narrow further.

Wagtail's restriction is a second lock, not the first: surfaces that Wagtail
does not filter by tier, and the stretch between a consent's expiry and the
next `lapse_consents` run, are covered by request-time checks of
`library.access.rules` (see `library.serving.wagtail_views`).
"""

from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr

from wagtail.models import PageViewRestriction
from wagtail.search import index

from library.access.rules import current_tier
from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.core.tiers import Tier


def restriction_group_ids(item, tier=None):
    """Ids of the groups allowed to view `item` at `tier` (None: no restriction needed)."""
    from library.models import CoordinationPage

    tier = Tier(tier or current_tier(item))
    if tier == Tier.PUBLIC:
        return None
    names = [NATIONAL_GROUP]
    if tier == Tier.NETWORK:
        names.append(PARTNERS_GROUP)
    ids = set(Group.objects.filter(name__in=names).values_list("pk", flat=True))
    editors = CoordinationPage.objects.exclude(editors_group=None)
    if tier == Tier.INTERNAL:
        editors = editors.filter(pk=item.coordination_id)
    ids.update(editors.values_list("editors_group_id", flat=True))
    return ids


_syncing = ContextVar("library_privacy_syncing", default=False)


def is_syncing():
    """True while `sync_view_restriction` is writing (so signal handlers do not answer their own writes)."""
    return _syncing.get()


def sync_view_restriction(item, tier=None):
    """Make the page's "groups" restriction match its tier. Returns True if anything changed."""
    token = _syncing.set(True)
    try:
        with transaction.atomic():
            return _sync_view_restriction(item, tier)
    finally:
        _syncing.reset(token)


def _sync_view_restriction(item, tier):
    wanted = restriction_group_ids(item, tier)
    existing = list(PageViewRestriction.objects.filter(page_id=item.pk, restriction_type=PageViewRestriction.GROUPS))
    if wanted is None:
        if not existing:
            return False
        PageViewRestriction.objects.filter(pk__in=[r.pk for r in existing]).delete()
        return True
    restriction, *extra = existing or [None]
    if extra:
        PageViewRestriction.objects.filter(pk__in=[r.pk for r in extra]).delete()
    if restriction is None:
        restriction = PageViewRestriction(page_id=item.pk, restriction_type=PageViewRestriction.GROUPS)
        restriction.save()
    elif set(restriction.groups.values_list("pk", flat=True)) == wanted and not extra:
        return False
    restriction.groups.set(wanted)
    return True


def apply_current_tier(item):
    """Bring an item's stored state in line with its tier today.

    Updates `effective_tier` without a new revision (the editor's choice did
    not change, the consent did), the view restriction and the search index.
    Sends `library.core.signals.film_tier_changed` when the stored tier moved.
    Returns (old, new) stored tiers.
    """
    old = Tier(item.effective_tier)
    new = Tier(current_tier(item))
    if old != new:
        type(item).objects.filter(pk=item.pk).update(effective_tier=new)
        item.effective_tier = new
    sync_view_restriction(item, new)
    index.insert_or_update_object(item)
    if old != new:
        from library.core.signals import film_tier_changed

        film_tier_changed.send(sender=type(item), film=item, old=old, new=new)
    return old, new


def sync_all_restrictions():
    """Resync every film and guide (e.g. after a coordination's group was created). Returns the count changed."""
    from library.models import FilmPage, GuidePage

    changed = 0
    for queryset in (FilmPage.objects.select_related("consent"), GuidePage.objects.all()):
        for item in queryset.iterator():
            changed += sync_view_restriction(item)
    return changed


def blocking_restrictions_q(request):
    """View restrictions that refuse this request: `BaseViewRestriction.accept_request`, as a filter.

    Wagtail's API calls `accept_request` on every restriction in the
    database, one query each; with a restriction on most films that is
    thousands of queries per API call. This is the same rule in one query.
    """
    passed = (
        request.session.get(PageViewRestriction.passed_view_restrictions_session_key, [])
        if hasattr(request, "session")
        else []
    )
    blocking = Q(restriction_type=PageViewRestriction.PASSWORD) & ~Q(pk__in=passed)
    user = request.user
    if not user.is_authenticated:
        blocking |= Q(restriction_type__in=[PageViewRestriction.LOGIN, PageViewRestriction.GROUPS])
    elif not user.is_superuser:
        blocking |= Q(restriction_type=PageViewRestriction.GROUPS) & ~Q(groups__in=user.groups.all())
    return blocking


def exclude_restricted_pages(queryset, request):
    """Leave out pages under a view restriction that refuses `request` (the page itself and its descendants)."""
    ancestor_or_self = Q(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    blocking = PageViewRestriction.objects.filter(blocking_restrictions_q(request)).filter(ancestor_or_self)
    return queryset.exclude(Exists(blocking))


def public_pages_queryset(request, model=None):
    """Wagtail's `get_public_pages_queryset` (live, unrestricted for this request, in the requested site)
    in a constant number of queries; used by the v2 and v3 pages APIs."""
    from wagtail.api.validators import SiteFilterValidator
    from wagtail.models import Page

    model = model or Page
    queryset = exclude_restricted_pages(model._default_manager.all().live(), request)
    site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
    if not site:
        return queryset.none()
    scoped = queryset.descendant_of(site.root_page, inclusive=True)
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        for translation in site.root_page.get_translations():
            scoped |= queryset.descendant_of(translation, inclusive=True)
    return scoped


def include_in_network_restrictions(group_id):
    """Give a new coordination's editors the network tier in Wagtail's privacy too.

    Network restrictions are the ones naming the partners' group; the new
    group is added to each in two queries, whatever their number.
    """
    through = PageViewRestriction.groups.through
    restriction_ids = (
        PageViewRestriction.objects.filter(restriction_type=PageViewRestriction.GROUPS, groups__name=PARTNERS_GROUP)
        .exclude(groups__pk=group_id)
        .values_list("pk", flat=True)
    )
    rows = [through(pageviewrestriction_id=pk, group_id=group_id) for pk in restriction_ids]
    through.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)

"""The one place that answers "may this requester list, see, stream or download this item".

Every surface asks it: the project's API, Wagtail's v2 and v3 pages APIs,
search, the sitemap, the embed player, oEmbed, document serving, renditions
and storage URLs. Tiers are checked at request time against the consent
register, so a withdrawn or expired consent narrows a film at once, before
any stored state is updated.

Who sees what:

| requester                  | lists / sees / streams                       | downloads         |
| -------------------------- | -------------------------------------------- | ----------------- |
| anonymous                  | live public items                            | public guides     |
| partner (user or token)    | live public and network items                | the same          |
| editor of coordination C   | the above, and everything of C, drafts too   | the same          |
| national editor, superuser | everything                                   | everything        |

A guide's files go to whoever may see the guide (`can_download_guide`): a
guide is read as its PDF, and the public reads public guides. Films' masters,
renditions and screening packs stay with partners and editors.

A film's download switch (`FilmPage.download_allowed`, set by its rights
holders' wish) narrows the last column: with it off, nobody takes the film's
video as a file through the API (neither its master nor a rendition), while
everyone who may see the film still streams it (`can_download_video`).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from django.utils import timezone

from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.core.tiers import SCOPE_CAP, TIER_RANK, ConsentScope, Tier, lower_tier, tiers_at_least


@dataclass
class Requester:
    """Who is asking: a user (maybe anonymous), and the partner token they used, if any."""

    user: object = field(default_factory=AnonymousUser)
    api_token: object = None

    @classmethod
    def from_request(cls, request):
        token = getattr(request, "auth", None)
        from wagtail.models import APIToken

        return cls(
            user=getattr(request, "user", None) or AnonymousUser(),
            api_token=token if isinstance(token, APIToken) else None,
        )

    @cached_property
    def _group_names(self):
        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(self.user.groups.values_list("name", flat=True))

    @cached_property
    def is_national(self):
        return self.user.is_authenticated and (self.user.is_superuser or NATIONAL_GROUP in self._group_names)

    @cached_property
    def organisation(self):
        """The partner organisation acting: the token's, else the user's first one in force (`partner_organisations`)."""
        if self.api_token is not None:
            partner = getattr(self.api_token, "partner", None)
            if partner is not None:
                return partner.organisation
        if self.user.is_authenticated:
            return partner_organisations(self.user).first()
        return None

    @cached_property
    def token_is_valid(self):
        if self.api_token is None:
            return True
        return token_is_usable(self.api_token)

    @cached_property
    def is_partner(self):
        if not self.user.is_authenticated or not self.token_is_valid:
            return False
        return PARTNERS_GROUP in self._group_names or self.organisation is not None

    @cached_property
    def edited_coordination_ids(self):
        """Coordinations whose editors' group this user belongs to."""
        if not self.user.is_authenticated or not self.token_is_valid:
            return frozenset()
        from library.models import CoordinationPage

        return frozenset(CoordinationPage.objects.filter(editors_group__user=self.user).values_list("pk", flat=True))

    @property
    def is_editor(self):
        return self.is_national or bool(self.edited_coordination_ids)

    @property
    def in_network(self):
        """Partners and editors see the network tier."""
        return self.is_partner or self.is_editor


ANONYMOUS = Requester()


def partner_organisations(user):
    """The organisations `user` is a member of whose partnership holds today (active, not past its last day)."""
    from library.models import PartnerOrganisation

    return user.partner_organisations.filter(PartnerOrganisation.in_force_q()).order_by("name", "pk")


def is_partner_account(user):
    """Whether `user` may use the partner space: an active account, member of an organisation in force.

    Asked at log-in and on every request made with a partner session, so a
    deactivated account or a lapsed organisation is refused at once. Editors
    and staff who belong to no organisation are not partner accounts.
    """
    return bool(user is not None and user.is_authenticated and user.is_active and partner_organisations(user).exists())


def _consent_allows_q(tier, today, prefix=""):
    """Films whose consent, today, allows `tier` or wider."""
    scopes = [scope for scope, cap in SCOPE_CAP.items() if TIER_RANK[cap] >= TIER_RANK[Tier(tier)]]
    if Tier(tier) == Tier.INTERNAL:
        return Q()
    return (
        Q(**{f"{prefix}consent__scope__in": scopes})
        & (Q(**{f"{prefix}consent__withdrawn_on__isnull": True}) | Q(**{f"{prefix}consent__withdrawn_on__gt": today}))
        & (Q(**{f"{prefix}consent__expires_on__isnull": True}) | Q(**{f"{prefix}consent__expires_on__gte": today}))
    )


def _listing_consent_allows_q(tier, today):
    """`_consent_allows_q` on the listing read model's columns (`library.models.ListingEntry`)."""
    if Tier(tier) == Tier.INTERNAL:
        return Q()
    in_force = Q(consent_until__isnull=True) | Q(consent_until__gte=today)
    return Q(consent_cap__isnull=True) | (Q(consent_cap__in=tiers_at_least(tier)) & in_force)


def tier_at_least_q(model, tier, today=None):
    """Items whose request-time tier is `tier` or wider (the editor's choice capped by consent)."""
    from library.models import FilmPage, ListingEntry

    today = today or timezone.localdate()
    condition = Q(access_tier__in=tiers_at_least(tier))
    if issubclass(model, FilmPage):
        condition &= _consent_allows_q(tier, today)
    elif issubclass(model, ListingEntry):
        condition &= _listing_consent_allows_q(tier, today)
    return condition


def visibility_key(requester, include_drafts=False):
    """Everything `visible_q` reads of a requester: two requesters with the same key see the same items."""
    if requester.is_national:
        return ["national", include_drafts]
    return ["network" if requester.in_network else "public", sorted(requester.edited_coordination_ids), include_drafts]


def visible_q(model, requester, include_drafts=False):
    """The queryset filter of what `requester` may list and see, for `model`."""
    if requester.is_national:
        return Q() if include_drafts else Q(live=True)
    widest_seen = Tier.NETWORK if requester.in_network else Tier.PUBLIC
    condition = Q(live=True) & tier_at_least_q(model, widest_seen)
    if requester.edited_coordination_ids:
        own = Q(coordination_id__in=requester.edited_coordination_ids)
        if not include_drafts:
            own &= Q(live=True)
        condition |= own
    return condition


def filter_visible(queryset, requester, include_drafts=False):
    return queryset.filter(visible_q(queryset.model, requester, include_drafts=include_drafts))


def current_tier(item, today=None):
    """The item's tier right now (consent checked today, not the stored value)."""
    cap = Tier.PUBLIC
    consent = getattr(item, "consent", None) if hasattr(item, "consent_id") else None
    if hasattr(item, "consent_id"):
        cap = consent.tier_cap(today) if consent is not None else SCOPE_CAP[ConsentScope.NONE]
    return lower_tier(item.access_tier, cap)


def consent_columns(item):
    """`(consent_cap, consent_until)` of an item, as the listing read model stores them.

    The cap is what the consent allows while in force; `consent_until` is its
    last day in force (expiry, or the day before a withdrawal), None if it has
    no end. Guides carry no consent: no cap.
    """
    if not hasattr(item, "consent_id"):
        return None, None
    return consent_record_columns(item.consent)


def consent_record_columns(consent):
    """`consent_columns` of the films that `consent` (a ConsentRecord, or None) covers."""
    if consent is None:
        return SCOPE_CAP[ConsentScope.NONE], None
    ends = [consent.expires_on, consent.withdrawn_on and consent.withdrawn_on - timedelta(days=1)]
    ends = [day for day in ends if day]
    return SCOPE_CAP[ConsentScope(consent.scope)], min(ends) if ends else None


def tier_from_columns(access_tier, consent_cap, consent_until, today=None):
    """`current_tier` from the listing read model's columns (see `consent_columns`)."""
    if consent_cap is None:
        return Tier(access_tier)
    today = today or timezone.localdate()
    in_force = consent_until is None or consent_until >= today
    return lower_tier(access_tier, consent_cap if in_force else Tier.INTERNAL)


def can_view(requester, item, include_drafts=False):
    """Whether `requester` may see `item`: list it, read its detail, stream its film.

    The one rule for all three, so a film that can be found can be played and
    one that cannot is neither listed nor streamed.
    """
    if requester.is_national:
        return include_drafts or item.live
    if requester.edited_coordination_ids and item.coordination_id in requester.edited_coordination_ids:
        return include_drafts or item.live
    if not item.live:
        return False
    tier = current_tier(item)
    if tier == Tier.PUBLIC:
        return True
    return tier == Tier.NETWORK and requester.in_network


def can_download(requester, item):
    """A film's files (master, renditions, tracks, screening pack) go to partners and editors only."""
    if not (requester.in_network or requester.is_national):
        return False
    return can_view(requester, item)


def can_download_guide(requester, guide):
    """A guide's PDF goes to whoever may see the guide, as Wagtail's document URL already serves it."""
    return can_view(requester, guide)


def can_download_video(requester, film):
    """Whether `requester` may take `film`'s video as a file: its master or a rendition.

    A film's other files (text tracks, poster, guides) follow `can_download`;
    its video also needs the film's download switch on. `film` is the French
    source: the switch belongs to the film, and a translation's copy of the
    field stops following it once the translation's synchronisation is
    stopped.
    """
    return film.download_allowed and can_download(requester, film)


def _library_models():
    from library.models import FilmPage, GuidePage

    return (FilmPage, GuidePage)


def filter_visible_pages(queryset, requester, include_drafts=False):
    """Filter a queryset of any page type: films and guides the requester may not see drop out.

    Other pages pass through untouched (Wagtail's own privacy governs them).
    One subquery per library model, so the query count does not grow with the
    number of pages listed.
    """
    hidden = Q()
    for model in _library_models():
        visible = model.objects.filter(visible_q(model, requester, include_drafts=include_drafts)).values("pk")
        hidden |= Q(pk__in=model.objects.values("pk")) & ~Q(pk__in=visible)
    return queryset.exclude(hidden)


def searchable_pages(queryset):
    """The same pages, as the one filter that every search backend accepts: `id` in a subquery.

    Wagtail's search backends read a queryset's WHERE clause and take only
    plain lookups on indexed fields; the access filter and the view
    restriction filter are subqueries on other tables (`Exists`, negated
    `pk__in`), which they cannot read (a 500 on `?search=`). `id` is a
    `FilterField` of every page model, and unlike `page_ptr_id` (the pk of a
    specific page model) no backend skips it.
    """
    return queryset.model._default_manager.filter(id__in=queryset.values("id"))


def visible_item_ids(requester, include_drafts=False):
    """Subqueries of the film and guide ids the requester may see."""
    return [
        model.objects.filter(visible_q(model, requester, include_drafts=include_drafts)).values("pk")
        for model in _library_models()
    ]


def _image_uses():
    """`(item model, path to an image id)` for every way a film or guide shows an image.

    Editors choose posters and covers; a film also shows its video's poster
    frame, a guide its documents' first-page thumbnails.
    """
    from library.models import FilmPage, GuidePage

    return (
        (FilmPage, "poster"),
        (FilmPage, "video__poster"),
        (GuidePage, "cover"),
        (GuidePage, "documents__document__thumbnail"),
    )


def _derived_images_q():
    """Images that processing made from an asset: a video's poster frame, a guide document's first page.

    The reverse relation is the mark; deleting the asset deletes them
    (`library.models.videos`, `library.models.documents`), so none outlives
    its asset as an ordinary image.
    """
    from library.models import GuideDocument, Video

    return Q(pk__in=Video.objects.filter(poster__isnull=False).values("poster_id")) | Q(
        pk__in=GuideDocument.objects.filter(thumbnail__isnull=False).values("thumbnail_id")
    )


def visible_images_q(requester, include_drafts=False):
    """The images a requester may list and load: every image surface asks this (or `can_view_image`).

    - An image that films or guides use takes the widest access among them:
      visible if the requester may see at least one of them (a hidden item
      sharing it does not hide it).
    - An image derived from an asset (poster frame, first page) no item uses
      yet is its editors' work in progress, as with documents: national
      editors and the editors of its collection only (a poster frame's title
      names its video). Used by items only hidden to the requester, it is
      hidden.
    - Any other image is ordinary public media.
    """
    used, shown = Q(), Q()
    for model, path in _image_uses():
        # NOT IN a list holding NULL matches nothing: the items without this image are left out.
        items = model.objects.filter(**{f"{path}__isnull": False})
        used |= Q(pk__in=items.values(path))
        shown |= Q(pk__in=filter_visible(items, requester, include_drafts=include_drafts).values(path))
    derived = _derived_images_q()
    condition = (~used & ~derived) | shown
    if requester.is_editor:
        condition |= derived & ~used & _work_in_progress_q(requester, "images")
    return condition


def _work_in_progress_q(requester, app):
    """Images or documents (`app`) of a collection the requester works in: national editors see every one.

    As Wagtail's `CollectionOwnershipPermissionPolicy` reads it: a group
    permission on a collection (a coordination's own, `library.access.network`)
    covers it and its descendants, whose tree paths start with its path. One
    `EXISTS` on the requester's group collection permissions, so a listing
    does not ask per row.
    """
    if requester.is_national:
        return Q()
    from wagtail.models import GroupCollectionPermission

    auth_model = _collection_permission_policy(app).auth_model._meta
    held = GroupCollectionPermission.objects.filter(
        StartsWith(OuterRef("collection__path"), F("collection__path")),
        group__user=requester.user,
        permission__content_type__app_label=auth_model.app_label,
        permission__content_type__model=auth_model.model_name,
    )
    return Q(Exists(held))


def _collection_permission_policy(app):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(get_image_model() if app == "images" else get_document_model())


def can_view_image(requester, image, include_drafts=False):
    from wagtail.images import get_image_model

    return get_image_model().objects.filter(visible_images_q(requester, include_drafts), pk=image.pk).exists()


def visible_documents_q(requester, include_drafts=False):
    """Guide documents a requester may read: those of a guide they may see.

    A document no guide links to yet is its editors' work in progress:
    national editors and the editors of its collection only.
    """
    from library.models import GuidePage

    guides = filter_visible(GuidePage.objects.all(), requester, include_drafts=include_drafts)
    condition = Q(pk__in=guides.filter(documents__isnull=False).values("documents__document_id"))
    if requester.is_editor:
        condition |= ~Q(pk__in=_linked_document_ids()) & _work_in_progress_q(requester, "documents")
    return condition


def _linked_document_ids():
    from library.models import GuideDocumentLink

    return GuideDocumentLink.objects.values("document_id")


def can_read_document(requester, document, include_drafts=True):
    """May the requester open this guide document (Wagtail's `/documents/` URL, the documents API)?"""
    from wagtail.documents import get_document_model

    model = get_document_model()
    return model.objects.filter(visible_documents_q(requester, include_drafts), pk=document.pk).exists()


def search_visible(queryset, requester, query, include_drafts=False, **kwargs):
    """Search films or guides, after the access filter: the search backend only ranks what may be seen.

    Search backends filter only on indexed `FilterField`s, and the tier today
    depends on the consent row, so the access filter goes in as a subquery on
    the page id (indexed by Wagtail) rather than as the lookups themselves.
    """
    visible = filter_visible(queryset.model.objects.all(), requester, include_drafts=include_drafts)
    return queryset.filter(pk__in=visible.values("pk")).search(query, **kwargs)


def token_is_usable(api_token):
    """The project's token rule, for every route that takes a bearer token.

    Not revoked and its user active (Wagtail's rule); for a partner token,
    also not expired and its user still a member of the token's
    organisation (a member who leaves a structure takes none of its access
    along). `in_organisation` comes annotated by `library.api.auth.find_token`;
    a token loaded otherwise asks the database.

    A token of an organisation whose partnership is suspended or past its
    last day (`PartnerOrganisation.in_force`) is refused like a revoked one.

    A token with no partner row (made in Wagtail's own token UI) is an
    editor's tool and serves editors only: anyone else's, a partner's
    included, would escape expiry, membership and rate limit.
    """
    user = api_token.user
    if user is None or not user.is_active or api_token.revoked_at is not None:
        return False
    partner = getattr(api_token, "partner", None)
    if partner is None:
        return Requester(user=user).is_editor
    in_organisation = getattr(api_token, "in_organisation", None)
    if in_organisation is None:
        in_organisation = partner.organisation.members.filter(pk=user.pk).exists()
    return partner.is_valid and in_organisation and partner.organisation.in_force()

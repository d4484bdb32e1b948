"""Who may be offered a word of the lexicon: the audiences of a document, and of a requester.

A typo correction confirms that a word exists, so the lexicon may only offer
a requester words of items the search would show them. Each word is counted
per audience, in the terms of `library.access.rules.visible_q` (drafts are shown
to no one in search):

| audience           | documents counted                                         | offered to        |
| ------------------ | --------------------------------------------------------- | ----------------- |
| `public`           | live public films and guides, live unrestricted pages     | everyone          |
| `network`          | live network films and guides                             | partners, editors |
| `coordination:<C>` | live films and guides of C: internal, or consent with end | editors of C      |
| (none)             | drafts, pages under a view restriction                    | no one            |

National editors see every live item, so they are offered every word.

A film's consent can lapse with no one saving anything, so a public or
network count also carries the consent's last day in force (`until`); the
query keeps rows still in force today, and the same film is counted for its
coordination with no end, as its editors keep seeing it once it is internal.
Everything else that moves an item between audiences (publishing,
unpublishing, a tier change, a consent edited or narrowed by
`lapse_consents`, a move, a view restriction) reindexes it
(`search.signals`), which moves its counts.
"""

from django.db.models import Q
from django.utils import timezone

from wagtail.models import Page

from library.access.rules import consent_columns, current_tier
from library.core.tiers import Tier
from search.models import FOREVER

PUBLIC = "public"
NETWORK = "network"
TIER_AUDIENCES = {Tier.PUBLIC: PUBLIC, Tier.NETWORK: NETWORK}


def coordination_audience(coordination_id):
    return f"coordination:{coordination_id or 0}"


def unrestricted_ids(page_ids):
    """The live pages of `page_ids` under no view restriction (themselves or an ancestor): one query."""
    return set(Page.objects.filter(pk__in=page_ids).live().public().values_list("pk", flat=True))


def document_audiences(page, unrestricted, today=None):
    """[(audience, until)] of `page` (its specific instance) today; `unrestricted`: ids of `unrestricted_ids`."""
    from library.models import FilmPage, GuidePage

    if not page.live:
        return []
    if not isinstance(page, FilmPage | GuidePage):
        return [(PUBLIC, FOREVER)] if page.pk in unrestricted else []
    today = today or timezone.localdate()
    tier = Tier(current_tier(page, today))
    _cap, until = consent_columns(page)
    audiences = []
    if tier in TIER_AUDIENCES:
        audiences.append((TIER_AUDIENCES[tier], until or FOREVER))
    if tier == Tier.INTERNAL or until is not None:
        audiences.append((coordination_audience(page.coordination_id), FOREVER))
    return audiences


def offered_q(requester, today=None):
    """The lexicon rows `requester` may be offered (a filter on `SearchTerm`)."""
    if requester.is_national:
        return Q()
    audiences = [PUBLIC]
    if requester.in_network:
        audiences.append(NETWORK)
    audiences += [coordination_audience(pk) for pk in sorted(requester.edited_coordination_ids)]
    return Q(audience__in=audiences, until__gte=today or timezone.localdate())

"""Access tiers and consent scopes, and how they combine.

A film's effective tier is the lower of the editor's choice and what its
consent allows. Kept free of models so every surface can import it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    PUBLIC = "public", _("Public")
    NETWORK = "network", _("Network (partners)")
    INTERNAL = "internal", _("Internal (editors)")


class ConsentScope(models.TextChoices):
    NONE = "none", _("No authorisation")
    INTERNAL = "internal", _("Internal use")
    NETWORK = "network", _("Network screenings")
    PUBLIC = "public", _("Public online")


#: Wider is higher. INTERNAL is the floor: editors always see their own items.
TIER_RANK = {Tier.INTERNAL: 0, Tier.NETWORK: 1, Tier.PUBLIC: 2}
RANK_TIER = {rank: tier for tier, rank in TIER_RANK.items()}
SCOPE_CAP = {
    ConsentScope.NONE: Tier.INTERNAL,
    ConsentScope.INTERNAL: Tier.INTERNAL,
    ConsentScope.NETWORK: Tier.NETWORK,
    ConsentScope.PUBLIC: Tier.PUBLIC,
}


def lower_tier(*tiers):
    """The narrowest of `tiers`."""
    return RANK_TIER[min(TIER_RANK[Tier(t)] for t in tiers)]


def tiers_at_least(tier):
    """Every tier as wide as `tier` or wider (for queryset filters)."""
    return [t for t, rank in TIER_RANK.items() if rank >= TIER_RANK[Tier(tier)]]

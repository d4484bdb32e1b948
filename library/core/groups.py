"""Names of the groups that carry the network's roles."""

from django.utils.translation import gettext_lazy as _

#: Partner user accounts; they and their API tokens see the network tier.
PARTNERS_GROUP = "Partenaires"
#: National editors: edit everything and approve what regions submit.
NATIONAL_GROUP = "Coordination nationale"
#: Prefix of each coordination's editors' group.
COORDINATION_GROUP_PREFIX = "Éditeurs – "

GROUP_DESCRIPTIONS = {
    PARTNERS_GROUP: _("Partner structures: browse the network catalogue and download for screenings."),
    NATIONAL_GROUP: _("National editors: edit everything, approve regional submissions, translate."),
}

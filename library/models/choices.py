"""Choice lists shared by films and guides."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from library.core.departements import DEPARTEMENTS


class Licence(models.TextChoices):
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")
    CC_BY = "cc-by", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa", "CC BY-SA 4.0"
    CC_BY_ND = "cc-by-nd", "CC BY-ND 4.0"
    CC_BY_NC = "cc-by-nc", "CC BY-NC 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa", "CC BY-NC-SA 4.0"
    CC_BY_NC_ND = "cc-by-nc-nd", "CC BY-NC-ND 4.0"


LANGUAGE_CHOICES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("tr", _("Turkish")),
    ("wo", _("Wolof")),
    ("rcf", _("Reunion Creole")),
    ("gcf", _("Guadeloupean Creole")),
    ("fsl", _("French sign language (LSF)")),
]
LANGUAGE_CODES = {code for code, _label in LANGUAGE_CHOICES}

DEPARTEMENT_CHOICES = [(code, f"{code} – {name}") for code, name in DEPARTEMENTS.items()]

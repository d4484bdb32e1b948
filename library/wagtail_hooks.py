"""Wagtail hooks of the library: an index of the modules that register them."""

from library.admin import (
    api_tokens,  # noqa: F401 - Wagtail's stock API token screen taken away: the partner tokens' is the one
    catalogue_hooks,  # noqa: F401 - taxonomy, consent, partners, listings, dashboard, report
    consent_access_log,  # noqa: F401 - the log of consent scan openings, for national editors, under Reports
    consent_alerts,  # noqa: F401 - the dashboard's consent alerts and their "seen" button
    registration,  # noqa: F401 - video library, uploads, publish guard
    visibility_hooks,  # noqa: F401 - choosers, explorer, admin API, localize, bulk actions follow what editors may see
)
from library.api import preview  # noqa: F401 - the "preview on the public site" button and view
from library.importer import hooks  # noqa: F401 - the catalogue import screens, under Settings
from library.serving import wagtail_views  # noqa: F401 - page and document serving ask the access rule

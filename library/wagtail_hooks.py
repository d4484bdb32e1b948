"""Wagtail hooks of the library."""

from library import guarded_wagtail_views  # noqa: F401 - registers the access checks of Wagtail's surfaces
from library.admin import (
    catalogue_hooks,  # noqa: F401 - taxonomy, consent, partners, listings, dashboard, report
    registration,  # noqa: F401 - video library, uploads, publish guard
    visibility_hooks,  # noqa: F401 - admin pages API, localize's snippet API, bulk actions follow what editors may see
)
from library.api import preview  # noqa: F401 - the "preview on the public site" button and view

"""Wagtail hooks of the library."""

from library import access_hooks  # noqa: F401 - registers the access checks of Wagtail's surfaces
from library.admin import registration  # noqa: F401 - video library, uploads, publish guard

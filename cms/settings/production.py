"""Production: every security setting must come from the environment.

Importing this module fails with a message naming the missing variable when
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, WAGTAILADMIN_BASE_URL or
TRUSTED_PROXY_COUNT is not set, so a misconfigured
deployment stops at start-up rather than serving with a guessed value.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env


def _required(name, value):
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable: production settings have no default for it.")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY", env.str("SECRET_KEY", default=""))
ALLOWED_HOSTS = _required("ALLOWED_HOSTS", env.list("ALLOWED_HOSTS", default=[]))
_required("DATABASE_URL", env.str("DATABASE_URL", default=""))
# Absolute URLs of the API, the embed player, oEmbed and e-mails: never a guess such as localhost.
WAGTAILADMIN_BASE_URL = _required("WAGTAILADMIN_BASE_URL", env.str("WAGTAILADMIN_BASE_URL", default=""))
WAGTAILAPI_BASE_URL = env.str("WAGTAILAPI_BASE_URL", default="") or WAGTAILADMIN_BASE_URL
# How many proxies stand in front (0 is a valid answer): with a wrong guess every client
# would share the proxy's address, and one client's failed logins would lock everyone out.
TRUSTED_PROXY_COUNT = int(_required("TRUSTED_PROXY_COUNT", env.str("TRUSTED_PROXY_COUNT", default="")))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload directive only makes the domain eligible; joining the browsers'
# list still takes a manual submission at hstspreload.org.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Hashed file names so browsers never keep a stale admin script after an upgrade.
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405

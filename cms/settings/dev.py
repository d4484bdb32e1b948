"""The embedded default: `make demo` on any machine, no environment needed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A development key only; production.py refuses to start without a real one.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# `make demo` runs the public site on loopback and registers it as a webhook endpoint; webhooks never go to
# loopback otherwise (cms/webhooks/addresses.py). Development settings only.
if env.bool("DEMO_SITE_WEBHOOK", default=False):
    WEBHOOKS_ALLOW_HTTP = True
    WEBHOOKS_ALLOWED_NETWORKS_FOR_TESTS = ["127.0.0.1/32"]

"""The local administrator of the demo."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "passeurs-demo"  # noqa: S105 - printed demo credential, DEBUG only


def ensure_admin(stdout):
    """Create the demo superuser once; print its credentials only when DEBUG is on.

    Outside DEBUG the password is random and never printed: set one with
    `manage.py changepassword admin`.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_ADMIN_USERNAME).first()
    password = DEMO_ADMIN_PASSWORD if settings.DEBUG else secrets.token_urlsafe(24)
    if user is None:
        user_model.objects.create_superuser(
            DEMO_ADMIN_USERNAME, email="admin@example.org", password=password, first_name="Camille", last_name="Admin"
        )
        stdout.write("Administrator account created.")
    if settings.DEBUG:
        stdout.write(f"Admin login: {DEMO_ADMIN_USERNAME} / {DEMO_ADMIN_PASSWORD}")

"""The partner accounts' e-mails leave through the server EMAIL_URL names (read as an operator starts the CMS)."""

from tests.cms.test_boot import production_env
from tests.embedded import manage

SHOW = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)"
)


def test_email_url_sets_the_smtp_server_and_the_sender():
    env = production_env(
        "postgres://postgres@127.0.0.1:5432/cms",
        EMAIL_URL="smtp+tls://reseau:secret@smtp.example.org:587",
        DEFAULT_FROM_EMAIL="Réseau <bonjour@example.org>",
    )
    result = manage("shell", "-c", SHOW, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "django.core.mail.backends.smtp.EmailBackend smtp.example.org 587 reseau True Réseau <bonjour@example.org>"
    )


def test_the_embedded_default_prints_mails_on_the_console():
    result = manage("shell", "-c", SHOW, env={"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "ENV_FILE": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("django.core.mail.backends.console.EmailBackend ")

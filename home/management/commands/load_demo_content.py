"""`manage.py load_demo_content`: the demo site, in French and English."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from wagtail.models import Locale
from wagtail_localize.models import LocaleSynchronization

from home.demo.accounts import ensure_admin
from home.demo.pages import build_home, translate_pages


class Command(BaseCommand):
    help = "Load the demo content (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        # The demo's workflow steps notify its fictitious example.org accounts;
        # those e-mails would bury the credentials printed at the end.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._load()

    def _load(self):
        french, _ = Locale.objects.get_or_create(language_code="fr")
        others = [Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES[1:]]

        home, created = build_home(self.stdout)
        english = next((locale for locale in others if locale.language_code == "en"), None)
        if english is not None:
            translate_pages(home, created, english, self.stdout)
        for locale in others:
            # Future French pages are copied into every other language tree.
            LocaleSynchronization.objects.get_or_create(locale=locale, defaults={"sync_from": french})

        for step in self._catalogue_steps():
            step(self.stdout)
        ensure_admin(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))

    def _catalogue_steps(self):
        """Steps contributed by the library (taxonomy, coordinations, films...)."""
        try:
            from library.demo import STEPS
        except ImportError:
            return []
        return STEPS

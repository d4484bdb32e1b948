from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Media library")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Signal handlers: accessibility keeps films' flags in step with their video; processing
        # notes when a web request runs, so that work started there goes to a background thread.
        from library import accessibility, processing, signals  # noqa: F401
        from library.listing import triggers  # noqa: F401 - keeps the API lists' read model current

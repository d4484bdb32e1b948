from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Media library")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from library import receivers
        from library.wagtail_patches import patch_wagtail

        receivers.connect()
        patch_wagtail()

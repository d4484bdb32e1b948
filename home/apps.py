from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = _("Pages")

    def ready(self):
        import sys

        from home.api_language import localise_v3_schemas

        # The v3 page schemas are generated when this module is first imported.
        if "wagtail.api.v3.registry" in sys.modules:
            raise RuntimeError("wagtail.api.v3.registry was imported before the home app was ready")
        localise_v3_schemas()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Passeurs d'images CMS")

    def ready(self):
        from cms import caching, checks  # noqa: F401 - registers the system checks and cache receivers

        caching.connect_library_signals()

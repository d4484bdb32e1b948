"""The private storage: masters, renditions, text tracks and consent forms.

On S3 it is the same private bucket under `private/`, reached only through
short-lived signed URLs issued after an access check; on local disk it lives
outside MEDIA_ROOT so no static route can expose it.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def get_private_storage():
    """Callable for `FileField(storage=...)`, so migrations never pin a backend."""
    return private_storage


@receiver(setting_changed)
def reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty

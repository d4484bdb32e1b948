"""The private storage: masters, renditions, text tracks and consent forms.

On S3 it is the same private bucket under `private/`, reached only through
short-lived signed URLs issued after an access check; on local disk it lives
outside MEDIA_ROOT so no static route can expose it.
"""

import sys

from django.core.files.storage import storages
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def get_private_storage():
    """Callable for `FileField(storage=...)`, so migrations never pin a backend."""
    return private_storage


def reset_private_storage():
    """Forget the storage built from `STORAGES`, so the next use builds it from the new setting."""
    private_storage._wrapped = empty


def is_s3(storage):
    """Whether `storage` is an S3 storage, without importing boto3 on a site on local disk.

    An S3 storage object exists only once its module is imported, so looking
    the module up is enough.
    """
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        storage = storage._wrapped
    s3 = sys.modules.get("storages.backends.s3")
    return s3 is not None and isinstance(storage, s3.S3Storage)

"""Storage backends shared by media and private files."""

from storages.backends.s3 import S3Storage


class MediaS3Storage(S3Storage):
    """django-storages' S3 backend, private by default.

    The options (bucket, endpoint, signed URLs, checksum behaviour) all come
    from `STORAGES` in settings; this subclass exists so that every alias uses
    one named class that later code can recognise with `isinstance`.
    """

"""Storage backends shared by media and private files."""

from storages.backends.s3 import S3Storage


def s3_client_config():
    """The botocore settings every S3-compatible service here accepts.

    s3v4 is the only signature they all accept, path-style addressing works
    with any endpoint, and S3-compatible services (MinIO, Scaleway, OVHcloud,
    rclone) reject boto3's newer default checksums, hence "when_required".
    """
    from botocore.config import Config

    return Config(
        signature_version="s3v4",
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=5,
        retries={"max_attempts": 3, "mode": "standard"},
    )


class MediaS3Storage(S3Storage):
    """django-storages' S3 backend, private by default.

    The options (bucket, endpoint, signed URLs) come from `STORAGES` in
    settings; this subclass exists so that every alias uses one named class
    that later code can recognise with `isinstance`, and so that it can be
    rebuilt from its deconstructed form: Wagtail deletes a removed image's
    files in a background task that receives the storage as JSON, which a
    botocore `Config` object is not. The client configuration is therefore
    the class's own (`s3_client_config`), never an option.
    """

    def __init__(self, **settings):
        settings.setdefault("client_config", s3_client_config())
        super().__init__(**settings)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {name: value for name, value in kwargs.items() if name != "client_config"}

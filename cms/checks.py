"""System checks that reach the services a misconfiguration would break.

They run with every management command that runs checks (runserver, migrate,
check), so a wrong S3 endpoint is reported at start-up, in one line naming the
setting, instead of at the first upload.
"""

from django.core.checks import Error, register
from django.core.files.storage import storages


@register("services")
def check_media_storage(app_configs, **kwargs):
    from botocore.exceptions import BotoCoreError, ClientError

    from cms.storage import MediaS3Storage

    errors = []
    checked_buckets = set()
    for alias in ("default", "private"):
        storage = storages[alias]
        if not isinstance(storage, MediaS3Storage) or storage.bucket_name in checked_buckets:
            continue
        checked_buckets.add(storage.bucket_name)
        try:
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        except (BotoCoreError, ClientError, ValueError) as error:
            # botocore raises ValueError for an endpoint that is not a URL at all.
            reason = str(error).strip().splitlines()[0]
            errors.append(
                Error(
                    # One line: the variables to fix, the bucket, the endpoint and the reason.
                    f"AWS_S3_ENDPOINT_URL / AWS_STORAGE_BUCKET_NAME: cannot reach bucket {storage.bucket_name!r} "
                    f"at {storage.endpoint_url or 'AWS'} ({reason})",
                    id="cms.E001",
                )
            )
    return errors

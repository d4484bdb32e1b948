"""System checks that reach the services a misconfiguration would break.

They run with every management command that runs checks (runserver, migrate,
check), so a wrong S3 endpoint is reported at start-up, in one line naming the
setting, instead of at the first upload.
"""

from django.core.checks import Error, register
from django.core.files.storage import storages

from cms.storage import MediaS3Storage


@register("services")
def check_media_storage(app_configs, **kwargs):
    from botocore.exceptions import BotoCoreError, ClientError

    errors = []
    checked_buckets = set()
    for alias in ("default", "private"):
        storage = storages[alias]
        if not isinstance(storage, MediaS3Storage) or storage.bucket_name in checked_buckets:
            continue
        checked_buckets.add(storage.bucket_name)
        try:
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        except (BotoCoreError, ClientError) as error:
            reason = str(error).splitlines()[0]
            errors.append(
                Error(
                    f"AWS_S3_ENDPOINT_URL / AWS_STORAGE_BUCKET_NAME: cannot reach bucket "
                    f"{storage.bucket_name!r} ({reason})",
                    hint="Check the endpoint URL, the bucket name and the access keys in the environment.",
                    id="cms.E001",
                )
            )
    return errors

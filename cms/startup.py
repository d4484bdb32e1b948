"""Turn configuration mistakes into one line that names the setting.

A wrong DATABASE_URL or an unreachable S3 endpoint otherwise surfaces as a
long traceback from deep inside psycopg or botocore; an operator needs the
name of the variable to fix, not the driver's stack.
"""

import sys

from django.core.exceptions import ImproperlyConfigured


def describe_configuration_error(error):
    """Return a one-line message naming the setting behind `error`, or None."""
    from botocore.exceptions import BotoCoreError, ClientError

    from django.db.utils import OperationalError

    if isinstance(error, ImproperlyConfigured):
        return f"Configuration error: {error}"
    if isinstance(error, OperationalError):
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"DATABASE_URL: cannot use the database ({reason})"
    if isinstance(error, (BotoCoreError, ClientError)):
        reason = str(error).strip().splitlines()[0]
        return f"AWS_S3_ENDPOINT_URL / AWS_STORAGE_BUCKET_NAME: cannot reach the S3 storage ({reason})"
    return None


def run_with_clear_errors(argv):
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except Exception as error:
        message = describe_configuration_error(error)
        if message is None:
            raise
        sys.stderr.write(message + "\n")
        sys.exit(1)

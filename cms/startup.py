"""Turn configuration mistakes into one line that names the setting.

A wrong DATABASE_URL or an unreachable S3 endpoint otherwise surfaces as a
long traceback from deep inside psycopg or botocore; an operator needs the
name of the variable to fix, not the driver's stack.
"""

import sys

from django.core.exceptions import ImproperlyConfigured


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _database_unreachable():
    """The reason the default database cannot be reached, or None when it can.

    An OperationalError is only blamed on DATABASE_URL when a fresh connection
    fails too; "no such table" and similar errors are the schema's, not the URL's.
    """
    from django.db import connections
    from django.db.utils import Error

    connection = connections["default"]
    try:
        connection.close()
        connection.ensure_connection()
    except Error as error:
        return _first_line(error)
    return None


def describe_configuration_error(error):
    """Return a one-line message naming the setting behind `error`, or None."""
    from botocore.exceptions import BotoCoreError, ClientError

    from django.db.utils import OperationalError

    if isinstance(error, ImproperlyConfigured):
        return f"Configuration error: {error}"
    if isinstance(error, OperationalError):
        reason = _database_unreachable()
        return f"DATABASE_URL: cannot connect to the database ({reason})" if reason else None
    if isinstance(error, (BotoCoreError, ClientError)):
        return f"AWS_S3_ENDPOINT_URL / AWS_STORAGE_BUCKET_NAME: cannot reach the S3 storage ({_first_line(error)})"
    return None


def run_with_clear_errors(argv):
    """`execute_from_command_line`, printing one line instead of a traceback for configuration errors."""
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except Exception as error:
        if "--traceback" in argv:
            raise
        message = describe_configuration_error(error)
        if message is None:
            raise
        sys.stderr.write(message + "\n")
        sys.exit(1)

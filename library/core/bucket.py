"""Asking the bucket before promising a file, and reading files for a pack in chunks.

A signed URL is made on this machine without asking S3, so a stream or a
download handed out while the bucket is away fails later, in the client's
player or downloads folder, where nothing says why. So before a redirect
(and before a screening pack starts), `check` reads the object's metadata:
one HEAD, through a client of its own with short timeouts (`PROBE_CONFIG`),
about 1 ms on a nearby bucket. It answers for this very object, which a
cached "bucket up" flag would not: a missing object is `FileNotFoundError`
(a 404), and a bucket that refuses, drops or does not answer in time is
`StorageUnavailableError`, which `unavailable` answers as 503 with `Retry-After`
(`cms.unavailable`'s answer, with a detail about files).

Screening packs read their members through `open_stream`: on S3 a GET whose
body is read in chunks as the zip is written (django-storages' `S3File`
downloads a whole object to memory before its first read), with a read
timeout (`STREAM_CONFIG`) so that a bucket black-holed in the middle of a
pack ends the pack in seconds, not after botocore's default minute.

Local disk is never asked: its files are opened as before.
"""

import logging
import threading
import weakref

from django.http import Http404
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

from cms.unavailable import service_unavailable
from library.core.storage import is_s3

logger = logging.getLogger("library.bucket")

#: A HEAD before a redirect: a bucket that cannot answer this quickly is treated as away (worst case ~5 s).
PROBE_CONFIG = {"connect_timeout": 1, "read_timeout": 2, "retries": {"max_attempts": 2, "mode": "standard"}}
#: The GET of a pack's member: a read may wait for the bucket longer, not for botocore's default 60 s.
STREAM_CONFIG = {"connect_timeout": 2, "read_timeout": 10, "retries": {"max_attempts": 2, "mode": "standard"}}

_clients = weakref.WeakKeyDictionary()
_clients_lock = threading.Lock()


class StorageUnavailableError(Exception):
    """The bucket refused, dropped or did not answer a request in time."""


def _outage_errors():
    from botocore.exceptions import ConnectionError, HTTPClientError, IncompleteReadError

    # Connection refused or timed out, a read timed out or cut, a body shorter than announced.
    return (ConnectionError, HTTPClientError, IncompleteReadError, OSError)


def _status(error):
    return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)


def _unwrap(storage):
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        storage = storage._wrapped
    return storage


def _client(storage, purpose, options):
    """A botocore client of `storage` (its credentials, endpoint and config) with `options` on top, kept per storage.

    The storage's own client waits up to a minute for a read; these answer
    within the timeouts above. Clients are thread-safe; a storage rebuilt
    (a changed `STORAGES`) gets new ones.
    """
    with _clients_lock:
        client = _clients.setdefault(storage, {}).get(purpose)
    if client is None:
        from botocore.config import Config

        client = storage._create_session().client(
            "s3",
            region_name=storage.region_name,
            use_ssl=storage.use_ssl,
            endpoint_url=storage.endpoint_url,
            config=storage.client_config.merge(Config(**options)),
            verify=storage.verify,
        )
        with _clients_lock:
            client = _clients[storage].setdefault(purpose, client)
    return client


def _key(storage, name):
    from storages.utils import clean_name

    return storage._normalize_name(clean_name(name))


def check(storage, name):
    """Make sure `name` can be served from `storage` now (S3 only: local disk is not asked).

    Raises `FileNotFoundError` when the object is missing and
    `StorageUnavailableError` when the bucket does not answer (or answers 5xx).
    """
    storage = _unwrap(storage)
    if not is_s3(storage):
        return
    from botocore.exceptions import ClientError

    try:
        _client(storage, "probe", PROBE_CONFIG).head_object(Bucket=storage.bucket_name, Key=_key(storage, name))
    except ClientError as error:
        if _status(error) == 404:
            raise FileNotFoundError(name) from error
        if _status(error) >= 500:
            raise StorageUnavailableError(f"HEAD answered {_status(error)}") from error
        raise
    except _outage_errors() as error:
        raise StorageUnavailableError(type(error).__name__) from error


def unavailable(request):
    """The answer while the bucket is away: 503, `Retry-After`, problem+json on the API."""
    return service_unavailable(request, detail=_("Files cannot be read just now. Try again in a few seconds."))


def missing_file(name):
    """A visible item whose file is not in the bucket: a 404 that says so, and a warning for the editors' side."""
    logger.warning("stored file missing: %s", name)
    return Http404(_("This item's file cannot be found."))


def checked(request, storage, name):
    """None when `name` can be served from `storage`, else the 503 to send; a missing file raises a 404."""
    try:
        check(storage, name)
    except StorageUnavailableError as error:
        logger.warning("storage unavailable before serving %s: %s", name, error)
        return unavailable(request)
    except FileNotFoundError:
        raise missing_file(name) from None
    return None


class _Body:
    """An S3 object's body read in chunks; a failed read raises `StorageUnavailableError`, never a short file."""

    def __init__(self, body, name):
        self._body = body
        self._name = name

    def read(self, size=-1):
        try:
            # botocore checks the length: a body cut short raises instead of ending early.
            return self._body.read(None if size is None or size < 0 else size)
        except _outage_errors() as error:
            raise StorageUnavailableError(f"reading {self._name}: {type(error).__name__}") from error

    def close(self):
        self._body.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_stream(storage, name):
    """`name` opened for reading in chunks: on S3 a streamed GET, elsewhere `storage.open`.

    `storage` may be anything with an `open(name, mode)`, such as a pack's inline readme.
    """
    unwrapped = _unwrap(storage)
    if not is_s3(unwrapped):
        return storage.open(name, "rb")
    from botocore.exceptions import ClientError

    try:
        answer = _client(unwrapped, "stream", STREAM_CONFIG).get_object(
            Bucket=unwrapped.bucket_name, Key=_key(unwrapped, name)
        )
    except ClientError as error:
        if _status(error) == 404:
            raise FileNotFoundError(name) from error
        if _status(error) >= 500:
            raise StorageUnavailableError(f"GET {name} answered {_status(error)}") from error
        raise
    except _outage_errors() as error:
        raise StorageUnavailableError(f"GET {name}: {type(error).__name__}") from error
    return _Body(answer["Body"], name)

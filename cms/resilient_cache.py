"""Redis as a cache the site can live without: fail fast, fail open, say so once.

The cache only saves work (API answers, counters, the taxonomy's names), so
when Redis is away a request goes on without it rather than failing or
waiting. django-redis already turns a connection error into a miss
(`IGNORE_EXCEPTIONS`); this backend adds what production needs on top:

- **Fail fast.** After an error the cache is skipped for `RETRY_SECONDS`:
  requests do not each wait for a socket timeout against a black-holed host
  (an uncached list makes half a dozen cache calls). Then one call tries
  again; if it fails, the pause starts over.
- **Say so once.** One warning when an outage starts and one line when the
  cache answers again, instead of a traceback per call.

The socket timeouts themselves (`REDIS_TIMEOUT`) are set in the settings.
"""

import logging
import sys
import threading
import time

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger("cms.cache")

#: Seconds the cache is skipped after an error, before one call tries it again.
RETRY_SECONDS = 5.0


class Outage:
    """Whether the cache is to be skipped now, and the two log lines of an outage."""

    def __init__(self, retry_seconds):
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._failed_at = None
        self._probing = False

    def skip(self):
        """True while the last error is recent; past the pause, lets one call through to try."""
        with self._lock:
            if self._failed_at is None:
                return False
            if time.monotonic() - self._failed_at < self.retry_seconds:
                return True
            if self._probing:
                # The probe went through and nothing failed since: the cache is back.
                self._failed_at = None
                self._probing = False
                logger.warning("Cache reachable again; using it.")
                return False
            self._probing = True
            return False

    def failed(self):
        with self._lock:
            started = self._failed_at is None
            self._failed_at = time.monotonic()
            self._probing = False
        if started:
            logger.warning(
                "Cache unreachable; serving without it and trying again every %.0f s.",
                self.retry_seconds,
                exc_info=True,
            )


class CacheSkipped(ConnectionInterrupted):
    """Raised instead of calling Redis during the pause; django-redis answers it as a miss."""


class _OutageLogger:
    """Stands in for django-redis' logger: each ignored error is counted, not printed."""

    def __init__(self, outage):
        self.outage = outage

    def exception(self, *args, **kwargs):
        if not isinstance(sys.exc_info()[1], CacheSkipped):
            self.outage.failed()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        options = params.get("OPTIONS", {})
        self.outage = Outage(options.get("RETRY_SECONDS", RETRY_SECONDS))
        # django-redis calls `self.logger.exception()` for every error it ignores.
        self._ignore_exceptions = True
        self._log_ignored_exceptions = True
        self.logger = _OutageLogger(self.outage)

    @property
    def client(self):
        if self.outage.skip():
            # Caught by django-redis' `omit_exception`, which answers a miss at once.
            raise CacheSkipped(connection=None)
        return super().client

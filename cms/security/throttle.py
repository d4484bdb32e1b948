"""A fixed-window counter in the default cache: at most `limit` hits per key within `window`.

Used where django-axes does not reach (it counts failed logins only), e.g.
password-reset requests. With Redis (REDIS_URL) the counts are shared by
every worker; on the local-memory fallback each process counts its own.
"""

import math
import time

from django.core.cache import cache

PREFIX = "cms-throttle"


class Throttle:
    def __init__(self, scope, limit, window):
        self.scope = scope
        self.limit = limit
        self.window = window  # a timedelta

    def _keys(self, key):
        base = f"{PREFIX}:{self.scope}:{key}"
        return f"{base}:count", f"{base}:until"

    def hit(self, key):
        """Count one hit; True while `key` stays within the limit."""
        count_key, until_key = self._keys(key)
        seconds = math.ceil(self.window.total_seconds())
        # The window starts with the first hit; both keys expire together.
        if cache.add(until_key, time.time() + seconds, seconds):
            cache.set(count_key, 0, seconds)
        try:
            count = cache.incr(count_key)
        except ValueError:  # the count expired between the two calls: a new window
            cache.set(until_key, time.time() + seconds, seconds)
            cache.set(count_key, 1, seconds)
            count = 1
        return count <= self.limit

    def retry_after(self, key):
        """Seconds until the window of `key` ends (0 when none is open)."""
        until = cache.get(self._keys(key)[1])
        return max(0, math.ceil(until - time.time())) if until else 0

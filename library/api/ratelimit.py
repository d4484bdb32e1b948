"""Per-organisation rate limits of partner tokens (a cache counter per time window).

Every token of an organisation shares its budget, so a portal cannot
multiply it by issuing more tokens. The counter lives in the shared cache
(Redis in production), so every web worker sees the same count.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from wagtail.api.v3.errors import problem_response


class RateLimitError(Exception):
    def __init__(self, retry_after):
        super().__init__(_("Too many requests for this organisation; retry in %(s)d s.") % {"s": retry_after})
        self.retry_after = retry_after


def _hit(key, limit, window):
    now = time.time()
    bucket = int(now // window)
    cache_key = f"ratelimit:{key}:{window}:{bucket}"
    cache.add(cache_key, 0, window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, window + 5)
        count = 1
    if count is None:
        # The cache is away (cms.resilient_cache answers a miss): the limit
        # fails open rather than refusing every partner; the outage is logged there.
        return
    if count > limit:
        raise RateLimitError(max(1, int(window - now % window)))


def check_requests(organisation):
    """Every token request of an organisation: LIBRARY_API_REQUESTS_PER_MINUTE."""
    if organisation is not None:
        _hit(f"org:{organisation.pk}:requests", settings.LIBRARY_API_REQUESTS_PER_MINUTE, 60)


def check_downloads(organisation):
    """Downloads (masters, renditions, guides, screening packs): the organisation's hourly quota."""
    if organisation is not None:
        _hit(f"org:{organisation.pk}:downloads", organisation.download_rate_per_hour, 3600)


def rate_limited_response(request, exc):
    response = problem_response(status=429, detail=str(exc))
    response["Retry-After"] = str(exc.retry_after)
    response["Cache-Control"] = "private, no-store"
    return response

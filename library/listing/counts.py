"""The totals of the lists, kept until the read model changes.

A list's total needs every visible row, where its page needs twenty: on a
catalogue of thousands, counting is most of a list's database time. The
total only moves when an entry is written or deleted, a consent or a term
is edited, or the day changes (a consent ends at midnight), so it is kept in
the cache under a version number that each of those bumps, and today's date.
The page itself is always read from the database.

The version is bumped at once (so the same transaction sees its own
changes) and again when the transaction commits (so a total counted by
another request before the commit is never kept under the new version).
"""

import hashlib
import json

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

_VERSION_KEY = "library-listing:version"
#: Totals are recomputed at least this often, whatever the version says.
COUNT_TTL = 3600


def _bump():
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)


def changed():
    """The read model changed: every kept total is stale."""
    _bump()
    transaction.on_commit(_bump)


def count_key(kind, visibility, filters):
    """Where the total of one list is kept: its kind, who asks (as the access rule sees them), its filters."""
    identity = json.dumps([kind, visibility, filters], sort_keys=True, default=str)
    digest = hashlib.md5(identity.encode(), usedforsecurity=False).hexdigest()
    return f"library-listing:count:{timezone.localdate().isoformat()}:{digest}"


def lookup(key):
    """`(version, total)`: the current version, and the total kept under it (None if none is).

    One round trip to the cache for both.
    """
    found = cache.get_many([_VERSION_KEY, key])
    current = found.get(_VERSION_KEY)
    if current is None:
        current = 1
        cache.add(_VERSION_KEY, current, None)
    kept = found.get(key)
    return current, kept[1] if kept and kept[0] == current else None


def keep(key, version, total):
    """Keep `total` as counted under `version` (read before counting, so a change meanwhile discards it)."""
    cache.set(key, (version, total), COUNT_TTL)

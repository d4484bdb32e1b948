"""URLs of private-bucket files that stay the same for a while, and outlive every answer that carries them.

On S3 every rendition URL is signed and expires. Signing afresh for each
answer has three costs: every answer differs from the last (so no browser
or CDN keeps a poster, and no two answers share an ETag), signing takes
about 0.4 ms a URL, more than the rest of a list's work, and an answer kept
by the server cache or a client outlives URLs signed for only
`querystring_expire` seconds, so its images break.

So a URL, once signed, is kept in the cache (Redis in production, shared by
the workers) for `querystring_expire` seconds and handed out again. It is
signed to stay valid for as long as any copy of an answer carrying it may
still be used (`lifetime_seconds`).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

_KEY_PREFIX = "signed-url:"


def signs_urls(storage):
    """True when the storage's URLs are signed and expire (a private bucket)."""
    return bool(getattr(storage, "querystring_auth", False))


def lifetime_seconds(storage):
    """How long a URL handed out now must work.

    The sum of: how old it may be when handed out (it is reused for
    `querystring_expire` seconds), how long the server keeps an answer
    (`API_CACHE_TIMEOUT`), how long a client or CDN may then reuse it
    (`API_CACHE_MAX_AGE` and `API_CACHE_STALE`), and the time a client has to
    load it (`querystring_expire` again). With the defaults: 1,560 s.
    """
    reuse = storage.querystring_expire
    return reuse + settings.API_CACHE_TIMEOUT + settings.API_CACHE_MAX_AGE + settings.API_CACHE_STALE + reuse


def urls_for(storage, names):
    """`{name: URL}` for these stored file names: one cache round trip, and a signature only for the new ones."""
    names = set(names)
    if not signs_urls(storage):
        return {name: storage.url(name) for name in names}
    names_by_key = {cache_key(storage, name): name for name in names}
    urls = {names_by_key[key]: url for key, url in cache.get_many(list(names_by_key)).items()}
    signed = {}
    for key, name in names_by_key.items():
        if name not in urls:
            urls[name] = signed[key] = storage.url(name, expire=lifetime_seconds(storage))
    if signed:
        cache.set_many(signed, storage.querystring_expire)
    return urls


def cache_key(storage, name):
    where = f"{storage.bucket_name}/{storage.location}/{name}"
    return _KEY_PREFIX + hashlib.md5(where.encode(), usedforsecurity=False).hexdigest()

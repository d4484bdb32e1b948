"""Uploaders' file names: kept for Content-Disposition, never used as keys.

A name is refused rather than silently rewritten when it carries a path
(traversal attempts, or a client leaking its directory) or control
characters (header injection, terminal tricks), so the editor learns that
the name was wrong instead of finding a different one in the library.
"""

import unicodedata
from urllib.parse import quote

from django.utils.translation import gettext_lazy as _

from library.assets.media.errors import MediaError

MAX_NAME_LENGTH = 200


def clean_original_name(name):
    """Return the name, NFC-normalised, or raise `MediaError`."""
    if not isinstance(name, str) or not name.strip():
        raise MediaError(_("The file has no name."), code="name")
    name = unicodedata.normalize("NFC", name.strip())
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name):
        raise MediaError(_("The file name contains control characters; rename the file and try again."), code="name")
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith(".."):
        raise MediaError(_("The file name must not contain a path; rename the file and try again."), code="name")
    if len(name) > MAX_NAME_LENGTH:
        raise MediaError(
            _("The file name is too long (%(max)d characters at most).") % {"max": MAX_NAME_LENGTH}, code="name"
        )
    return name


def content_disposition(name, *, inline=False):
    """RFC 6266 header value: an ASCII fallback plus the exact UTF-8 name in `filename*`."""
    disposition = "inline" if inline else "attachment"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(char for char in ascii_name if char.isalnum() or char in " ._-()") or "download"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"

"""What a file is, from its first bytes: never from its name or Content-Type.

`filetype` knows the magic numbers of the containers editors send (MP4,
QuickTime, Matroska/WebM, AVI, MPEG) and of the things they must not send
(executables, archives, images). HTML and scripts have no magic number, so
anything that is not recognised as an allowed kind is refused.
"""

import filetype

from django.utils.translation import gettext_lazy as _

from library.assets.media.errors import MediaError

HEAD_SIZE = 8192

VIDEO_MIME_TYPES = {
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/x-matroska": "mkv",
    "video/webm": "webm",
    "video/x-msvideo": "avi",
    "video/mpeg": "mpg",
    "video/x-m4v": "m4v",
}


def read_head(fileobj, size=HEAD_SIZE):
    position = fileobj.tell() if hasattr(fileobj, "tell") else None
    head = fileobj.read(size)
    if position is not None and hasattr(fileobj, "seek"):
        fileobj.seek(position)
    return head


def guess_mime(head):
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    kind = filetype.guess(head)
    return kind.mime if kind else None


def describe(mime):
    return mime or _("an unknown or text format")


def check_video_head(head):
    """Return the container's usual extension, or raise `MediaError`."""
    if not head:
        raise MediaError(_("The file is empty."), code="empty")
    mime = guess_mime(head)
    if mime not in VIDEO_MIME_TYPES:
        raise MediaError(
            _("This file is not a video (its content is %(kind)s). Accepted: MP4, MOV, MKV, WebM, AVI, MPEG.")
            % {"kind": describe(mime)},
            code="type",
        )
    return VIDEO_MIME_TYPES[mime]


def check_pdf_head(head):
    if not head:
        raise MediaError(_("The file is empty."), code="empty")
    if not head.startswith(b"%PDF-"):
        raise MediaError(
            _("This file is not a PDF (its content is %(kind)s).") % {"kind": describe(guess_mime(head))}, code="type"
        )


def check_text_head(head):
    """Text tracks are text: refuse anything with a binary signature or NUL bytes."""
    if not head:
        raise MediaError(_("The file is empty."), code="empty")
    if guess_mime(head) is not None or b"\x00" in head:
        raise MediaError(_("This file is not a text file; WebVTT (.vtt) or SubRip (.srt) expected."), code="type")

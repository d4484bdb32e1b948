"""Guide PDFs: validated by content, checked for active content, read with pypdfium2.

A guide is downloaded by partners and opened on their machines, so a PDF
that runs JavaScript, launches a program, carries files or links to local
addresses is refused outright, with a message naming what was found.
`pdf_content` parses the file with pikepdf to find it; pdfium then counts
the pages and reads the text. Both open the file by path and read it on
demand, never whole into memory.
"""

import re
from dataclasses import dataclass

import pypdfium2 as pdfium

from django.utils.translation import gettext_lazy as _

from library.assets.media.errors import MediaError
from library.assets.media.pdf_content import UnreadablePdfError, find_active_content

STOPWORDS = {
    "fr": {"le", "la", "les", "des", "et", "est", "une", "du", "dans", "pour", "que", "qui", "avec", "sur", "pas"},
    "en": {"the", "and", "of", "to", "is", "in", "that", "for", "with", "on", "are", "this", "be", "as", "it"},
}

# In the order the messages are given when a file holds several kinds.
REFUSALS = {
    "javascript": _(
        "The PDF contains JavaScript, which could run on partners' computers. Export it again "
        "without scripts (for example “Print to PDF”) and upload it again."
    ),
    "launch": _("The PDF contains an action that launches a program. Export it again without it and upload it."),
    "xfa": _(
        "The PDF contains an XFA form with scripts, which could run on partners' computers. Export it again "
        "as an ordinary PDF (for example “Print to PDF”) and upload it again."
    ),
    "embedded_file": _(
        "The PDF contains embedded files (attachments), which partners' computers could open. Remove them, or "
        "export it again (for example “Print to PDF”), and upload it again."
    ),
    "uri": _(
        "The PDF contains a link that could run a script or open a file on partners' computers "
        "(%(addresses)s). Remove the link and upload it again."
    ),
    "file_action": _(
        "The PDF contains an action that opens or sends to a file on partners' computers (%(actions)s). "
        "Export it again without it and upload it again."
    ),
}


@dataclass
class PdfInfo:
    page_count: int
    text: str = ""


def _unreadable(error, *, password):
    """The refusal of a PDF that neither pikepdf nor pdfium could open, whichever found it."""
    if password:
        return MediaError(_("The PDF is protected by a password; upload an unprotected version."), code="password")
    return MediaError(_("The PDF is damaged and cannot be opened (%(detail)s).") % {"detail": error}, code="corrupt")


def check_active_content(path):
    """Raise `MediaError` naming every kind of active content the PDF at `path` holds."""
    try:
        found = find_active_content(path)
    except UnreadablePdfError as error:
        raise _unreadable(error, password=error.password) from error
    if not found:
        return
    values = {
        "addresses": ", ".join(
            str(_("a path on the computer")) if scheme == "path" else f"“{scheme}:”"
            for scheme in sorted(found.schemes)
        ),
        "actions": ", ".join(sorted(found.actions)),
    }
    kinds = [kind for kind in REFUSALS if kind in found.kinds]
    message = " ".join(str(REFUSALS[kind]) % values for kind in kinds)
    raise MediaError(message, code=kinds[0])


def inspect_pdf(path, *, extract_text=False):
    """Open, check and (optionally) read the text of a PDF; raise `MediaError` when refused."""
    with open(path, "rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise MediaError(_("This file is not a PDF."), code="type")
    check_active_content(path)
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise _unreadable(error, password="password" in str(error).lower()) from error
    try:
        page_count = len(document)
        if page_count == 0:
            raise MediaError(_("The PDF has no page."), code="corrupt")
        text = _extract_text(document) if extract_text else ""
        return PdfInfo(page_count=page_count, text=text)
    finally:
        document.close()


def _extract_text(document, max_chars=1_000_000):
    parts, total = [], 0
    for page in document:
        textpage = page.get_textpage()
        chunk = textpage.get_text_range()
        textpage.close()
        page.close()
        parts.append(chunk)
        total += len(chunk)
        if total >= max_chars:
            break
    return "\n".join(parts)[:max_chars].replace("\x00", "")


def guess_language(text):
    """ "fr" or "en" from the commonest function words, or "" when unsure."""
    words = re.findall(r"[a-zà-ÿ]+", text[:50_000].lower())
    scores = {code: sum(1 for word in words if word in stops) for code, stops in STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 5 and scores[best] > 2 * min(scores.values()) else ""


def render_first_page(path, width=800):
    """The first page as a Pillow image `width` pixels wide, for the guide's thumbnail."""
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[0]
        scale = width / page.get_width()
        image = page.render(scale=scale).to_pil()
        page.close()
        return image.convert("RGB")
    finally:
        document.close()

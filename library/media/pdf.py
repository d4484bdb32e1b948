"""Guide PDFs: validated by content, scanned for active content, read with pypdfium2.

A guide is downloaded by partners and opened on their machines, so a PDF
that runs JavaScript or launches a program on opening is refused outright.
pdfium reports document-level JavaScript; the byte scan below also finds
actions hidden in page annotations, open actions and compressed object
streams, including names obfuscated with `#xx` escapes. The file is read
through `mmap`, never loaded whole into memory.
"""

import mmap
import re
import zlib
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from django.utils.translation import gettext_lazy as _

from library.media.errors import MediaError

NAME = re.compile(rb"/[A-Za-z0-9#]{1,40}")
STREAM = re.compile(rb"stream\r?\n")
DANGEROUS = {b"/JavaScript": "javascript", b"/JS": "javascript", b"/Launch": "launch"}
MAX_INFLATED = 64 * 1024 * 1024

STOPWORDS = {
    "fr": {"le", "la", "les", "des", "et", "est", "une", "du", "dans", "pour", "que", "qui", "avec", "sur", "pas"},
    "en": {"the", "and", "of", "to", "is", "in", "that", "for", "with", "on", "are", "this", "be", "as", "it"},
}


@dataclass
class PdfInfo:
    page_count: int
    text: str = ""


def _decode_name(raw):
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda match: bytes([int(match.group(1), 16)]), raw)


def _names_in(data):
    for match in NAME.finditer(data):
        name = _decode_name(match.group(0))
        if name in DANGEROUS:
            yield DANGEROUS[name]


def find_active_content(path):
    """Return the set of active-content kinds found ("javascript", "launch")."""
    found = set()
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        found.update(_names_in(data))
        for match in STREAM.finditer(data):
            end = data.find(b"endstream", match.end())
            if end == -1:
                break
            inflater = zlib.decompressobj()
            try:
                chunk = inflater.decompress(data[match.end() : end], MAX_INFLATED)
            except zlib.error:
                continue  # not Flate-compressed (images, fonts): nothing to scan
            found.update(_names_in(chunk))
    return found


def _document_javascript_count(document):
    return pdfium_c.FPDFDoc_GetJavaScriptActionCount(document.raw)


def inspect_pdf(path, *, extract_text=False):
    """Open, check and (optionally) read the text of a PDF; raise `MediaError` when refused."""
    with open(path, "rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise MediaError(_("This file is not a PDF."), code="type")
    active = find_active_content(path)
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise MediaError(
                _("The PDF is protected by a password; upload an unprotected version."), code="password"
            ) from error
        raise MediaError(
            _("The PDF is damaged and cannot be opened (%(detail)s).") % {"detail": error}, code="corrupt"
        ) from error
    try:
        if _document_javascript_count(document) > 0:
            active.add("javascript")
        if "javascript" in active:
            raise MediaError(
                _(
                    "The PDF contains JavaScript, which could run on partners' computers. Export it again "
                    "without scripts (for example “Print to PDF”) and upload it again."
                ),
                code="javascript",
            )
        if "launch" in active:
            raise MediaError(
                _("The PDF contains an action that launches a program. Export it again without it and upload it."),
                code="launch",
            )
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

"""Demo step: a PDF for most guides, written by fpdf2 at run time from the guide's own texts.

Each PDF is validated like an upload (`inspect_pdf`) and stored as a guide
document; its text extraction and thumbnail run after commit, as for an
upload. The guides the catalogue marks `pdf = false` keep none, so the demo
also shows a guide without a document. The English translation is
synchronised from the French guide, so it offers the same PDF. Idempotent: a
guide that already has a document is left alone.
"""

import tempfile

from django.core.files.base import ContentFile
from django.db import transaction

from wagtail.models import Locale

from library.access.network import coordination_collection
from library.assets.media.pdf import inspect_pdf
from library.demo.records import demo_guides, english_table
from library.demo.translation import update_translation
from library.models import GuideDocument, GuideDocumentLink, GuidePage

SECTIONS = ("Avant la séance", "Pendant l'atelier", "Après la restitution")
SECTION_TEXT = (
    "Les participants découvrent les métiers du cinéma et de l'image. L'animateur prépare le "
    "matériel, le lieu et les autorisations de droit à l'image avec la structure partenaire."
)


def _latin1(text):
    replacements = {"’": "'", "œ": "oe", "Œ": "OE", "…": "...", "–": "-", "—": "-", "«": '"', "»": '"'}
    for source, target in replacements.items():
        text = text.replace(source, target)
    return text.encode("latin-1", "replace").decode("latin-1")


def guide_pdf(guide):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(_latin1(guide.title))
    pdf.add_page()
    pdf.set_font("helvetica", "B", 20)
    pdf.multi_cell(0, 12, _latin1(guide.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=12)
    pdf.ln(4)
    pdf.multi_cell(0, 7, _latin1(guide.summary), new_x="LMARGIN", new_y="NEXT")
    for heading in SECTIONS:
        pdf.add_page()
        pdf.set_font("helvetica", "B", 16)
        pdf.multi_cell(0, 10, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 7, _latin1(SECTION_TEXT), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def add_guide_document(guide):
    data = guide_pdf(guide)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        copy.write(data)
        copy.flush()
        info = inspect_pdf(copy.name)  # the same checks as an upload
    document = GuideDocument(title=guide.title, language="fr", page_count=info.page_count)
    if guide.coordination_id:
        document.collection = coordination_collection(guide.coordination)
    document.file.save("guide.pdf", ContentFile(data), save=False)
    document.save()  # text extraction and thumbnail run after commit
    guide.documents = [GuideDocumentLink(document=document, language="fr", label="Guide (PDF)")]
    guide.save_revision().publish()
    return document


def guides_without_document():
    """The live French guides the catalogue gives a PDF and that have no document yet."""
    wanted = {(spec.coordination, spec.title.fr) for spec in demo_guides() if spec.pdf}
    guides = (
        GuidePage.objects.live()
        .filter(locale__language_code="fr", documents__isnull=True)
        .select_related("coordination")
        .order_by("pk")
    )
    for guide in guides:
        if (guide.coordination.slug if guide.coordination_id else None, guide.title) in wanted:
            yield guide


def build_guide_documents(stdout):
    english = Locale.objects.filter(language_code="en").first()
    table = english_table()
    count = 0
    for guide in guides_without_document():
        with transaction.atomic():
            add_guide_document(guide)
            if english is not None and guide.has_translation(english):
                update_translation(guide, english, table)
        count += 1
    stdout.write(f"Guides: {count} PDFs generated.")

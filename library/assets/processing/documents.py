"""The guide document job: text for search, language guess, first-page thumbnail."""

import io
import logging

from django_tasks import task

from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.translation import gettext as _

from library.assets.media.errors import MediaError
from library.assets.processing import schedule
from library.assets.processing.files import local_copy
from library.assets.processing.scratch import job_directory
from library.models import GuideDocument, LibraryImage

logger = logging.getLogger(__name__)


def schedule_document_processing(document_id):
    return schedule(process_guide_document, document_id)


@task()
def process_guide_document(document_id):
    # pypdfium2 is imported by the job: the web worker only enqueues it.
    from library.assets.media.pdf import guess_language, inspect_pdf, render_first_page

    document = GuideDocument.objects.filter(pk=document_id).first()
    if document is None or not document.file:
        return "skipped"
    # A PDF is at most LIBRARY_MAX_DOCUMENT_SIZE and read once: it asks no room of the scratch space's bound.
    with job_directory("pdf-") as directory:
        path = local_copy(document.file, directory, "document.pdf")
        try:
            info = inspect_pdf(path, extract_text=True)
            image = render_first_page(path)
        except MediaError as error:
            logger.warning("guide document %s could not be read: %s", document_id, error)
            return "failed"
        except Exception:  # a PDF pdfium opens but cannot render: keep the document, log the cause
            logger.exception("guide document %s could not be rendered", document_id)
            return "failed"
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    thumbnail = LibraryImage(
        title=_("First page of “%(title)s”") % {"title": document.title}, collection=document.collection
    )
    thumbnail.file = ImageFile(buffer, name=f"guide-{document.pk}.png")
    thumbnail.save()
    old_thumbnail = document.thumbnail
    fields = {
        "page_count": info.page_count,
        "extracted_text": info.text,
        "thumbnail": thumbnail,
        "processed_at": timezone.now(),
    }
    if not document.language:
        fields["language"] = guess_language(info.text)
    GuideDocument.objects.filter(pk=document.pk).update(**fields)
    if old_thumbnail is not None:
        old_thumbnail.delete()
    document.refresh_from_db()
    document.save(update_fields=["extracted_text"])  # re-index the text for search
    return "ready"

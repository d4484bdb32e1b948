"""Admin screens of the catalogue import: upload and dry run, confirmation, progress, report.

National editors only (superusers count as national): an import creates and
moves films across every coordination, which is the national team's remit;
a regional editor gets a 403 (see docs/catalogue-import.md). One page per
job shows what the job's state calls for: the dry run row by row with the
"Import" button, the progress bar while the background task runs (the page
reloads itself with a meta refresh, no script), then the final report.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from library.access.admin_visibility import is_national
from library.importer import jobs
from library.importer.forms import CatalogueUploadForm
from library.models import CatalogueImport

REFRESH_SECONDS = 2
RECENT = 10
OUTCOMES = {
    "created": pgettext_lazy("catalogue import outcome", "Created"),
    "updated": pgettext_lazy("catalogue import outcome", "Updated"),
    "unchanged": pgettext_lazy("catalogue import outcome", "Unchanged"),
    "refused": pgettext_lazy("catalogue import outcome", "Refused"),
    "": pgettext_lazy("catalogue import outcome", "Not imported"),
}
PAGE_TITLE = gettext_lazy("Catalogue import")


def may_import(user):
    return is_national(user)


def _require_national(request):
    if not may_import(request.user):
        raise PermissionDenied


def _job(request, pk):
    _require_national(request)
    return get_object_or_404(CatalogueImport, pk=pk)


def _rows(section):
    """The stored rows with their outcome in words."""
    return [
        {**line, "outcome_label": OUTCOMES.get(line["outcome"], line["outcome"])} for line in section.get("lines", [])
    ]


def upload_view(request):
    _require_national(request)
    form = CatalogueUploadForm(request.POST, request.FILES) if request.method == "POST" else CatalogueUploadForm()
    if request.method == "POST" and form.is_valid():
        job = jobs.store_checked(form.cleaned_data["file"], form.file_format, form.report, request.user)
        return redirect("library_catalogue_import:detail", job.pk)
    return TemplateResponse(
        request,
        "library/admin/catalogue_import/upload.html",
        {
            "form": form,
            "recent": CatalogueImport.objects.select_related("created_by")[:RECENT],
            "page_title": PAGE_TITLE,
            "header_icon": "upload",
        },
    )


def detail_view(request, pk):
    job = _job(request, pk)
    context = {
        "job": job,
        "page_title": PAGE_TITLE,
        "page_subtitle": job.file_name,
        "header_icon": "upload",
    }
    dry = job.report.get("dry_run", {})
    if job.status == CatalogueImport.Status.CHECKED:
        accepted = dry.get("created", 0) + dry.get("updated", 0)
        context.update(dry=dry, rows=_rows(dry), accepted=accepted)
        template = "library/admin/catalogue_import/dry_run.html"
    elif job.status in (CatalogueImport.Status.QUEUED, CatalogueImport.Status.RUNNING):
        context.update(progress=jobs.read_progress(job), refresh=REFRESH_SECONDS)
        template = "library/admin/catalogue_import/progress.html"
    else:
        result = job.report.get("result", {})
        context.update(result=result, rows=_rows(result) if result else _rows(dry))
        template = "library/admin/catalogue_import/report.html"
    return TemplateResponse(request, template, context)


@require_POST
def start_view(request, pk):
    job = _job(request, pk)
    refused = job.report.get("dry_run", {}).get("refused", 0)
    # The editor confirms what the dry run said: with refused rows, only the accepted ones.
    if jobs.start(job, skip_errors=bool(refused)):
        messages.success(request, _("The import has started."))
    else:
        messages.warning(request, _("This import has already been started or cancelled."))
    return redirect("library_catalogue_import:detail", job.pk)


@require_POST
def cancel_view(request, pk):
    job = _job(request, pk)
    if jobs.cancel(job):
        messages.success(request, _("Import cancelled: the file has been deleted."))
    return redirect("library_catalogue_import:upload")

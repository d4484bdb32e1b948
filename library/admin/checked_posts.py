"""Two admin views that use a posted value without checking it, given the check first.

- Wagtail's page copy view looks up the posted `new_parent_page` with
  `Page.objects.get` before its form validates: a malformed or unknown id
  raised `ValueError` / `DoesNotExist`, a 500.
- wagtail-localize's PO upload reads the `X-WagtailLocalize-TranslationID`
  header of the uploaded file with `metadata[...]`: a PO file that was not
  exported from a translation of this site raised `KeyError`, a 500. An
  editor can do that by choosing the wrong file.

Each view checks the value, refuses with `RequestRefusedError` (a 400 with a
message, `library.admin.bad_request`), then hands the request to Wagtail's
or wagtail-localize's own view. Both are mounted ahead of the originals at
the same paths (cms/urls.py).
"""

import contextlib
import os
import tempfile

import polib

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from wagtail.admin.views.pages.copy import CopyView
from wagtail.models import Page
from wagtail_localize.models import Translation
from wagtail_localize.views.edit_translation import upload_pofile, user_can_edit_instance

from library.admin.bad_request import RequestRefusedError

#: The header wagtail-localize writes into every PO file it exports.
PO_TRANSLATION_HEADER = "X-WagtailLocalize-TranslationID"


class CheckedCopyView(CopyView):
    def post(self, request, page_id, *args, **kwargs):
        parent_id = request.POST.get("new_parent_page")
        if parent_id is not None and not (parent_id.isdigit() and Page.objects.filter(pk=parent_id).exists()):
            raise RequestRefusedError(_("The destination page chosen for the copy does not exist. Choose it again."))
        return super().post(request, page_id, *args, **kwargs)


def _po_metadata(upload):
    """The PO file's header, or None when it does not parse (wagtail-localize then says so itself).

    polib reads a path (given text, it would open a file that text names), so
    the upload goes through a temporary file, as wagtail-localize does.
    """
    with tempfile.NamedTemporaryFile(suffix=".po", delete=False) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
    try:
        return polib.pofile(copy.name).metadata
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(copy.name)
        upload.seek(0)


def checked_upload_pofile(request, translation_id):
    translation = get_object_or_404(Translation, id=translation_id)
    if not user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is not None:
        metadata = _po_metadata(upload)
        if metadata is not None and PO_TRANSLATION_HEADER not in metadata:
            raise RequestRefusedError(
                _(
                    "This PO file was not exported from a translation of this site: download it again from the translation editor."
                )
            )
    return upload_pofile(request, translation_id)

"""`/media/` on local disk: image files served by the app, each after the access check.

On local disk, images and their renditions live under MEDIA_ROOT at names
anyone can guess (`original_images/<upload name>`, `images/<name>.<spec>`).
Django's static route would hand a hidden film's poster or an internal
guide's first page to whoever asks for it. This view serves a file only when
it is an image's original or one of its renditions, and only to who may see
that image (`library.access.rules.can_view_image`, drafts included: editors'
previews load their images through it); anything else under MEDIA_ROOT
answers 404. It is mounted in every environment, so that a site on local
disk never needs MEDIA_ROOT exposed by a web server (which would skip the
check). On S3 it serves nothing: files are reached by signed URLs only.
"""

import re

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import Http404
from django.urls import re_path
from django.utils.cache import patch_cache_control
from django.utils.functional import LazyObject, empty
from django.views.static import serve

from wagtail.images import get_image_model

from library.access import rules as access
from library.access.rules import Requester
from library.models.renditions import rendition_storage


def _local(storage):
    """The storage itself if it writes to local disk, else None."""
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        storage = storage._wrapped
    return storage if isinstance(storage, FileSystemStorage) else None


def _image_and_storage(path):
    """The image whose original or rendition is stored at `path` on local disk, and that storage."""
    model = get_image_model()
    storage = _local(model._meta.get_field("file").storage)
    if storage is not None:
        image = model.objects.filter(file=path).first()
        if image is not None:
            return image, storage
    storage = _local(rendition_storage())
    if storage is not None:
        rendition = model.get_rendition_model().objects.filter(file=path).select_related("image").first()
        if rendition is not None:
            return rendition.image, storage
    return None, None


def serve_media(request, path):
    image, storage = _image_and_storage(path)
    if image is None or not access.can_view_image(Requester.from_request(request), image, include_drafts=True):
        raise Http404
    response = serve(request, path, document_root=storage.location)
    if not access.can_view_image(access.ANONYMOUS, image):
        patch_cache_control(response, private=True)
    return response


def media_urlpatterns():
    """The `/media/` route, when MEDIA_URL is a path of this site (not another host's address)."""
    prefix = settings.MEDIA_URL
    if not prefix.startswith("/") or prefix.startswith("//"):
        return []
    return [re_path(rf"^{re.escape(prefix.lstrip('/'))}(?P<path>.+)$", serve_media, name="library_media")]

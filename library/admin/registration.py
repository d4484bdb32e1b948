"""Wagtail hooks of the asset admin, imported by library/wagtail_hooks.py."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from library.admin.videos import video_chooser_viewset, video_viewset
from library.models import FilmPage, ProcessingStatus


@hooks.register("register_admin_viewset")
def register_video_viewsets():
    return [video_viewset, video_chooser_viewset]


@hooks.register("register_admin_urls")
def register_upload_urls():
    return [path("library/uploads/", include("library.uploads.urls", namespace="library_uploads"))]


def film_publish_problem(page):
    """Why this film cannot be published now, or None."""
    if not isinstance(page, FilmPage) or not page.video_id:
        return None
    status = type(page.video).objects.filter(pk=page.video_id).values_list("status", flat=True).first()
    if status == ProcessingStatus.READY:
        return None
    return _(
        "The film cannot be published before its video is ready (its state is “%(state)s”). "
        "Your changes are saved as a draft; publish again once processing has finished."
    ) % {"state": ProcessingStatus(status).label if status else _("missing")}


@hooks.register("before_publish_page")
def refuse_film_with_unready_video(request, page):
    problem = film_publish_problem(page.specific_deferred if hasattr(page, "specific_deferred") else page)
    if problem:
        messages.error(request, problem)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None

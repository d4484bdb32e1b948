"""Wagtail hooks of the asset admin, imported by library/wagtail_hooks.py."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path

from wagtail import hooks

from library.admin.videos import video_chooser_viewset, video_viewset
from library.publishing import film_publish_problem


@hooks.register("register_admin_viewset")
def register_video_viewsets():
    return [video_viewset, video_chooser_viewset]


@hooks.register("register_admin_urls")
def register_upload_urls():
    return [path("library/uploads/", include("library.uploads.urls", namespace="library_uploads"))]


@hooks.register("before_publish_page")
def refuse_film_with_unready_video(request, page):
    problem = film_publish_problem(page.specific_deferred if hasattr(page, "specific_deferred") else page)
    if problem:
        messages.error(request, problem)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None

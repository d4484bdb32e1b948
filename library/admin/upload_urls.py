"""Mounted under the admin (`/admin/library/uploads/`) by library.wagtail_hooks."""

from django.urls import path

from library.admin import uploads as views

app_name = "library_uploads"
urlpatterns = [
    path("", views.create, name="create"),
    path("<uuid:session_id>/", views.status, name="status"),
    path("<uuid:session_id>/parts/", views.parts, name="parts"),
    path("<uuid:session_id>/chunk/", views.chunk, name="chunk"),
    path("<uuid:session_id>/finalize/", views.finalize, name="finalize"),
    path("<uuid:session_id>/abort/", views.abort, name="abort"),
]

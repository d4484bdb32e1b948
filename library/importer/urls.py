"""Mounted under the admin (`/admin/library/catalogue-import/`) by library.importer.hooks."""

from django.urls import path

from library.importer import views

app_name = "library_catalogue_import"
urlpatterns = [
    path("", views.upload_view, name="upload"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/start/", views.start_view, name="start"),
    path("<int:pk>/cancel/", views.cancel_view, name="cancel"),
]

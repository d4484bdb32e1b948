"""Mounted at the site root by `cms/urls.py`: `/embed/...` and `/api/oembed/`."""

from django.urls import path

from library.embed import views

app_name = "library_embed"

urlpatterns = [
    path("embed/films/<int:film_id>/", views.player, name="film"),
    path("embed/films/<int:film_id>/tracks/<int:track_id>.vtt", views.track, name="track"),
    path("api/oembed/", views.oembed, name="oembed"),
]

"""Wagtail hooks of the asset admin, imported by library/wagtail_hooks.py."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path
from django.utils import timezone

from wagtail import hooks

from library.admin.asset_api import CollectionScopedDocumentsAdminAPIViewSet, CollectionScopedImagesAdminAPIViewSet
from library.admin.asset_bulk_actions import SCOPED_BULK_ACTIONS
from library.admin.film_from_video import preset_film_video
from library.admin.videos import video_chooser_viewset, video_viewset
from library.models.publishing import POSTPONED_ACTION, POSTPONED_LABEL, POSTPONED_MESSAGE, film_publish_problem


@hooks.register("register_admin_viewset")
def register_video_viewsets():
    return [video_viewset, video_chooser_viewset]


@hooks.register("construct_admin_api", order=100)
def scope_asset_admin_api(router):
    """After Wagtail's own hooks, so these endpoints replace its images and documents ones."""
    router.register_endpoint("images", CollectionScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", CollectionScopedDocumentsAdminAPIViewSet)


for action_class in SCOPED_BULK_ACTIONS:  # after Wagtail's (order 0), so they replace them
    hooks.register("register_bulk_action", action_class, order=100)


@hooks.register("register_admin_urls")
def register_upload_urls():
    return [path("library/uploads/", include("library.admin.upload_urls", namespace="library_uploads"))]


hooks.register("before_create_page", preset_film_video)  # "Créer un film avec cette vidéo" chooses the video


@hooks.register("before_publish_page")
def refuse_film_with_unready_video(request, page):
    """Refuse with a message rather than the model's error; scheduling for later is allowed."""
    if page.go_live_at and page.go_live_at > timezone.now():
        return None
    problem = film_publish_problem(page.specific_deferred if hasattr(page, "specific_deferred") else page)
    if problem:
        messages.error(request, problem)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_of_unready_films(request, action_type, objects, action_class_instance):
    """Bulk publishing stops, with the film named, instead of failing half-way on the model's refusal."""
    if action_type != "publish":
        return None
    from library.models import FilmPage

    pages = list(objects)
    form = getattr(action_class_instance, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in list(pages):
            pages.extend(page.get_descendants().not_live().type(FilmPage))
    for page in pages:
        revision = page.get_latest_revision()
        film = revision.as_object() if revision is not None else page.specific
        problem = film_publish_problem(film)
        if problem:
            messages.error(request, f"{film.title}: {problem}")
            return redirect(action_class_instance.next_url)
    return None


@hooks.register("register_log_actions")
def register_publication_log_actions(actions):
    actions.register_action(POSTPONED_ACTION, POSTPONED_LABEL, POSTPONED_MESSAGE)

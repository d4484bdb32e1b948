"""The video library in the admin: listing, upload screen, edit, delete, chooser.

Built on Wagtail's `ModelViewSet` and `ChooserViewSet`, so listing filters,
search, usage report ("used by these pages") and the chooser widget of
`FilmPage.video` come from Wagtail. What is ours: the upload screen (the
`add` view), the processing panel on the edit view with a retry button, and
a delete view that refuses while a page uses the video, listing the pages.
The edit view also plays the 360p rendition and lists the video's tracks and
films, with a link to create a film with it (`video_page`).
Every view that takes a video's ID checks the permission on that video's
collection (`instance_permissions`), and the edit form keeps the video and
its sign-language version within the editor's collections (`video_forms`).
"""

from django.contrib import messages
from django.db.models import Q
from django.forms import modelform_factory
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.filters import CollectionFilter, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ReferenceIndex

from library.access.asset_policies import video_permission_policy
from library.admin import video_page
from library.admin.collection_scope import (
    CollectionScopedChooserViewSetMixin,
    CollectionScopedDeleteView,
    CollectionScopedEditView,
    CollectionScopedViewSetMixin,
    get_permitted_object,
)
from library.admin.tables import LocalDateColumn
from library.admin.video_forms import VideoForm
from library.assets.uploads.finalize import human_size, max_size
from library.models import FilmPage, ProcessingStatus, Video


def format_duration(video):
    if not video.duration:
        return "–"
    minutes, seconds = divmod(round(video.duration), 60)
    return f"{minutes}:{seconds:02d}"


class VideoFilterSet(WagtailFilterSet):
    """Filter by processing state, and by collection among those the editor works in."""

    class Meta:
        model = Video
        fields = ["status"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, **kwargs):
        super().__init__(data, queryset, request=request, prefix=prefix)
        collections = video_permission_policy.collections_user_has_any_permission_for(
            request.user, ["add", "change", "choose"]
        )
        if collections.count() > 1:
            self.filters["collection_id"] = CollectionFilter(
                field_name="collection_id", label=_("Collection"), queryset=collections
            )


class VideoIndexView(generic.IndexView):
    #: The add button opens the upload screen: Wagtail's own label reads "Ajouter un(e) vidéo".
    add_item_label = _("Upload videos")

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("collection")
        return queryset.filter(
            pk__in=video_permission_policy.instances_user_has_any_permission_for(
                self.request.user, ["change", "delete", "choose"]
            ).values("pk")
        )


class VideoEditView(CollectionScopedEditView):
    template_name = "library/admin/videos/edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        video = self.object
        context.update(
            video=video,
            text_tracks=video.text_tracks.all(),
            duration=format_duration(video),
            size=human_size(video.file_size) if video.file_size else "–",
            retry_url=reverse("library_videos:retry", args=[video.pk]),
            tracks_url=reverse("library_videos:tracks", args=[video.pk]),
            can_retry=video.status in (ProcessingStatus.FAILED, ProcessingStatus.PROCESSING),
            **video_page.context(video, self.request, pages_using(video)),
        )
        return context


def pages_using(video):
    """Every page that points at the video: live columns and the reference index (drafts, blocks)."""
    pages = {film.pk: film for film in FilmPage.objects.filter(video=video).only("pk", "title")}
    for source, _references in ReferenceIndex.get_grouped_references_to(video):
        page = getattr(source, "page_ptr", None) or (source if hasattr(source, "get_url_parts") else None)
        if page is not None and page.pk not in pages:
            pages[page.pk] = page
    return sorted(pages.values(), key=lambda page: page.title)


class VideoDeleteView(CollectionScopedDeleteView):
    template_name = "library/admin/videos/confirm_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blocking_pages"] = [
            (page, reverse("wagtailadmin_pages:edit", args=[page.pk])) for page in pages_using(self.object)
        ]
        context["is_protected"] = bool(context["blocking_pages"]) or context.get("is_protected", False)
        return context

    def form_valid(self, form):
        blocking = pages_using(self.object)
        if blocking:
            messages.error(
                self.request,
                _("This video is used by %(pages)s; remove it from these pages before deleting it.")
                % {"pages": ", ".join(f"« {page.title} »" for page in blocking)},
            )
            return redirect(self.get_delete_url())
        return super().form_valid(form)


class VideoUploadView(WagtailAdminTemplateMixin, TemplateView):
    """The upload screen: several files at once, straight to S3 or in chunks to the server."""

    template_name = "library/admin/videos/upload.html"
    page_title = _("Upload videos")
    header_icon = "media"

    def get_breadcrumbs_items(self):
        # Without them the header shows Wagtail's default trail, "Accueil" alone, as if this were the dashboard.
        return self.breadcrumbs_items + [
            {"url": reverse("library_videos:index"), "label": _("Videos")},
            {"url": "", "label": self.page_title},
        ]

    def dispatch(self, request, *args, **kwargs):
        if not video_permission_policy.user_has_permission(request.user, "add"):
            from wagtail.admin.auth import permission_denied

            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        collections = video_permission_policy.collections_user_has_permission_for(self.request.user, "add")
        status_url = reverse("library_uploads:status", args=["00000000-0000-0000-0000-000000000000"])
        context.update(
            collections=collections.order_by("path"),
            max_size=human_size(max_size("video")),
            config={
                "createUrl": reverse("library_uploads:create"),
                "statusUrl": status_url,
                "maxSize": max_size("video"),
                "parallel": 6,  # Chromium and Firefox open at most six connections per host
                "strings": {
                    "waiting": str(_("Waiting")),
                    "uploading": str(_("Uploading")),
                    "checking": str(_("Checking the file…")),
                    "processing": str(_("Uploaded; processing in the background")),
                    "ready": str(_("Ready")),
                    "failed": str(_("Processing failed")),
                    "cancelled": str(_("Cancelled")),
                    "error": str(_("Error")),
                    "resumed": str(_("Resuming an interrupted upload")),
                    "timeLeft": str(_("%(time)s left")),
                    "tooLarge": str(_("This file is larger than the limit (%(limit)s).")),
                    "network": str(_("The connection was lost; the upload will resume where it stopped.")),
                    "edit": str(_("Edit the video")),
                },
            },
        )
        return context


@require_POST
def retry(request, pk):
    from library.assets.processing.videos import reset_for_retry

    video = get_permitted_object(request, Video, pk, ["change"])
    if reset_for_retry(video):
        messages.success(request, _("The video is queued for processing again."))
    else:
        messages.warning(request, _("This video is not failed or stuck; nothing to retry."))
    return redirect("library_videos:edit", video.pk)


class VideoViewSet(CollectionScopedViewSetMixin, ModelViewSet):
    model = Video
    icon = "media"
    menu_label = _("Videos")
    menu_order = 250
    add_to_admin_menu = True
    name = "library_videos"
    url_prefix = "library/videos"
    filterset_class = VideoFilterSet
    search_fields = ["title", "original_filename"]
    search_backend_name = None
    list_display = [
        "title",
        Column("status", label=_("Processing state"), accessor="get_status_display", classname="library-nowrap"),
        Column("duration", label=_("Duration"), accessor=format_duration),
        "collection",
        LocalDateColumn("created_at", label=_("Uploaded at"), sort_key="created_at", classname="library-nowrap"),
    ]
    list_export = ["title", "status", "duration", "width", "height", "original_filename", "created_at"]
    index_view_class = VideoIndexView
    edit_view_class = VideoEditView
    delete_view_class = VideoDeleteView

    @property
    def add_view(self):
        return VideoUploadView.as_view()

    def get_form_class(self, for_update=False):
        # Built when the views are, once the video chooser has registered its widget for `ForeignKey(Video)`.
        return modelform_factory(Video, form=VideoForm, fields=VideoForm._meta.fields)

    def get_urlpatterns(self):
        from library.admin.tracks import delete_track, tracks_view

        return super().get_urlpatterns() + [
            path("retry/<int:pk>/", retry, name="retry"),
            path("play/<int:pk>/", video_page.play, name="play"),
            path("play/<int:pk>/tracks/<int:track_id>/", video_page.track_file, name="track_file"),
            path("tracks/<int:pk>/", tracks_view, name="tracks"),
            path("tracks/<int:pk>/delete/<int:track_id>/", delete_track, name="delete_track"),
        ]


class ChoosableVideosMixin:
    """Only videos the editor may choose (their collections), failed ones left out."""

    def get_object_list(self):
        return (
            video_permission_policy.instances_user_has_permission_for(self.request.user, "choose")
            .filter(~Q(status=ProcessingStatus.FAILED))
            .select_related("collection")
        )


class VideoChooseView(ChoosableVideosMixin, chooser_views.ChooseView):
    pass


class VideoChooseResultsView(ChoosableVideosMixin, chooser_views.ChooseResultsView):
    pass


class VideoChooserViewSet(CollectionScopedChooserViewSetMixin, ChooserViewSet):
    model = Video
    icon = "media"
    name = "library_video_chooser"
    choose_one_text = _("Choose a video")
    choose_another_text = _("Choose another video")
    edit_item_text = _("Edit this video")
    register_widget = True
    choose_view_class = VideoChooseView
    choose_results_view_class = VideoChooseResultsView


video_viewset = VideoViewSet()
video_chooser_viewset = VideoChooserViewSet()

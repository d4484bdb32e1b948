""" "Créer un film avec cette vidéo": Wagtail's film creation form, in the video's coordination, with the video chosen.

The link is the Films listing's creation form (`films:add`, Wagtail's own
creation view served under the listing's URL) under the coordination
whose collection holds the video (`library.access.network.coordination_collection`
names a coordination's collection after it), or, for a video of another
collection, under the only coordination the editor may add films to. It
carries `?video=<id>`.

Wagtail builds the creation form without the request, so the
`before_create_page` hook, which has it, reads the parameter: it keeps the
video only if the editor may choose it (the chooser's rule: their own
collections, failed videos left out), and hands it to the form on the
parent page object that Wagtail passes to the form for this one request
(`FILM_PRESET_ATTRIBUTE`); `FilmPageForm` sets it as the initial video and
title. A parameter naming a video the editor may not choose is ignored, so
the form never shows another collection's video title.
"""

from django.db.models import Q
from django.urls import reverse

from wagtail.models import Collection, Locale

from library.access.asset_policies import video_permission_policy
from library.models import CoordinationPage, FilmPage, ProcessingStatus
from library.models.forms import FILM_PRESET_ATTRIBUTE

PARAMETER = "video"


def video_coordination(video):
    """The coordination whose collection (a child of the root) holds the video, or None."""
    collection = video.collection
    if collection is None or collection.depth < 2:
        return None
    top = collection if collection.depth == 2 else collection.get_ancestors().filter(depth=2).first()
    if top is None or not Collection.get_first_root_node().get_children().filter(pk=top.pk).exists():
        return None
    return CoordinationPage.objects.filter(title=top.name, locale=Locale.get_default()).order_by("path").first()


def _may_add_film(user, coordination):
    return coordination is not None and coordination.permissions_for_user(user).can_add_subpage()


def film_parent(video, user):
    """Where the editor creates a film with this video: its coordination, else their only one."""
    coordination = video_coordination(video)
    if _may_add_film(user, coordination):
        return coordination
    default = Locale.get_default()
    candidates = [
        page
        for page in CoordinationPage.objects.filter(locale=default).order_by("path")
        if page.permissions_for_user(user).can_add_subpage()
    ]
    return candidates[0] if len(candidates) == 1 else None


def create_film_url(video, user):
    """The link of "Créer un film avec cette vidéo", or "" when the editor may add a film nowhere it fits."""
    if video.status == ProcessingStatus.FAILED:
        return ""
    parent = film_parent(video, user)
    if parent is None:
        return ""
    add = reverse("films:add", args=[parent.pk])
    return f"{add}?{PARAMETER}={video.pk}"


def chosen_video(request):
    """The video named by `?video=`, if the editor may choose it; else None."""
    value = request.GET.get(PARAMETER, "")
    if not value.isdigit() or int(value) > 2**31 - 1:
        return None
    choosable = video_permission_policy.instances_user_has_permission_for(request.user, "choose")
    return choosable.filter(~Q(status=ProcessingStatus.FAILED), pk=int(value)).first()


def preset_film_video(request, parent_page, page_class):
    """`before_create_page` (registered by `library.admin.registration`): a film made from a video starts with it."""
    if request.method == "GET" and issubclass(page_class, FilmPage) and PARAMETER in request.GET:
        video = chosen_video(request)
        if video is not None:
            setattr(parent_page, FILM_PRESET_ATTRIBUTE, video)
    return None

"""Text tracks of a video (list, upload WebVTT or SRT, delete) and its audio-description audio.

A caption file is read whole, but only after its declared size is checked
against LIBRARY_MAX_UPLOAD_SIZE["track"] (2 MiB by default): caption files
are small text. SRT is converted to WebVTT; a malformed file is refused with
the line at fault; the cue text is kept for search. The audio-description
version is an audio file (MP3, M4A/AAC, WAV, Ogg), checked by signature and
stored as the video's `audio_description` rendition.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from library.admin.collection_scope import get_permitted_object
from library.assets.media.errors import MediaError
from library.assets.media.names import clean_original_name
from library.assets.media.sniff import check_text_head, describe, guess_mime
from library.assets.media.tracks import parse_track
from library.models import TextTrack, Video, VideoRendition
from library.models.choices import LANGUAGE_CHOICES


class TextTrackForm(forms.Form):
    file = forms.FileField(label=_("WebVTT or SubRip file"), help_text=_(".vtt or .srt, UTF-8 preferred"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="fr")
    kind = forms.ChoiceField(label=_("Kind"), choices=TextTrack.Kind.choices, initial=TextTrack.Kind.SUBTITLES)
    label = forms.CharField(label=_("Label shown in the player"), max_length=80, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.LIBRARY_MAX_UPLOAD_SIZE["track"]
        try:
            clean_original_name(upload.name)
            if upload.size > limit:
                raise MediaError(_("The file is too large (%(limit)d KiB at most).") % {"limit": limit // 1024})
            data = upload.read(limit + 1)
            check_text_head(data[:8192])
            self.parsed = parse_track(data)
        except MediaError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


AUDIO_MIME_TYPES = {"audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/aac", "audio/x-wav", "audio/ogg", "video/mp4"}


class AudioDescriptionForm(forms.Form):
    audio = forms.FileField(
        label=_("Audio-description version (audio file)"),
        help_text=_("MP3, M4A/AAC, WAV or Ogg; replaces any previous one"),
    )

    def clean_audio(self):
        upload = self.cleaned_data["audio"]
        try:
            clean_original_name(upload.name)
            if upload.size > settings.LIBRARY_MAX_UPLOAD_SIZE["video"]:
                raise MediaError(_("The file is larger than the limit for videos."))
            head = upload.read(8192)
            upload.seek(0)
            mime = guess_mime(head)
            if mime not in AUDIO_MIME_TYPES:
                raise MediaError(
                    _("This file is not an audio file (its content is %(kind)s).") % {"kind": describe(mime)}
                )
        except MediaError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


def save_audio_description(video, upload):
    """Replace the video's audio-description rendition (the old file goes after commit)."""
    for old in video.renditions.filter(name=VideoRendition.Name.AUDIO_DESCRIPTION):
        old.delete()
    extension = upload.name.rsplit(".", 1)[-1] if "." in upload.name else "m4a"
    rendition = VideoRendition(video=video, name=VideoRendition.Name.AUDIO_DESCRIPTION, file_size=upload.size)
    rendition.file.save(f"audio.{extension}", upload, save=False)
    rendition.save()
    return rendition


def save_track(video, parsed, *, language, kind, label=""):
    """Store a parsed track (also used by the demo content)."""
    track = TextTrack(video=video, language=language, kind=kind, label=label, text=parsed.plain_text)
    track.file.save("track.vtt", ContentFile(parsed.vtt.encode("utf-8")), save=False)
    try:
        with transaction.atomic():
            track.save()
    except Exception:
        track.file.delete(save=False)
        raise
    return track


def tracks_view(request, pk):
    video = get_permitted_object(request, Video, pk, ["change"])
    # Only the form that was posted is bound: an unbound form shows no "required" error.
    posting = request.method == "POST"
    posting_audio = posting and "audio" in request.FILES
    posting_track = posting and not posting_audio
    audio_form = AudioDescriptionForm(request.POST, request.FILES) if posting_audio else AudioDescriptionForm()
    form = TextTrackForm(request.POST, request.FILES) if posting_track else TextTrackForm()
    if posting_audio and audio_form.is_valid():
        save_audio_description(video, audio_form.cleaned_data["audio"])
        messages.success(request, _("Audio-description version saved."))
        return redirect("library_videos:tracks", video.pk)
    if posting_track and form.is_valid():
        save_track(
            video,
            form.parsed,
            language=form.cleaned_data["language"],
            kind=form.cleaned_data["kind"],
            label=form.cleaned_data["label"],
        )
        messages.success(request, _("Text track added (%(count)d cues).") % {"count": len(form.parsed.cues)})
        return redirect("library_videos:tracks", video.pk)
    language_names = dict(LANGUAGE_CHOICES)
    tracks = [
        (
            track,
            language_names.get(track.language, track.language),
            reverse("library_videos:delete_track", args=[video.pk, track.pk]),
        )
        for track in video.text_tracks.all()
    ]
    return TemplateResponse(
        request,
        "library/admin/videos/tracks.html",
        {
            "video": video,
            "form": form,
            "audio_form": audio_form,
            "audio_description": video.renditions.filter(name=VideoRendition.Name.AUDIO_DESCRIPTION).first(),
            "tracks": tracks,
            "edit_url": reverse("library_videos:edit", args=[video.pk]),
            "page_title": _("Text tracks"),
            "page_subtitle": video.title,
            "header_icon": "media",
        },
    )


@require_POST
def delete_track(request, pk, track_id):
    video = get_permitted_object(request, Video, pk, ["change"])
    track = get_object_or_404(TextTrack, pk=track_id, video=video)
    track.delete()
    messages.success(request, _("Text track deleted."))
    return redirect("library_videos:tracks", video.pk)

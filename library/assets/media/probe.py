"""Probe a video with PyAV: duration, dimensions, codecs, bitrate.

Used twice: at finalize, to refuse truncated or undecodable files before
any row exists; and again by the processing task on the downloaded master.
Opening the container is not enough to catch a truncated file whose index
sits at the start, so the probe also demuxes the last seconds.

At finalize the probe runs in a child process (`library.assets.media.isolation`);
the web worker only reads its `ProbeResult` (`library.assets.media.probe_result`)
and never imports PyAV.
"""

import av

from django.utils.translation import gettext_lazy as _

from library.assets.media.errors import MediaError
from library.assets.media.probe_result import ProbeResult

# Decoders bundled with PyAV's FFmpeg that editors' cameras and editing
# software produce; anything else is refused up front rather than failing
# later in the worker.
SUPPORTED_VIDEO_CODECS = {
    "h264",
    "hevc",
    "mpeg4",
    "mpeg2video",
    "mpeg1video",
    "vp8",
    "vp9",
    "av1",
    "prores",
    "dnxhd",
    "mjpeg",
    "theora",
    "dvvideo",
}


def probe(source, *, check_end=True):
    """Return a `ProbeResult` for a path or seekable file object, or raise `MediaError`."""
    try:
        container = av.open(source, mode="r", options={"probesize": "5000000", "analyzeduration": "5000000"})
    except (av.FFmpegError, OSError, ValueError) as error:
        raise MediaError(
            _("The video cannot be read: the file is damaged, incomplete or not a video (%(detail)s).")
            % {"detail": error.__class__.__name__},
            code="corrupt",
        ) from error
    try:
        return _probe_container(container, check_end)
    finally:
        container.close()


def _probe_container(container, check_end):
    if not container.streams.video:
        raise MediaError(_("The file contains no video track."), code="no_video")
    stream = container.streams.video[0]
    codec = stream.codec_context.name
    if codec not in SUPPORTED_VIDEO_CODECS:
        raise MediaError(
            _("The video codec “%(codec)s” is not supported. Export the film as H.264 (MP4) and try again.")
            % {"codec": codec},
            code="codec",
        )
    width, height = stream.codec_context.width, stream.codec_context.height
    if not width or not height:
        raise MediaError(_("The video has no picture size; the file is probably damaged."), code="corrupt")
    duration = _duration(container, stream)
    if not duration or duration <= 0:
        raise MediaError(_("The video has no duration; the file is probably incomplete."), code="corrupt")
    audio = container.streams.audio[0].codec_context.name if container.streams.audio else ""
    _decode_one_frame(container, stream)
    if check_end:
        _check_end(container, stream, duration)
    return ProbeResult(
        duration=round(duration, 3),
        width=width,
        height=height,
        video_codec=codec,
        audio_codec=audio,
        bitrate=container.bit_rate or None,
    )


def _duration(container, stream):
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / av.time_base
    return None


def _decode_one_frame(container, stream):
    """Decode the first frame, or raise: the data is really a picture."""
    try:
        for frame in container.decode(stream):
            if frame is not None:
                return
    except (av.FFmpegError, OSError, ValueError) as error:
        raise MediaError(
            _("The video is damaged: its pictures cannot be decoded (%(detail)s).")
            % {"detail": error.__class__.__name__},
            code="corrupt",
        ) from error
    raise MediaError(_("The video contains no picture."), code="corrupt")


def _check_end(container, stream, duration):
    """Demux the last two seconds: the packets must reach the announced duration.

    A file cut short keeps its index (MP4 with fast start) but its last
    packets are missing; only the tail is read, a few megabytes at most.
    """
    rate = stream.average_rate or stream.guessed_rate or 25
    tolerance = max(3 / float(rate), 0.1)
    start_time = float(stream.start_time * stream.time_base) if stream.start_time else 0.0
    last = None
    try:
        container.seek(int((start_time + max(0.0, duration - 2.0)) / stream.time_base), stream=stream, backward=True)
        for packet in container.demux(stream):
            if packet.pts is None or packet.size == 0:
                continue
            end = float((packet.pts + (packet.duration or 0)) * stream.time_base) - start_time
            last = end if last is None else max(last, end)
    except (av.FFmpegError, OSError, ValueError) as error:
        raise MediaError(
            _("The video is damaged or incomplete (%(detail)s).") % {"detail": error.__class__.__name__},
            code="truncated",
        ) from error
    if last is None or last < duration - tolerance:
        raise MediaError(
            _("The video is incomplete: the file ends before the end of the film. Upload it again."),
            code="truncated",
        )

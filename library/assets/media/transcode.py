"""Renditions and poster frame in one decoding pass, with PyAV.

The master is decoded once; every decoded frame is scaled and fed to each
rendition's encoder (H.264 + AAC in MP4 with `faststart`, so phones start
playing before the whole file arrives). Decoding is the expensive half of
the work on multi-gigabyte masters, so doing it once matters more than any
encoder setting. The poster is the first frame at or after 10% of the film
(past black leaders and titles), returned as a Pillow image.
"""

from dataclasses import dataclass, field
from fractions import Fraction

import av

from django.utils.translation import gettext_lazy as _

from library.assets.media.errors import MediaError


@dataclass(frozen=True)
class RenditionSpec:
    name: str
    height: int
    crf: int
    audio_bitrate: int
    max_bitrate: int


RENDITIONS = (
    RenditionSpec("720p", 720, crf=23, audio_bitrate=128_000, max_bitrate=3_000_000),
    RenditionSpec("360p", 360, crf=28, audio_bitrate=64_000, max_bitrate=700_000),
)

AUDIO_RATE = 48000


def scaled_size(width, height, target_height):
    """Keep the aspect ratio, never upscale, and keep both sides even (yuv420p needs it)."""
    out_height = min(target_height, height)
    out_width = round(width * out_height / height)
    return max(2, out_width - out_width % 2), max(2, out_height - out_height % 2)


@dataclass
class _Output:
    spec: RenditionSpec
    path: str
    container: object = None
    video: object = None
    audio: object = None
    resampler: object = None
    last_pts: int = -1
    size: tuple = ()
    frames: int = field(default=0)


def transcode(source, outputs, *, poster_at=None, preset="veryfast"):
    """Write every rendition in `outputs` ({RenditionSpec: path}); return (results, poster image).

    `results` maps the rendition name to its width, height and duration
    (read back from the written file).
    """
    try:
        container = av.open(str(source), mode="r")
    except (av.FFmpegError, OSError) as error:
        raise MediaError(_("The video cannot be read: %(detail)s") % {"detail": error}, code="corrupt") from error
    writers = []
    try:
        if not container.streams.video:
            raise MediaError(_("The file contains no video track."), code="no_video")
        in_video = container.streams.video[0]
        in_video.thread_type = "AUTO"
        in_audio = container.streams.audio[0] if container.streams.audio else None
        rate = in_video.average_rate or in_video.guessed_rate or Fraction(25)
        if rate > 60:
            rate = Fraction(30)
        for spec, path in outputs.items():
            writers.append(_open_writer(spec, path, in_video, in_audio, rate, preset))
        duration = _duration(container, in_video)
        poster_time = poster_at if poster_at is not None else (duration or 0) * 0.1
        poster = None
        streams = [in_video] + ([in_audio] if in_audio is not None else [])
        for packet in container.demux(*streams):
            for frame in packet.decode():
                if packet.stream is in_video:
                    if poster is None and frame.time is not None and frame.time >= poster_time:
                        poster = frame.to_image()
                    for writer in writers:
                        _encode_video(writer, frame, rate)
                else:
                    for writer in writers:
                        _encode_audio(writer, frame)
        for writer in writers:
            _flush(writer)
    except av.FFmpegError as error:
        raise MediaError(
            _("The video could not be converted: the file is damaged or incomplete (%(detail)s).") % {"detail": error},
            code="corrupt",
        ) from error
    finally:
        for writer in writers:
            if writer.container is not None:
                writer.container.close()
        container.close()
    if all(writer.frames == 0 for writer in writers):
        raise MediaError(_("The video contains no decodable picture."), code="corrupt")
    results = {}
    for writer in writers:
        results[writer.spec.name] = read_back(writer.path)
    return results, poster


def _duration(container, stream):
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return container.duration / av.time_base if container.duration else None


def _open_writer(spec, path, in_video, in_audio, rate, preset):
    width, height = scaled_size(in_video.codec_context.width, in_video.codec_context.height, spec.height)
    writer = _Output(spec=spec, path=str(path), size=(width, height))
    writer.container = av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"})
    video = writer.container.add_stream("libx264", rate=rate)
    video.width, video.height = width, height
    video.pix_fmt = "yuv420p"
    video.time_base = 1 / rate
    video.options = {
        "preset": preset,
        "crf": str(spec.crf),
        "maxrate": str(spec.max_bitrate),
        "bufsize": str(spec.max_bitrate * 2),
        "profile": "main",
    }
    writer.video = video
    if in_audio is not None:
        audio = writer.container.add_stream("aac", rate=AUDIO_RATE)
        audio.layout = "stereo"
        audio.bit_rate = spec.audio_bitrate
        writer.audio = audio
        writer.resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE, frame_size=1024)
    return writer


def _encode_video(writer, frame, rate):
    if frame.time is None:
        return
    pts = round(frame.time * rate)
    if pts <= writer.last_pts:
        return
    writer.last_pts = pts
    width, height = writer.size
    scaled = frame.reformat(width=width, height=height, format="yuv420p", interpolation="BILINEAR")
    scaled.pts = pts
    scaled.time_base = 1 / rate
    writer.frames += 1
    for packet in writer.video.encode(scaled):
        writer.container.mux(packet)


def _encode_audio(writer, frame):
    if writer.audio is None:
        return
    frame.pts = None
    for resampled in writer.resampler.resample(frame):
        for packet in writer.audio.encode(resampled):
            writer.container.mux(packet)


def _flush(writer):
    for packet in writer.video.encode():
        writer.container.mux(packet)
    if writer.audio is not None:
        for resampled in writer.resampler.resample(None):
            for packet in writer.audio.encode(resampled):
                writer.container.mux(packet)
        for packet in writer.audio.encode():
            writer.container.mux(packet)


def read_back(path):
    """Width, height and duration of a written rendition, read from the file itself."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        duration = _duration(container, stream)
        return {
            "width": stream.codec_context.width,
            "height": stream.codec_context.height,
            "duration": round(duration, 3) if duration else None,
        }

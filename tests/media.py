"""Media made at run time for the API tests: a tiny H.264 MP4, WebVTT tracks, a PDF, a poster."""

import functools
import io
import tempfile
from pathlib import Path

import av
from PIL import Image as PILImage


@functools.cache
def tiny_mp4(seconds=4, width=320, height=180, fps=24):
    """An H.264 MP4 test pattern (faststart, so a browser can start playing before the end)."""
    # faststart rewrites the file in a second pass, so it needs a real file.
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "film.mp4"
        _encode(path, seconds, width, height, fps)
        return path.read_bytes()


def _encode(path, seconds, width, height, fps):
    with av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "ultrafast", "profile": "baseline"}
        for index in range(seconds * fps):
            picture = PILImage.new("RGB", (width, height), ((index * 7) % 256, 60, 120))
            picture.paste((240, 200, 40), ((index * 4) % width, 0, width, height // 2))
            for packet in video.encode(av.VideoFrame.from_image(picture)):
                container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)


def vtt(language):
    text = {"fr": "Bonjour et bienvenue", "en": "Hello and welcome"}.get(language, "…")
    return f"WEBVTT\n\n00:00:00.000 --> 00:00:03.000\n{text}\n".encode()


def poster_png(colour=(40, 90, 160), size=(1600, 900)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes():
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )

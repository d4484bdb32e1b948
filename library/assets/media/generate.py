"""Generated media for the demo content and the tests: no binary is committed.

A few seconds of FFmpeg's SMPTE-like test pattern (drawn with NumPy-free
arithmetic, one colour bar per eighth of the width, plus a moving square so
renditions can be told apart frame by frame) and a sine tone.
"""

import math
from fractions import Fraction

import av

BARS = [
    (192, 192, 192),
    (192, 192, 0),
    (0, 192, 192),
    (0, 192, 0),
    (192, 0, 192),
    (192, 0, 0),
    (0, 0, 192),
    (16, 16, 16),
]


def _bars_row(width):
    row = bytearray()
    for x in range(width):
        row += bytes(BARS[x * len(BARS) // width])
    return bytes(row)


def _frame_bytes(width, height, index, bars_row):
    rows = [bars_row] * height
    size = max(8, height // 6)
    left = (index * 4) % max(1, width - size)
    top = height // 2 - size // 2
    square = b"\xff" * (3 * size)
    data = bytearray(b"".join(rows))
    for y in range(top, top + size):
        start = (y * width + left) * 3
        data[start : start + 3 * size] = square
    return bytes(data)


def make_test_video(
    path, *, seconds=2.0, width=320, height=240, fps=25, tone=440.0, codec="libx264", container_format=None
):
    """Write a test video to `path` (MP4 unless the extension says otherwise)."""
    bars_row = _bars_row(width)
    with av.open(str(path), mode="w", format=container_format) as output:
        video = output.add_stream(codec, rate=fps)
        video.width, video.height = width, height
        video.pix_fmt = "yuv420p"
        if codec == "libx264":
            video.options = {"preset": "ultrafast"}
        audio = output.add_stream("aac", rate=48000) if tone else None
        if audio is not None:
            audio.layout = "mono"
        frames = int(seconds * fps)
        for index in range(frames):
            frame = av.VideoFrame(width, height, "rgb24")
            frame.planes[0].update(_frame_bytes(width, height, index, bars_row))
            frame = frame.reformat(format="yuv420p")
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            for packet in video.encode(frame):
                output.mux(packet)
        for packet in video.encode():
            output.mux(packet)
        if audio is not None:
            _write_tone(output, audio, seconds, tone)
    return path


def _write_tone(output, audio, seconds, tone, rate=48000, samples_per_frame=1024):
    total = int(seconds * rate)
    for start in range(0, total, samples_per_frame):
        count = min(samples_per_frame, total - start)
        frame = av.AudioFrame(format="s16", layout="mono", samples=count)
        values = bytearray()
        for n in range(start, start + count):
            value = int(8000 * math.sin(2 * math.pi * tone * n / rate))
            values += value.to_bytes(2, "little", signed=True)
        frame.planes[0].update(bytes(values))
        frame.sample_rate = rate
        frame.pts = start
        frame.time_base = Fraction(1, rate)
        for packet in audio.encode(frame):
            output.mux(packet)
    for packet in audio.encode():
        output.mux(packet)


def make_test_audio(path, *, seconds=2.0, tone=440.0):
    """Write a sine tone alone, AAC in an M4A file: an audio-only version of a film (audio description)."""
    with av.open(str(path), mode="w", format="ipod") as output:
        audio = output.add_stream("aac", rate=48000)
        audio.layout = "mono"
        _write_tone(output, audio, seconds, tone)
    return path

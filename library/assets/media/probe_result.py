"""What the video probe reports, without importing PyAV.

The web worker reads the probe's answer at finalize (the probe itself runs
in a child process), so this small module is all it loads: importing `av`
would map FFmpeg's libraries into every web worker for nothing.
"""

from dataclasses import asdict, dataclass


@dataclass
class ProbeResult:
    duration: float
    width: int
    height: int
    video_codec: str
    audio_codec: str
    bitrate: int | None

    def as_fields(self):
        return asdict(self)

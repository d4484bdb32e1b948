"""Text tracks: WebVTT validated, SubRip (SRT) converted, plain text for search.

Browsers silently drop a malformed cue, so a track that "works" on one
player can lose half its captions on another; a strict parser here tells
the editor the line at fault instead. The grammar is WebVTT's (W3C): a
`WEBVTT` header, blocks separated by blank lines, optional cue identifier,
a timing line `[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt [settings]`, then the
cue text. NOTE, STYLE and REGION blocks are kept as they are.
"""

import html
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from library.assets.media.errors import MediaError

VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
VTT_TIMING = re.compile(rf"^{VTT_TIME}[ \t]+-->[ \t]+{VTT_TIME}(?:[ \t]+(.*))?$")
SRT_TIMING = re.compile(
    r"^(\d{1,2}):([0-5]\d):([0-5]\d)[,.](\d{1,3})[ \t]+-->[ \t]+(\d{1,2}):([0-5]\d):([0-5]\d)[,.](\d{1,3})(?:[ \t]+.*)?$"
)
TAG = re.compile(r"<[^>]*>")
MAX_CUES = 20_000


@dataclass
class Cue:
    start: float
    end: float
    text: str
    identifier: str = ""
    settings: str = ""


@dataclass
class ParsedTrack:
    vtt: str
    cues: list = field(default_factory=list)

    @property
    def plain_text(self):
        """Cue text without tags or entities, one cue per line: what search indexes."""
        lines = []
        for cue in self.cues:
            text = html.unescape(TAG.sub("", cue.text)).strip()
            if text:
                lines.append(" ".join(text.split()))
        return "\n".join(lines)


def decode_track(data):
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252, which old SRT files use."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise MediaError(_("The file is neither UTF-8 nor Windows-1252 text."), code="encoding") from error


def parse_track(data):
    """Parse WebVTT or SRT bytes into a `ParsedTrack`, or raise `MediaError` with the line at fault."""
    text = decode_track(data) if isinstance(data, bytes) else data
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise MediaError(_("The file contains binary data."), code="encoding")
    first = text.split("\n", 1)[0]
    if first.startswith("WEBVTT"):
        return _parse_vtt(text)
    if first.strip().isdigit() or SRT_TIMING.match(first.strip()):
        return _parse_srt(text)
    raise MediaError(
        _("Line 1: a WebVTT file starts with “WEBVTT”; a SubRip file with a cue number. Neither was found."), line=1
    )


def _error(line, message):
    return MediaError(_("Line %(line)d: %(message)s") % {"line": line, "message": message}, line=line)


def _vtt_seconds(groups):
    hours, minutes, seconds, millis = groups
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _blocks(text, first_line=1):
    """Yield (line number of the block's first line, lines) for blank-line separated blocks."""
    block, start = [], None
    for number, line in enumerate(text.split("\n"), start=first_line):
        if line.strip() == "":
            if block:
                yield start, block
            block, start = [], None
        else:
            if start is None:
                start = number
            block.append(line)
    if block:
        yield start, block


def _parse_vtt(text):
    lines = text.split("\n")
    header = lines[0]
    if header != "WEBVTT" and not re.match(r"^WEBVTT[ \t]", header):
        raise _error(1, _("the header must be “WEBVTT”, alone or followed by a space and a title."))
    cues = []
    body = "\n".join(lines[1:])
    for index, (start, block) in enumerate(_blocks(body, first_line=2)):
        if index == 0 and "-->" not in block[0] and start == 2:
            continue  # header metadata lines directly below WEBVTT
        if block[0].startswith(("NOTE", "STYLE", "REGION")) and "-->" not in block[0]:
            continue
        timing_offset = 0 if "-->" in block[0] else 1
        if timing_offset == 1 and (len(block) < 2 or "-->" not in block[1]):
            raise _error(start, _("a cue needs a timing line “00:00:01.000 --> 00:00:03.000”."))
        timing_line = start + timing_offset
        match = VTT_TIMING.match(block[timing_offset].strip())
        if not match:
            raise _error(timing_line, _("the timing is not valid; expected “00:00:01.000 --> 00:00:03.000”."))
        begin, end = _vtt_seconds(match.groups()[0:4]), _vtt_seconds(match.groups()[4:8])
        identifier = block[0] if timing_offset else ""
        cues.append(_cue(timing_line, begin, end, block[timing_offset + 1 :], identifier, match.group(9) or ""))
        if len(cues) > MAX_CUES:
            raise _error(start, _("too many cues."))
    return ParsedTrack(vtt=_normalise_vtt(text), cues=cues)


def _cue(line, begin, end, text_lines, identifier, settings):
    if end <= begin:
        raise _error(line, _("the cue ends before it starts."))
    if any("-->" in text_line for text_line in text_lines):
        raise _error(line + 1, _("a cue text cannot contain “-->”; is a blank line missing before it?"))
    return Cue(start=begin, end=end, text="\n".join(text_lines), identifier=identifier, settings=settings)


def _normalise_vtt(text):
    return text.rstrip("\n") + "\n"


def _parse_srt(text):
    cues = []
    for start, block in _blocks(text):
        if len(cues) >= MAX_CUES:
            raise _error(start, _("too many cues."))
        offset = 1 if block[0].strip().isdigit() else 0
        if offset and len(block) < 2:
            raise _error(start, _("a cue number must be followed by a timing line “00:00:01,000 --> 00:00:03,000”."))
        match = SRT_TIMING.match(block[offset].strip())
        if not match:
            raise _error(start + offset, _("the timing is not valid; expected “00:00:01,000 --> 00:00:03,000”."))
        values = match.groups()
        begin = int(values[0]) * 3600 + int(values[1]) * 60 + int(values[2]) + int(values[3].ljust(3, "0")) / 1000
        end = int(values[4]) * 3600 + int(values[5]) * 60 + int(values[6]) + int(values[7].ljust(3, "0")) / 1000
        cues.append(_cue(start + offset, begin, end, block[offset + 1 :], block[0].strip() if offset else "", ""))
    if not cues:
        raise _error(1, _("the file contains no cue."))
    return ParsedTrack(vtt=_to_vtt(cues), cues=cues)


def format_time(seconds):
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _to_vtt(cues):
    parts = ["WEBVTT", ""]
    for cue in cues:
        if cue.identifier:
            parts.append(cue.identifier)
        parts.append(f"{format_time(cue.start)} --> {format_time(cue.end)}")
        parts.extend(cue.text.split("\n"))
        parts.append("")
    return "\n".join(parts)


def cues_to_vtt(cues):
    """WebVTT text for (start, end, text) triples: used by the demo content."""
    return _to_vtt([Cue(start=start, end=end, text=text) for start, end, text in cues])

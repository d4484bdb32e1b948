"""The pure media helpers: signatures, names, probe, WebVTT/SRT, PDF checks."""

import pytest

from library.assets.media.errors import MediaError
from library.assets.media.names import clean_original_name, content_disposition
from library.assets.media.pdf import guess_language, inspect_pdf
from library.assets.media.probe import probe
from library.assets.media.sniff import check_pdf_head, check_text_head, check_video_head
from library.assets.media.tracks import parse_track
from tests.library.assets.helpers import JS_OPEN_ACTION, LAUNCH_ACTION, fpdf_guide, hand_pdf, video_bytes

pytestmark = pytest.mark.django_db(databases=[])


def test_video_signature_is_read_from_content(tmp_path):
    assert check_video_head(video_bytes(tmp_path)[:8192]) == "mp4"
    for head in (b"MZ\x90\x00\x03" + b"\x00" * 100, b"<!DOCTYPE html><html><script>alert(1)</script>", b"%PDF-1.4"):
        with pytest.raises(MediaError) as caught:
            check_video_head(head)
        assert caught.value.code == "type"
    with pytest.raises(MediaError):
        check_video_head(b"")


def test_other_kinds_signatures():
    check_pdf_head(b"%PDF-1.7\n")
    with pytest.raises(MediaError):
        check_pdf_head(b"<html>")
    check_text_head(b"WEBVTT\n\n")
    with pytest.raises(MediaError):
        check_text_head(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "..\\boot.ini", "dir/film.mp4", "film\x00.mp4", "film\r\nX-Evil: 1.mp4", " ", ""]
)
def test_unsafe_names_are_refused(name):
    with pytest.raises(MediaError) as caught:
        clean_original_name(name)
    assert caught.value.code in ("name", "empty") or caught.value.code == "name"


def test_names_keep_accents_and_header_uses_rfc6266():
    assert clean_original_name("Été à Roubaix.mp4") == "Été à Roubaix.mp4"
    header = content_disposition("Été à Roubaix.mp4")
    assert header.startswith('attachment; filename="Ete a Roubaix.mp4"')
    assert "filename*=UTF-8''%C3%89t%C3%A9%20%C3%A0%20Roubaix.mp4" in header


def test_probe_reads_generated_video_and_refuses_truncated_ones(tmp_path):
    data = video_bytes(tmp_path, seconds=2, width=320, height=240)
    info = probe(tmp_path / "film.mp4")
    assert (info.width, info.height, info.video_codec, info.audio_codec) == (320, 240, "h264", "aac")
    assert info.duration == pytest.approx(2.0, abs=0.1)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError) as caught:
        probe(cut)
    assert caught.value.code in ("corrupt", "truncated")


def test_probe_refuses_unsupported_codec(tmp_path):
    path = tmp_path / "film.mkv"
    from library.assets.media.generate import make_test_video

    make_test_video(path, codec="ffv1", tone=0, seconds=0.4)
    with pytest.raises(MediaError) as caught:
        probe(path)
    assert caught.value.code == "codec"
    assert "ffv1" in str(caught.value)


def test_srt_is_converted_and_text_kept_for_search():
    track = parse_track(
        "1\r\n00:00:01,000 --> 00:00:02,500\r\nBonjour <i>à tous</i>\r\n\r\n"
        "2\r\n00:00:03,000 --> 00:00:04,000\r\nLumière &amp; ombre\r\n".encode("cp1252")
    )
    assert track.vtt.startswith("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nBonjour <i>à tous</i>\n")
    assert track.plain_text == "Bonjour à tous\nLumière & ombre"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:03.000 -> 00:04.000\nbad\n", 6),
        ("WEBVTT\n\n00:05.000 --> 00:02.000\nbackwards\n", 3),
        ("WEBVT\n\n00:01.000 --> 00:02.000\nx\n", 1),
        ("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:0x,000 --> 00:00:04,000\nbad\n", 6),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nfirst\n00:03.000 --> 00:04.000\nno blank line\n", 4),
    ],
)
def test_malformed_tracks_name_the_line(text, line):
    with pytest.raises(MediaError) as caught:
        parse_track(text.encode())
    assert caught.value.line == line
    assert f"Ligne {line}" in str(caught.value)


def test_webvtt_with_notes_settings_and_identifiers():
    track = parse_track(
        b"WEBVTT - Sous-titres\n\nNOTE relu par la coordination\n\nintro\n00:00.500 --> 00:01.500 align:start\n"
        b"<v Lina>Salut</v>\n\n01:00:00.000 --> 01:00:01.000\nFin\n"
    )
    assert [cue.identifier for cue in track.cues] == ["intro", ""]
    assert track.cues[0].settings == "align:start"
    assert track.cues[1].start == 3600
    assert track.plain_text == "Salut\nFin"


def test_pdf_checks(tmp_path):
    good = tmp_path / "guide.pdf"
    good.write_bytes(fpdf_guide(pages=3))
    info = inspect_pdf(good, extract_text=True)
    assert info.page_count == 3
    assert "Guide pédagogique" in info.text
    assert guess_language(info.text) == "fr"
    for name, extra, code in (("js.pdf", JS_OPEN_ACTION, "javascript"), ("launch.pdf", LAUNCH_ACTION, "launch")):
        path = tmp_path / name
        path.write_bytes(hand_pdf(extra))
        with pytest.raises(MediaError) as caught:
            inspect_pdf(path)
        assert caught.value.code == code
    hidden = tmp_path / "hidden.pdf"
    hidden.write_bytes(hand_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (x) >>"))
    with pytest.raises(MediaError) as caught:
        inspect_pdf(hidden)
    assert caught.value.code == "javascript"
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(hand_pdf())
    assert inspect_pdf(plain).page_count == 1
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"garbage" * 20)
    with pytest.raises(MediaError):
        inspect_pdf(broken)

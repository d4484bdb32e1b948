"""In Chromium, in the French admin, as a regional editor: recording a consent, captioning a video, the guide.

Three of the editors' daily tasks, walked as the editors' guide describes
them:

- recording a consent: the consent register's "add" form, filled in and
  saved; the register then lists the record with its expiry as a date
  (15/11/2031, not "dans 5 ans") and its status in words;
- adding text tracks to a video: French captions and English subtitles sent
  through the video's tracks screen (a WebVTT and a SubRip file), listed there
  and on the video's page as "Français — Sous-titres…";
- opening the editors' guide from the admin's help menu.

Each step is photographed into `SCREENSHOT_DIR` (by default
`<tmp>/shots/tasks/`), created when missing.
"""

import datetime
import os
import re
import tempfile
from pathlib import Path

import pytest

from library.access.network import coordination_collection
from library.models import ConsentRecord, TextTrack
from tests.browser import log_in
from tests.factories import make_user, make_video
from tests.library.network import build_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRENCH_VTT = (
    "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n[Musique douce]\nBonjour à toutes et à tous.\n\n"
    "00:00:02.000 --> 00:00:04.000\nOn tourne !\n"
)
ENGLISH_SRT = "1\n00:00:00,000 --> 00:00:02,000\nHello everyone.\n\n2\n00:00:02,000 --> 00:00:04,000\nAction!\n"


@pytest.fixture
def shots():
    folder = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "shots" / "tasks")
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return shoot


@pytest.fixture
def editor():
    network = build_network(with_items=False)
    user = make_user("camille", network.coord_a.editors_group, first_name="Camille")
    return network, user


def test_regional_editor_records_a_consent(browser_page, live_server, editor, shots):
    network, user = editor
    page = browser_page
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}/admin/snippets/library/consentrecord/")
    shots(page, "consent-1-register")
    page.locator("header").get_by_role("link", name=re.compile(r"^Ajouter")).first.click()
    page.wait_for_url(re.compile(r"/admin/snippets/library/consentrecord/add/"))
    form = page.locator("form").filter(has=page.locator("#id_label"))
    coordination = page.locator("#id_coordination")
    assert coordination.locator("option").all_inner_texts()[-1] == network.coord_a.title
    assert network.coord_b.title not in coordination.inner_text(), "only her own coordination is offered"
    shots(page, "consent-2-form")

    page.fill("#id_label", "Atelier vidéo du collège Jean-Moulin")
    coordination.select_option(label=network.coord_a.title)
    page.locator("#id_scope").select_option(label="Projections dans le réseau")
    # The date picker reads and writes dates as the register shows them (15/11/2031).
    for field, day in (("#id_granted_on", "15/11/2026"), ("#id_expires_on", "15/11/2031")):
        page.fill(field, day)
        page.keyboard.press("Escape")  # close the date picker, keeping the date typed
    page.fill("#id_participants_count", "14")
    assert (page.input_value("#id_granted_on"), page.input_value("#id_expires_on")) == ("15/11/2026", "15/11/2031")
    shots(page, "consent-3-filled-in")
    form.get_by_role("button", name="Enregistrer").first.click()

    page.wait_for_url(re.compile(r"/admin/snippets/library/consentrecord/(\?.*)?$"))
    record = ConsentRecord.objects.get(label="Atelier vidéo du collège Jean-Moulin")
    assert record.coordination_id == network.coord_a.pk
    assert (record.granted_on, record.expires_on) == (datetime.date(2026, 11, 15), datetime.date(2031, 11, 15))
    assert record.participants_count == 14
    row = page.locator("tbody tr", has_text="Atelier vidéo du collège Jean-Moulin")
    assert row.count() == 1
    text = " ".join(row.inner_text().split())
    assert "15/11/2031" in text, text
    assert "Projections dans le réseau" in text and "En vigueur" in text, text
    assert not re.search(r"\b(dans \d+|il y a)\b", text, re.I), f"a date written as a relative time: {text}"
    shots(page, "consent-4-in-the-register")


def test_regional_editor_adds_captions_and_subtitles_to_a_video(browser_page, live_server, editor, shots, tmp_path):
    network, user = editor
    video = make_video("Atelier au collège", collection=coordination_collection(network.coord_a))
    (tmp_path / "atelier.fr.vtt").write_text(FRENCH_VTT, encoding="utf-8")
    (tmp_path / "atelier.en.srt").write_text(ENGLISH_SRT, encoding="utf-8")
    page = browser_page
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}/admin/library/videos/edit/{video.pk}/")
    assert page.locator("[data-tracks] [data-track]").count() == 0
    page.get_by_role("link", name=re.compile("Gérer les sous-titres")).click()
    page.wait_for_url(re.compile(rf"/admin/library/videos/tracks/{video.pk}/$"))
    assert "Champ requis" not in page.locator("[data-track-form]").inner_text(), "no error before a submit"
    shots(page, "tracks-1-empty")

    for name, language, kind in (
        ("atelier.fr.vtt", "Français", "Sous-titres pour sourds et malentendants (SME)"),
        ("atelier.en.srt", "Anglais", "Sous-titres"),
    ):
        form = page.locator("[data-track-form]")
        form.locator("input[type=file]").set_input_files(str(tmp_path / name))
        form.locator("select[name=language]").select_option(label=language)
        form.locator("select[name=kind]").select_option(label=kind)
        form.get_by_role("button", name="Ajouter la piste").click()
        page.wait_for_load_state("load")
        row = page.locator("[data-tracks] tbody tr", has_text=language)
        assert row.count() >= 1, f"{language} listed"
        assert kind in row.first.inner_text()
        # The form is empty again, without "Champ requis." on every field.
        assert "Champ requis" not in page.locator("[data-track-form]").inner_text()
    shots(page, "tracks-2-two-tracks")

    tracks = {(track.language, track.kind) for track in TextTrack.objects.filter(video=video)}
    assert tracks == {("fr", TextTrack.Kind.CAPTIONS), ("en", TextTrack.Kind.SUBTITLES)}
    french = TextTrack.objects.get(video=video, language="fr")
    assert "Bonjour à toutes et à tous." in french.text
    with TextTrack.objects.get(video=video, language="en").file.open("rb") as handle:
        assert handle.read().decode("utf-8").startswith("WEBVTT"), "the SubRip file was converted to WebVTT"

    page.get_by_role("link", name="Retour à la vidéo").click()
    page.wait_for_url(re.compile(rf"/admin/library/videos/edit/{video.pk}/$"))
    listed = [" ".join(text.split()) for text in page.locator("[data-tracks] [data-track]").all_inner_texts()]
    assert "Français — Sous-titres pour sourds et malentendants (SME)" in listed, listed
    assert "Anglais — Sous-titres" in listed, listed
    shots(page, "tracks-3-video-page")


def test_regional_editor_opens_the_editors_guide_from_the_help_menu(browser_page, live_server, editor, shots):
    _network, user = editor
    page = browser_page
    log_in(page, live_server, user)

    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="Aide").click()
    link = sidebar.get_by_role("link", name="Guide des éditeurs")
    assert link.is_visible()
    shots(page, "guide-1-help-menu")
    link.click()
    page.wait_for_url(re.compile(r"/admin/guide-editeurs/$"))
    assert page.get_by_role("heading", name="Guide des éditeurs").count() >= 1
    page.locator("main a[href$='/guide-editeurs/enregistrer-le-consentement/']").first.click()
    page.wait_for_url(re.compile(r"/admin/guide-editeurs/enregistrer-le-consentement/$"))
    assert page.locator("main h1, main h2").filter(has_text=re.compile("consentement", re.I)).count() >= 1
    shots(page, "guide-2-a-page")

"""In Chromium, as a regional editor: the video page plays its 360p rendition, and makes a film with the video.

The 360p file is a real H.264 MP4 on the S3 test server; the player's
source is the admin's `play` view, which redirects to a signed URL, so the
browser loading its metadata proves the whole path (permission, signature,
the admin's Content Security Policy). Each step is photographed into
`SCREENSHOT_DIR` (by default `<tmp>/shots/video/`).
"""

import os
import re
import tempfile
from pathlib import Path

import pytest

from library.access.network import coordination_collection
from library.models import FilmPage
from tests.browser import log_in
from tests.factories import make_film, make_image, make_user, make_video
from tests.library.network import build_network
from tests.media import tiny_mp4

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots():
    folder = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "shots" / "video")
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return shoot


def test_regional_editor_plays_the_video_and_creates_a_film_with_it(browser_page, live_server, shots):
    network = build_network(with_items=False)
    editor = make_user("camille", network.coord_a.editors_group, first_name="Camille")
    collection = coordination_collection(network.coord_a)
    frame = make_image("Image du film", collection=collection, size=(1600, 900), named_renditions=True)
    master = tiny_mp4()
    video = make_video(
        "Atelier au collège",
        collection=collection,
        poster=frame,
        data=master,
        renditions=("720p", "360p"),
        tracks=("fr", "en"),
        original_filename="atelier.mp4",
        file_size=len(master),
        duration=4.0,
        width=320,
        height=180,
    )
    make_film(network.coord_a, "Un premier montage", "internal", None, live=False, video=video)
    page = browser_page
    log_in(page, live_server, editor)

    page.goto(f"{live_server.url}/admin/library/videos/edit/{video.pk}/")
    player = page.locator("video[data-video-player]")
    assert player.count() == 1
    page.wait_for_function(
        "() => { const v = document.querySelector('video[data-video-player]'); return v.readyState >= 1 && v.duration > 0; }"
    )
    assert page.evaluate("document.querySelector('video[data-video-player]').duration") == pytest.approx(4, abs=0.5)
    assert page.evaluate("document.querySelector('video[data-video-player]').videoWidth") == 320
    tracks = page.locator("[data-track]").all_inner_texts()
    assert tracks == ["Anglais — Sous-titres — English", "Français — Sous-titres — Français"]
    assert page.get_by_role("link", name="Un premier montage").is_visible()
    player.scroll_into_view_if_needed()
    shots(page, "1-video-page")

    page.get_by_role("link", name="Créer un film avec cette vidéo").click()
    page.wait_for_url(re.compile(rf"/admin/films/add/{network.coord_a.pk}/\?video={video.pk}$"))
    assert page.locator("input[name=video]").input_value() == str(video.pk)
    assert page.locator("#id_title").input_value() == "Atelier au collège"
    chooser = page.locator("[data-chooser-title], .chooser__title").filter(has_text="Atelier au collège")
    assert chooser.count() >= 1
    chooser.first.scroll_into_view_if_needed()
    shots(page, "2-film-form-with-the-video")

    page.fill("#id_synopsis", "Un atelier de réalisation au collège.")
    page.fill("#id_year", "2025")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    film = FilmPage.objects.get(title="Atelier au collège")
    assert film.video_id == video.pk and film.get_parent().pk == network.coord_a.pk
    shots(page, "3-draft-saved")

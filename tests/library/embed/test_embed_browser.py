"""The player in real Chromium: it plays, loads the French captions, is accessible, calls no third party.

The test video is H.264 (Debian's Chromium plays it). Accessibility is
checked with axe-core from npm (`package.json`, installed by
`scripts/system-deps.sh`); no serious or critical violation is allowed.
"""

from urllib.parse import urlsplit

import pytest

from django.conf import settings

from tests.library.api.catalogue import build_catalogue
from tests.paths import PROJECT

AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def player_page(chromium):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 800, "height": 500}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_player_plays_with_captions_and_passes_axe(live_server, player_page):
    assert AXE.exists(), "run scripts/system-deps.sh (npm ci) to install axe-core"
    catalogue = build_catalogue()
    film = catalogue.films["public"]
    hosts = set()
    player_page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))

    player_page.goto(f"{live_server.url}/embed/films/{film.pk}/")
    assert player_page.evaluate("document.documentElement.lang") == "fr"
    assert player_page.evaluate("document.getElementById('film').dataset.rendition") == "720p"

    # It plays: currentTime advances.
    player_page.evaluate("document.getElementById('film').muted = true; document.getElementById('film').play()")
    player_page.wait_for_function("document.getElementById('film').currentTime > 0.5")

    # The French caption track loads (default track, showing, its cue parsed).
    player_page.wait_for_function(
        """() => {
            const tracks = [...document.getElementById('film').textTracks];
            const fr = tracks.find(t => t.language === 'fr');
            return fr && fr.mode === 'showing' && fr.cues && fr.cues.length > 0;
        }"""
    )
    cue = player_page.evaluate(
        "[...document.getElementById('film').textTracks].find(t => t.language === 'fr').cues[0].text"
    )
    assert cue == "Bonjour et bienvenue"
    assert player_page.evaluate("document.getElementById('film').textTracks.length") == 2

    # Keyboard: Tab reaches the quality choice, whose focus ring is visible; the video takes focus too.
    for _press in range(12):
        player_page.keyboard.press("Tab")
        if player_page.evaluate("document.activeElement.id") == "quality":
            break
    assert player_page.evaluate("document.activeElement.id") == "quality"
    assert player_page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    player_page.focus("#film")
    player_page.keyboard.press("k")  # pause with the keyboard
    assert player_page.evaluate("document.getElementById('film').paused")

    # No serious or critical accessibility violation.
    player_page.add_script_tag(path=str(AXE))
    violations = player_page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => ({id: v.id, impact: v.impact}))"
    )
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []

    # Only the site itself and its media storage were contacted.
    own = {urlsplit(live_server.url).netloc, urlsplit(settings.AWS_S3_ENDPOINT_URL or "").netloc}
    assert hosts <= own, hosts - own

    # On a slow connection the player starts with the 360p rendition.
    player_page.add_init_script("Object.defineProperty(navigator, 'connection', {value: {effectiveType: '3g'}})")
    player_page.goto(f"{live_server.url}/embed/films/{film.pk}/")
    assert player_page.evaluate("document.getElementById('film').dataset.rendition") == "360p"
    player_page.select_option("#quality", "720p")
    assert player_page.evaluate("document.getElementById('film').dataset.rendition") == "720p"

    # Network films are never embedded.
    response = player_page.goto(f"{live_server.url}/embed/films/{catalogue.films['network'].pk}/")
    assert response.status == 404
    assert "Cette vidéo n’est pas disponible." in player_page.content()

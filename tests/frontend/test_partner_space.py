"""The partner space of the public site in real Chromium, against a live CMS on PostgreSQL and S3.

A partner logs in through the site's form (the site asks allauth's headless
API and keeps the session in an HttpOnly cookie), downloads a film's master
and its screening pack from the film's page (both logged to the
organisation), reads them in the history, creates an API token whose secret
is shown once, and revokes it (the token then gets 401 from the API). A
wrong password reads in French; the space sends a logged-out visitor to the
log-in page; a member of organisation A never sees B's history; a
deactivated account is logged out at the next page; the log-in works with
the keyboard alone. Each page is photographed at 1280 and 375 px into
/tmp/shots/partners/.
"""

import datetime
import json
import re
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from library.models import DownloadEvent
from tests.factories import PASSWORD, make_partner, make_user
from tests.faults import bucket_through_proxy
from tests.library.api.catalogue import build_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path("/tmp/shots/partners")
DATE_TIME = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")


@pytest.fixture(autouse=True)
def behind_the_site(settings):
    """The CMS counts the site's server as one proxy (as `make demo` does), with fresh lock-out counters."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    cache.clear()
    yield
    cache.clear()


def partner(email, coordination, organisation_name):
    user = make_user(email.split("@")[0], email=email, first_name="Ana" if email.startswith("ana") else "Bruno")
    organisation = make_partner(coordination, user, name=organisation_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, organisation


@pytest.fixture
def world():
    catalogue = build_catalogue()
    catalogue.ana, catalogue.org_a = partner("ana@mjc-exemple.fr", catalogue.coord_a, "MJC des Lilas")
    catalogue.bruno, catalogue.org_b = partner("bruno@cinema-b.fr", catalogue.coord_b, "Cinéma B")
    # Organisation B downloaded something A must never see.
    DownloadEvent.objects.create(
        organisation=catalogue.org_b,
        user=catalogue.bruno,
        page=catalogue.films["public"],
        item_title="Téléchargement secret de B",
        rendition="original",
    )
    return catalogue


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"{name}.html").write_text(page.content())
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        # Nothing wider than the screen: wide tables scroll in their own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def log_in_on_site(page, site, email, password=PASSWORD):
    page.goto(f"{site}/espace-partenaires/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def api_status(url, token):
    request = Request(url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    try:
        with urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except HTTPError as error:
        return error.code, None


def test_a_partner_logs_in_downloads_reads_the_history_and_manages_a_token(site, site_page, world, live_server):
    page = site_page
    film = world.films["public"]

    # The space sends a logged-out visitor to the log-in page, and back afterwards.
    page.goto(f"{site}/espace-partenaires/historique/")
    page.wait_for_url(re.compile(r"/espace-partenaires/connexion\?next=%2Fespace-partenaires%2Fhistorique%2F"))
    assert page.locator("h1").inner_text() == "Connexion à l'espace partenaires"
    shoot(page, "connexion")
    page.get_by_label("Adresse e-mail").fill("ana@mjc-exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{site}/espace-partenaires/historique/")
    assert "Aucun téléchargement pour l'instant." in page.locator("main").inner_text()

    # The session lives in an HttpOnly, SameSite=Lax cookie (no Secure on http://127.0.0.1, see docs/frontend.md).
    cookie = next(c for c in page.context.cookies() if c["name"] == "pdi_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"

    page.goto(f"{site}/espace-partenaires/")
    assert page.locator("h2#organisation").inner_text() == "Votre structure : MJC des Lilas"
    assert "Ana (ana@mjc-exemple.fr)" in page.locator("main").inner_text()
    shoot(page, "accueil-vide")

    # Logged in, the catalogue shows the network tier too (the session is forwarded on public pages).
    page.get_by_role("link", name="Parcourir les films").click()
    page.wait_for_url(f"{site}/films/")
    assert "Film réseau" in page.locator(".cards .card h2").all_inner_texts()

    # The film's page offers the downloads; the master comes through the site, logged to the organisation.
    page.goto(f"{site}/films/{film.pk}-film-public/")
    downloads = page.get_by_role("region", name="Téléchargements")
    shoot(page, "film-telechargements")
    with page.expect_download() as master:
        downloads.get_by_role("link", name="Télécharger le fichier original").click()
    assert master.value.suggested_filename == "Film public – master élève.mp4"
    assert Path(master.value.path()).read_bytes() == film.video.file.open("rb").read()
    with page.expect_download() as pack:
        downloads.get_by_role("link", name="Télécharger le dossier de projection (zip)").click()
    assert pack.value.suggested_filename.endswith("-dossier-projection.zip")
    assert Path(pack.value.path()).read_bytes()[:2] == b"PK"
    events = DownloadEvent.objects.filter(organisation=world.org_a).order_by("created_at")
    assert [(e.rendition, e.user_id) for e in events] == [("original", world.ana.pk), ("screening_pack", world.ana.pk)]

    # Both in the history, newest first, dates as dates; nothing of organisation B.
    page.goto(f"{site}/espace-partenaires/historique/")
    rows = page.locator("table.downloads tbody tr")
    assert rows.count() == 2
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(2)]
    assert [c[1:] for c in cells] == [
        ["Film public", "Dossier de projection", "Ana"],
        ["Film public", "Film (fichier original)", "Ana"],
    ]
    assert all(DATE_TIME.match(c[0]) for c in cells), cells
    assert "secret de B" not in page.locator("main").inner_text()
    shoot(page, "historique")
    page.goto(f"{site}/espace-partenaires/")
    assert page.locator("table.downloads tbody tr").count() == 2
    shoot(page, "accueil")

    # A token: created with a name and an expiry, its secret shown once.
    page.goto(f"{site}/espace-partenaires/jetons/")
    assert "Aucun jeton pour l'instant." in page.locator("main").inner_text()
    page.get_by_label("Nom du jeton").fill("Portail de la MJC")
    expiry = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    page.get_by_label("Date d'expiration").fill(expiry)
    page.get_by_role("button", name="Créer le jeton").click()
    secret = page.get_by_label("Le jeton", exact=True).input_value()
    assert secret.startswith("wagtail_") or len(secret) > 20
    assert "il ne sera plus jamais affiché" in page.get_by_role("status").inner_text()
    shoot(page, "jeton-cree")
    row = page.locator("table.tokens tbody tr").filter(has_text="Portail de la MJC")
    assert row.locator("td").nth(5).inner_text() == "Actif"
    assert row.locator("td").nth(4).inner_text() == "Jamais"
    day = timezone.localdate() + datetime.timedelta(days=90)
    assert row.locator("td").nth(3).inner_text() == day.strftime("%d/%m/%Y")  # the end of the chosen day, in Paris
    assert DATE_TIME.match(row.locator("td").nth(2).inner_text())
    assert status_ok(api_status(f"{live_server.url}/api/v3/partner/me/", secret))

    page.goto(f"{site}/espace-partenaires/jetons/")
    assert secret not in page.content()  # never shown again
    row.get_by_role("button", name="Révoquer le jeton « Portail de la MJC »").click()
    page.wait_for_url(re.compile(r"/espace-partenaires/jetons/\?revoque=\d+"))
    assert "Le jeton « Portail de la MJC » est révoqué" in page.get_by_role("status").inner_text()
    assert row.locator("td").nth(5).inner_text() == "Révoqué"
    assert api_status(f"{live_server.url}/api/v3/partner/me/", secret)[0] == 401
    shoot(page, "jetons")

    # Log-out is a POST; the space then asks to log in again.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{site}/espace-partenaires/connexion?sortie=1")
    assert page.get_by_role("status").inner_text() == "Vous êtes déconnecté."
    assert not [c for c in page.context.cookies() if c["name"] == "pdi_session"]
    page.goto(f"{site}/espace-partenaires/")
    page.wait_for_url(re.compile(r"/espace-partenaires/connexion\?next="))


def status_ok(answer):
    status, body = answer
    return status == 200 and body["organisation"]["name"] == "MJC des Lilas"


def test_a_wrong_password_reads_in_french_and_the_lock_out_says_how_long(site, site_page, world):
    page = site_page
    log_in_on_site(page, site, "ana@mjc-exemple.fr", "pas-le-bon")
    assert page.get_by_role("alert").inner_text() == "Adresse e-mail ou mot de passe incorrect."
    assert page.get_by_label("Adresse e-mail").input_value() == "ana@mjc-exemple.fr"
    shoot(page, "connexion-erreur")
    # An unknown address reads the same.
    log_in_on_site(page, site, "personne@example.org", "pas-le-bon")
    assert page.get_by_role("alert").inner_text() == "Adresse e-mail ou mot de passe incorrect."
    for _attempt in range(4):
        log_in_on_site(page, site, "ana@mjc-exemple.fr", "pas-le-bon")
    assert page.get_by_role("alert").inner_text() == "Trop de tentatives de connexion : réessayez dans 15 minutes."
    shoot(page, "connexion-bloquee")


def test_org_a_never_sees_b_and_a_deactivated_account_is_logged_out_at_once(site, site_page, world):
    page = site_page
    log_in_on_site(page, site, "bruno@cinema-b.fr")
    page.wait_for_url(f"{site}/espace-partenaires/")
    page.goto(f"{site}/espace-partenaires/historique/")
    assert "Téléchargement secret de B" in page.locator("main").inner_text()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"connexion\?sortie=1"))

    log_in_on_site(page, site, "ana@mjc-exemple.fr")
    page.wait_for_url(f"{site}/espace-partenaires/")
    page.goto(f"{site}/espace-partenaires/historique/")
    assert "Téléchargement secret de B" not in page.locator("main").inner_text()
    assert "Aucun téléchargement pour l'instant." in page.locator("main").inner_text()

    # A network film plays for the partner: its stream goes through the site, with the session.
    network = world.films["network"]
    page.goto(f"{site}/films/{network.pk}/")
    source = page.locator("video source").first.get_attribute("src")
    assert source == f"/espace-partenaires/telecharger/lecture/{network.pk}/720p"
    video = "document.querySelector('video')"
    page.evaluate(f"{video}.muted = true; {video}.play()")
    page.wait_for_function(f"{video}.currentTime > 0.5")

    # Deactivated: the next page shows logged out, the cookie is gone, public pages still show.
    get_user_model().objects.filter(pk=world.ana.pk).update(is_active=False)
    page.goto(f"{site}/films/")
    assert "Film réseau" not in page.locator(".cards .card h2").all_inner_texts()
    assert "Film public" in page.locator(".cards .card h2").all_inner_texts()
    assert not [c for c in page.context.cookies() if c["name"] == "pdi_session"]
    page.goto(f"{site}/espace-partenaires/")
    page.wait_for_url(re.compile(r"/espace-partenaires/connexion\?next="))


def test_keyboard_alone_logs_in(site, site_page, world):
    page = site_page
    page.goto(f"{site}/espace-partenaires/connexion")

    def tab_to(selector, limit=40):
        for _press in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement === document.querySelector({json.dumps(selector)})"):
                assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#email")
    page.keyboard.type("ana@mjc-exemple.fr")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/espace-partenaires/")
    assert page.locator("h1").inner_text() == "Espace partenaires"


def test_other_pages_of_the_space_answer_in_french(site, site_page, world):
    page = site_page
    page.goto(f"{site}/espace-partenaires/mot-de-passe/oublie")
    shoot(page, "mot-de-passe-oublie")
    page.get_by_label("Adresse e-mail").fill("personne@example.org")
    page.get_by_role("button", name="Recevoir le lien").click()
    unknown = page.get_by_role("status").inner_text()
    page.goto(f"{site}/espace-partenaires/mot-de-passe/oublie")
    page.get_by_label("Adresse e-mail").fill("ana@mjc-exemple.fr")
    page.get_by_role("button", name="Recevoir le lien").click()
    assert page.get_by_role("status").inner_text() == unknown  # the same answer for any address
    assert unknown.startswith("Si cette adresse est celle d'un compte partenaire")
    shoot(page, "mot-de-passe-envoye")

    page.goto(f"{site}/espace-partenaires/mot-de-passe/nouveau/faux%3Alien")
    assert page.get_by_role("alert").inner_text() == "Ce lien n'est plus valable : demandez-en un nouveau."
    shoot(page, "mot-de-passe-lien-perime")
    page.goto(f"{site}/espace-partenaires/verifier-email/faux%3Alien")
    shoot(page, "verifier-email")
    page.get_by_role("button", name="Confirmer mon adresse").click()
    assert page.get_by_role("alert").inner_text() == "Ce lien n'est plus valable : demandez-en un nouveau."

    page.goto(f"{site}/en/espace-partenaires/connexion")
    assert page.locator("h1").inner_text() == "Log in to the partner space"
    shoot(page, "connexion-en")


@pytest.fixture
def bucket_behind_a_proxy(s3_server, settings):
    with bucket_through_proxy(s3_server, settings) as proxy:
        yield proxy


def test_a_download_while_the_files_are_away_says_to_try_again_soon(bucket_behind_a_proxy, site, site_page, world):
    page = site_page
    log_in_on_site(page, site, "ana@mjc-exemple.fr")
    page.wait_for_url(f"{site}/espace-partenaires/")
    url = f"{site}/espace-partenaires/telecharger/film/{world.films['public'].pk}/original"
    bucket_behind_a_proxy.kill()
    answer = page.goto(url)
    assert answer.status == 503 and answer.headers["retry-after"] == "5"
    assert page.get_by_role("alert").inner_text() == (
        "Les fichiers ne peuvent pas être lus pour l'instant. Réessayez dans quelques secondes."
    )
    shoot(page, "telechargement-fichiers-indisponibles")
    assert not DownloadEvent.objects.filter(organisation=world.org_a).exists()
    bucket_behind_a_proxy.restore()
    with page.expect_download() as master:
        page.evaluate("url => { location.href = url; }", url)
    assert Path(master.value.path()).read_bytes() == world.films["public"].video.file.open("rb").read()
    assert DownloadEvent.objects.filter(organisation=world.org_a).count() == 1

"""In Chromium, in the French admin: a consent scan opened from the register, then found in the access log.

A regional editor sees her record's scan named and linked ("Télécharger",
"chaque ouverture est journalisée"), opens it, and the bytes come back; a
national editor then finds that opening under Rapports, in French. Each
step is photographed into `SCREENSHOT_DIR` (by default
`<tmp>/shots/privacy/`), created when missing.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest

from django.core.files.base import ContentFile

from library.core.tiers import ConsentScope
from library.models import ConsentForm
from library.models.consent import ConsentScanAccess
from tests.browser import log_in
from tests.factories import make_consent
from tests.library.network import build_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCAN = b"%PDF-1.4\n% autorisation de la famille\n"


@pytest.fixture
def shots():
    folder = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "shots" / "privacy")
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


def test_a_scan_is_opened_from_its_logged_link_and_the_opening_is_listed_in_french(
    browser_page, live_server, shots, chromium
):
    network = build_network(with_items=False)
    record = make_consent(network.coord_a, ConsentScope.NETWORK, label="Atelier vidéo du collège Jean-Moulin")
    scan = ConsentForm(record=record, file=ContentFile(SCAN, name="autorisation-famille.pdf"))
    scan.save()
    page = browser_page
    log_in(page, live_server, network.users["editor_a"])

    page.goto(f"{live_server.url}/admin/snippets/library/consentrecord/edit/{record.pk}/")
    stored = page.locator("p.library-private-file")
    assert " ".join(stored.inner_text().split()) == (
        "Fichier enregistré (privé) : autorisation-famille.pdf · Télécharger — chaque ouverture est journalisée"
    )
    view_link = stored.get_by_role("link", name="autorisation-famille.pdf")
    href = view_link.get_attribute("href")
    assert href == f"/admin/snippets/library/consentrecord/scan/{scan.pk}/"
    assert stored.get_by_role("link", name="Télécharger").get_attribute("href") == href + "?download=1"
    stored.scroll_into_view_if_needed()
    shots(page, "privacy-1-scan-link")

    # The link, followed with the editor's session: a redirect to the bucket, then the scan itself.
    answer = page.request.get(live_server.url + href)
    assert answer.status == 200 and answer.body() == SCAN
    assert {"private", "no-store"} <= {d.strip() for d in answer.headers["cache-control"].split(",")}
    assert ConsentScanAccess.objects.filter(user=network.users["editor_a"], form=scan, kind="view").count() == 1

    page.context.clear_cookies()
    log_in(page, live_server, network.users["national"])
    page.get_by_role("button", name="Rapports").click()
    page.get_by_role("link", name="Consultations des formulaires de consentement").click()
    page.wait_for_url(re.compile(r"/admin/consent_scan_openings/$"))
    assert page.locator("h1").inner_text().strip() == "Consultations des formulaires de consentement"
    headings = [" ".join(text.split()) for text in page.locator("thead th").all_inner_texts()]
    assert headings[:5] == ["Ouvert le", "Utilisateur", "Autorisation", "Formulaire numérisé", "Mode"], headings
    row = " ".join(page.locator("tbody tr").first.inner_text().split())
    assert "editrice-a" in row and "Atelier vidéo du collège Jean-Moulin" in row and "Consulté" in row, row
    assert re.search(r"\b\d\d/\d\d/\d{4} \d\d:\d\d\b", row), f"the moment as a date and time: {row}"
    shots(page, "privacy-2-access-log")

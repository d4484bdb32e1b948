"""In Chromium, a national editor suspends a partnership or gives it a last day, from the organisation's form.

The two fields the partner space and the API read at every request
(`is_active`, `active_until`) are in the French form, and a saved last day
is what the partner's account then shows. Each step is photographed into
`SCREENSHOT_DIR` (by default `<tmp>/shots/contract/`).
"""

import datetime
import os
import tempfile
from pathlib import Path

import pytest

from library.models import PartnerOrganisation
from tests.browser import log_in
from tests.library.network import build_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(page, name):
    folder = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "shots" / "contract")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def test_a_national_editor_gives_a_partnership_its_last_day(browser_page, live_server):
    network = build_network(with_items=False)
    organisation = PartnerOrganisation.objects.get(name="Cinéma Le Lux")
    page = browser_page
    log_in(page, live_server, network.users["national"])
    page.goto(f"{live_server.url}/admin/snippets/library/partnerorganisation/edit/{organisation.pk}/")
    active = page.get_by_role("checkbox", name="Active")
    assert active.is_checked()
    page.get_by_text("Dernier jour du partenariat").wait_for()
    last_day = datetime.date.today() + datetime.timedelta(days=90)
    page.fill("#id_active_until", last_day.strftime("%d/%m/%Y"))  # as the date picker writes it
    page.keyboard.press("Escape")
    assert page.input_value("#id_active_until") == last_day.strftime("%d/%m/%Y")
    page.locator("#panel-download_rate_per_hour-section").scroll_into_view_if_needed()
    shoot(page, "partner-organisation-form")
    page.get_by_role("button", name="Enregistrer").first.click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    organisation.refresh_from_db()
    assert (organisation.is_active, organisation.active_until) == (True, last_day)

"""Consent: expiry and withdrawal narrow a film without any editor action.

- Before the scheduled task runs, request-time checks already hide the film
  (v2 and v3 pages APIs, page serving, search through the access module).
- `lapse_consents` then updates stored state: effective tier, Wagtail page
  privacy, the search index; it sends `film_tier_changed` and leaves a
  `ConsentAlert` on the dashboard of the coordination's editors only.
- Withdrawing consent in the register narrows the film at once.
"""

import datetime
import io

import pytest

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Locale, PageViewRestriction

from library.access import rules as access
from library.access.consent_lapse import films_too_wide, lapse_consents_task
from library.access.rules import Requester
from library.core.groups import NATIONAL_GROUP, PARTNERS_GROUP
from library.core.signals import film_tier_changed
from library.core.tiers import ConsentScope, Tier
from library.models import ConsentAlert, ConsentRecord, FilmPage
from tests.factories import build_coordinations, build_home, make_consent, make_film, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture
def coordinations():
    home = build_home()
    _index, (coord_a, coord_b) = build_coordinations(home)
    return home, coord_a, coord_b


@pytest.fixture
def lapsed_film(coordinations):
    """A public film whose consent was valid until yesterday: a day passed, nobody touched anything."""
    _home, coord_a, _coord_b = coordinations
    consent = make_consent(coord_a, ConsentScope.PUBLIC, expires_on=TODAY, label="Valide jusqu'à hier")
    film = make_film(coord_a, "Film qui expire", Tier.PUBLIC, consent)
    assert film.effective_tier == Tier.PUBLIC
    assert not PageViewRestriction.objects.filter(page=film).exists()
    # The day passes: the row changes under the application, no signal fires.
    ConsentRecord.objects.filter(pk=consent.pk).update(expires_on=YESTERDAY)
    film.refresh_from_db()
    return film


@pytest.fixture
def tier_changes():
    received = []

    def receiver(sender, film, old, new, **kwargs):
        received.append((film.pk, old, new))

    film_tier_changed.connect(receiver)
    yield received
    film_tier_changed.disconnect(receiver)


def _film_url(home, film):
    return "/" + film.url_path.removeprefix(home.url_path)


def test_expired_consent_hides_film_before_the_task_runs(client, coordinations, lapsed_film):
    home = coordinations[0]
    assert lapsed_film.effective_tier == Tier.PUBLIC, "stored state is stale until the task runs"
    v2 = client.get(reverse("wagtailapi:pages:listing"), {"type": "library.FilmPage"}).json()
    assert lapsed_film.pk not in {row["id"] for row in v2["items"]}
    assert client.get(reverse("wagtailapi:pages:detail", args=[lapsed_film.pk])).status_code == 404
    v3 = client.get(reverse("wagtailapi_v3:list_pages"), {"type": "library.FilmPage"}).json()
    assert lapsed_film.pk not in {row["id"] for row in v3["items"]}
    assert client.get(reverse("wagtailapi_v3:detail_page", args=[lapsed_film.pk])).status_code == 404
    assert client.get(_film_url(home, lapsed_film)).status_code == 404
    assert _film_url(home, lapsed_film) + "</loc>" not in client.get(reverse("sitemap")).content.decode()
    assert lapsed_film.pk not in {f.pk for f in access.search_visible(FilmPage.objects.all(), Requester(), "Synopsis")}


def test_a_live_public_film_is_served_to_everyone(client, coordinations):
    """The counterpart of the test above: the same film with its consent in force is shown."""
    home, coord_a, _ = coordinations
    film = make_film(coord_a, "Film en règle", Tier.PUBLIC, make_consent(coord_a, ConsentScope.PUBLIC))
    assert client.get(reverse("wagtailapi:pages:detail", args=[film.pk])).status_code == 200
    assert client.get(reverse("wagtailapi_v3:detail_page", args=[film.pk])).status_code == 200
    response = client.get(_film_url(home, film))
    assert response.status_code == 200
    assert "Film en règle" in response.content.decode()
    assert _film_url(home, film) + "</loc>" in client.get(reverse("sitemap")).content.decode()


def test_lapse_task_updates_stored_state_and_alerts_the_coordination(client, coordinations, lapsed_film, tier_changes):
    _home, coord_a, coord_b = coordinations
    assert [f.pk for f in films_too_wide()] == [lapsed_film.pk]

    out = io.StringIO()
    call_command("lapse_consents", stdout=out)
    assert "1 film(s) narrowed, 0 page restriction(s) resynced" in out.getvalue()

    lapsed_film.refresh_from_db()
    assert lapsed_film.effective_tier == Tier.INTERNAL
    restriction = PageViewRestriction.objects.get(page=lapsed_film)
    assert set(restriction.groups.values_list("name", flat=True)) == {coord_a.editors_group.name, NATIONAL_GROUP}
    assert tier_changes == [(lapsed_film.pk, Tier.PUBLIC, Tier.INTERNAL)]

    # The search index follows: a filter on the indexed tier no longer finds it.
    indexed_public = FilmPage.objects.filter(effective_tier=Tier.PUBLIC).search("Synopsis")
    assert lapsed_film.pk not in {f.pk for f in indexed_public}

    alert = ConsentAlert.objects.get(film=lapsed_film)
    assert (alert.reason, alert.old_tier, alert.new_tier) == ("expired", Tier.PUBLIC, Tier.INTERNAL)
    assert alert.coordination_id == coord_a.pk
    assert ConsentRecord.objects.get(pk=lapsed_film.consent_id).lapse_notified_on == TODAY

    # A second run finds nothing to do, and alerts nobody twice.
    assert lapse_consents_task.enqueue().return_value == 0
    assert ConsentAlert.objects.count() == 1
    assert len(tier_changes) == 1

    # The dashboard of coordination A's editors shows it; B's editors see nothing.
    editor_a = make_user("alice", coord_a.editors_group)
    editor_b = make_user("bruno", coord_b.editors_group)
    client.force_login(editor_a)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Film qui expire" in page and "consent-alert" in page
    client.force_login(editor_b)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Film qui expire" not in page

    # Only coordination A's editors may mark it as seen; then it leaves their dashboard.
    acknowledge = reverse("library_acknowledge_consent_alert", args=[alert.pk])
    assert client.post(acknowledge).status_code == 404
    client.force_login(editor_a)
    assert client.get(acknowledge).status_code == 405
    response = client.post(acknowledge, follow=True)
    assert "marquée comme vue" in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_by == editor_a and alert.acknowledged_at is not None
    assert "consent-alert" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_withdrawal_in_the_register_narrows_at_once(coordinations, tier_changes):
    _home, coord_a, _ = coordinations
    consent = make_consent(coord_a, ConsentScope.NETWORK, label="Réseau")
    film = make_film(coord_a, "Film réseau", Tier.NETWORK, consent)
    restriction = PageViewRestriction.objects.get(page=film)
    assert Group.objects.get(name=PARTNERS_GROUP) in restriction.groups.all()
    partner = make_user("partenaire", Group.objects.get(name=PARTNERS_GROUP))
    assert access.can_view(Requester(user=partner), film)

    consent.withdrawn_on = TODAY
    consent.withdrawal_reason = "Un parent retire son autorisation"
    consent.full_clean()
    consent.save()

    film.refresh_from_db()
    assert film.effective_tier == Tier.INTERNAL
    assert not access.can_view(Requester(user=partner), film)
    restriction = PageViewRestriction.objects.get(page=film)
    assert Group.objects.get(name=PARTNERS_GROUP) not in restriction.groups.all()
    assert tier_changes == [(film.pk, Tier.NETWORK, Tier.INTERNAL)]
    assert ConsentAlert.objects.get(film=film).reason == "withdrawn"
    assert films_too_wide().count() == 0


def test_renewed_consent_widens_back_to_the_editors_choice(coordinations):
    _home, coord_a, _ = coordinations
    consent = make_consent(coord_a, ConsentScope.PUBLIC, expires_on=TODAY)
    film = make_film(coord_a, "Film renouvelé", Tier.PUBLIC, consent)
    ConsentRecord.objects.filter(pk=consent.pk).update(expires_on=YESTERDAY)
    call_command("lapse_consents", stdout=io.StringIO())
    film.refresh_from_db()
    assert film.effective_tier == Tier.INTERNAL

    consent.refresh_from_db()
    consent.expires_on = TODAY + datetime.timedelta(days=365)
    consent.save()
    film.refresh_from_db()
    assert film.effective_tier == Tier.PUBLIC
    assert not PageViewRestriction.objects.filter(page=film).exists()


def test_moving_a_film_changes_its_coordination(coordinations):
    _home, coord_a, coord_b = coordinations
    film = make_film(coord_a, "Film déplacé", Tier.INTERNAL, make_consent(coord_a, ConsentScope.PUBLIC))
    assert film.coordination_id == coord_a.pk
    film.move(coord_b, pos="last-child")
    film.refresh_from_db()
    assert film.coordination_id == coord_b.pk
    restriction = PageViewRestriction.objects.get(page=film)
    assert set(restriction.groups.values_list("name", flat=True)) == {coord_b.editors_group.name, NATIONAL_GROUP}


def test_a_copy_under_another_coordination_belongs_to_it(coordinations):
    _home, coord_a, coord_b = coordinations
    film = make_film(coord_a, "Film copié", Tier.INTERNAL, make_consent(coord_a, ConsentScope.PUBLIC))
    copy = film.copy(to=coord_b, update_attrs={"slug": "film-copie-b", "title": "Film copié (B)"}).specific
    copy.refresh_from_db()
    assert copy.coordination_id == coord_b.pk
    restriction = PageViewRestriction.objects.get(page=copy)
    assert set(restriction.groups.values_list("name", flat=True)) == {coord_b.editors_group.name, NATIONAL_GROUP}


def test_a_translation_stays_with_the_coordination_that_has_editors(coordinations):
    _home, coord_a, _ = coordinations
    film = make_film(coord_a, "Film traduit", Tier.INTERNAL, make_consent(coord_a, ConsentScope.PUBLIC))
    english = Locale.objects.get_or_create(language_code="en")[0]
    # The editors' group is one-to-one with the French page: the translation must not copy it.
    coord_a.copy_for_translation(english, copy_parents=True, exclude_fields=["editors_group"])
    translation = film.copy_for_translation(english).specific
    translation.refresh_from_db()
    assert translation.get_parent().specific.locale == english
    assert translation.coordination_id == coord_a.pk
    editor_a = make_user("alice", coord_a.editors_group)
    assert access.can_view(Requester(user=editor_a), translation, include_drafts=True)


def test_nightly_run_restores_a_restriction_removed_by_hand(coordinations):
    """The admin's privacy dialog can delete a film's restriction; the nightly run puts it back."""
    _home, coord_a, _ = coordinations
    film = make_film(coord_a, "Film interne", Tier.INTERNAL, make_consent(coord_a, ConsentScope.PUBLIC))
    PageViewRestriction.objects.filter(page=film).delete()
    out = io.StringIO()
    call_command("lapse_consents", stdout=out)
    assert "0 film(s) narrowed, 1 page restriction(s) resynced" in out.getvalue()
    assert PageViewRestriction.objects.filter(page=film).exists()

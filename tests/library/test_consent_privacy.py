"""Consent scans as personal data: the logged route that opens them, the access log, the retention purge.

One network for the module (coordinations A and B, their editors, a national
editor, partners); scans are stored on the S3 test server, as in production,
and on local disk where a test says so.
"""

import datetime
import urllib.request
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from library.access.rules import current_tier
from library.core.storage import private_storage
from library.core.tiers import ConsentScope, Tier
from library.models import ConsentForm, ConsentRecord
from library.models.consent import ConsentScanAccess
from tests.factories import make_consent, make_film, withdraw_consent
from tests.faults import TCPProxy
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

SCAN = b"%PDF-1.4\n% autorisation signee par les parents\n" + bytes(range(256)) * 8


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        network.record = make_consent(network.coord_a, ConsentScope.PUBLIC, label="Atelier du collège 2025")
        network.scan = ConsentForm(record=network.record, file=ContentFile(SCAN, name="autorisation-dupont.pdf"))
        network.scan.save()
    return network


def scan_url(scan, download=False):
    url = reverse("wagtailsnippets_library_consentrecord:scan", args=[scan.pk])
    return url + "?download=1" if download else url


def edit_url(record):
    return reverse("wagtailsnippets_library_consentrecord:edit", args=[record.pk])


def log_url():
    return reverse("consent_scan_openings:index")


def never_kept(cache_control):
    """A Cache-Control that no browser, proxy or CDN may store (the admin adds no-cache and max-age=0 to it)."""
    directives = {part.strip() for part in cache_control.split(",")}
    return {"private", "no-store"} <= directives and not any(d.startswith(("public", "s-maxage")) for d in directives)


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as answer:  # the S3 test server, on loopback
        return answer.read(), dict(answer.headers)


# --- Opening a scan ----------------------------------------------------------------------------


def test_the_edit_form_links_to_the_logged_route_never_to_the_file(client, net):
    client.force_login(net.users["editor_a"])
    body = client.get(edit_url(net.record)).content.decode()
    assert f'href="{scan_url(net.scan)}"' in body
    assert f'href="{scan_url(net.scan, download=True)}"' in body
    assert "autorisation-dupont.pdf" in body
    assert net.scan.file.name not in body and "X-Amz-Signature" not in body
    assert not ConsentScanAccess.objects.exists(), "showing the form opens nothing"


def test_an_editor_of_the_coordination_opens_a_scan_on_s3_logged_and_never_cached(client, net):
    editor = net.users["editor_a"]
    client.force_login(editor)
    before = timezone.now()
    response = client.get(scan_url(net.scan))
    assert response.status_code == 302
    assert never_kept(response["Cache-Control"])

    access = ConsentScanAccess.objects.get()
    assert (access.user, access.user_label, access.record, access.record_label, access.form) == (
        editor,
        editor.username,
        net.record,
        net.record.label,
        net.scan,
    )
    assert access.kind == ConsentScanAccess.Kind.VIEW and access.at >= before

    location = response["Location"]
    query = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    assert query["X-Amz-Expires"] == "60", "a short-lived URL"
    assert query["response-cache-control"] == "private, no-store"
    assert query["response-content-disposition"].startswith('inline; filename="autorisation-dupont.pdf"')
    assert query["response-content-type"] == "application/pdf"
    body, headers = fetch(location)
    assert body == SCAN
    assert headers.get("Cache-Control") == "private, no-store"

    unsigned = location.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError):
        fetch(unsigned)


def test_a_download_is_logged_as_one_and_saved_under_its_name(client, net):
    client.force_login(net.users["national"])
    response = client.get(scan_url(net.scan, download=True))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["response-content-disposition"][0].startswith('attachment; filename="autorisation-dupont.pdf"')
    assert fetch(response["Location"])[0] == SCAN
    access = ConsentScanAccess.objects.get()
    assert (access.user, access.kind) == (net.users["national"], ConsentScanAccess.Kind.DOWNLOAD)


@pytest.fixture
def local_disk(settings, tmp_path):
    storages = dict(settings.STORAGES)
    storages["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "private"},
    }
    with override_settings(STORAGES=storages):
        yield tmp_path / "private"


def test_on_local_disk_the_scan_is_streamed_never_cached(client, net, local_disk):
    private_storage.save(net.scan.file.name, ContentFile(SCAN))
    client.force_login(net.users["editor_a"])
    response = client.get(scan_url(net.scan))
    assert response.status_code == 200 and response.streaming
    assert never_kept(response["Cache-Control"])
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="autorisation-dupont.pdf"')
    assert b"".join(response.streaming_content) == SCAN
    assert ConsentScanAccess.objects.filter(user=net.users["editor_a"], kind="view").count() == 1

    saved = client.get(scan_url(net.scan, download=True))
    assert saved["Content-Disposition"].startswith("attachment;")
    assert b"".join(saved.streaming_content) == SCAN


def test_a_scan_missing_on_disk_is_not_found_and_logs_nothing(client, net, local_disk):
    client.force_login(net.users["editor_a"])
    assert client.get(scan_url(net.scan)).status_code == 404
    assert not ConsentScanAccess.objects.exists()


def test_a_scan_missing_from_the_bucket_is_not_found_and_logs_nothing(client, net):
    scan = ConsentForm(record=net.record, file=ContentFile(SCAN, name="perdu.pdf"))
    scan.save()
    private_storage.delete(scan.file.name)
    client.force_login(net.users["editor_a"])
    assert client.get(scan_url(scan)).status_code == 404
    assert not ConsentScanAccess.objects.exists()


def test_with_the_bucket_away_the_editor_is_told_and_nothing_is_logged(client, net, s3_server, settings):
    with TCPProxy("127.0.0.1", s3_server.port) as proxy:
        storages = s3_server.storage_settings(settings.STORAGES)
        storages["private"]["OPTIONS"]["endpoint_url"] = f"http://{proxy.address}"
        settings.STORAGES = storages
        client.force_login(net.users["editor_a"])
        assert client.get(scan_url(net.scan)).status_code == 302  # through the proxy, bucket up
        proxy.kill()
        response = client.get(scan_url(net.scan), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    assert ConsentScanAccess.objects.count() == 1, "only the opening that was served"


#: Wagtail's refusal: an editor without the right goes to the dashboard ("permission denied"); a partner,
#: who has no admin access at all, to the log-in page.
REFUSED_TO = {
    "editor_b": "wagtailadmin_home",
    "partner_session": "wagtailadmin_login",
    "partner_token": "wagtailadmin_login",
}


@pytest.mark.parametrize("who", sorted(REFUSED_TO))
def test_anyone_else_is_refused_by_id_like_wagtail_refuses(client, net, who):
    client.force_login(net.users[who])
    for url in (scan_url(net.scan), scan_url(net.scan, download=True)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].split("?")[0] == reverse(REFUSED_TO[who])
        assert "X-Amz" not in response["Location"]
    assert not ConsentScanAccess.objects.exists()


def test_anonymous_visitors_are_sent_to_the_log_in(client, net):
    response = client.get(scan_url(net.scan))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert not ConsentScanAccess.objects.exists()


def test_an_editor_who_lost_the_register_permission_is_refused(client, net):
    from django.contrib.auth.models import Permission

    group = net.coord_a.editors_group
    permission = Permission.objects.get(codename="change_consentrecord")
    group.permissions.remove(permission)
    client.force_login(net.users["editor_a"])
    assert client.get(scan_url(net.scan))["Location"] == reverse("wagtailadmin_home")
    assert not ConsentScanAccess.objects.exists()


def test_an_unknown_scan_is_not_found(client, net):
    client.force_login(net.users["national"])
    assert client.get(reverse("wagtailsnippets_library_consentrecord:scan", args=[999999])).status_code == 404


# --- The access log --------------------------------------------------------------------------


def test_the_log_lists_openings_to_national_editors_with_filters(client, net):
    client.force_login(net.users["editor_a"])
    client.get(scan_url(net.scan))
    client.get(scan_url(net.scan, download=True))

    client.force_login(net.users["national"])
    response = client.get(log_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Consultations des formulaires de consentement" in body
    assert body.count(net.users["editor_a"].username) >= 2
    assert "Atelier du collège 2025" in body and "autorisation-dupont.pdf" in body
    assert "Consulté" in body and "Téléchargé" in body

    other = make_consent(net.coord_a, ConsentScope.NETWORK, label="Autre atelier")
    other_scan = ConsentForm(record=other, file=ContentFile(SCAN, name="autre.pdf"))
    other_scan.save()
    client.get(scan_url(other_scan))  # the national editor, this time

    def rows(**filters):
        body = client.get(log_url(), filters).content.decode()
        return body.split("<tbody>", 1)[-1].split("</tbody>", 1)[0]

    mine = rows(user=net.users["editor_a"].pk)
    assert mine.count("Atelier du collège 2025") == 2 and "Autre atelier" not in mine
    theirs = rows(user=net.users["national"].pk)
    assert "Autre atelier" in theirs and "Atelier du collège 2025" not in theirs
    by_record = rows(record=other.pk)
    assert "Autre atelier" in by_record and "Atelier du collège 2025" not in by_record

    export = client.get(log_url(), {"export": "csv"})
    assert export.status_code == 200
    csv = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert "Atelier du collège 2025" in csv and "Téléchargé" in csv

    reports = client.get(reverse("wagtailadmin_home")).content.decode()
    assert log_url() in reports


@pytest.mark.parametrize("who", ["editor_a", "editor_b", "partner_session"])
def test_the_log_is_refused_to_everyone_else_by_url(client, net, who):
    client.force_login(net.users[who])
    for url in (log_url(), reverse("consent_scan_openings:index_results")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].split("?")[0] == reverse(REFUSED_TO.get(who, "wagtailadmin_home"))
    assert log_url() not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_log_is_read_only(client, net):
    client.force_login(net.users["national"])
    client.get(scan_url(net.scan))
    access = ConsentScanAccess.objects.get()
    assert "consent_scan_openings/new/" not in client.get(log_url()).content.decode()
    for suffix in (f"edit/{access.pk}/", f"delete/{access.pk}/", "new/"):
        assert client.get(log_url() + suffix).status_code == 404


# --- Retention ------------------------------------------------------------------------------


def _lapsed_record(net, label, ended_days_ago, scan_content=SCAN):
    today = timezone.localdate()
    record = make_consent(
        net.coord_a, ConsentScope.PUBLIC, label=label, granted_on=today - datetime.timedelta(days=4000)
    )
    film = make_film(net.coord_a, f"Film {label}", Tier.PUBLIC, record)
    withdraw_consent(record, on=today - datetime.timedelta(days=ended_days_ago), reason="Demande de la famille Dupont")
    ConsentRecord.objects.filter(pk=record.pk).update(notes="Contact : Mme Dupont, 06 00 00 00 00")
    scan = ConsentForm(record=record, file=ContentFile(scan_content, name=f"{label}.pdf"))
    scan.save()
    record.refresh_from_db()
    return record, film, scan


def test_purge_dry_run_changes_nothing_then_the_real_run_deletes_from_the_bucket(net, s3_server, settings):
    settings.CONSENT_RETENTION_DAYS = 1826
    old, old_film, old_scan = _lapsed_record(net, "Atelier 2015", ended_days_ago=1900)
    recent, _recent_film, recent_scan = _lapsed_record(net, "Atelier 2024", ended_days_ago=100)
    expired = make_consent(
        net.coord_a,
        ConsentScope.NETWORK,
        label="Expirée 2019",
        granted_on=datetime.date(2015, 1, 1),
        expires_on=timezone.localdate() - datetime.timedelta(days=1827),
    )
    expired_scan = ConsentForm(record=expired, file=ContentFile(SCAN, name="expiree.pdf"))
    expired_scan.save()
    stale_access = ConsentScanAccess.objects.create(
        user=net.users["editor_a"], user_label="editrice-a", record=old, record_label=old.label, form=old_scan
    )
    ConsentScanAccess.objects.filter(pk=stale_access.pk).update(at=timezone.now() - datetime.timedelta(days=1900))
    fresh_access = ConsentScanAccess.objects.create(
        user=net.users["editor_a"], user_label="editrice-a", record=recent, record_label=recent.label
    )
    key = f"private/{old_scan.file.name}"
    assert key in s3_server.list_keys("private/consent-forms/")
    assert current_tier(old_film) == Tier.INTERNAL

    out = StringIO()
    call_command("purge_consent_data", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Atelier 2015" in text and "would delete 1 scan(s)" in text and "Expirée 2019" in text
    assert "Atelier 2024" not in text
    assert "Dry run: nothing was changed." in text
    assert key in s3_server.list_keys("private/consent-forms/")
    old.refresh_from_db()
    assert old.forms.count() == 1 and old.notes and old.withdrawal_reason and old.personal_data_purged_on is None
    assert ConsentScanAccess.objects.filter(pk=stale_access.pk).exists()

    out = StringIO()
    call_command("purge_consent_data", stdout=out)
    text = out.getvalue()
    assert "2 record(s) purged." in text, text
    keys = s3_server.list_keys("private/consent-forms/")
    assert key not in keys and f"private/{expired_scan.file.name}" not in keys
    assert f"private/{recent_scan.file.name}" in keys
    old.refresh_from_db()
    assert not old.forms.exists()
    assert (old.notes, old.withdrawal_reason) == ("", "")
    assert old.personal_data_purged_on == timezone.localdate()
    # What the access rule reads stays: the film is still capped at internal.
    assert old.scope == ConsentScope.PUBLIC and old.withdrawn_on is not None
    assert old.tier_cap() == Tier.INTERNAL
    old_film.refresh_from_db()
    assert current_tier(old_film) == Tier.INTERNAL and old_film.effective_tier == Tier.INTERNAL
    old.full_clean()  # still valid in the admin without its reason
    recent.refresh_from_db()
    assert recent.forms.count() == 1 and recent.notes
    assert not ConsentScanAccess.objects.filter(pk=stale_access.pk).exists()
    assert ConsentScanAccess.objects.filter(pk=fresh_access.pk).exists()

    again = StringIO()
    call_command("purge_consent_data", stdout=again)
    assert "0 record(s) purged." in again.getvalue()


def test_purge_refuses_a_retention_below_a_day(net):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least one day"):
        call_command("purge_consent_data", "--days", "0", stdout=StringIO())


def test_a_consent_in_force_is_never_purged(net, settings):
    settings.CONSENT_RETENTION_DAYS = 1
    out = StringIO()
    call_command("purge_consent_data", stdout=out)
    assert net.record.forms.count() == 1
    assert "Atelier du collège 2025" not in out.getvalue()


def test_a_scan_removed_from_its_record_leaves_the_bucket(net, s3_server, django_capture_on_commit_callbacks):
    record = make_consent(net.coord_a, ConsentScope.PUBLIC, label="Atelier à supprimer")
    scans = [ConsentForm(record=record, file=ContentFile(SCAN, name=f"scan-{n}.pdf")) for n in range(2)]
    for scan in scans:
        scan.save()
    keys = [f"private/{scan.file.name}" for scan in scans]
    assert set(keys) <= set(s3_server.list_keys("private/consent-forms/"))

    with django_capture_on_commit_callbacks(execute=True):
        scans[0].delete()  # removed from the record's form
    assert keys[0] not in s3_server.list_keys("private/consent-forms/")
    with django_capture_on_commit_callbacks(execute=True):
        record.delete()  # the record and its remaining scans
    assert keys[1] not in s3_server.list_keys("private/consent-forms/")


def test_a_scan_replaced_by_another_file_takes_its_name_and_the_old_file_leaves(
    net, s3_server, django_capture_on_commit_callbacks
):
    scan = ConsentForm(record=net.record, file=ContentFile(SCAN, name="premier.pdf"))
    scan.save()
    first = f"private/{scan.file.name}"
    with django_capture_on_commit_callbacks(execute=True):
        scan.file = ContentFile(SCAN + b"2", name="nouveau-formulaire.pdf")
        scan.save()
    assert scan.original_filename == "nouveau-formulaire.pdf"
    keys = s3_server.list_keys("private/consent-forms/")
    assert first not in keys and f"private/{scan.file.name}" in keys
    with django_capture_on_commit_callbacks(execute=True):
        scan.save()  # saved again without a new file: nothing moves
    assert f"private/{scan.file.name}" in s3_server.list_keys("private/consent-forms/")


def test_a_purged_record_says_so_in_its_form(client, net):
    client.force_login(net.users["editor_a"])
    assert "Données personnelles effacées le" not in client.get(edit_url(net.record)).content.decode()
    ConsentRecord.objects.filter(pk=net.record.pk).update(personal_data_purged_on=datetime.date(2031, 3, 2))
    body = client.get(edit_url(net.record)).content.decode()
    assert "Données personnelles effacées le" in body
    assert "2 mars 2031" in body and "les films restent restreints" in body

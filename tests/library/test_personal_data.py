"""`manage.py personal_data export|erase --email X`: what the system holds about a person, out or gone.

A partner account with everything a partner leaves behind (a membership, an
allauth address, an API token, downloads, a log-in through allauth's real
endpoint and its session), an organisation whose contact is that person,
and an editor who opened a consent scan.
"""

import json
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessLog

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from wagtail.models import APIToken

from library.core.tiers import ConsentScope
from library.models import ConsentForm, DownloadEvent, PartnerOrganisation
from library.models.consent import ConsentScanAccess
from tests.factories import PASSWORD, make_consent, make_partner, make_token, make_user
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

EMAIL = "ana.martin@mjc-exemple.fr"
LOGIN = "/_allauth/app/v1/auth/login"


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        ana = make_user("ana", email=EMAIL, first_name="Ana", last_name="Martin")
        EmailAddress.objects.create(user=ana, email=EMAIL, verified=True, primary=True)
        organisation = make_partner(network.coord_a, ana, name="MJC Exemple")
        organisation.contact_name, organisation.contact_email, organisation.contact_phone = (
            "Ana Martin",
            EMAIL.upper(),
            "06 12 34 56 78",
        )
        organisation.save()
        network.ana, network.organisation = ana, organisation
        network.token = make_token(ana, organisation)
        api_token = APIToken.objects.get(user=ana)
        for title in ("La ligne 13", "La ligne 13", "Nos quartiers"):
            DownloadEvent.objects.create(
                organisation=organisation,
                user=ana,
                token=api_token,
                coordination=network.coord_a,
                item_title=title,
                rendition="master",
                ip_hash="0123456789abcdef",
            )
        other = make_user("bea", email="bea@cinema.fr")
        DownloadEvent.objects.create(
            organisation=make_partner(network.coord_a, other, name="Cinéma"),
            user=other,
            coordination=network.coord_a,
            item_title="La ligne 13",
            rendition="master",
        )
        record = make_consent(network.coord_a, ConsentScope.PUBLIC, label="Atelier 2025")
        scan = ConsentForm(record=record, file=ContentFile(b"%PDF-1.4 scan", name="scan.pdf"))
        scan.save()
        network.editor_access = ConsentScanAccess.objects.create(
            user=network.users["editor_a"],
            user_label=network.users["editor_a"].username,
            record=record,
            record_label=record.label,
            form=scan,
        )
    return network


def run(*args):
    out = StringIO()
    call_command("personal_data", *args, stdout=out)
    return out.getvalue()


def partner_log_in(client, email=EMAIL, password=PASSWORD):
    return client.post(LOGIN, {"email": email, "password": password}, content_type="application/json")


def test_export_lists_what_is_held_about_a_partner(client, net):
    assert partner_log_in(client).status_code == 200  # a session and an axes log-in record
    data = json.loads(run("export", "--email", "Ana.Martin@MJC-exemple.fr"))
    (user,) = data["users"]
    assert (user["username"], user["first_name"], user["last_name"], user["email"]) == ("ana", "Ana", "Martin", EMAIL)
    assert user["email_addresses"] == [{"email": EMAIL, "verified": True, "primary": True}]
    assert user["partner_organisations"] == [
        {"id": net.organisation.pk, "name": "MJC Exemple", "coordination": net.coord_a.title}
    ]
    (token,) = user["api_tokens"]
    assert token["name"] == "Portail MJC Exemple" and token["organisation"] == "MJC Exemple"
    assert token["prefix"] and net.token.startswith(token["prefix"]) and token["revoked_at"] is None
    serialised = json.dumps(data)
    assert net.token not in serialised, "never a token's secret"
    assert APIToken.objects.get(user=net.ana).key_hash not in serialised, "nor its hash"
    assert sorted(d["item"] for d in user["downloads"]) == ["La ligne 13", "La ligne 13", "Nos quartiers"]
    assert user["active_sessions"] == 1
    assert any(record["kind"] == "AccessLog" for record in user["login_records"])
    assert user["consent_scan_openings"] == []
    assert data["partner_organisation_contacts"] == [
        {
            "organisation": "MJC Exemple",
            "coordination": net.coord_a.title,
            "contact_name": "Ana Martin",
            "contact_email": EMAIL.upper(),
            "contact_phone": "06 12 34 56 78",
        }
    ]


def test_export_of_an_editor_lists_the_scans_they_opened(net):
    editor = net.users["editor_a"]
    data = json.loads(run("export", "--email", editor.email))
    (user,) = data["users"]
    assert [opening["record"] for opening in user["consent_scan_openings"]] == ["Atelier 2025"]
    assert user["groups"] == [net.coord_a.editors_group.name]


def test_an_unknown_address_holds_nothing_and_a_non_address_is_refused(net):
    data = json.loads(run("export", "--email", "personne@example.org"))
    assert data["users"] == [] and data["partner_organisation_contacts"] == []
    assert "Nothing is held" in run("erase", "--email", "personne@example.org")
    for bad in ("", "   ", "ana", "a@b@c"):
        with pytest.raises(CommandError, match="Not an e-mail address"):
            run("erase", "--email", bad)


def test_erase_dry_run_changes_nothing(client, net):
    assert partner_log_in(client).status_code == 200
    text = run("erase", "--email", EMAIL, "--dry-run")
    assert f"user #{net.ana.pk} ana: deactivated and renamed supprime-{net.ana.pk}" in text
    assert "3 download(s) kept without the user" in text
    assert "Dry run: nothing was changed." in text
    net.ana.refresh_from_db()
    assert net.ana.is_active and net.ana.email == EMAIL
    assert DownloadEvent.objects.filter(user=net.ana).count() == 3
    assert partner_log_in(client).status_code == 200


def test_erase_anonymises_keeps_counts_and_the_person_can_no_longer_log_in(client, net):
    session = partner_log_in(client)
    assert session.status_code == 200
    session_token = session.json()["meta"]["session_token"]
    assert client.get("/api/v3/partner/me/", HTTP_X_SESSION_TOKEN=session_token).status_code == 200
    AccessAttempt.objects.create(
        username=EMAIL,
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info=LOGIN,
        failures_since_start=1,
    )

    text = run("erase", "--email", EMAIL)
    assert "Erased what was held about" in text
    user = get_user_model().objects.get(pk=net.ana.pk)
    assert user.username == f"supprime-{user.pk}"
    assert (user.first_name, user.last_name, user.email, user.is_active) == ("", "", "", False)
    assert not user.has_usable_password()
    assert not user.groups.exists() and not user.partner_organisations.exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not AccessAttempt.objects.filter(username__iexact=EMAIL).exists()
    assert not AccessLog.objects.filter(username__iexact=EMAIL).exists()
    assert not any(s.get_decoded().get("_auth_user_id") == str(user.pk) for s in Session.objects.all())

    # Downloads are still counted, per organisation and film, without the person.
    events = DownloadEvent.objects.filter(organisation=net.organisation)
    assert events.count() == 3 and not events.exclude(user=None).exists()
    assert set(events.values_list("ip_hash", flat=True)) == {""}
    assert DownloadEvent.objects.exclude(user=None).count() == 1, "someone else's download keeps its user"
    token = APIToken.objects.get(user=user)
    assert token.revoked_at is not None and token.name == "erased"
    organisation = PartnerOrganisation.objects.get(pk=net.organisation.pk)
    assert (organisation.contact_name, organisation.contact_email, organisation.contact_phone) == ("", "", "")
    assert organisation.name == "MJC Exemple"

    # Log-in fails everywhere: the partner space, the API session already open, the bearer token, the admin.
    assert partner_log_in(client).status_code in (400, 401)
    assert client.get("/api/v3/partner/me/", HTTP_X_SESSION_TOKEN=session_token).status_code == 401
    assert client.get("/api/v3/partner/me/", HTTP_AUTHORIZATION=f"Bearer {net.token}").status_code == 401
    for username in ("ana", user.username):
        response = client.post(reverse("wagtailadmin_login"), {"username": username, "password": PASSWORD})
        assert response.status_code == 200 and "_auth_user_id" not in client.session, username
    assert json.loads(run("export", "--email", EMAIL))["users"] == []


def test_erasing_an_editor_keeps_the_scan_log_under_the_anonymised_name(client, net):
    editor = net.users["editor_a"]
    run("erase", "--email", editor.email)
    access = ConsentScanAccess.objects.get(pk=net.editor_access.pk)
    assert access.user_id == editor.pk and access.user_label == f"supprime-{editor.pk}"
    assert access.record_label == "Atelier 2025"
    client.force_login(net.users["national"])
    body = client.get(reverse("consent_scan_openings:index")).content.decode()
    assert f"supprime-{editor.pk}" in body and editor.username not in body.split("<tbody>", 1)[-1]

"""The partner space: allauth's headless log-in, the partner session on the library API, `/api/v3/partner/`.

Every session here comes from allauth's real endpoints (`POST
/_allauth/app/v1/auth/login`, `meta.session_token`), sent back as
`X-Session-Token`, as the public site's server does.
"""

import datetime
import re
from urllib.parse import unquote

import pytest
from allauth.account.models import EmailAddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from library.models import DownloadEvent, PartnerToken
from tests.factories import PASSWORD, make_partner, make_token, make_user
from tests.library.api.catalogue import module_catalogue

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db

LOGIN = "/_allauth/app/v1/auth/login"
SESSION = "/_allauth/app/v1/auth/session"
RESET_REQUEST = "/_allauth/app/v1/auth/password/request"
RESET = "/_allauth/app/v1/auth/password/reset"
VERIFY = "/_allauth/app/v1/auth/email/verify"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def partner_account(email, organisation=None, *, coordination=None, name="MJC Exemple", verified=True):
    user = make_user(email.split("@")[0], email=email)
    if organisation is None:
        organisation = make_partner(coordination, user, name=name)
    else:
        organisation.members.add(user)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user, organisation


def log_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"email": email, "password": password}, content_type="application/json")


def session_of(client, email, password=PASSWORD):
    response = log_in(client, email, password)
    assert response.status_code == 200, response.content
    return {"HTTP_X_SESSION_TOKEN": response.json()["meta"]["session_token"]}


@pytest.fixture
def ana(catalogue):
    """A verified partner account of a new organisation of coordination A."""
    return partner_account("ana@mjc-exemple.fr", coordination=catalogue.coord_a)


@pytest.fixture
def bruno(catalogue):
    """A partner account of another organisation (B)."""
    return partner_account("bruno@cinema-b.fr", coordination=catalogue.coord_b, name="Cinéma B")


# --- Log-in ---------------------------------------------------------------------------------


def test_a_partner_logs_in_by_email_and_reads_its_account(client, ana):
    user, organisation = ana
    organisation.active_until = timezone.localdate() + datetime.timedelta(days=30)
    organisation.save()
    response = client.get("/api/v3/partner/me/", **session_of(client, "ana@mjc-exemple.fr"))
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == "ana@mjc-exemple.fr"
    assert body["authenticated_by"] == "session"
    assert body["organisation"]["id"] == organisation.pk
    assert body["organisation"]["coordination"]["slug"] == organisation.coordination.slug
    assert body["organisation"]["active_until"] == organisation.active_until.isoformat()
    assert response["Cache-Control"] == "private, no-store"


def test_the_e_mail_is_matched_whatever_its_case(client, ana):
    assert log_in(client, "Ana@MJC-exemple.fr").status_code == 200


@pytest.mark.parametrize("who", ["editor", "national", "inactive", "lapsed", "suspended"])
def test_only_partner_accounts_get_in_and_others_read_as_a_wrong_password(client, catalogue, ana, who):
    """Editors, staff, deactivated accounts and lapsed organisations get the very answer of a wrong password."""
    wrong = log_in(client, "ana@mjc-exemple.fr", "pas-le-bon-mot-de-passe")
    cache.clear()
    user, organisation = ana
    if who in ("editor", "national"):
        account = catalogue.users["editor_a" if who == "editor" else "national"]
        account.email = f"{who}@passeurs.example"
        account.save()
        email = account.email
    else:
        email = user.email
        if who == "inactive":
            get_user_model().objects.filter(pk=user.pk).update(is_active=False)
        elif who == "lapsed":
            organisation.active_until = timezone.localdate() - datetime.timedelta(days=1)
            organisation.save()
        else:
            organisation.is_active = False
            organisation.save()
    refused = log_in(client, email)
    assert (refused.status_code, refused.json()) == (wrong.status_code, wrong.json())
    assert refused.status_code == 400


def test_an_unknown_address_reads_as_a_wrong_password(client, ana):
    wrong = log_in(client, "ana@mjc-exemple.fr", "pas-le-bon-mot-de-passe")
    unknown = log_in(client, "personne@nulle-part.fr")
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


def test_the_nth_failure_locks_the_account_out_with_a_429_and_no_password_is_checked_after(client, ana, monkeypatch):
    limit = settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        assert log_in(client, "ana@mjc-exemple.fr", "mauvais").status_code == 400
    locked = log_in(client, "ana@mjc-exemple.fr", "mauvais")
    assert locked.status_code == 429
    assert locked.json()["errors"][0]["code"] == "too_many_login_attempts"
    assert int(locked["Retry-After"]) > 0
    checked = []
    original = get_user_model().check_password
    monkeypatch.setattr(
        get_user_model(), "check_password", lambda self, raw: checked.append(self.pk) or original(self, raw)
    )
    again = log_in(client, "ana@mjc-exemple.fr")  # the right password, too late
    assert again.status_code == 429
    assert "meta" not in again.json()
    assert checked == []


def test_the_lockout_counts_the_address_whatever_its_case(client, ana):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        email = "ana@mjc-exemple.fr" if attempt % 2 else "ANA@mjc-exemple.fr"
        response = log_in(client, email, "mauvais")
    assert response.status_code == 429


@pytest.mark.parametrize("trusted_proxies", [0, 1])
def test_behind_the_sites_server_one_visitors_failures_lock_out_that_visitor_only(client, ana, bruno, trusted_proxies):
    """The site's server forwards each visitor's address; counted as a proxy, it keeps one visitor's lock-out apart."""
    attacker, partner = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}, {"HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    with override_settings(TRUSTED_PROXY_COUNT=trusted_proxies, ALLAUTH_TRUSTED_PROXY_COUNT=trusted_proxies):
        for n in range(settings.AXES_FAILURE_LIMIT):
            response = client.post(
                LOGIN,
                {"email": f"inconnu-{n}@nulle-part.fr", "password": "x"},
                content_type="application/json",
                **attacker,
            )
        assert response.status_code == 429
        bruno_logs_in = client.post(
            LOGIN, {"email": "bruno@cinema-b.fr", "password": PASSWORD}, content_type="application/json", **partner
        )
    # Not counted as a proxy, the server's own address is everyone's: the attacker locked every partner out.
    assert bruno_logs_in.status_code == (200 if trusted_proxies else 429)


def test_the_admin_log_in_stays_wagtails_own(client, catalogue):
    editor = catalogue.users["editor_a"]
    response = client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_log_out_ends_the_session_on_the_api_at_once(client, ana):
    session = session_of(client, "ana@mjc-exemple.fr")
    assert client.get("/api/v3/partner/me/", **session).status_code == 200
    assert client.delete(SESSION, **session).status_code == 401  # allauth: "no longer authenticated"
    assert client.get("/api/v3/partner/me/", **session).status_code == 401


# --- Password reset and e-mail verification -------------------------------------------------


def test_a_reset_asked_for_a_known_or_unknown_address_gets_the_same_answer(client, catalogue, ana):
    editor = catalogue.users["editor_a"]
    editor.email = "editrice@passeurs.example"
    editor.save()
    answers = []
    for email in ("ana@mjc-exemple.fr", "personne@nulle-part.fr", editor.email):
        response = client.post(RESET_REQUEST, {"email": email}, content_type="application/json")
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 200
    # One mail, to the partner only: nothing to unknown addresses nor to an editor (reset in the admin).
    assert [message.to for message in mail.outbox] == [["ana@mjc-exemple.fr"]]


def test_the_reset_mail_links_to_the_partner_space_and_its_key_sets_a_new_password(client, ana):
    client.post(RESET_REQUEST, {"email": "ana@mjc-exemple.fr"}, content_type="application/json")
    base = re.escape(settings.HEADLESS_FRONTEND_URLS["account_reset_password_from_key"].split("{key}")[0])
    key = unquote(re.search(base + r"([^\s/]+)", mail.outbox[0].body).group(1))
    assert client.get(RESET, HTTP_X_PASSWORD_RESET_KEY=key).status_code == 200
    response = client.post(
        RESET, {"key": key, "password": "un-nouveau-mot-de-passe-7"}, content_type="application/json"
    )
    assert response.status_code in (200, 401), response.content  # 401: reset done, log in again
    assert log_in(client, "ana@mjc-exemple.fr").status_code == 400
    assert log_in(client, "ana@mjc-exemple.fr", "un-nouveau-mot-de-passe-7").status_code == 200


def test_an_unverified_address_is_verified_from_the_mailed_link_before_the_first_log_in(client, catalogue):
    partner_account("carla@asso.fr", coordination=catalogue.coord_a, verified=False)
    pending = log_in(client, "carla@asso.fr")
    assert pending.status_code == 401
    flows = {flow["id"]: flow for flow in pending.json()["data"]["flows"]}
    assert flows["verify_email"].get("is_pending")
    base = re.escape(settings.HEADLESS_FRONTEND_URLS["account_confirm_email"].split("{key}")[0])
    assert base.startswith(re.escape(settings.PUBLIC_SITE_URL.rstrip("/") or "http://127.0.0.1:3000"))
    assert "Passeurs d'images" in mail.outbox[-1].body
    # The key is URL-encoded in the link's path: the partner space decodes it before posting it.
    key = unquote(re.search(base + r"(\S+)", mail.outbox[-1].body).group(1))
    verified = client.post(
        VERIFY,
        {"key": key},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=pending.json()["meta"]["session_token"],
    )
    # Verified, not logged in (the link may be opened on another device): the partner logs in with her password.
    assert verified.status_code == 401, verified.content
    assert verified.json()["meta"]["is_authenticated"] is False
    assert EmailAddress.objects.get(email="carla@asso.fr").verified
    assert client.get("/api/v3/partner/me/", **session_of(client, "carla@asso.fr")).status_code == 200


# --- The partner session on the library API -------------------------------------------------


def test_the_session_sees_the_network_tier_and_anonymous_does_not(client, catalogue, ana):
    film = catalogue.films["network"]
    assert client.get(f"/api/v3/films/{film.pk}/").status_code == 404
    session = session_of(client, "ana@mjc-exemple.fr")
    response = client.get(f"/api/v3/films/{film.pk}/", **session)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    ids = [item["id"] for item in client.get("/api/v3/films/", **session).json()["items"]]
    assert film.pk in ids
    # The anonymous list kept in the server's cache is never served to the session, nor the other way round.
    assert film.pk not in [item["id"] for item in client.get("/api/v3/films/").json()["items"]]


def test_an_unknown_session_token_is_a_401_not_anonymous(client, catalogue):
    response = client.get("/api/v3/films/", HTTP_X_SESSION_TOKEN="pas-une-session")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("change", ["deactivated", "lapsed", "suspended", "left"])
def test_the_session_is_refused_at_its_next_request(client, catalogue, ana, change):
    user, organisation = ana
    session = session_of(client, "ana@mjc-exemple.fr")
    film = catalogue.films["network"]
    assert client.get(f"/api/v3/films/{film.pk}/", **session).status_code == 200
    if change == "deactivated":
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    elif change == "lapsed":
        organisation.active_until = timezone.localdate() - datetime.timedelta(days=1)
        organisation.save()
    elif change == "suspended":
        organisation.is_active = False
        organisation.save()
    else:
        organisation.members.remove(user)
    assert client.get(f"/api/v3/films/{film.pk}/", **session).status_code == 401
    assert client.get(f"/api/v3/films/{film.pk}/download/", **session).status_code == 401
    assert client.get("/api/v3/partner/me/", **session).status_code == 401


def test_a_lapsed_organisations_token_is_refused(client, catalogue, ana):
    user, organisation = ana
    token = make_token(user, organisation)
    header = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v3/partner/me/", **header).status_code == 200
    organisation.active_until = timezone.localdate() - datetime.timedelta(days=1)
    organisation.save()
    assert client.get("/api/v3/partner/me/", **header).status_code == 401
    assert client.get("/api/v3/films/", **header).status_code == 401


def test_downloads_with_a_session_are_logged_to_the_organisation_and_listed_newest_first(client, catalogue, ana):
    user, organisation = ana
    session = session_of(client, "ana@mjc-exemple.fr")
    film = catalogue.films["public"]
    guide = catalogue.guides["network"]
    document = guide.documents.first().document
    assert client.get(f"/api/v3/films/{film.pk}/download/", **session).status_code == 302
    pack = client.get(f"/api/v3/films/{film.pk}/screening-pack/", **session)
    assert pack.status_code == 200
    b"".join(pack.streaming_content)
    assert client.get(f"/api/v3/films/{film.pk}/download/", {"rendition": "360p"}, **session).status_code == 302
    guide_download = client.get(f"/api/v3/guides/{guide.pk}/download/", {"document": document.pk}, **session)
    assert guide_download.status_code in (200, 302)
    events = DownloadEvent.objects.filter(organisation=organisation)
    assert events.count() == 4
    assert set(events.values_list("user_id", flat=True)) == {user.pk}
    assert set(events.values_list("token_id", flat=True)) == {None}

    listed = client.get("/api/v3/partner/downloads/", **session).json()
    assert listed["count"] == 4
    assert [item["kind"] for item in listed["items"]] == [
        "guide_document",
        "film_rendition",
        "screening_pack",
        "film_master",
    ]
    newest = listed["items"][0]
    assert newest["item"] == {"id": guide.pk, "type": "guide", "title": guide.title}
    assert newest["document_id"] == document.pk
    assert newest["by"]["email"] == "ana@mjc-exemple.fr"
    assert listed["items"][1]["rendition"] == "360p"
    assert listed["items"][3]["item"]["type"] == "film"
    page = client.get("/api/v3/partner/downloads/", {"limit": 2, "offset": 2}, **session).json()
    assert [item["id"] for item in page["items"]] == [item["id"] for item in listed["items"][2:]]


def test_a_member_of_a_never_sees_bs_downloads(client, catalogue, ana, bruno):
    film = catalogue.films["public"]
    assert client.get(f"/api/v3/films/{film.pk}/download/", **session_of(client, "bruno@cinema-b.fr")).status_code
    b_event = DownloadEvent.objects.get(organisation=bruno[1])
    listed = client.get("/api/v3/partner/downloads/", **session_of(client, "ana@mjc-exemple.fr")).json()
    assert b_event.pk not in [item["id"] for item in listed["items"]]
    assert listed["count"] == 0


# --- Tokens ---------------------------------------------------------------------------------


def in_days(days):
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def test_a_partner_creates_lists_and_revokes_a_token_which_is_refused_at_once(client, catalogue, ana):
    _user, organisation = ana
    session = session_of(client, "ana@mjc-exemple.fr")
    created = client.post(
        "/api/v3/partner/tokens/",
        {"name": "Portail de la MJC", "expires_at": in_days(90)},
        content_type="application/json",
        **session,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    secret = body["secret"]
    assert body["name"] == "Portail de la MJC"
    assert body["revoked_at"] is None
    assert PartnerToken.objects.get(pk=body["id"]).organisation == organisation

    header = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    network = catalogue.films["network"]
    assert client.get(f"/api/v3/films/{network.pk}/", **header).status_code == 200

    listed = client.get("/api/v3/partner/tokens/", **session).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert "secret" not in listed["items"][0]
    assert listed["items"][0]["last_used_at"] is not None

    assert client.delete(f"/api/v3/partner/tokens/{body['id']}/", **session).status_code == 204
    assert client.get(f"/api/v3/films/{network.pk}/", **header).status_code == 401
    assert client.get("/api/v3/partner/tokens/", **session).json()["items"][0]["revoked_at"] is not None


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"name": "Sans date"}, 422),
        ({"name": "Trop long", "expires_at": in_days(400)}, 422),
        ({"name": "Passé", "expires_at": in_days(-1)}, 422),
        ({"name": "", "expires_at": in_days(30)}, 422),
        ({"name": "Un an", "expires_at": in_days(364)}, 201),
    ],
)
def test_a_token_needs_an_expiry_within_a_year(client, ana, payload, status):
    session = session_of(client, "ana@mjc-exemple.fr")
    response = client.post("/api/v3/partner/tokens/", payload, content_type="application/json", **session)
    assert response.status_code == status, response.content


def test_a_member_of_a_cannot_revoke_bs_token(client, catalogue, ana, bruno):
    b_user, b_organisation = bruno
    secret = make_token(b_user, b_organisation)
    b_token = PartnerToken.objects.get(organisation=b_organisation)
    session = session_of(client, "ana@mjc-exemple.fr")
    assert client.delete(f"/api/v3/partner/tokens/{b_token.pk}/", **session).status_code == 404
    assert b_token.pk not in [item["id"] for item in client.get("/api/v3/partner/tokens/", **session).json()["items"]]
    b_token.api_token.refresh_from_db()
    assert b_token.api_token.revoked_at is None
    assert client.get("/api/v3/films/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_a_token_reads_the_partner_space_but_never_mints_another_token(client, ana):
    user, organisation = ana
    header = {"HTTP_AUTHORIZATION": f"Bearer {make_token(user, organisation)}"}
    assert client.get("/api/v3/partner/downloads/", **header).status_code == 200
    assert client.get("/api/v3/partner/me/", **header).json()["authenticated_by"] == "token"
    response = client.post(
        "/api/v3/partner/tokens/",
        {"name": "Jumeau", "expires_at": in_days(30)},
        content_type="application/json",
        **header,
    )
    assert response.status_code == 401
    assert PartnerToken.objects.filter(organisation=organisation).count() == 1


def test_the_partner_space_refuses_anonymous_callers(client):
    for path in ("/api/v3/partner/me/", "/api/v3/partner/downloads/", "/api/v3/partner/tokens/"):
        assert client.get(path).status_code == 401

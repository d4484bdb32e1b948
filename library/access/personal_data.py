"""What the system holds about a person, found by e-mail address: exported, or erased.

A person is a user account (a partner's or an editor's) whose e-mail, an
allauth address or user name is the address asked for, and any partner
organisation or coordination whose contact is that address. `export` lists
all of it; `erase` removes the person and keeps what the network counts:

- the account is deactivated and anonymised (`supprime-<id>`, no name, no
  e-mail, no usable password), loses its groups, its memberships, its
  addresses, its profile (and picture), its sessions (so partner sessions
  end at once) and its log-in records (django-axes);
- its API tokens are revoked and renamed; their prefixes stay, as they
  name nothing;
- its downloads stay, counted per organisation, film and month, without the
  user and without the address hash;
- its openings of consent scans stay (the register's accountability), under
  the anonymised name;
- an organisation's contact fields holding the address are blanked.

A coordination's published contacts are page content with revisions: they
are listed by `erase` (to be removed by editing the coordination's page),
never changed behind the page's history. See docs/privacy.md.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

ERASED_PREFIX = "supprime-"


def normalise_email(email):
    """The address, stripped; `ValidationError` unless it is one (an empty one would match every blank field)."""
    email = (email or "").strip()
    validate_email(email)
    return email


def matching_users(email):
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(email__iexact=email).values("user_id")
    condition = Q(email__iexact=email) | Q(username__iexact=email) | Q(pk__in=addresses)
    return get_user_model().objects.filter(condition).order_by("pk")


def _when(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    return value.isoformat()


def _sessions_of(user):
    """The user's sessions (admin log-ins and partner session tokens alike): read by decoding each one."""
    key = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            yield session


def _login_records(user, email):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    names = Q(username__iexact=email) | Q(username__iexact=user.username)
    return [(model, model.objects.filter(names)) for model in (AccessAttempt, AccessFailureLog, AccessLog)]


def _export_user(user, email):
    from allauth.account.models import EmailAddress

    from wagtail.models import APIToken, ModelLogEntry, PageLogEntry
    from wagtail.users.models import UserProfile

    from library.models import DownloadEvent
    from library.models.consent import ConsentScanAccess

    profile = UserProfile.objects.filter(user=user).first()
    tokens = APIToken.objects.filter(user=user).select_related("partner__organisation").order_by("created")
    downloads = (
        DownloadEvent.objects.filter(Q(user=user) | Q(token__user=user))
        .select_related("organisation", "token")
        .order_by("created_at")
    )
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "profile": None
        if profile is None
        else {
            "preferred_language": profile.preferred_language,
            "current_time_zone": profile.current_time_zone,
            "has_picture": bool(profile.avatar),
        },
        "partner_organisations": [
            {"id": organisation.pk, "name": organisation.name, "coordination": organisation.coordination.title}
            for organisation in user.partner_organisations.select_related("coordination").order_by("name")
        ],
        # Names and prefixes only: a token's secret is never stored, its hash is not exported.
        "api_tokens": [_export_token(token) for token in tokens],
        "downloads": [
            {
                "at": _when(event.created_at),
                "item": event.item_title,
                "rendition": event.rendition,
                "organisation": event.organisation.name if event.organisation else None,
                "token_prefix": event.token.prefix if event.token else None,
            }
            for event in downloads.iterator()
        ],
        "consent_scan_openings": [
            {"at": _when(access.at), "record": access.record_label, "kind": access.kind}
            for access in ConsentScanAccess.objects.filter(user=user).order_by("at")
        ],
        "login_records": [
            {
                "kind": model.__name__,
                "at": _when(row.attempt_time),
                "ip_address": row.ip_address,
                "user_agent": row.user_agent,
            }
            for model, rows in _login_records(user, email)
            for row in rows.order_by("attempt_time")
        ],
        "active_sessions": sum(1 for _session in _sessions_of(user)),
        "admin_actions": ModelLogEntry.objects.filter(user=user).count()
        + PageLogEntry.objects.filter(user=user).count(),
    }


def _export_token(token):
    partner = getattr(token, "partner", None)  # a partner's token; Wagtail's own tokens have none
    return {
        "name": token.name,
        "prefix": token.prefix,
        "organisation": partner.organisation.name if partner else None,
        "created": _when(token.created),
        "last_used_at": _when(token.last_used_at),
        "revoked_at": _when(token.revoked_at),
        "expires_at": _when(partner.expires_at) if partner else None,
    }


def _organisation_contacts(email):
    from library.models import PartnerOrganisation

    return PartnerOrganisation.objects.filter(contact_email__iexact=email).select_related("coordination")


def _coordination_contacts(email):
    from library.models import CoordinationContact

    return CoordinationContact.objects.filter(email__iexact=email).select_related("page")


def export(email):
    """Everything held about `email`, as a JSON-ready dict."""
    email = normalise_email(email)
    return {
        "email": email,
        "exported_at": _when(timezone.now()),
        "users": [_export_user(user, email) for user in matching_users(email)],
        "partner_organisation_contacts": [
            {
                "organisation": organisation.name,
                "coordination": organisation.coordination.title,
                "contact_name": organisation.contact_name,
                "contact_email": organisation.contact_email,
                "contact_phone": organisation.contact_phone,
            }
            for organisation in _organisation_contacts(email)
        ],
        "coordination_contacts": [
            {
                "coordination": contact.page.title,
                "name": contact.name,
                "role": contact.role,
                "email": contact.email,
                "phone": contact.phone,
            }
            for contact in _coordination_contacts(email)
        ],
    }


def erase(email, dry_run=False):
    """Erase what is held about `email` (see the module docstring); returns the lines describing it.

    One transaction: the person is erased entirely or not at all.
    """
    email = normalise_email(email)
    lines = []
    with transaction.atomic():
        for user in matching_users(email).select_for_update():
            lines.extend(_erase_user(user, email, dry_run))
        organisations = list(_organisation_contacts(email))
        for organisation in organisations:
            lines.append(
                f"organisation #{organisation.pk} {organisation.name}: contact name, e-mail and phone blanked"
            )
        if not dry_run:
            _organisation_contacts(email).update(contact_name="", contact_email="", contact_phone="")
        for contact in _coordination_contacts(email):
            lines.append(
                f"coordination page #{contact.page_id} {contact.page.title}: contact {contact.name} to remove "
                "by editing the page (page content, kept in its revisions)"
            )
        if dry_run:
            transaction.set_rollback(True)
    return lines


def _erase_user(user, email, dry_run):
    from allauth.account.models import EmailAddress

    from wagtail.models import APIToken, ModelLogEntry
    from wagtail.users.models import UserProfile

    from library.models import DownloadEvent
    from library.models.consent import ConsentScanAccess

    new_name = f"{ERASED_PREFIX}{user.pk}"
    lines = [f"user #{user.pk} {user.username}: deactivated and renamed {new_name}"]
    downloads = DownloadEvent.objects.filter(Q(user=user) | Q(token__user=user))
    lines.append(f"  {downloads.count()} download(s) kept without the user")
    tokens = APIToken.objects.filter(user=user)
    lines.append(f"  {tokens.count()} API token(s) revoked")
    sessions = list(_sessions_of(user))
    lines.append(f"  {len(sessions)} session(s) ended")
    records = _login_records(user, email)
    lines.append(f"  {sum(rows.count() for _model, rows in records)} log-in record(s) deleted")
    if dry_run:
        return lines

    downloads.update(user=None, ip_hash="")
    tokens.filter(revoked_at=None).update(revoked_at=timezone.now())
    tokens.update(name="erased")
    ConsentScanAccess.objects.filter(user=user).update(user_label=new_name)
    for _model, rows in records:
        rows.delete()
    Session.objects.filter(pk__in=[session.pk for session in sessions]).delete()
    EmailAddress.objects.filter(user=user).delete()
    profile = UserProfile.objects.filter(user=user).first()
    if profile is not None:
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
    user.partner_organisations.clear()
    user.groups.clear()
    user.user_permissions.clear()
    user.username = new_name
    user.first_name = user.last_name = user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user_type = ContentType.objects.get_for_model(user)
    ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(label=new_name)
    return lines

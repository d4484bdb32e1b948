"""How the partner space shows an account, its organisation's downloads and its API tokens.

Schemas (plain pydantic, as in `schemas`) and the functions that turn rows
into them. A download's `rendition` column says what was taken: `original`
(the film's master; older rows say `master`), `720p` or `360p` (a
rendition), `screening_pack`, or `document:<id>` (a guide's PDF).
"""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel as Schema
from pydantic import Field

from library.representation.schemas import CoordinationRef

DownloadKind = Literal["film_master", "film_rendition", "screening_pack", "guide_document", "other"]


class PartnerUser(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    name: str = Field(description="First and last name, or the e-mail address when neither is set.")


class PartnerOrganisationDetail(Schema):
    id: int
    name: str
    kind: str
    commune: str
    coordination: CoordinationRef
    active_until: date | None = Field(description="Last day of the partnership; null when it has no end.")
    download_rate_per_hour: int


class PartnerAccount(Schema):
    user: PartnerUser
    organisation: PartnerOrganisationDetail
    authenticated_by: Literal["session", "token"]


class PartnerDownloadItem(Schema):
    id: int | None = Field(description="The film's or guide's page id; null once the item was deleted.")
    type: Literal["film", "guide"] | None
    title: str


class PartnerDownloadBy(Schema):
    email: str | None
    name: str | None
    token_name: str | None = Field(description="The API token used, when the download came from a portal.")


class PartnerDownload(Schema):
    id: int
    created_at: datetime
    kind: DownloadKind
    rendition: str | None = Field(description="`720p` or `360p` for a rendition, `original` for a master.")
    document_id: int | None = Field(description="The guide document downloaded (`guide_document`).")
    item: PartnerDownloadItem
    by: PartnerDownloadBy


class PartnerDownloadList(Schema):
    count: int
    items: list[PartnerDownload]


class PartnerTokenDetail(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the secret, to recognise it.")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    created_by: str | None = Field(description="E-mail address of the account the token acts as.")


class PartnerTokenList(Schema):
    count: int
    items: list[PartnerTokenDetail]


class NewPartnerToken(Schema):
    name: str = Field(min_length=1, max_length=255, description="What the token is for, e.g. the portal's name.")
    expires_at: datetime = Field(description="When the token stops working: required, within one year.")


class CreatedPartnerToken(PartnerTokenDetail):
    secret: str = Field(description="The token itself, shown this once only: send it as `Authorization: Bearer`.")


def display_name(user):
    return user.get_full_name().strip() or user.email or user.get_username()


def account_user(user):
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "name": display_name(user),
    }


def organisation(org):
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "commune": org.commune,
        "coordination": {"id": org.coordination.pk, "title": org.coordination.title, "slug": org.coordination.slug},
        "active_until": org.active_until,
        "download_rate_per_hour": org.download_rate_per_hour,
    }


def _what(rendition):
    """`(kind, rendition, document_id)` of a download's `rendition` column."""
    if rendition in ("original", "master"):
        return "film_master", "original", None
    if rendition in ("720p", "360p"):
        return "film_rendition", rendition, None
    if rendition == "screening_pack":
        return "screening_pack", None, None
    if rendition.startswith("document:") and rendition[len("document:") :].isdigit():
        return "guide_document", None, int(rendition[len("document:") :])
    return "other", rendition or None, None


def download(event):
    kind, rendition, document_id = _what(event.rendition)
    item_type = {"guide_document": "guide", "other": None}.get(kind, "film")
    user = event.user
    return {
        "id": event.pk,
        "created_at": event.created_at,
        "kind": kind,
        "rendition": rendition,
        "document_id": document_id,
        "item": {"id": event.page_id, "type": item_type if event.page_id else None, "title": event.item_title},
        "by": {
            "email": user.email if user else None,
            "name": display_name(user) if user else None,
            "token_name": event.token.name if event.token_id and event.token else None,
        },
    }


def token(partner_token):
    api_token = partner_token.api_token
    return {
        "id": partner_token.pk,
        "name": api_token.name,
        "prefix": api_token.prefix,
        "created_at": api_token.created,
        "expires_at": partner_token.expires_at,
        "last_used_at": api_token.last_used_at,
        "revoked_at": api_token.revoked_at,
        "created_by": api_token.user.email if api_token.user_id else None,
    }

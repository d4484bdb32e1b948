"""The test suite's factories: one function per kind of object, shared by every test module.

Each factory builds one object through the models (and the storage API for
files, so media land where production puts them) with the defaults most
tests want; keyword arguments cover what some tests need differently.
Scenarios (the permission-matrix network, the API catalogue, the search
catalogue) are built from these factories in their own modules.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import APIToken, Locale, Page, Site

from home.models import HomePage
from library.access.network import setup_network
from library.core.tiers import ConsentScope
from library.models import (
    ConsentRecord,
    CoordinationIndexPage,
    CoordinationPage,
    FilmPage,
    GuideDocumentLink,
    GuidePage,
    PartnerOrganisation,
    PartnerToken,
    ProcessingStatus,
    TextTrack,
    Video,
    VideoRendition,
)
from library.models.renditions import NAMED_RENDITIONS
from tests.media import pdf_bytes, poster_png, vtt

#: Every user's password unless told otherwise, for tests that log in through a form.
PASSWORD = "motdepasse-de-test-42"

#: A video master nothing decodes: the first bytes of an MP4 are enough for the models.
MASTER_STUB = b"\x00\x00\x00\x18ftypmp42"

#: The coordinations `build_coordinations` makes when given none.
COORDINATIONS = (
    {"title": "Coordination Alpha", "slug": "alpha", "region": "Test"},
    {"title": "Coordination Bêta", "slug": "beta", "region": "Test"},
)

WITHDRAWAL_REASON = "Demande d'une famille"
TRACK_LABELS = {"fr": "Français", "en": "English"}


def locale(code):
    """The locale of `code`, created if the database has none yet (only French comes from migrations)."""
    return Locale.objects.get_or_create(language_code=code)[0]


def publish(page):
    """Save and publish a revision of `page`, as an editor does, and return it fresh from the database."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _file_stem(title):
    return title.lower().replace(" ", "-")


# --- Pages ----------------------------------------------------------------------------------


def build_home(*, slug="accueil", reuse=True):
    """A French home page as the default site's root, replacing Wagtail's welcome page.

    With `reuse`, a French home page already in the database is kept (tests
    building twice in one transaction); without, a new one is always made.
    """
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=locale("fr")).first() if reuse else None
    if home is None:
        for page in root.get_children().exact_type(Page):
            page.delete()
        home = publish(root.add_child(instance=HomePage(title="Accueil", slug=slug, locale=locale("fr"))))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


def build_coordinations(home, *coordinations, revision=True, network=True):
    """The coordinations index under `home` and one coordination per dict of `CoordinationPage` fields.

    Without `coordinations`, Alpha and Bêta (`COORDINATIONS`). With `revision`,
    every page is published through a revision as in the admin; without, the
    pages are live without any (faster, for tests that never publish them).
    With `network`, `setup_network` gives them their editors' groups,
    collections and workflow as in production. Returns (index, [coordinations]),
    in the given order, in the index's locale (its home's).
    """
    index = home.add_child(instance=CoordinationIndexPage(title="Coordinations", slug="coordinations"))
    if revision:
        publish(index)
    pages = []
    for fields in coordinations or COORDINATIONS:
        page = index.add_child(instance=CoordinationPage(**fields))
        pages.append(publish(page) if revision else page)
    if network:
        setup_network(index, pages)
        for page in pages:
            page.refresh_from_db()
    return index, pages


def make_film(
    coordination,
    title,
    tier,
    consent,
    *,
    live=True,
    revision=True,
    slug=None,
    synopsis=None,
    year=2024,
    poster=None,
    video=None,
    themes=(),
    audiences=(),
    **fields,
):
    """A film of `coordination` (in its locale), of access tier `tier`, under `consent` (or none).

    With `revision` (the default) a revision is saved, as the admin does, and
    published when `live`; a film that is not `live` is then a draft with a
    revision. Without `revision` the page is only saved, live or not, and is
    not refreshed (catalogues of many films). The slug defaults to
    `slugify(title)`; other `FilmPage` fields go in `fields`.
    """
    film = FilmPage(
        title=title,
        slug=slug or slugify(title),
        locale=coordination.locale,
        synopsis=f"Synopsis de {title}" if synopsis is None else synopsis,
        year=year,
        access_tier=tier,
        consent=consent,
        poster=poster,
        video=video,
        live=live,  # a new page is live unless told otherwise; the admin creates drafts as not live
        **fields,
    )
    film.themes = list(themes)
    film.audiences = list(audiences)
    return _add_item(coordination, film, revision=revision, live=live)


def make_guide(
    coordination,
    title,
    tier,
    *,
    live=True,
    revision=True,
    slug=None,
    summary=None,
    cover=None,
    document=None,
    document_label="",
    films=(),
    themes=(),
    audiences=(),
    age_groups=(),
):
    """A guide of `coordination`, of access tier `tier`, with `document` (if any) in the coordination's language.

    `live` and `revision` work as for `make_film`; the slug defaults to
    `slugify(title)`.
    """
    guide = GuidePage(
        title=title,
        slug=slug or slugify(title),
        locale=coordination.locale,
        summary=f"Résumé de {title}" if summary is None else summary,
        access_tier=tier,
        cover=cover,
        live=live,
    )
    if document is not None:
        language = coordination.locale.language_code
        guide.documents = [GuideDocumentLink(document=document, language=language, label=document_label)]
    guide.related_films = list(films)
    guide.themes = list(themes)
    guide.audiences = list(audiences)
    guide.age_groups = list(age_groups)
    return _add_item(coordination, guide, revision=revision, live=live)


def _add_item(coordination, item, *, revision, live):
    """Add a film or guide under `coordination`; with `revision`, save one, published when `live`."""
    coordination.add_child(instance=item)
    if revision:
        saved = item.save_revision()
        if live:
            saved.publish()
        item.refresh_from_db()
    return item


# --- Consents and taxonomy ------------------------------------------------------------------


def make_consent(coordination, scope, *, label="Consentement", granted_on=None, expires_on=None, withdrawn=False):
    """An image-rights consent of `coordination` covering `scope`.

    Granted 400 days ago unless `granted_on` says otherwise (a "none" scope is
    never granted); `withdrawn` makes it withdrawn yesterday from the start
    (see `withdraw_consent` for a withdrawal after publication).
    """
    today = timezone.localdate()
    if granted_on is None and scope != ConsentScope.NONE:
        granted_on = today - datetime.timedelta(days=400)
    return ConsentRecord.objects.create(
        label=label,
        coordination=coordination,
        scope=scope,
        granted_on=granted_on,
        expires_on=expires_on,
        withdrawn_on=today - datetime.timedelta(days=1) if withdrawn else None,
        withdrawal_reason=WITHDRAWAL_REASON if withdrawn else "",
    )


def withdraw_consent(consent, *, on=None, reason=WITHDRAWAL_REASON):
    """Withdraw `consent` on `on` (yesterday by default), as a family does after its films were published.

    Saved, so the consent's films move to their new tier as in production.
    """
    consent.withdrawn_on = on or timezone.localdate() - datetime.timedelta(days=1)
    consent.withdrawal_reason = reason
    consent.save()
    return consent


def make_terms(model, names, *, language="fr", translations=None, fields=None):
    """Taxonomy terms of `model` in `language`, from `names` (slug -> name); returns them by slug.

    `translations` maps a language code to names by slug: each such term gets a
    translation right after it (same translation key). `fields` maps a slug to
    the term's other fields (an age group's bounds).
    """
    terms = {}
    for slug, name in names.items():
        term = model.objects.create(name=name, slug=slug, locale=locale(language), **(fields or {}).get(slug, {}))
        for code, translated_names in (translations or {}).items():
            if slug in translated_names:
                translated = term.copy_for_translation(locale(code))
                translated.name = translated_names[slug]
                translated.save()
        terms[slug] = term
    return terms


# --- Users, partners, tokens ----------------------------------------------------------------


def make_user(username, *groups, password=PASSWORD, email=None, first_name=None, is_superuser=False, **fields):
    """A user in `groups`; the e-mail defaults to username@example.org and the first name to the username.

    Pass `email=""` or `first_name=""` for a user without them; other user
    fields (`is_staff`...) go in `fields`.
    """
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.org" if email is None else email,
        password=password,
        first_name=username.capitalize() if first_name is None else first_name,
        is_superuser=is_superuser,
        **fields,
    )
    user.groups.add(*groups)
    return user


def make_partner(coordination, user, *, name="Maison des jeunes"):
    """A partner organisation of `coordination` with `user` as its member."""
    organisation = PartnerOrganisation.objects.create(name=name, coordination=coordination)
    organisation.members.add(user)
    return organisation


def make_token(user, organisation, *, expires_at=None):
    """A partner's bearer token: Wagtail's APIToken tied to the organisation. Returns the plaintext."""
    api_token, plaintext = APIToken.create_token(user=user, name=f"Portail {organisation.name}")
    PartnerToken.objects.create(api_token=api_token, organisation=organisation, expires_at=expires_at)
    return plaintext


# --- Media ----------------------------------------------------------------------------------


def make_image(title, *, collection=None, colour=(40, 90, 160), size=(64, 36), description="", named_renditions=False):
    """A plain PNG image of `size` in `colour`, stored through the storage API.

    `description` is its alt text; `named_renditions` generates the project's
    named renditions at once, as the upload task does (otherwise they are
    generated after the commit, or on first use).
    """
    image = get_image_model()(title=title, description=description)
    if collection is not None:
        image.collection = collection
    image.file = ImageFile(ContentFile(poster_png(colour, size)), name=f"{_file_stem(title)}.png")
    image.save()
    if named_renditions:
        image.get_renditions(*NAMED_RENDITIONS.values())
    return image


def make_pdf(title, *, collection=None, language="fr", body=None, filename=None, stored_at=None, **fields):
    """A guide document: a one-page PDF written by hand (or `body`), stored as `filename` (from the title).

    With `stored_at`, the row points at that storage key and nothing is
    written (for tests that read only the row, such as its `extracted_text`).
    Other document fields go in `fields`.
    """
    document = get_document_model()(title=title, language=language, **fields)
    if collection is not None:
        document.collection = collection
    if stored_at is not None:
        document.file = stored_at
    else:
        name = filename or f"{_file_stem(title)}.pdf"
        document.file.save(name, ContentFile(pdf_bytes() if body is None else body), save=False)
    document.save()
    return document


def make_video(
    title,
    *,
    collection=None,
    poster=None,
    data=MASTER_STUB,
    uploaded=False,
    status=None,
    stored_at=None,
    renditions=(),
    tracks=(),
    **fields,
):
    """A video row whose master file holds `data` (by default a stub nothing decodes).

    Ready by default, as most tests need a video they can publish. With
    `uploaded`, the row is as an upload leaves it for processing: pending,
    with the uploader's file name ("film.mp4") and the master's size. With
    `stored_at`, the row points at that storage key and nothing is written.
    `renditions` names renditions stored with the same data and the video's
    size; `tracks` lists languages of subtitle tracks. Other `Video` fields
    (`original_filename`, `file_size`, `duration`...) go in `fields`.
    """
    if uploaded:
        fields = {"original_filename": "film.mp4", "file_size": len(data), **fields}
    if status is None:
        status = ProcessingStatus.PENDING if uploaded else ProcessingStatus.READY
    video = Video(title=title, status=status, poster=poster, **fields)
    if collection is not None:
        video.collection = collection
    if stored_at is not None:
        video.file = stored_at
    else:
        video.file.save("master.mp4", ContentFile(data), save=False)
    video.save()
    for name in renditions:
        VideoRendition.objects.create(
            video=video, name=name, file=ContentFile(data, name=f"{name}.mp4"), width=video.width, height=video.height
        )
    for language in tracks:
        make_track(video, language, label=TRACK_LABELS[language])
    return video


def make_track(video, language, *, kind="subtitles", label="", stored_at=None, **fields):
    """A text track of `video` in `language`: a one-cue WebVTT file, or a row pointing at `stored_at`."""
    file = stored_at if stored_at is not None else ContentFile(vtt(language), name=f"{language}.vtt")
    return TextTrack.objects.create(video=video, language=language, kind=kind, label=label, file=file, **fields)

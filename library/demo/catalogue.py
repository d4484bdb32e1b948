"""Build the demo catalogue: consent records, films, guides and their translations.

Films are published with `revision.publish()` directly: the demo stands for
what editors and the national approver did before, so it does not replay the
workflow, except for a few drafts left waiting for national approval. Consent
dates are relative to the first run (some expire within 60 days, one was
withdrawn); later runs find every object by title and change nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Locale

from library.core.tiers import ConsentScope
from library.demo.accounts import regional_editor
from library.demo.coordinations import demo_coordinations
from library.demo.records import demo_films, demo_guides, english_table
from library.demo.taxonomy import terms_by_name
from library.demo.translation import translate
from library.models import (
    ActionType,
    AgeGroup,
    Audience,
    ConsentRecord,
    FilmPage,
    Genre,
    GuidePage,
    Theme,
)

WORKSHOP_ACTION = "Atelier de pratique artistique"


def _consent(coordination, title, year, kind, index, today):
    """The film's consent record, created once and found by label afterwards."""
    label = f"{title} – {year}"
    record = ConsentRecord.objects.filter(coordination=coordination, label=label).first()
    if record is not None:
        return record, False
    granted = datetime.date(year, 6, 1)
    scope = {
        "public": ConsentScope.PUBLIC,
        "network": ConsentScope.NETWORK,
        "internal": ConsentScope.INTERNAL,
        "none": ConsentScope.NONE,
        "expiring": ConsentScope.PUBLIC,
        "withdrawn": ConsentScope.PUBLIC,
    }[kind]
    record = ConsentRecord(
        label=label,
        coordination=coordination,
        scope=scope,
        granted_on=None if scope == ConsentScope.NONE else granted,
        participants_count=8 + index % 7,
    )
    if kind == "expiring":
        record.expires_on = today + datetime.timedelta(days=15 + 10 * (index % 4))
    elif scope != ConsentScope.NONE:
        record.expires_on = datetime.date(year + 10, 6, 1)
    record.full_clean()
    record.save()
    return record, True


def _withdraw(record, today):
    """Withdraw after publication and translation, as a parent would.

    The consent lapse routine then narrows the films at once, as its daily
    task would (stored tier, page privacy, an alert for the coordination).
    """
    from library.access.consent_lapse import lapse_consents

    record.withdrawn_on = today
    record.withdrawal_reason = "Retrait demandé par la famille d'un participant."
    record.save()
    lapse_consents()


def build_films(coordinations, french, today):
    genres, themes, audiences = terms_by_name(Genre), terms_by_name(Theme), terms_by_name(Audience)
    action = terms_by_name(ActionType)[WORKSHOP_ACTION]
    created, withdrawals = [], []
    for index, spec in enumerate(demo_films()):
        title, year, kind = spec.title.fr, spec.year, spec.consent
        coordination = coordinations[spec.coordination]
        if FilmPage.objects.child_of(coordination).filter(title=title).exists():
            continue
        record, _ = _consent(coordination, title, year, kind, index, today)
        film = FilmPage(
            title=title,
            slug=slugify(title),
            locale=french,
            synopsis=spec.synopsis.fr,
            year=year,
            genre=genres[spec.genre],
            action_type=action,
            carrying_structure=coordination.carrying_structure,
            commune=spec.commune,
            departement=spec.departement,
            participants_count=record.participants_count,
            participants_age_min=11 + index % 4,
            participants_age_max=15 + index % 5,
            workshop_start=datetime.date(year, 2, 10),
            workshop_end=datetime.date(year, 4, 20),
            spoken_languages=["fr"],
            access_tier=spec.tier,
            consent=record,
            live=not spec.submitted,
        )
        film.themes = [themes[name] for name in spec.themes]
        film.audiences = [audiences[name] for name in spec.audiences]
        coordination.add_child(instance=film)
        editor = regional_editor(spec.coordination)
        revision = film.save_revision(user=editor)
        if spec.submitted:
            film.get_workflow().start(film, editor)
        else:
            revision.publish()
            created.append(film)
        if kind == "withdrawn":
            withdrawals.append(record)
    return created, withdrawals


def build_guides(coordinations, french):
    themes, audiences, ages = terms_by_name(Theme), terms_by_name(Audience), terms_by_name(AgeGroup)
    films = {film.title: film for film in FilmPage.objects.filter(locale=french)}
    created = []
    for spec in demo_guides():
        coordination, title = coordinations[spec.coordination], spec.title.fr
        if GuidePage.objects.child_of(coordination).filter(title=title).exists():
            continue
        guide = GuidePage(
            title=title, slug=slugify(title), locale=french, summary=spec.summary.fr, access_tier=spec.tier
        )
        guide.themes = [themes[name] for name in spec.themes]
        guide.audiences = [audiences[name] for name in spec.audiences]
        guide.age_groups = [ages[name] for name in spec.age_groups]
        guide.related_films = [films[name] for name in spec.related_films if name in films]
        coordination.add_child(instance=guide)
        guide.save_revision(user=regional_editor(spec.coordination)).publish()
        created.append(guide)
    return created


def build_catalogue(stdout):
    french = Locale.objects.get(language_code="fr")
    english = Locale.objects.filter(language_code="en").first()
    _index, pages = demo_coordinations()
    coordinations = {page.slug: page for page in pages}
    today = timezone.localdate()
    with transaction.atomic():
        films, withdrawals = build_films(coordinations, french, today)
        guides = build_guides(coordinations, french)
        if english is not None:
            table = english_table()
            for page in films + guides:
                translate(page, english, table)
        # wagtail-localize publishes translations on commit: withdraw after them.
        for record in withdrawals:
            transaction.on_commit(lambda record=record: _withdraw(record, today))
    stdout.write(f"Catalogue: {len(films)} films and {len(guides)} guides published.")

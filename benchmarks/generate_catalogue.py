"""Generate the API benchmark's catalogue: 21 coordinations, N films and M guides with every list field.

Counts are parameters (`generate(films=5_000, guides=1_000)`; the search
benchmark uses 50,000/10,000). Pages are written in bulk with the helpers of
`generate_search_data` (treebeard paths computed, child rows inserted
directly); every film gets a poster (one of a few shared images whose named
renditions are generated here, as the upload task does), a genre, an action
type, two themes, an audience and accessibility flags, so the list endpoints
do all their work. Guides get a cover, themes and an age group.
"""

import datetime
import io
import random

from PIL import Image as PILImage

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.utils.text import slugify

from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from benchmarks.generate_search_data import _insert_children, _pages, _sentence, _text

POSTERS = 12


def _image(title, colour):
    from library.models.renditions import NAMED_RENDITIONS

    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), colour).save(buffer, format="JPEG")
    image = get_image_model()(title=title, description=f"Affiche : {title}")
    image.file = ImageFile(ContentFile(buffer.getvalue()), name=f"{title.lower().replace(' ', '-')}.jpg")
    image.save()
    image.get_renditions(*NAMED_RENDITIONS.values())
    return image


def _tree():
    from home.models import HomePage
    from library.models import CoordinationIndexPage, CoordinationPage

    french = Locale.objects.get_or_create(language_code="fr")[0]
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    for page in root.get_children().exact_type(Page):
        page.delete()
    home = root.add_child(instance=HomePage(title="Accueil", slug="accueil", locale=french))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    index = home.add_child(instance=CoordinationIndexPage(title="Coordinations", slug="coordinations"))
    coordinations = [
        index.add_child(instance=CoordinationPage(title=f"Coordination {n:02d}", slug=f"coordination-{n:02d}"))
        for n in range(1, 22)
    ]
    for page in coordinations:
        page.refresh_from_db()
    return french, coordinations


def _terms(french):
    from library.models import ActionType, AgeGroup, Audience, Genre, Theme

    def make(model, names, **extra):
        return [model.objects.create(name=name, slug=slugify(name), locale=french, **extra) for name in names]

    return {
        "themes": make(Theme, ["Citoyenneté", "Écologie", "Mémoire", "Égalité", "Numérique", "Territoires"]),
        "audiences": make(Audience, ["Jeunes", "Familles", "Scolaires", "Seniors"]),
        "genres": make(Genre, ["Documentaire", "Fiction", "Animation", "Clip"]),
        "actions": make(ActionType, ["Atelier de réalisation", "Éducation aux images", "Projection-débat"]),
        "ages": [
            AgeGroup.objects.create(name=name, slug=slug, min_age=lo, max_age=hi, locale=french)
            for name, slug, lo, hi in (
                ("6-11 ans", "6-11", 6, 11),
                ("12-15 ans", "12-15", 12, 15),
                ("16-25 ans", "16-25", 16, 25),
            )
        ],
    }


def generate(films=5_000, guides=1_000, seed=5, stdout=None, listing=True):
    """Build the whole catalogue in an empty (migrated) database. Returns the terms created.

    `listing=False` leaves the API lists' read model to the caller (who times it).
    """
    from library.models import ConsentRecord, FilmPage, GuidePage

    rng = random.Random(seed)
    french, coordinations = _tree()
    terms = _terms(french)
    posters = [_image(f"Affiche {n}", (30 + 15 * n, 80, 160 - 10 * n)) for n in range(POSTERS)]
    consent = ConsentRecord.objects.create(
        label="Bench", coordination=coordinations[0], scope="public", granted_on=datetime.date(2023, 1, 1)
    )
    with transaction.atomic():
        done = 0
        per = films // len(coordinations)
        for index, coordination in enumerate(coordinations):
            count = per if index < len(coordinations) - 1 else films - done
            pages = _pages(coordination, count, FilmPage, lambda i: _sentence(rng, 3)[:-1], done)
            rows, themes, audiences = [], [], []
            for page in pages:
                film = FilmPage(page_ptr_id=page.pk)
                film.synopsis = _text(rng, 3)
                film.easy_read_summary = _sentence(rng)
                film.year = rng.randint(2005, 2025)
                film.genre_id = rng.choice(terms["genres"]).pk
                film.action_type_id = rng.choice(terms["actions"]).pk
                film.poster_id = rng.choice(posters).pk
                film.access_tier = film.effective_tier = "public" if rng.random() < 0.8 else "network"
                film.consent_id = consent.pk
                film.coordination_id = coordination.pk
                film.spoken_languages = ["fr"]
                film.licence = "cc-by"
                film.has_captions = rng.random() < 0.5
                film.has_audio_description = rng.random() < 0.1
                film.participants_age_min, film.participants_age_max = 12, 17
                rows.append(film)
                for theme in rng.sample(terms["themes"], 2):
                    themes.append(FilmPage.themes.through(filmpage_id=page.pk, theme_id=theme.pk))
                audiences.append(
                    FilmPage.audiences.through(filmpage_id=page.pk, audience_id=rng.choice(terms["audiences"]).pk)
                )
            for start in range(0, len(rows), 2000):
                _insert_children(FilmPage, rows[start : start + 2000])
            FilmPage.themes.through.objects.bulk_create(themes, batch_size=5000)
            FilmPage.audiences.through.objects.bulk_create(audiences, batch_size=5000)
            done += count
        if stdout:
            stdout.write(f"  {done} films\n")
        done = 0
        per = guides // len(coordinations)
        for index, coordination in enumerate(coordinations):
            count = per if index < len(coordinations) - 1 else guides - done
            pages = _pages(coordination, count, GuidePage, lambda i: f"Guide {_sentence(rng, 3)[:-1]}", films + done)
            rows, themes, ages = [], [], []
            for page in pages:
                guide = GuidePage(page_ptr_id=page.pk)
                guide.summary = _text(rng, 3)
                guide.cover_id = rng.choice(posters).pk
                guide.access_tier = guide.effective_tier = "public"
                guide.coordination_id = coordination.pk
                rows.append(guide)
                themes.append(GuidePage.themes.through(guidepage_id=page.pk, theme_id=rng.choice(terms["themes"]).pk))
                ages.append(
                    GuidePage.age_groups.through(guidepage_id=page.pk, agegroup_id=rng.choice(terms["ages"]).pk)
                )
            for start in range(0, len(rows), 2000):
                _insert_children(GuidePage, rows[start : start + 2000])
            GuidePage.themes.through.objects.bulk_create(themes, batch_size=5000)
            GuidePage.age_groups.through.objects.bulk_create(ages, batch_size=5000)
            done += count
        if stdout:
            stdout.write(f"  {done} guides\n")
    # Pages were inserted in bulk, without their signals: write the API lists' read model as
    # `manage.py rebuild_listing` does after a bulk import.
    from library.listing.build import refresh_all

    if listing:
        refresh_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in production
    return terms

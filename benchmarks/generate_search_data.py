"""Generate a large catalogue for the search benchmark: N films and M guides, in bulk.

Creating 60,000 pages one `add_child` at a time takes most of an hour, so the
pages are written in bulk: `wagtailcore_page` rows with treebeard paths
computed here, then the film and guide rows (Django cannot `bulk_create` a
multi-table child, so their own columns go through an `InsertQuery`, as
`Model.save` does). Text is drawn from a fixed French vocabulary with a seeded
random generator; two marker words give queries of known selectivity:
`COMMON_WORD` in about 1% of the items, `RARE_WORD` in about 0.02%.
"""

import datetime
import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.sql import InsertQuery
from django.utils.text import slugify

from wagtail.models import Locale, Page

COMMON_WORD = "lanterne"
RARE_WORD = "ornithorynque"
COMMON_SHARE = 0.01
RARE_SHARE = 0.0002
VOCABULARY = [
    "atelier",
    "animation",
    "documentaire",
    "fiction",
    "jeunes",
    "quartier",
    "village",
    "collège",
    "lycée",
    "cinéma",
    "image",
    "son",
    "montage",
    "tournage",
    "caméra",
    "scénario",
    "personnage",
    "histoire",
    "mémoire",
    "famille",
    "voyage",
    "rivière",
    "forêt",
    "mer",
    "montagne",
    "ville",
    "musique",
    "danse",
    "théâtre",
    "photographie",
    "portrait",
    "récit",
    "exil",
    "frontière",
    "amitié",
    "école",
    "travail",
    "sport",
    "football",
    "jardin",
    "cuisine",
    "marché",
    "nuit",
    "lumière",
    "ombre",
    "couleur",
    "papier",
    "découpé",
    "pâte",
    "modeler",
    "dessin",
    "marionnette",
    "robot",
    "jeu",
    "vidéo",
    "écran",
    "réseau",
    "information",
    "média",
    "radio",
    "podcast",
    "journal",
    "débat",
    "projection",
    "plein",
    "air",
    "festival",
    "été",
    "hiver",
    "printemps",
    "automne",
    "enfants",
    "parents",
    "grands-parents",
    "handicap",
    "hôpital",
    "justice",
    "liberté",
    "égalité",
    "solidarité",
    "environnement",
    "climat",
    "animaux",
    "oiseaux",
    "chevaux",
    "ferme",
    "agriculteurs",
    "pêcheurs",
    "port",
    "gare",
    "train",
    "bus",
    "vélo",
    "route",
    "chemin",
    "pont",
    "château",
    "musée",
    "bibliothèque",
    "médiathèque",
    "centre",
    "social",
]
THEMES = ["education-aux-medias", "cinema-d-animation", "ruralite", "handicap", "memoire", "environnement"]
TIERS = ["public"] * 16 + ["network"] * 3 + ["internal"]


def _sentence(rng, words=14):
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize() + "."


def _text(rng, sentences):
    text = " ".join(_sentence(rng) for _ in range(sentences))
    if rng.random() < COMMON_SHARE:
        text += f" Une {COMMON_WORD} éclaire la scène."
    if rng.random() < RARE_SHARE:
        text += f" Un {RARE_WORD} apparaît."
    return text


def _insert_children(model, rows):
    """Insert the child-table columns of `model` for already created page rows."""
    fields = list(model._meta.local_concrete_fields)
    query = InsertQuery(model)
    query.insert_values(fields, rows)
    query.get_compiler(connection=connection).execute_sql()


def _pages(parent, count, model, title_of, start):
    content_type = ContentType.objects.get_for_model(model)
    pages = []
    for i in range(count):
        title = title_of(i)
        slug = f"{slugify(title)[:40]}-{start + i}"
        path = Page._get_path(parent.path, parent.depth + 1, parent.numchild + i + 1)
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                path=path,
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}{slug}/",
                content_type=content_type,
                locale_id=parent.locale_id,
                translation_key=uuid.uuid4(),
                live=True,
                first_published_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
            )
        )
    created = Page.objects.bulk_create(pages, batch_size=2000)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)
    parent.numchild += count
    return created


def generate(films=50_000, guides=10_000, seed=6, stdout=None):
    """Add `films` films and `guides` guides under the existing coordinations (or new ones)."""
    from library.models import ConsentRecord, CoordinationPage, FilmPage, Genre, GuidePage, Theme

    rng = random.Random(seed)
    french = Locale.objects.get(language_code="fr")
    coordinations = list(CoordinationPage.objects.filter(locale=french))
    if not coordinations:
        raise RuntimeError("Create the coordinations first (load_demo_content or the benchmark's setup).")
    themes = {
        slug: Theme.objects.get_or_create(slug=slug, locale=french, defaults={"name": slug.replace("-", " ")})[0]
        for slug in THEMES
    }
    genre = Genre.objects.get_or_create(slug="documentaire", locale=french, defaults={"name": "Documentaire"})[0]
    consent = {
        scope: ConsentRecord.objects.create(
            label=f"Bench {scope}", coordination=coordinations[0], scope=scope, granted_on=datetime.date(2023, 1, 1)
        )
        for scope in ("public", "network", "internal")
    }
    with transaction.atomic():
        per = max(1, films // len(coordinations))
        done = 0
        for index, coordination in enumerate(coordinations):
            count = per if index < len(coordinations) - 1 else films - done
            if count <= 0:
                continue
            pages = _pages(coordination, count, FilmPage, lambda i: f"{_sentence(rng, 3)[:-1]}", done)
            rows, theme_rows = [], []
            for page in pages:
                tier = rng.choice(TIERS)
                film = FilmPage(page_ptr_id=page.pk)
                film.synopsis = _text(rng, 3)
                film.easy_read_summary = _sentence(rng)
                film.year = rng.randint(2005, 2025)
                film.genre_id = genre.pk
                film.access_tier = film.effective_tier = tier
                film.consent_id = consent[tier].pk
                film.coordination_id = coordination.pk
                film.spoken_languages = ["fr"]
                film.has_captions = rng.random() < 0.3
                rows.append(film)
                theme_rows.append(
                    FilmPage.themes.through(filmpage_id=page.pk, theme_id=rng.choice(list(themes.values())).pk)
                )
            for start in range(0, len(rows), 2000):
                _insert_children(FilmPage, rows[start : start + 2000])
            FilmPage.themes.through.objects.bulk_create(theme_rows, batch_size=5000)
            done += count
        if stdout:
            stdout.write(f"  {done} films\n")
        per = max(1, guides // len(coordinations))
        done = 0
        for index, coordination in enumerate(coordinations):
            count = per if index < len(coordinations) - 1 else guides - done
            if count <= 0:
                continue
            pages = _pages(coordination, count, GuidePage, lambda i: f"Guide {_sentence(rng, 3)[:-1]}", films + done)
            rows = []
            for page in pages:
                guide = GuidePage(page_ptr_id=page.pk)
                guide.summary = _text(rng, 3)
                guide.access_tier = guide.effective_tier = "public"
                guide.coordination_id = coordination.pk
                rows.append(guide)
            for start in range(0, len(rows), 2000):
                _insert_children(GuidePage, rows[start : start + 2000])
            done += count
        if stdout:
            stdout.write(f"  {done} guides\n")

"""Taxonomy terms of the demo, French first with their English translation.

Drawn from the programme's own vocabulary (actions, genres, audiences and
objectives). Each term is `(french, english)`; ages go with age groups.
"""

from django.db import transaction

from wagtail.models import Locale

from library.demo.translation import translate
from library.models import ActionType, AgeGroup, Audience, Genre, Theme

THEMES = [
    ("Éducation aux images", "Image education"),
    ("Lien social et mixité", "Social bonds and mixing"),
    ("Liens intergénérationnels", "Intergenerational ties"),
    ("Lutte contre le racisme", "Fighting racism"),
    ("Lutte contre le validisme", "Fighting ableism"),
    ("Médias et jeux vidéo", "Media and video games"),
    ("Territoire et quartier", "Territory and neighbourhood"),
    ("Mémoire et transmission", "Memory and heritage"),
]

AUDIENCES = [
    ("Jeunes des quartiers prioritaires (QPV)", "Young people in priority urban districts"),
    ("Jeunes en zone rurale", "Young people in rural areas"),
    ("Justice – Protection judiciaire de la jeunesse", "Justice – youth judicial protection"),
    ("Hôpital", "Hospital"),
    ("Handicap", "Disability"),
    ("Mineurs non accompagnés", "Unaccompanied minors"),
    ("Primo-arrivants", "Newly arrived migrants"),
    ("Groupes intergénérationnels", "Intergenerational groups"),
]

ACTION_TYPES = [
    ("Atelier de pratique artistique", "Hands-on workshop"),
    ("Séance de restitution", "Restitution screening"),
    ("Séance en plein air", "Open-air screening"),
    ("Projection avec intervenant", "Screening with a professional"),
    ("Billets pris en charge", "Ticket price support"),
    ("Rencontres du réseau", "Network meeting"),
    ("Formation des relais", "Training of relays"),
]

GENRES = [
    ("Documentaire", "Documentary"),
    ("Fiction", "Fiction"),
    ("Animation", "Animation"),
    ("Clip", "Music video"),
    ("Photographie", "Photography"),
    ("Machinima", "Machinima"),
    ("Cinéma bricolé", "Handmade cinema"),
    ("Jouets optiques", "Optical toys"),
    ("Effets spéciaux", "Special effects"),
    ("Essai", "Essay"),
    ("Ciné-débat", "Film and debate"),
]

AGE_GROUPS = [
    ("6-11 ans", "6-11 years", 6, 11),
    ("12-15 ans", "12-15 years", 12, 15),
    ("16-17 ans", "16-17 years", 16, 17),
    ("18-25 ans", "18-25 years", 18, 25),
    ("Tous âges", "All ages", None, None),
]

TAXONOMY = [
    (Theme, THEMES),
    (Audience, AUDIENCES),
    (ActionType, ACTION_TYPES),
    (Genre, GENRES),
    (AgeGroup, AGE_GROUPS),
]


def english_table():
    return {spec[0]: spec[1] for _model, specs in TAXONOMY for spec in specs}


def seed_taxonomy(stdout):
    """Create every French term once, then its English translation."""
    french = Locale.objects.get(language_code="fr")
    english = Locale.objects.filter(language_code="en").first()
    table = english_table()
    created = 0
    with transaction.atomic():
        for model, specs in TAXONOMY:
            for spec in specs:
                name = spec[0]
                term = model.objects.filter(locale=french, name=name).first()
                if term is None:
                    extra = {"min_age": spec[2], "max_age": spec[3]} if model is AgeGroup else {}
                    term = model.objects.create(locale=french, name=name, **extra)
                    created += 1
                if english is not None and not term.has_translation(english):
                    translate(term, english, table)
    stdout.write(f"Taxonomy: {created} terms created.")


def terms_by_name(model):
    """French terms of `model`, by name (for the catalogue steps)."""
    return {term.name: term for term in model.objects.filter(locale__language_code="fr")}

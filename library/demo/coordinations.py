"""The 21 regional coordinations of the demo.

Nine are known by name (DOMAIN.md); the others are placeholders, marked with
`is_placeholder` and "(à confirmer)" in their title so nobody takes them for
real partners. Territories follow the regions as the coordinations do, some
of them pre-2016 regions.
"""

from django.db import transaction

from wagtail.models import Locale, Site

from library.demo.translation import translate
from library.models import CoordinationIndexPage, CoordinationPage

INDEX = {
    "title": ("Les coordinations régionales", "Regional coordinations"),
    "slug": "coordinations",
    "introduction": (
        "Vingt et une coordinations régionales font vivre Passeurs d'images en métropole et en Outre-mer.",
        "Twenty-one regional coordinations run Passeurs d'images across mainland France and overseas.",
    ),
}

PLACEHOLDER = (" (à confirmer)", " (to be confirmed)")

# (French title, English title, carrying structure, region, territory, known)
COORDINATIONS = [
    ("Île-de-France", "Île-de-France", "ACRIF", "Île-de-France", ["75", "77", "78", "91", "92", "93", "94", "95"]),
    ("Hauts-de-France", "Hauts-de-France", "Hors Cadre", "Hauts-de-France", ["02", "59", "60", "62", "80"]),
    (
        "Centre-Val de Loire",
        "Centre-Val de Loire",
        "Ciclic",
        "Centre-Val de Loire",
        ["18", "28", "36", "37", "41", "45"],
    ),
    (
        "Occitanie",
        "Occitanie",
        "La Trame, Cinémaginaire",
        "Occitanie",
        ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"],
    ),
    (
        "Provence-Alpes-Côte d'Azur",
        "Provence-Alpes-Côte d'Azur",
        "Institut de l'image",
        "Provence-Alpes-Côte d'Azur",
        ["04", "05", "06", "13", "83", "84"],
    ),
    ("Alsace", "Alsace", "Le RECIT", "Grand Est", ["67", "68"]),
    ("Champagne-Ardenne", "Champagne-Ardenne", "Télé Centre Bernon", "Grand Est", ["08", "10", "51", "52"]),
    ("Auvergne", "Auvergne", "Sauve qui peut le court métrage", "Auvergne-Rhône-Alpes", ["03", "15", "43", "63"]),
    (
        "Bourgogne-Franche-Comté",
        "Bourgogne-Franche-Comté",
        "FRMJC",
        "Bourgogne-Franche-Comté",
        ["21", "25", "39", "58", "70", "71", "89", "90"],
    ),
]
PLACEHOLDERS = [
    ("Lorraine", "Lorraine", "Grand Est", ["54", "55", "57", "88"]),
    ("Rhône-Alpes", "Rhône-Alpes", "Auvergne-Rhône-Alpes", ["01", "07", "26", "38", "42", "69", "73", "74"]),
    ("Bretagne", "Brittany", "Bretagne", ["22", "29", "35", "56"]),
    ("Normandie", "Normandy", "Normandie", ["14", "27", "50", "61", "76"]),
    ("Pays de la Loire", "Pays de la Loire", "Pays de la Loire", ["44", "49", "53", "72", "85"]),
    ("Aquitaine", "Aquitaine", "Nouvelle-Aquitaine", ["24", "33", "40", "47", "64"]),
    ("Limousin", "Limousin", "Nouvelle-Aquitaine", ["19", "23", "87"]),
    ("Poitou-Charentes", "Poitou-Charentes", "Nouvelle-Aquitaine", ["16", "17", "79", "86"]),
    ("Corse", "Corsica", "Corse", ["2A", "2B"]),
    ("Guadeloupe", "Guadeloupe", "Guadeloupe", ["971"]),
    ("Martinique", "Martinique", "Martinique", ["972"]),
    ("La Réunion", "Réunion", "La Réunion", ["974"]),
]

SLUGS = {
    "Île-de-France": "ile-de-france",
    "Provence-Alpes-Côte d'Azur": "provence-alpes-cote-d-azur",
    "La Réunion": "la-reunion",
}


def _specs():
    for title, english, structure, region, territory in COORDINATIONS:
        yield {
            "title": title,
            "english": english,
            "structure": structure,
            "region": region,
            "territory": territory,
            "placeholder": False,
        }
    for title, english, region, territory in PLACEHOLDERS:
        yield {
            "title": title + PLACEHOLDER[0],
            "english": english + PLACEHOLDER[1],
            "structure": "",
            "region": region,
            "territory": territory,
            "placeholder": True,
            "slug_base": title,
        }


def _slug(spec):
    from django.utils.text import slugify

    base = spec.get("slug_base", spec["title"])
    return SLUGS.get(base) or slugify(base)


def english_table():
    table = {INDEX["title"][0]: INDEX["title"][1], INDEX["introduction"][0]: INDEX["introduction"][1]}
    for spec in _specs():
        table[spec["title"]] = spec["english"]
    return table


def build_coordinations(stdout):
    """The index page under the French home page and the 21 coordinations, published."""
    french = Locale.objects.get(language_code="fr")
    english = Locale.objects.filter(language_code="en").first()
    # The home page is the default site's root (the home app's demo step runs first).
    home = Site.objects.get(is_default_site=True).root_page
    created = 0
    with transaction.atomic():
        index = CoordinationIndexPage.objects.child_of(home).first()
        if index is None:
            index = CoordinationIndexPage(
                title=INDEX["title"][0], slug=INDEX["slug"], locale=french, introduction=INDEX["introduction"][0]
            )
            home.add_child(instance=index)
            index.save_revision().publish()
            created += 1
        existing = {page.slug: page for page in CoordinationPage.objects.child_of(index)}
        coordinations = []
        for spec in _specs():
            slug = _slug(spec)
            page = existing.get(slug)
            if page is None:
                page = CoordinationPage(
                    title=spec["title"],
                    slug=slug,
                    locale=french,
                    carrying_structure=spec["structure"],
                    region=spec["region"],
                    territory=spec["territory"],
                    is_placeholder=spec["placeholder"],
                )
                index.add_child(instance=page)
                page.save_revision().publish()
                created += 1
            coordinations.append(page)
        if english is not None:
            table = english_table()
            translate(index, english, table)
            for page in coordinations:
                translate(page, english, table)
    stdout.write(f"Coordinations: {created} pages created.")
    return index, coordinations


def demo_coordinations():
    """The French index and coordinations, in the demo's order."""
    index = CoordinationIndexPage.objects.get(locale__language_code="fr")
    by_slug = {page.slug: page for page in CoordinationPage.objects.child_of(index)}
    return index, [by_slug[_slug(spec)] for spec in _specs() if _slug(spec) in by_slug]

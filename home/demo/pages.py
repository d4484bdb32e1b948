"""Build the French page tree and its English translations."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from wagtail.models import Locale, Page, Site

from home.demo.images import get_or_create_image
from home.demo.texts import CONTENT_PAGES, HOME, english_by_french
from home.models import ContentPage, HomePage
from library.demo.translation import update_translation as translate


def _stream(blocks, images, pages):
    """Turn the (type, french...) tuples of `texts` into StreamField JSON, in French."""
    stream = []
    for block in blocks:
        kind = block[0]
        if kind == "heading":
            stream.append({"type": "heading", "value": {"text": block[1][0], "level": "h2"}})
        elif kind == "paragraph":
            html = "".join(f"<p>{french}</p>" for french, _english in block[1])
            stream.append({"type": "paragraph", "value": html})
        elif kind == "image":
            _, key, alt, caption = block
            stream.append(
                {"type": "image", "value": {"image": images[key].pk, "alt_text": alt[0], "caption": caption[0]}}
            )
        elif kind == "quote":
            stream.append({"type": "quote", "value": {"text": block[1][0], "attribution": block[2][0]}})
        elif kind == "cta":
            stream.append(
                {
                    "type": "call_to_action",
                    "value": {"label": block[1][0], "page": pages[block[2]].pk, "external_url": ""},
                }
            )
    return json.dumps(stream)


def _publish(page):
    page.save_revision().publish()


def build_home(stdout):
    """Create the French home page (replacing Wagtail's welcome page) and its children."""
    french = Locale.objects.get(language_code="fr")
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=french).first()
    created = []
    images = {"home-hero": get_or_create_image("Accueil – bannière", HOME["body"][2][2][0], seed=1)}
    for index, spec in enumerate(CONTENT_PAGES):
        images[spec["slug"]] = get_or_create_image(f"Page – {spec['title'][0]}", spec["image"][1][0], seed=10 + index)

    with transaction.atomic():
        if home is None:
            _remove_welcome_page(root)
            home = HomePage(
                title=HOME["title"][0], slug="accueil", locale=french, introduction=HOME["introduction"][0]
            )
            home.hero_image = images["home-hero"]
            root.add_child(instance=home)
            _point_site_at(home)
            created.append(home)

        pages = {}
        for spec in CONTENT_PAGES:
            page = ContentPage.objects.child_of(home).filter(slug=spec["slug"]).first()
            if page is None:
                page = ContentPage(
                    title=spec["title"][0], slug=spec["slug"], locale=french, introduction=spec["introduction"][0]
                )
                home.add_child(instance=page)
                created.append(page)
            pages[spec["slug"]] = page

        for page in created:
            page = page.specific
            if isinstance(page, HomePage):
                page.body = _stream(HOME["body"], images, pages)
            else:
                spec = next(s for s in CONTENT_PAGES if s["slug"] == page.slug)
                body = [("image", spec["slug"], spec["image"][1], spec["title"])] + spec["body"]
                page.body = _stream(body, images, pages)
            _publish(page)
    stdout.write(f"Pages: {len(created)} created, {1 + len(CONTENT_PAGES) - len(created)} already there.")
    return home, created


def translate_pages(home, created, locale, stdout):
    """Translate every page created by this run into `locale` (parents first)."""
    table = english_by_french()
    for page in [home] + [p for p in created if p.pk != home.pk]:
        if page.get_translations().filter(locale=locale).exists() and page not in created:
            continue
        translate(page.specific, locale, table)
    stdout.write(f"Translations ({locale.language_code}): {len(created)} pages.")


def _remove_welcome_page(root):
    """Wagtail's first migration creates a placeholder page; the demo replaces it."""
    for page in root.get_children().exact_type(Page):
        page.delete()


def _point_site_at(home):
    """Make the default site serve the demo home, at the admin's address.

    Wagtail's migration creates the site as localhost:80; the demo runs on
    WAGTAILADMIN_BASE_URL (http://127.0.0.1:8000 by default), so that is
    where the admin's "view live" links and the APIs' html_url must point.
    """
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    hostname = address.hostname or "localhost"
    port = address.port or (443 if address.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.root_page, site.site_name = hostname, port, home, "Passeurs d'images"
    site.save()

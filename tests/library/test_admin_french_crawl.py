"""Every admin screen without an argument, asked by a regional editor, reads in French.

The crawl takes the URLs of `test_admin_listing_sweep` (listings, reports,
dashboards, the upload screen, the consent register, partner tokens), then
the screens of one object of coordination A: the edit forms (film, guide,
video, image, document, consent record, partner organisation and token) and
their history and usage, the film and guide creation forms, the video page,
its tracks screen (captions and subtitles listed, an audio description, a
sign-language version chosen) and the editors' guide pages; as a national
editor, the screens only national editors see (a content page's form, the
catalogue import at each stage: dry run, progress, report, failure). It
fails on:

- a text shown in English although the loaded catalogues (Wagtail's, Django's,
  the project's) translate it: a string left untranslated in the code, or a
  label Wagtail builds from a field name;
- a message writing both genders at once ("Ajouter un(e) thème"), as
  Wagtail's French does where a message names a model;
- a date written as a relative time ("Il y a 0 minute") when it is in the
  future or has no time of day: Wagtail's relative dates are for moments
  past, and an expiry date in 2031 must read as a date.
"""

import html
import re
from datetime import datetime, timedelta

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real

from cms.editors_guide import GUIDE_DIR
from home.models import ContentPage
from library.models import CatalogueImport, PartnerOrganisation, PartnerToken
from tests.factories import make_video, publish
from tests.library.network import build_matrix_items
from tests.library.test_admin_listing_sweep import world  # noqa: F401 - the sweep's data and URLs

pytestmark = pytest.mark.django_db

#: Screens where an English word is meant: the admin language choice names each language in
#: itself (« English »), so that anyone finds theirs.
AUTONYMS = {"/admin/account/"}
RELATIVE_DATE = re.compile(r'<time class="w-human-readable-date__date" datetime="([^"]+)"')
HIDDEN = re.compile(
    r"<(script|style|template|svg|textarea)\b.*?</\1>|<!--.*?-->"
    # An element with the `hidden` attribute and text only (Wagtail's side panel counter, "None" until
    # a script fills it in): not shown.
    r"|<(\w+)\b[^>]*\shidden(?:=\"[^\"]*\")?(?:\s[^>]*)?>[^<]*</\2>",
    re.S | re.I,
)
#: Wagtail's French writes both genders at once wherever a message names a model ("Ajouter un(e)
#: thème", "Ce(tte) page", "Modifier ce/cette autorisation"); the project words those messages again.
BOTH_GENDERS = re.compile(r"\w\((e|tte|elle|la)\)|\ble/la\b|\bce/cette\b", re.I)
#: Texts an editor typed for people reading another language: an English track's label in the player.
TYPED_AUTONYMS = {"English"}


def visible_texts(page):
    """The page's text nodes, whitespace collapsed (scripts, templates and comments left out)."""
    for node in re.split(r"<[^>]+>", HIDDEN.sub(" ", page)):
        text = " ".join(html.unescape(node).split())
        if text:
            yield text


def english_with_french():
    """`{English msgid: French}` of the active catalogues, less words that read the same in French."""
    # Several catalogues may translate one msgid: the first that does is the one gettext uses.
    merged = trans_real.translation("fr")._catalog
    catalogue = {msgid: merged[msgid] for msgid, _value in merged.items()}
    # Compared without case: a label is the capitalised msgstr ("Active" for a French "active").
    french = {value.lower() for value in catalogue.values() if isinstance(value, str)}
    return {
        msgid: value
        for msgid, value in catalogue.items()
        if isinstance(msgid, str)
        and value
        and value != msgid
        and msgid.lower() not in french
        and re.search("[A-Za-z]{3}", msgid)
    }


def both_genders(url, page):
    return [f"{url}: « {text} » (both genders at once)" for text in visible_texts(page) if BOTH_GENDERS.search(text)]


def relative_dates_that_should_be_dates(page, now):
    wrong = []
    for stamp in RELATIVE_DATE.findall(page):
        if "T" not in stamp:
            wrong.append(f"{stamp} (a date without a time, shown as a relative time)")
        elif datetime.fromisoformat(stamp) > now + timedelta(minutes=1):
            wrong.append(f"{stamp} (a moment to come, shown as a relative time)")
    return wrong


def test_admin_screens_show_no_english_text_and_no_date_as_a_relative_time(client, world):  # noqa: F811
    translation.activate("fr")
    english = english_with_french()
    client.force_login(world["network"].users["editor_a"])
    now = timezone.now()
    found, pages = [], 0
    for url, _name in world["urls"]:
        if "?export=" in url:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        page = response.content.decode()
        if url not in AUTONYMS:
            found += [
                f"{url}: « {text} » (French: « {english[text]} »)" for text in visible_texts(page) if text in english
            ]
        found += [f"{url}: {problem}" for problem in relative_dates_that_should_be_dates(page, now)]
        found += both_genders(url, page)
    assert pages > 50, pages  # the crawl reached the admin's screens
    assert not found, "\n".join(sorted(set(found)))


def problems_of(client, user, urls, english, now):
    """(pages read, problems) of a GET of each URL by `user`; a screen that does not answer 200 in HTML is one."""
    client.force_login(user)
    found, pages = [], 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            found.append(f"{url}: answers {response.status_code} {response.get('Content-Type')}")
            continue
        pages += 1
        page = response.content.decode()
        allowed = TYPED_AUTONYMS if "/tracks/" in url else set()
        found += [
            f"{url}: « {text} » (French: « {english[text]} »)"
            for text in visible_texts(page)
            if text in english and text not in allowed
        ]
        found += [f"{url}: {problem}" for problem in relative_dates_that_should_be_dates(page, now)]
        found += both_genders(url, page)
    return pages, found


CATALOGUE = (
    "legacy_id,coordination,title,synopsis,year,published\n"
    "CRAWL-1,alpha,Film du catalogue,Un synopsis.,2020,non\n"
    "CRAWL-2,alpha,Film refusé,Un synopsis.,deux mille,non\n"
)


@pytest.fixture(scope="module")
def objects(module_db, world):  # noqa: F811
    """One object of each kind of coordination A, as editors leave them, and a content page."""
    network = world["network"]
    with module_db.build():
        items = {item.key: item for item in build_matrix_items(network.coord_a, derived_images=True)}
        film = items["film-public"]
        video = film.page.video
        sign = make_video("Version LSF", collection=video.collection)
        video.sign_language_video = sign
        video.save(update_fields=["sign_language_video"])
        tracked = make_video(
            "Vidéo sous-titrée", collection=video.collection, tracks=("fr", "en"), renditions=("360p",)
        )
        content = publish(network.home.add_child(instance=ContentPage(title="Le programme", slug="programme")))
        organisation = PartnerOrganisation.objects.filter(coordination=network.coord_a).first()
        token = PartnerToken.objects.filter(organisation__coordination=network.coord_a).first()
    return {
        "film": film.page,
        "draft": items["film-draft"].page,
        "guide": items["guide-public"],
        "video": video,
        "tracked": tracked,
        "content": content,
        "organisation": organisation,
        "token": token,
    }


def regional_object_urls(network, objects):
    film, guide, video, tracked = objects["film"], objects["guide"], objects["video"], objects["tracked"]
    snippets = [("consentrecord", film.consent_id)]
    urls = [
        reverse("wagtailadmin_pages:edit", args=[film.pk]),
        reverse("wagtailadmin_pages:edit", args=[objects["draft"].pk]),
        reverse("wagtailadmin_pages:edit", args=[guide.page.pk]),
        reverse("wagtailadmin_pages:history", args=[film.pk]),
        reverse("films:add", args=[network.coord_a.pk]),
        reverse("guides:add", args=[network.coord_a.pk]),
        reverse("wagtailadmin_explore", args=[network.coord_a.pk]),
        reverse("wagtailimages:edit", args=[guide.image.pk]),
        reverse("wagtailimages:edit", args=[film.poster_id]),
        reverse("wagtaildocs:edit", args=[guide.document.pk]),
        *[
            reverse(f"library_videos:{view}", args=[pk])
            for pk in (video.pk, tracked.pk)
            for view in ("edit", "tracks", "history", "usage")
        ],
    ]
    for model, pk in snippets:
        for view in ("edit", "history", "usage"):
            urls.append(reverse(f"wagtailsnippets_library_{model}:{view}", args=[pk]))
        urls.append(reverse(f"wagtailsnippets_library_{model}:add"))
    urls.append(reverse("editors_guide"))
    urls += [
        reverse("editors_guide_page", args=[path.stem])
        for path in sorted(GUIDE_DIR.glob("*.md"))
        if path.stem.lower() != "readme"
    ]
    return urls


def test_object_screens_read_in_french_for_a_regional_editor(client, world, objects):  # noqa: F811
    translation.activate("fr")
    network = world["network"]
    urls = regional_object_urls(network, objects)
    pages, found = problems_of(client, network.users["editor_a"], urls, english_with_french(), timezone.now())
    assert not found, "\n".join(sorted(set(found)))
    assert pages == len(urls) >= 25, pages


def test_national_screens_read_in_french(client, world, objects):  # noqa: F811
    """A content page's form and the catalogue import at each stage: dry run, progress, report, failure."""
    translation.activate("fr")
    network = world["network"]
    national = network.users["national"]
    client.force_login(national)
    upload = reverse("library_catalogue_import:upload")
    response = client.post(upload, {"file": SimpleUploadedFile("catalogue.csv", CATALOGUE.encode(), "text/csv")})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = CatalogueImport.objects.get()
    detail = reverse("library_catalogue_import:detail", args=[job.pk])
    urls = [reverse("wagtailadmin_pages:edit", args=[objects["content"].pk]), upload, detail]
    # Partner organisations and their tokens are the national team's (regional editors are sent home).
    for model, pk in (("partnerorganisation", objects["organisation"].pk), ("partnertoken", objects["token"].pk)):
        urls += [
            reverse(f"wagtailsnippets_library_{model}:{view}", args=[pk]) for view in ("edit", "history", "usage")
        ]
        urls.append(reverse(f"wagtailsnippets_library_{model}:add"))
    english, now = english_with_french(), timezone.now()
    pages, found = problems_of(client, national, urls, english, now)
    stages = {
        "running": {"status": CatalogueImport.Status.RUNNING, "started_at": now},
        "done": {
            "status": CatalogueImport.Status.DONE,
            "finished_at": now,
            "report": {**job.report, "result": job.report["dry_run"]},
        },
        "failed": {"status": CatalogueImport.Status.FAILED, "finished_at": now, "error": "Rien n’a été importé."},
    }
    for fields in stages.values():
        CatalogueImport.objects.filter(pk=job.pk).update(**fields)
        more, problems = problems_of(client, national, [detail, upload], english, now)
        pages, found = pages + more, found + problems
    assert pages == len(urls) + 6
    assert not found, "\n".join(sorted(set(found)))


def test_the_crawl_sees_english_text_and_a_future_date_shown_as_relative():
    """The checks are not blind: a known English label and a 2031 relative date are found."""
    translation.activate("fr")
    page = '<p>Password</p><time class="w-human-readable-date__date" datetime="2031-11-15T00:00:00+00:00">Il y a 0 minute</time>'
    assert "Password" in english_with_french()
    assert [text for text in visible_texts(page) if text in english_with_french()] == ["Password"]
    assert relative_dates_that_should_be_dates(page, timezone.now()) != []
    assert both_genders("/admin/", "<p>Ajouter un(e) thème</p><p>Ce(tte) page</p>") != []
    assert both_genders("/admin/", "<p>Ajouter un thème</p><p>Contact(s) : 2</p>") == []
    # Text in an element marked `hidden` is not shown; the same text outside it is.
    assert list(visible_texts('<div class="counter" hidden>\n None\n</div>')) == []
    assert list(visible_texts('<div class="counter">None</div>')) == ["None"]

"""Every admin screen without an argument, asked by a regional editor, reads in French.

The crawl takes the URLs of `test_admin_listing_sweep` (listings, reports,
dashboards, the upload screen, the consent register, partner tokens) and
fails on:

- a text shown in English although the loaded catalogues (Wagtail's, Django's,
  the project's) translate it: a string left untranslated in the code, or a
  label Wagtail builds from a field name;
- a date written as a relative time ("Il y a 0 minute") when it is in the
  future or has no time of day: Wagtail's relative dates are for moments
  past, and an expiry date in 2031 must read as a date.
"""

import html
import re
from datetime import datetime, timedelta

import pytest

from django.utils import timezone, translation
from django.utils.translation import trans_real

from tests.library.test_admin_listing_sweep import world  # noqa: F401 - the sweep's data and URLs

pytestmark = pytest.mark.django_db

#: Screens where an English word is meant: the admin language choice names each language in
#: itself (« English »), so that anyone finds theirs.
AUTONYMS = {"/admin/account/"}
RELATIVE_DATE = re.compile(r'<time class="w-human-readable-date__date" datetime="([^"]+)"')
HIDDEN = re.compile(r"<(script|style|template|svg|textarea)\b.*?</\1>|<!--.*?-->", re.S | re.I)


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
    french = {value for value in catalogue.values() if isinstance(value, str)}
    return {
        msgid: value
        for msgid, value in catalogue.items()
        if isinstance(msgid, str)
        and value
        and value != msgid
        and msgid not in french
        and re.search("[A-Za-z]{3}", msgid)
    }


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
    assert pages > 50, pages  # the crawl reached the admin's screens
    assert not found, "\n".join(sorted(set(found)))


def test_the_crawl_sees_english_text_and_a_future_date_shown_as_relative():
    """The checks are not blind: a known English label and a 2031 relative date are found."""
    translation.activate("fr")
    page = '<p>Password</p><time class="w-human-readable-date__date" datetime="2031-11-15T00:00:00+00:00">Il y a 0 minute</time>'
    assert "Password" in english_with_french()
    assert [text for text in visible_texts(page) if text in english_with_french()] == ["Password"]
    assert relative_dates_that_should_be_dates(page, timezone.now()) != []

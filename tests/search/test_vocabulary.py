"""Typo corrections and suggestions only ever offer words of items the requester may see.

Each hidden item of the catalogue has a word of its own (`zygomatique`
internal to Hors Cadre, `quetzal` network, `ornithorynque` a draft,
`capybara` a film whose consent was withdrawn). A typo of the word plus
`atelier` (which matches visible films) is the query that used to confirm
it: the correction was taken from every indexed text, and the any-word
fallback then returned it in `did_you_mean` and `searched_for`.
"""

import datetime
import re
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageViewRestriction

from home.models import ContentPage
from library.models import ConsentRecord, FilmPage
from search.documents import index_pages
from search.models import SearchTerm
from tests.search.catalogue import build

SEARCH = "wagtailapi_v3:search"
SUGGEST = "wagtailapi_v3:search_suggest"
HIDDEN_TYPOS = {
    "zygomatique": "zygomatiqe",
    "quetzal": "quetzall",
    "ornithorynque": "ornitorynque",
    "capybara": "capybarra",
}


class VocabularyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.catalogue = build()
        trame = cls.catalogue.fr.coordinations["la-trame"]
        consent = ConsentRecord.objects.create(
            label="Interne", coordination=trame, scope="internal", granted_on=datetime.date(2024, 1, 1)
        )
        cls.trame_film = trame.add_child(
            instance=FilmPage(
                title="Le Pangolin",
                synopsis="Un film interne de La Trame : un pangolin en pâte à modeler.",
                year=2025,
                access_tier="internal",
                consent=consent,
            )
        )
        index_pages([cls.trame_film.pk])
        cls.editor_hors_cadre = get_user_model().objects.create_user("editrice-hors-cadre", password="x")
        cls.editor_hors_cadre.groups.add(cls.catalogue.fr.coordinations["hors-cadre"].editors_group)

    def setUp(self):
        cache.clear()

    def search(self, q):
        response = self.client.get(reverse(SEARCH), {"q": q})
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def offered(self, typo):
        """The words the search and suggest endpoints put back to the requester for `typo atelier`."""
        data = self.search(f"{typo} atelier")
        suggestions = self.client.get(reverse(SUGGEST), {"q": typo}).json()["items"]
        text = " ".join([data["did_you_mean"] or "", data["searched_for"], *(item["text"] for item in suggestions)])
        return set(re.findall(r"\w+", text.lower()))

    def assert_offered(self, word, typo=None):
        self.assertIn(word, self.offered(typo or HIDDEN_TYPOS[word]))

    def assert_not_offered(self, word, typo=None):
        self.assertNotIn(word, self.offered(typo or HIDDEN_TYPOS[word]))

    def test_anonymous_is_offered_no_word_of_a_hidden_item(self):
        for word in HIDDEN_TYPOS:
            with self.subTest(word):
                data = self.search(f"{HIDDEN_TYPOS[word]} atelier")
                self.assertTrue(data["items"])  # `atelier` matched: the fallback that used to leak was reached
                self.assert_not_offered(word)
                self.assertEqual(self.client.get(reverse(SUGGEST), {"q": word}).json()["items"], [])

    def test_anonymous_still_gets_the_words_of_public_items(self):
        data = self.search("footbaleuses atelier")
        self.assertEqual(data["did_you_mean"], "footballeuses atelier")
        self.assertIn("footballeuses", self.offered("footbaleuses"))

    def test_partner_gets_the_network_word_and_nothing_more(self):
        self.client.force_login(self.catalogue.partner)
        self.assert_offered("quetzal")
        for word in ("zygomatique", "ornithorynque", "capybara"):
            self.assert_not_offered(word)
        self.assert_not_offered("pangolin", "pangolinn")

    def test_editors_get_their_own_coordinations_internal_words_only(self):
        self.client.force_login(self.editor_hors_cadre)
        self.assert_offered("zygomatique")
        self.assert_offered("quetzal")
        self.assert_not_offered("pangolin", "pangolinn")
        self.assert_not_offered("ornithorynque")  # drafts are found by no one in search
        self.client.force_login(self.catalogue.editor_b)
        self.assert_offered("pangolin", "pangolinn")
        self.assert_not_offered("zygomatique")

    def test_national_editors_get_every_live_items_words(self):
        self.client.force_login(self.catalogue.national)
        for word in ("zygomatique", "quetzal", "capybara"):
            self.assert_offered(word)
        self.assert_offered("pangolin", "pangolinn")
        self.assert_not_offered("ornithorynque")


class VocabularyUpkeepTests(TestCase):
    """The vocabulary follows publication, tier and consent as they change."""

    @classmethod
    def setUpTestData(cls):
        cls.catalogue = build()
        cls.coordination = cls.catalogue.fr.coordinations["la-trame"]
        cls.editor = cls.catalogue.editor_b

    def setUp(self):
        cache.clear()

    def corrected(self, typo="kinkajouu"):
        response = self.client.get(reverse(SEARCH), {"q": f"{typo} atelier"})
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()["did_you_mean"] or ""

    def publish_film(self):
        consent = ConsentRecord.objects.create(
            label="Kinkajou", coordination=self.coordination, scope="public", granted_on=datetime.date(2024, 1, 1)
        )
        film = FilmPage(title="Le Kinkajou", synopsis="Un kinkajou au zoo.", year=2025, access_tier="public")
        film.consent = consent
        film.live = False
        with self.captureOnCommitCallbacks(execute=True):
            self.coordination.add_child(instance=film)
        self.assertNotIn("kinkajou", self.corrected())  # a draft
        with self.captureOnCommitCallbacks(execute=True):
            film.save_revision().publish()
        self.assertIn("kinkajou", self.corrected())
        return FilmPage.objects.get(pk=film.pk)

    def save_consent(self, film, **changes):
        consent = ConsentRecord.objects.get(pk=film.consent_id)
        for name, value in changes.items():
            setattr(consent, name, value)
        with self.captureOnCommitCallbacks(execute=True):
            consent.save()

    def test_withdrawn_and_expired_consent_hide_the_word(self):
        film = self.publish_film()
        today = timezone.localdate()
        self.save_consent(film, withdrawn_on=today, withdrawal_reason="Demande des familles")
        self.assertNotIn("kinkajou", self.corrected())
        self.client.force_login(self.editor)  # the film's own coordination still finds it
        self.assertIn("kinkajou", self.corrected())
        self.client.logout()
        self.save_consent(film, withdrawn_on=None, withdrawal_reason="")
        self.assertIn("kinkajou", self.corrected())
        # An expiry passes with no one saving anything: the word is gone the next day.
        self.save_consent(film, expires_on=today + datetime.timedelta(days=1))
        self.assertIn("kinkajou", self.corrected())
        with mock.patch("django.utils.timezone.localdate", return_value=today + datetime.timedelta(days=2)):
            self.assertNotIn("kinkajou", self.corrected())
            self.client.force_login(self.editor)
            self.assertIn("kinkajou", self.corrected())

    def test_tier_change_unpublish_and_delete(self):
        film = self.publish_film()
        with self.captureOnCommitCallbacks(execute=True):
            film.access_tier = "network"
            film.save_revision().publish()
        self.assertNotIn("kinkajou", self.corrected())
        self.client.force_login(self.catalogue.partner)
        self.assertIn("kinkajou", self.corrected())
        with self.captureOnCommitCallbacks(execute=True):
            FilmPage.objects.get(pk=film.pk).unpublish()
        self.assertNotIn("kinkajou", self.corrected())
        self.client.force_login(self.catalogue.national)
        self.assertNotIn("kinkajou", self.corrected())
        self.assertFalse(SearchTerm.objects.filter(word="kinkajou").exists())
        with self.captureOnCommitCallbacks(execute=True):
            film.save_revision().publish()
        self.assertIn("kinkajou", self.corrected())
        with self.captureOnCommitCallbacks(execute=True):
            FilmPage.objects.get(pk=film.pk).delete()
        self.assertFalse(SearchTerm.objects.filter(word="kinkajou").exists())

    def test_a_word_shared_by_two_items_stays_while_one_is_visible(self):
        film = self.publish_film()
        other = FilmPage(title="Le Retour", synopsis="Le kinkajou revient.", year=2025, access_tier="public")
        other.consent = film.consent
        with self.captureOnCommitCallbacks(execute=True):
            self.coordination.add_child(instance=other)
        with self.captureOnCommitCallbacks(execute=True):
            FilmPage.objects.get(pk=film.pk).unpublish()
        self.assertIn("kinkajou", self.corrected())
        with self.captureOnCommitCallbacks(execute=True):
            FilmPage.objects.get(pk=other.pk).unpublish()
        self.assertNotIn("kinkajou", self.corrected())

    def test_rebuild_keeps_the_vocabulary_exact(self):
        film = self.publish_film()
        before = sorted(SearchTerm.objects.values_list("word", "audience", "until", "count"))
        from search.documents import rebuild

        rebuild()
        self.assertEqual(sorted(SearchTerm.objects.values_list("word", "audience", "until", "count")), before)
        self.assertTrue(SearchTerm.objects.filter(word="kinkajou", audience="public").exists())
        self.assertEqual(FilmPage.objects.get(pk=film.pk).live, True)

    def test_a_moved_film_follows_its_new_coordination(self):
        consent = ConsentRecord.objects.create(
            label="Tapir", coordination=self.coordination, scope="internal", granted_on=datetime.date(2024, 1, 1)
        )
        film = FilmPage(title="Le Tapir", synopsis="Un tapir.", year=2025, access_tier="internal", consent=consent)
        with self.captureOnCommitCallbacks(execute=True):
            self.coordination.add_child(instance=film)
        self.client.force_login(self.editor)
        self.assertIn("tapir", self.corrected("tapirr"))
        with self.captureOnCommitCallbacks(execute=True):
            film.move(self.catalogue.fr.coordinations["hors-cadre"], pos="last-child")
        self.assertNotIn("tapir", self.corrected("tapirr"))
        other = get_user_model().objects.create_user("editeur-hors-cadre", password="x")
        other.groups.add(self.catalogue.fr.coordinations["hors-cadre"].editors_group)
        self.client.force_login(other)
        self.assertIn("tapir", self.corrected("tapirr"))

    def test_a_page_under_a_view_restriction_is_offered_to_no_one(self):
        home = self.catalogue.fr.home
        with self.captureOnCommitCallbacks(execute=True):
            page = home.add_child(instance=ContentPage(title="Le Wapiti", slug="wapiti", introduction="Un wapiti."))
        self.assertIn("wapiti", self.corrected("wapitti"))
        with self.captureOnCommitCallbacks(execute=True):
            restriction = PageViewRestriction.objects.create(page=page, restriction_type="login")
        self.assertNotIn("wapiti", self.corrected("wapitti"))
        with self.captureOnCommitCallbacks(execute=True):
            restriction.delete()
        self.assertIn("wapiti", self.corrected("wapitti"))

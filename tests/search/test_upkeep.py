"""Index upkeep: publishing, unpublishing, tier and consent changes, the rebuild command, admin search."""

import datetime
import io

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from wagtail.models import Page

from library.models import ConsentRecord, FilmPage
from search import engine
from search.models import SearchDocument
from tests.search.catalogue import build


class UpkeepTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.catalogue = build()
        cls.items = cls.catalogue.items

    def count(self, q, **params):
        response = self.client.get(reverse("wagtailapi_v3:search"), {"q": q, **params})
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()["count"]

    def new_film(self, title, synopsis):
        coordination = self.catalogue.fr.coordinations["la-trame"]
        consent = ConsentRecord.objects.create(
            label=title, coordination=coordination, scope="public", granted_on=datetime.date(2024, 1, 1)
        )
        film = FilmPage(title=title, synopsis=synopsis, year=2025, access_tier="public", consent=consent, live=False)
        with self.captureOnCommitCallbacks(execute=True):
            coordination.add_child(instance=film)
        return film

    def test_publish_is_searchable_on_the_next_request_and_unpublish_hides_at_once(self):
        film = self.new_film("Les Kangourous de Millau", "Un atelier autour des kangourous du parc.")
        self.assertEqual(self.count("kangourous"), 0)  # a draft
        with self.captureOnCommitCallbacks(execute=True):
            film.save_revision().publish()
        self.assertEqual(self.count("kangourous"), 1)
        with self.captureOnCommitCallbacks(execute=True):
            revision = film.save_revision()
            film.title = "Les Wombats de Millau"
            film.synopsis = "Un atelier autour des wombats du parc."
            film.save_revision().publish()
        self.assertTrue(revision)
        self.assertEqual(self.count("wombats"), 1)
        response = self.client.get(reverse("wagtailapi_v3:search"), {"q": "kangourous"}).json()
        self.assertEqual(response["count"], 0, response)
        with self.captureOnCommitCallbacks(execute=True):
            FilmPage.objects.get(pk=film.pk).unpublish()
        self.assertFalse(FilmPage.objects.get(pk=film.pk).live)
        response = self.client.get(reverse("wagtailapi_v3:search"), {"q": "wombats"}).json()
        self.assertEqual(response["count"], 0, response)

    def test_tier_change_and_consent_drop_hide_without_reindexing(self):
        film = self.items["footballeuses"].specific
        self.assertEqual(self.count("footballeuses"), 1)
        before = SearchDocument.objects.get(pk=film.pk).updated_at
        # The consent register changes; no page is saved, nothing is reindexed.
        ConsentRecord.objects.filter(pk=film.consent_id).update(withdrawn_on=datetime.date(2024, 2, 1))
        self.assertEqual(self.count("footballeuses"), 0)
        self.assertEqual(
            self.count("atelier", type="film", audience="jeunes-qpv") + 0, self.count("atelier", audience="jeunes-qpv")
        )
        ConsentRecord.objects.filter(pk=film.consent_id).update(withdrawn_on=None)
        self.assertEqual(self.count("footballeuses"), 1)
        with self.captureOnCommitCallbacks(execute=True):
            film.access_tier = "network"
            film.save_revision().publish()
        self.assertEqual(self.count("footballeuses"), 0)
        self.client.force_login(self.catalogue.partner)
        self.assertEqual(self.count("footballeuses"), 1)
        self.assertGreaterEqual(SearchDocument.objects.get(pk=film.pk).updated_at, before)

    def test_renamed_theme_is_reindexed(self):
        theme = self.items["riviere-en-colere"].specific.themes.get()
        with self.captureOnCommitCallbacks(execute=True):
            theme.name = "Climat et écologie"
            theme.save()
        self.assertIn("riviere-en-colere", self.slugs_for("écologie"))

    def test_new_pdf_text_and_captions_are_reindexed(self):
        guide = self.items["guide-plein-air"].specific
        document = guide.documents.get().document
        with self.captureOnCommitCallbacks(execute=True):
            document.extracted_text += " Prévoir un groupe électrogène."
            document.save(update_fields=["extracted_text"])
        self.assertEqual(self.slugs_for("groupe électrogène"), ["guide-plein-air"])
        track = FilmPage.objects.get(pk=self.items["derriere-les-murs"].pk).video.text_tracks.get()
        with self.captureOnCommitCallbacks(execute=True):
            track.text += " On ira au trampoline."
            track.save()
        self.assertEqual(self.slugs_for("trampoline"), ["derriere-les-murs"])

    def slugs_for(self, q):
        slugs = {page.pk: slug for slug, page in self.items.items()}
        response = self.client.get(reverse("wagtailapi_v3:search"), {"q": q})
        return [slugs.get(item["id"]) for item in response.json()["items"]]

    def test_update_index_rebuilds_with_a_progress_bar(self):
        SearchDocument.objects.all().delete()
        self.assertEqual(self.count("footballeuses"), 0)
        out = io.StringIO()
        call_command("update_index", stdout=out)
        output = out.getvalue()
        self.assertIn("█", output)
        self.assertIn("pages/s", output)
        self.assertEqual(SearchDocument.objects.count(), Page.objects.filter(depth__gt=1).count())
        self.assertEqual(self.count("footballeuses"), 1)


class AdminSearchTests(TestCase):
    """Editors search in the admin with Wagtail's index (same search_fields) and their permissions."""

    @classmethod
    def setUpTestData(cls):
        cls.catalogue = build()
        hors_cadre = cls.catalogue.fr.coordinations["hors-cadre"]
        cls.draft = hors_cadre.add_child(
            instance=FilmPage(
                title="Brouillon des marmottes", synopsis="Des marmottes en hiver.", year=2025, live=False
            )
        )
        call_command("update_index", stdout=io.StringIO())

    def admin_finds(self, q, page):
        response = self.client.get(reverse("wagtailadmin_pages:search"), {"q": q})
        self.assertEqual(response.status_code, 200)
        return reverse("wagtailadmin_pages:edit", args=[page.pk]) in response.content.decode()

    def test_editor_of_another_coordination_does_not_find_drafts(self):
        self.client.force_login(self.catalogue.editor_b)
        self.assertFalse(self.admin_finds("marmottes", self.draft))
        # Their own coordination's films are found (Wagtail 8's admin search matches titles),
        # not another coordination's.
        self.assertTrue(self.admin_finds("Main dans", self.catalogue.items["main-dans-la-main"]))
        self.assertFalse(self.admin_finds("Footballeuses", self.catalogue.items["footballeuses"]))

    def test_national_editor_finds_drafts(self):
        self.client.force_login(self.catalogue.national)
        self.assertTrue(self.admin_finds("marmottes", self.draft))
        self.assertTrue(self.admin_finds("Footballeuses", self.catalogue.items["footballeuses"]))

    def test_wagtail_backend_path_applies_the_same_access(self):
        """With `SEARCH_BACKEND_URL` (Elasticsearch/OpenSearch) or on SQLite, Wagtail's backend matches."""
        url = reverse("wagtailapi_v3:search")
        with override_settings(SEARCH_BACKEND_URL="http://127.0.0.1:9"):
            self.assertFalse(engine.uses_postgres_path())
            found = self.client.get(url, {"q": "Footballeuses"}).json()
            self.assertEqual([item["id"] for item in found["items"]], [self.catalogue.items["footballeuses"].pk])
            for hidden in ("zygomatique", "quetzal", "marmottes", "capybara"):
                self.assertEqual(self.client.get(url, {"q": hidden}).json()["count"], 0, hidden)
            self.client.force_login(self.catalogue.partner)
            self.assertEqual(self.client.get(url, {"q": "quetzal"}).json()["count"], 1)

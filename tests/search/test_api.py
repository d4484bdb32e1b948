"""The search and suggest endpoints: results, filters, facets, access, typos, bad input."""

import time

from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse

from search.models import SearchDocument
from tests.search.catalogue import build

SEARCH = "wagtailapi_v3:search"
SUGGEST = "wagtailapi_v3:search_suggest"


class SearchAPITests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.catalogue = build()
        cls.items = cls.catalogue.items
        cls.slugs = {page.pk: slug for slug, page in cls.items.items()}

    def setUp(self):
        # Suggestions keep taxonomy names in the cache for a minute; each test starts without them.
        cache.clear()

    def get(self, **params):
        response = self.client.get(reverse(SEARCH), params)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def found(self, **params):
        return [self.slugs.get(item["id"]) for item in self.get(**params)["items"]]

    # --- Matching -----------------------------------------------------------------

    def test_accents_are_folded_and_words_stemmed(self):
        self.assertIn("vrai-ou-faux", self.found(q="education aux medias"))
        self.assertIn("guide-animation", self.found(q="ateliers"))
        self.assertIn("chambre-203", self.found(q="hopital"))

    def test_caption_and_guide_pdf_text_are_searched(self):
        data = self.get(q="skatepark")
        self.assertEqual([self.slugs[i["id"]] for i in data["items"]], ["derriere-les-murs"])
        self.assertEqual(data["items"][0]["matched_in"], ["captions"])
        self.assertIn("<mark>skatepark</mark>", data["items"][0]["snippet"])
        data = self.get(q="storyboard")
        self.assertEqual([self.slugs[i["id"]] for i in data["items"]], ["guide-scenario"])
        self.assertIn("guide_text", data["items"][0]["matched_in"])

    def test_taxonomy_names_are_searched(self):
        # "Ruralité" is only a theme name, in no title or synopsis.
        self.assertEqual(set(self.found(q="ruralité")), {"petit-chaperon", "ferme-des-possibles", "village-cinema"})

    def test_english_content_uses_english_rules(self):
        self.assertEqual(self.found(q="investigating", locale="en"), ["true-or-false"])
        # French content is not in the English results.
        self.assertNotIn("vrai-ou-faux", self.found(q="collégiens", locale="en"))

    def test_each_hit_links_to_its_detail_endpoint(self):
        hits = {
            self.slugs[item["id"]]: item
            for item in self.get(q="partenaire")["items"] + self.get(q="zootrope")["items"]
        }
        self.assertEqual(
            hits["zootrope-magique"]["detail_url"],
            reverse("wagtailapi_v3:library_film_detail", args=[hits["zootrope-magique"]["id"]]),
        )
        self.assertEqual(
            hits["guide-jouets-optiques"]["detail_url"],
            reverse("wagtailapi_v3:library_guide_detail", args=[hits["guide-jouets-optiques"]["id"]]),
        )
        self.assertEqual(
            hits["devenir-partenaire"]["detail_url"],
            reverse("wagtailapi_v3:detail_page", args=[hits["devenir-partenaire"]["id"]]),
        )

    def test_snippet_says_why_and_is_escaped(self):
        item = self.get(q="pâte à modeler")["items"][0]
        self.assertEqual(self.slugs[item["id"]], "chambre-203")
        self.assertIn("synopsis", item["matched_in"])
        self.assertIn("<mark>pâte</mark>", item["snippet"])
        self.assertIn("&#x27;", self.get(q="lit d'hôpital")["items"][0]["snippet"])

    def test_typo_is_corrected_and_said(self):
        data = self.get(q="animtion")
        self.assertEqual(data["did_you_mean"], "animation")
        self.assertEqual(data["searched_for"], "animation")
        self.assertIn("petit-chaperon", [self.slugs[i["id"]] for i in data["items"]])
        self.assertIn("sous-les-etoiles", self.found(q="cinéma plein aire"))

    def test_partial_word_finds_by_prefix(self):
        data = self.get(q="zootr")
        self.assertIn("zootrope-magique", [self.slugs[i["id"]] for i in data["items"]])

    def test_any_word_when_all_words_match_nothing(self):
        data = self.get(q="zootrope skatepark")
        self.assertTrue(data["any_word"])
        self.assertEqual(
            {self.slugs[i["id"]] for i in data["items"]},
            {"zootrope-magique", "guide-jouets-optiques", "derriere-les-murs"},
        )

    # --- Filters, paging, facets ----------------------------------------------------

    def test_type_and_library_filters(self):
        self.assertEqual(set(self.found(q="animation", type="guide")), {"guide-animation", "guide-jouets-optiques"})
        films = self.found(q="animation", genre="animation")
        self.assertTrue(films)
        self.assertTrue(all(self.items[slug].specific.genre.slug == "animation" for slug in films))
        self.assertEqual(self.found(q="fiction", has_sign_language="true"), ["main-dans-la-main"])
        coordination = self.catalogue.fr.coordinations["ciclic"]
        found = self.found(q="animation", coordination=coordination.pk)
        self.assertTrue(found)
        self.assertTrue(all(self.items[slug].specific.coordination_id == coordination.pk for slug in found))
        self.assertEqual(set(self.found(q="animation", year_min=2024, year_max=2024)), {"animal-totem"})
        self.assertEqual(self.found(q="créole", spoken_language="rcf"), ["plage-en-hiver"])
        # A theme filter keeps films and guides and drops plain pages.
        self.assertEqual(set(self.found(q="jeux vidéo", theme="jeux-video")), {"pixels-chateaux", "guide-machinima"})

    def test_paging_is_a_window_on_one_ranking(self):
        everything = self.found(q="atelier", limit=50)
        self.assertGreater(len(everything), 6)
        self.assertEqual(self.found(q="atelier", limit=3, offset=3), everything[3:6])
        self.assertEqual(self.get(q="atelier", limit=3)["count"], len(everything))

    def test_facets_count_the_whole_result_set(self):
        data = self.get(q="atelier", limit=1)
        by_type = {b["value"]: b["count"] for b in data["facets"]["type"]}
        self.assertEqual(sum(by_type.values()), data["count"])
        genres = {b["value"]: b["count"] for b in data["facets"]["genre"]}
        everything = self.found(q="atelier", limit=100, type="film")
        self.assertEqual(
            genres["animation"], sum(1 for s in everything if self.items[s].specific.genre.slug == "animation")
        )
        accessibility = {b["value"]: b["count"] for b in self.get(q="handicap")["facets"]["accessibility"]}
        self.assertEqual(accessibility["has_sign_language"], 1)
        self.assertEqual(accessibility["has_audio_description"], 1)

    # --- Access ---------------------------------------------------------------------

    def test_hidden_items_change_no_result_count_facet_or_suggestion(self):
        anonymous = self.get(q="papier découpé")
        self.assertEqual({self.slugs[i["id"]] for i in anonymous["items"]}, {"petit-chaperon", "guide-animation"})
        self.assertEqual(anonymous["count"], 2)
        audiences = {b["value"]: b["count"] for b in anonymous["facets"]["audience"]}
        self.assertEqual(audiences.get("collegiens"), 1)
        for word in ("zygomatique", "quetzal", "ornithorynque", "capybara"):
            data = self.get(q=word)
            self.assertEqual((data["count"], data["items"], data["did_you_mean"]), (0, [], None), word)
            suggestions = self.client.get(reverse(SUGGEST), {"q": word}).json()["items"]
            self.assertEqual(suggestions, [], word)

    def test_partner_sees_the_network_tier_and_nothing_more(self):
        self.client.force_login(self.catalogue.partner)
        data = self.get(q="papier découpé")
        self.assertEqual(data["count"], 3)
        self.assertIn("reseau-quetzal", [self.slugs[i["id"]] for i in data["items"]])
        audiences = {b["value"]: b["count"] for b in data["facets"]["audience"]}
        self.assertEqual(audiences.get("collegiens"), 2)
        self.assertEqual(self.get(q="zygomatique")["count"], 0)
        self.assertEqual(self.get(q="capybara")["count"], 0)
        titles = [s["text"] for s in self.client.get(reverse(SUGGEST), {"q": "quetzal"}).json()["items"]]
        self.assertIn("Le Quetzal du réseau", titles)

    def test_national_editor_sees_internal_items_but_no_drafts(self):
        self.client.force_login(self.catalogue.national)
        self.assertEqual(self.found(q="zygomatique"), ["secret-zygomatique"])
        self.assertEqual(self.found(q="ornithorynque"), [])

    # --- Suggest --------------------------------------------------------------------

    def test_suggest_titles_terms_and_coordinations(self):
        items = self.client.get(reverse(SUGGEST), {"q": "anim"}).json()["items"]
        kinds = {(item["type"], item["text"]) for item in items}
        self.assertIn(("film", "Animal totem"), kinds)
        self.assertIn(("theme", "Cinéma d'animation"), kinds)
        items = self.client.get(reverse(SUGGEST), {"q": "ciclic"}).json()["items"]
        self.assertIn(("coordination", "Centre-Val de Loire – Ciclic"), {(i["type"], i["text"]) for i in items})
        items = self.client.get(reverse(SUGGEST), {"q": "zootrop"}).json()["items"]
        self.assertEqual(items[0]["text"], "Le Zootrope magique")

    def test_openapi_describes_both_endpoints(self):
        document = self.client.get("/api/v3/openapi.json").json()
        search = document["paths"][reverse(SEARCH)]["get"]
        self.assertIn("q", {parameter["name"] for parameter in search["parameters"]})
        self.assertIn("genre", {parameter["name"] for parameter in search["parameters"]})
        self.assertIn(reverse(SUGGEST), document["paths"])

    # --- Bad input ------------------------------------------------------------------

    def assert_problem(self, response, status):
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/problem+json")

    def test_bad_input_is_a_clear_4xx(self):
        url = reverse(SEARCH)
        self.assert_problem(self.client.get(url), 422)
        self.assert_problem(self.client.get(url, {"q": "   "}), 422)
        started = time.monotonic()
        self.assert_problem(self.client.get(url, {"q": "cinéma " * 15_000}), 422)
        self.assertLess(time.monotonic() - started, 5, "bounded time, with room for a loaded CI machine")
        self.assert_problem(self.client.get(url, {"q": "film", "colour": "blue"}), 400)
        self.assert_problem(self.client.get(url, {"q": "film", "year_min": "soon"}), 422)
        self.assert_problem(self.client.get(url, {"q": "film", "limit": 1000}), 422)
        self.assert_problem(self.client.get(url, {"q": "film", "type": "video"}), 422)
        self.assert_problem(self.client.get(url, {"q": "film", "locale": "xx"}), 422)
        self.assert_problem(self.client.get(reverse(SUGGEST), {"q": "a"}), 422)

    def test_operators_and_injection_attempts_are_plain_text(self):
        for q in (
            "'; DROP TABLE search_searchdocument; --",
            "animation & | ! :* ( ) <-> <2>",
            '"plein air',
            "-animation",
            "animation OR",
            "\x00nul\x01",
            "éducation' OR 1=1 --",
            "((((((((((((((((((((",
            "*:*",
        ):
            started = time.monotonic()
            response = self.client.get(reverse(SEARCH), {"q": q})
            self.assertIn(response.status_code, (200, 422), (q, response.content))
            self.assertLess(time.monotonic() - started, 5, q)
            response = self.client.get(reverse(SUGGEST), {"q": q})
            self.assertIn(response.status_code, (200, 422), (q, response.content))
        self.assertTrue(SearchDocument.objects.exists())
        self.assertEqual(self.found(q='"plein air"'), self.found(q='"plein air"'))
        # An exclusion is honoured, and such a deliberate query is never loosened.
        self.assertEqual(self.found(q="stop -motion"), [])
        self.assertEqual(self.found(q="pâte -motion"), [])
        self.assertEqual(self.found(q="pâte -zootrope"), ["chambre-203"])

"""Relevance on the judged queries can only go up: NDCG@10 and MRR floors."""

from django.test import TestCase
from django.urls import reverse

from tests.search.catalogue import build
from tests.search.judgements import ENGLISH, FRENCH, evaluate

#: Measured figures rounded down; raise them when relevance improves.
FLOORS = {"fr": {"ndcg": 0.95, "mrr": 0.95}, "en": {"ndcg": 0.9, "mrr": 0.95}}


class JudgedQueriesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.catalogue = build()
        cls.slugs = {page.pk: slug for slug, page in cls.catalogue.items.items()}

    def search(self, query, locale):
        response = self.client.get(reverse("wagtailapi_v3:search"), {"q": query, "locale": locale, "limit": 10})
        self.assertEqual(response.status_code, 200, response.content)
        return [self.slugs.get(item["id"], item["id"]) for item in response.json()["items"]]

    def test_query_set_is_large_enough(self):
        self.assertGreaterEqual(len(FRENCH), 40)
        self.assertGreaterEqual(len(ENGLISH), 10)

    def test_relevance_floor(self):
        figures, misses = evaluate(self.search)
        for locale, floors in FLOORS.items():
            for measure, floor in floors.items():
                self.assertGreaterEqual(figures[locale][measure], floor, (locale, measure, figures, misses))

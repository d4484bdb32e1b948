"""Search on the embedded default (SQLite's full-text backend, what `make demo` serves).

Whatever a visitor types gives an answer or a 4xx, never a 500: Wagtail's
SQLite backend passes each word to FTS5 inside double quotes without escaping
a quote, so the words alone are sent (`search.engine.backend_text`).
"""

import itertools
import json
import urllib.parse

import pytest

from tests.embedded import get

OPERATORS = [
    '"',
    "'",
    "’",
    "*",
    "^",
    "(",
    ")",
    "()",
    "-",
    "+",
    ":",
    "{",
    "}",
    "[",
    "]",
    "\\",
    "%",
    "_",
    ";",
    "--",
    "NEAR",
    "NEAR/2",
    "NEAR(",
    "AND",
    "OR",
    "NOT",
    "<script>",
    "&amp;",
    "🎬",
    "' OR 1=1 --",
]
WORDS = ["atelier", "cinéma", "2024"]
#: 30 operators, 3 words, 3 shapes, plus the bare operators: 300 hostile queries.
HOSTILE = [
    shape.format(op=op, word=word)
    for op, word, shape in itertools.product(OPERATORS, WORDS, ["{op}{word}", "{word}{op}", "{word} {op} {word}"])
] + OPERATORS


def search(site, path, text):
    return get(f"{site.base_url}{path}?{urllib.parse.urlencode({'q': text})}")


def test_hostile_queries_never_answer_500(embedded_site):
    failures = []
    for text in HOSTILE:
        for path in ("/api/v3/search/", "/api/v3/search/suggest/"):
            status, _body = search(embedded_site, path, text)
            if status >= 500:
                failures.append((path, text, status))
    assert failures == []


@pytest.mark.parametrize("text", ['"atelier', "atelier", "l'atelier", "L’atelier", "(atelier)", "ATELIER*"])
def test_the_words_are_searched_without_their_syntax(embedded_site, text):
    status, body = search(embedded_site, "/api/v3/search/", text)
    assert status == 200, body
    titles = [item["title"] for item in json.loads(body)["items"]]
    assert titles == ["Atelier de cinéma au collège"]


def test_a_query_of_punctuation_alone_finds_nothing(embedded_site):
    status, body = search(embedded_site, "/api/v3/search/", '"')
    assert status == 200, body
    assert json.loads(body)["items"] == []

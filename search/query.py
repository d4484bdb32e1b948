"""From what a visitor typed to a PostgreSQL text query, and back when it finds nothing.

User input never reaches `to_tsquery` syntax: the first attempt goes through
`websearch_to_tsquery` (quotes, `or` and `-` work; `&|!:*()` are just
characters), and the fallbacks build queries only from words that match
`configs.WORD_RE` (letters only). The fallbacks, tried in order while nothing
matches: each unknown word replaced by the closest word of the lexicon
(trigram similarity: "animtion" -> "animation"), then every word as a prefix
("anim" -> "animation"), then any of the words instead of all of them.

The lexicon a requester's words are checked and corrected against holds only
words of items they may see (`search.audiences`): a correction, and the
`searched_for` of the looser queries, never confirm a word of a hidden item.
"""

import difflib
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q

from search.configs import WORD_RE, normalise
from search.vocabulary import offered_terms

#: Longer queries are refused with a 422 (a sentence is ~100 characters).
MAX_QUERY_LENGTH = 500
#: Words beyond this are ignored by the fallbacks (each costs an index probe).
MAX_WORDS = 12
#: pg_trgm similarity under which a lexicon word is not offered as a correction.
MIN_SIMILARITY = 0.35
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text):
    """The query as searched: control characters (NUL breaks PostgreSQL) out, spaces collapsed."""
    return " ".join(CONTROL_RE.sub(" ", text or "").split())


@dataclass
class Attempt:
    query: SearchQuery
    #: What was searched, in words, when it differs from what was typed.
    searched_for: str
    #: A spelling correction to show ("Did you mean ...").
    did_you_mean: str | None = None
    #: True when not every word had to match.
    any_word: bool = False


def query_words(text):
    return WORD_RE.findall(normalise(text))[:MAX_WORDS]


def _known(words, terms):
    return set(terms.filter(word__in=words).values_list("word", flat=True))


def closest_word(word, terms):
    """The word of `terms` (the requester's lexicon) nearest to `word`, or None."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramSimilar
        from django.contrib.postgres.search import TrigramSimilarity
        from django.db.models import F, Value

        # The lookup as an expression: `django.contrib.postgres` need not be installed.
        match = (
            terms.filter(TrigramSimilar(F("word"), Value(word)))
            .annotate(similarity=TrigramSimilarity("word", word))
            .filter(similarity__gte=MIN_SIMILARITY)
            .order_by("-similarity", "word")
            .values_list("word", flat=True)
            .first()
        )
        return match
    # Elsewhere: words of a similar length and the same first letter, compared in Python.
    candidates = (
        terms.filter(Q(word__startswith=word[0]), word__regex=rf"^.{{{max(1, len(word) - 2)},{len(word) + 2}}}$")
        .values_list("word", flat=True)
        .distinct()[:5000]
    )
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.75)
    return found[0] if found else None


def corrected(text, requester):
    """`text` with every word unknown to the requester's lexicon replaced by its closest known word."""
    terms = offered_terms(requester)
    words = query_words(text)
    known = _known(words, terms)
    changed = False
    result = []
    for word in words:
        if word in known or len(word) < 4:
            result.append(word)
            continue
        replacement = closest_word(word, terms)
        if replacement and replacement != word:
            changed = True
            result.append(replacement)
        else:
            result.append(word)
    return " ".join(result) if changed else None


def first_attempt(text, config):
    return Attempt(SearchQuery(text, config=config, search_type="websearch"), searched_for=text)


#: Quotes, a `-word` exclusion or `or`: the visitor wrote a query on purpose; it is not loosened.
OPERATORS_RE = re.compile(r'"|(^|\s)-\w|\bor\b', re.IGNORECASE)


def fallbacks(text, config, requester):
    """Looser queries to try, in order, when `text` matched nothing for `requester` (generated lazily)."""
    if OPERATORS_RE.search(text):
        return
    fixed = corrected(text, requester)
    if fixed:
        yield Attempt(SearchQuery(fixed, config=config, search_type="plain"), fixed, did_you_mean=fixed)
    words = query_words(fixed or text)
    if not words:
        return
    # Letters only (WORD_RE), so the raw tsquery syntax below cannot be injected.
    prefix = " & ".join(f"{word}:*" for word in words)
    yield Attempt(SearchQuery(prefix, config=config, search_type="raw"), " ".join(words), did_you_mean=fixed)
    if len(words) > 1:
        any_query = SearchQuery(words[0], config=config, search_type="plain")
        for word in words[1:]:
            any_query |= SearchQuery(word, config=config, search_type="plain")
        yield Attempt(any_query, " ".join(words), did_you_mean=fixed, any_word=True)

"""Text search configurations: one per content language.

PostgreSQL stems with a configuration chosen per document, from the page's
locale: French content with French rules, English with English rules. The
`*_unaccent` configurations (created by migration 0001) run `unaccent`
before stemming, so "education" finds "éducation".
"""

import re
import unicodedata

#: Locale code -> PostgreSQL text search configuration.
CONFIGS = {"fr": "french_unaccent", "en": "english_unaccent"}
DEFAULT_CONFIG = "simple_unaccent"
#: Every configuration the migration creates: name -> the built-in dictionary it copies.
CREATED = {"french_unaccent": "french", "english_unaccent": "english", "simple_unaccent": "simple"}


def config_for(locale_code):
    return CONFIGS.get((locale_code or "").split("-")[0], DEFAULT_CONFIG)


def normalise(text):
    """Lower case, accents folded: the form stored for trigram matching (titles, lexicon)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


WORD_RE = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def words(text):
    """The distinct normalised words (3 letters or more) of `text`, for the lexicon."""
    return set(WORD_RE.findall(normalise(text)))

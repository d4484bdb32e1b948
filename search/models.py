"""The search app's own index: one denormalised row per page, and a lexicon.

Wagtail's database backend matches `title || body` as one concatenated
vector per row of its generic index table, so PostgreSQL cannot use a GIN
index for it and scans (the benchmark of issue 6 measures this). The API
therefore queries `SearchDocument`: a stored, weighted `tsvector` per page,
built with the page's language rules, under a GIN index, plus a trigram
index on the folded title for suggestions. Which fields go in comes from the
models' `search_fields`, so the index is still configured once, on the
models, and Wagtail's own index keeps serving the admin.

Access is never stored in a document's text: every query joins the live page
rows and asks `library.access.rules` at query time, so a stale document cannot leak.
The lexicon is the exception, since it must not even confirm that a word
exists: each of its rows says which audience may be offered the word, and
until when (see `search.audiences`).
"""

import datetime

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    FILM = "film", _("Film")
    GUIDE = "guide", _("Guide")
    PAGE = "page", _("Page")


class SearchDocument(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    locale = models.CharField(max_length=16)
    config = models.CharField(max_length=32, help_text="PostgreSQL text search configuration of the row.")
    title = models.CharField(max_length=255)
    title_norm = models.CharField(max_length=255, help_text="Lower case, accents folded; trigram indexed.")
    #: Field name -> plain text, as extracted from the model's search_fields (kept for snippets).
    fields = models.JSONField(default=dict)
    #: Weighted vector (PostgreSQL only; NULL elsewhere). GIN index added by migration.
    search_vector = SearchVectorField(null=True, editable=False)
    #: [[audience, until], ...] the document's words were counted under in the lexicon (`search.audiences`).
    audiences = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [models.Index(fields=["locale", "kind"], name="search_doc_locale_kind")]

    def __str__(self):
        return self.title


#: `SearchTerm.until` of a word that does not lapse.
FOREVER = datetime.date.max


class SearchTerm(models.Model):
    """A word seen in the indexed text (folded), for one audience: what typos are corrected against.

    `count` is how many visible documents of that audience hold the word,
    while their consent lasts (`until`, inclusive); a row is deleted when its
    count drops to zero, so a word whose last document is hidden is gone.
    """

    word = models.CharField(max_length=64)
    #: "public", "network" or "coordination:<id>" (internal items of that coordination).
    audience = models.CharField(max_length=32)
    until = models.DateField(default=FOREVER)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [models.UniqueConstraint(fields=["word", "audience", "until"], name="search_term_unique")]

    def __str__(self):
        return self.word

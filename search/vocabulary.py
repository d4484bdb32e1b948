"""The lexicon's counts: what a document adds under its audiences, moved when it is reindexed or deleted.

Reindexing a document takes back what its previous version counted (the
words of its stored `fields`, under its stored `audiences`) and adds what
the new one counts; most saves change neither, and write nothing here. The
changes of a batch are summed per (word, audience, until) and written in one
statement: an `INSERT ... ON CONFLICT DO UPDATE` that adds to the count, in
a fixed order so that concurrent batches cannot deadlock, then the rows
whose count reached zero are deleted.
"""

import datetime
from collections import Counter

from django.db import connection

from search.configs import words
from search.models import SearchTerm

MAX_WORD = SearchTerm._meta.get_field("word").max_length


def _as_date(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def stored_audiences(audiences):
    """`SearchDocument.audiences` (JSON) from [(audience, until)]."""
    return [[audience, until.isoformat()] for audience, until in audiences]


def contribution(fields, audiences):
    """Counter of (word, audience, until) that a document with `fields` counts under `audiences`."""
    counts = Counter()
    if not audiences:
        return counts
    vocabulary = set()
    for text in fields.values():
        vocabulary |= words(text)
    for audience, until in audiences:
        until = _as_date(until)
        counts.update((word, audience, until) for word in vocabulary if len(word) <= MAX_WORD)
    return counts


def document_change(old_fields, old_audiences, new_fields, new_audiences):
    """What reindexing a document changes in the lexicon (empty when neither text nor audiences moved)."""
    old_audiences = [[audience, str(until)] for audience, until in old_audiences or []]
    new_audiences = [[audience, str(until)] for audience, until in new_audiences or []]
    if old_fields == new_fields and old_audiences == new_audiences:
        return Counter()
    change = contribution(new_fields, new_audiences)
    change.subtract(contribution(old_fields or {}, old_audiences))
    return change


def apply(change):
    """Add `change` (a Counter, negative values included) to the lexicon's counts."""
    rows = sorted((key, delta) for key, delta in change.items() if delta)
    if not rows:
        return
    columns = list(zip(*[(word, audience, until, delta) for (word, audience, until), delta in rows], strict=True))
    touched = sorted({word for word, _audience, _until in (key for key, _delta in rows)})
    table = SearchTerm._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (word, audience, until, count) "  # noqa: S608 (the table name is ours)
                "SELECT * FROM unnest(%s::varchar[], %s::varchar[], %s::date[], %s::integer[]) "
                f"ON CONFLICT (word, audience, until) DO UPDATE SET count = {table}.count + EXCLUDED.count",
                [list(column) for column in columns],
            )
            cursor.execute(f"DELETE FROM {table} WHERE word = ANY(%s) AND count <= 0", [touched])  # noqa: S608
        else:  # SQLite (the embedded default) has the same upsert
            cursor.executemany(
                f"INSERT INTO {table} (word, audience, until, count) VALUES (%s, %s, %s, %s) "  # noqa: S608
                f"ON CONFLICT (word, audience, until) DO UPDATE SET count = {table}.count + excluded.count",
                list(zip(*columns, strict=True)),
            )
            cursor.execute(f"DELETE FROM {table} WHERE count <= 0")  # noqa: S608


def offered_terms(requester, today=None):
    """The lexicon rows `requester` may be offered as corrections."""
    from search.audiences import offered_q

    return SearchTerm.objects.filter(offered_q(requester, today))

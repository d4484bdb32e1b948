"""Why each result matched: the fields the query hit, and a highlighted extract.

Only the documents of the page shown are highlighted (one query for the
page). PostgreSQL's `ts_headline` marks the hits with control characters that
cannot occur in the indexed text; the text is HTML-escaped in Python and the
markers then become `<mark>` tags, so page content can never inject markup.
"""

import html

from django.db import connection

from search.documents import WEIGHT_A, WEIGHT_B, WEIGHT_D

START, STOP = "\x02", "\x03"
OPTIONS = f'StartSel={START}, StopSel={STOP}, MaxWords=28, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "'
#: Only so much of a long field (captions, PDF) is read to build an extract.
HEADLINE_CHARS = 5_000
#: Field names as the API shows them.
LABELS = {"video": "captions", "documents": "guide_text"}
#: Where an extract is taken from first: running text before taxonomy names.
SNIPPET_ORDER = ("synopsis", "summary", "introduction", "easy_read_summary", "body", "video", "documents")


def label(field_name):
    return LABELS.get(field_name, field_name)


def _priority(field_name):
    if field_name in WEIGHT_A:
        return 0
    if field_name in WEIGHT_B:
        return 1
    if field_name in WEIGHT_D:
        return 3
    return 2


def as_html(text):
    return html.escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


def _plain_extract(fields, length=200):
    for name in ("synopsis", "summary", "introduction", "easy_read_summary", "body"):
        if fields.get(name):
            text = fields[name]
            return html.escape(text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + " …")
    return ""


def highlight(documents, match):
    """{page_id: (snippet_html, [matched field labels])} for `documents` (the page shown)."""
    if not documents:
        return {}
    if connection.vendor != "postgresql":
        return {doc.page_id: (_plain_extract(doc.fields), []) for doc in documents}
    compiler_query = match.attempt.query
    # The tsquery as SQL with its parameters, from Django's own compilation.
    from django.db.models.sql import Query

    from search.models import SearchDocument

    sql_query = Query(SearchDocument)
    tsquery_sql, tsquery_params = compiler_query.resolve_expression(sql_query).as_sql(
        sql_query.get_compiler(connection=connection), connection
    )
    # The tsquery is Django's own compiled expression; every value is a parameter. A field
    # counts as matched when it holds any of the query's words (`&` loosened to `|`), so a
    # title word plus a synopsis word shows both fields.
    source = (
        "search_searchdocument d CROSS JOIN jsonb_each_text(d.fields) f "
        f"CROSS JOIN (SELECT {tsquery_sql} AS query) q "
        "CROSS JOIN LATERAL (SELECT replace(q.query::text, '&', '|')::tsquery AS query) anyq"
    )
    columns = "d.page_id, f.key, ts_headline(d.config::regconfig, left(f.value, %s), anyq.query, %s)"
    # No separate match test: a field matched when its headline carries a marker (one parse per field).
    where = "d.page_id = ANY(%s)"
    sql = f"SELECT {columns} FROM {source} WHERE {where}"  # noqa: S608
    ids = [doc.page_id for doc in documents]
    hits = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [HEADLINE_CHARS, OPTIONS, *tsquery_params, ids])
        for page_id, key, headline in cursor.fetchall():
            if START in headline:
                hits.setdefault(page_id, []).append((_priority(key), key, headline))
    result = {}
    for doc in documents:
        found = sorted(hits.get(doc.page_id, []))
        labels = [label(key) for _priority_, key, _text in found]
        by_key = {key: text for _priority_, key, text in found if START in text}
        preferred = [key for key in SNIPPET_ORDER if key in by_key]
        others = [key for _priority_, key, _text in found if key in by_key and key not in preferred and key != "title"]
        chosen = (preferred + others)[:1]
        snippet = as_html(by_key[chosen[0]]) if chosen else _plain_extract(doc.fields)
        result[doc.page_id] = (snippet, labels)
    return result

"""PostgreSQL only (a no-op elsewhere): extensions, text search configurations, indexes.

- `unaccent` and `pg_trgm` extensions;
- `french_unaccent`, `english_unaccent`, `simple_unaccent`: the built-in
  configurations with `unaccent` run before the stemmer, so accents are folded
  on both the indexed text and the query ("education" finds "éducation");
- GIN on the stored vector (full text), GiST trigram on the folded title
  (suggestions ordered by distance, LIMIT served from the index), GIN trigram
  on the lexicon (typo correction).
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from search.configs import CREATED

FORWARD = [
    *(
        f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}') THEN
                CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {source});
                ALTER TEXT SEARCH CONFIGURATION {name}
                    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {source}_stem;
            END IF;
        END $$;
        """
        if source != "simple"
        else f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}') THEN
                CREATE TEXT SEARCH CONFIGURATION {name} (COPY = simple);
                ALTER TEXT SEARCH CONFIGURATION {name}
                    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
            END IF;
        END $$;
        """
        for name, source in CREATED.items()
    ),
    "CREATE INDEX IF NOT EXISTS search_doc_vector_gin ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS search_doc_title_trgm ON search_searchdocument USING gist (title_norm gist_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_term_word_trgm ON search_searchterm USING gin (word gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_term_word_trgm",
    "DROP INDEX IF EXISTS search_doc_title_trgm",
    "DROP INDEX IF EXISTS search_doc_vector_gin",
    *(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}" for name in CREATED),
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(forward, backward, elidable=False),
    ]

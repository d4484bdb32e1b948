"""Lexicon rows per audience (`search.audiences`), and the audiences each document was counted under.

The old rows carried no audience and would offer words of hidden items, so
they are dropped; documents start counted under no audience, which keeps the
counts exact. `manage.py update_index --documents-only` fills the lexicon
again (until then typos are simply not corrected).
"""

import datetime

from django.db import migrations, models


def drop_terms(apps, schema_editor):
    apps.get_model("search", "SearchTerm").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgresql_text_search")]

    operations = [
        migrations.RunPython(drop_terms, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(model_name="searchterm", name="word", field=models.CharField(max_length=64)),
        migrations.AddField(
            model_name="searchterm",
            name="audience",
            field=models.CharField(default="public", max_length=32),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="searchterm", name="until", field=models.DateField(default=datetime.date(9999, 12, 31))
        ),
        migrations.AddField(model_name="searchterm", name="count", field=models.IntegerField(default=0)),
        migrations.AddConstraint(
            model_name="searchterm",
            constraint=models.UniqueConstraint(fields=("word", "audience", "until"), name="search_term_unique"),
        ),
        migrations.AddField(model_name="searchdocument", name="audiences", field=models.JSONField(default=list)),
    ]

"""The root collection is the national media library: name it so, in French, instead of Wagtail's "Root".

Editors choose it in every upload and collection field; regional
coordinations' collections sit beneath it. Only a root still named "Root" is
renamed, so a name chosen on a running site is kept.
"""

from django.db import migrations

WAGTAIL_NAME = "Root"
NATIONAL_NAME = "Médiathèque nationale"


def rename_root(apps, schema_editor):
    apps.get_model("wagtailcore", "Collection").objects.filter(depth=1, name=WAGTAIL_NAME).update(name=NATIONAL_NAME)


def restore_root(apps, schema_editor):
    apps.get_model("wagtailcore", "Collection").objects.filter(depth=1, name=NATIONAL_NAME).update(name=WAGTAIL_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0011_consent_record_plural"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename_root, restore_root)]

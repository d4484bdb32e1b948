"""French first: every string an app marks for translation has a French translation, compiled.

The strings are extracted as `makemessages` extracts them, into a copy of
each app (the source tree is never written), and the copy's French catalogue
must have no untranslated or fuzzy entry. The committed `.mo` must hold
exactly what the committed `.po` says, since Django reads only the `.mo`.
"""

import gettext
import os
import shutil
import subprocess
import sys

import pytest

from tests.paths import PROJECT

APPS = ("cms", "home", "library", "search")


def _catalogue(app):
    return PROJECT / app / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _statistics(po):
    """`msgfmt`'s count, e.g. "353 translated messages, 43 fuzzy translations, 85 untranslated messages."."""
    return subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(po)], capture_output=True, text=True, check=True
    ).stderr.strip()


def _listed(po, flag):
    """The entries `msgattrib` keeps with `flag` (`--untranslated`, `--only-fuzzy`): what to translate."""
    return subprocess.run(
        ["msgattrib", flag, "--no-obsolete", "--no-location", str(po)], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("app", APPS)
def test_every_marked_string_has_a_french_translation(app, tmp_path):
    copy = tmp_path / app
    shutil.copytree(PROJECT / app, copy, ignore=shutil.ignore_patterns("__pycache__"))
    # Without a locale folder of its own, makemessages would write into the project's LOCALE_PATHS.
    assert (copy / "locale").is_dir(), f"{app} has no French catalogue: mkdir {app}/locale, then makemessages"
    subprocess.run(
        [sys.executable, str(PROJECT / "manage.py"), "makemessages", "--locale", "fr", "--no-obsolete"],
        cwd=copy,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        capture_output=True,
        check=True,
    )
    extracted = copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    statistics = _statistics(extracted)

    assert "untranslated" not in statistics, f"{app}: {statistics}\n{_listed(extracted, '--untranslated')[:3000]}"
    assert "fuzzy" not in statistics, f"{app}: {statistics}\n{_listed(extracted, '--only-fuzzy')[:3000]}"


@pytest.mark.parametrize("app", APPS)
def test_the_compiled_catalogue_matches_its_source(app, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(_catalogue(app))], check=True)

    with open(compiled, "rb") as fresh, open(_catalogue(app).with_suffix(".mo"), "rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog, (
            f"{app}: run `manage.py compilemessages`"
        )


PROJECT_OVERRIDES = PROJECT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_the_project_overrides_are_compiled(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PROJECT_OVERRIDES)], check=True)
    with open(compiled, "rb") as fresh, open(PROJECT_OVERRIDES.with_suffix(".mo"), "rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog


@pytest.mark.django_db
def test_the_admin_calls_content_languages_langues_not_regions(admin_client):
    """« Région » would read as a territory in a network of regional coordinations."""
    html = admin_client.get("/admin/locales/").content.decode()
    assert "<title>Langues - Wagtail</title>" in html
    assert "Régions" not in html and "R\\u00e9gions" not in html

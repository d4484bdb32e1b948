"""In Chromium, in the French admin: a national editor imports docs/sample-catalogue.csv.

She uploads the sample, reads the dry run (three films "Créé"), imports, and
watches the progress page while the background task runs. Tasks go through
the database backend, as in production: the web process enqueues the
import, and a `db_worker` (run by the test in a thread) picks it up. The
task is held after its first film, so the page must show "1 sur 3" while
the import's transaction is still open (the films are not in the database
yet for any other connection). Released, the task commits and the page
turns into the final report. Screenshots go to /tmp/shots/import/.
"""

import re
import threading
from pathlib import Path

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from django.conf import settings
from django.contrib.auth.models import Group

from library.core.groups import NATIONAL_GROUP
from library.core.storage import private_storage
from library.demo.taxonomy import TAXONOMY
from library.importer.writer import Writer
from library.models import AgeGroup, CatalogueImport, FilmPage
from tests.factories import PASSWORD, build_coordinations, build_home, locale, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/import")
SAMPLE = settings.BASE_DIR / "docs" / "sample-catalogue.csv"
SAMPLE_IDS = ["PDI-2019-001", "PDI-2020-014", "PDI-2021-007"]


@pytest.fixture
def national():
    home = build_home()
    build_coordinations(
        home,
        {"title": "Alsace", "slug": "alsace"},
        {"title": "Île-de-France", "slug": "ile-de-france"},
        {"title": "Auvergne", "slug": "auvergne"},
    )
    french = locale("fr")
    for model, specs in TAXONOMY:
        for spec in specs:
            extra = {"min_age": spec[2], "max_age": spec[3]} if model is AgeGroup else {}
            model.objects.get_or_create(name=spec[0], locale=french, defaults=extra)
    return make_user("nadia", Group.objects.get(name=NATIONAL_GROUP))


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def held_after_first_film(monkeypatch):
    """The import waits before its second film until the test releases it."""
    release = threading.Event()
    original = Writer.write

    def write(self, row):
        if not self.dry_run and row.legacy_id != SAMPLE_IDS[0]:
            release.wait(60)
        return original(self, row)

    monkeypatch.setattr(Writer, "write", write)
    yield release
    release.set()


def start_worker():
    """A `manage.py db_worker --batch`: runs the queued tasks, then stops."""
    worker = Worker(
        queue_names=["*"],
        interval=0.2,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run():
        from django.db import connections

        try:
            worker.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="db-worker", daemon=True)
    thread.start()
    return thread


def uploads():
    try:
        return set(private_storage.listdir("catalogue-imports")[1])
    except FileNotFoundError:
        return set()


def test_national_editor_imports_the_sample_catalogue(
    browser_page, live_server, national, database_tasks, held_after_first_film
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    before = uploads()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", national.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))

    # From the Settings menu.
    page.get_by_role("button", name="Paramètres").click()
    page.get_by_role("link", name="Import de catalogue").click()
    page.wait_for_url(re.compile(r"/admin/library/catalogue-import/$"))
    expect(page.locator("h1")).to_contain_text("Import de catalogue")

    # A wrong file is refused on the form.
    page.set_input_files("#id_file", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"bonjour"}])
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.locator("form[data-catalogue-upload]")).to_contain_text(
        "Type de fichier non pris en charge : choisissez un fichier .csv ou .xlsx."
    )
    page.screenshot(path=str(SHOTS / "01-upload-error.png"), full_page=True)

    # A file with a refused row: the dry run says why, row by row; the editor cancels.
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    bad = first.replace("PDI-2019-001,alsace", "PDI-2019-002,atlantide").replace(",2019,", ",deux mille,", 1)
    poster = first.replace("PDI-2019-001", "PDI-2019-003").replace(",oui,,", ",oui,affiches/pont.jpg,")
    content = "\n".join([header, first, bad, poster]) + "\n"
    page.set_input_files(
        "#id_file", files=[{"name": "export.csv", "mimeType": "text/csv", "buffer": content.encode("utf-8")}]
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_url(re.compile(r"/admin/library/catalogue-import/\d+/$"))
    refused = page.locator("[data-import-rows] tr[data-outcome=refused]")
    expect(refused).to_contain_text("Refusé")
    expect(refused).to_contain_text("coordination: coordination inconnue : « atlantide »")
    expect(refused).to_contain_text("year: « deux mille » n’est pas un nombre entier")
    expect(page.locator("[data-import-rows] tr[data-line='4']")).to_contain_text(
        "poster: fichier ignoré (« affiches/pont.jpg »)"
    )
    expect(page.locator("[data-refused-warning]")).to_contain_text("1 ligne est refusée et ne sera pas importée.")
    page.screenshot(path=str(SHOTS / "02-dry-run-refused.png"), full_page=True)
    page.get_by_role("button", name="Annuler").click()
    page.wait_for_url(re.compile(r"/admin/library/catalogue-import/$"))
    expect(page.locator(".messages")).to_contain_text("Import annulé : le fichier a été supprimé.")

    page.set_input_files("#id_file", str(SAMPLE))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_url(re.compile(r"/admin/library/catalogue-import/\d+/$"))
    expect(page.locator("main h2").first).to_have_text("Simulation : rien n’a encore été écrit")
    rows = page.locator("[data-import-rows] tbody tr")
    expect(rows).to_have_count(3)
    for index, legacy_id in enumerate(SAMPLE_IDS):
        expect(rows.nth(index)).to_contain_text(legacy_id)
        expect(rows.nth(index).locator("td").nth(3)).to_have_text("Créé")
    expect(page.locator("[data-count=created]")).to_have_text("3")
    page.screenshot(path=str(SHOTS / "03-dry-run.png"), full_page=True)
    assert not FilmPage.objects.filter(legacy_id__in=SAMPLE_IDS).exists()

    # Import: the page follows the background task, reloading itself.
    # No waiting for "scheduled navigations": the progress page schedules one (its refresh) every 2 s.
    page.get_by_role("button", name="Importer", exact=True).click(no_wait_after=True)
    label = page.locator("[data-progress-label]")
    expect(label).to_have_text("L’import est en attente ou en cours ; cette page se met à jour d’elle-même.")
    assert DBTaskResult.objects.filter(task_path__endswith="run_catalogue_import").count() == 1
    worker = start_worker()
    expect(label).to_have_text("Écriture des films : 1 sur 3", timeout=30_000)
    expect(page.locator("progress#import-progress")).to_have_attribute("value", "1")
    expect(page.locator("progress#import-progress")).to_have_attribute("max", "3")
    page.screenshot(path=str(SHOTS / "04-progress.png"), full_page=True)
    # The first film is written, but inside the import's transaction: no one else sees it yet.
    assert not FilmPage.objects.filter(legacy_id__in=SAMPLE_IDS).exists()
    assert CatalogueImport.objects.filter(status=CatalogueImport.Status.RUNNING).count() == 1

    held_after_first_film.set()
    expect(page.locator("[data-import-status=done]")).to_contain_text("Import terminé le", timeout=60_000)
    worker.join(120)
    assert not worker.is_alive()
    expect(page.locator("[data-count=created]")).to_have_text("3")
    expect(page.locator("[data-import-rows] tbody tr")).to_have_count(3)
    page.screenshot(path=str(SHOTS / "05-report.png"), full_page=True)

    assert set(FilmPage.objects.filter(legacy_id__in=SAMPLE_IDS).values_list("legacy_id", flat=True)) == set(
        SAMPLE_IDS
    )
    job = CatalogueImport.objects.get(status=CatalogueImport.Status.DONE)
    assert not job.file
    assert uploads() == before  # the upload is gone with its job

    # The list of recent imports names it, in French.
    page.get_by_role("link", name="Importer un autre fichier").click()
    expect(page.locator("[data-recent-imports]")).to_contain_text("sample-catalogue.csv")
    expect(page.locator("[data-recent-imports]")).to_contain_text("Importé")
    page.screenshot(path=str(SHOTS / "06-recent.png"), full_page=True)

"""Catalogue import from the admin: upload, dry run row by row, background import, report.

The network and taxonomy are built once for the module; each test runs in
its own savepoint. The import task runs on the immediate backend: started
from a request, it is scheduled on commit, which
`django_capture_on_commit_callbacks(execute=True)` runs once the request has
returned, as the web process does. Uploaded files land on the S3 test
server's private storage, and must be gone once a job ends.
"""

import datetime
import io
import re

import pytest
from openpyxl import Workbook

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from library.core.storage import private_storage
from library.importer import jobs
from library.models import ActionType, Audience, CatalogueImport, FilmPage, Genre, Theme
from tests.factories import locale
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("library_catalogue_import:upload")
HEADER = ["legacy_id", "coordination", "title", "synopsis", "year", "genre", "themes", "published", "poster"]
FILM_1 = {
    "legacy_id": "OLD-1",
    "coordination": "alpha",
    "title": "Les toits de la ville",
    "synopsis": "Des adolescents filment leur quartier depuis les toits.",
    "year": "2019",
    "genre": "Documentaire",
    "themes": "Territoire et quartier",
    "published": "non",
    "poster": "",
}
FILM_2 = dict(FILM_1, legacy_id="OLD-2", title="Au fil de l'eau", coordination="Coordination Bêta", genre="")
BAD_YEAR = dict(FILM_1, legacy_id="OLD-3", title="L'année perdue", year="deux mille")
WITH_POSTER = dict(FILM_1, legacy_id="OLD-4", title="Le portrait", poster="affiches/portrait.jpg")


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        french = locale("fr")
        Genre.objects.create(name="Documentaire", locale=french)
        Theme.objects.create(name="Territoire et quartier", locale=french)
        Audience.objects.create(name="Jeunes en zone rurale", locale=french)
        ActionType.objects.create(name="Atelier de pratique artistique", locale=french)
    return network


@pytest.fixture
def national(client, net):
    client.force_login(net.users["national"])
    return client


def csv_bytes(rows, header=HEADER):
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(_csv_cell(row.get(name, "")) for name in header))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _csv_cell(value):
    return f'"{value}"' if any(char in value for char in ',"\n') else value


def xlsx_bytes(rows, header=HEADER, cell=lambda name, value: value):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([cell(name, row.get(name, "")) or None for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content, name="catalogue.csv"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, content)})


def listed_uploads():
    try:
        return set(private_storage.listdir("catalogue-imports")[1])
    except FileNotFoundError:
        return set()


@pytest.fixture
def stored_uploads():
    """The uploads this test left in the private storage (the bucket outlives each test's rollback)."""
    before = listed_uploads()
    return lambda: sorted(listed_uploads() - before)


def rows_of(html):
    """{line: (outcome, row's text)} of the rows table."""
    found = {}
    for line, outcome, body in re.findall(r'<tr data-line="(\d+)" data-outcome="(\w+)">(.*?)</tr>', html, re.S):
        found[int(line)] = (outcome, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())
    return found


def import_first(rows, directory):
    """Films already in the library, imported by the command."""
    path = directory / "before.csv"
    path.write_bytes(csv_bytes(rows))
    call_command("import_catalogue", str(path), verbosity=0, stdout=io.StringIO())


def test_csv_dry_run_lists_each_row_with_its_outcome_and_writes_nothing(national, tmp_path):
    import_first([FILM_1], tmp_path)
    films = FilmPage.objects.count()
    content = csv_bytes([dict(FILM_1, synopsis="Un autre synopsis."), FILM_2, BAD_YEAR, WITH_POSTER])
    response = upload(national, content)
    assert response.status_code == 302
    job = CatalogueImport.objects.get()
    assert response["Location"] == reverse("library_catalogue_import:detail", args=[job.pk])
    assert job.status == CatalogueImport.Status.CHECKED and job.file_name == "catalogue.csv"
    assert private_storage.exists(job.file.name)

    page = national.get(response["Location"]).content.decode()
    assert "Simulation : rien n’a encore été écrit" in page
    rows = rows_of(page)
    assert rows[2] == ("updated", "2 OLD-1 Les toits de la ville Mis à jour")
    assert rows[3] == ("created", "3 OLD-2 Au fil de l&#x27;eau Créé")
    assert rows[4][0] == "refused"
    assert "Refusé year: « deux mille » n’est pas un nombre entier" in rows[4][1]
    assert rows[5][0] == "created"
    assert "poster: fichier ignoré (« affiches/portrait.jpg »)" in rows[5][1]
    assert 'data-count="created">2<' in page and 'data-count="refused">1<' in page
    assert "1 ligne est refusée et ne sera pas importée." in page
    assert "Importer les lignes acceptées" in page
    # The dry run went through the models in a rolled-back transaction.
    assert FilmPage.objects.count() == films
    assert FilmPage.objects.get(legacy_id="OLD-1").synopsis == FILM_1["synopsis"]


def test_xlsx_dry_run_reads_typed_cells_like_csv_text(national):
    def typed(name, value):
        if name == "year" and value.isdigit():
            return int(value)  # a number cell, as spreadsheets store years
        return value

    rows = [FILM_1, BAD_YEAR, dict(FILM_2, published="oui")]
    response = upload(national, xlsx_bytes(rows, cell=typed), name="Catalogue 2019.xlsx")
    assert response.status_code == 302
    page = national.get(response["Location"]).content.decode()
    found = rows_of(page)
    assert found[2] == ("created", "2 OLD-1 Les toits de la ville Créé")
    assert found[3][0] == "refused" and "« deux mille » n’est pas un nombre entier" in found[3][1]
    assert found[4][0] == "created"
    assert CatalogueImport.objects.get().file_format == "xlsx"


def test_xlsx_dates_and_empty_rows(net, tmp_path):
    """Through the command: date cells become YYYY-MM-DD, empty rows are skipped, line numbers are the sheet's."""
    header = [*HEADER, "consent_scope", "consent_granted_on", "access_tier"]
    rows = [
        dict(FILM_1, consent_scope="network", consent_granted_on=datetime.datetime(2019, 3, 1), access_tier="network"),
        {},
        dict(FILM_2, year="1700"),
    ]
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(xlsx_bytes(rows, header=header))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(Exception, match="1 lignes en erreur"):
        call_command("import_catalogue", str(path), verbosity=0, stdout=out, stderr=err)
    assert "Ligne 4 (OLD-2) : year: 1700 n’est pas compris entre 1895 et" in err.getvalue()
    assert "Ligne 2 " not in err.getvalue()
    call_command("import_catalogue", str(path), verbosity=0, stdout=out, stderr=err, skip_errors=True)
    film = FilmPage.objects.get(legacy_id="OLD-1")
    assert film.consent.granted_on == datetime.date(2019, 3, 1)


def test_import_runs_in_the_background_and_reports(
    stored_uploads, national, net, tmp_path, django_capture_on_commit_callbacks
):
    import_first([FILM_1], tmp_path)
    response = upload(national, csv_bytes([FILM_1, FILM_2]))
    job = CatalogueImport.objects.get()
    page = national.get(response["Location"]).content.decode()
    assert "Inchangé" in page and ">Importer</button>" in page
    stored = job.file.name

    with django_capture_on_commit_callbacks(execute=True):
        started = national.post(reverse("library_catalogue_import:start", args=[job.pk]))
    assert started["Location"] == reverse("library_catalogue_import:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == CatalogueImport.Status.DONE and not job.skip_errors
    assert job.rows_done == 2 and job.finished_at
    film = FilmPage.objects.get(legacy_id="OLD-2")
    assert film.get_parent().pk == net.coord_b.pk
    # The uploaded file is gone; the job keeps its name and report.
    assert not job.file and not private_storage.exists(stored) and stored_uploads() == []

    report = national.get(started["Location"]).content.decode()
    assert "Import terminé le" in report
    assert "<progress" not in report and 'http-equiv="refresh"' not in report
    assert 'data-count="created">1<' in report and 'data-count="unchanged">1<' in report
    assert rows_of(report)[3] == ("created", "3 OLD-2 Au fil de l&#x27;eau Créé")

    # Started once only: a second click changes nothing.
    again = national.post(reverse("library_catalogue_import:start", args=[job.pk]), follow=True)
    assert "Cet import a déjà été lancé ou annulé." in again.content.decode()


def test_refused_rows_leave_the_accepted_ones_to_import(national, django_capture_on_commit_callbacks):
    upload(national, csv_bytes([FILM_1, BAD_YEAR]))
    job = CatalogueImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        national.post(reverse("library_catalogue_import:start", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == CatalogueImport.Status.DONE and job.skip_errors
    assert FilmPage.objects.filter(legacy_id="OLD-1").exists()
    assert not FilmPage.objects.filter(legacy_id="OLD-3").exists()
    report = national.get(reverse("library_catalogue_import:detail", args=[job.pk])).content.decode()
    assert rows_of(report)[3][0] == "refused"


def test_progress_page_shows_the_bar_and_refreshes(national, net):
    upload(national, csv_bytes([FILM_1, FILM_2, WITH_POSTER]))
    job = CatalogueImport.objects.get()
    CatalogueImport.objects.filter(pk=job.pk).update(status=CatalogueImport.Status.RUNNING)
    page = national.get(reverse("library_catalogue_import:detail", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "L’import est en attente ou en cours" in page  # no count yet
    bar = jobs.CacheProgress(job.pk, jobs.WRITING, 3)
    bar.update(1)
    page = national.get(reverse("library_catalogue_import:detail", args=[job.pk])).content.decode()
    assert re.search(r'<progress id="import-progress" class="w-w-full" max="3" value="1">', page)
    assert "Écriture des films : 1 sur 3" in page
    jobs.cache.delete(jobs.progress_key(job.pk))


def test_a_failing_import_says_why_and_writes_nothing(
    stored_uploads, national, django_capture_on_commit_callbacks, monkeypatch
):
    upload(national, csv_bytes([FILM_1, FILM_2]))
    job = CatalogueImport.objects.get()
    films = FilmPage.objects.count()
    from library.importer.writer import Writer

    original = Writer.write

    def write_then_break(self, row):
        if row.legacy_id == "OLD-2":
            raise RuntimeError("disque plein")
        return original(self, row)

    monkeypatch.setattr(Writer, "write", write_then_break)
    with django_capture_on_commit_callbacks(execute=True):
        national.post(reverse("library_catalogue_import:start", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == CatalogueImport.Status.FAILED
    assert job.error == "L’import s’est arrêté sur une erreur inattendue. Rien n’a été importé."
    assert FilmPage.objects.count() == films  # OLD-1, written first, is rolled back
    assert stored_uploads() == []
    page = national.get(reverse("library_catalogue_import:detail", args=[job.pk])).content.decode()
    assert "L’import a échoué" in page and "Rien n’a été importé." in page


def test_a_row_refused_by_the_real_run_stops_it(national, django_capture_on_commit_callbacks, net):
    """Between the dry run and the import, a term the file names is deleted: all or nothing still holds."""
    upload(national, csv_bytes([FILM_1, FILM_2]))
    job = CatalogueImport.objects.get()
    Genre.objects.filter(name="Documentaire").delete()
    with django_capture_on_commit_callbacks(execute=True):
        national.post(reverse("library_catalogue_import:start", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == CatalogueImport.Status.FAILED
    assert job.error == "1 ligne a été refusée : rien n’a été importé."
    assert not FilmPage.objects.filter(legacy_id__in=["OLD-1", "OLD-2"]).exists()
    page = national.get(reverse("library_catalogue_import:detail", args=[job.pk])).content.decode()
    rows = rows_of(page)
    assert rows[2][0] == "refused" and "genre inconnu(e) : « Documentaire »" in rows[2][1]
    assert rows[3] == ("none", "3 OLD-2 Au fil de l&#x27;eau Non importé")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("catalogue.pdf", b"%PDF-1.7", "Type de fichier non pris en charge : choisissez un fichier .csv ou .xlsx."),
        ("catalogue.csv", b"", "Le fichier est vide."),
        ("catalogue.xlsx", csv_bytes([FILM_1]), "Ce fichier n’est pas un classeur XLSX"),
        ("catalogue.csv", b"PK\x03\x04" + b"\x00" * 40, "Ce fichier n’est pas un fichier texte CSV"),
        ("catalogue.xlsx", b"PK\x03\x04" + b"\x00" * 40, "Ce fichier n’est pas un classeur XLSX lisible."),
        ("catalogue.csv", csv_bytes([]), "Le fichier ne contient aucun film"),
        (
            "catalogue.csv",
            b"titre,annee\nA,2020\n",
            "Colonnes manquantes dans l’en-tête : legacy_id, coordination, title, synopsis, year",
        ),
        (
            "catalogue.csv",
            csv_bytes([FILM_1], header=[*HEADER, "couleur"]),
            "Colonnes inconnues dans l’en-tête : couleur",
        ),
        (
            "catalogue.xlsx",
            xlsx_bytes([FILM_1], header=[*HEADER, "couleur"]),
            "Colonnes inconnues dans l’en-tête : couleur",
        ),
        ("catalogue.csv", "legacy_id,title\nÉ,1\n".encode("latin-1"), "Le fichier n’est pas du texte UTF-8."),
    ],
)
def test_a_bad_file_is_refused_on_the_form_and_nothing_is_stored(stored_uploads, national, name, content, message):
    response = upload(national, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CatalogueImport.objects.exists()
    assert stored_uploads() == []


def test_an_oversize_file_is_refused(stored_uploads, national, settings):
    settings.LIBRARY_MAX_UPLOAD_SIZE = {**settings.LIBRARY_MAX_UPLOAD_SIZE, "catalogue": 100}
    response = upload(national, csv_bytes([FILM_1, FILM_2]))
    assert "Le fichier est trop volumineux (" in response.content.decode()
    assert "100\xa0octets au maximum" in response.content.decode()
    assert not CatalogueImport.objects.exists() and stored_uploads() == []


def test_cancel_deletes_the_upload(stored_uploads, national):
    upload(national, csv_bytes([FILM_1]))
    job = CatalogueImport.objects.get()
    response = national.post(reverse("library_catalogue_import:cancel", args=[job.pk]), follow=True)
    assert "Import annulé : le fichier a été supprimé." in response.content.decode()
    job.refresh_from_db()
    assert job.status == CatalogueImport.Status.CANCELLED and stored_uploads() == []
    assert national.post(reverse("library_catalogue_import:start", args=[job.pk])).status_code == 302
    assert CatalogueImport.objects.get().status == CatalogueImport.Status.CANCELLED


def test_an_unanswered_dry_run_is_discarded_a_day_later(stored_uploads, national):
    upload(national, csv_bytes([FILM_1]))
    old = CatalogueImport.objects.get()
    CatalogueImport.objects.filter(pk=old.pk).update(created_at=old.created_at - datetime.timedelta(days=2))
    upload(national, csv_bytes([FILM_2]))
    old.refresh_from_db()
    assert old.status == CatalogueImport.Status.CANCELLED and not old.file
    assert len(stored_uploads()) == 1


def test_only_national_editors_import(client, net):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    client.force_login(net.users["national"])
    upload(client, csv_bytes([FILM_1]))
    job = CatalogueImport.objects.get()
    # The sidebar's menu is JSON in an attribute: the item's address is there for national editors only.
    assert "/admin/library/catalogue-import/" in client.get("/admin/").content.decode()

    # A regional editor is turned away (Wagtail answers an admin's PermissionDenied with a redirect home).
    client.force_login(net.users["editor_a"])
    assert "/admin/library/catalogue-import/" not in client.get("/admin/").content.decode()
    detail = reverse("library_catalogue_import:detail", args=[job.pk])
    for response in (
        client.get(UPLOAD_URL),
        upload(client, csv_bytes([FILM_2])),
        client.get(detail),
        client.post(reverse("library_catalogue_import:start", args=[job.pk])),
        client.post(reverse("library_catalogue_import:cancel", args=[job.pk])),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    refused = client.get(detail, follow=True).content.decode()
    assert (
        "Désolé, vous n&#x27;avez pas les autorisations pour accéder à cette zone." in refused
        and "catalogue.csv" not in refused
    )
    job.refresh_from_db()
    assert job.status == CatalogueImport.Status.CHECKED
    assert CatalogueImport.objects.count() == 1


def test_an_import_whose_worker_died_is_marked_failed_by_maintenance(stored_uploads, national):
    """A job left "running" past the limit ends failed, with a French reason shown in the admin."""
    upload(national, csv_bytes([FILM_1]))
    upload(national, csv_bytes([FILM_2]))
    dead, alive = CatalogueImport.objects.order_by("pk")
    now = datetime.datetime.now(datetime.UTC)
    CatalogueImport.objects.filter(pk=dead.pk).update(
        status=CatalogueImport.Status.RUNNING, started_at=now - jobs.STALLED_AFTER - datetime.timedelta(minutes=5)
    )
    CatalogueImport.objects.filter(pk=alive.pk).update(
        status=CatalogueImport.Status.RUNNING, started_at=now - datetime.timedelta(minutes=5)
    )
    out = io.StringIO()
    call_command("library_maintenance", stdout=out)
    assert "1 stalled catalogue import(s) marked failed" in out.getvalue()
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == CatalogueImport.Status.FAILED and dead.finished_at
    assert "tournait depuis plus de 120 minutes" in dead.error
    assert not dead.file  # its upload went with it
    assert alive.status == CatalogueImport.Status.RUNNING and alive.file

    report = national.get(reverse("library_catalogue_import:detail", args=[dead.pk])).content.decode()
    assert "L’import a échoué" in report
    assert "tournait depuis plus de 120 minutes" in report
    listing = national.get(UPLOAD_URL).content.decode()
    assert "En échec" in listing and "En cours" in listing

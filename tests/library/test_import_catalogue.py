"""`manage.py import_catalogue`: good file, bad rows, second run, dry run, files.

The network and taxonomy are built once for the module; each test imports in
its own savepoint. Files (a poster, a short generated video) are written to
a temporary directory at run time and land on the S3 test server.
"""

import csv
import io

import pytest
from PIL import Image as PILImage

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.images import get_image_model

from library.assets.media.generate import make_test_video
from library.assets.processing.videos import process_video
from library.core.storage import private_storage
from library.core.tiers import ConsentScope, Tier
from library.models import ActionType, Audience, ConsentRecord, FilmPage, Genre, Theme, Video
from tests.factories import locale
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

HEADER = [
    "legacy_id",
    "coordination",
    "title",
    "synopsis",
    "year",
    "genre",
    "themes",
    "audiences",
    "action_type",
    "departement",
    "spoken_languages",
    "access_tier",
    "consent_scope",
    "consent_granted_on",
    "consent_expires_on",
    "published",
    "poster",
    "video",
]
GOOD_ROWS = [
    {
        "legacy_id": "OLD-1",
        "coordination": "alpha",
        "title": "Les toits de la ville",
        "synopsis": "Des adolescents filment leur quartier depuis les toits.",
        "year": "2019",
        "genre": "Documentaire",
        "themes": "Territoire et quartier|memoire",
        "audiences": "Jeunes en zone rurale",
        "action_type": "Atelier de pratique artistique",
        "departement": "67",
        "spoken_languages": "fr|de",
        "access_tier": "public",
        "consent_scope": "public",
        "consent_granted_on": "2019-01-15",
        "consent_expires_on": "2029-01-15",
        "published": "oui",
        "poster": "affiches/toits.png",
        "video": "films/toits.mp4",
    },
    {
        "legacy_id": "OLD-2",
        "coordination": "Coordination Bêta",
        "title": "Au fil de l'eau",
        "synopsis": "Un film d'animation sur une rivière.",
        "year": "2020",
        "consent_scope": "none",
        "published": "non",
    },
]


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        french = locale("fr")
        Genre.objects.create(name="Documentaire", locale=french)
        Theme.objects.create(name="Territoire et quartier", locale=french)
        Theme.objects.create(name="Mémoire et transmission", slug="memoire", locale=french)
        Audience.objects.create(name="Jeunes en zone rurale", locale=french)
        ActionType.objects.create(name="Atelier de pratique artistique", locale=french)
    return network


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("catalogue-files")
    (root / "affiches").mkdir()
    (root / "films").mkdir()
    PILImage.new("RGB", (80, 45), (200, 60, 40)).save(root / "affiches" / "toits.png")
    make_test_video(root / "films" / "toits.mp4", seconds=1.0, width=160, height=120)
    (root / "films" / "faux.mp4").write_bytes(b"ceci n'est pas une video")
    return root


def write_csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def run(path, files=None, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_catalogue", str(path), files_dir=files, verbosity=0, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def state():
    """What an import can write: rows of every kind and stored files."""
    return {
        "films": FilmPage.objects.count(),
        "consents": ConsentRecord.objects.count(),
        "images": get_image_model().objects.count(),
        "videos": Video.objects.count(),
        "revisions": sum(film.revisions.count() for film in FilmPage.objects.all()),
        "image_files": stored(default_storage, "original_images"),
        "video_files": stored(private_storage, "videos"),
    }


def stored(storage, prefix):
    try:
        directories, names = storage.listdir(prefix)
    except FileNotFoundError:
        return set()
    found = {f"{prefix}/{name}" for name in names}
    for directory in directories:
        found |= stored(storage, f"{prefix}/{directory}")
    return found


def test_good_file_creates_films_with_taxonomy_consent_and_files(net, files, tmp_path):
    out, err = run(write_csv(tmp_path / "catalogue.csv", GOOD_ROWS), files)
    assert "2 lignes : 2 créées, 0 mises à jour, 0 inchangées, 0 en erreur." in out
    assert err == ""

    film = FilmPage.objects.get(legacy_id="OLD-1")
    assert film.get_parent().pk == net.coord_a.pk and film.coordination_id == net.coord_a.pk
    # Marked published, but its video is processed only once the import commits: the film waits for it.
    assert not film.live
    assert film.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert film.genre.name == "Documentaire"
    assert {t.name for t in film.themes.all()} == {"Territoire et quartier", "Mémoire et transmission"}
    assert [a.name for a in film.audiences.all()] == ["Jeunes en zone rurale"]
    assert film.spoken_languages == ["fr", "de"]
    assert film.consent.scope == ConsentScope.PUBLIC and film.effective_tier == Tier.PUBLIC
    assert default_storage.exists(film.poster.file.name)
    assert film.poster.file_hash
    assert film.video.original_filename == "toits.mp4"
    assert private_storage.exists(film.video.file.name)
    assert film.video.collection.name == net.coord_a.title
    assert process_video.call(film.video.pk) == "ready"  # the job queued when the import commits
    assert FilmPage.objects.get(pk=film.pk).live

    draft = FilmPage.objects.get(legacy_id="OLD-2")
    assert draft.get_parent().pk == net.coord_b.pk
    assert not draft.live
    assert draft.consent is None


def process_queued_videos():
    """Run the processing jobs an import queues once it commits (these tests never commit)."""
    for video_id in Video.objects.filter(status="pending").values_list("pk", flat=True):
        process_video.call(video_id)


def test_second_run_updates_never_duplicates(net, files, tmp_path):
    path = write_csv(tmp_path / "catalogue.csv", GOOD_ROWS)
    run(path, files)
    process_queued_videos()
    first = state()
    out, _err = run(path, files)
    assert "0 créées, 0 mises à jour, 2 inchangées" in out
    assert state() == first

    changed = [dict(GOOD_ROWS[0], synopsis="Un nouveau synopsis."), dict(GOOD_ROWS[1], coordination="alpha")]
    out, _err = run(write_csv(tmp_path / "catalogue-2.csv", changed), files)
    assert "0 créées, 2 mises à jour, 0 inchangées" in out
    assert FilmPage.objects.count() == first["films"]
    assert FilmPage.objects.get(legacy_id="OLD-1").synopsis == "Un nouveau synopsis."
    moved = FilmPage.objects.get(legacy_id="OLD-2")
    assert moved.get_parent().pk == net.coord_a.pk and moved.coordination_id == net.coord_a.pk
    assert get_image_model().objects.count() == first["images"]  # same poster reused
    assert Video.objects.count() == first["videos"]  # same video kept


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(net, files, tmp_path):
    rows = [
        GOOD_ROWS[0],
        dict(GOOD_ROWS[1], legacy_id="OLD-3", year="deux mille", genre="Opéra", coordination="atlantide"),
        dict(GOOD_ROWS[1], legacy_id="OLD-1"),
        dict(GOOD_ROWS[1], legacy_id="OLD-4", poster="../../etc/passwd", video="films/faux.mp4"),
        dict(
            GOOD_ROWS[1],
            legacy_id="OLD-5",
            access_tier="public",
            consent_scope="internal",
            consent_granted_on="2020-01-01",
        ),
    ]
    before = state()
    with pytest.raises(CommandError, match="4 lignes en erreur : rien n’a été importé"):
        run(write_csv(tmp_path / "bad.csv", rows), files)
    assert state() == before


def test_bad_rows_messages(net, files, tmp_path):
    rows = [
        GOOD_ROWS[0],
        dict(GOOD_ROWS[1], legacy_id="OLD-3", year="deux mille", genre="Opéra", coordination="atlantide"),
        dict(GOOD_ROWS[1], legacy_id="OLD-1"),
        dict(GOOD_ROWS[1], legacy_id="OLD-4", poster="../../etc/passwd", video="films/faux.mp4"),
        dict(
            GOOD_ROWS[1],
            legacy_id="OLD-5",
            access_tier="public",
            consent_scope="internal",
            consent_granted_on="2020-01-01",
        ),
    ]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_catalogue", str(write_csv(tmp_path / "bad.csv", rows)), files_dir=files, verbosity=0, stderr=err
        )
    lines = err.getvalue().splitlines()
    assert "Ligne 3 (OLD-3) : year: « deux mille » n’est pas un nombre entier" in lines
    assert "Ligne 3 (OLD-3) : genre: genre inconnu(e) : « Opéra »" in lines
    assert "Ligne 3 (OLD-3) : coordination: coordination inconnue : « atlantide »" in lines
    assert "Ligne 4 (OLD-1) : legacy_id: « OLD-1 » déjà utilisé à la ligne 2" in lines
    assert "Ligne 5 (OLD-4) : poster: « ../../etc/passwd » est en dehors du dossier --files" in lines
    assert any(line.startswith("Ligne 5 (OLD-4) : video: ") for line in lines)
    # The models' own refusal (tier wider than consent) is reported in the same run.
    assert any(line.startswith("Ligne 6 (OLD-5) : access_tier: ") for line in lines)
    assert not any(line.startswith("Ligne 2 ") for line in lines)


def test_skip_errors_imports_the_good_rows(net, files, tmp_path):
    rows = [GOOD_ROWS[1], dict(GOOD_ROWS[1], legacy_id="OLD-9", year="")]
    out, err = run(write_csv(tmp_path / "mixed.csv", rows), files, skip_errors=True)
    assert "1 créées" in out and "1 en erreur" in out
    assert "Ligne 3 (OLD-9) : year: obligatoire" in err
    assert FilmPage.objects.filter(legacy_id="OLD-2").exists()
    assert not FilmPage.objects.filter(legacy_id="OLD-9").exists()


def test_dry_run_writes_nothing(net, files, tmp_path):
    before = state()
    out, _err = run(write_csv(tmp_path / "catalogue.csv", GOOD_ROWS), files, dry_run=True)
    assert "Simulation, rien n’a été écrit. 2 lignes : 2 créées" in out
    assert state() == before


def test_failed_import_leaves_no_stored_file(net, files, tmp_path):
    """The first row stores its poster and video; the last is refused by the models: all is undone."""
    rows = [
        GOOD_ROWS[0],
        dict(
            GOOD_ROWS[1],
            legacy_id="OLD-5",
            access_tier="public",
            consent_scope="internal",
            consent_granted_on="2020-01-01",
        ),
    ]
    before = state()
    with pytest.raises(CommandError, match="1 lignes en erreur"):
        run(write_csv(tmp_path / "late-error.csv", rows), files)
    assert state() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "titre,annee\nA,2020\n",
            "Colonnes manquantes dans l’en-tête : legacy_id, coordination, title, synopsis, year",
        ),
        (",".join(HEADER) + ",couleur\n", "Colonnes inconnues dans l’en-tête : couleur"),
    ],
)
def test_unreadable_files_get_a_clear_error(tmp_path, net, content, message):
    path = tmp_path / "broken.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run(path)


def test_non_utf8_file(tmp_path, net):
    path = tmp_path / "latin1.csv"
    path.write_bytes((",".join(HEADER) + "\nX,alpha,Éléphant,Synopsis,2020\n").encode("latin-1"))
    with pytest.raises(CommandError, match="pas du texte UTF-8"):
        run(path)


def test_the_download_switch_column(net, tmp_path):
    """`download_allowed`: oui/non; empty or absent leaves the switch as it is (on for a new film)."""
    header = [*HEADER, "download_allowed"]
    rows = [dict(GOOD_ROWS[1], legacy_id="OLD-1", download_allowed="non"), dict(GOOD_ROWS[1], download_allowed="")]
    out, _err = run(write_csv(tmp_path / "switch.csv", rows, header=header))
    assert "2 créées" in out
    assert FilmPage.objects.get(legacy_id="OLD-1").download_allowed is False
    assert FilmPage.objects.get(legacy_id="OLD-2").download_allowed is True

    # A file without the column, or with the cell empty, keeps an editor's choice.
    out, _err = run(write_csv(tmp_path / "without.csv", [dict(GOOD_ROWS[1], legacy_id="OLD-1")]))
    assert "0 créées, 0 mises à jour, 1 inchangées" in out
    rows = [dict(GOOD_ROWS[1], legacy_id="OLD-1", download_allowed="")]
    out, _err = run(write_csv(tmp_path / "empty.csv", rows, header=header))
    assert "1 inchangées" in out
    assert FilmPage.objects.get(legacy_id="OLD-1").download_allowed is False

    rows = [dict(GOOD_ROWS[1], legacy_id="OLD-1", download_allowed="oui")]
    out, _err = run(write_csv(tmp_path / "on.csv", rows, header=header))
    assert "1 mises à jour" in out
    assert FilmPage.objects.get(legacy_id="OLD-1").get_latest_revision_as_object().download_allowed is True

    rows = [dict(GOOD_ROWS[1], legacy_id="OLD-1", download_allowed="peut-être")]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_catalogue", str(write_csv(tmp_path / "bad.csv", rows, header=header)), verbosity=0, stderr=err
        )
    assert "Ligne 2 (OLD-1) : download_allowed: « peut-être » n’est ni oui ni non" in err.getvalue().splitlines()


def test_sample_catalogue_imports(net):
    """docs/sample-catalogue.csv is valid against coordinations and taxonomy of the same names."""
    from django.conf import settings

    from library.demo.taxonomy import TAXONOMY

    french = locale("fr")
    for model, specs in TAXONOMY:
        for spec in specs:
            model.objects.get_or_create(name=spec[0], locale=french)
    for slug in ("alsace", "ile-de-france", "auvergne"):
        net.index.add_child(instance=type(net.coord_a)(title=slug.title(), slug=slug, locale=french))
    out, _err = run(settings.BASE_DIR / "docs" / "sample-catalogue.csv")
    assert "3 lignes : 3 créées" in out
    # The sample shows the download switch: one film may be streamed only.
    assert dict(FilmPage.objects.values_list("legacy_id", "download_allowed")) == {
        "PDI-2019-001": True,
        "PDI-2020-014": False,
        "PDI-2021-007": True,
    }

"""Demo step: videos with captions for a few films, and guide PDFs, all generated at run time.

Nothing binary is committed: each video is a few seconds of test pattern
and tone written by PyAV, processed like an upload (renditions, poster),
with French captions and English subtitles; each guide PDF is written by
fpdf2 from the guide's own title and summary, then validated and processed
like an upload. Idempotent: films that already have a video and guides that
already have a document are left alone.
"""

import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile

from library.access.network import coordination_collection
from library.admin.tracks import save_track
from library.assets.media.generate import make_test_video
from library.assets.media.pdf import inspect_pdf
from library.assets.media.tracks import cues_to_vtt, parse_track
from library.assets.processing.videos import process_video
from library.models import FilmPage, GuideDocument, GuideDocumentLink, GuidePage, TextTrack, Video

DEMO_VIDEOS = 3
DEMO_GUIDES = 2

CAPTIONS_FR = [
    (0.2, 1.4, "[Musique douce]"),
    (1.5, 2.8, "Bienvenue à l'atelier de cinéma."),
    (2.9, 3.9, "Silence... on tourne !"),
]
SUBTITLES_EN = [
    (1.5, 2.8, "Welcome to the film workshop."),
    (2.9, 3.9, "Quiet... rolling!"),
]


def _latin1(text):
    replacements = {"’": "'", "œ": "oe", "Œ": "OE", "…": "...", "–": "-", "—": "-", "«": '"', "»": '"'}
    for source, target in replacements.items():
        text = text.replace(source, target)
    return text.encode("latin-1", "replace").decode("latin-1")


def guide_pdf(guide):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(_latin1(guide.title))
    pdf.add_page()
    pdf.set_font("helvetica", "B", 20)
    pdf.multi_cell(0, 12, _latin1(guide.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=12)
    pdf.ln(4)
    pdf.multi_cell(0, 7, _latin1(guide.summary), new_x="LMARGIN", new_y="NEXT")
    for heading in ("Avant la séance", "Pendant l'atelier", "Après la restitution"):
        pdf.add_page()
        pdf.set_font("helvetica", "B", 16)
        pdf.multi_cell(0, 10, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(
            0,
            7,
            _latin1(
                "Les participants découvrent les métiers du cinéma et de l'image. L'animateur prépare le "
                "matériel, le lieu et les autorisations de droit à l'image avec la structure partenaire."
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())


def add_video(film, directory, index):
    collection = coordination_collection(film.coordination) if film.coordination_id else None
    path = Path(directory) / f"film-{film.pk}.mp4"
    make_test_video(path, seconds=4, width=640, height=360, tone=330.0 + 110 * index)
    video = Video(title=film.title, original_filename=f"{film.slug}.mp4")
    if collection is not None:
        video.collection = collection
    with open(path, "rb") as handle:
        video.file_size = path.stat().st_size
        video.file.save("master.mp4", File(handle), save=False)
    video.save()
    process_video.call(video.pk)
    save_track(video, parse_track(cues_to_vtt(CAPTIONS_FR)), language="fr", kind=TextTrack.Kind.CAPTIONS)
    save_track(video, parse_track(cues_to_vtt(SUBTITLES_EN)), language="en", kind=TextTrack.Kind.SUBTITLES)
    film.video = video
    film.save_revision().publish()
    return video


def add_guide_document(guide):
    data = guide_pdf(guide)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        copy.write(data)
        copy.flush()
        info = inspect_pdf(copy.name)  # the same checks as an upload
    document = GuideDocument(title=guide.title, language="fr", page_count=info.page_count)
    if guide.coordination_id:
        document.collection = coordination_collection(guide.coordination)
    document.file.save("guide.pdf", ContentFile(data), save=False)
    document.save()  # text extraction and thumbnail run after commit
    guide.documents = [GuideDocumentLink(document=document, language="fr", label="Guide (PDF)")]
    guide.save_revision().publish()
    return document


def build_videos(stdout):
    films = (
        FilmPage.objects.live()
        .filter(locale__language_code="fr", video__isnull=True)
        .select_related("coordination")
        .order_by("pk")[:DEMO_VIDEOS]
    )
    if FilmPage.objects.filter(video__isnull=False).count() >= DEMO_VIDEOS:
        films = []
    videos = []
    with tempfile.TemporaryDirectory(prefix="demo-videos-") as directory:
        for index, film in enumerate(films):
            videos.append(add_video(film, directory, index))
    guides = []
    if not GuideDocumentLink.objects.exists():
        for guide in GuidePage.objects.live().filter(locale__language_code="fr").order_by("pk")[:DEMO_GUIDES]:
            guides.append(add_guide_document(guide))
    stdout.write(f"Media: {len(videos)} videos with captions and {len(guides)} guide PDFs generated.")

"""The demo catalogue's films and guides, read from `catalogue.toml` into named records.

The data lives in a file so that it reads as data, field by field, and can be
edited without touching code; the records say which fields each entry has.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("catalogue.toml")


@dataclass(frozen=True)
class Bilingual:
    fr: str
    en: str


@dataclass(frozen=True)
class DemoCue:
    """One cue of a demo film's captions: French always, English only for speech.

    The French track is captions for the deaf and hard of hearing, so it
    also says what is heard (`[Music]`); the English one is subtitles, which
    carry only what is said.
    """

    start: float
    end: float
    fr: str
    en: str = ""


@dataclass(frozen=True)
class DemoFilm:
    coordination: str  # the coordination's slug
    title: Bilingual
    synopsis: Bilingual
    genre: str
    themes: tuple[str, ...]
    audiences: tuple[str, ...]
    year: int
    commune: str
    departement: str
    tier: str
    consent: str  # public, network, internal, none, expiring or withdrawn
    submitted: bool = False  # left as a draft submitted to the national workflow
    captions: tuple[DemoCue, ...] = ()  # a film with captions gets a generated video
    audio_description: bool = False  # its video gets an audio-description version
    sign_language: bool = False  # its video gets a sign-language (LSF) version


@dataclass(frozen=True)
class DemoGuide:
    coordination: str
    title: Bilingual
    summary: Bilingual
    themes: tuple[str, ...]
    audiences: tuple[str, ...]
    age_groups: tuple[str, ...]
    tier: str
    related_films: tuple[str, ...]  # by French title
    pdf: bool = True  # the guide gets a generated PDF


def _record(kind, entry):
    values = {}
    for name, value in entry.items():
        if isinstance(value, dict):
            value = Bilingual(**value)
        elif name == "captions":
            value = tuple(DemoCue(**cue) for cue in value)
        elif isinstance(value, list):
            value = tuple(value)
        values[name] = value
    return kind(**values)


@cache
def _catalogue():
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    films = tuple(_record(DemoFilm, entry) for entry in data["films"])
    guides = tuple(_record(DemoGuide, entry) for entry in data["guides"])
    return films, guides


def demo_films():
    return _catalogue()[0]


def demo_guides():
    return _catalogue()[1]


def english_table():
    """English by French, for the titles, synopses and summaries of the demo's items."""
    table = {}
    for film in demo_films():
        table[film.title.fr] = film.title.en
        table[film.synopsis.fr] = film.synopsis.en
    for guide in demo_guides():
        table[guide.title.fr] = guide.title.en
        table[guide.summary.fr] = guide.summary.en
    return table

"""Read and check the rows of a legacy catalogue, before anything is written.

Every problem of a row is collected with the row's line number in the file,
so one run reports all the bad rows at once. Taxonomy is looked up by name
(or slug) in the default language, coordinations by slug or title; files by
path under the `--files` directory, which they may not escape, or not at all
(`IGNORE_FILES`: the admin's import notes each file it leaves out). Reading
the file itself, CSV or XLSX, is `sources.py`'s job.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Locale

from library.assets.media.errors import MediaError
from library.assets.media.sniff import check_video_head, read_head
from library.core.departements import DEPARTEMENTS
from library.core.tiers import ConsentScope, Tier
from library.models import ActionType, Audience, CoordinationPage, Genre, Theme
from library.models.choices import LANGUAGE_CODES, Licence
from library.models.films import WORKSHOP_FIELDS

REQUIRED = ("legacy_id", "coordination", "title", "synopsis", "year")
COLUMNS = (
    *REQUIRED,
    "easy_read_summary",
    "genre",
    "themes",
    "audiences",
    "action_type",
    *WORKSHOP_FIELDS,
    "credits",
    "licence",
    "spoken_languages",
    "access_tier",
    "consent_scope",
    "consent_granted_on",
    "consent_expires_on",
    "published",
    "download_allowed",
    "poster",
    "video",
)
LIST_SEPARATOR = "|"
TEXT_FIELDS = (
    "title",
    "synopsis",
    "easy_read_summary",
    "carrying_structure",
    "social_partner",
    "partner_cinema",
    "facilitators",
    "commune",
    "credits",
)
MAX_LENGTHS = {
    "legacy_id": 64,
    "title": 255,
    "carrying_structure": 255,
    "social_partner": 255,
    "partner_cinema": 255,
    "facilitators": 500,
    "commune": 120,
}
TRUE_WORDS = {"oui", "yes", "true", "1", "o", "y"}
FALSE_WORDS = {"non", "no", "false", "0", "n", ""}


class FileFormatError(Exception):
    """The file cannot be read as a catalogue at all (encoding, header)."""


@dataclass
class Row:
    line: int
    legacy_id: str = ""
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what was left out on purpose, shown beside the outcome

    def error(self, column, message):
        """Record a problem of `column` (the column's name stays as in the file: it is its header)."""
        self.errors.append(f"{column}: {message}" if column else str(message))


class Lookups:
    """Coordinations and taxonomy terms by lower-cased name and slug, loaded once."""

    def __init__(self):
        locale = Locale.get_default()
        self.coordinations = {}
        for page in CoordinationPage.objects.filter(locale=locale):
            self.coordinations[page.slug.lower()] = page
            self.coordinations[page.title.lower()] = page
        self.terms = {}
        for model in (Genre, Theme, Audience, ActionType):
            table = {}
            for term in model.objects.filter(locale=locale):
                table[term.name.lower()] = term
                table[term.slug.lower()] = term
            self.terms[model] = table


def _integer(row, record, name, low, high):
    raw = (record.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        row.error(name, _("“%(value)s” is not a whole number") % {"value": raw})
        return None
    if not low <= value <= high:
        row.error(
            name, _("%(value)s is not between %(low)s and %(high)s") % {"value": value, "low": low, "high": high}
        )
        return None
    return value


def _date(row, record, name):
    raw = (record.get(name) or "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        row.error(name, _("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": raw})
        return None


def _choice(row, record, name, choices, default):
    raw = (record.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw not in choices:
        row.error(
            name, _("“%(value)s” is not one of %(choices)s") % {"value": raw, "choices": ", ".join(sorted(choices))}
        )
        return default
    return raw


def _term(row, lookups, model, name, raw):
    term = lookups.terms[model].get(raw.strip().lower())
    if term is None:
        row.error(name, _("unknown %(kind)s “%(value)s”") % {"kind": model._meta.verbose_name, "value": raw.strip()})
    return term


def _split(raw):
    return [part.strip() for part in (raw or "").split(LIST_SEPARATOR) if part.strip()]


#: `files_dir` value that leaves the file columns out (the admin's import: files are not uploaded with it).
IGNORE_FILES = object()


def _file(row, record, name, files_dir):
    raw = (record.get(name) or "").strip()
    if not raw:
        return None
    if files_dir is IGNORE_FILES:
        row.notes.append(_("%(column)s: file ignored (“%(value)s”)") % {"column": name, "value": raw})
        return None
    if files_dir is None:
        row.error(name, _("a file is given (“%(value)s”) but no --files directory") % {"value": raw})
        return None
    base = Path(files_dir).resolve()
    path = (base / raw).resolve()
    if not path.is_relative_to(base):
        row.error(name, _("“%(value)s” is outside the --files directory") % {"value": raw})
        return None
    if not path.is_file():
        row.error(name, _("file not found: %(value)s") % {"value": raw})
        return None
    return path


def parse_row(line, record, lookups, files_dir):
    """Check one row; return a Row with its cleaned values or its errors."""
    row = Row(line=line, legacy_id=(record.get("legacy_id") or "").strip())
    if None in record:
        row.error("", _("more cells than columns in the header"))
    for name in REQUIRED:
        if not (record.get(name) or "").strip():
            row.error(name, _("required"))
    for name, limit in MAX_LENGTHS.items():
        if len((record.get(name) or "").strip()) > limit:
            row.error(name, _("longer than %(limit)s characters") % {"limit": limit})
    values = {name: (record.get(name) or "").strip() for name in TEXT_FIELDS}

    raw_coordination = (record.get("coordination") or "").strip()
    values["coordination"] = lookups.coordinations.get(raw_coordination.lower())
    if raw_coordination and values["coordination"] is None:
        row.error("coordination", _("unknown coordination “%(value)s”") % {"value": raw_coordination})

    this_year = timezone.localdate().year
    values["year"] = _integer(row, record, "year", 1895, this_year + 1)
    values["participants_count"] = _integer(row, record, "participants_count", 1, 10000)
    values["participants_age_min"] = _integer(row, record, "participants_age_min", 0, 120)
    values["participants_age_max"] = _integer(row, record, "participants_age_max", 0, 120)
    values["workshop_start"] = _date(row, record, "workshop_start")
    values["workshop_end"] = _date(row, record, "workshop_end")

    departement = (record.get("departement") or "").strip().upper()
    if departement and departement not in DEPARTEMENTS:
        row.error("departement", _("unknown département “%(value)s”") % {"value": departement})
    values["departement"] = departement if departement in DEPARTEMENTS else ""

    values["genre"] = _term(row, lookups, Genre, "genre", record["genre"]) if record.get("genre") else None
    values["action_type"] = (
        _term(row, lookups, ActionType, "action_type", record["action_type"]) if record.get("action_type") else None
    )
    values["themes"] = [_term(row, lookups, Theme, "themes", raw) for raw in _split(record.get("themes"))]
    values["audiences"] = [_term(row, lookups, Audience, "audiences", raw) for raw in _split(record.get("audiences"))]

    languages = [code.lower() for code in _split(record.get("spoken_languages"))]
    unknown = [code for code in languages if code not in LANGUAGE_CODES]
    if unknown:
        row.error("spoken_languages", _("unknown language codes %(codes)s") % {"codes": ", ".join(unknown)})
    values["spoken_languages"] = languages

    values["licence"] = _choice(row, record, "licence", set(Licence.values), Licence.ALL_RIGHTS_RESERVED)
    values["access_tier"] = _choice(row, record, "access_tier", set(Tier.values), Tier.INTERNAL)
    values["consent_scope"] = _choice(row, record, "consent_scope", set(ConsentScope.values), ConsentScope.NONE)
    values["consent_granted_on"] = _date(row, record, "consent_granted_on")
    values["consent_expires_on"] = _date(row, record, "consent_expires_on")
    if values["consent_scope"] != ConsentScope.NONE and not values["consent_granted_on"]:
        row.error("consent_granted_on", _("required when consent_scope is not “none”"))

    published = (record.get("published") or "").strip().lower()
    if published not in TRUE_WORDS | FALSE_WORDS:
        row.error("published", _("“%(value)s” is neither oui nor non") % {"value": published})
    values["published"] = published in TRUE_WORDS

    # The download switch: empty (or no column) leaves it as it is, on for a new film.
    download = (record.get("download_allowed") or "").strip().lower()
    if download not in TRUE_WORDS | FALSE_WORDS:
        row.error("download_allowed", _("“%(value)s” is neither oui nor non") % {"value": download})
    values["download_allowed"] = (download in TRUE_WORDS) if download else None

    values["poster"] = _file(row, record, "poster", files_dir)
    if values["poster"] and values["poster"].suffix.lower().lstrip(".") not in settings.WAGTAILIMAGES_EXTENSIONS:
        row.error(
            "poster", _("not an image file (%(types)s)") % {"types": ", ".join(settings.WAGTAILIMAGES_EXTENSIONS)}
        )
    values["video"] = _file(row, record, "video", files_dir)
    if values["video"]:
        with open(values["video"], "rb") as handle:
            try:
                check_video_head(read_head(handle))
            except MediaError as error:
                row.error("video", str(error))
    row.values = values
    return row

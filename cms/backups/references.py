"""Which files the rows name that a backup does not hold.

A file can go between the dump and its copy (a rendition replaced by a new transcode, a consent scan
purged at the end of its retention, an image deleted), or be missing from the storage already. Neither
stops a backup, but the operator must know: a row naming a missing file is a broken download after a
restore. The check reads every file field of every model, by storage alias. After a restore it is exact
(the restored rows against the manifest); at backup it reads the rows as they are once the files are
copied, so a file added in those seconds may be reported too.
"""

from django.apps import apps
from django.core.files.storage import storages
from django.db import models
from django.utils.functional import LazyObject, empty

#: Missing names listed in the warning (the count says how many more).
SHOWN_NAMES = 5


def _unwrapped(storage):
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        return storage._wrapped
    return storage


def file_fields():
    """(model, field name, storage alias) of every concrete file field whose storage is one that is backed up."""
    return [
        (model, field.name, alias)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and model._meta.concrete_model is model
        for alias in _aliases_of(field)
    ]


def _aliases_of(field):
    storage = _unwrapped(field.storage)
    from cms.backups.files import aliases

    return [alias for alias in aliases() if storages[alias] is storage][:1]


def missing(names_by_alias):
    """The `alias:name` of every file a row names that `names_by_alias` (alias -> set of names) lacks."""
    absent = []
    for model, field, alias in file_fields():
        held = names_by_alias.get(alias, set())
        names = model._default_manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True})
        absent.extend(f"{alias}:{name}" for name in names.values_list(field, flat=True).iterator() if name not in held)
    return sorted(absent)


def warning(absent):
    """A line saying which files are missing, or None."""
    if not absent:
        return None
    shown = ", ".join(absent[:SHOWN_NAMES])
    more = f" and {len(absent) - SHOWN_NAMES} more" if len(absent) > SHOWN_NAMES else ""
    return f"Warning: {len(absent)} file(s) named by rows are not in the backup: {shown}{more}."

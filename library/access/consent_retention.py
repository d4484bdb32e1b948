"""Retention of the consent register's personal data: what goes once a consent has ended long enough.

A consent ends the day it is withdrawn or the day after its expiry date
(`ConsentRecord.ended_on`). `CONSENT_RETENTION_DAYS` later (five years by
default: proof of what a family authorised may be asked for until a civil
action over the film's use is time-barred), `purge_consent_data`:

- deletes each scanned form's file from storage, then its row;
- blanks the record's notes and reason for withdrawal, the free text where
  editors write about families;
- marks the record `personal_data_purged_on`;
- deletes the scan-opening log rows older than the same period, whatever
  their record (they name editors).

What the access rule reads stays: the record's scope, dates of
authorisation, expiry and withdrawal, label and coordination. A lapsed
consent therefore still caps its films at "internal", and a film can never
widen by its consent's data being purged. The number of participants is an
aggregate (no one is named by it) and stays for the yearly reports.

A file that cannot be deleted (storage unreachable) leaves its row and the
record untouched; the next run tries again.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger("library.privacy")


@dataclass
class Purge:
    record: object
    ended_on: datetime.date
    files: list = field(default_factory=list)  # storage names deleted (or to delete)
    failed: list = field(default_factory=list)  # (storage name, error) not deleted
    blanked: list = field(default_factory=list)  # field names blanked


@dataclass
class PurgeReport:
    cutoff: datetime.date
    dry_run: bool
    purges: list = field(default_factory=list)
    access_rows: int = 0

    @property
    def failed(self):
        return [failure for purge in self.purges for failure in purge.failed]


def retention_cutoff(today=None, days=None):
    """Consents that ended on or before this day are past retention."""
    today = today or timezone.localdate()
    days = settings.CONSENT_RETENTION_DAYS if days is None else days
    return today - datetime.timedelta(days=days)


def records_past_retention(cutoff):
    """Records whose consent ended on or before `cutoff` and that still hold scans or free text.

    Withdrawn on or before the cutoff, or expired the day before it or
    earlier (an expiry date is the last day covered).
    """
    from library.models import ConsentRecord

    ended = Q(withdrawn_on__lte=cutoff) | Q(expires_on__lt=cutoff)
    holding = Q(forms__isnull=False) | ~Q(notes="") | ~Q(withdrawal_reason="")
    return ConsentRecord.objects.filter(ended & holding).distinct().order_by("pk")


def _blank_fields(record):
    return [name for name in ("notes", "withdrawal_reason") if getattr(record, name)]


def purge_record(record, dry_run=False):
    ended_on = record.ended_on()
    purge = Purge(record=record, ended_on=ended_on, blanked=_blank_fields(record))
    forms = list(record.forms.all())
    if dry_run:
        purge.files = [form.file.name for form in forms if form.file]
        return purge
    for form in forms:
        name = form.file.name
        try:
            if name:
                form.file.storage.delete(name)
        except Exception as error:  # any storage failure: keep the row, try again next run
            purge.failed.append((name, str(error)))
            logger.warning("consent scan %s of record %s not deleted: %s", name, record.pk, error)
            continue
        form.delete()
        if name:
            purge.files.append(name)
    if purge.failed:
        return purge
    type(record).objects.filter(pk=record.pk).update(
        notes="", withdrawal_reason="", personal_data_purged_on=timezone.localdate()
    )
    logger.info(
        "consent record %s purged (ended %s): %d scan(s) deleted, %s blanked",
        record.pk,
        ended_on,
        len(purge.files),
        ", ".join(purge.blanked) or "nothing",
    )
    return purge


def purge_consent_data(today=None, days=None, dry_run=False):
    """Apply the retention rule (see the module docstring); returns a `PurgeReport`. `dry_run` changes nothing."""
    from library.models.consent import ConsentScanAccess

    cutoff = retention_cutoff(today, days)
    report = PurgeReport(cutoff=cutoff, dry_run=dry_run)
    for record in records_past_retention(cutoff):
        with transaction.atomic():
            report.purges.append(purge_record(record, dry_run=dry_run))
    old_rows = ConsentScanAccess.objects.filter(at__date__lt=cutoff)
    if dry_run:
        report.access_rows = old_rows.count()
    else:
        report.access_rows, _ = old_rows.delete()
    return report

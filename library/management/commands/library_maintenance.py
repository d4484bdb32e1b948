"""Periodic housekeeping of the media library; schedule it every few minutes (cron, systemd timer)."""

import datetime

from django.core.management.base import BaseCommand

from library.assets.processing import wait_for_background
from library.assets.processing.maintenance import cleanup_uploads, requeue_stale_videos
from library.assets.processing.scratch import clean_orphans
from library.importer.jobs import fail_stalled


class Command(BaseCommand):
    help = (
        "Re-queue videos whose job stopped beating (killed worker), delete the scratch directories of dead "
        "jobs, abort abandoned uploads and mark failed the catalogue imports whose worker died."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=None,
            help="Minutes without a heartbeat after which a job is dead (default: LIBRARY_STALE_PROCESSING_SECONDS)",
        )
        parser.add_argument(
            "--abandoned-hours", type=int, default=None, help="Override LIBRARY_ABANDONED_UPLOAD_HOURS"
        )
        parser.add_argument(
            "--stalled-import-minutes",
            type=int,
            default=None,
            help="How long a catalogue import may run before it counts as dead (default: 120)",
        )

    def handle(self, *args, stale_minutes=None, abandoned_hours=None, stalled_import_minutes=None, **options):
        requeued = requeue_stale_videos(minutes=stale_minutes)
        scratch = clean_orphans()
        cleaned = cleanup_uploads(hours=abandoned_hours)
        after = None if stalled_import_minutes is None else datetime.timedelta(minutes=stalled_import_minutes)
        failed = fail_stalled(after=after)
        wait_for_background(timeout=None)
        self.stdout.write(
            f"Re-queued {len(requeued)} stale video(s); removed {len(scratch)} dead job scratch director(ies); "
            f"cleaned {len(cleaned)} upload(s); "
            f"{len(failed)} stalled catalogue import(s) marked failed."
        )

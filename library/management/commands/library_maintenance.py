"""Periodic housekeeping of the media library; schedule it every few minutes (cron, systemd timer)."""

from django.core.management.base import BaseCommand

from library.assets.processing import wait_for_background
from library.assets.processing.maintenance import cleanup_uploads, requeue_stale_videos


class Command(BaseCommand):
    help = "Re-queue videos stuck in processing (killed worker) and abort abandoned uploads."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes", type=int, default=None, help="Override LIBRARY_STALE_PROCESSING_MINUTES"
        )
        parser.add_argument(
            "--abandoned-hours", type=int, default=None, help="Override LIBRARY_ABANDONED_UPLOAD_HOURS"
        )

    def handle(self, *args, stale_minutes=None, abandoned_hours=None, **options):
        requeued = requeue_stale_videos(minutes=stale_minutes)
        cleaned = cleanup_uploads(hours=abandoned_hours)
        wait_for_background(timeout=None)
        self.stdout.write(f"Re-queued {len(requeued)} stale video(s); cleaned {len(cleaned)} upload(s).")

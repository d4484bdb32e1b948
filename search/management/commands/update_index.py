"""`manage.py update_index`: Wagtail's rebuild, then the search app's documents, with a progress bar.

Replaces Wagtail's command of the same name (this app comes first in
INSTALLED_APPS), so one command rebuilds both indexes.
"""

import time

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from search.documents import rebuild

BAR_WIDTH = 40


class Command(WagtailUpdateIndex):
    help = "Rebuild Wagtail's search index and the search documents of the public search API."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--documents-only", action="store_true", help="Only rebuild the search documents, not Wagtail's index."
        )

    def handle(self, **options):
        self.verbosity = options["verbosity"]
        if not options["documents_only"]:
            super().handle(**options)
        started = time.monotonic()
        self.write("search: rebuilding search documents")
        count = rebuild(progress=self.progress, chunk_size=options.get("chunk_size") or 500)
        elapsed = time.monotonic() - started
        rate = count / elapsed if elapsed else 0
        self.write(f"\nsearch: indexed {count} pages in {elapsed:.1f} s ({rate:.0f} pages/s)")

    def progress(self, done, total):
        if self.verbosity < 1:
            return
        filled = int(BAR_WIDTH * done / total) if total else BAR_WIDTH
        bar = "█" * filled + "·" * (BAR_WIDTH - filled)
        self.stdout.write(f"\r  [{bar}] {done}/{total}", ending="")
        self.stdout.flush()

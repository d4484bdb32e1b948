"""The web worker never loads FFmpeg (PyAV) or PDFium: they belong to the probe's child and the jobs.

On local disk (the test settings' storage) it does not load boto3 either.

Checked in a fresh interpreter, as a worker starts: Django set up, every URL
module imported, the upload and processing modules a request touches
imported. A module-level `import av` anywhere on that path costs every
worker about 15 MiB.
"""

import os
import subprocess
import sys

from tests.paths import PROJECT as ROOT

CODE = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
import library.assets.media.isolation, library.assets.processing.documents, library.assets.processing.videos
import library.assets.uploads.finalize, library.admin.uploads
import library.api.downloads, library.core.ranged
print(sorted(name for name in ("av", "pypdfium2", "boto3", "botocore") if name in sys.modules))
"""


def test_web_worker_modules_do_not_import_pyav_pdfium_or_boto3():
    result = subprocess.run(
        [sys.executable, "-c", CODE],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"

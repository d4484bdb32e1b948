"""Run the video probe in a child process, for the finalize check.

FFmpeg parses an untrusted file outside the web worker: a crash or a hang
costs a refusal, not a worker, and the worker never loads FFmpeg, so its
memory stays flat during uploads. On S3 the child reads the object through
a presigned URL with range requests (`library.assets.media.rangefile`): only the
container's index and a few packets travel. Usage by hand:
`python -m library.assets.media.isolation <path or URL>` (or `-` to read it from
stdin) prints one JSON line.
"""

import json
import os
import subprocess
import sys

from django.utils.translation import gettext_lazy as _

from library.assets.media.errors import MediaError


class IsolatedProbe:
    """The probe's child process, started before there is anything to probe.

    Its start (Python, Django's translations, PyAV and FFmpeg: about half a
    second) then overlaps the caller's own work, such as the storage
    assembling an upload's parts. The child waits for its source on stdin;
    `run` sends it and reads the answer. Leaving the `with` block ends a
    child that was never used.
    """

    def __init__(self, *, timeout=120):
        from django.conf import settings
        from django.utils import translation

        env = {
            **os.environ,
            "LIBRARY_PROBE_LANGUAGE": translation.get_language() or settings.LANGUAGE_CODE,
            "LIBRARY_PROBE_LOCALE_PATHS": os.pathsep.join(str(path) for path in settings.LOCALE_PATHS),
        }
        self.timeout = timeout
        self.process = subprocess.Popen(
            # The source goes through stdin: a presigned URL must not show in the process list.
            [sys.executable, "-m", "library.assets.media.isolation", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(settings.BASE_DIR),
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()

    def run(self, source):
        """`probe(source)` in the child; `source` is a path or an http(s) URL. Returns (result, bytes read)."""
        try:
            stdout, _stderr = self.process.communicate(str(source), timeout=self.timeout)
            data = json.loads(stdout.strip().splitlines()[-1])
        except (subprocess.TimeoutExpired, ValueError, IndexError) as error:
            self.close()
            raise MediaError(
                _("The video could not be checked (the check stopped: %(detail)s). Try again or export it again.")
                % {"detail": error.__class__.__name__},
                code="corrupt",
            ) from error
        if "error" in data:
            raise MediaError(data["error"], code=data["code"], line=data.get("line"))
        from library.assets.media.probe_result import ProbeResult

        return ProbeResult(**data["result"]), data["bytes_read"]


def probe_isolated(source, *, timeout=120):
    """`probe(source)` in a child process started for it. Returns (result, bytes read)."""
    with IsolatedProbe(timeout=timeout) as child:
        return child.run(source)


def _child_main(read_source):
    """Load everything first, then wait for the source: see `IsolatedProbe`."""
    from django.conf import settings

    settings.configure(
        USE_I18N=True,
        LANGUAGE_CODE=os.environ.get("LIBRARY_PROBE_LANGUAGE", "fr"),
        LOCALE_PATHS=[path for path in os.environ.get("LIBRARY_PROBE_LOCALE_PATHS", "").split(os.pathsep) if path],
        INSTALLED_APPS=[],
    )
    from django.apps import apps

    # Translations need a ready (empty) app registry; the rest of
    # `django.setup()` (logging, URL prefix) would only slow the start.
    apps.populate([])
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)  # loads the catalogues now, before the source arrives
    from library.assets.media.probe import probe
    from library.assets.media.rangefile import HttpRangeReader

    source = read_source()
    reader = None
    try:
        if source.startswith(("http://", "https://")):
            reader = HttpRangeReader(source)
            result = probe(reader)
        else:
            result = probe(source)
        output = {"result": result.as_fields(), "bytes_read": reader.bytes_fetched if reader else None}
    except MediaError as error:
        output = {"error": str(error), "code": error.code, "line": error.line}
    except OSError as error:
        output = {"error": str(_("The stored file cannot be read: %(detail)s") % {"detail": error}), "code": "gone"}
    print(json.dumps(output))


if __name__ == "__main__":
    _child_main(lambda: sys.stdin.read().strip() if sys.argv[1] == "-" else sys.argv[1])

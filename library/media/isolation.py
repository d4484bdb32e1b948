"""Run the video probe in a child process, for the finalize check.

FFmpeg parses an untrusted file outside the web worker: a crash or a hang
costs a refusal, not a worker, and the worker never loads FFmpeg, so its
memory stays flat during uploads. On S3 the child reads the object through
a presigned URL with range requests (`library.media.rangefile`): only the
container's index and a few packets travel. Usage by hand:
`python -m library.media.isolation <path or URL>` (or `-` to read it from
stdin) prints one JSON line.
"""

import json
import os
import subprocess
import sys

from django.utils.translation import gettext_lazy as _

from library.media.errors import MediaError


def probe_isolated(source, *, timeout=120):
    """`probe(source)` in a child process; `source` is a path or an http(s) URL. Returns (result, bytes read)."""
    from django.conf import settings
    from django.utils import translation

    env = {
        **os.environ,
        "LIBRARY_PROBE_LANGUAGE": translation.get_language() or settings.LANGUAGE_CODE,
        "LIBRARY_PROBE_LOCALE_PATHS": os.pathsep.join(str(path) for path in settings.LOCALE_PATHS),
    }
    try:
        completed = subprocess.run(
            # The source goes through stdin: a presigned URL must not show in the process list.
            [sys.executable, "-m", "library.media.isolation", "-"],
            input=str(source),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=str(settings.BASE_DIR),
        )
        data = json.loads(completed.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, ValueError, IndexError) as error:
        raise MediaError(
            _("The video could not be checked (the check stopped: %(detail)s). Try again or export it again.")
            % {"detail": error.__class__.__name__},
            code="corrupt",
        ) from error
    if "error" in data:
        raise MediaError(data["error"], code=data["code"], line=data.get("line"))
    from library.media.probe import ProbeResult

    return ProbeResult(**data["result"]), data["bytes_read"]


def _child_main(source):
    from django.conf import settings

    settings.configure(
        USE_I18N=True,
        LANGUAGE_CODE=os.environ.get("LIBRARY_PROBE_LANGUAGE", "fr"),
        LOCALE_PATHS=[path for path in os.environ.get("LIBRARY_PROBE_LOCALE_PATHS", "").split(os.pathsep) if path],
        INSTALLED_APPS=[],
    )
    import django

    django.setup()
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    from library.media.probe import probe

    reader = None
    try:
        if source.startswith(("http://", "https://")):
            from library.media.rangefile import HttpRangeReader

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
    _child_main(sys.stdin.read().strip() if sys.argv[1] == "-" else sys.argv[1])

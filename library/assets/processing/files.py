"""Copy a stored file to a local temporary path, streaming, for PyAV and pdfium.

Both libraries want a seekable local file; on S3 the object is streamed to
disk in 1 MiB chunks, never held in memory. On local disk the stored file
is used in place.
"""

import shutil
from pathlib import Path


def local_copy(field_file, directory, name):
    storage = field_file.storage
    try:
        return Path(storage.path(field_file.name))
    except NotImplementedError:
        pass
    target = Path(directory) / name
    with storage.open(field_file.name, "rb") as source, open(target, "wb") as destination:
        shutil.copyfileobj(source, destination, length=1024 * 1024)
    return target

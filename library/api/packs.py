"""Screening packs: one zip streamed as it is written, never held in memory or on disk.

`zipfile` writes to a sink that only remembers the bytes since the last
chunk was sent; with no `seek`, it writes data descriptors after each member
instead of going back to patch headers, so each member is read from storage
and sent in fixed-size chunks. On S3 a member is read from a streamed GET
(`library.core.bucket.open_stream`), so a 2 GB master never sits in memory.

A pack that cannot be finished must not look finished. When a member cannot
be read (the bucket away, an object missing, a body cut short), the error
goes up through the WSGI server mid-answer: nothing more is written, so the
zip has no central directory (no unzip tool accepts it), and the server
ends the answer without its last chunk (gunicorn closes the connection, so
a client sees an incomplete chunked body) or closes a connection-delimited
one. What `zipfile` writes as the error unwinds stays in the sink.
"""

import io
import zipfile

from library.core.bucket import open_stream
from library.core.ranged import CHUNK_SIZE


class InlineFile:
    """A few bytes written into a pack (its readme) where `stream_zip` expects a storage: `open` reads them."""

    def __init__(self, data):
        self.data = data

    def open(self, name, mode="rb"):
        return io.BytesIO(self.data)


class _Sink:
    """A write-only, non-seekable file: `drain()` returns what was written since the last call."""

    def __init__(self):
        self._chunks = []
        self._position = 0

    def write(self, data):
        self._chunks.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self):
        return self._position

    def flush(self):
        pass

    def drain(self):
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def stream_zip(members):
    """Yield a zip of `members`: `(arcname, storage, name)` triples, each read in chunks.

    `storage` is a Django storage, or an `InlineFile` for text made on the spot.
    """
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for arcname, storage, name in members:
            info = zipfile.ZipInfo(arcname)
            info.compress_type = zipfile.ZIP_STORED
            with open_stream(storage, name) as source, archive.open(info, mode="w", force_zip64=True) as target:
                while True:
                    data = source.read(CHUNK_SIZE)
                    if not data:
                        break
                    target.write(data)
                    chunk = sink.drain()
                    if chunk:
                        yield chunk
            yield sink.drain()
    yield sink.drain()

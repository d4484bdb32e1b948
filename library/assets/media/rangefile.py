"""A seekable, read-only file over HTTP range requests (a presigned S3 URL).

PyAV reads a container's header, index and a few packets; fetching them in
blocks with `Range` requests lets the finalize check probe a multi-gigabyte
object while only a few hundred kilobytes cross the network. Blocks are
cached (a few of them) so back-and-forth seeks cost no refetch;
`bytes_fetched` says how much was read.
"""

import io
import urllib.request
from collections import OrderedDict


class HttpRangeReader(io.RawIOBase):
    def __init__(self, url, size=None, block_size=256 * 1024, cached_blocks=8, timeout=30):
        super().__init__()
        if not url.startswith(("http://", "https://")):
            raise ValueError("an http(s) URL is expected")
        self.url, self.timeout = url, timeout
        self.block_size, self.cached_blocks = block_size, cached_blocks
        self.position = 0
        self.blocks = OrderedDict()
        self.bytes_fetched = 0
        self.size = size if size is not None else self._fetch_size()

    def _request(self, start, end):
        request = urllib.request.Request(self.url, headers={"Range": f"bytes={start}-{end}"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - our own signed URL
            total = response.headers.get("Content-Range", "").rsplit("/", 1)[-1]
            return response.read(), int(total) if total.isdigit() else None

    def _fetch_size(self):
        data, total = self._request(0, self.block_size - 1)
        self.blocks[0] = data
        self.bytes_fetched += len(data)
        return total if total is not None else len(data)

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.position

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def _block(self, index):
        if index in self.blocks:
            self.blocks.move_to_end(index)
            return self.blocks[index]
        start = index * self.block_size
        data, _total = self._request(start, min(self.size, start + self.block_size) - 1)
        self.bytes_fetched += len(data)
        self.blocks[index] = data
        if len(self.blocks) > self.cached_blocks:
            self.blocks.popitem(last=False)
        return data

    def readinto(self, buffer):
        if self.position >= self.size:
            return 0
        index, offset = divmod(self.position, self.block_size)
        data = self._block(index)[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

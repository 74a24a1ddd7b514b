"""Uploaded bytes on local disk, content-addressed by SHA-256.

A blob is written to ``tmp/`` while it streams in, flushed to disk, then renamed
into ``blobs/ab/abcdef…``: a reader never sees half a file, and a crash leaves at
most a stray temporary file. Names chosen by uploaders never reach the file system.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path


class BlobWriter:
    """Receives one upload in chunks; ``commit`` stores it, ``abort`` forgets it."""

    def __init__(self, store: FileStore):
        self._store = store
        fd, name = tempfile.mkstemp(dir=store.tmp_dir, prefix="up-")
        self._fh = os.fdopen(fd, "wb")
        self._tmp = Path(name)
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self._fh.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    def commit(self) -> StoredBlob:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        sha = self._hash.hexdigest()
        final = self._store.path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():  # the same bytes were uploaded before
            self._tmp.unlink(missing_ok=True)
        else:
            os.replace(self._tmp, final)
            _fsync_dir(final.parent)
        return StoredBlob(sha, self.size, final)

    def abort(self) -> None:
        if not self._fh.closed:
            self._fh.close()
        self._tmp.unlink(missing_ok=True)


class FileStore:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.tmp_dir = self.root / "tmp"
        self.blob_dir = self.root / "blobs"
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        self.blob_dir.mkdir(parents=True, exist_ok=True)

    def writer(self) -> BlobWriter:
        return BlobWriter(self)

    def put_bytes(self, data: bytes) -> StoredBlob:
        w = self.writer()
        try:
            w.write(data)
            return w.commit()
        except BaseException:
            w.abort()
            raise

    def path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.blob_dir / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
MAX_NAME = 120


def clean_filename(raw: str | None) -> str:
    """A display name safe to show and to log: no directories, no control or bidi
    characters, NFC, at most 120 characters with the extension kept."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _CONTROL.sub("", name).strip().lstrip(".").strip()
    if not name:
        return "upload"
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME]
    return name

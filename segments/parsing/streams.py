"""Open the uploaded file as a byte stream that counts what it reads."""

from __future__ import annotations

import contextlib
import gzip
import io
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from .detection import MESSAGE_DAMAGED_GZIP, FileRejected


def _file_size(binary_file: BinaryIO) -> int:
    """Return the size of binary_file in bytes, or 0 when it cannot be measured."""
    try:
        binary_file.seek(0, io.SEEK_END)
        size = binary_file.tell()
        binary_file.seek(0)
    except (AttributeError, OSError, ValueError):
        return 0
    return size or 0


def _starts_with(binary_file: BinaryIO, magic: bytes) -> bool:
    """Tell whether binary_file starts with magic, leaving it at position 0."""
    binary_file.seek(0)
    start = binary_file.read(len(magic))
    binary_file.seek(0)
    return start == magic


@contextlib.contextmanager
def _gzip_errors_rejected() -> Iterator[None]:
    """Turn decompression failures into a user-facing FileRejected."""
    try:
        yield
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise FileRejected(MESSAGE_DAMAGED_GZIP) from error


class _CountingReader(io.RawIOBase):
    """Raw stream over a binary file that counts the bytes read from it."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self.count = 0

    def readable(self) -> bool:
        """Report the stream as readable, as io.BufferedReader requires."""
        return True

    def readinto(self, buffer: memoryview) -> int:
        """Fill buffer from the source and count the bytes."""
        data = self._source.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.count += size
        return size

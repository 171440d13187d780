"""What the live tests share: the server `test/e2e/python-client.test.ts` started (JURY_TEST_URL), whose HOME holds
the credentials file `jury serve` saved, and small PNGs of our own."""

from __future__ import annotations

import os
import struct
import tempfile
import unittest
import zlib
from pathlib import Path

SERVER_URL = os.environ.get("JURY_TEST_URL", "")

live = unittest.skipUnless(
    SERVER_URL,
    "JURY_TEST_URL is not set: these tests talk to a `jury serve` that test/e2e/python-client.test.ts starts",
)


def make_png(seed: int, size: int = 8) -> bytes:
    """A valid RGB PNG whose pixels depend on ``seed`` (different seeds, different bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(
        b"\x00" + bytes(((seed * 37 + x * 11) & 255, (seed * 91 + y * 13) & 255, (seed * 17 + x * y) & 255)[c]
                        for x in range(size) for c in range(3))
        for y in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class TempDir:
    """A temporary directory with PNG files written on request."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="jury-py-")
        self.path = Path(self._dir.name)

    def png(self, name: str, seed: int) -> str:
        p = self.path / name
        p.write_bytes(make_png(seed))
        return str(p)

    def cleanup(self) -> None:
        self._dir.cleanup()

"""Progress lines for the benchmarks: stderr, flushed, so stdout stays the markdown."""

from __future__ import annotations

import sys


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)

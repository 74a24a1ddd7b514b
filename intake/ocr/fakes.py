"""Engines for tests, at the OcrEngine seam: replay, crash, hang, slow, route.

All are picklable (they travel to the runner's worker processes like real ones).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from intake.errors import OcrError
from intake.model import Method, Segment


def image_key(image: np.ndarray) -> str:
    """Stable key of an image's pixels (shape, dtype and bytes)."""
    h = hashlib.sha256(f"{image.shape}|{image.dtype}|".encode())
    h.update(np.ascontiguousarray(image).tobytes())
    return h.hexdigest()[:16]


@dataclass
class ReplayEngine:
    """Plays recorded segments back.

    ``segments`` is either a mapping ``image_key(image) -> segments`` (the key of the
    image handed to ``recognize``, i.e. the *cleaned* page when run by the runner),
    or a sequence played in call order (only meaningful within one process).
    ``default`` answers unknown images; without it an unknown image is an OcrError.
    """

    segments: Mapping[str, list[Segment]] | Sequence[list[Segment]]
    default: list[Segment] | None = None
    name: str = field(default="replay", init=False)
    method: Method = field(default=Method.REPLAY, init=False)
    _calls: int = field(default=0, init=False, repr=False)

    def recognize(self, image: np.ndarray) -> list[Segment]:
        if isinstance(self.segments, Mapping):
            found = self.segments.get(image_key(image))
        else:
            found = self.segments[self._calls] if self._calls < len(self.segments) else None
            self._calls += 1
        if found is None:
            found = self.default
        if found is None:
            raise OcrError("replay engine has no recording for this image")
        return list(found)


@dataclass
class CrashingEngine:
    """Raises OcrError. With ``hard=True`` it kills its process instead (a segfault
    stand-in): only ever hand that to the runner, never call it in a test process."""

    message: str = "engine crashed (fake)"
    hard: bool = False
    name: str = field(default="crashing", init=False)
    method: Method = field(default=Method.REPLAY, init=False)

    def recognize(self, image: np.ndarray) -> list[Segment]:
        if self.hard:
            os._exit(70)
        raise OcrError(self.message)


@dataclass
class HangingEngine:
    """Sleeps far past any page time limit (the runner must kill it)."""

    seconds: float = 3600.0
    name: str = field(default="hanging", init=False)
    method: Method = field(default=Method.REPLAY, init=False)

    def recognize(self, image: np.ndarray) -> list[Segment]:
        time.sleep(self.seconds)
        return []


@dataclass
class SlowEngine:
    """Takes ``delay_s`` and then returns ``segments`` (a slow but working engine)."""

    delay_s: float = 0.5
    segments: list[Segment] = field(default_factory=list)
    name: str = field(default="slow", init=False)
    method: Method = field(default=Method.REPLAY, init=False)

    def recognize(self, image: np.ndarray) -> list[Segment]:
        time.sleep(self.delay_s)
        return list(self.segments)


def blank_page(width: int, height: int = 300) -> np.ndarray:
    """A blank white page. Clean-up leaves its size alone (no text to rescale, turn or
    deskew), so the width survives to the engine and can pick the behaviour of a
    ``RoutingEngine``."""
    return np.full((height, width, 3), 255, dtype=np.uint8)


@dataclass
class RoutingEngine:
    """Hands each page to the engine registered for its width in pixels, so one run
    can mix pages that crash, hang and succeed (see ``blank_page``)."""

    routes: Mapping[int, object]  # image width -> engine
    default: object
    name: str = field(default="routing", init=False)
    method: Method = field(default=Method.REPLAY, init=False)

    def recognize(self, image: np.ndarray) -> list[Segment]:
        engine = self.routes.get(int(image.shape[1]), self.default)
        return engine.recognize(image)  # type: ignore[attr-defined]

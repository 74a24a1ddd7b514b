"""The OCR engine seam: an image in, segments with boxes and confidences out."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from intake.model import Method, Segment


@runtime_checkable
class OcrEngine(Protocol):
    """An OCR engine. Implementations must be picklable (they travel to worker
    processes): load models lazily on first use and drop them in ``__getstate__``.

    ``recognize`` takes an upright, cleaned page image (uint8, grey or BGR) and
    returns the text segments found on it, boxes in that image's pixels, confidence
    0..1. It raises :class:`intake.errors.OcrError` on failure.
    """

    name: str
    method: Method

    def recognize(self, image: np.ndarray) -> list[Segment]: ...

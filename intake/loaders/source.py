"""What a loader hands on: one page of an uploaded file, text layer and image."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

import numpy as np

from intake.model import Segment

PageKind = Literal["pdf_text", "pdf_scan", "image"]


@dataclass
class SourcePage:
    """One page of one file, before any clean-up or OCR.

    ``dpi`` is the resolution of the page image ``render`` returns; ``width`` and
    ``height`` are its size in pixels and every box in ``segments`` is in those
    pixels, origin top left. ``segments`` holds the PDF text layer (confidence 1.0)
    on ``pdf_text`` pages and is ``None`` everywhere else: such pages must be OCR'd.

    ``render()`` returns the page as a BGR ``uint8`` array of shape
    ``(height, width, 3)``. It reads the file again on each call (pages of a
    300-page upload are not all held in memory, and the callable pickles), so the
    file must stay where it is until the pages have been rendered. It raises
    :class:`intake.errors.InputError` if the file can no longer be read.
    """

    number: int  # 1-based within the file
    dpi: int
    width: int
    height: int
    kind: PageKind
    segments: list[Segment] | None
    render: Callable[[], np.ndarray]

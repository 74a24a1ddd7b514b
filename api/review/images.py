"""Page images and crops for the review pages, via api/evidence.py, with a small cache.

Blobs are content-addressed (the path names the bytes), so a PNG made from
(path, page, boxes) never goes stale: an LRU of recent ones spares re-rendering a page
for every crop on it while a clerk works an application.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from api.evidence import crop_png, page_png, render_page, scale_box
from intake.loaders import Limits

Box = tuple[float, float, float, float]


@lru_cache(maxsize=8)
def _page(path: str, page: int, limits: Limits):  # type: ignore[no-untyped-def]
    return render_page(Path(path), page, limits)


@lru_cache(maxsize=64)
def page_with_boxes(path: str, page: int, frame: tuple[int, int] | None, boxes: tuple[Box, ...],
                    limits: Limits) -> bytes:
    image = _page(path, page, limits)
    return page_png(image, [scale_box(list(b), list(frame) if frame else None, image) for b in boxes])


@lru_cache(maxsize=128)
def crop(path: str, page: int, frame: tuple[int, int] | None, box: Box, limits: Limits) -> bytes:
    image = _page(path, page, limits)
    return crop_png(image, scale_box(list(box), list(frame) if frame else None, image))

"""Reading turned pages upright, and reporting boxes on the page as uploaded.

OCR boxes are kept in the pixels of the page as uploaded (CONTRACT.md: a box is
drawn on the file the applicant sent). A page that clean-up had to turn
(``Quality.rotation``: 90, 180 or 270 degrees clockwise) would then reach the
extractors sideways or upside down, and reading by rows and columns fails. So
extractors are handed an upright copy of each page, and the boxes of the fields
they return are turned back. Done once here, for every extractor.
"""

from __future__ import annotations

from dataclasses import replace

from intake.model import BBox, ExtractedField, Page


def turn_box(b: BBox, rot: int, w: int, h: int) -> BBox:
    """A box of a ``w`` x ``h`` page as it lies once the page is turned ``rot``
    degrees clockwise."""
    x0, y0, x1, y1 = b
    if rot == 90:
        return (h - y1, x0, h - y0, x1)
    if rot == 180:
        return (w - x1, h - y1, w - x0, h - y0)
    if rot == 270:
        return (y0, w - x1, y1, w - x0)
    return b


def unturn_box(b: BBox, rot: int, w: int, h: int) -> BBox:
    """Inverse of :func:`turn_box` (``w``, ``h``: the page as uploaded)."""
    u0, v0, u1, v1 = b
    if rot == 90:
        return (v0, h - u1, v1, h - u0)
    if rot == 180:
        return (w - u1, h - v1, w - u0, h - v0)
    if rot == 270:
        return (w - v1, u0, w - v0, u1)
    return b


def _rotation(page: Page) -> int:
    return page.quality.rotation % 360


def upright(page: Page) -> Page:
    """The page as it reads: segments (and the seal's box) turned upright."""
    rot = _rotation(page)
    if rot not in (90, 180, 270):
        return page
    w, h = page.width, page.height
    seal = page.seal
    if seal is not None and seal[2] is not None:
        seal = (seal[0], seal[1], turn_box(seal[2], rot, w, h))
    return replace(
        page,
        width=h if rot in (90, 270) else w,
        height=w if rot in (90, 270) else h,
        segments=[replace(s, bbox=turn_box(s.bbox, rot, w, h)) for s in page.segments],
        seal=seal,
    )


def to_upload_frame(fields: dict[str, ExtractedField], pages: list[Page]) -> dict[str, ExtractedField]:
    """Turn the boxes of fields read on upright copies back onto the uploaded pages."""
    by_number = {p.number: p for p in pages}
    out: dict[str, ExtractedField] = {}
    for name, f in fields.items():
        page = by_number.get(f.page) if f.page is not None else None
        if f.bbox is not None and page is not None and _rotation(page) in (90, 180, 270):
            f = replace(f, bbox=unturn_box(f.bbox, _rotation(page), page.width, page.height))
        out[name] = f
    return out

"""Where a PDF page's rendered image sits in PDF space.

pypdfium2 renders the crop box (clipped to the media box), turned by ``/Rotate``.
pdfplumber reports text in the *media* box turned by ``/Rotate`` (pdfminer applies
the rotation), but its own ``cropbox`` is wrong on rotated pages, so the crop offset
is worked out here from the raw boxes. Everything is in points; callers scale.
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]


def normalise_box(raw: object) -> Box | None:
    """A PDF rectangle as ``(x0, y0, x1, y1)`` with x0 < x1, y0 < y1; None if malformed."""
    try:
        values = [float(v) for v in raw]  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None
    if len(values) != 4 or any(v != v or abs(v) > 1e7 for v in values):  # NaN, absurd
        return None
    x0, x1 = sorted((values[0], values[2]))
    y0, y1 = sorted((values[1], values[3]))
    return (x0, y0, x1, y1)


def normalise_rotation(raw: object) -> int:
    """``/Rotate`` as 0, 90, 180 or 270 (anything else is ignored, as viewers do)."""
    try:
        rotation = int(raw) % 360  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0
    return rotation if rotation in (0, 90, 180, 270) else 0


@dataclass(frozen=True)
class PageFrame:
    """The displayed page: ``mediabox`` and ``cropbox`` in PDF space, and the turn."""

    mediabox: Box
    cropbox: Box  # already clipped to the media box
    rotation: int

    @classmethod
    def from_boxes(cls, mediabox: Box, cropbox: Box | None, rotation: int) -> "PageFrame":
        crop = mediabox
        if cropbox is not None:
            clipped = (
                max(mediabox[0], cropbox[0]),
                max(mediabox[1], cropbox[1]),
                min(mediabox[2], cropbox[2]),
                min(mediabox[3], cropbox[3]),
            )
            if clipped[0] < clipped[2] and clipped[1] < clipped[3]:
                crop = clipped
        return cls(mediabox, crop, rotation)

    @property
    def size(self) -> tuple[float, float]:
        """Displayed width and height of the crop box, in points."""
        w = self.cropbox[2] - self.cropbox[0]
        h = self.cropbox[3] - self.cropbox[1]
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def _in_media(self, x: float, y: float) -> tuple[float, float]:
        # PDF point -> displayed media box, origin top left, y down.
        mx0, my0, mx1, my1 = self.mediabox
        if self.rotation == 90:
            return (y - my0, x - mx0)
        if self.rotation == 180:
            return (mx1 - x, y - my0)
        if self.rotation == 270:
            return (my1 - y, mx1 - x)
        return (x - mx0, my1 - y)

    @property
    def crop_offset(self) -> tuple[float, float]:
        """Top-left corner of the displayed crop box within the displayed media box."""
        cx0, cy0, cx1, cy1 = self.cropbox
        corners = [self._in_media(x, y) for x in (cx0, cx1) for y in (cy0, cy1)]
        return (min(c[0] for c in corners), min(c[1] for c in corners))

    def pdf_to_page(self, x: float, y: float) -> tuple[float, float]:
        """A point in PDF space -> points from the rendered page's top-left corner."""
        mx, my = self._in_media(x, y)
        ox, oy = self.crop_offset
        return (mx - ox, my - oy)

    def pdf_box_to_page(self, box: Box) -> Box:
        """A PDF-space rectangle -> ``(x0, top, x1, bottom)`` on the rendered page."""
        corners = [self.pdf_to_page(x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
        xs = [c[0] for c in corners]
        ys = [c[1] for c in corners]
        return (min(xs), min(ys), max(xs), max(ys))

"""Bounds on what one upload may cost to load: bytes, pages, pixels, page size."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024
POINTS_PER_INCH = 72


@dataclass(frozen=True)
class Limits:
    """Hard limits checked before any expensive work is done.

    ``max_page_area_in2``: 3100 in² is about 2 m². The largest paper anyone attaches
    to a subsidy application is an A0 drawing (1 m², 1550 in²); twice that leaves room
    for odd plotter formats while refusing the absurd boxes PDF allows (up to
    200 × 200 in, 40000 in²), which are a sign of a broken or hostile file and would
    otherwise force the renderer to a useless resolution. Pages within the bound
    but too large for ``max_pixels`` at the requested dpi are rendered at a lower dpi.

    ``max_page_side_in``: 200 in (5.08 m) is the largest page side the PDF standard
    allows (14400 units); a 1 pt × 3,000,000 pt strip passes the area bound but is
    no paper either, and would be rendered as a 5 × 12,500,000 pixel image.

    ``max_decoded_bytes``: what the streams of one PDF (page contents, forms, fonts,
    colour profiles; not images, whose pixels are bounded above, nor attachments)
    may add up to once decompressed. A real 300-page export with embedded CJK fonts
    is a few tens of MB; a Flate stream compresses 1000:1, so a 50 MB upload could
    otherwise unpack to 50 GB in the text-layer reader and the renderer.
    """

    max_bytes: int = 50 * MIB
    max_pages: int = 300  # pages of a PDF, frames of a TIFF/GIF
    max_pixels: int = 80_000_000  # per page image (A0 at 200 dpi ≈ 62 Mpx)
    max_page_area_in2: float = 3100.0
    max_page_side_in: float = 200.0
    max_decoded_bytes: int = 64 * MIB

    def __post_init__(self) -> None:
        for name in (
            "max_bytes", "max_pages", "max_pixels", "max_page_area_in2", "max_page_side_in", "max_decoded_bytes"
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"Limits.{name} must be positive")

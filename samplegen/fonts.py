"""Fonts for the two back ends: PIL (raster pages) and reportlab (text-layer PDFs).

Renderers name a font by role ("song", "kai", ...). The raster back end maps a role to
a Noto CJK / AR PL face through FreeType, which reads CFF outlines; reportlab can only
embed TrueType (glyf) outlines, so in PDFs every CJK role falls back to the AR PL
faces (UMing looks like the 宋体/明体 of real e-invoices, UKai like their 楷体).
Traditional script selects the HK faces, whose glyph shapes follow HK standards.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

NOTO = Path("/usr/share/fonts/opentype/noto")
ARPHIC = Path("/usr/share/fonts/truetype/arphic")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

# Index of the face inside each .ttc, by script (see `fc-list`, PIL getname()).
_NOTO_IDX = {"simplified": 2, "traditional": 4}  # SC / HK
_ARPHIC_IDX = {"simplified": 0, "traditional": 1}  # CN / HK

ROLES = ("song", "song_bold", "hei", "hei_bold", "kai", "latin", "courier")


def _raster_face(role: str, script: str) -> tuple[Path, int]:
    if role == "song":
        return NOTO / "NotoSerifCJK-Regular.ttc", _NOTO_IDX[script]
    if role == "song_bold":
        return NOTO / "NotoSerifCJK-Bold.ttc", _NOTO_IDX[script]
    if role == "hei":
        return NOTO / "NotoSansCJK-Regular.ttc", _NOTO_IDX[script]
    if role == "hei_bold":
        return NOTO / "NotoSansCJK-Bold.ttc", _NOTO_IDX[script]
    if role == "kai":
        return ARPHIC / "ukai.ttc", _ARPHIC_IDX[script]
    if role == "latin":
        return DEJAVU / "DejaVuSans.ttf", 0
    if role == "courier":
        return DEJAVU / "DejaVuSansMono.ttf", 0
    raise ValueError(f"unknown font role {role!r}")


@lru_cache(maxsize=512)
def pil_font(role: str, script: str, size_px: int) -> ImageFont.FreeTypeFont:
    path, index = _raster_face(role, script)
    return ImageFont.truetype(str(path), max(size_px, 1), index=index)


# --- reportlab ---------------------------------------------------------------------

_PDF_REGISTERED: set[str] = set()


def pdf_font(role: str, script: str, text: str) -> tuple[str, bool]:
    """(reportlab font name, fake bold?) for ``text`` in ``role``.

    Courier/Helvetica are the PDF base-14 fonts real e-invoices use for digits; they
    hold only Latin-1, so text with anything else goes to the CJK face.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if role in ("courier", "latin") and all(ord(c) < 256 for c in text):
        return ("Courier" if role == "courier" else "Helvetica"), False
    face = "ukai" if role == "kai" else "uming"
    name = f"{face}-{script}"
    if name not in _PDF_REGISTERED:
        path = ARPHIC / f"{face}.ttc"
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=_ARPHIC_IDX[script]))
        _PDF_REGISTERED.add(name)
    return name, role in ("song_bold", "hei_bold")

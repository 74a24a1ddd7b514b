"""Engines by the name users give on the command line (``--engine``)."""

from __future__ import annotations

from collections.abc import Callable

from intake.errors import ErrorCode, IntakeError
from intake.ocr.base import OcrEngine
from intake.ocr.rapid import RapidOcrEngine
from intake.ocr.tesseract import TesseractEngine

# RapidOCR is the default: on the invoice photos it recovers far more of the
# ground truth than Tesseract, in less time per page (see the OCR report).
DEFAULT_ENGINE = "rapidocr"

# name -> factory(long_lived): long_lived engines serve a pool that reads many pages
_FACTORIES: dict[str, Callable[[bool], OcrEngine]] = {
    "rapidocr": lambda long_lived: RapidOcrEngine(long_lived=long_lived),
    "tesseract": lambda _long_lived: TesseractEngine(),
}
ENGINE_NAMES: tuple[str, ...] = tuple(sorted(_FACTORIES))


class UnknownEngineError(IntakeError, ValueError):
    """An engine name nobody registered: bad arguments (exit 2, HTTP 400)."""

    code = ErrorCode.BAD_ARGUMENTS
    http_status = 400
    exit_code = 2


def make_engine(name: str, *, long_lived: bool = False) -> OcrEngine:
    """A fresh engine by name (``rapidocr`` or ``tesseract``); models load lazily.
    ``long_lived``: for a pool kept across calls (the service), tuned for many pages."""
    factory = _FACTORIES.get(name.strip().lower())
    if factory is None:
        raise UnknownEngineError(
            f"unknown OCR engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}"
        )
    return factory(long_lived)

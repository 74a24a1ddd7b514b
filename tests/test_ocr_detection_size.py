"""RapidOCR runs detection at a size chosen from the measured glyph height."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake.ocr.rapid import DET_TEXT_PX, MAX_SIDE, MIN_DET_SIDE, _detection_size, det_side
from intake.ocr.runner import PageJob, read_page
from intake.model import Method, Segment


def test_a_cleaned_photo_is_detected_smaller() -> None:
    # an invoice photo after clean-up: 2438 px across, glyphs 30.5 px; rapidocr would
    # detect at 2000 px (glyphs 25 px), the hint brings the glyphs to DET_TEXT_PX
    side = det_side((1808, 2438), 30.5)
    assert side == round(2438 * DET_TEXT_PX / 30.5)
    assert MIN_DET_SIDE <= side < MAX_SIDE


def test_a_300_dpi_scan_is_left_at_rapidocrs_size() -> None:
    # A4 at 300 dpi with 35 px glyphs: at rapidocr's 2000 px they are already 20 px
    assert det_side((3508, 2481), 35.0) is None


def test_no_hint_or_small_text_keeps_rapidocr_default() -> None:
    assert det_side((3508, 2481), None) is None
    assert det_side((3508, 2481), 0.0) is None
    # glyphs already near DET_TEXT_PX at the size rapidocr would use: nothing to gain
    assert det_side((2000, 1414), 18.0) is None
    assert det_side((500, 400), 30.0) is None  # a small page is never shrunk below 736


@given(
    h=st.integers(1, 6000), w=st.integers(1, 6000),
    text=st.one_of(st.none(), st.floats(-5, 500, allow_nan=False)),
)
def test_det_side_is_none_or_a_smaller_side_within_bounds(h: int, w: int, text: float | None) -> None:
    side = det_side((h, w), text)
    if side is not None:
        assert MIN_DET_SIDE <= side < min(max(h, w), MAX_SIDE)
        # the glyphs the detector sees are never smaller than DET_TEXT_PX
        assert text is not None and text * side / max(h, w) >= DET_TEXT_PX - 0.5


@given(h=st.integers(800, 6000), w=st.integers(800, 6000), a=st.floats(1, 200), b=st.floats(1, 200))
def test_larger_text_never_gets_a_larger_detection_size(h: int, w: int, a: float, b: float) -> None:
    small, large = sorted((a, b))
    s_small = det_side((h, w), small) or min(max(h, w), MAX_SIDE)
    s_large = det_side((h, w), large) or min(max(h, w), MAX_SIDE)
    assert s_large <= s_small


def test_detector_settings_are_restored_after_a_call_even_when_it_fails() -> None:
    det = SimpleNamespace(limit_type="min", limit_side_len=736)
    ocr = SimpleNamespace(text_det=det)
    with _detection_size(ocr, 1100):
        assert (det.limit_type, det.limit_side_len) == ("max", 1100)
    assert (det.limit_type, det.limit_side_len) == ("min", 736)
    with pytest.raises(RuntimeError):
        with _detection_size(ocr, 900):
            raise RuntimeError("onnxruntime failed")
    assert (det.limit_type, det.limit_side_len) == ("min", 736)


def test_an_ocr_object_without_a_detector_is_left_alone() -> None:
    ocr = SimpleNamespace()
    with _detection_size(ocr, 900):
        pass  # nothing to set, nothing raised
    assert not hasattr(ocr, "text_det")


class _Recording:
    """Remembers the text_height each call was given."""

    name = "recording"
    method = Method.REPLAY

    def __init__(self) -> None:
        self.heights: list[float | None] = []

    def recognize(self, image: np.ndarray, *, text_height: float | None = None) -> list[Segment]:
        self.heights.append(text_height)
        return []


def test_the_runner_hands_the_engine_the_glyph_height_clean_up_measured() -> None:
    page = np.full((1200, 900, 3), 255, np.uint8)
    for row in range(10):  # 30 rows of 26 px "glyphs": enough text to measure
        for col in range(20):
            y, x = 100 + row * 80, 40 + col * 40
            page[y:y + 26, x:x + 20] = 0
            page[y + 8:y + 18, x + 5:x + 15] = 255
    engine = _Recording()
    read_page(PageJob(key="p", image=page, dpi=300, kind="image"), engine)
    assert engine.heights and engine.heights[0] is not None
    assert 20 <= engine.heights[0] <= 32
    blank = np.full((600, 600, 3), 255, np.uint8)
    read_page(PageJob(key="b", image=blank, dpi=300, kind="image"), engine)
    assert engine.heights[-1] is None

"""Real Tesseract and real RapidOCR on a rendered line of Chinese; the registry."""

from __future__ import annotations

import difflib
import glob
import pickle

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from intake.errors import ErrorCode, IntakeError, OcrError
from intake.model import Method
from intake.ocr.base import OcrEngine
from intake.ocr.rapid import RapidOcrEngine
from intake.ocr.registry import ENGINE_NAMES, make_engine
from intake.ocr.tesseract import TesseractEngine, group_lines, join_words

LINE = "购买方名称：北京云端科技有限公司"
NUMBER = "No 12269563"


def _cjk_font(size: int) -> ImageFont.FreeTypeFont:
    paths = sorted(glob.glob("/usr/share/fonts/**/NotoSansCJK-Regular.ttc", recursive=True))
    if not paths:
        pytest.skip("no CJK font (fonts-noto-cjk) installed")
    return ImageFont.truetype(paths[0], size, index=2)  # face 2: Noto Sans CJK SC


@pytest.fixture(scope="module")
def rendered() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A BGR strip with the Chinese line (and a number line); returns (image, box of
    the Chinese line)."""
    font = _cjk_font(36)
    # 740 px tall: RapidOCR's detector upscales anything under 736 px (slow tests)
    img = Image.new("RGB", (900, 740), "white")
    draw = ImageDraw.Draw(img)
    draw.text((40, 300), LINE, font=font, fill="black")
    box = draw.textbbox((40, 300), LINE, font=font)
    draw.text((40, 380), NUMBER, font=font, fill="black")
    return cv2.cvtColor(np.array(img), cv2.COLOR_RGB2BGR), box


@pytest.fixture(scope="module")
def rapid() -> RapidOcrEngine:
    """One RapidOCR for the module: its model takes seconds to load."""
    return RapidOcrEngine()


def _best(segments, want: str) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    scored = [
        (difflib.SequenceMatcher(None, want, s.text.replace(" ", "")).ratio(), s)
        for s in segments
    ]
    return max(scored, key=lambda x: x[0]) if scored else (0.0, None)


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    ix = min(a[2], b[2]) - max(a[0], b[0])
    iy = min(a[3], b[3]) - max(a[1], b[1])
    return ix > 0.5 * (b[2] - b[0]) and iy > 0.5 * (b[3] - b[1])


@pytest.mark.parametrize("name", ["tesseract", "rapidocr"])
def test_engine_reads_a_chinese_line(name: str, rendered, rapid) -> None:  # type: ignore[no-untyped-def]
    engine: OcrEngine = rapid if name == "rapidocr" else TesseractEngine()
    image, box = rendered
    segments = engine.recognize(image)
    ratio, seg = _best(segments, LINE)
    assert ratio >= 0.85, [s.text for s in segments]
    assert _overlaps(seg.bbox, box)
    assert 0.5 <= seg.confidence <= 1.0
    num_ratio, num = _best(segments, NUMBER.replace(" ", ""))
    assert num_ratio >= 0.8 and "12269563" in num.text.replace(" ", "")
    assert isinstance(engine, OcrEngine)


def test_engines_accept_grey_pages(rendered, rapid) -> None:  # type: ignore[no-untyped-def]
    grey = cv2.cvtColor(rendered[0], cv2.COLOR_BGR2GRAY)
    for engine in (TesseractEngine(), rapid):
        ratio, _ = _best(engine.recognize(grey), LINE)
        assert ratio >= 0.85, engine.name


def test_blank_page_gives_no_segments(rapid) -> None:  # type: ignore[no-untyped-def]
    blank = np.full((740, 740, 3), 255, np.uint8)
    assert rapid.recognize(blank) == []
    assert TesseractEngine().recognize(blank) == []


def test_rapid_engine_pickles_without_its_model(rapid) -> None:  # type: ignore[no-untyped-def]
    engine = rapid
    assert RapidOcrEngine()._ocr is None  # lazy: nothing loaded before first use
    engine._load()
    assert engine._ocr is not None
    copy = pickle.loads(pickle.dumps(engine))
    assert copy._ocr is None and copy.method is Method.RAPIDOCR
    assert len(pickle.dumps(engine)) < 2000  # no model inside


def test_tesseract_timeout_is_an_ocr_timeout(rendered) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OcrError) as err:
        TesseractEngine(timeout_s=0.001).recognize(rendered[0])
    assert err.value.code is ErrorCode.OCR_TIMEOUT


def test_bad_language_is_an_ocr_error(rendered) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OcrError) as err:
        TesseractEngine(lang="no_such_lang").recognize(rendered[0])
    assert err.value.code is ErrorCode.OCR_FAILED


def test_join_words_spaces_only_between_latin_words() -> None:
    assert join_words(["2016", "年", "06", "月", "12", "日"]) == "2016年06月12日"
    assert join_words(["No", "12269563"]) == "No 12269563"
    assert join_words(["名", "称", "：", "深", "圳"]) == "名称：深圳"
    assert join_words(["Room", "A1207", "室"]) == "Room A1207室"


def test_group_lines_joins_a_line_and_splits_it_at_wide_gaps() -> None:
    # Tesseract rows: (block, par, line, left, top, width, height, conf, text)
    rows = [
        (1, 1, 1, 10, 10, 30, 30, 90, "名"), (1, 1, 1, 42, 10, 30, 30, 80, "称"),
        (1, 1, 1, 74, 10, 30, 30, 70, "："),
        (1, 1, 1, 400, 12, 60, 28, 60, "No"), (1, 1, 1, 470, 12, 120, 28, 100, "123"),
        (1, 1, 2, 10, 60, 30, 30, 50, "深"), (1, 1, 2, 0, 0, 0, 0, -1, ""),
    ]
    keys = ["block_num", "par_num", "line_num", "left", "top", "width", "height", "conf", "text"]
    data = {k: [r[i] for r in rows] for i, k in enumerate(keys)}
    segs = group_lines(data)
    assert [s.text for s in segs] == ["名称：", "No 123", "深"]
    assert segs[0].bbox == (10, 10, 104, 40)
    assert segs[0].confidence == pytest.approx(0.8)
    assert segs[1].bbox == (400, 12, 590, 40)


def test_registry_makes_known_engines_and_refuses_others() -> None:
    assert set(ENGINE_NAMES) == {"rapidocr", "tesseract"}
    assert isinstance(make_engine("tesseract"), TesseractEngine)
    assert isinstance(make_engine("rapidocr"), RapidOcrEngine)
    with pytest.raises(ValueError) as err:
        make_engine("abbyy")
    assert isinstance(err.value, IntakeError)
    assert err.value.code is ErrorCode.BAD_ARGUMENTS and err.value.exit_code == 2


def test_only_long_lived_engines_keep_onnxruntime_buffers() -> None:
    # the arena pays off on warm workers (the service), costs a one-shot run: bench/speed
    from intake.ocr.rapid import LONG_LIVED_PARAMS

    assert make_engine("rapidocr").long_lived is False  # type: ignore[attr-defined]
    pooled = make_engine("rapidocr", long_lived=True)
    assert pooled.long_lived is True  # type: ignore[attr-defined]
    pooled._load()  # type: ignore[attr-defined]
    assert pooled._ocr.cfg.EngineConfig.onnxruntime.enable_cpu_mem_arena is True  # type: ignore[attr-defined]
    assert LONG_LIVED_PARAMS == {"EngineConfig.onnxruntime.enable_cpu_mem_arena": True}
    assert isinstance(make_engine("tesseract", long_lived=True), TesseractEngine)

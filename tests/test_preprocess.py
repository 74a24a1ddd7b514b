"""Clean-up steps on synthetic pages drawn here (no real documents needed)."""

from __future__ import annotations

import glob

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from intake.preprocess import CleanOptions, clean_page, map_bbox
from intake.preprocess.imageops import map_points, rotate_quarter, rotate_small
from intake.preprocess.orientation import estimate_skew
from intake.preprocess.resolution import blur_score, estimate_text_height

LINES = [
    "营业执照 统一社会信用代码 91440101MA59ABCD1X",
    "名称：广州市云端数据科技有限公司",
    "类型：有限责任公司（自然人投资或控股）",
    "住所：广州市天河区天河路一百号二十层",
    "法定代表人：张三 注册资本：人民币伍佰万元",
    "成立日期：2015年04月01日 营业期限：长期",
    "经营范围：软件开发；信息系统集成服务；数据处理",
    "登记机关：广州市天河区市场监督管理局",
]


def _cjk_font(size: int) -> ImageFont.FreeTypeFont:
    paths = sorted(glob.glob("/usr/share/fonts/**/NotoSansCJK-Regular.ttc", recursive=True))
    if not paths:
        pytest.skip("no CJK font (fonts-noto-cjk) installed")
    return ImageFont.truetype(paths[0], size, index=2)  # face 2: Noto Sans CJK SC


def text_page(width: int = 1400, height: int = 1000, size: int = 32) -> np.ndarray:
    """A white BGR page with lines of black Chinese text."""
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font = _cjk_font(size)
    y = 60
    while y < height - 2 * size:
        for line in LINES:
            if y >= height - 2 * size:
                break
            draw.text((70, y), line, font=font, fill="black")
            y += int(size * 1.9)
    return cv2.cvtColor(np.array(img), cv2.COLOR_RGB2BGR)


def _similar(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two pages brought to one size, 1 = the same."""
    ga = cv2.cvtColor(a, cv2.COLOR_BGR2GRAY) if a.ndim == 3 else a
    gb = cv2.cvtColor(b, cv2.COLOR_BGR2GRAY) if b.ndim == 3 else b
    gb = cv2.resize(gb, (ga.shape[1], ga.shape[0]), interpolation=cv2.INTER_AREA)
    # blurred, so that a pixel or two of misregistration does not count
    ga, gb = cv2.GaussianBlur(ga, (0, 0), 3), cv2.GaussianBlur(gb, (0, 0), 3)
    return float(np.corrcoef(ga.ravel().astype(float), gb.ravel().astype(float))[0, 1])


def test_upright_page_is_left_upright() -> None:
    page = text_page()
    out = clean_page(page, 300, kind="pdf_scan")
    assert out.quality.rotation == 0
    assert not any(s.startswith("rotate") for s in out.quality.steps)
    assert "page_detect" not in out.quality.steps  # a full-frame scan is left alone


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_turned_page_comes_back_upright(turn: int) -> None:
    page = text_page()
    turned, _ = rotate_quarter(page, turn)
    out = clean_page(turned, 300, kind="image")
    assert out.quality.rotation == (360 - turn) % 360
    assert f"rotate_{out.quality.rotation}" in out.quality.steps
    assert out.image.shape[:2] == page.shape[:2]
    assert _similar(page, out.image) > 0.9


@pytest.mark.parametrize("angle", [-3.0, 1.5, 4.0])
def test_skewed_page_is_deskewed_within_a_degree(angle: float) -> None:
    page = text_page()
    skewed, _ = rotate_small(page, angle)  # counter-clockwise: lines rise to the right
    out = clean_page(skewed, 300, kind="image")
    assert out.quality.skew_deg == pytest.approx(angle, abs=1.0)
    assert any(s.startswith("deskew:") for s in out.quality.steps)
    assert abs(estimate_skew(cv2.cvtColor(out.image, cv2.COLOR_BGR2GRAY)
                             if out.image.ndim == 3 else out.image)) < 1.0


def _stamp(page: np.ndarray, centre: tuple[int, int], radius: int) -> np.ndarray:
    """A red seal: a thick ring, a star and red characters, drawn over the page."""
    out = page.copy()
    red = (40, 40, 225)  # BGR
    overlay = out.copy()
    cv2.circle(overlay, centre, radius, red, 14)
    cv2.circle(overlay, centre, radius // 4, red, -1)
    cv2.putText(overlay, "SEAL", (centre[0] - radius // 2, centre[1] + radius // 2),
                cv2.FONT_HERSHEY_SIMPLEX, 2.0, red, 8)
    # ink is translucent: where the seal crosses black text the text stays black
    ink = np.any(overlay != out, axis=2) & (out.min(axis=2) > 128)
    out[ink] = overlay[ink]
    return out


def test_red_seal_over_black_text_is_removed_and_text_kept() -> None:
    page = text_page()
    centre, radius = (700, 300), 170
    stamped = _stamp(page, centre, radius)
    out = clean_page(stamped, 300, kind="image", options=CleanOptions(orientation=False, deskew=False))
    assert "red_channel" in out.quality.steps
    grey = out.image if out.image.ndim == 2 else cv2.cvtColor(out.image, cv2.COLOR_BGR2GRAY)
    # map cleaned pixels to the original to compare like with like
    ys, xs = np.mgrid[0:grey.shape[0], 0:grey.shape[1]]
    pts = map_points(out.transform, np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1))
    ox = np.clip(pts[:, 0].astype(int), 0, page.shape[1] - 1)
    oy = np.clip(pts[:, 1].astype(int), 0, page.shape[0] - 1)
    seal_only = (np.any(stamped != page, axis=2))[oy, ox]
    text = (page.min(axis=2) < 60)[oy, ox]
    g = grey.ravel()
    assert np.median(g[seal_only]) > 200  # the seal is gone into the paper
    assert np.median(g[text]) < 90  # the black text, also under the seal, stays
    under_seal = text & (np.hypot(ox - centre[0], oy - centre[1]) < radius)
    assert under_seal.sum() > 200 and np.median(g[under_seal]) < 90


def test_page_without_red_keeps_its_colour() -> None:
    out = clean_page(text_page(), 300, kind="image")
    assert "red_channel" not in out.quality.steps


def _photo_of(page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page warped into a 1600x1200 photo on a brown table; returns (photo, corners)."""
    h, w = page.shape[:2]
    corners = np.array([[260, 170], [1330, 230], [1290, 1010], [230, 960]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(
        np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32), corners
    )
    table = np.zeros((1200, 1600, 3), np.uint8)
    table[:] = (40, 80, 130)  # brown (BGR)
    noise = np.random.default_rng(1).integers(-12, 12, table.shape)
    table = np.clip(table.astype(int) + noise, 0, 255).astype(np.uint8)
    photo = cv2.warpPerspective(page, m, (1600, 1200), dst=table, borderMode=cv2.BORDER_TRANSPARENT)
    return photo, corners


def test_photographed_page_is_found_and_flattened() -> None:
    page = text_page(1100, 800, size=28)
    photo, corners = _photo_of(page)
    out = clean_page(photo, 300, kind="image")
    assert out.quality.steps[:2] == ["page_detect", "perspective"]
    # the cleaned page's corners land on the sheet's corners in the photo
    h, w = out.image.shape[:2]
    back = map_points(out.transform, np.array([[0, 0], [w, 0], [w, h], [0, h]], float))
    assert np.abs(back - corners).max() < 15
    # and it is the page again, upright and flat
    assert abs(w / h - 1100 / 800) < 0.08
    assert _similar(page, out.image) > 0.8


def test_full_frame_scan_is_not_warped() -> None:
    out = clean_page(text_page(), 200, kind="pdf_scan")
    assert "page_detect" not in out.quality.steps
    assert "perspective" not in out.quality.steps


def test_transform_maps_cleaned_pixels_back_to_the_page() -> None:
    """A mark drawn on a big, turned, skewed page is found where it was drawn."""
    page = text_page(1400, 1000)
    cv2.rectangle(page, (1150, 850), (1210, 910), (0, 0, 0), -1)  # the mark
    big = cv2.resize(page, None, fx=2.5, fy=2.5, interpolation=cv2.INTER_CUBIC)
    tilted, _ = rotate_small(big, 2.0)
    turned, t_turn = rotate_quarter(tilted, 90)
    out = clean_page(turned, 300, kind="image")
    steps = out.quality.steps
    assert any(s.startswith("downscale") for s in steps), steps
    assert "rotate_270" in steps and any(s.startswith("deskew") for s in steps), steps
    # find the mark in the cleaned image: the largest solid dark square
    grey = out.image if out.image.ndim == 2 else cv2.cvtColor(out.image, cv2.COLOR_BGR2GRAY)
    _, mask = cv2.threshold(grey, 100, 255, cv2.THRESH_BINARY_INV)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((15, 15), np.uint8))
    n, _, stats, cents = cv2.connectedComponentsWithStats(mask)
    i = 1 + int(np.argmax(stats[1:, 4]))
    x, y, w, h, _ = stats[i]
    got = map_bbox(out.transform, (int(x), int(y), int(x + w), int(y + h)),
                   turned.shape[1], turned.shape[0])
    # where the mark's centre is in the handed-in image
    centre_big = np.array([[1180 * 2.5, 880 * 2.5]])
    _, t_tilt = rotate_small(big, 2.0)
    centre_tilted = map_points(np.linalg.inv(t_tilt), centre_big)
    centre_turned = map_points(np.linalg.inv(t_turn), centre_tilted)[0]
    cx, cy = (got[0] + got[2]) / 2, (got[1] + got[3]) / 2
    assert abs(cx - centre_turned[0]) < 12 and abs(cy - centre_turned[1]) < 12
    assert 100 < got[2] - got[0] < 190  # the mark is 60 px * 2.5 = 150 px


def test_resolution_is_normalised_both_ways() -> None:
    page = text_page()
    assert estimate_text_height(page) == pytest.approx(32, rel=0.3)
    tiny = cv2.resize(page, None, fx=0.4, fy=0.4, interpolation=cv2.INTER_AREA)
    up = clean_page(tiny, 120, kind="image", options=CleanOptions(orientation=False))
    assert any(s.startswith("upscale:") for s in up.quality.steps)
    assert up.image.shape[1] == pytest.approx(page.shape[1], rel=0.2)
    assert up.dpi > 120 and up.quality.dpi == 120  # boxes stay in the page's frame
    huge = cv2.resize(page, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
    down = clean_page(huge, 600, kind="pdf_scan", options=CleanOptions(orientation=False))
    assert any(s.startswith("downscale:") for s in down.quality.steps)
    assert down.image.shape[1] == pytest.approx(page.shape[1], rel=0.2)


def test_blur_score_rises_with_blur() -> None:
    page = text_page()
    sharp = blur_score(page)
    soft = blur_score(cv2.GaussianBlur(page, (0, 0), 3.0))
    mush = blur_score(cv2.GaussianBlur(page, (0, 0), 8.0))
    assert sharp < 0.1 and sharp < soft < mush and mush > 0.9


def test_grey_and_bgra_pages_are_accepted_and_bad_input_refused() -> None:
    page = text_page(700, 500)
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    assert clean_page(grey, 300, kind="image").image.ndim == 2
    bgra = cv2.cvtColor(page, cv2.COLOR_BGR2BGRA)
    assert clean_page(bgra, 300, kind="image").image.shape[2] == 3
    with pytest.raises(ValueError):
        clean_page(page, 300, kind="photo")
    with pytest.raises(ValueError):
        clean_page(page.astype(np.float32), 300, kind="image")


# --- issue 3: legibility decided on the pages that carry text, seals discounted -------

from intake.model import Document, DocType, Method, Page, Quality, Segment  # noqa: E402
from intake.preprocess.quality import NO_TEXT, document_quality, page_legibility, text_glyphs  # noqa: E402


def signature_page() -> np.ndarray:
    """A contract's last page: three lines of text, two large red seals beside them."""
    img = Image.new("RGB", (1400, 1000), "white")
    draw = ImageDraw.Draw(img)
    font = _cjk_font(32)
    for i, line in enumerate(["甲方（盖章）：广州市云端数据科技有限公司", "乙方（盖章）：深圳市某某云计算有限公司",
                              "签订日期：2018年05月02日"]):
        draw.text((70, 80 + 70 * i), line, font=font, fill="black")
    page = cv2.cvtColor(np.array(img), cv2.COLOR_RGB2BGR)
    return _stamp(_stamp(page, (400, 600), 220), (1000, 600), 220)


def near_blank_photo() -> np.ndarray:
    """A phone shot too small and shaken to read, enlarged (samplegen's illegible upload):
    seven times smaller, blurred, then blown up again."""
    page = text_page(1400, 1000, 32)
    small = cv2.resize(page, (200, 143), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), 1.6)
    return cv2.resize(small, (700, 500), interpolation=cv2.INTER_LINEAR)


def test_text_ink_is_counted_without_seal_ink() -> None:
    blank = np.full((1000, 1400, 3), 250, np.uint8)
    seal_only = _stamp(blank, (700, 500), 220)
    assert text_glyphs(blank) == 0 and text_glyphs(seal_only) < 12
    assert text_glyphs(signature_page()) >= 12 and text_glyphs(text_page()) > 100


def test_blank_and_seal_only_pages_are_marked_as_carrying_no_text() -> None:
    blank = np.full((1000, 1400, 3), 250, np.uint8)
    for img in (blank, _stamp(blank, (700, 500), 220)):
        assert NO_TEXT in clean_page(img, 300, kind="pdf_scan").quality.steps
    for img in (text_page(), signature_page()):
        assert NO_TEXT not in clean_page(img, 300, kind="pdf_scan").quality.steps


def _ocr_page(number: int, segments: list[Segment], *, steps: tuple[str, ...] = (), blur: float = 0.0,
              seal: tuple | None = None) -> Page:
    from intake.ocr.runner import legibility

    q = Quality(blur=blur, steps=list(steps))
    q.legibility, q.legible = legibility(segments, blur)  # what the OCR stage says
    return Page("contract.pdf", number, 2480, 3508, 300, segments, Method.RAPIDOCR, q, seal=seal)


def _lines(n: int, conf: float = 0.98, y0: int = 200) -> list[Segment]:
    return [Segment("本合同一式贰份，双方各执壹份，具有同等法律效力。", (200, y0 + 80 * i, 2000, y0 + 60 + 80 * i), conf)
            for i in range(n)]


def _seal_fragments(n: int, box: tuple[int, int, int, int]) -> list[Segment]:
    """Curved seal text read piecemeal: short fragments at low confidence."""
    x0, y0, x1, y1 = box
    return [Segment("司有", (x0 + 20 * i, y0 + 30 * i, x0 + 20 * i + 90, y0 + 30 * i + 70), 0.3) for i in range(n)]


def test_seal_heavy_signature_page_does_not_make_the_contract_illegible() -> None:
    seal_box = (300, 2000, 1300, 3000)
    body = [_ocr_page(1, _lines(30)), _ocr_page(2, _lines(30))]
    # the signature page: two short lines, much seal debris (inside the seal's box and beside it)
    sig = _ocr_page(3, _lines(2) + _seal_fragments(20, seal_box) + _seal_fragments(14, (1500, 2000, 2300, 3000)),
                    seal=(True, 0.95, seal_box))
    assert not sig.quality.legible  # the OCR stage's page score alone says illegible
    assert page_legibility(sig)[1]
    doc = Document("contract.pdf", body + [sig], DocType.CONTRACT, 0.99)
    assert doc.quality.legible and doc.quality.legibility >= 0.9


def test_a_blurred_page_still_makes_the_document_illegible() -> None:
    blurred = _ocr_page(2, _lines(1, conf=0.55) + [Segment("合同", (200, 900, 300, 960), 0.4)], blur=0.7)
    doc = Document("contract.pdf", [_ocr_page(1, _lines(30)), blurred], DocType.CONTRACT, 0.99)
    assert not doc.quality.legible
    # low-confidence text on a sharp page with little else is not discounted either
    faded = _ocr_page(2, [Segment("合同", (200, 900 + 70 * i, 300, 960 + 70 * i), 0.4) for i in range(20)])
    assert not Document("contract.pdf", [_ocr_page(1, _lines(30)), faded], DocType.CONTRACT, 0.99).quality.legible


def test_blank_last_page_is_left_out_but_a_blank_document_is_illegible() -> None:
    blank = _ocr_page(3, [], steps=(NO_TEXT,))
    doc = Document("contract.pdf", [_ocr_page(1, _lines(30)), _ocr_page(2, _lines(20)), blank], DocType.CONTRACT, 0.99)
    assert doc.quality.legible
    assert not Document("receipt.jpg", [blank], DocType.PAYMENT_RECEIPT, 0.5).quality.legible


def test_near_blank_photo_is_illegible() -> None:
    """The engine finds two or three "characters" on it with a high score: the OCR
    stage's score says legible, the document's says not."""
    img = near_blank_photo()
    cleaned = clean_page(img, 150, kind="image")
    few = [Segment("==", (100, 100, 160, 130), 0.91), Segment("二1", (300, 200, 360, 230), 0.88)]
    page = Page("receipt.jpg", 1, img.shape[1], img.shape[0], 150, few, Method.RAPIDOCR, cleaned.quality)
    from intake.ocr.runner import legibility

    page.quality.legibility, page.quality.legible = legibility(few, cleaned.quality.blur)
    assert page.quality.legible  # before: legible
    doc = Document("receipt.jpg", [page], DocType.PAYMENT_RECEIPT, 0.5)
    assert not doc.quality.legible and doc.quality.legibility < 0.6


def test_text_layer_document_quality_is_unchanged() -> None:
    q = Quality(steps=["text_layer"])
    p = Page("c.pdf", 1, 2480, 3508, 300, _lines(3), Method.TEXT_LAYER, q)
    doc = Document("c.pdf", [p], DocType.CONTRACT, 0.99)
    assert doc.quality.legible and doc.quality.legibility == 1.0 and doc.quality.steps == ["text_layer"]

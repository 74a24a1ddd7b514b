"""Red seal detection on synthetic page images."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.extra import numpy as hnp

from extractors.seal import detect_seal

RED = (30, 30, 215)  # BGR seal ink
H, W = 1754, 1240  # A4 at 150 dpi


def page(*, colour_logo: bool = True) -> np.ndarray:
    """A white page of black text lines (and a small blue logo, as colour scans have)."""
    img = np.full((H, W, 3), 255, np.uint8)
    for i in range(24):
        cv2.putText(img, "Lorem ipsum dolor sit amet, consectetur", (80, 120 + i * 60),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.1, (25, 25, 25), 2)
    if colour_logo:
        cv2.rectangle(img, (80, 30), (200, 80), (200, 120, 20), -1)
    return img


def stamp(img: np.ndarray, centre: tuple[int, int] = (900, 1400), r: int = 170,
          colour: tuple[int, int, int] = RED) -> np.ndarray:
    """A company seal: a ring, text bent along the top inside it, a star."""
    cx, cy = centre
    cv2.circle(img, centre, r, colour, max(4, r // 16))
    for a in range(200, 345, 18):
        x = int(cx + 0.72 * r * np.cos(np.radians(a)))
        y = int(cy + 0.72 * r * np.sin(np.radians(a)))
        cv2.putText(img, "A", (x - 12, y + 12), cv2.FONT_HERSHEY_SIMPLEX, r / 140, colour, 3)
    star = np.array([[cx + int(0.28 * r * np.cos(np.radians(-90 + 144 * k))),
                      cy + int(0.28 * r * np.sin(np.radians(-90 + 144 * k)))] for k in range(5)])
    cv2.fillPoly(img, [star], colour)
    return img


def inside(box: tuple[int, int, int, int], centre: tuple[int, int], r: int, tol: int = 30) -> bool:
    cx, cy = centre
    return (abs(box[0] - (cx - r)) <= tol and abs(box[1] - (cy - r)) <= tol
            and abs(box[2] - (cx + r)) <= tol and abs(box[3] - (cy + r)) <= tol)


def test_red_seal_is_found_with_its_box() -> None:
    found, conf, box = detect_seal(stamp(page()))
    assert found and conf >= 0.9
    assert box is not None and inside(box, (900, 1400), 170)


def test_seal_over_text_and_blurred_scan() -> None:
    img = cv2.GaussianBlur(stamp(page(), centre=(400, 500)), (7, 7), 2)
    found, conf, box = detect_seal(img)
    assert found and conf >= 0.8
    assert box is not None and inside(box, (400, 500), 170)


def test_box_is_in_input_pixels_for_large_images() -> None:
    big = cv2.resize(stamp(page()), (W * 3, H * 3), interpolation=cv2.INTER_NEAREST)
    found, _, box = detect_seal(big)
    assert found and box is not None and inside(box, (2700, 4200), 510, tol=60)


def test_page_without_seal() -> None:
    found, conf, box = detect_seal(page())
    assert not found and box is None
    assert 0.5 <= conf <= 0.8  # "no" is never said very confidently: seals fade


@pytest.mark.parametrize("draw", [
    lambda im: cv2.rectangle(im, (60, 20), (1180, 70), RED, -1),  # a red letterhead banner
    lambda im: cv2.putText(im, "RED HEADING", (100, 1600), cv2.FONT_HERSHEY_SIMPLEX, 3, RED, 6),
    lambda im: cv2.circle(im, (600, 900), 150, RED, -1),  # a solid red disc (a logo)
    lambda im: cv2.line(im, (100, 1000), (1100, 1010), RED, 3),  # a red underline
])
def test_red_things_that_are_not_seals(draw) -> None:
    img = page()
    draw(img)
    found, conf, box = detect_seal(img)
    assert not found and box is None and conf <= 0.8


def test_grey_copy_of_a_seal_is_found_unconfidently() -> None:
    grey = cv2.cvtColor(stamp(page(colour_logo=False), colour=(90, 90, 90)), cv2.COLOR_BGR2GRAY)
    found, conf, box = detect_seal(grey)
    assert found and conf < 0.9 and box is not None


def test_grey_page_without_seal() -> None:
    found, conf, _ = detect_seal(cv2.cvtColor(page(colour_logo=False), cv2.COLOR_BGR2GRAY))
    assert not found and conf <= 0.6


def test_bgra_and_float_images() -> None:
    img = stamp(page())
    assert detect_seal(cv2.cvtColor(img, cv2.COLOR_BGR2BGRA))[0]
    assert detect_seal(img.astype(np.float32))[0]


@pytest.mark.parametrize("arr", [
    np.zeros((0, 0, 3), np.uint8),
    np.zeros((3, 3, 3), np.uint8),
    np.zeros((50, 50, 2), np.uint8),
    np.full((40, 40, 3), np.nan, np.float64),
    np.zeros((10,), np.uint8),
])
def test_odd_arrays_are_answered_not_raised(arr: np.ndarray) -> None:
    found, conf, box = detect_seal(arr)
    assert found is False and 0.0 <= conf <= 1.0 and box is None


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=120)))
def test_random_images_never_raise(arr: np.ndarray) -> None:
    found, conf, box = detect_seal(arr)
    assert isinstance(found, bool) and 0.0 <= conf <= 1.0
    assert (box is None) == (not found)

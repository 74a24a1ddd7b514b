"""Small image helpers shared by the clean-up steps.

Every geometric step returns the image it made and a 3x3 matrix that maps a point of
its *output* image back to its *input* image (homogeneous pixel-edge coordinates:
``(0, 0)`` is the top-left corner of the first pixel). Chaining steps is then a
matrix product in step order: ``T = T_first @ T_second @ ...``.
"""

from __future__ import annotations

import cv2
import numpy as np

def to_grey(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """Dark-on-light foreground (255 = ink) by local thresholding.

    A local threshold copes with the uneven light of phone photos, where one global
    threshold blackens the dark corner and loses the pale one.
    """
    block = max(15, (min(grey.shape[:2]) // 40) | 1)
    return cv2.adaptiveThreshold(
        grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15
    )


def shrink_to(image: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """Downscale so the long side is at most ``max_side``; returns (image, factor)."""
    h, w = image.shape[:2]
    f = min(1.0, max_side / max(h, w))
    if f >= 1.0:
        return image, 1.0
    size = (max(1, round(w * f)), max(1, round(h * f)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), f


def scale_matrix(f: float) -> np.ndarray:
    """Output -> input matrix of a resize by factor ``f`` (output = input * f)."""
    return np.array([[1 / f, 0, 0], [0, 1 / f, 0], [0, 0, 1]], dtype=np.float64)


def rotate_quarter(image: np.ndarray, degrees_cw: int) -> tuple[np.ndarray, np.ndarray]:
    """Rotate by a multiple of 90 degrees clockwise; returns (image, output->input)."""
    h, w = image.shape[:2]
    d = degrees_cw % 360
    if d == 0:
        return image, np.eye(3)
    if d == 90:
        # output (x, y) shows input (y, h - x)
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE), np.array(
            [[0, 1, 0], [-1, 0, h], [0, 0, 1]], dtype=np.float64
        )
    if d == 180:
        return cv2.rotate(image, cv2.ROTATE_180), np.array(
            [[-1, 0, w], [0, -1, h], [0, 0, 1]], dtype=np.float64
        )
    if d == 270:
        return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE), np.array(
            [[0, -1, w], [1, 0, 0], [0, 0, 1]], dtype=np.float64
        )
    raise ValueError(f"not a quarter turn: {degrees_cw}")


def rotate_small(image: np.ndarray, degrees_ccw: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate counter-clockwise by a small angle about the centre, growing the canvas
    so no corner is cut. The new corners repeat the page's edge: pure white corners
    on a grey photo would drag Tesseract's global (Otsu) threshold above the paper
    and blacken the whole page (measured: 0 of 20 fields read on an invoice photo).
    Returns (image, output->input)."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees_ccw, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    out = cv2.warpAffine(
        image, m, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    fwd = np.vstack([m, [0, 0, 1]])
    return out, np.linalg.inv(fwd)


def map_points(matrix: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Apply a 3x3 homography to an (N, 2) array of points."""
    p = np.hstack([pts.astype(np.float64), np.ones((len(pts), 1))]) @ matrix.T
    return p[:, :2] / p[:, 2:3]


def map_bbox(
    matrix: np.ndarray, bbox: tuple[int, int, int, int], width: int, height: int
) -> tuple[int, int, int, int]:
    """Map an axis-aligned box through ``matrix``; the result is the axis-aligned box
    around its four mapped corners, clipped to a ``width`` x ``height`` image."""
    x0, y0, x1, y1 = bbox
    pts = map_points(matrix, np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]))
    nx0, ny0 = np.floor(pts.min(axis=0)).astype(int)
    nx1, ny1 = np.ceil(pts.max(axis=0)).astype(int)
    nx0, nx1 = sorted((int(np.clip(nx0, 0, width)), int(np.clip(nx1, 0, width))))
    ny0, ny1 = sorted((int(np.clip(ny0, 0, height)), int(np.clip(ny1, 0, height))))
    return (nx0, ny0, nx1, ny1)

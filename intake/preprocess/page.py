"""Find the sheet of paper in a phone photo and flatten it.

Paper is bright and colourless; tables, hands and wood are darker or coloured. We
segment on that, take the largest region and fit a quadrilateral to it. The warp is
applied only when every check passes: a scan that fills the frame, a sheet running
off the edge of the photo or a region that is not four-sided is left alone, because
a wrong warp destroys a page that OCR could have read as it was.
"""

from __future__ import annotations

import cv2
import numpy as np

from intake.preprocess.imageops import shrink_to

WORK_SIDE = 800  # detection resolution: page edges need no more
MIN_AREA = 0.20  # of the frame: smaller is a detail, not the page
MAX_AREA = 0.92  # larger is a scan (or a photo that is all page): nothing to crop
BORDER_MARGIN = 0.01  # a corner this close to the frame edge means a clipped sheet
MIN_FILL = 0.90  # region area / quadrilateral area
MIN_SEPARATION = 25.0  # paper score inside minus outside (0..255 scale)


def _paper_score(bgr_small: np.ndarray) -> np.ndarray:
    """High on white/grey paper, low on dark or saturated background."""
    if bgr_small.ndim == 2:
        return bgr_small.astype(np.float32)
    hsv = cv2.cvtColor(bgr_small, cv2.COLOR_BGR2HSV)
    v, s = hsv[..., 2].astype(np.float32), hsv[..., 1].astype(np.float32)
    return v - s


def _order_corners(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # clockwise from the left in image coordinates
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0).astype(np.float32)


def _quad_from_contour(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    peri = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.04, 0.05):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    return None


def _angles_ok(q: np.ndarray) -> bool:
    """Interior angles 55..125 degrees: a sheet under moderate perspective."""
    for i in range(4):
        a, b, c = q[i - 1], q[i], q[(i + 1) % 4]
        v1, v2 = a - b, c - b
        cos = float(v1 @ v2 / (np.linalg.norm(v1) * np.linalg.norm(v2) + 1e-9))
        if not 55 <= np.degrees(np.arccos(np.clip(cos, -1, 1))) <= 125:
            return False
    return True


def find_page(image: np.ndarray) -> np.ndarray | None:
    """The page's corners (tl, tr, br, bl) in ``image`` pixels, or None when no
    sheet is found with confidence."""
    small, f = shrink_to(image, WORK_SIDE)
    score = cv2.GaussianBlur(_paper_score(small), (5, 5), 0)
    s8 = cv2.normalize(score, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    _, mask = cv2.threshold(s8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, k)  # fill text and lines
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, k)  # cut thin bridges to clutter
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    h, w = small.shape[:2]
    frame = float(h * w)
    region = cv2.contourArea(contour)
    quad = _quad_from_contour(contour)
    if quad is None or not MIN_AREA <= region / frame <= MAX_AREA:
        return None
    quad = _order_corners(quad)
    qarea = cv2.contourArea(quad)
    mx, my = BORDER_MARGIN * w, BORDER_MARGIN * h
    on_border = (
        (quad[:, 0] <= mx) | (quad[:, 0] >= w - 1 - mx)
        | (quad[:, 1] <= my) | (quad[:, 1] >= h - 1 - my)
    )
    if on_border.any() or region / max(qarea, 1.0) < MIN_FILL or not _angles_ok(quad):
        return None
    inside = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    sep = float(score[inside > 0].mean() - score[inside == 0].mean())
    if sep < MIN_SEPARATION:
        return None
    return quad / f


def warp_page(image: np.ndarray, corners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flatten the quadrilateral to a rectangle; returns (image, output->input 3x3).

    The rectangle takes the longer of each pair of opposite sides, so no text is
    squeezed.
    """
    tl, tr, br, bl = corners.astype(np.float32)
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    dst = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    fwd = cv2.getPerspectiveTransform(corners.astype(np.float32), dst)
    out = cv2.warpPerspective(
        image, fwd, (width, height), flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return out, np.linalg.inv(fwd)


def crop_or_warp(
    image: np.ndarray, corners: np.ndarray
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Crop when the sheet is an upright rectangle (within 1 % of its size), else
    flatten it; returns (image, output->input 3x3, warped?). A crop does not
    resample, so it keeps every bit of sharpness."""
    x0, y0 = np.floor(corners.min(axis=0)).astype(int)
    x1, y1 = np.ceil(corners.max(axis=0)).astype(int)
    rect = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
    tol = 0.01 * max(x1 - x0, y1 - y0)
    if np.abs(corners - rect).max() > tol:
        out, m = warp_page(image, corners)
        return out, m, True
    h, w = image.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    m = np.array([[1, 0, x0], [0, 1, y0], [0, 0, 1]], dtype=np.float64)
    return image[y0:y1, x0:x1].copy(), m, False

"""Geometry over a page's text segments: rows, labels, and the values beside them.

Extractors never look at raw segment lists. They build a :class:`Layout` for a page
and ask it questions:

* ``layout.find(aliases)`` -- where is a label? Fuzzy (a few OCR edits on long
  labels), tolerant of labels spaced out (``名    称``), split over segments
  (``名`` | ``称：``) or glued to their value (``名称：深圳市某某有限公司``).
* ``layout.value_right(hit)`` / ``layout.value_below(hit)`` -- the text after a label
  on its row (inside the same segment and/or the next segments, stopping at a wide
  gap or at another label) or under it.
* ``layout.within(box)`` -- the same questions inside one region, e.g. the buyer
  block vs the seller block of an invoice.
* ``layout.search(regex)`` -- a pattern anywhere (a credit code, a date).

Every answer is a :class:`Span`: the text plus the segment pieces it came from, so
the field builder can report a box (``Segment.sub_bbox`` for part of a segment) and
the OCR confidence of exactly the characters used.

How rows are made: segments are grouped by vertical overlap with their horizontal
neighbour (not with the row's first member), so a slightly skewed photo still
yields one row per printed line. Tall narrow segments (vertical headers such as
``购买方`` printed top to bottom) stay out of the rows and are found with
:meth:`Layout.find_vertical`.

Matching happens on a *key* per character: simplified script, half-width, Chinese
punctuation folded to ASCII, whitespace dropped. Keys map 1:1 back to characters
of the segments, which is what lets a match become a box.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median

from extractors.normalize.text import fold_width, to_simplified
from intake.model import BBox, Page, Segment, union_bbox

__all__ = [
    "Piece",
    "Span",
    "Row",
    "LabelHit",
    "Layout",
    "key_of",
    "group_rows",
    "assign_sides",
]

# Chinese punctuation that acts as a separator; folded to ASCII in keys so label
# aliases need one spelling only.
_PUNCT_FOLD = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";", "。": "."})
# Characters skipped between a label and its value.
_VALUE_LEAD = " :;,.、-_|'\"·•*"


@lru_cache(maxsize=8192)
def _key_char(ch: str) -> str:
    """The matching key of one character ('' for whitespace)."""
    if ch.isspace() or ch in "\u200b\u200c\u200d\u2060\ufeff":
        return ""
    k = fold_width(to_simplified(ch)).translate(_PUNCT_FOLD)
    # OpenCC maps one character to one character in all but pathological cases;
    # keep the mapping 1:1 regardless so offsets stay valid.
    return k[:1] if k else ch


def key_of(text: str) -> str:
    """The matching key of a string: simplified, half-width, no whitespace."""
    return "".join(_key_char(c) for c in text)


# --------------------------------------------------------------------------- spans


@dataclass(frozen=True)
class Piece:
    """``segment.text[start:end]``."""

    segment: Segment
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.segment.text[self.start : self.end]

    @property
    def bbox(self) -> BBox:
        if self.start == 0 and self.end >= len(self.segment.text):
            return self.segment.bbox
        return self.segment.sub_bbox(self.start, self.end)


@dataclass(frozen=True)
class Span:
    """Text taken from one or more segments, with where it came from."""

    pieces: tuple[Piece, ...]
    page: int = 1

    @property
    def text(self) -> str:
        """The characters as printed, pieces joined (a space where segments were
        visibly apart, so ``2019 07 20`` stays readable)."""
        out: list[str] = []
        prev: Piece | None = None
        for p in self.pieces:
            if prev is not None and prev.segment is not p.segment:
                gap = p.segment.bbox[0] - prev.segment.bbox[2]
                h = _height(p.segment)
                if gap > 0.4 * h:
                    out.append(" ")
            out.append(p.text)
            prev = p
        return "".join(out).strip()

    @property
    def key(self) -> str:
        return key_of("".join(p.text for p in self.pieces))

    @property
    def bbox(self) -> BBox:
        return union_bbox([p.bbox for p in self.pieces])

    @property
    def confidence(self) -> float:
        """The weakest segment used: one misread character spoils a value."""
        return min((p.segment.confidence for p in self.pieces), default=0.0)

    @property
    def segments(self) -> list[Segment]:
        seen: list[Segment] = []
        for p in self.pieces:
            if not any(s is p.segment for s in seen):
                seen.append(p.segment)
        return seen

    def __bool__(self) -> bool:
        return any(p.end > p.start for p in self.pieces)

    def sub(self, start: int, end: int) -> Span:
        """The span of ``self.text_nospace[start:end]``, i.e. offsets counted over the
        concatenated piece texts (no joining spaces)."""
        pieces: list[Piece] = []
        pos = 0
        for p in self.pieces:
            n = p.end - p.start
            a, b = max(start, pos), min(end, pos + n)
            if a < b:
                pieces.append(Piece(p.segment, p.start + a - pos, p.start + b - pos))
            pos += n
        return Span(tuple(pieces), self.page)

    @property
    def joined(self) -> str:
        """Piece texts concatenated without separators (offsets for :meth:`sub`)."""
        return "".join(p.text for p in self.pieces)

    def plus(self, other: Span) -> Span:
        return Span(self.pieces + other.pieces, self.page)


def _height(seg: Segment) -> int:
    return max(1, seg.bbox[3] - seg.bbox[1])


def _width(seg: Segment) -> int:
    return max(1, seg.bbox[2] - seg.bbox[0])


def _is_vertical(seg: Segment, line_h: float) -> bool:
    """A column of characters printed top to bottom (e.g. ``购买方``)."""
    n = len(seg.text.strip())
    return n >= 2 and _height(seg) > 1.8 * _width(seg) and _height(seg) > 1.6 * line_h


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    """Segments on one printed line, left to right, with a per-character key."""

    segments: list[Segment]
    # per key character: (segment index in ``segments``, char index in segment.text)
    _map: list[tuple[int, int]] = field(default_factory=list, repr=False)
    key: str = ""

    def __post_init__(self) -> None:
        self.segments.sort(key=lambda s: s.bbox[0])
        keys: list[str] = []
        for si, seg in enumerate(self.segments):
            for ci, ch in enumerate(seg.text):
                k = _key_char(ch)
                if k:
                    keys.append(k)
                    self._map.append((si, ci))
        self.key = "".join(keys)

    @property
    def bbox(self) -> BBox:
        return union_bbox([s.bbox for s in self.segments])

    @property
    def height(self) -> float:
        return float(median(_height(s) for s in self.segments))

    @property
    def y_center(self) -> float:
        b = self.bbox
        return (b[1] + b[3]) / 2

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    def span(self, kstart: int, kend: int, page: int = 1) -> Span:
        """The span covering key characters ``[kstart, kend)``."""
        pieces: list[Piece] = []
        if kstart >= kend:
            return Span((), page)
        by_seg: dict[int, list[int]] = {}
        for si, ci in self._map[kstart:kend]:
            by_seg.setdefault(si, []).append(ci)
        for si in sorted(by_seg):
            cis = by_seg[si]
            pieces.append(Piece(self.segments[si], min(cis), max(cis) + 1))
        return Span(tuple(pieces), page)

    def seg_of(self, kpos: int) -> int:
        return self._map[kpos][0]


def _v_overlap(a: BBox, b: BBox) -> float:
    """Vertical overlap as a share of the shorter box."""
    inter = min(a[3], b[3]) - max(a[1], b[1])
    shorter = max(1, min(a[3] - a[1], b[3] - b[1]))
    return inter / shorter


def estimate_slope(segments: Sequence[Segment]) -> float:
    """The page's text-line slope (dy/dx), from neighbours on the same line.

    Each segment is paired with its nearest right-hand neighbour that overlaps it
    vertically by most of its height; the median slope of the pairs' centres is
    robust against the odd mis-pairing. 0 when there is too little to tell."""
    slopes: list[float] = []
    for a in segments:
        ha = _height(a)
        best: Segment | None = None
        for b in segments:
            if b is a or b.bbox[0] < a.bbox[2] - 0.2 * ha:
                continue
            if b.bbox[0] - a.bbox[2] > 4 * ha or _v_overlap(a.bbox, b.bbox) < 0.6:
                continue
            if abs(_height(b) - ha) > 0.4 * ha:
                continue
            if best is None or b.bbox[0] < best.bbox[0]:
                best = b
        if best is not None:
            dx = (best.bbox[0] + best.bbox[2] - a.bbox[0] - a.bbox[2]) / 2
            dy = (best.bbox[1] + best.bbox[3] - a.bbox[1] - a.bbox[3]) / 2
            if dx > 0:
                slopes.append(dy / dx)
    if len(slopes) < 5:
        return 0.0
    s = float(median(slopes))
    return s if abs(s) < 0.2 else 0.0


def group_rows(segments: Sequence[Segment], min_overlap: float = 0.45) -> tuple[list[Row], list[Segment]]:
    """Group segments into rows; returns (rows top to bottom, vertical segments).

    Boxes are first levelled by the page's line slope (a photo taken at a slight
    angle), then a segment joins the row whose member nearest to it horizontally
    overlaps it vertically by ``min_overlap`` of the shorter height; among several
    such rows, the one with the nearest member wins. Comparing with the nearest
    member (not the row's first one) keeps a curved line together.
    """
    segs = [s for s in segments if s.text and s.text.strip()]
    if not segs:
        return [], []
    line_h = float(median(_height(s) for s in segs))
    verticals = [s for s in segs if _is_vertical(s, line_h)]
    flat = [s for s in segs if not any(s is v for v in verticals)]
    slope = estimate_slope(flat) if len(flat) < 1500 else 0.0

    def level(seg: Segment) -> BBox:
        cx = (seg.bbox[0] + seg.bbox[2]) / 2
        d = int(round(slope * cx))
        return (seg.bbox[0], seg.bbox[1] - d, seg.bbox[2], seg.bbox[3] - d)

    boxes = {id(s): level(s) for s in flat}
    flat.sort(key=lambda s: ((boxes[id(s)][1] + boxes[id(s)][3]) / 2, s.bbox[0]))
    rows: list[list[Segment]] = []
    for seg in flat:
        box = boxes[id(seg)]
        best: list[Segment] | None = None
        best_key: tuple[float, float] | None = None
        for row in rows[-12:]:  # only recent rows can still be level with this one
            nearest = min(row, key=lambda r: _x_distance(boxes[id(r)], box))
            nb = boxes[id(nearest)]
            if _x_overlap(nb, box) > 0.5:
                continue  # stacked above/below, not beside
            ov = _v_overlap(nb, box)
            if ov < min_overlap:
                continue
            key = (_x_distance(nb, box) / max(1.0, line_h) // 2, -ov)
            if best_key is None or key < best_key:
                best, best_key = row, key
        if best is None:
            rows.append([seg])
        else:
            best.append(seg)
    out = [Row(list(r)) for r in rows]
    out.sort(key=lambda r: sum((boxes[id(s)][1] + boxes[id(s)][3]) / 2 for s in r.segments) / len(r.segments))
    return out, verticals


def _x_distance(a: BBox, b: BBox) -> int:
    return max(0, max(a[0], b[0]) - min(a[2], b[2]))


def _x_overlap(a: BBox, b: BBox) -> float:
    inter = min(a[2], b[2]) - max(a[0], b[0])
    narrower = max(1, min(a[2] - a[0], b[2] - b[0]))
    return inter / narrower


# --------------------------------------------------------------------------- fuzzy


def _allowed_edits(n: int) -> int:
    """Edits tolerated in a label of ``n`` key characters. Short labels must match
    exactly (two-character labels are everywhere in ordinary text); their usual
    OCR manglings are listed as aliases instead."""
    if n <= 3:
        return 0
    if n <= 6:
        return 1
    return 2


def approx_find(needle: str, hay: str, max_edits: int) -> list[tuple[int, int, int]]:
    """All non-overlapping best occurrences of ``needle`` in ``hay`` with at most
    ``max_edits`` edits: (start, end, edits), left to right (Sellers' algorithm)."""
    if not needle or not hay:
        return []
    if max_edits == 0:
        out = []
        i = hay.find(needle)
        while i >= 0:
            out.append((i, i + len(needle), 0))
            i = hay.find(needle, i + len(needle))
        return out
    m = len(needle)
    # prev[j] = (cost, start) of the best alignment of needle[:i] ending at hay[:j]
    prev = [(0, j) for j in range(len(hay) + 1)]
    for i in range(1, m + 1):
        cur = [(i, 0)]
        for j in range(1, len(hay) + 1):
            sub = prev[j - 1][0] + (needle[i - 1] != hay[j - 1])
            dele = prev[j][0] + 1
            ins = cur[j - 1][0] + 1
            best = min(sub, dele, ins)
            if best == sub:
                cur.append((sub, prev[j - 1][1]))
            elif best == dele:
                cur.append((dele, prev[j][1]))
            else:
                cur.append((ins, cur[j - 1][1]))
        prev = cur
    cands = [
        (cost, abs((j - start) - m), start, j)
        for j, (cost, start) in enumerate(prev)
        if j > 0 and cost <= max_edits and j - start >= max(1, m - max_edits)
    ]
    cands.sort()
    out: list[tuple[int, int, int]] = []
    for cost, _, start, end in cands:
        if any(start < e and s < end for s, e, _ in out):
            continue
        out.append((start, end, cost))
    out.sort()
    return out


# --------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class LabelHit:
    """A label found on a row: key offsets ``[start, end)`` in ``row.key``."""

    row: Row
    row_index: int
    start: int
    end: int
    alias: str
    edits: int
    span: Span

    @property
    def bbox(self) -> BBox:
        return self.span.bbox

    @property
    def exact(self) -> bool:
        return self.edits == 0


class Layout:
    """Rows and lookups over one page's segments (or a region of them)."""

    def __init__(self, segments: Sequence[Segment], page: int = 1, width: int = 0, height: int = 0):
        self.segments = list(segments)
        self.page = page
        self.rows, self.verticals = group_rows(self.segments)
        boxes = [s.bbox for s in self.segments]
        self.width = width or (max((b[2] for b in boxes), default=0))
        self.height = height or (max((b[3] for b in boxes), default=0))
        self.line_height = float(median(_height(s) for s in self.segments)) if self.segments else 1.0

    @classmethod
    def of(cls, page: Page) -> Layout:
        return cls(page.segments, page.number, page.width, page.height)

    # ---- regions

    def within(self, box: BBox, min_share: float = 0.5) -> Layout:
        """A layout of the segments lying (mostly) inside ``box``. Segments that
        straddle the edge are cut to the characters inside when that is most."""
        x0, y0, x1, y1 = box
        keep: list[Segment] = []
        for s in self.segments:
            cy = (s.bbox[1] + s.bbox[3]) / 2
            if not (y0 <= cy <= y1):
                continue
            sx0, sx1 = s.bbox[0], s.bbox[2]
            inside = min(sx1, x1) - max(sx0, x0)
            if inside <= 0:
                continue
            if inside >= (sx1 - sx0) * 0.98:
                keep.append(s)
            elif inside >= (sx1 - sx0) * min_share or len(s.text) > 6:
                keep.append(_clip_segment(s, x0, x1))
        out = Layout(keep, self.page, self.width, self.height)
        out.line_height = self.line_height
        return out

    # ---- labels

    def find(
        self,
        aliases: Iterable[str],
        *,
        fuzzy: bool = True,
        first_in_row: bool = False,
    ) -> list[LabelHit]:
        """Every place one of ``aliases`` occurs: exact matches top to bottom, left
        to right, then fuzzy ones in the same order.

        Longer aliases are tried first and claim their characters, so ``价税合计(大写)``
        wins over ``合计`` on the same text. ``first_in_row`` keeps hits that start a
        row's text only (a label, not a word inside a value).
        """
        alias_keys = sorted({key_of(a) for a in aliases if a}, key=len, reverse=True)
        hits: list[LabelHit] = []
        passes = [(ak, 0) for ak in alias_keys]
        if fuzzy:
            passes += [(ak, _allowed_edits(len(ak))) for ak in alias_keys if _allowed_edits(len(ak))]
        for ri, row in enumerate(self.rows):
            taken: list[tuple[int, int]] = []
            # exact matches of every alias first, then fuzzy ones on what is left
            for ak, edits in passes:
                for s, e, d in approx_find(ak, row.key, edits):
                    if any(s < te and ts < e for ts, te in taken):
                        continue
                    if first_in_row and s > 1:
                        continue
                    taken.append((s, e))
                    hits.append(LabelHit(row, ri, s, e, ak, d, row.span(s, e, self.page)))
        # exact hits first (a fuzzy one is a fallback: ``云服务券`` is one edit from
        # ``云服务商``), each group top to bottom, left to right
        hits.sort(key=lambda h: (h.edits > 0, h.row_index, h.start))
        return hits

    def find_one(self, aliases: Iterable[str], **kw) -> LabelHit | None:
        hits = self.find(aliases, **kw)
        if not hits:
            return None
        # an exact hit beats a fuzzy one; then the first on the page
        return min(hits, key=lambda h: (h.edits, h.row_index, h.start))

    # ---- values

    def value_right(
        self,
        hit: LabelHit,
        *,
        stop: Sequence[str] = (),
        max_gap: float = 2.5,
        max_label_gap: float = 25.0,
    ) -> Span:
        """The text after a label on its row.

        Starts right after the label's characters (inside the same segment when the
        value is glued on), skips ``:`` and the like, and runs over the following
        segments until a gap wider than ``max_gap`` line heights or a stop label.
        The first value segment may sit up to ``max_label_gap`` heights away (a
        label column and a value column).
        """
        row = hit.row
        key = row.key
        k = hit.end
        label_end = hit.end
        # a unit in brackets closing the label's cell (``合同金额（万元）``) is part of
        # the label, not the value
        close = key.find(")", k, k + 9)
        if k < len(key) and key[k] == "(" and close > 0 and (
            close + 1 >= len(key) or row.seg_of(close + 1) != row.seg_of(close)
        ):
            k = label_end = close + 1
        while k < len(key) and key[k] in _VALUE_LEAD:
            k += 1
        if k >= len(key):
            return Span((), self.page)
        h = row.height
        label_seg = row.seg_of(label_end - 1)
        first_seg = row.seg_of(k)
        if first_seg != label_seg:
            gap = row.segments[first_seg].bbox[0] - row.segments[label_seg].bbox[2]
            if gap > max_label_gap * h:
                return Span((), self.page)
        end = k
        cur_seg = first_seg
        stop_keys = [key_of(s) for s in stop if s]
        if any(key.startswith(sk, k) for sk in stop_keys):
            return Span((), self.page)  # the next label follows at once: no value
        while end < len(key):
            si = row.seg_of(end)
            if si != cur_seg:
                gap = row.segments[si].bbox[0] - row.segments[cur_seg].bbox[2]
                if gap > max_gap * h:
                    break
                cur_seg = si
            if end > k and any(key.startswith(sk, end) for sk in stop_keys):
                break
            end += 1
        return row.span(k, end, self.page)

    def value_near(self, hit: LabelHit, *, stop: Sequence[str]) -> Span:
        """The value after a label on its row, else the line just below it when
        that line is not itself another label (forms print both ways)."""
        span = self.value_right(hit, stop=stop, max_gap=2.0)
        if not span:
            below = self.value_below(hit, max_dist=1.6)
            if below and not any(below.key.startswith(key_of(a)) for a in stop):
                span = below
        return span

    def value_below(
        self,
        hit: LabelHit | BBox,
        *,
        max_rows: int = 1,
        max_dist: float = 2.5,
        max_gap: float = 2.5,
        slack: float = 1.0,
    ) -> Span:
        """The text under a label (or box): the nearest row below, within
        ``max_dist`` line heights, taking the segments that overlap the label's
        columns (widened by ``slack`` label widths to the right) and their
        close neighbours."""
        box = hit.bbox if isinstance(hit, LabelHit) else hit
        x0, y0, x1, y1 = box
        w = x1 - x0
        lo, hi = x0 - 0.3 * w, x1 + slack * w
        h = max(1.0, float(y1 - y0))
        out: Span | None = None
        taken = 0
        own = hit.row if isinstance(hit, LabelHit) else None
        for row in self.rows:
            rb = row.bbox
            if row is own:
                continue  # the label's own row: a tall neighbour (a title) can put its centre below the label
            if row.y_center <= y1 or rb[1] - y1 > max_dist * max(h, self.line_height) * (taken + 1):
                continue
            idx = [i for i, s in enumerate(row.segments) if s.bbox[2] > lo and s.bbox[0] < hi]
            if not idx:
                continue
            first, last = idx[0], idx[0]
            while last + 1 < len(row.segments):
                gap = row.segments[last + 1].bbox[0] - row.segments[last].bbox[2]
                if gap > max_gap * row.height:
                    break
                last += 1
            pieces = tuple(Piece(s, 0, len(s.text)) for s in row.segments[first : last + 1])
            sp = Span(pieces, self.page)
            out = sp if out is None else out.plus(sp)
            taken += 1
            y1 = rb[3]
            if taken >= max_rows:
                break
        return out or Span((), self.page)

    def continuation(self, value: Span, *, stop: Sequence[str] = (), max_rows: int = 2) -> Span:
        """Rows below ``value`` that continue it (a long address or name wrapped
        onto the next line): left-aligned with the value, close below, and not
        starting with a label from ``stop``."""
        if not value:
            return value
        x0, _, x1, y1 = value.bbox
        out = value
        h = self.line_height
        stop_keys = [key_of(s) for s in stop if s]
        for row in self.rows:
            if max_rows <= 0:
                break
            rb = row.bbox
            if rb[1] < y1 - 0.3 * h:
                continue
            if rb[1] - y1 > 0.9 * h:
                break
            segs = [s for s in row.segments if abs(s.bbox[0] - x0) < 1.5 * h and s.bbox[0] < x1]
            if not segs:
                break
            seg = segs[0]
            # a label at or left of the value's column starts a new field
            if any(
                s.bbox[0] <= x0 + 1.5 * h and any(k and key_of(s.text).startswith(k) for k in stop_keys)
                for s in row.segments
            ):
                break
            out = out.plus(Span((Piece(seg, 0, len(seg.text)),), self.page))
            y1 = seg.bbox[3]
            max_rows -= 1
        return out

    # ---- patterns

    def search(self, pattern: str | re.Pattern[str]) -> list[tuple[re.Match[str], Span]]:
        """Matches of ``pattern`` over each row's key (simplified, half-width, no
        whitespace), with the span of the matched characters."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        out: list[tuple[re.Match[str], Span]] = []
        for row in self.rows:
            for m in rx.finditer(row.key):
                if m.end() > m.start():
                    out.append((m, row.span(m.start(), m.end(), self.page)))
        for seg in self.verticals:
            k = key_of(seg.text)
            for m in rx.finditer(k):
                if m.end() > m.start():
                    out.append((m, _span_of_key(seg, m.start(), m.end(), self.page)))
        return out

    def rows_between(self, y0: float, y1: float) -> list[Row]:
        return [r for r in self.rows if y0 <= r.y_center <= y1]

    # ---- vertical headers

    def find_vertical(self, word: str) -> BBox | None:
        """Where ``word`` is printed top to bottom: inside a tall segment, or as
        single characters stacked in a column (one segment each, as text layers and
        some OCR give them), or (failing both) written across on one row."""
        wk = key_of(word)
        for seg in self.verticals:
            k = key_of(seg.text)
            i = k.find(wk)
            if i >= 0:
                return seg.bbox
        singles = [s for s in self.segments if len(key_of(s.text)) == 1]
        for s in singles:
            if key_of(s.text) != wk[0]:
                continue
            chain = [s]
            for ch in wk[1:]:
                last = chain[-1]
                lh = _height(last)
                nxt = [
                    t
                    for t in singles
                    if key_of(t.text) == ch
                    and t.bbox[1] > last.bbox[1] + 0.3 * lh
                    and t.bbox[1] - last.bbox[3] < 4.0 * lh
                    and _x_overlap(t.bbox, last.bbox) > 0.3
                ]
                if not nxt:
                    break
                chain.append(min(nxt, key=lambda t: t.bbox[1]))
            if len(chain) == len(wk):
                return union_bbox([c.bbox for c in chain])
        for row in self.rows:
            i = row.key.find(wk)
            if i >= 0:
                return row.span(i, i + len(wk)).bbox
        return None

    def text_near_top(self, share: float = 0.25) -> list[Row]:
        """Rows in the top ``share`` of the page (titles live there)."""
        limit = self.height * share if self.height else float("inf")
        return [r for r in self.rows if r.bbox[1] <= limit]


def _span_of_key(seg: Segment, kstart: int, kend: int, page: int) -> Span:
    idx = [i for i, ch in enumerate(seg.text) if _key_char(ch)]
    if kstart >= len(idx):
        return Span((), page)
    a = idx[kstart]
    b = idx[min(kend, len(idx)) - 1] + 1
    return Span((Piece(seg, a, b),), page)


def _clip_segment(seg: Segment, x0: int, x1: int) -> Segment:
    """The part of ``seg`` between x0 and x1 (proportional cut by characters)."""
    n = len(seg.text)
    sx0, sy0, sx1, sy1 = seg.bbox
    w = max(1, sx1 - sx0)
    a = max(0, min(n, round((max(x0, sx0) - sx0) * n / w)))
    b = max(a, min(n, round((min(x1, sx1) - sx0) * n / w)))
    if a == 0 and b == n:
        return seg
    return Segment(seg.text[a:b], seg.sub_bbox(a, b), seg.confidence)


def assign_sides(hits: Sequence[LabelHit], first: BBox | None, second: BBox | None) -> list[tuple[LabelHit, int]]:
    """Which of two blocks each label belongs to (0: the ``first`` header's block,
    e.g. 购买方/付款人; 1: the ``second``'s), for forms that print the same labels
    in two blocks.

    With both headers found: the nearer header along the axis the two headers are
    apart (stacked blocks: by y; side-by-side blocks: the rightmost header left of
    the label). With one: near it or not. With none: the first hit (top or left)
    is block 0, the rest block 1.
    """
    if not hits:
        return []
    cx = lambda b: (b[0] + b[2]) / 2  # noqa: E731
    cy = lambda b: (b[1] + b[3]) / 2  # noqa: E731
    out: list[tuple[LabelHit, int]] = []
    if first is not None and second is not None and first != second:
        side_by_side = abs(cx(first) - cx(second)) > abs(cy(first) - cy(second))
        for h in hits:
            b = h.bbox
            if side_by_side:
                left = [(hb, i) for i, hb in enumerate((first, second)) if hb[0] <= b[0] + 5]
                side = max(left, key=lambda t: t[0][0])[1] if left else 0
            else:
                side = 0 if abs(cy(b) - cy(first)) <= abs(cy(b) - cy(second)) else 1
            out.append((h, side))
        return out
    if first is not None or second is not None:
        known = first if first is not None else second
        assert known is not None
        mine = 0 if first is not None else 1
        for h in hits:
            near = abs(cy(h.bbox) - cy(known)) < 4 * max(1, h.bbox[3] - h.bbox[1])
            out.append((h, mine if near else 1 - mine))
        return out
    return [(h, 0 if i == 0 else 1) for i, h in enumerate(hits)]

"""A PDF page's text layer as OCR-like segments, and whether it can be trusted.

Segments are built to read like an OCR engine's lines, so the extractors see the
same shapes whatever the source, but cleaner where the text layer allows:

* words come from pdfplumber's ``extract_words`` with blank characters dropped, so
  every geometric gap and every space character starts a new word;
* words on one visual line are joined into a run when they are close (a real space,
  or a gap under half an em); a space is kept only where the PDF had one or where
  Latin words stand apart. Wider gaps are columns and stay apart;
* Chinese forms space the characters of short labels across the label column
  (``名        称:``, ``地 址、电 话:``, ``合       计``); pieces of one ideograph
  are joined back without spaces so the label reads ``名称:``;
* a run is cut after a label's colon (``名称：`` | ``内江市天润商贸有限公司``) so a value
  has its own exact box; a colon after a digit or Latin letter (times, URLs) is not
  a label's and is left alone;
* single ideographs stacked in a column (``购/买/方``) become one vertical segment
  instead of being glued to the text beside them.

All coordinates here are points from the top-left of the rendered page; the
result is scaled to pixels at the page's dpi.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

from pdfplumber.utils.text import LIGATURES, extract_words

from intake.model import Segment

# --- when a text layer is trusted ---------------------------------------------------
MIN_READABLE_CHARS = 10  # fewer: a near-empty page is cheap to OCR, so let OCR decide
MAX_GARBAGE_SHARE = 0.10  # (cid:123), private-use, U+FFFD: fonts without a ToUnicode map
MAX_ODD_LETTER_SHARE = 0.30  # Latin-1/Cyrillic letters in a Chinese page: mojibake
MIN_UPRIGHT_SHARE = 0.5  # mostly sideways text: let OCR find the orientation
SCAN_IMAGE_COVER = 0.5  # images over half the page: a scan, unless the text is a full page
SCAN_MIN_CHARS = 100  # ... of at least this many readable characters
SCAN_MIN_SPAN = 0.5  # ... spread over at least half the page height

# --- how words become segments (all in ems of the larger neighbour) -----------------
WORD_GAP_EM = 0.15  # extract_words splits words at gaps wider than this
LATIN_SPACE_EM = 0.2  # Latin words set without a space character but this far apart
JOIN_GAP_EM = 0.5  # closer words without a space character are one run
JOIN_SPACED_EM = 1.0  # words with space characters between them, up to this far
SPREAD_LABEL_EM = 5.0  # spread label pieces, up to this far apart
LINE_OVERLAP = 0.6  # share of the smaller height two words must overlap to share a line
STACK_ALIGN_EM = 0.3  # column alignment of a vertical stack
STACK_GAP_EM = 1.2  # largest gap between stacked ideographs

COLONS = (":", "：")
LABEL_END_BEFORE_COLON = ")）】]"


@dataclass(frozen=True)
class Glyph:
    """One character of the text layer, in points from the rendered page's top left."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    upright: bool = True

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Verdict:
    usable: bool
    reason: str
    readable: int  # upright readable characters on the page


def is_ideograph(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3FFFF
    )


def is_wide(ch: str) -> bool:
    """Ideographs and CJK punctuation: set without spaces between them."""
    o = ord(ch)
    return is_ideograph(ch) or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2E80 <= o <= 0x2FDF


def is_garbage(text: str) -> bool:
    """A glyph whose text is no character at all: unmapped or private-use codes."""
    if text.startswith("(cid:") or "\ufffd" in text:
        return True
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Co", "Cs", "Cn") or (cat == "Cc" and not ch.isspace()):
            return True
    return False


def _is_odd_letter(ch: str) -> bool:
    # Letters a Chinese business document does not use; many of them mean a font
    # whose codes were mapped to the wrong characters.
    if not unicodedata.category(ch).startswith("L") or ch.isascii() or is_wide(ch):
        return False
    o = ord(ch)
    greek = 0x0370 <= o <= 0x03FF  # φ in steel grades, μ in units
    kana = 0x3040 <= o <= 0x30FF
    return not (greek or kana)


def assess(
    glyphs: Sequence[Glyph],
    page_height: float,
    *,
    image_cover: float = 0.0,
    invisible_text: bool = False,
) -> Verdict:
    """Decide whether a page's text layer is the page's text.

    ``image_cover`` is the share of the page covered by images (0..1);
    ``invisible_text`` is whether the page draws text in an invisible render mode,
    which is what OCR'd scans do: that text is someone else's OCR, not the page.
    """
    inked = [g for g in glyphs if g.text and not g.text.isspace()]
    garbage = sum(1 for g in inked if is_garbage(g.text))
    readable = [g for g in inked if not is_garbage(g.text)]
    upright = [g for g in readable if g.upright]
    n_up = len(upright)
    if invisible_text:
        return Verdict(False, "invisible text: an OCR layer over a scanned image", n_up)
    if n_up < MIN_READABLE_CHARS:
        return Verdict(False, f"only {n_up} readable characters", n_up)
    if garbage > MAX_GARBAGE_SHARE * len(inked):
        return Verdict(False, f"{garbage} of {len(inked)} characters unmapped (cid/private use)", n_up)
    letters = [ch for g in upright for ch in g.text]
    odd = sum(1 for ch in letters if _is_odd_letter(ch))
    if odd > MAX_ODD_LETTER_SHARE * len(letters):
        return Verdict(False, f"{odd} of {len(letters)} characters in unexpected scripts (mojibake)", n_up)
    if n_up < MIN_UPRIGHT_SHARE * len(readable):
        return Verdict(False, "most text is sideways", n_up)
    if image_cover >= SCAN_IMAGE_COVER:
        span = (max(g.bottom for g in upright) - min(g.top for g in upright)) / max(page_height, 1e-6)
        if n_up < SCAN_MIN_CHARS or span < SCAN_MIN_SPAN:
            return Verdict(False, f"a scanned image with only {n_up} characters of text over it", n_up)
    return Verdict(True, "text layer", n_up)


# --- segment building -------------------------------------------------------------------


@dataclass
class _Word:
    glyphs: list[Glyph]
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""

    @classmethod
    def of(cls, glyphs: list[Glyph]) -> "_Word":
        return cls(
            glyphs,
            min(g.x0 for g in glyphs),
            min(g.top for g in glyphs),
            max(g.x1 for g in glyphs),
            max(g.bottom for g in glyphs),
            "".join(LIGATURES.get(g.text, g.text) for g in glyphs),
        )

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)


@dataclass
class _Line:
    top: float  # band of the line's first word: later words must overlap it
    bottom: float
    words: list[_Word] = field(default_factory=list)


# A run is a list of tokens: a glyph, or None for a space between two words.
_Token = Glyph | None


def build_segments(
    glyphs: Sequence[Glyph], *, scale: float, width_px: int, height_px: int
) -> list[Segment]:
    """Segments (confidence 1.0) from upright, readable glyphs; boxes in pixels at ``scale``."""
    inked = [g for g in glyphs if g.upright and g.text and not is_garbage(g.text)]
    blanks = [g for g in inked if g.text.isspace()]
    words = _words([g for g in inked if not g.text.isspace()])
    stacks, words = _vertical_stacks(words)

    placed: list[tuple[float, float, list[_Token]]] = []  # top, x0, tokens
    for line in _lines(words):
        for run in _runs(line, blanks):
            for part in _split_after_labels(run):
                placed.append((line.top, _first_x(part), part))
    for stack in stacks:
        placed.append((stack[0].top, stack[0].x0, [g for w in stack for g in w.glyphs]))
    placed.sort(key=lambda p: (p[0], p[1]))

    segments: list[Segment] = []
    for _, _, tokens in placed:
        text = "".join(" " if t is None else LIGATURES.get(t.text, t.text) for t in tokens).strip()
        boxes = [t for t in tokens if t is not None]
        if not text or not boxes:
            continue
        extent = (min(g.x0 for g in boxes), min(g.top for g in boxes), max(g.x1 for g in boxes), max(g.bottom for g in boxes))
        bbox = box_to_pixels(extent, scale, width_px, height_px)
        segments.append(Segment(text=text, bbox=bbox, confidence=1.0))
    return segments


def _words(glyphs: list[Glyph]) -> list[_Word]:
    # extract_words clusters lines and splits at gaps; we only use its grouping,
    # keeping the glyphs so runs can be cut at a colon with exact boxes.
    if not glyphs:
        return []
    chars = [
        {
            "text": g.text,
            "x0": g.x0,
            "x1": g.x1,
            "top": g.top,
            "bottom": g.bottom,
            "doctop": g.top,
            "upright": True,
            "height": g.height,
            "width": g.x1 - g.x0,
            "size": g.height,
            "glyph": g,
        }
        for g in sorted(glyphs, key=lambda g: (g.top, g.x0))
    ]
    found = extract_words(
        chars,
        return_chars=True,
        x_tolerance_ratio=WORD_GAP_EM,
        y_tolerance=3,
        keep_blank_chars=False,
        use_text_flow=False,
    )
    return [_Word.of([c["glyph"] for c in w["chars"]]) for w in found]


def _single_ideograph(word: _Word) -> bool:
    return len(word.text) == 1 and is_ideograph(word.text)


def _vertical_stacks(words: list[_Word]) -> tuple[list[list[_Word]], list[_Word]]:
    """Pull out columns of single ideographs (side labels like 购买方), top to bottom."""
    singles = sorted((w for w in words if _single_ideograph(w)), key=lambda w: (w.top, w.x0))
    below: dict[int, _Word] = {}
    has_above: set[int] = set()
    for i, upper in enumerate(singles):
        em = upper.height
        best: _Word | None = None
        for lower in singles[i + 1 :]:
            gap = lower.top - upper.bottom
            if gap > STACK_GAP_EM * em:
                break
            if (
                gap >= -0.2 * em
                and abs(lower.x0 - upper.x0) <= STACK_ALIGN_EM * em
                and abs(lower.x1 - upper.x1) <= STACK_ALIGN_EM * em
                and id(lower) not in has_above
            ):
                best = lower
                break
        if best is not None:
            below[id(upper)] = best
            has_above.add(id(best))
    stacks: list[list[_Word]] = []
    taken: set[int] = set()
    for w in singles:
        if id(w) in has_above or id(w) not in below:
            continue
        chain = [w]
        while id(chain[-1]) in below:
            chain.append(below[id(chain[-1])])
        stacks.append(chain)
        taken.update(id(c) for c in chain)
    return stacks, [w for w in words if id(w) not in taken]


def _lines(words: list[_Word]) -> list[_Line]:
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        best, best_overlap = None, 0.0
        for line in reversed(lines[-12:]):  # only recent lines can still overlap
            overlap = min(word.bottom, line.bottom) - max(word.top, line.top)
            need = LINE_OVERLAP * min(word.height, line.bottom - line.top)
            if overlap >= need and overlap > best_overlap:
                best, best_overlap = line, overlap
        if best is None:
            best = _Line(word.top, word.bottom)
            lines.append(best)
        best.words.append(word)
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def _runs(line: _Line, blanks: list[Glyph]) -> list[list[_Token]]:
    mid_blanks = [
        (b.x0 + b.x1) / 2 for b in blanks if line.top <= (b.top + b.bottom) / 2 <= line.bottom
    ]
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    prev: _Word | None = None
    spread_gap: float | None = None  # gap of the spread label being joined, if any
    for word in line.words:
        if prev is not None:
            how = _join(prev, word, mid_blanks, spread_gap)
            spread_gap = word.x0 - prev.x1 if how == "spread" else None
            if how == "split":
                runs.append(current)
                current = []
            elif how == "space":
                current.append(None)
        current.extend(word.glyphs)
        prev = word
    if current:
        runs.append(current)
    return runs


def _join(a: _Word, b: _Word, blank_centres: list[float], spread_gap: float | None) -> str:
    """How word ``b`` follows ``a`` on a line: ``split`` (new run), ``space``,
    ``direct`` (no space) or ``spread`` (next piece of a spread label, no space)."""
    em = max(a.height, b.height)
    gap = b.x0 - a.x1
    if gap < -0.5 * min(a.height, b.height):
        return "split"  # text over text: a seal or watermark over a title
    left, right = a.text[-1], b.text[0]
    if is_ideograph(left) and is_ideograph(right) and gap <= SPREAD_LABEL_EM * em:
        # Pieces of a spread label: one ideograph each, evenly spaced, or the last
        # piece with its colon (地 址、电 话:). 数 量 | 单 价 are two labels: uneven.
        label_tail = len(b.text) >= 2 and b.text[1] in COLONS  # 话: (maybe its value too)
        even = spread_gap is None or abs(gap - spread_gap) <= 0.1 * (em + spread_gap)
        if label_tail or (_single_ideograph(a) and even):
            return "spread"
    spaced = any(a.x1 < c < b.x0 for c in blank_centres)
    if gap <= JOIN_GAP_EM * em or (spaced and gap <= JOIN_SPACED_EM * em):
        if spaced:
            return "space"
        if not is_wide(left) and not is_wide(right) and gap >= LATIN_SPACE_EM * em:
            return "space"
        return "direct"
    return "split"


def _split_after_labels(run: list[_Token]) -> list[list[_Token]]:
    """Cut a run after each label colon that has text after it."""
    parts: list[list[_Token]] = []
    current: list[_Token] = []
    for i, token in enumerate(run):
        current.append(token)
        if token is None or token.text not in COLONS:
            continue
        before = next((t for t in reversed(run[:i]) if t is not None), None)
        after = any(t is not None for t in run[i + 1 :])
        if before is not None and after and (
            is_ideograph(before.text[-1]) or before.text[-1] in LABEL_END_BEFORE_COLON
        ):
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return [_trim(p) for p in parts if any(t is not None for t in p)]


def _trim(tokens: list[_Token]) -> list[_Token]:
    start, end = 0, len(tokens)
    while start < end and tokens[start] is None:
        start += 1
    while end > start and tokens[end - 1] is None:
        end -= 1
    return tokens[start:end]


def _first_x(tokens: list[_Token]) -> float:
    return min(t.x0 for t in tokens if t is not None)


def box_to_pixels(
    box: tuple[float, float, float, float], scale: float, width_px: int, height_px: int
) -> tuple[int, int, int, int]:
    """A box in points -> whole pixels at ``scale``, rounded outwards, inside the page."""
    x0 = min(max(math.floor(box[0] * scale), 0), max(width_px - 1, 0))
    y0 = min(max(math.floor(box[1] * scale), 0), max(height_px - 1, 0))
    x1 = max(min(math.ceil(box[2] * scale), width_px), x0 + 1)
    y1 = max(min(math.ceil(box[3] * scale), height_px), y0 + 1)
    return (x0, y0, x1, y1)

"""The contract reader's language layer: a reading text and a spaCy pipeline over it.

**Reading text** (:class:`ReadingText`). The pipeline reads one string per document.
It is built from the pages' rows (``layout.group_rows``) using each row's matching
key (simplified script, half-width, whitespace dropped, Chinese punctuation folded to
ASCII; one key character per source character). On top of that, pinyin artefacts
such as ``業(yè)`` are dropped and a row that wraps mid-sentence (reaches the right
margin without closing punctuation) is joined to the next one. Every character keeps
its origin ``(page index, row index, key position)``, so any span of the string maps
back to a page, a box (``Segment.sub_bbox`` via ``Row.span``), the raw printed text
and the OCR confidence of exactly the characters used.

**Pipeline** (:func:`contract_nlp`): ``spacy.blank("zh")``, whose default segmenter
is ``char`` (one token per character, so every character offset is a token boundary
and nothing needs downloading), plus three rule components, all fed from
``data/contract_patterns.json``:

1. ``cue_ruler`` (spaCy ``entity_ruler``): cue phrases -> ents ``ROLE_A``/``ROLE_B``
   (甲方, 委托方 .. / 乙方, 服务方 ..), ``CUE_TOTAL``, ``CUE_CLOUD``, ``CUE_ANNUAL``,
   ``CUE_PERIOD``, ``CUE_SIGNED``, ``CUE_CODE``, ``CUE_NO``, ``CUE_SEAL``, ``STOP``
   (other labels: 地址, 电话 ..), and ``SERVICE`` (a product gazetteer). ``ent_id_``
   carries the cue's strength class (``explicit``/``role``, ``strong``/``weak``).
2. ``docintake_shapes``: entity *shapes* -- ``ORG``, ``MONEY`` (小写), ``MONEY_UPPER``
   (in words), ``FIGURE`` (a bare 26,000.00), ``DATE`` (the shared date finder),
   ``CREDIT_CODE``, ``CONTRACT_NO`` (only right after a contract-number cue),
   ``DURATION`` -- found by regexes over
   the text with every cue masked out (so an ORG never swallows ``乙方`` or
   ``地址``), then ``PERIOD`` composites (DATE 至 DATE). Results go to
   ``doc.spans["shapes"]`` (non-overlapping, priority wins), ``doc.spans["composites"]``
   and, where they do not clash with a cue, ``doc.ents``.
3. ``docintake_party_labels``: a ``Matcher`` over ``ENT_TYPE`` that finds label
   constructs -- ``甲方：``, ``甲方（委托方）：``, ``委托方（甲方）``, ``乙方（盖章）``,
   ``X有限公司（以下简称"甲方"）`` -- into ``doc.spans["party_labels"]``.

What the components find is *syntax*; which value fills which contract field is
decided by the binding step in :mod:`extractors.contract_binding`.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractors.layout import Row, group_rows
from extractors.layout import Span as LayoutSpan
from extractors.normalize.dates import find_dates
from intake.model import Page

__all__ = [
    "PATTERNS_PATH",
    "ReadingText",
    "contract_nlp",
    "load_patterns",
    "MAX_CHARS",
]

PATTERNS_PATH = Path(__file__).parent / "data" / "contract_patterns.json"

# A contract runs to a few thousand characters; a "contract" of megabytes is a
# misclassified file. Reading is cut there so odd input cannot take minutes.
MAX_CHARS = 200_000


@cache
def load_patterns() -> dict[str, Any]:
    """The pattern data, read once."""
    with PATTERNS_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


# --------------------------------------------------------------------------- reading text

_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_RE = re.compile(
    r"(?<=[\u4e00-\u9fff])[(（][a-zü]{0,5}[" + _TONE_VOWELS + r"][a-zü]{0,5}[)）]"
)
_CLOSING = set(".;:!?。；：！？")


class ReadingText:
    """The document as one string, every character mapped back to the page.

    ``text`` joins rows; a hard line break is ``"\\n"``, a row that wraps
    mid-sentence is joined without one. ``origin[i]`` is ``(page index, row index,
    key position in that row)``, or ``None`` for an inserted line break.
    """

    def __init__(self, pages: Sequence[Page]):
        self.pages = list(pages)
        self._rows: list[list[Row]] = []
        self._row_start: dict[tuple[int, int], int] = {}
        chars: list[str] = []
        origin: list[tuple[int, int, int] | None] = []
        hard_start = re.compile(load_patterns()["hard_break_start"])
        for pi, page in enumerate(self.pages):
            # Pages arrive upright (the pipeline turns them: intake.upright).
            rows, _verticals = group_rows(list(page.segments))  # vertical headers are not prose
            self._rows.append(rows)
            keys = [_drop_pinyin(r.key) for r in rows]
            right = max((r.bbox[2] for r in rows), default=0)
            soft = False
            for ri, (row, (key, kpos)) in enumerate(zip(rows, keys)):
                if not key:
                    continue
                if chars and not soft:
                    chars.append("\n")
                    origin.append(None)
                self._row_start[(pi, ri)] = len(chars)
                chars.extend(key)
                origin.extend((pi, ri, k) for k in kpos)
                nxt_i = next((j for j in range(ri + 1, len(rows)) if keys[j][0]), None)
                soft = nxt_i is not None and _wraps(row, key, right, rows[nxt_i], keys[nxt_i][0], hard_start)
            if len(chars) > MAX_CHARS:
                break
        del chars[MAX_CHARS:]
        del origin[MAX_CHARS:]
        self.text = "".join(chars)
        self.origin = origin
        self._line_starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]

    # -- lines ------------------------------------------------------------------
    def line_no(self, offset: int) -> int:
        """Index of the hard line holding ``offset``."""
        return bisect_right(self._line_starts, offset) - 1

    def line_bounds(self, line: int) -> tuple[int, int]:
        """``(start, end)`` of hard line ``line`` (end excludes the break)."""
        start = self._line_starts[line]
        nxt = self._line_starts[line + 1] - 1 if line + 1 < len(self._line_starts) else len(self.text)
        return start, nxt

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    # -- evidence -----------------------------------------------------------------
    def span(self, start: int, end: int) -> LayoutSpan | None:
        """The printed characters behind ``text[start:end]`` as a layout ``Span``
        (page, box via ``Segment.sub_bbox``, raw text, OCR confidence), or None.

        A span crossing a page break is cut at it: a box cannot span two pages.
        Boxes are in the given pages' pixels.
        """
        found = self._upright_span(start, end)
        return found[0] if found is not None else None

    def _upright_span(self, start: int, end: int) -> tuple[LayoutSpan, int] | None:
        points = [o for o in self.origin[max(0, start) : max(start, end)] if o is not None]
        if not points:
            return None
        pi = points[0][0]
        by_row: dict[int, list[int]] = {}
        for p, r, k in points:
            if p == pi:
                by_row.setdefault(r, []).append(k)
        number = self.pages[pi].number
        out: LayoutSpan | None = None
        for r, ks in sorted(by_row.items()):
            part = self._rows[pi][r].span(min(ks), max(ks) + 1, number)
            out = part if out is None else out.plus(part)
        return (out, pi) if out else None

    def method_at(self, offset: int) -> str:
        """How the page holding ``offset`` was read (``Method`` value)."""
        o = next((o for o in islice(self.origin, max(0, offset), None) if o is not None), None)
        return str(self.pages[o[0]].method) if o is not None else "text_layer"

    def x_share(self, start: int, end: int, *, left: bool = False) -> float | None:
        """Horizontal centre (or ``left`` edge) of a span as a share of its page's
        width (0 left, 1 right)."""
        found = self._upright_span(start, end)  # columns are seen upright
        if found is None:
            return None
        sp, pi = found
        page = self.pages[pi]
        width = max(1, page.width)
        x = sp.bbox[0] if left else (sp.bbox[0] + sp.bbox[2]) / 2
        return x / width

    def row_at(self, offset: int) -> tuple[int, int] | None:
        """``(page index, row index)`` of the character at ``offset``."""
        o = self.origin[offset] if 0 <= offset < len(self.origin) else None
        return (o[0], o[1]) if o is not None else None

    def page_rows(self, page_index: int) -> list[Row]:
        """The rows of one page, top to bottom (``layout.Row``)."""
        return self._rows[page_index]

    def row_start(self, page_index: int, row_index: int) -> int | None:
        """Offset in ``text`` where a row begins (None: an empty row, or cut off)."""
        return self._row_start.get((page_index, row_index))

    def rows_of(self, start: int, end: int) -> list[tuple[int, Row]]:
        """The ``(page number, row)`` pairs a span touches, in reading order."""
        seen: list[tuple[int, int]] = []
        for o in self.origin[max(0, start) : max(start, end)]:
            if o is not None and (o[0], o[1]) not in seen:
                seen.append((o[0], o[1]))
        return [(self.pages[p].number, self._rows[p][r]) for p, r in seen]


def _drop_pinyin(key: str) -> tuple[str, list[int]]:
    """Remove ``(yè)``-style pinyin after a character; keep positions into ``key``."""
    keep = [True] * len(key)
    for m in _PINYIN_RE.finditer(key):
        for i in range(m.start(), m.end()):
            keep[i] = False
    pos = [i for i, k in enumerate(keep) if k]
    return "".join(key[i] for i in pos), pos


def _wraps(row: Row, key: str, right: int, nxt: Row, next_key: str, hard_start: re.Pattern[str]) -> bool:
    """Does ``row`` continue on the next row (a sentence broken by the margin)?

    Only long rows that reach the right margin and end without closing punctuation
    wrap; a next row that opens a clause, an article or a party label never
    continues the previous one, and table rows (several cells apart) never wrap.
    """
    if not next_key or key[-1] in _CLOSING or hard_start.match(next_key):
        return False
    if len(row.segments) >= 3 or len(nxt.segments) >= 3:
        return False
    if len(key) < 12:
        return False
    return row.bbox[2] >= right - 1.5 * row.height


# --------------------------------------------------------------------------- shapes


@dataclass(frozen=True)
class _ShapeSpec:
    label: str
    priority: int
    regex: re.Pattern[str] | None
    finder: str | None
    after: frozenset[str]
    require: re.Pattern[str] | None
    strip: str

    @classmethod
    def of(cls, d: dict[str, Any]) -> _ShapeSpec:
        return cls(
            label=d["label"],
            priority=int(d.get("priority", 0)),
            regex=re.compile(d["regex"]) if "regex" in d else None,
            finder=d.get("finder"),
            after=frozenset(d.get("after", ())),
            require=re.compile(d["require"]) if "require" in d else None,
            strip=d.get("strip", ""),
        )


_Cand = tuple[int, int, str, int]  # start, end, label, priority


class RegexShapes:
    """Sets entity shapes from regexes (and the shared date finder) as spans.

    Cue ents are masked first so a shape can neither contain nor cross one.
    """

    def __init__(self, shapes: list[dict[str, Any]], composites: list[dict[str, Any]],
                 mask_labels: list[str], org: dict[str, Any]):
        self.specs = [_ShapeSpec.of(d) for d in shapes]
        self.composites = composites
        self.mask_labels = frozenset(mask_labels)
        self.org = org

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        cues = [e for e in doc.ents if e.label_ in self.mask_labels]
        masked = _mask(text, cues)
        cands: list[_Cand] = []
        for spec in self.specs:
            found = list(self._find(spec, text, masked, cues))
            if spec.label == "ORG":
                found = self._clean_orgs(text, masked, found)
            cands.extend((s, e, spec.label, spec.priority) for s, e in found)
        kept = _resolve(cands)
        shapes = [sp for s, e, lab, _ in kept if (sp := doc.char_span(s, e, label=lab, alignment_mode="expand"))]
        doc.spans["shapes"] = shapes
        doc.spans["composites"] = self._composites(doc, text, shapes)
        taken = [(s.start, s.end) for s in shapes]
        others = [e for e in doc.ents if e.label_ in self.mask_labels or not _overlaps(e, taken)]
        doc.ents = filter_spans(others + shapes)
        return doc

    def _find(self, spec: _ShapeSpec, text: str, masked: str, cues: list[Span]) -> Iterable[tuple[int, int]]:
        if spec.finder == "dates":
            cue_ranges = [(c.start_char, c.end_char) for c in cues]
            for s, e, _ in find_dates(masked):
                if not any(a < e and s < b for a, b in cue_ranges):
                    yield s, e
            return
        if spec.regex is None:
            return
        if spec.after:
            matches = (spec.regex.match(masked, c.end_char) for c in cues if c.label_ in spec.after)
        else:
            matches = spec.regex.finditer(masked)
        for m in matches:
            if m is None:
                continue
            group = "v" if "v" in m.re.groupindex else 0
            s, e = m.span(group)
            while s < e and text[s] in spec.strip:
                s += 1
            while e > s and text[e - 1] in spec.strip:
                e -= 1
            if e <= s or (spec.require is not None and not spec.require.search(text[s:e])):
                continue
            yield s, e

    def _clean_orgs(self, text: str, masked: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Trim prose before a name (由, 与 ..), finish ``X（集团`` with ``）有限公司``,
        glue ``X集团`` + ``Y有限公司`` and ``X有限公司`` + ``Y分公司``, drop generic
        words (本公司, 数据中心)."""
        cfg = self.org
        leading = sorted(cfg.get("leading_trim", []), key=len, reverse=True)
        min_chars = int(cfg.get("min_chars", 5))
        closing = re.compile(cfg["closing"]) if "closing" in cfg else None
        trimmed: list[tuple[int, int]] = []
        for s, e in found:
            opened = text.count("(", s, e) + text.count("（", s, e) - text.count(")", s, e) - text.count("）", s, e)
            if opened > 0 and closing is not None and (m := closing.match(masked, e)):
                e = m.end()  # the lazy match stopped at 集团 inside （集团）有限公司
            changed = True
            while changed:
                changed = False
                for w in leading:
                    if text.startswith(w, s) and e - s - len(w) >= min_chars:
                        s += len(w)
                        changed = True
                        break
            trimmed.append((s, e))
        weak = tuple(cfg.get("weak_suffixes", []))
        branch = tuple(cfg.get("branch_suffixes", []))
        merged: list[tuple[int, int]] = []
        for s, e in sorted(trimmed):
            if merged and merged[-1][1] == s and (
                text[merged[-1][0] : merged[-1][1]].endswith(weak) or text[s:e].endswith(branch)
            ):
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        reject = set(cfg.get("reject_cores", []))
        junk = tuple(cfg.get("reject_contains", []))
        suffix_re = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|公司|集团|中心|研究院|研究所)$")
        return [
            (s, e) for s, e in merged
            if e - s >= min_chars and suffix_re.sub("", text[s:e]) not in reject
            and not any(j in text[s:e] for j in junk)
        ]

    def _composites(self, doc: Doc, text: str, shapes: list[Span]) -> list[Span]:
        out: list[Span] = []
        for comp in self.composites:
            first, second = comp["parts"]
            before = re.compile(comp.get("before", "$"))
            between = re.compile(comp.get("between", "^$"))
            after = re.compile(comp.get("after", "^"))
            ordered = sorted((s for s in shapes if s.label_ in (first, second)), key=lambda s: s.start_char)
            for a, b in zip(ordered, ordered[1:]):
                if a.label_ != first or b.label_ != second:
                    continue
                if not between.match(text[a.end_char : b.start_char]):
                    continue
                head = before.search(text[max(0, a.start_char - 2) : a.start_char])
                start = a.start_char - (len(head.group()) if head else 0)
                tail = after.match(text, b.end_char)
                end = tail.end() if tail else b.end_char
                span = doc.char_span(start, end, label=comp["label"], alignment_mode="expand")
                if span is not None:
                    out.append(span)
        return out


def _mask(text: str, spans: Sequence[Span]) -> str:
    chars = list(text)
    for sp in spans:
        for i in range(sp.start_char, sp.end_char):
            chars[i] = "\x00"
    return "".join(chars)


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates: higher priority first, then longer, then earlier."""
    kept: list[_Cand] = []
    occupied: list[tuple[int, int]] = []
    for c in sorted(cands, key=lambda c: (-c[3], -(c[1] - c[0]), c[0])):
        if not any(c[0] < b and a < c[1] for a, b in occupied):
            kept.append(c)
            occupied.append((c[0], c[1]))
    return sorted(kept)


def _overlaps(span: Span, taken: list[tuple[int, int]]) -> bool:
    return any(span.start < b and a < span.end for a, b in taken)


@Language.factory(
    "docintake_shapes",
    default_config={"shapes": [], "composites": [], "mask_labels": [], "org": {}},
)
def _make_shapes(nlp: Language, name: str, shapes: list[dict[str, Any]], composites: list[dict[str, Any]],
                 mask_labels: list[str], org: dict[str, Any]) -> RegexShapes:
    return RegexShapes(shapes, composites, mask_labels, org)


# --------------------------------------------------------------------------- party labels

# OCR reads a full-width bracket as 〈 [ 【 { < as often as not
_OPENERS = ["(", "（", "〈", "<", "[", "【", "〔", "{"]
_CLOSERS = [")", "）", "〉", ">", "]", "】", "〕", "}"]
_OPEN = {"ORTH": {"IN": _OPENERS}}
_CLOSE = {"ORTH": {"IN": _CLOSERS}}
_COLON = {"ORTH": {"IN": [":", "："]}}
_COLON_OCR = {"ORTH": {"IN": [":", "：", ";", "；"]}, "OP": "?"}  # after a ")", ; is a misread :
_QUOTE = {"ORTH": {"IN": ['"', "“", "”", "'", "‘", "’", "「", "」", "《", "》"]}}
_ROLE = {"ENT_TYPE": {"IN": ["ROLE_A", "ROLE_B"]}, "OP": "+"}


class PartyLabels:
    """Finds party label constructs with a token Matcher over the cue ents."""

    def __init__(self, vocab: Any):
        self.matcher = Matcher(vocab)
        self.matcher.add("LABEL", [
            # 甲方： / 甲方名称： / 供应商单位名称：
            [_ROLE, {"ENT_TYPE": "CUE_NAME", "OP": "*"}, _COLON],
            # 甲方（委托方）： / 委托方（甲方） / 乙方（盖章）：
            [_ROLE, _OPEN, {"ORTH": {"NOT_IN": [*_OPENERS, *_CLOSERS, "\n"]}, "OP": "*"}, _CLOSE,
             {"ENT_TYPE": "CUE_NAME", "OP": "*"}, _COLON_OCR],
            # 甲方盖章： / 甲方签字盖章
            [_ROLE, {"ENT_TYPE": "CUE_SEAL", "OP": "+"}, {**_COLON, "OP": "?"}],
        ], greedy="LONGEST")
        self.matcher.add("ALIAS", [
            # 河北某某科技有限公司（以下简称"甲方"）
            [{"ENT_TYPE": "ORG", "OP": "+"}, _OPEN, {"ENT_TYPE": "CUE_ALIAS", "OP": "+"},
             {**_COLON, "OP": "?"}, {**_QUOTE, "OP": "?"}, _ROLE],
        ], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        spans = self.matcher(doc, as_spans=True)
        # a parenthetical of more than a few words is prose, not a role
        doc.spans["party_labels"] = [s for s in filter_spans(spans) if len(s) <= 24]
        return doc


@Language.factory("docintake_party_labels")
def _make_party_labels(nlp: Language, name: str) -> PartyLabels:
    return PartyLabels(nlp.vocab)


# --------------------------------------------------------------------------- pipeline


@cache
def contract_nlp() -> Language:
    """The contract pipeline, built once per process (the pattern data is fixed)."""
    data = load_patterns()
    nlp = spacy.blank("zh")  # default segmenter "char": no pkuseg/jieba download
    ruler = nlp.add_pipe(
        "entity_ruler", name="cue_ruler",
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
    )
    ruler.add_patterns([
        {"label": group["label"], "pattern": phrase, "id": group["id"]}
        for group in data["cues"] for phrase in group["phrases"]
    ])
    nlp.add_pipe("docintake_shapes", config={
        "shapes": data["shapes"],
        "composites": data.get("composites", []),
        "mask_labels": data["mask_labels"],
        "org": data.get("org", {}),
    })
    nlp.add_pipe("docintake_party_labels")
    nlp.max_length = MAX_CHARS + 1
    return nlp

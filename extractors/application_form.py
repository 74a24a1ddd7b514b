"""Subsidy application forms (申报表 / 兑付申请表).

Fields (CONTRACT.md): company_name, credit_code, provider_name, contract_amount,
requested_amount, rows (list of {company_name, services, contract_term,
contract_amount, payout_amount}) from the table, total_payout.

Forms are tables: a label cell with its value in the next cell to the right, or
(in narrow forms) in the cell below.

The rows table (Yichun's 兑付申请表: one row per enterprise) is read by its header:

* **Header.** One to three printed lines whose cells, stacked lines of one column
  joined (a title wrapped as ``上云产品`` / ``及服务``), name at least three of the
  columns: 企业名称/单位名称, 上云产品及服务/服务内容, 合同期限/服务期限, 合同金额,
  兑付金额/补助金额. A cell names a column when an alias covers most of it (a
  unit in brackets aside), with an OCR edit or two on long aliases; cells that
  name none (序号, 上云效果评价) still bound their neighbours.
* **Columns.** Header titles are centred while cells are often left-aligned, so a
  column's edge is not half-way between titles: it is put in the quietest x
  stretch between two titles, where the fewest body cells print (the gutter).
  Geometry is taken after undoing the page's line slope (photos are skewed).
* **Rows.** Each body line holding an amount anchors one row; lines without one
  (a wrapped name) join the nearest anchor. The body ends at 合计/总计, whose
  payout figure is ``total_payout``. Figures under a ``（万元）`` title are scaled.

Row values: ``company_name`` a name (CONTRACT.md normal form); ``services`` a list
of strings, split on 、，,； and on line breaks inside the cell (a break inside a
``、`` list with no delimiter before it is a wrapped item and is joined);
``contract_term`` an ISO 8601 interval ``YYYY-MM-DD/YYYY-MM-DD`` -- CONTRACT.md
leaves the term's format open; an interval keeps both ends in one normalised
string (``2023.7.12-2024.7.11`` and ``2023年7月12日至2024年7月11日`` read the
same); a term that does not parse into two dates is left out of its row;
amounts as money strings.

Confidence of ``rows``: a table is many values and only some can be checked, so
it is high (0.99) only when read from a text layer with every column's header
found, every cell of every row read, no cell cut out of a neighbour's text, and
the payouts adding up to the printed total. A text-layer table short of that is
capped at 0.85. OCR'd rows stay at the model's OCR table cap (<= 0.8) unless
every column is cross-checked (today only payouts -- against the total -- and
contract amounts -- against a printed contract total -- can be). Payouts not
adding up to the total, or a row count different from the printed 企业数量,
put the rows at 0.5. Other cross-checks: the requested amount equals the total.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from statistics import median

from extractors.fields import (
    Candidate,
    Kind,
    clean_name,
    from_span,
    read_credit_code,
    read_money,
    read_name,
)
from extractors.labels import APPLICATION, APPLICATION_TITLES
from extractors.layout import Layout, LabelHit, Piece, Row, Span, approx_find, estimate_slope, key_of
from extractors.normalize.dates import parse_period
from extractors.normalize.money import format_amount, parse_amount
from extractors.normalize.names import normalize_name
from extractors.normalize.text import fold_width
from intake.model import BBox, DocType, ExtractedField, Method, Page, Segment

log = logging.getLogger(__name__)

__all__ = ["ApplicationFormExtractor", "score_page"]

_FIELD_LABELS = [a for k, v in APPLICATION.items() if not k.startswith("col_") and k != "total_payout" for a in v]

# Column titles by output key. The shared label table plus the titles Yichun's form
# prints; the bare ``企业`` is left out: it is in every other header word (上云企业明细).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "company_name": (*(a for a in APPLICATION["col_company"] if a != "企业"), "上云企业", "申请单位", "申报单位",
                     "企业全称", "单位全称"),
    "services": (*APPLICATION["col_services"], "上云产品及服务", "上云产品", "云产品及服务", "产品及服务",
                 "上云服务", "产品名称"),
    "contract_term": (*APPLICATION["col_term"], "合同起止日期", "服务起止日期", "服务起止时间", "起止时间"),
    "contract_amount": (*APPLICATION["col_contract"], "服务合同金额", "上云服务合同金额"),
    "payout_amount": (*APPLICATION["col_payout"], "申请补助金额", "申请金额"),
}
_ROW_KEYS = tuple(_COLUMNS)
_COLUMN_KEYS = {k: sorted({key_of(a) for a in v}, key=len, reverse=True) for k, v in _COLUMNS.items()}

# An amount standing alone: it anchors a table row. Dates (2023.07.12, 2023年…)
# and index numbers are not amounts.
_AMOUNT_TOKEN = re.compile(
    r"(?<![\d.\-/])(?:\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+\.\d{2}|\d{4,}(?:\.\d{1,2})?)(?![\d.\-/年月日])"
    r"|\d+(?:\.\d+)?万"
)
_TOTAL_RE = re.compile(r"^\d{0,2}(合计|总计)")
_SERVICE_SEP = re.compile(r"[、，,；;丶\n]+")
_ENTERPRISES = ("服务企业数量", "企业数量", "服务企业数", "企业数")


def score_page(text: str) -> float:
    """How much ``text`` looks like an application form (0..1)."""
    key = key_of(text)
    total = sum(w for word, w in APPLICATION_TITLES.items() if key_of(word) in key)
    return min(1.0, total / 2.5)


class ApplicationFormExtractor:
    doc_type = DocType.APPLICATION_FORM

    def extract(self, pages: list[Page]) -> dict[str, ExtractedField]:
        out: dict[str, Candidate] = {}
        readers: list[_FormReader] = []
        for page in pages:
            try:
                reader = _FormReader(page)
                found = reader.read()
            except Exception:  # noqa: BLE001
                log.exception("application form extraction failed on %s p.%s", page.file, page.number)
                continue
            for k, c in found.items():
                if k not in out:
                    out[k] = c
            readers.append(reader)
        rows_field = _rows_field(readers, out) if any(r.rows for r in readers) else None
        _check_request(out)
        fields = {k: c.to_field() for k, c in out.items()}
        if rows_field is not None:
            fields["rows"] = rows_field
        return fields


def _rows_field(readers: list[_FormReader], out: dict[str, Candidate]) -> ExtractedField:
    """The rows of every page's table as one field, cross-checked (see the module
    docstring for what makes them confident)."""
    with_rows = [r for r in readers if r.rows]
    rows = [row for r in with_rows for row in r.rows]
    pieces = tuple(p for r in with_rows for s in r.row_spans for p in s.pieces)
    span = Span(pieces, with_rows[0].page.number)
    cand = from_span(rows, span if span else None, Kind.TABLE, with_rows[0].method)
    contract_total = next((r.contract_total for r in readers if r.contract_total is not None), None)
    enterprises = next((r.enterprises for r in readers if r.enterprises is not None), None)
    checked = _check_rows(rows, out, cand, contract_total, enterprises)
    if all(str(r.method) == str(Method.TEXT_LAYER) for r in with_rows):
        # exact characters; what can still go wrong is which text went where
        trusted = (
            all(r.table_sound for r in with_rows)
            and all(set(_ROW_KEYS) <= set(row) for row in rows)
            and "payout_amount" in checked
        )
        if trusted:
            cand.ev.agrees("total")
        result = cand.to_field()
        if not trusted:
            result.confidence = min(result.confidence, 0.85)
        return result
    # OCR: the sum vouches for the payouts only; names, services and terms have
    # no second source, so the rows stay at the OCR table cap
    if set(_ROW_KEYS) <= checked:
        cand.ev.agrees("total")
    return cand.to_field()


def _check_rows(
    rows: list[dict],
    out: dict[str, Candidate],
    rows_cand: Candidate,
    contract_total: Decimal | None,
    enterprises: int | None,
) -> set[str]:
    """Cross-check the rows against the printed totals; returns the columns vouched for."""
    checked: set[str] = set()
    total = out.get("total_payout")
    payouts = [Decimal(r["payout_amount"]) for r in rows if "payout_amount" in r]
    if total is not None and payouts and len(payouts) == len(rows):
        if sum(payouts) == Decimal(str(total.value)):
            total.ev.agrees("rows")
            checked.add("payout_amount")
        else:
            total.ev.disagrees("rows")
            rows_cand.ev.disagrees("total")
    amounts = [Decimal(r["contract_amount"]) for r in rows if "contract_amount" in r]
    if contract_total is not None and amounts and len(amounts) == len(rows):
        if sum(amounts) == contract_total:
            checked.add("contract_amount")
        else:
            rows_cand.ev.disagrees("contract_total")
    if enterprises is not None and enterprises != len(rows):
        rows_cand.ev.disagrees("enterprises")  # a row lost or one too many
    return checked


def _check_request(out: dict[str, Candidate]) -> None:
    req, total = out.get("requested_amount"), out.get("total_payout")
    if req is not None and total is not None and req.value == total.value:
        req.ev.agrees("total")
        total.ev.agrees("requested")


# --------------------------------------------------------------------------- geometry


class _Deskew:
    """Boxes with the page's line slope undone (small-angle rotation), so columns
    stay vertical and rows horizontal on a photo taken at an angle."""

    def __init__(self, slope: float):
        self.s = slope

    def box(self, b: BBox) -> tuple[float, float, float, float]:
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        dx, dy = self.s * cy, -self.s * cx
        return (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy)

    def row_y(self, row: Row) -> tuple[float, float, float]:
        """(top, centre, bottom) of a row, deskewed."""
        boxes = [self.box(s.bbox) for s in row.segments]
        return (
            median(b[1] for b in boxes),
            median((b[1] + b[3]) / 2 for b in boxes),
            median(b[3] for b in boxes),
        )


@dataclass
class _Cell:
    """A header cell: the segments stacked in one column of the header lines."""

    x0: float
    x1: float
    segs: list[tuple[float, float, Segment]]  # (deskewed y, x, segment)
    kind: str | None = None
    wan: bool = False

    @property
    def key(self) -> str:
        return "".join(key_of(s.text) for _, _, s in sorted(self.segs, key=lambda t: (t[0], t[1])))


def _profile(segments: list[Segment], slope: float, band: float) -> int:
    """How tightly text stacks into horizontal bands once ``slope`` is undone (a
    projection profile): the sum of squared character counts per band, each
    segment counted at its levelled centre (its own text leans with the page)."""
    counts: dict[int, int] = {}
    for g in segments:
        x0, y0, x1, y1 = g.bbox
        b = int(((y0 + y1) / 2 - slope * (x0 + x1) / 2) // band)
        counts[b] = counts.get(b, 0) + max(1, round((x1 - x0) / max(1, y1 - y0)))
    return sum(v * v for v in counts.values())


def _steep_slope(segments: list[Segment], s0: float) -> float | None:
    """A second opinion on the line slope for a steep photo of a tight table, where
    the pairwise estimate pairs a cell with the next line's neighbour (it sits
    level with it) and so levels nothing: the slope whose projection profile is
    sharpest, if it is clearly another one and sharper than ``s0``'s."""
    segs = [g for g in segments if g.text.strip()]
    if len(segs) < 10:
        return None
    band = max(1.0, median(max(1, g.bbox[3] - g.bbox[1]) for g in segs) / 2)
    score, slope = max((_profile(segs, k * 0.0025, band), k * 0.0025) for k in range(-80, 81))
    if abs(slope - s0) < 0.02 or score <= _profile(segs, s0, band):
        return None
    return slope


def _header_cells(zone: list[Row], geo: _Deskew) -> list[_Cell]:
    """Cluster the zone's segments into columns by horizontal overlap. A segment
    over two clusters (a caption across the table) names no column: dropped."""
    items = sorted(((geo.box(s.bbox), s) for r in zone for s in r.segments), key=lambda t: (t[0][1], t[0][0]))
    cells: list[_Cell] = []
    for b, s in items:
        w = max(1.0, b[2] - b[0])
        over = [c for c in cells if min(c.x1, b[2]) - max(c.x0, b[0]) > 0.3 * min(w, c.x1 - c.x0)]
        if len(over) > 1:
            continue
        if over:
            c = over[0]
            c.x0, c.x1 = min(c.x0, b[0]), max(c.x1, b[2])
            c.segs.append((b[1], b[0], s))
        else:
            cells.append(_Cell(b[0], b[2], [(b[1], b[0], s)]))
    cells.sort(key=lambda c: c.x0)
    for c in cells:
        key = c.key
        c.kind = _column_of(key)
        c.wan = bool(re.search(r"万元|\(万\)", key))
    # one cell per column kind: the first (leftmost) keeps it
    seen: set[str] = set()
    for c in cells:
        if c.kind in seen:
            c.kind = None
        elif c.kind:
            seen.add(c.kind)
    return cells


def _edits(n: int) -> int:
    """OCR edits tolerated in a column title of ``n`` characters (as for labels)."""
    return 0 if n <= 3 else 1 if n <= 6 else 2


@lru_cache(maxsize=4096)
def _column_of(key: str) -> str | None:
    """The column a header cell's text names, or None. The alias must cover most
    of the cell (units in brackets aside): ``合同期限`` inside a caption is no title."""
    core = re.sub(r"\(.*?(?:\)|$)", "", key)
    core = re.sub(r"[^\w]", "", core)
    if not core:
        return None
    have = set(core)
    best: tuple[int, int] | None = None
    kinds: set[str] = set()
    for kind, aliases in _COLUMN_KEYS.items():
        for ak in aliases:
            edits = _edits(len(ak))
            if len(ak) - edits > len(core) or sum(ch not in have for ch in ak) > edits:
                continue  # cannot match: spare the edit-distance search (every cell of every page)
            for s, e, d in approx_find(ak, core, edits):
                if e - s < 0.6 * len(core) or (d and len(ak) <= 6 and e - s != len(ak)):
                    continue  # not most of the cell; or a short title grown or shrunk (兑付总金额)
                score = (d, -len(ak))
                if best is None or score < best:
                    best, kinds = score, {kind}
                elif score == best:
                    kinds.add(kind)
    # two columns' titles fit equally well: OCR garbled it past telling
    return next(iter(kinds)) if len(kinds) == 1 else None


def _centres(b: tuple[float, float, float, float], n: int) -> tuple[float, float]:
    """From the first to the last character centre of a box holding ``n``
    characters: OCR boxes carry padding that can close a narrow gutter."""
    half = (b[2] - b[0]) / max(1, n) / 2
    return (b[0] + half, b[2] - half)


def _quietest(a: float, b: float, extents: list[tuple[float, float]]) -> float:
    """The middle of the stretch of (a, b) covered by the fewest extents (the
    longest such stretch): where one column's cells end and the next one's start."""
    xs = sorted({a, b, *(x for e in extents for x in e if a < x < b)})
    best: tuple[int, float, float] | None = None
    for lo, hi in zip(xs, xs[1:]):
        mid = (lo + hi) / 2
        n = sum(1 for x0, x1 in extents if x0 < mid < x1)
        if best is None or (n, -(hi - lo)) < (best[0], -best[1]):
            best = (n, hi - lo, mid)
    return best[2] if best else (a + b) / 2


@dataclass
class _Reading:
    """One reading of a page's rows table."""

    rows: list[dict] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    sound: bool = True  # every column titled, no column edge guessed inside a cell
    box: tuple[float, float] | None = None  # (top, bottom) on the page
    total: Candidate | None = None  # the 合计 row's payout
    contract_total: Decimal | None = None  # the 合计 row's contract amount

    @property
    def checks_out(self) -> bool:
        """Every row whole and the payouts adding up to the total."""
        return self.score[0] and self.score[1] == len(self.rows)

    @property
    def score(self) -> tuple[bool, int, int]:
        pays = [r["payout_amount"] for r in self.rows if "payout_amount" in r]
        adds_up = (
            self.total is not None
            and len(pays) == len(self.rows)
            and sum(map(Decimal, pays)) == Decimal(str(self.total.value))
        )
        whole = sum(1 for r in self.rows if set(_ROW_KEYS) <= set(r))
        return adds_up, whole, len(self.rows)


def _levelled(L: Layout, slope: float) -> tuple[Layout, _Deskew, dict[int, Segment]]:
    """A layout of ``L``'s segments with ``slope`` undone (rows regrouped level),
    its (identity) deskew, and the map back to the page's segments."""
    geo = _Deskew(slope)
    back: dict[int, Segment] = {}
    levelled: list[Segment] = []
    for g in (s for r in L.rows for s in r.segments):
        box = tuple(int(round(v)) for v in geo.box(g.bbox))
        lg = Segment(g.text, box, g.confidence)  # type: ignore[arg-type]
        back[id(lg)] = g
        levelled.append(lg)
    return Layout(levelled, L.page, L.width, L.height), _Deskew(0.0), back


# --------------------------------------------------------------------------- reader


class _FormReader:
    def __init__(self, page: Page):
        self.page = page
        self.L = Layout.of(page)
        self.method = page.method
        self.out: dict[str, Candidate] = {}
        self.rows: list[dict] = []
        self.row_spans: list[Span] = []
        self.table_sound = False  # see _Reading.sound
        self.contract_total: Decimal | None = None
        self.enterprises: int | None = None
        self._table_box: tuple[float, float] | None = None  # (top, bottom) of the rows table

    def read(self) -> dict[str, Candidate]:
        for step in (self._table, self._labelled, self._enterprises):
            try:
                step()
            except Exception:  # noqa: BLE001
                log.exception("application step %s failed", step.__name__)
        return self.out

    def _in_table(self, hit: LabelHit) -> bool:
        # a label inside the rows table is a column title or a cell, not a field
        if self._table_box is None:
            return False
        top, bottom = self._table_box
        return top <= hit.row.y_center <= bottom

    def _value(self, hit: LabelHit) -> Span:
        return self.L.value_near(hit, stop=_FIELD_LABELS)

    def _labelled(self) -> None:
        L = self.L
        for name in ("company_name", "provider_name", "credit_code", "contract_amount", "requested_amount"):
            if name in self.out:
                continue
            for hit in L.find(APPLICATION[name]):
                if self._in_table(hit):
                    continue
                c = self._read(name, self._value(hit), hit.row.key[hit.end : hit.end + 6])
                if c is None:
                    # a label cell printed over two lines: its value is centred between them
                    span, unit = self._wrapped_value(hit)
                    c = self._read(name, span, unit)
                if c is not None:
                    c.ev.fuzzy_label = not hit.exact
                    self.out[name] = c
                    break

    def _read(self, name: str, span: Span, unit: str) -> Candidate | None:
        """The value of field ``name`` in ``span``; ``unit``: the label's text after
        the alias (``（万元）`` scales a bare figure)."""
        if not span:
            return None
        if name in ("company_name", "provider_name"):
            return read_name(span, self.method)
        if name == "credit_code":
            return read_credit_code(span, self.method)
        c = read_money(span, self.method)
        if c is not None and _wan(unit) and not re.search("[万元圆]", span.text):
            c.value = format_amount(Decimal(str(c.value)) * 10000)  # the figure's own unit wins
        return c

    def _wrapped_value(self, hit: LabelHit) -> tuple[Span, str]:
        """The value of a label whose cell wraps over two lines (``申请补助金额（`` /
        ``元）``, ``统一社会信用代码（`` / ``组织机构代码）``): the next cell's text is
        centred on the cell, so it stands on a row of its own between the label's two
        lines, right of the label and left of the next cell on the label's lines.
        Returns (value, the label's text after the alias including its second line);
        the value is empty when the label is not wrapped or nothing is there."""
        L = self.L
        empty = Span((), self.page.number)
        row = hit.row
        si, ci = row._map[hit.end - 1]
        seg = row.segments[si]
        tail = key_of(seg.text[ci + 1 :])
        if si + 1 < len(row.segments) and not tail:
            return empty, ""  # the label's row goes on: not a wrapped cell
        h = max(1, seg.bbox[3] - seg.bbox[1])
        # the second line: just below, inside the label's column, short, closing it
        second: tuple[Row, int] | None = None
        for r in L.rows:
            for j, s in enumerate(r.segments):
                b = s.bbox
                if (b[1] > seg.bbox[1] + 0.4 * h and b[1] - seg.bbox[3] <= 0.9 * h
                        and b[0] >= seg.bbox[0] - h and b[2] <= seg.bbox[2] + h
                        and len(key_of(s.text)) <= 12 and ")" in key_of(s.text)):
                    second = (r, j)
                    break
            if second:
                break
        opened = tail.count("(") > tail.count(")")
        if second is None and not opened:
            return empty, ""
        if second is not None and not opened and not key_of(second[0].segments[second[1]].text).startswith("("):
            return empty, ""  # a closing bracket below with none open: another cell
        unit = tail + (key_of(second[0].segments[second[1]].text) if second else "")
        y0 = seg.bbox[1]
        y1 = second[0].segments[second[1]].bbox[3] if second else seg.bbox[3] + h
        # the next cell on the label's lines bounds the value's cell on the right
        limit = float("inf")
        if si + 1 < len(row.segments):
            limit = row.segments[si + 1].bbox[0]
        if second is not None and second[1] + 1 < len(second[0].segments):
            limit = min(limit, second[0].segments[second[1] + 1].bbox[0])
        label_keys = [key_of(a) for a in _FIELD_LABELS]
        best: Segment | None = None
        for r in L.rows:
            for s in r.segments:
                b = s.bbox
                cy = (b[1] + b[3]) / 2
                if s is seg or (second and s is second[0].segments[second[1]]):
                    continue
                if not (y0 < cy < y1) or b[0] < seg.bbox[2] - 0.3 * h or b[0] >= limit:
                    continue
                if any(key_of(s.text).startswith(k) for k in label_keys):
                    continue
                if best is None or b[0] < best.bbox[0]:
                    best = s
        if best is None:
            return empty, unit
        return Span((Piece(best, 0, len(best.text)),), self.page.number), unit

    def _enterprises(self) -> None:
        """The header's 服务企业数量 (``3家``): how many rows the table must hold."""
        for hit in self.L.find(_ENTERPRISES, fuzzy=False):
            if self._in_table(hit):
                continue
            m = re.match(r"[:]?(\d{1,3})家?", self.L.value_right(hit, max_gap=2.0).key)
            if m:
                self.enterprises = int(m.group(1))
                return

    # ---- the rows table

    def _table(self) -> None:
        segs = [s for r in self.L.rows for s in r.segments]
        if not segs:
            return
        s0 = estimate_slope(segs) if len(segs) < 1500 else 0.0
        best = self._read_table(self.L, _Deskew(s0), {})
        if (best is None or not best.checks_out) and len(segs) < 1500 and _looks_tabular(self.L):
            # maybe the rows were grouped at the wrong slope (a steep photo): read
            # again from boxes levelled at a second opinion's slope, keep the better
            steep = _steep_slope(segs, s0)
            if steep is not None:
                other = self._read_table(*_levelled(self.L, steep))
                if other is not None and (best is None or other.score > best.score):
                    best = other
        if best is None:
            return
        self.rows, self.row_spans, self.table_sound = best.rows, best.spans, best.sound
        self.contract_total, self._table_box = best.contract_total, best.box
        if best.total is not None:
            self.out["total_payout"] = best.total

    def _read_table(self, L: Layout, geo: _Deskew, back: dict[int, Segment]) -> _Reading | None:
        """The rows table as read from ``L`` (``back`` maps levelled segments to the
        page's, for the boxes reported); None when there is none."""

        def orig(ps: list[Piece]) -> tuple[Piece, ...]:
            return tuple(Piece(back.get(id(p.segment), p.segment), p.start, p.end) for p in ps)

        lh = L.line_height
        head = self._find_header(L.rows, geo, lh)
        if head is None:
            return None
        cells, first, last = head
        rows = L.rows
        head_bottom = max(geo.row_y(r)[2] for r in rows[first : last + 1])

        # body: the lines after the header up to 合计; rows anchored on amounts
        body: list[Row] = []
        total_row: Row | None = None
        prev = head_bottom
        for row in rows[last + 1 :]:
            if _TOTAL_RE.match(row.key):
                total_row = row
                break
            t, _, b = geo.row_y(row)
            if t - prev > 4 * lh and not body:
                break  # nothing under the header: not a table
            body.append(row)
            prev = b
        anchors = [r for r in body if any(_AMOUNT_TOKEN.search(fold_width(s.text)) for s in r.segments)]
        if not anchors:
            return None
        ays = [geo.row_y(r)[1] for r in anchors]
        pitch = median(b - a for a, b in zip(ays, ays[1:])) if len(ays) > 1 else 2.5 * lh
        # an anchor far below the previous one is not a row of this table (a
        # note under a table printed without 合计)
        for i in range(1, len(anchors)):
            if ays[i] - ays[i - 1] > 2.5 * max(pitch, lh) and total_row is None:
                anchors, ays = anchors[:i], ays[:i]
                break
        reach = max(0.75 * pitch, 1.2 * lh) if len(ays) > 1 else 2.5 * lh
        groups: list[list[Row]] = [[a] for a in anchors]
        anchor_ids = {id(a) for a in anchors}
        for row in body:
            if id(row) in anchor_ids:
                continue
            y = geo.row_y(row)[1]
            i = min(range(len(ays)), key=lambda k: abs(ays[k] - y))
            if abs(ays[i] - y) <= reach:
                groups[i].append(row)

        # column edges: in the gutters the body's cells leave between two titles
        extents = [_centres(geo.box(s.bbox), len(s.text)) for g in groups for r in g for s in r.segments]
        bounds: list[float] = []
        for c, d in zip(cells, cells[1:]):
            x = _quietest(c.x1, d.x0, extents) if d.x0 > c.x1 else (c.x1 + d.x0) / 2
            bounds.append(max(x, bounds[-1]) if bounds else x)
        kinds = {c.kind: i for i, c in enumerate(cells) if c.kind}

        out = _Reading(sound=set(kinds) == set(_ROW_KEYS))
        order = {id(r): i for i, r in enumerate(rows)}
        for g in groups:
            g.sort(key=lambda r: order[id(r)])
            lines: dict[int, list[list[Piece]]] = {}  # column -> lines of pieces
            for r in g:
                per_col: dict[int, list[Piece]] = {}
                for s in r.segments:
                    parts, guessed = _cut(s, geo, bounds)
                    out.sound = out.sound and not guessed
                    for col, piece in parts:
                        per_col.setdefault(col, []).append(piece)
                for col, ps in per_col.items():
                    lines.setdefault(col, []).append(ps)
            item = _row_item(lines, kinds, cells, L.page)
            if item is None:
                continue
            out.rows.append(item)
            out.spans.append(Span(orig([p for ls in lines.values() for ps in ls for p in ps]), L.page))
        if not out.rows:
            return None
        used = [*rows[first : last + 1], *(r for g in groups for r in g), *([total_row] if total_row else [])]
        ys = [y for r in used for p in orig([Piece(s, 0, len(s.text)) for s in r.segments]) for y in p.bbox[1::2]]
        out.box = (min(ys), max(ys))  # on the page as printed, for _in_table

        if total_row is not None:
            per_col = {}
            for s in total_row.segments:
                for col, piece in _cut(s, geo, bounds)[0]:
                    per_col.setdefault(col, []).append(piece)
            for key in ("payout_amount", "contract_amount"):
                if key not in kinds or kinds[key] not in per_col:
                    continue
                c = read_money(Span(orig(per_col[kinds[key]]), L.page), self.method)
                if c is None:
                    continue
                if cells[kinds[key]].wan:
                    c.value = format_amount(Decimal(str(c.value)) * 10000)
                if key == "payout_amount":
                    out.total = c
                else:
                    out.contract_total = Decimal(str(c.value))
        return out

    def _find_header(self, rows: list[Row], geo: _Deskew, lh: float) -> tuple[list[_Cell], int, int] | None:
        """The header: the run of one to three close lines whose cells name the most
        columns (at least three); ties go to fewer lines, then the topmost."""
        best: tuple[tuple[int, int, int], list[_Cell], int, int] | None = None
        for i in range(len(rows)):
            zone: list[Row] = []
            bottom = 0.0
            for j in range(i, min(i + 3, len(rows))):
                t, _, b = geo.row_y(rows[j])
                # a header line holds no figures; a wrapped title's next line is close
                if zone and (re.search(r"\d{2,}", rows[j].key) or t - bottom > 0.8 * lh):
                    break
                zone.append(rows[j])
                bottom = max(bottom, b)
                cells = _header_cells(zone, geo)
                named = sum(1 for c in cells if c.kind)
                score = (named, -len(zone), -i)
                # titles are most of a header's cells; three among a form's many
                # labels (a page read sideways) are not a header
                if named >= 3 and named >= 0.4 * len(cells) and (best is None or score > best[0]):
                    best = (score, cells, i, j)
        return None if best is None else (best[1], best[2], best[3])



def _cut(seg: Segment, geo: _Deskew, bounds: list[float]) -> tuple[list[tuple[int, Piece]], bool]:
    """The segment's text by column, each character placed by its centre; and
    whether where a column edge falls in it had to be guessed.

    Space-separated words go to their columns. A word over a column edge goes
    whole to the column holding most of it (OCR boxes overlap the gutter, and a
    photo's perspective bends columns), unless a good share lies on each side:
    two cells read as one, cut at the edge. Either way the edge is a guess."""
    text = seg.text
    n = len(text)
    if n == 0:
        return [], False
    x0, _, x1, _ = geo.box(seg.bbox)
    cols = [bisect.bisect(bounds, x0 + (x1 - x0) * (i + 0.5) / n) for i in range(n)]
    parts: list[tuple[int, int, int]] = []  # (column, start, end)
    guessed = False
    for m in re.finditer(r"\S+", text):
        a, b = m.span()
        cs = cols[a:b]
        main = max(set(cs), key=cs.count)
        if len(set(cs)) > 1:
            guessed = True
            if (b - a) - cs.count(main) >= max(3, 0.3 * (b - a)):
                k = a
                for i in range(a + 1, b + 1):
                    if i == b or cols[i] != cols[k]:
                        parts.append((cols[k], k, i))
                        k = i
                continue
        parts.append((main, a, b))
    out: list[tuple[int, Piece]] = []
    for col, a, b in parts:
        if out and out[-1][0] == col:
            a = out.pop()[1].start  # one piece per column keeps the spaces between words
        out.append((col, Piece(seg, a, b)))
    return out, guessed


def _row_item(lines: dict[int, list[list[Piece]]], kinds: dict[str, int], cells: list[_Cell], page: int) -> dict | None:
    """One row's values from its cells' lines of pieces (column index -> lines)."""

    def text_lines(key: str) -> list[str]:
        col = kinds.get(key)
        if col is None:
            return []
        return [t for t in (Span(tuple(ps), page).text for ps in lines.get(col, [])) if t.strip()]

    item: dict = {}
    name = clean_name("".join(text_lines("company_name")))
    if name:
        item["company_name"] = name
    services = _split_services(text_lines("services"))
    if services:
        item["services"] = services
    term = "".join(text_lines("contract_term"))
    if term:
        start, end, _ = parse_period(key_of(term))
        if start and end:
            item["contract_term"] = f"{start.isoformat()}/{end.isoformat()}"
    for key in ("contract_amount", "payout_amount"):
        t = "".join(text_lines(key))
        v = parse_amount(t) if _AMOUNT_TOKEN.search(fold_width(t)) else None  # not 6家 or a date
        if v is not None:
            item[key] = format_amount(v * 10000 if cells[kinds[key]].wan else v)
    # a row is anchored on an amount; without one it is a stray note
    if "contract_amount" not in item and "payout_amount" not in item:
        return None
    return item


def _looks_tabular(L: Layout) -> bool:
    """The page prints titles of at least three of the table's columns."""
    key = "".join(r.key for r in L.rows)
    return sum(1 for aliases in _COLUMN_KEYS.values() if any(a in key for a in aliases)) >= 3


def _split_services(lines: list[str]) -> list[str]:
    """The services of one cell: items split on 、，,； and line breaks. In a cell
    that lists with delimiters, a line not ending in one was wrapped mid-item
    (CJK line breaking keeps 、 at the end of a line), so it is joined."""
    lines = [ln.strip() for ln in lines if ln.strip()]
    if not lines:
        return []
    delimited = any(_SERVICE_SEP.search(ln) for ln in lines)
    text = lines[0]
    for ln in lines[1:]:
        wrapped = delimited and not _SERVICE_SEP.match(text[-1]) and not _SERVICE_SEP.match(ln[0])
        text += ln if wrapped else "\n" + ln
    items = (normalize_name(x) for x in _SERVICE_SEP.split(text))
    return [x for x in items if x]


def _wan(text_after_label: str) -> bool:
    """A header or label saying its figures are in 万元."""
    return bool(re.match(r"[(（]?\s*(人民币)?\s*万元", text_after_label))

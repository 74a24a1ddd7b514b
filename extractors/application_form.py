"""Subsidy application forms (申报表 / 兑付申请表).

Fields (CONTRACT.md): company_name, credit_code, provider_name, contract_amount,
requested_amount, rows (list of {company_name, services, contract_term,
contract_amount, payout_amount}) from the table, total_payout.

Forms are tables: a label cell with its value in the next cell to the right, or
(in narrow forms) in the cell below. The rows table is found by its header (at
least three known column titles on one row); each data row's cells are assigned
to columns by x, and rows end at 合计/总计, whose payout figure is total_payout.
Figures in a column titled ``（万元）`` are scaled. Cross-checks: the rows' payouts
add up to the total; the requested amount equals the total.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal

from extractors.fields import (
    Candidate,
    Kind,
    from_span,
    read_credit_code,
    read_money,
    read_name,
)
from extractors.labels import APPLICATION, APPLICATION_TITLES
from extractors.layout import Layout, LabelHit, Piece, Row, Span, key_of
from extractors.normalize.dates import format_date, parse_period
from extractors.normalize.money import format_amount, parse_amount
from extractors.normalize.names import normalize_name
from intake.model import DocType, ExtractedField, Page

log = logging.getLogger(__name__)

__all__ = ["ApplicationFormExtractor", "score_page"]

_FIELD_LABELS = [a for k, v in APPLICATION.items() if not k.startswith("col_") and k != "total_payout" for a in v]
_COLUMNS = ("col_index", "col_company", "col_services", "col_term", "col_contract", "col_payout")
_ROW_KEYS = {
    "col_company": "company_name",
    "col_services": "services",
    "col_term": "contract_term",
    "col_contract": "contract_amount",
    "col_payout": "payout_amount",
}


def score_page(text: str) -> float:
    """How much ``text`` looks like an application form (0..1)."""
    key = key_of(text)
    total = sum(w for word, w in APPLICATION_TITLES.items() if key_of(word) in key)
    return min(1.0, total / 2.5)


class ApplicationFormExtractor:
    doc_type = DocType.APPLICATION_FORM

    def extract(self, pages: list[Page]) -> dict[str, ExtractedField]:
        out: dict[str, Candidate] = {}
        rows: list[dict[str, str]] = []
        row_spans: list[Span] = []
        method = pages[0].method if pages else None
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
            rows.extend(reader.rows)
            row_spans.extend(reader.row_spans)
        if rows and method is not None:
            allspan = Span(tuple(p for s in row_spans for p in s.pieces), pages[0].number)
            cand = from_span(rows, allspan if allspan else None, Kind.TABLE, method)
            _check_rows(rows, out, cand)
            out["rows"] = cand
        return {k: c.to_field() for k, c in out.items()}


def _check_rows(rows: list[dict[str, str]], out: dict[str, Candidate], rows_cand: Candidate) -> None:
    total = out.get("total_payout")
    payouts = [Decimal(r["payout_amount"]) for r in rows if "payout_amount" in r]
    if total is not None and payouts and len(payouts) == len(rows):
        if sum(payouts) == Decimal(str(total.value)):
            total.ev.agrees("rows")
            rows_cand.ev.agrees("total")
        else:
            total.ev.disagrees("rows")
            rows_cand.ev.disagrees("total")
    req = out.get("requested_amount")
    if req is not None and total is not None and req.value == total.value:
        req.ev.agrees("total")
        total.ev.agrees("requested")


class _FormReader:
    def __init__(self, page: Page):
        self.page = page
        self.L = Layout.of(page)
        self.method = page.method
        self.out: dict[str, Candidate] = {}
        self.rows: list[dict[str, str]] = []
        self.row_spans: list[Span] = []

    def read(self) -> dict[str, Candidate]:
        for step in (self._table, self._labelled):
            try:
                step()
            except Exception:  # noqa: BLE001
                log.exception("application step %s failed", step.__name__)
        return self.out

    def _value(self, hit: LabelHit) -> Span:
        span = self.L.value_right(hit, stop=_FIELD_LABELS, max_gap=2.0)
        if not span:
            below = self.L.value_below(hit, max_dist=1.6)
            if below and not any(below.key.startswith(key_of(a)) for a in _FIELD_LABELS):
                span = below
        return span

    def _labelled(self) -> None:
        L = self.L
        table_top = self._table_top
        for field in ("company_name", "provider_name", "credit_code", "contract_amount", "requested_amount"):
            if field in self.out:
                continue
            for hit in L.find(APPLICATION[field]):
                if table_top is not None and hit.row.y_center >= table_top and field in ("company_name",):
                    continue  # a column title, not the applicant's label
                span = self._value(hit)
                if not span:
                    continue
                if field in ("company_name", "provider_name"):
                    c = read_name(span, self.method)
                elif field == "credit_code":
                    c = read_credit_code(span, self.method)
                else:
                    c = read_money(span, self.method)
                    if c is not None and _wan(hit.row.key[hit.end : hit.end + 6]):
                        c.value = format_amount(Decimal(str(c.value)) * 10000)
                if c is not None:
                    c.ev.fuzzy_label = not hit.exact
                    self.out[field] = c
                    break

    _table_top: float | None = None

    def _table(self) -> None:
        L = self.L
        header: Row | None = None
        cols: dict[str, tuple[float, bool]] = {}  # column -> (x centre, in 万元)
        for row in L.rows:
            sub = Layout(row.segments, L.page)
            found: dict[str, tuple[float, bool]] = {}
            for col in _COLUMNS:
                hits = sub.find(APPLICATION[col], fuzzy=False)
                if col == "col_contract":
                    hits = [h for h in hits if "兑付" not in row.key[max(0, h.start - 2) : h.start]]
                if hits:
                    h = hits[0]
                    found[col] = ((h.bbox[0] + h.bbox[2]) / 2, _wan(row.key[h.end : h.end + 6]))
            if len([c for c in found if c != "col_index"]) >= 3:
                header, cols = row, found
                break
        if header is None:
            return
        self._table_top = header.y_center
        order = sorted(cols.items(), key=lambda kv: kv[1][0])
        bounds = [(name, (order[i - 1][1][0] + x) / 2 if i else float("-inf")) for i, (name, (x, _)) in enumerate(order)]
        below = [r for r in L.rows if r.y_center > header.bbox[3]]
        for row in below:
            key = row.key
            is_total = bool(re.match(r"(合计|总计|合\s*计)", key))
            cells: dict[str, list[Piece]] = {}
            for seg in row.segments:
                x = seg.bbox[0] + 0.3 * row.height
                col = bounds[0][0]
                for name, left in bounds:
                    if x >= left:
                        col = name
                cells.setdefault(col, []).append(Piece(seg, 0, len(seg.text)))
            if is_total:
                pay = cells.get("col_payout")
                if pay:
                    span = Span(tuple(pay), L.page)
                    c = read_money(span, self.method)
                    if c is not None:
                        if cols["col_payout"][1]:
                            c.value = format_amount(Decimal(str(c.value)) * 10000)
                        self.out["total_payout"] = c
                break
            item: dict[str, str] = {}
            for col, key_name in _ROW_KEYS.items():
                pieces = cells.get(col)
                if not pieces or col not in cols:
                    continue
                text = "".join(p.text for p in pieces).strip()
                if key_name in ("contract_amount", "payout_amount"):
                    v = parse_amount(text)
                    if v is None:
                        continue
                    if cols[col][1]:
                        v = v * 10000
                    item[key_name] = format_amount(v)
                elif key_name == "contract_term":
                    start, end, _ = parse_period(key_of(text))
                    item[key_name] = f"{format_date(start)}至{format_date(end)}" if start and end else text
                elif key_name == "company_name":
                    item[key_name] = normalize_name(text)
                else:
                    item[key_name] = text
            if not item:
                continue
            if not any(k in item for k in ("contract_amount", "payout_amount")):
                # a wrapped cell continuing the previous row
                if self.rows:
                    for k, v in item.items():
                        if k in ("company_name", "services") and k in self.rows[-1]:
                            self.rows[-1][k] += v
                    continue
                if len(self.rows) == 0 and not item.get("company_name"):
                    continue
            self.rows.append(item)
            self.row_spans.append(Span(tuple(p for ps in cells.values() for p in ps), L.page))


def _wan(text_after_label: str) -> bool:
    """A header or label saying its figures are in 万元."""
    return bool(re.match(r"[(（]?\s*(人民币)?\s*万元", text_after_label))

"""VAT invoices (增值税发票): paper photos and scans (OCR) and e-invoice PDFs (text layer).

Fields (CONTRACT.md): invoice_kind, invoice_code, invoice_number, issued_on,
buyer/seller name and tax id, amount_excl_tax, tax_amount, total, total_in_words,
items, check_code.

How each is found:

* kind -- the title (``增值税专用发票`` ...; ``电子发票（…）`` is a digital 数电票);
  when a seal covers the title, the 抵扣联 copy name (special invoices only); the
  QR type field.
* code / number -- their labels; on paper invoices the code is printed twice (left
  of the title and under the red number) and the number twice (after ``No`` and
  under it): two reads that agree are evidence.
* buyer / seller -- both blocks use the same labels; each label is assigned to the
  nearer of the 购买方 / 销售方 headers (stacked on paper forms, side by side on
  数电票), falling back to top/left = buyer.
* amounts -- the 合计 row (amount, tax), ``(小写)`` (total) and 大写 (words), then
  cross-checked: amount + tax = total, words = total, item sums, and the QR.
* items -- the table between the item header and the 合计 row, cells assigned to
  columns by the x of the column headers.

Everything goes through ``extractors.fields`` so confidence is decided in one place.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal

from extractors.fields import (
    Candidate,
    Evidence,
    Kind,
    from_qr,
    from_span,
    read_date,
    read_digits,
    read_money,
    read_name,
    read_tax_id,
    sub_by_key,
)
from extractors.invoice_qr import InvoiceQr, parse_invoice_qr
from extractors.labels import INVOICE, INVOICE_KIND_HINTS, INVOICE_KIND_TITLES, INVOICE_TITLES
from extractors.layout import Layout, LabelHit, Row, Span, assign_sides, key_of
from extractors.normalize.dates import format_date
from extractors.normalize.money import format_amount, parse_amount, parse_uppercase_amount
from extractors.normalize.text import compact, fold_width, to_simplified
from intake.model import BBox, DocType, ExtractedField, Method, Page

log = logging.getLogger(__name__)

__all__ = ["VatInvoiceExtractor", "score_page"]


def score_page(text: str) -> float:
    """How much ``text`` looks like a VAT invoice page (0..1): weighted label hits."""
    key = key_of(text)
    total = sum(w for word, w in INVOICE_TITLES.items() if key_of(word) in key)
    return min(1.0, total / 3.0)


class VatInvoiceExtractor:
    doc_type = DocType.VAT_INVOICE

    def extract(self, pages: list[Page]) -> dict[str, ExtractedField]:
        if not pages:
            return {}
        page = max(pages, key=lambda p: score_page(p.text))
        try:
            cands = _InvoiceReader(page).read()
        except Exception:  # noqa: BLE001 - odd text must never lose the document
            log.exception("invoice extraction failed on %s p.%s", page.file, page.number)
            return {}
        return {name: c.to_field() for name, c in cands.items() if c is not None}


# --------------------------------------------------------------------------- reader

_AMOUNT_RE = re.compile(r"[¥￥]?-?\d[\d,]*\.\d{2}(?!\d)")
_MARKED_AMOUNT_RE = re.compile(r"[¥￥手#半羊]-?\d[\d,]*\.\d{2}(?!\d)")
_RATE_RE = re.compile(r"\d{1,2}(?:\.\d+)?%|免税|不征税|\*\*\*")
_WORDS_CHARS = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿圆元角分整正负")
_PARTY_STOPS = [
    "名称",
    "纳税人识别号",
    "统一社会信用代码",
    "地址、电话",
    "地址",
    "开户行及账号",
    "密码区",
    "备注",
    "订单号",
]


@dataclass
class _Party:
    name: Candidate | None = None
    tax_id: Candidate | None = None


class _InvoiceReader:
    def __init__(self, page: Page):
        self.page = page
        self.layout = Layout.of(page)
        self.method: Method | str = page.method
        self.out: dict[str, Candidate | None] = {}

    # ------------------------------------------------------------------ driver

    def read(self) -> dict[str, Candidate]:
        steps = (
            self._kind,
            self._code_and_number,
            self._date,
            self._parties,
            self._amounts,
            self._items,
            self._check_code,
            self._qr,
            self._cross_checks,
            self._party_blocks,
        )
        for step in steps:
            try:
                step()
            except Exception:  # noqa: BLE001 - one odd field must not lose the others
                log.exception("invoice step %s failed", step.__name__)
        return {k: v for k, v in self.out.items() if v is not None}

    # ------------------------------------------------------------------ kind

    def _kind(self) -> None:
        L = self.layout
        texts = [(r.key, r) for r in L.rows] + [(key_of(v.text), v) for v in L.verticals]
        for title, kind in INVOICE_KIND_TITLES:
            tk = key_of(title)
            for key, src in texts:
                i = key.find(tk)
                if i >= 0:
                    span = src.span(i, i + len(tk), L.page) if isinstance(src, Row) else _seg_span(src, L.page)
                    self.out["invoice_kind"] = from_span(
                        kind, span, Kind.ENUM, self.method, raw=title, ev=Evidence(vocabulary=True)
                    )
                    return
        for hint, kind in INVOICE_KIND_HINTS:
            hk = key_of(hint)
            for key, src in texts:
                i = key.find(hk)
                if i >= 0:
                    span = src.span(i, i + len(hk), L.page) if isinstance(src, Row) else _seg_span(src, L.page)
                    # a copy name only one kind has (抵扣联): near-certain, but it is
                    # not the title, so a little below a title read
                    self.out["invoice_kind"] = from_span(
                        kind, span, Kind.ENUM, self.method, raw=hint, ev=Evidence(vocabulary=True, fuzzy_label=True)
                    )
                    return

    # ------------------------------------------------------------------ code / number

    def _code_and_number(self) -> None:
        L = self.layout
        labelled_code = self._labelled_digits(INVOICE["invoice_code"], (10, 12))
        labelled_no = self._labelled_digits(INVOICE["invoice_number"], (8, 20))
        # unlabelled reads in the header band (paper forms print both twice)
        top = self._header_band()
        code_reads: list[Candidate] = []
        no_reads: list[Candidate] = []
        for row in top:
            for seg in row.segments:
                seg_span = _seg_span(seg, L.page)
                key = seg_span.key
                for m in re.finditer(r"(?<![0-9A-Z])\d{8,12}(?![0-9])", key):
                    before = key[max(0, m.start() - 6) : m.start()]
                    if any(w in before for w in ("机器编号", "编号:", "识别号", "码:")) and "号码" not in before:
                        continue
                    if row.key.find(key) > 0 and "机器编号" in row.key[max(0, row.key.find(key) - 6) : row.key.find(key)]:
                        continue
                    span = sub_by_key(seg_span, m.start(), m.end())
                    c = from_span(m.group(), span, Kind.NUMBER, self.method, raw=m.group(), ev=Evidence(pattern=True))
                    if len(m.group()) in (10, 12):
                        code_reads.append(c)
                    elif len(m.group()) == 8:
                        no_reads.append(c)
        self.out["invoice_code"] = _settle(labelled_code, code_reads)
        self.out["invoice_number"] = _settle(labelled_no, no_reads)

    def _labelled_digits(self, aliases: list[str], lengths: tuple[int, ...]) -> list[Candidate]:
        out = []
        for hit in self.layout.find(aliases):
            span = self.layout.value_right(hit, max_gap=1.5)
            c = read_digits(span, self.method, lengths)
            if c is not None:
                c.ev.fuzzy_label = not hit.exact
                out.append(c)
        return out

    def _header_band(self) -> list[Row]:
        """Rows above the buyer block: where title, code, number and date live."""
        L = self.layout
        limit = L.height * 0.3 if L.height else float("inf")
        first_party = L.find(INVOICE["name"] + INVOICE["tax_id"])
        if first_party:
            limit = min(limit, first_party[0].row.bbox[1])
        return [r for r in L.rows if r.bbox[3] <= limit + L.line_height]

    # ------------------------------------------------------------------ date

    def _date(self) -> None:
        for hit in self.layout.find(INVOICE["issued_on"]):
            c = read_date(self.layout.value_right(hit, max_gap=3.0), self.method)
            if c is not None:
                c.ev.fuzzy_label = not hit.exact
                self.out["issued_on"] = c
                return

    # ------------------------------------------------------------------ parties

    def _parties(self) -> None:
        L = self.layout
        item_hits = L.find(INVOICE["item_col"])
        name_hits = [h for h in L.find(INVOICE["name"]) if not _inside_any(h, item_hits)]
        tax_hits = L.find(INVOICE["tax_id"])
        buyer_box = _header_box(L, INVOICE["buyer_header"], "购")
        seller_box = _header_box(L, INVOICE["seller_header"], "销")
        buyer, seller = _Party(), _Party()
        for hits, attr in ((name_hits, "name"), (tax_hits, "tax_id")):
            sides = [(h, "buyer" if i == 0 else "seller") for h, i in assign_sides(hits, buyer_box, seller_box)]
            for hit, side in sides:
                party = buyer if side == "buyer" else seller
                if getattr(party, attr) is not None:
                    continue
                span = L.value_right(hit, stop=_PARTY_STOPS, max_gap=2.0)
                if attr == "name":
                    c = read_name(span, self.method)
                    if c is not None and _looks_like_cipher(c.value):
                        c = None
                else:
                    c = read_tax_id(span, self.method)
                if c is not None:
                    c.ev.fuzzy_label = not hit.exact
                    setattr(party, attr, c)
        # A tax id printed again elsewhere on the page: the seller's seal repeats
        # the seller's id, which confirms the seller's. Nothing repeats the
        # buyer's, so a "buyer" id found twice is the seller's id taken for the
        # buyer's (Tesseract on e-invoices merges the two blocks' lines).
        for party, repeated in ((seller, "agrees"), (buyer, "disagrees")):
            tid = party.tax_id
            if tid is not None and len(str(tid.value)) >= 15:
                reads = [s for m, s in L.search(re.escape(str(tid.value))) if s.bbox != tid.bbox]
                if any(_far(s.bbox, tid.bbox) for s in reads):
                    getattr(tid.ev, repeated)("printed twice")
        if buyer.tax_id is not None and seller.tax_id is not None and buyer.tax_id.value == seller.tax_id.value:
            buyer.tax_id.ev.disagrees("same as seller")
            seller.tax_id.ev.disagrees("same as buyer")
        self.out["buyer_name"] = buyer.name
        self.out["buyer_tax_id"] = buyer.tax_id
        self.out["seller_name"] = seller.name
        self.out["seller_tax_id"] = seller.tax_id

    # ------------------------------------------------------------------ amounts

    def _amounts(self) -> None:
        L = self.layout
        # total in figures: after (小写)
        for hit in L.find(INVOICE["total_figures"]):
            span = L.value_right(hit, max_gap=2.0)
            m = _AMOUNT_RE.search(span.key) if span else None
            if m:
                c = read_money(sub_by_key(span, m.start(), m.end()), self.method)
                if c is not None:
                    self.out["total"] = c
                    break
        # total in words: after 价税合计(大写)
        words_row: Row | None = None
        for hit in L.find(INVOICE["total_words"]):
            span = L.value_right(hit, stop=INVOICE["total_figures"], max_gap=3.0)
            c = self._words(span)
            if c is not None:
                self.out["total_in_words"] = c
                words_row = hit.row
                break
            words_row = words_row or hit.row
        if self.out.get("total") is None and words_row is not None:
            marked = [(m, s) for m, s in _row_amounts(words_row, L.page) if m.group()[0] in "¥￥"]
            if marked:
                self.out["total"] = read_money(marked[-1][1], self.method)
        # amount and tax: the 合计 row, else the nearest row above the words row
        # holding two money figures
        sums_row = self._sums_row(words_row)
        if sums_row is not None:
            amounts = [(m, s) for m, s in _row_amounts(sums_row, L.page)]
            amounts = _assign_columns(amounts, L, sums_row)
            if amounts.get("amount") is not None:
                self.out["amount_excl_tax"] = read_money(amounts["amount"], self.method)
            if amounts.get("tax") is not None:
                self.out["tax_amount"] = read_money(amounts["tax"], self.method)

    def _words(self, span: Span) -> Candidate | None:
        if not span:
            return None
        raw = span.text
        words = "".join(ch for ch in key_of(raw) if ch in _WORDS_CHARS)
        if len(words) < 2 or not any(ch in "圆元角分" for ch in words):
            return None
        c = from_span(words, span, Kind.TEXT, self.method, raw=raw, ev=Evidence())
        return c

    def _sums_row(self, words_row: Row | None) -> Row | None:
        L = self.layout
        for hit in L.find(INVOICE["sum_row"]):
            if "价税" in hit.row.key[max(0, hit.start - 2) : hit.start]:
                continue
            if len(_row_amounts(hit.row, L.page)) >= 2:
                return hit.row
        if words_row is None:
            return None
        above = [r for r in L.rows if r.y_center < words_row.y_center]
        for row in reversed(above[-4:]):
            if len([m for m, _ in _row_amounts(row, L.page) if m.group()[0] in "¥￥手#半羊"]) >= 2:
                return row
        return None

    # ------------------------------------------------------------------ items

    def _items(self) -> None:
        L = self.layout
        header = L.find_one(INVOICE["item_col"])
        if header is None:
            return
        hrow = header.row
        words = [key_of(w) for w in ("规格型号", "单位", "数量", "单价", "金额", "税率", "税额", "车牌号")]
        near = [
            r
            for r in L.rows
            if r is hrow
            or (
                abs(r.y_center - hrow.y_center) <= 1.6 * max(hrow.height, L.line_height)
                and any(w in r.key for w in words)
                and not _AMOUNT_RE.search(r.key)
            )
        ]
        cols: dict[str, float] = {"name": (header.bbox[0] + header.bbox[2]) / 2}
        col_left: dict[str, float] = {"name": header.bbox[0]}
        sub_layout = Layout([s for r in near for s in r.segments], L.page)
        for name, aliases in (
            ("spec", ["规格型号", "车牌号"]),
            ("unit", ["单位", "单 位"]),
            ("qty", ["数量", "数 量"]),
            ("price", ["单价", "单 价"]),
            ("amount", INVOICE["amount_col"]),
            ("rate", INVOICE["rate_col"]),
            ("tax", INVOICE["tax_col"]),
        ):
            hits = [h for h in sub_layout.find(aliases) if h.bbox[0] > header.bbox[0]]
            if name == "amount":
                hits = [h for h in hits if "单" not in h.row.key[max(0, h.start - 1) : h.start]]
            if hits:
                h = hits[0] if name != "tax" else hits[-1]
                cols[name] = (h.bbox[0] + h.bbox[2]) / 2
                col_left[name] = h.bbox[0]
        if "amount" not in cols:
            return
        # the band of item rows
        # typical bottom edge of the header rows (a stray mark joined to a row
        # must not push the band down over the first item)
        y_top = max(sorted(s.bbox[3] for s in r.segments)[len(r.segments) // 2] for r in near)
        y_top -= 0.3 * L.line_height
        y_bottom = float("inf")
        for hit in L.find(INVOICE["sum_row"] + INVOICE["total_words"]):
            if hit.row.y_center > y_top:
                y_bottom = min(y_bottom, hit.row.bbox[1])
        rows = [r for r in L.rows if r.y_center > y_top and r.y_center < y_bottom and not any(r is n for n in near)]
        order = sorted(cols.items(), key=lambda kv: kv[1])
        bounds = [(order[i][0], (order[i - 1][1] + order[i][1]) / 2 if i else float("-inf")) for i in range(len(order))]
        # a cell belongs to the name column when it starts left of the midway point
        # between the name column and the next one (names are long and left-aligned)
        next_center = min((x for k, x in cols.items() if k != "name"), default=float("inf"))
        name_right = (cols["name"] + next_center) / 2

        items: list[dict[str, str]] = []
        spans: list[Span] = []
        pending_name = ""
        for row in rows:
            cells: dict[str, list[tuple[str, Span]]] = {}
            for seg in row.segments:
                for part, sp in _tokens(seg, L.page):
                    # the left edge decides: figures are right-aligned and may run
                    # past their cell's middle, but never start in the next cell
                    x = sp.bbox[0] + 0.3 * row.height
                    col = "name" if sp.bbox[0] < name_right else _column(bounds, x)
                    if col == "name" and sp.bbox[0] >= name_right:
                        col = "spec"
                    cells.setdefault(col, []).append((part, sp))
            amount_cells = [p for p, _ in cells.get("amount", []) if _AMOUNT_RE.fullmatch(p)]
            name_text = "".join(p for p, _ in cells.get("name", []))
            if amount_cells and not _MARKED_AMOUNT_RE.search(row.key):
                item: dict[str, str] = {}
                name = (pending_name + name_text).strip()
                pending_name = ""
                if name:
                    item["name"] = _item_name(name)
                amt = parse_amount(amount_cells[0])
                if amt is not None:
                    item["amount"] = format_amount(amt)
                rate = next((m.group() for p, _ in cells.get("rate", []) for m in [_RATE_RE.search(p)] if m), None)
                if rate:
                    item["tax_rate"] = rate
                tax_cells = [p for p, _ in cells.get("tax", []) if _AMOUNT_RE.fullmatch(p)]
                if tax_cells:
                    tax = parse_amount(tax_cells[0])
                    if tax is not None:
                        item["tax"] = format_amount(tax)
                items.append(item)
                spans.extend(sp for col in cells.values() for _, sp in col)
            elif name_text and not amount_cells:
                if items and "name" in items[-1] and not _MARKED_AMOUNT_RE.search(row.key):
                    items[-1]["name"] = _item_name(items[-1]["name"] + name_text)
                    spans.extend(sp for _, sp in cells["name"])
                elif not items:
                    pending_name += name_text
        if not items:
            return
        allspan = Span(tuple(p for s in spans for p in s.pieces), L.page)
        self.out["items"] = from_span(items, allspan, Kind.TABLE, self.method, raw=None)

    # ------------------------------------------------------------------ check code

    def _check_code(self) -> None:
        for hit in self.layout.find(INVOICE["check_code"]):
            span = self.layout.value_right(hit, max_gap=1.5)
            if not span:
                continue
            digits = re.sub(r"\D", "", span.key)
            m = re.match(r"\d{20}", digits)
            if m:
                # printed in groups of five: map the 20th digit back to the key
                key = span.key
                count, end = 0, 0
                for i, ch in enumerate(key):
                    if ch.isdigit():
                        count += 1
                        if count == 20:
                            end = i + 1
                            break
                first = next(i for i, ch in enumerate(key) if ch.isdigit())
                sub = sub_by_key(span, first, end)
                c = from_span(m.group(), sub, Kind.NUMBER, self.method, raw=span.text, ev=Evidence(pattern=True))
                c.ev.fuzzy_label = not hit.exact
                self.out["check_code"] = c
                return

    # ------------------------------------------------------------------ QR

    def _qr(self) -> None:
        qr: InvoiceQr | None = None
        for payload in self.page.qr_payloads:
            qr = parse_invoice_qr(payload)
            if qr is not None:
                break
        if qr is None:
            return
        self.qr = qr
        pg = self.page.number

        def check(name: str, value: str | None, kind: Kind, same=lambda a, b: a == b) -> None:
            if value is None:
                return
            c = self.out.get(name)
            if c is None:
                self.out[name] = from_qr(value, qr.raw, kind, pg)
            elif same(str(c.value), value):
                c.ev.agrees("qr")
            else:
                c.ev.disagrees("qr")

        if qr.kind:
            check("invoice_kind", qr.kind, Kind.ENUM)
        if qr.code:
            check("invoice_code", qr.code, Kind.NUMBER)
        elif self.out.get("invoice_code") is not None and qr.digital:
            self.out["invoice_code"].ev.disagrees("qr")  # 数电票 carry no code
        check("invoice_number", qr.number, Kind.NUMBER)
        if qr.issued_on:
            check("issued_on", format_date(qr.issued_on), Kind.DATE)
        if qr.check_code:
            check("check_code", qr.check_code, Kind.NUMBER, same=lambda a, b: a.endswith(b))
            cc = self.out.get("check_code")
            if cc is not None and cc.method == Method.QR and len(qr.check_code) != 20:
                self.out["check_code"] = None  # only a suffix: not the field
        if qr.amount is not None:
            value = format_amount(qr.amount)
            first, second = ("total", "amount_excl_tax") if qr.amount_is_total else ("amount_excl_tax", "total")
            a, b = self.out.get(first), self.out.get(second)
            if a is not None and a.value == value:
                a.ev.agrees("qr")
            elif b is not None and b.value == value:
                b.ev.agrees("qr")
            elif a is None:
                self.out[first] = from_qr(value, qr.raw, Kind.MONEY, pg)
            else:
                a.ev.disagrees("qr")

    # ------------------------------------------------------------------ cross-checks

    def _party_blocks(self) -> None:
        """On paper and electronic invoices the buyer's block is printed above the
        价税合计 row and the seller's below it. A party value found on the wrong
        side was taken from the other block (the other party's id passes its
        checksum just as well), so it is doubted. 数电票 print both parties side
        by side above the table: no such check there."""
        kind = self.out.get("invoice_kind")
        if kind is not None and kind.value == "digital":
            return
        hit = self.layout.find_one(["价税合计"], fuzzy=False)
        if hit is None:
            return
        line = (hit.span.bbox[1] + hit.span.bbox[3]) / 2
        for name, above in (("buyer_name", True), ("buyer_tax_id", True), ("seller_name", False), ("seller_tax_id", False)):
            c = self.out.get(name)
            if c is None or c.bbox is None:
                continue
            middle = (c.bbox[1] + c.bbox[3]) / 2
            if (middle < line) != above:
                c.ev.disagrees("other party's block")

    def _cross_checks(self) -> None:
        out = self.out
        amount, tax, total = out.get("amount_excl_tax"), out.get("tax_amount"), out.get("total")
        words = out.get("total_in_words")
        dec = lambda c: Decimal(str(c.value)) if c is not None else None  # noqa: E731
        # 大写 = 小写
        if words is not None:
            strict = parse_uppercase_amount(str(words.value))
            tolerant = parse_uppercase_amount(str(words.value), tolerant=True)
            if total is not None:
                if strict is not None and strict == dec(total):
                    total.ev.agrees("words")
                    words.ev.agrees("figures")
                elif tolerant is not None and tolerant == dec(total):
                    total.ev.agrees("words")
                elif tolerant is not None or strict is not None:
                    total.ev.disagrees("words")
                    words.ev.disagrees("figures")
            elif tolerant is not None:
                out["total"] = from_span(
                    format_amount(tolerant), None, Kind.MONEY, words.method, raw=words.raw,
                    ev=Evidence(inferred=True), page=words.page, ocr=words.ocr,
                )
                out["total"].bbox = words.bbox
        total = out.get("total")
        # amount + tax = total
        if amount is not None and tax is not None and total is not None:
            if dec(amount) + dec(tax) == dec(total):
                for c in (amount, tax, total):
                    c.ev.agrees("sum")
            else:
                for c in (amount, tax):
                    c.ev.disagrees("sum")
                if not total.ev.agree:
                    total.ev.disagrees("sum")
        elif total is not None and tax is not None and amount is None:
            out["amount_excl_tax"] = _inferred(dec(total) - dec(tax), tax)
        elif total is not None and amount is not None and tax is None:
            out["tax_amount"] = _inferred(dec(total) - dec(amount), amount)
        # item sums
        items = out.get("items")
        if items is not None and isinstance(items.value, list):
            amounts = [Decimal(i["amount"]) for i in items.value if "amount" in i]
            taxes = [Decimal(i["tax"]) for i in items.value if "tax" in i]
            a_ok = amount is not None and len(amounts) == len(items.value) and sum(amounts) == dec(amount)
            t_ok = tax is not None and len(taxes) == len(items.value) and sum(taxes) == dec(tax)
            if a_ok:
                amount.ev.agrees("items")
            if t_ok:
                tax.ev.agrees("items")
            names_ok = all(i.get("name") for i in items.value)
            # The sums vouch for the amounts, not for the item names: an OCR'd
            # name can carry a stray digit from the next column and still add
            # up, so only exact text (the text layer) is raised by them.
            if a_ok and t_ok and names_ok and self.method is Method.TEXT_LAYER:
                items.ev.agrees("sums")
            elif amount is not None and not a_ok:
                items.ev.unlabelled = True  # rows do not add up: some row is missing or misread
        # the kind follows from the number on digital invoices
        kind, number, code = out.get("invoice_kind"), out.get("invoice_number"), out.get("invoice_code")
        if kind is not None and number is not None:
            is_digital = len(str(number.value)) == 20 and code is None
            if (kind.value == "digital") != is_digital:
                kind.ev.disagrees("number shape")
            elif is_digital:
                kind.ev.agrees("number shape")  # only says digital or not: no help otherwise
        if kind is not None and kind.value == "digital" and code is not None:
            code.ev.disagrees("kind")


# --------------------------------------------------------------------------- helpers


def _seg_span(seg, page: int) -> Span:
    from extractors.layout import Piece

    return Span((Piece(seg, 0, len(seg.text)),), page)


def _settle(labelled: list[Candidate], reads: list[Candidate]) -> Candidate | None:
    """One value from labelled reads and unlabelled reads of the same thing.

    The labelled read wins; any other independent read of the same digits (at a
    different place) is an agreement, a different value a disagreement only when
    no read agrees."""
    pool = labelled or reads
    if not pool:
        return None
    if not labelled:
        # unlabelled only: the most repeated value, which needs repetition to be trusted
        values: dict[str, list[Candidate]] = {}
        for c in reads:
            values.setdefault(str(c.value), []).append(c)
        value, group = max(values.items(), key=lambda kv: (len(kv[1]), -kv[1][0].bbox[1] if kv[1][0].bbox else 0))
        chosen = max(group, key=lambda c: c.ocr)
        chosen.ev.unlabelled = True
        if len([c for c in group if c.bbox != chosen.bbox and _far(c.bbox, chosen.bbox)]) >= 1:
            chosen.ev.agrees("printed twice")
        if len(values) > 1 and len(group) == 1:
            chosen.ev.disagrees("other read")
        return chosen
    chosen = labelled[0]
    others = [c for c in labelled[1:] + reads if c.bbox is None or chosen.bbox is None or _far(c.bbox, chosen.bbox)]
    same = [c for c in others if c.value == chosen.value]
    if same:
        chosen.ev.agrees("printed twice")
    return chosen


def _far(a: BBox | None, b: BBox | None) -> bool:
    """Two boxes that are not the same print (no overlap)."""
    if a is None or b is None:
        return True
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return True
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return iw * ih < 0.3 * max(1, smaller)


def _inside_any(hit: LabelHit, others: list[LabelHit]) -> bool:
    return any(o.row is hit.row and o.start <= hit.start and hit.end <= o.end for o in others)


def _header_box(L: Layout, aliases: list[str], first_char: str) -> BBox | None:
    for word in aliases[:1]:
        box = L.find_vertical(word)
        if box is not None:
            return box
    return L.find_vertical(first_char) if first_char else None


def _row_amounts(row: Row, page: int) -> list[tuple[re.Match[str], Span]]:
    """Money figures on a row, per segment (figures never run across segments;
    joining the row's text would glue a quantity to a price)."""
    out = []
    for seg in row.segments:
        sp = _seg_span(seg, page)
        key = sp.key
        for m in re.finditer(r"[¥￥手#半羊]?-?\d[\d,]*\.\d{2}(?![\d%])", key):
            marked = m.group()[0] in "¥￥手#半羊"
            if not marked and m.start() > 0 and (key[m.start() - 1].isdigit() or key[m.start() - 1] == "."):
                continue
            out.append((m, sub_by_key(sp, m.start(), m.end())))
    return out


def _assign_columns(amounts: list[tuple[re.Match[str], Span]], L: Layout, row: Row) -> dict[str, Span | None]:
    """The sums row: the 金额 figure and the 税额 figure (by the column headers'
    x when found, else left to right)."""
    if not amounts:
        return {}
    amt_hits = [h for h in L.find(INVOICE["amount_col"]) if h.row.y_center < row.y_center and "价税" not in h.row.key]
    tax_hits = [h for h in L.find(INVOICE["tax_col"]) if h.row.y_center < row.y_center]
    if amt_hits and tax_hits and len(amounts) >= 2:
        ax = (amt_hits[-1].bbox[0] + amt_hits[-1].bbox[2]) / 2
        tx = (tax_hits[-1].bbox[0] + tax_hits[-1].bbox[2]) / 2
        cx = lambda s: (s.bbox[0] + s.bbox[2]) / 2  # noqa: E731
        a = min(amounts, key=lambda t: abs(cx(t[1]) - ax))[1]
        t = min(amounts, key=lambda t: abs(cx(t[1]) - tx))[1]
        if a is not t:
            return {"amount": a, "tax": t}
    if len(amounts) >= 2:
        return {"amount": amounts[-2][1], "tax": amounts[-1][1]}
    return {"amount": amounts[0][1]}


def _tokens(seg, page: int) -> list[tuple[str, Span]]:
    """A segment cut into its numbers and the text between them, each with its span
    (so a segment running over two columns is split)."""
    from extractors.layout import Piece

    out = []
    text = seg.text
    pos = 0
    for m in re.finditer(r"[¥￥]?-?\d+(?:\.\d+)?%?", text):
        if m.start() > pos:
            out.append((text[pos : m.start()], Span((Piece(seg, pos, m.start()),), page)))
        out.append((m.group(), Span((Piece(seg, m.start(), m.end()),), page)))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], Span((Piece(seg, pos, len(text)),), page)))
    # a number glued to text on its left (``红米3``) is part of that text
    merged: list[tuple[str, Span]] = []
    for part, sp in out:
        if merged and not merged[-1][0].strip().replace(".", "").replace("%", "").lstrip("¥￥-").isdigit() and not part.strip():
            continue
        if (
            merged
            and re.fullmatch(r"\d+", part)
            and merged[-1][0]
            and not merged[-1][0][-1].isspace()
            and not re.fullmatch(r"[¥￥]?-?\d+(?:\.\d+)?%?", merged[-1][0])
        ):
            prev, psp = merged.pop()
            merged.append((prev + part, psp.plus(sp)))
            continue
        merged.append((part, sp))
    return [(p.strip(), s) for p, s in merged if p.strip()]


def _column(bounds: list[tuple[str, float]], x: float) -> str:
    col = bounds[0][0]
    for name, left in bounds:
        if x >= left:
            col = name
    return col


def _looks_like_cipher(s: str) -> bool:
    return sum(ch in "<>*/+-" for ch in s) >= 3


def _inferred(value: Decimal, basis: Candidate) -> Candidate:
    c = from_span(
        format_amount(value), None, Kind.MONEY, basis.method, raw=None,
        ev=Evidence(inferred=True), page=basis.page, ocr=basis.ocr,
    )
    return c


_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def _item_name(text: str) -> str:
    """An item name as printed (``*类别*名称``: the stars stay), simplified,
    half-width, spaces removed, brackets full-width like other names."""
    return compact(fold_width(to_simplified(text))).translate(_BRACKETS)

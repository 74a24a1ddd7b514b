"""Bank payment receipts (银行回单 / 付款凭证).

Fields (CONTRACT.md): payer_name, payer_account, payee_name, payee_account, amount,
paid_on, serial_number, purpose, bank.

Banks print two layouts, both handled:

* qualified labels on one line -- ``付款人名称：… 收款人名称：…``, ``付款账号：…``;
* two blocks with the same labels (``户名`` / ``账号`` / ``开户行``) under 付款人 and
  收款人 headers, side by side (most 回单) or stacked; each generic label is
  assigned to the nearer header (``layout.assign_sides``).

The amount in figures is cross-checked against the 大写 amount when printed.
"""

from __future__ import annotations

import logging
import re

from extractors.fields import (
    Candidate,
    Evidence,
    Kind,
    from_span,
    read_date,
    read_money,
    read_name,
    sub_by_key,
)
from extractors.labels import RECEIPT, RECEIPT_TITLES
from extractors.layout import Layout, LabelHit, Span, assign_sides, key_of
from extractors.normalize.money import format_amount, parse_uppercase_amount
from extractors.normalize.text import to_simplified
from intake.model import DocType, ExtractedField, Page

log = logging.getLogger(__name__)

__all__ = ["PaymentReceiptExtractor", "score_page"]

def _flat(aliases: list) -> list[str]:
    """Alias lists may be tiers (lists of lists) where the order is a preference."""
    return [a for x in aliases for a in (x if isinstance(x, list) else [x])]


_ALL_LABELS = [a for k, v in RECEIPT.items() if not k.endswith("_header") for a in _flat(v)]
_BANK_RE = re.compile(r"(中国[\u4e00-\u9fff]{2,6}银行|[\u4e00-\u9fff]{2,10}银行)")
_ACCOUNT_RE = re.compile(r"\d[\d\s\-*]{6,34}\d")
_SERIAL_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-]{5,39}")


def score_page(text: str) -> float:
    """How much ``text`` looks like a bank payment receipt (0..1)."""
    key = key_of(text)
    total = sum(w for word, w in RECEIPT_TITLES.items() if key_of(word) in key)
    if "发票" in key and "价税合计" in key:
        total *= 0.3  # an invoice names 收款人 and 银行 too
    return min(1.0, total / 2.5)


class PaymentReceiptExtractor:
    doc_type = DocType.PAYMENT_RECEIPT

    def extract(self, pages: list[Page]) -> dict[str, ExtractedField]:
        if not pages:
            return {}
        page = max(pages, key=lambda p: score_page(p.text))
        try:
            cands = _ReceiptReader(page).read()
        except Exception:  # noqa: BLE001
            log.exception("receipt extraction failed on %s p.%s", page.file, page.number)
            return {}
        return {k: c.to_field() for k, c in cands.items() if c is not None}


class _ReceiptReader:
    def __init__(self, page: Page):
        self.page = page
        self.L = Layout.of(page)
        self.method = page.method
        self.out: dict[str, Candidate | None] = {}

    def read(self) -> dict[str, Candidate]:
        for step in (self._parties, self._amount, self._simple, self._bank):
            try:
                step()
            except Exception:  # noqa: BLE001
                log.exception("receipt step %s failed", step.__name__)
        return {k: v for k, v in self.out.items() if v is not None}

    def _value(self, hit: LabelHit) -> Span:
        return self.L.value_near(hit, stop=_ALL_LABELS)

    # ------------------------------------------------------------------ parties

    def _parties(self) -> None:
        L = self.L
        # qualified labels first: they say whose value it is
        for field, kind in (
            ("payer_name", "name"),
            ("payee_name", "name"),
            ("payer_account", "account"),
            ("payee_account", "account"),
        ):
            # exact only: 付款/收款 differ by one character, the one that matters
            for hit in L.find(RECEIPT[field], fuzzy=False):
                c = self._read(kind, self._value(hit))
                if c is not None:
                    c.ev.fuzzy_label = not hit.exact
                    self.out[field] = c
                    break
        if all(self.out.get(f) for f in ("payer_name", "payee_name", "payer_account", "payee_account")):
            return
        # generic labels in two blocks
        payer_box = _header(L, RECEIPT["payer_header"])
        payee_box = _header(L, RECEIPT["payee_header"])
        for generic, kind, fields in (
            ("generic_name", "name", ("payer_name", "payee_name")),
            ("generic_account", "account", ("payer_account", "payee_account")),
        ):
            hits = [h for h in L.find(RECEIPT[generic]) if not _part_of_qualified(h)]
            for hit, side in assign_sides(hits, payer_box, payee_box):
                field = fields[side]
                if self.out.get(field) is not None:
                    continue
                c = self._read(kind, self._value(hit))
                if c is not None:
                    c.ev.fuzzy_label = not hit.exact
                    if payer_box is None or payee_box is None:
                        c.ev.unlabelled = True  # side guessed from order alone
                    self.out[field] = c

    def _read(self, kind: str, span: Span) -> Candidate | None:
        if not span:
            return None
        if kind == "name":
            c = read_name(span, self.method)
            if c is not None and re.fullmatch(r"[\d\s\-*]+", str(c.value)):
                return None
            return c
        m = _ACCOUNT_RE.search(span.key)
        if not m:
            return None
        digits = re.sub(r"[\s\-]", "", m.group())
        if not 8 <= len(digits) <= 32:
            return None
        masked = "*" in digits  # 6222****1234: printed masked, keep as printed
        sub = sub_by_key(span, m.start(), m.end())
        return from_span(digits, sub, Kind.NUMBER, self.method, raw=m.group(), ev=Evidence(pattern=not masked))

    # ------------------------------------------------------------------ amount

    def _amount(self) -> None:
        L = self.L
        words: Candidate | None = None
        words_value = None
        for hit in L.find(RECEIPT["amount_words"]):
            span = L.value_right(hit, stop=["小写", "(小写)", "¥", "￥"], max_gap=2.5)
            v = parse_uppercase_amount(span.text, tolerant=True) if span else None
            if v is not None:
                words_value = v
                words = from_span(format_amount(v), span, Kind.MONEY, self.method, ev=Evidence(inferred=True))
                break
        figures: Candidate | None = None
        for hit in L.find(RECEIPT["amount"]):
            if any(w in hit.row.key[hit.end : hit.end + 4] for w in ("大写", "(大写")):
                continue
            span = L.value_right(hit, stop=[a for a in RECEIPT["amount_words"] if len(a) > 2], max_gap=2.5)
            m = re.search(r"[¥￥]?-?\d[\d,]*(?:\.\d{1,2})?", span.key) if span else None
            if m and re.search(r"\d", m.group()):
                c = read_money(sub_by_key(span, m.start(), m.end()), self.method)
                if c is not None:
                    c.ev.fuzzy_label = not hit.exact
                    figures = c
                    break
        if figures is None:
            # a ¥ figure anywhere
            for m, span in L.search(r"[¥￥]-?\d[\d,]*\.\d{2}"):
                figures = read_money(span, self.method)
                if figures is not None:
                    figures.ev.unlabelled = True
                    break
        if figures is not None and words_value is not None:
            if str(figures.value) == format_amount(words_value):
                figures.ev.agrees("words")
            else:
                figures.ev.disagrees("words")
        self.out["amount"] = figures or words

    # ------------------------------------------------------------------ date, serial, purpose

    def _simple(self) -> None:
        L = self.L
        for hit in L.find(RECEIPT["paid_on"]):
            c = read_date(L.value_right(hit, max_gap=3.0), self.method)
            if c is not None:
                c.ev.fuzzy_label = not hit.exact
                self.out["paid_on"] = c
                break
        if self.out.get("paid_on") is None:
            for row in L.rows:
                c = read_date(row.span(0, len(row.key), L.page), self.method)
                if c is not None:
                    c.ev.unlabelled = True
                    self.out["paid_on"] = c
                    break
        for alias in RECEIPT["serial_number"]:  # aliases in order of preference
            for hit in L.find([alias]):
                if _inside_longer_alias(hit, RECEIPT["serial_number"]):
                    continue
                span = L.value_right(hit, stop=_ALL_LABELS, max_gap=1.5)
                m = _SERIAL_RE.search(span.key) if span else None
                if m and re.search(r"\d", m.group()):
                    sub = sub_by_key(span, m.start(), m.end())
                    c = from_span(m.group(), sub, Kind.NUMBER, self.method, raw=m.group(), ev=Evidence(pattern=True))
                    c.ev.fuzzy_label = not hit.exact
                    self.out["serial_number"] = c
                    break
            if self.out.get("serial_number") is not None:
                break
        for tier in RECEIPT["purpose"]:
            found = None
            for hit in L.find(tier):
                span = L.value_right(hit, stop=_ALL_LABELS, max_gap=2.0)
                text = span.text.strip() if span else ""
                if text:
                    found = from_span(to_simplified(text), span, Kind.TEXT, self.method, raw=text, ev=Evidence())
                    break
            if found is not None:
                self.out["purpose"] = found
                break

    # ------------------------------------------------------------------ bank

    def _bank(self) -> None:
        L = self.L
        # the issuing bank names itself in the title
        for row in L.text_near_top(0.25):
            m = _BANK_RE.search(row.key)
            if m and not any(w in row.key[: m.start()] for w in ("开户", "户名", "账号")):
                bank = _trim_bank(m.group())
                span = row.span(m.start(), m.start() + len(bank), L.page)
                self.out["bank"] = from_span(bank, span, Kind.TEXT, self.method, raw=m.group(), ev=Evidence())
                return
        for hit in L.find(RECEIPT["payer_bank"] + RECEIPT["generic_bank"]):
            span = L.value_right(hit, stop=_ALL_LABELS, max_gap=2.0)
            m = _BANK_RE.search(span.key) if span else None
            if m:
                bank = _trim_bank(m.group())
                c = from_span(bank, sub_by_key(span, m.start(), m.start() + len(bank)), Kind.TEXT, self.method)
                c.ev.unlabelled = True  # the payer's bank, taken for the issuing one
                self.out["bank"] = c
                return


def _trim_bank(s: str) -> str:
    """``中国工商银行网上银行`` -> ``中国工商银行``: the first 银行 ends the name."""
    i = s.find("银行")
    return s[: i + 2] if i >= 0 else s


def _header(L: Layout, aliases: list[str]) -> tuple[int, int, int, int] | None:
    for word in aliases:
        box = L.find_vertical(word)
        if box is not None:
            return box
    return None


def _part_of_qualified(hit: LabelHit) -> bool:
    """``户名`` inside ``付款人户名``: already read by the qualified label."""
    before = hit.row.key[max(0, hit.start - 3) : hit.start]
    return before.endswith(("付款人", "收款人", "付款", "收款", "付款方", "收款方"))


def _inside_longer_alias(hit: LabelHit, aliases: list[str]) -> bool:
    """``流水号`` inside ``交易流水号``: the longer alias speaks for it."""
    key = hit.row.key
    for a in aliases:
        ak = key_of(a)
        if len(ak) <= len(hit.alias):
            continue
        for i in range(max(0, hit.end - len(ak)), hit.start + 1):
            if key.startswith(ak, i) and i <= hit.start and i + len(ak) >= hit.end:
                return True
    return False

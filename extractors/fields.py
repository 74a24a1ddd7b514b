"""Building ``ExtractedField``s, and THE confidence model (the only place it lives).

Extractors collect :class:`Candidate`s (value, raw text, span it came from, what
kind of value it is) and note the :class:`Evidence` they find for each one: a
checksum, a strict pattern, an independent second source that agrees or not.
Only at the end does :meth:`Candidate.to_field` turn evidence into a number, so
cross-checks found late (amount + tax = total, the QR payload) count.

The model, in order:

1. **Start** from how the characters were read. OCR: the engine's score of the
   weakest segment used (one misread character spoils a value). Text layer and QR:
   0.99 -- the characters are exact; what can still go wrong is picking the wrong
   text, which the caps below cover.
2. **Cap by kind when nothing else vouches for the value.** OCR scores are not
   calibrated (RapidOCR says 0.99 for ``深训`` as easily as for ``深圳``), so a value
   read by OCR alone stays under 0.9 unless its own structure proves it:

   ========  =========================================================  ==========
   kind      OCR alone                                                   text layer
   ========  =========================================================  ==========
   code      checksum valid: 0.98 (0.93 if OCR < 0.6); repaired: 0.86    0.99
             (1 char), 0.6 (more); invalid: <= 0.5
   number    0.85; strict pattern and OCR >= 0.99: 0.9; a digit          0.98
             restored (no checksum): 0.6
   date      0.85; strict pattern and OCR >= 0.985: 0.92                 0.98
   money     0.85                                                        0.97
   name      0.85; plausible (ends 公司/厂/店..., length ok) and          0.97
             OCR >= 0.97: 0.92; repaired (place-name prefix restored     (0.9 not
             from the gazetteer): 0.85                                    plausible)
   text      0.8                                                         0.9
   enum      closed vocabulary, exact: 0.95; else 0.8                    0.97
   ========  =========================================================  ==========

3. **Raise on agreement.** Each independent source that agrees (QR payload equals
   the printed number; amount + tax = total; 大写 equals 小写; the number printed
   twice on the form read the same both times; the seal repeats the tax id) lifts
   the value to at least 0.96 (0.99 with two, or with one from QR/text layer). An
   agreement is what makes an OCR value trustworthy: two misreads agreeing by chance
   is far rarer than one misread.
4. **Lower on doubt.** Disagreement caps at 0.5 (the clerk must look). A fuzzy
   label costs 3 %; a value found by position or content without its label is
   capped at 0.8; a value inferred (e.g. tax = total - amount) at 0.85 unless an
   agreement vouches for it; a repair nothing independent backs (``guessed``:
   a lost place name restored because only one division fits) at 0.8, and so is
   any value on a page holding several documents of its kind (``crowded``: two
   licences photographed together, whose labels and values interleave).

Everything at or above 0.9 is therefore either exact text, a checksum, or two
independent reads; OCR-only values reach 0.9 only for short strict patterns and
plausible names read at very high engine confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from extractors.layout import Span, key_of
from extractors.normalize.codes import normalize_code, normalize_tax_id, repair_credit_code
from extractors.normalize.dates import find_dates, format_date
from extractors.normalize.money import format_amount, parse_amount
from extractors.normalize.names import normalize_name
from intake.model import BBox, ExtractedField, Method, union_bbox

__all__ = [
    "Kind",
    "Evidence",
    "Candidate",
    "confidence",
    "from_span",
    "from_qr",
    "best",
    "NAME_SUFFIXES",
    "plausible_name",
    "credit_code_shaped",
]


class Kind(StrEnum):
    CODE = "code"  # carries a checksum: credit code, ID number
    NUMBER = "number"  # digit strings with a fixed shape: invoice number, check code
    DATE = "date"
    MONEY = "money"
    NAME = "name"  # company or person names
    TEXT = "text"  # free text: address, purpose, authority
    ENUM = "enum"  # one of a closed list: invoice kind, company type
    TABLE = "table"  # lists of rows


# Sources that are exact (no OCR between the print and us).
_EXACT = {str(Method.TEXT_LAYER), str(Method.QR)}


@dataclass
class Evidence:
    checksum: bool | None = None  # True valid as read, False invalid, None: no checksum
    repairs: int = 0  # characters changed to make the checksum hold (names, numbers: restored from the gazetteer)
    pattern: bool = False  # the value matched its field's strict pattern in full
    plausible: bool = False  # (names) looks like a name of its kind
    vocabulary: bool = False  # (enums) an exact entry of a closed list
    agree: list[str] = field(default_factory=list)  # independent sources that agree
    disagree: list[str] = field(default_factory=list)
    fuzzy_label: bool = False
    unlabelled: bool = False  # found by position/content, no label
    inferred: bool = False  # computed from other fields, not read
    guessed: bool = False  # repaired, and nothing independent backs the repair
    crowded: bool = False  # the page holds several documents of its kind: whose value is this?

    def agrees(self, source: str) -> None:
        if source not in self.agree:
            self.agree.append(source)

    def disagrees(self, source: str) -> None:
        if source not in self.disagree:
            self.disagree.append(source)


def confidence(ocr: float, method: Method | str, kind: Kind, ev: Evidence) -> float:
    """The calibrated confidence of one value (see the module docstring)."""
    exact = str(method) in _EXACT
    ocr = max(0.0, min(1.0, ocr))
    c = 0.99 if exact else ocr

    # 2. cap by kind
    if kind is Kind.CODE:
        if ev.checksum is True and ev.repairs == 0:
            c = 0.99 if exact else (0.98 if ocr >= 0.6 else 0.93)
        elif ev.checksum is True:
            c = min(c, 0.86 if ev.repairs == 1 else 0.6)
        elif ev.checksum is False:
            c = min(c, 0.5)
        else:
            c = min(c, 0.98 if exact else 0.85)
    elif kind is Kind.NUMBER:
        if exact:
            c = min(c, 0.98)
        elif ev.repairs:
            c = min(c, 0.6)  # a digit restored: no checksum vouches for it
        elif ev.pattern and ocr >= 0.99:
            c = min(c, 0.9)
        else:
            c = min(c, 0.85)
    elif kind is Kind.DATE:
        if exact:
            c = min(c, 0.98)
        elif ev.pattern and ocr >= 0.985:
            c = min(c, 0.92)
        else:
            c = min(c, 0.85)
    elif kind is Kind.MONEY:
        c = min(c, 0.97 if exact else 0.85)
    elif kind is Kind.NAME:
        if exact:
            c = min(c, 0.97 if ev.plausible else 0.9)
        elif ev.plausible and ocr >= 0.97 and not ev.repairs:
            c = min(c, 0.92)
        else:
            c = min(c, 0.85)
    elif kind is Kind.TEXT:
        c = min(c, 0.9 if exact else 0.8)
    elif kind is Kind.ENUM:
        if exact:
            c = min(c, 0.97)
        elif ev.vocabulary:
            c = min(max(c, 0.9), 0.95)
        else:
            c = min(c, 0.8)
    elif kind is Kind.TABLE:
        c = min(c, 0.95 if exact else 0.8)

    # 4a. doubts about how the value was found (before agreements: an agreement
    # vouches for the value however it was found)
    if ev.fuzzy_label:
        c *= 0.97
    if ev.unlabelled:
        c = min(c, 0.8)
    if ev.inferred:
        c = min(c, 0.85)
    if ev.guessed or ev.crowded:
        c = min(c, 0.8)
    # Tesseract (--psm 6) joins a form's rows across its columns, so *where* a
    # value was found says less: on the real e-invoices it gave the seller's
    # checksum-valid id as the buyer's at 0.90-0.93 (bench.accuracy, 4 of 107
    # confident values wrong). Its values are confident only when vouched for.
    if str(method) == str(Method.TESSERACT):
        c = min(c, 0.89)

    # 3. agreements
    if ev.agree and not ev.disagree:
        strong = len(ev.agree) >= 2 or exact or any(a in _EXACT or a == "qr" for a in ev.agree)
        floor = 0.99 if strong else 0.96
        if kind is Kind.CODE and ev.checksum is False:
            floor = 0.9  # printed code fails its checksum yet matches: still odd
        c = max(c, floor)

    # 4b. disagreement always wins
    if ev.disagree:
        c = min(c, 0.5)
    return round(max(0.0, min(c, 0.99)), 3)


@dataclass
class Candidate:
    """A value on its way to becoming an ``ExtractedField``."""

    value: Any
    raw: str | None
    kind: Kind
    method: Method | str
    page: int | None
    bbox: BBox | None
    ocr: float
    ev: Evidence = field(default_factory=Evidence)

    @property
    def confidence(self) -> float:
        return confidence(self.ocr, self.method, self.kind, self.ev)

    def to_field(self) -> ExtractedField:
        return ExtractedField(
            value=self.value,
            raw=self.raw,
            confidence=self.confidence,
            page=self.page,
            bbox=self.bbox,
            method=self.method,
        )


def from_span(
    value: Any,
    span: Span | None,
    kind: Kind,
    method: Method | str,
    *,
    raw: str | None = None,
    ev: Evidence | None = None,
    page: int | None = None,
    ocr: float | None = None,
) -> Candidate:
    """A candidate read from ``span`` (box, page and OCR score taken from it)."""
    if span is not None and span:
        return Candidate(
            value=value,
            raw=raw if raw is not None else span.text,
            kind=kind,
            method=method,
            page=span.page if page is None else page,
            bbox=span.bbox,
            ocr=span.confidence if ocr is None else ocr,
            ev=ev or Evidence(),
        )
    return Candidate(value, raw, kind, method, page, None, 1.0 if ocr is None else ocr, ev or Evidence())


def from_qr(value: Any, raw: str, kind: Kind, page: int | None) -> Candidate:
    """A value taken from a decoded QR payload (exact characters; no box)."""
    return Candidate(value, raw, kind, Method.QR, page, None, 1.0, Evidence(pattern=True))


def merge_boxes(spans: list[Span]) -> BBox | None:
    boxes = [s.bbox for s in spans if s]
    return union_bbox(boxes) if boxes else None


def best(cands: list[Candidate]) -> Candidate | None:
    """The most confident candidate (first on ties)."""
    out: Candidate | None = None
    for c in cands:
        if out is None or c.confidence > out.confidence:
            out = c
    return out


# What the names of the registered bodies end with: a name read by OCR that ends
# like this, at a high engine score, is rarely wrong in a way that matters.
NAME_SUFFIXES = (
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "分公司",
    "公司",
    "合伙企业",
    "(有限合伙)",
    "（有限合伙）",
    "(普通合伙)",
    "（普通合伙）",
    "个人独资企业",
    "企业",
    "集团",
    "厂",
    "店",
    "部",
    "中心",
    "合作社",
    "事务所",
    "研究院",
    "研究所",
    "学校",
    "医院",
    "工作室",
    "经营部",
    "门市部",
    "商行",
    "银行",
    "支行",
    "分行",
)

_NAME_BAD = set("<>*/+=#@$%^&|\\~`{}[]")


def plausible_name(name: str, *, person: bool = False) -> bool:
    """Does ``name`` look like a whole company name (or, with ``person``, a
    person's name)? Used as evidence, never as a filter on output."""
    if not name or any(ch in _NAME_BAD for ch in name):
        return False
    if person:
        return 2 <= len(name) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in name)
    if not (5 <= len(name) <= 50):
        return False
    if not any(name.endswith(s) for s in NAME_SUFFIXES):
        return False
    stem = name
    for s in NAME_SUFFIXES:
        if stem.endswith(s):
            stem = stem[: -len(s)]
            break
    # A real stem holds a trade name and an industry word besides the place
    # (企业名称登记管理规定): four CJK characters at least. 「南通有限公司」 is a
    # blurred-out name whose middle was lost, not a company.
    cjk = sum(1 for ch in stem if "\u4e00" <= ch <= "\u9fff")
    if re.match(r"[\u4e00-\u9fff][市省县区]", stem):
        return False  # no place name is one character: the start was lost (同市 for 大同市)
    if any(w in stem for w in _LABEL_WORDS):
        return False  # a label swallowed into the value
    return cjk >= 4 and "有限公司" not in stem[:2]


# Labels that never occur inside a company name: a "name" holding one is debris.
_LABEL_WORDS = ("类型", "名称", "住所", "法定代表人", "注册资本", "成立日期", "营业期限", "经营范围",
                "信用代码", "营业执照", "纳税人识别号", "地址", "电话", "账号")


# --------------------------------------------------------------------------- readers
# Turning a span of text into a candidate of a given kind, noting the evidence the
# text itself carries (pattern, checksum). Every reader returns None when the text
# holds no such value: absent, never a guess.

_STRICT_DATE_RE = re.compile(r"(?:19|20)\d\d年(?:0[1-9]|1[0-2])月(?:0[1-9]|[12]\d|3[01])日")
_LOOSE_DATE_RE = re.compile(r"(?:19|20)\d\d[年./-]\d{1,2}[月./-]\d{1,2}日?")
_MONEY_STRICT_RE = re.compile(r"^(?:[¥￥]|RMB|人民币)?-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}(?:元)?$")
_NAME_JUNK_RE = re.compile(r"[<>*/+=#@$%^&|\\~`{}\[\]]")


def read_date(span: Span, method: Method | str, *, index: int = 0) -> Candidate | None:
    """The ``index``-th date in ``span`` (dates as printed: 2016年06月12日,
    2019-07-20, 二〇一三年五月六日). Strict pattern: four-digit year, two-digit
    month and day with 年月日, which OCR rarely produces from something else."""
    if not span:
        return None
    key = span.key
    found = find_dates(key)
    if len(found) <= index:
        return None
    a, b, d = found[index]
    raw = key[a:b]
    ev = Evidence(pattern=bool(_STRICT_DATE_RE.fullmatch(raw)))
    sub = span.sub(*_key_to_joined(span, a, b))
    return from_span(format_date(d), sub or span, Kind.DATE, method, raw=raw, ev=ev)


def _key_to_joined(span: Span, a: int, b: int) -> tuple[int, int]:
    """Map key offsets [a, b) of ``span.key`` to offsets of ``span.joined``."""
    idx = [i for i, ch in enumerate(span.joined) if key_of(ch)]
    if not idx:
        return 0, 0
    a = min(a, len(idx) - 1)
    b = min(max(b, a + 1), len(idx))
    return idx[a], idx[b - 1] + 1


def sub_by_key(span: Span, a: int, b: int) -> Span:
    """The part of ``span`` matching key offsets [a, b)."""
    return span.sub(*_key_to_joined(span, a, b))


def read_money(span: Span, method: Method | str, *, text: str | None = None) -> Candidate | None:
    """An amount in figures or words (``¥2,987.18``, ``伍拾万元整``, ``500万元``)."""
    if not span and text is None:
        return None
    t = text if text is not None else span.text
    value = parse_amount(t)
    if value is None:
        return None
    ev = Evidence(pattern=bool(_MONEY_STRICT_RE.match(key_of(t))))
    return from_span(format_amount(value), span, Kind.MONEY, method, raw=t.strip(), ev=ev)


def clean_name(text: str) -> str:
    """A name as the contract wants it, with the debris OCR leaves at its edges
    (a neighbouring cipher block, a stray label) cut off."""
    s = normalize_name(text)
    m = _NAME_JUNK_RE.search(s)
    if m:
        s = s[: m.start()]
    # a legal-form suffix followed by more than a bracketed part is two things
    # glued together (the name and a neighbour's text): keep up to the suffix
    for suf in ("有限责任公司", "股份有限公司", "有限公司"):
        i = s.find(suf)
        if i >= 0:
            rest = s[i + len(suf) :]
            if rest and not re.fullmatch(r"[（(][^）)]{1,12}[）)]|分公司.*|[\u4e00-\u9fff]{1,8}分公司", rest):
                s = s[: i + len(suf)]
            break
    return normalize_name(s)


def read_name(span: Span, method: Method | str, *, person: bool = False) -> Candidate | None:
    if not span:
        return None
    name = clean_name(span.text)
    if not name or len(name) < 2 or re.search(r"[：:，,；;。]", name):
        return None  # prose, not a name
    if not person and sum(1 for ch in name if "\u4e00" <= ch <= "\u9fff") < 2:
        return None  # a company name has Chinese characters (XXXX is a placeholder)
    if not person and any(w in name for w in _LABEL_WORDS[:9]):
        return None  # a label, or a value glued to one: not a name
    ev = Evidence(plausible=plausible_name(name, person=person))
    # box of the kept characters: approximate by cutting the span at its length
    sub = span.sub(0, min(len(span.joined), _joined_len_for(span, name)))
    return from_span(name, sub or span, Kind.NAME, method, raw=span.text, ev=ev)


def _joined_len_for(span: Span, name: str) -> int:
    """How many characters of ``span.joined`` the cleaned ``name`` covers."""
    joined = span.joined
    want = key_of(name)
    got = ""
    for i, ch in enumerate(joined):
        got += key_of(ch)
        if len(got) >= len(want):
            return i + 1
    return len(joined)


_ALNUM_RUN_RE = re.compile(r"[0-9A-Z]{15,20}")


def read_credit_code(span: Span, method: Method | str, *, text: str | None = None) -> Candidate | None:
    """An 18-character unified social credit code, checksum-checked and, if a
    known OCR confusion breaks it, repaired (evidence records how many
    characters were changed)."""
    t = normalize_code(text if text is not None else span.text if span else "")
    t = re.sub(r"[^0-9A-Z]", " ", t.replace("-", ""))
    for run in re.findall(r"[0-9A-Z]{17,19}", t):
        for cand in (run[:18], run[-18:]) if len(run) != 18 else (run,):
            fixed = repair_credit_code(cand)
            if fixed is None:
                continue
            code, n = fixed
            ev = Evidence(checksum=True, repairs=n, pattern=True)
            return from_span(code, span, Kind.CODE, method, raw=cand, ev=ev)
    for run in re.findall(r"[0-9A-Z]{18}", t):
        return from_span(run, span, Kind.CODE, method, raw=run, ev=Evidence(checksum=False))
    return None


# GB/T 2260 province prefixes (the first two digits of the region code, positions
# 3-4 of a credit code); 10 is the centre (100000), 71/81/82 Taiwan, HK, Macao.
_PROVINCES = frozenset(
    "10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
_USCC_CHARS = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")


def credit_code_shaped(code: str) -> bool:
    """Does ``code`` have the shape of a unified social credit code (GB 32100: 18
    characters of its alphabet; the 登记管理部门码, a digit category, then a region
    code starting with a province), whatever its check character says? Most other
    runs of 18 characters (a bank account, an order number) have not."""
    code = normalize_code(code)
    return (
        len(code) == 18
        and code[0] in "123456789ANY"
        and code[1:8].isdigit()
        and code[2:4] in _PROVINCES
        and all(ch in _USCC_CHARS for ch in code)
    )


def read_tax_id(span: Span, method: Method | str, *, text: str | None = None) -> Candidate | None:
    """A taxpayer id: the credit code (18, checksum), or an old 15-digit id
    (region + 组织机构代码, whose own check character is verified), or the
    17/20-character ids of individuals (pattern only)."""
    t = normalize_code(text if text is not None else span.text if span else "").replace("-", "")
    runs = _ALNUM_RUN_RE.findall(re.sub(r"[^0-9A-Z]", " ", t))
    for run in runs:
        if len(run) in (18, 19):
            c = read_credit_code(span, method, text=run)
            if c is not None:
                return c  # checksum valid, repaired, or recorded as failing
    for run in runs:
        tid = normalize_tax_id(run)
        if tid is None:
            continue
        ev = Evidence(pattern=True)
        if len(tid) == 15 and tid[:6].isdigit():
            ev.checksum = org_code_valid(tid[6:])
        return from_span(tid, span, Kind.CODE if ev.checksum is not None else Kind.NUMBER, method, raw=run, ev=ev)
    return None


_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def org_code_valid(code: str) -> bool:
    """GB 11714 组织机构代码 (8 characters + check): the tail of old 15-digit
    taxpayer ids (region code + organisation code)."""
    code = code.upper()
    if len(code) != 9 or any(c not in _ORG_CHARS for c in code[:8]):
        return False
    total = sum(_ORG_CHARS.index(c) * w for c, w in zip(code[:8], _ORG_WEIGHTS))
    r = 11 - total % 11
    check = "0" if r == 11 else "X" if r == 10 else str(r)
    return code[8] == check


def read_digits(
    span: Span, method: Method | str, lengths: tuple[int, ...], *, kind: Kind = Kind.NUMBER
) -> Candidate | None:
    """A run of exactly one of ``lengths`` digits (spaces inside ignored: check
    codes are printed in groups of five)."""
    if not span:
        return None
    # digit runs never cross segments: two numbers printed side by side are two
    for piece in span.pieces:
        one = Span((piece,), span.page)
        key = one.key
        for m in re.finditer(r"\d+", key):
            if len(m.group()) in lengths:
                sub = sub_by_key(one, m.start(), m.end())
                return from_span(m.group(), sub, kind, method, raw=m.group(), ev=Evidence(pattern=True))
    return None

"""Business licences (营业执照): new format (统一社会信用代码) and old (注册号).

Fields (CONTRACT.md): company_name, credit_code or registration_number,
company_type, legal_representative, registered_capital, established_on,
term_start, term_end (absent when 长期), address, registration_authority, issued_on.

Real licences vary a lot, and the reader copes with:

* one column (older) or two columns (2019+: 注册资本/成立日期/营业期限/住所 on the
  right) -- a value stops at the next label on its row;
* labels spaced out (``名　　称``), which OCR often splits so that the first
  characters of several labels form one vertical run (``名类住``) and each row
  starts with the label's last character (``称深圳市…``, ``型有限责任公司``);
* labels not read at all: the rows between the code and the first labelled row
  are then told apart by what they hold (a legal form, a company-like name, an
  address), which is evidence too weak for a confident value;
* traditional script (matching folds it) and the 登记机关 known only from its seal.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from extractors.fields import (
    Candidate,
    Evidence,
    Kind,
    credit_code_shaped,
    from_span,
    plausible_name,
    read_credit_code,
    read_date,
    read_money,
    read_name,
    sub_by_key,
)
from extractors.labels import COMPANY_TYPES, LICENCE, LICENCE_SPLIT_HEADS, LICENCE_SPLIT_TAILS, LICENCE_TITLES
from extractors.layout import Layout, LabelHit, Piece, Row, Span, key_of
from extractors.licence_split import licences_on_page, split_licences
from extractors.normalize.codes import is_valid_registration_number
from extractors.normalize.dates import find_dates, parse_period
from extractors.normalize.names import normalize_name
from extractors.normalize.places import (
    find_divisions,
    leading_division,
    region_of_number,
    repair_place_prefix,
    repair_registration_number,
    truncated_place,
)
from intake.model import DocType, ExtractedField, Method, Page

log = logging.getLogger(__name__)

__all__ = ["BusinessLicenceExtractor", "licences_on_page", "score_page", "split_licences"]

# every label, used to stop a value at its neighbour on the same row
_ALL_LABELS = [a for k, v in LICENCE.items() for a in v if k != "number"]
_TYPE_KEYS = sorted({key_of(t) for t in COMPANY_TYPES}, key=len, reverse=True)
# A type's bracket names its investors (有限责任公司（自然人独资）): no company name
# ends so (theirs hold a place or 有限合伙), only the 类型 row does, read as a name
# when its label was garbled (类IDG型有限责任公司（自然人独资）, 型有艰责任公司（自然人投要或控股）).
_INVESTOR_BRACKET = re.compile(r"[（(](?:非?自然人|法人|外商|台港澳|港澳台|外国|国有|国内|中外)[^（）()]{0,16}[）)]$")
_AUTHORITY_RE = re.compile(
    r"([\u4e00-\u9fff]{2,24}?(?:市场监督管理局|市场监管局|工商行政管理局|行政审批局|行政审批服务局|工商局|"
    r"市场和质量监督管理委员会|市场监督管理委员会))"
)
_ADDRESS_HINT = re.compile(r"[省市区县镇乡村路街道号楼室栋幢弄巷]")


def score_page(text: str) -> float:
    """How much ``text`` looks like a business licence (0..1)."""
    key = key_of(text)
    total = sum(w for word, w in LICENCE_TITLES.items() if key_of(word) in key)
    return min(1.0, total / 2.5)


class BusinessLicenceExtractor:
    doc_type = DocType.BUSINESS_LICENCE

    def extract(self, pages: list[Page]) -> dict[str, ExtractedField]:
        if not pages:
            return {}
        page = max(pages, key=lambda p: score_page(p.text))
        try:
            reader = _LicenceReader(page)
            cands = reader.read()
            if licences_on_page(reader.L) > 1:
                # two licences photographed together (a 正本 and its 副本): read each
                # apart and keep the one read best, so that no value comes from the
                # other; none is confident, since which licence is meant is not known
                log.info("%s p.%s holds more than one licence: no value is confident", page.file, page.number)
                parts = split_licences(page, reader.L)
                if len(parts) > 1:
                    reads = [_LicenceReader(p).read() for p in parts]
                    cands = max(reads, key=lambda r: (len(r), sum(c.confidence for c in r.values())))
                for c in cands.values():
                    c.ev.crowded = True
        except Exception:  # noqa: BLE001
            log.exception("licence extraction failed on %s p.%s", page.file, page.number)
            return {}
        return {k: c.to_field() for k, c in cands.items() if c is not None}


class _LicenceReader:
    def __init__(self, page: Page):
        self.page = page
        self.L = Layout.of(page)
        self.method = page.method
        self.out: dict[str, Candidate | None] = {}
        self.used_rows: set[int] = set()  # rows whose value a labelled field took
        # a 注册号 read one digit short or over: (digits, span, label exact)
        self.reg_misread: tuple[str, Span, bool] | None = None

    def read(self) -> dict[str, Candidate]:
        for step in (
            self._codes,
            self._labelled,
            self._split_tails,
            self._unlabelled,
            self._term,
            self._authority_and_issued,
            self._places,
            self._cross_checks,
        ):
            try:
                step()
            except Exception:  # noqa: BLE001
                log.exception("licence step %s failed", step.__name__)
        return {k: v for k, v in self.out.items() if v is not None}

    # ------------------------------------------------------------------ codes

    def _codes(self) -> None:
        L = self.L
        reads: list[Candidate] = []
        for hit in L.find(LICENCE["credit_code"] + LICENCE["registration_number"]):
            for span in (L.value_right(hit, max_gap=1.0), L.value_below(hit, max_dist=3.0)):
                c = read_credit_code(span, self.method) if span else None
                if c is not None:
                    c.ev.fuzzy_label = not hit.exact
                    reads.append(c)
                    self.used_rows.add(hit.row_index)
                    break
        # anywhere on the page: the code also stands alone (under the label, by the QR)
        labelled_page = bool(L.find(LICENCE["credit_code"]))
        placed: list[Candidate] = []  # failing their checksum, found by position only
        for m, span in L.search(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])"):
            c = read_credit_code(span, self.method)
            if c is None:
                continue
            if c.ev.checksum:
                # a valid code on a page that names it is the code, wherever it stands
                c.ev.unlabelled = not labelled_page
                reads.append(c)
            elif self._in_code_position(span) and credit_code_shaped(str(c.value)):
                # printed where the code goes and shaped like one, yet failing its
                # checksum: kept (the checksum rule reports it), never confident
                c.ev.unlabelled = True
                placed.append(c)
        valid = [c for c in reads if c.ev.checksum]
        if valid:
            best = min(valid, key=lambda c: (c.ev.repairs, c.ev.unlabelled, -c.ocr))
            if any(c.value == best.value and c.bbox != best.bbox and _apart(c, best) for c in valid):
                best.ev.agrees("printed twice")
            if any(c.value != best.value for c in valid):
                best.ev.disagrees("another code")
            best.ev.unlabelled = best.ev.unlabelled and not best.ev.agree
            self.out["credit_code"] = best
        elif reads:
            self.out["credit_code"] = reads[0]  # as read, failing its checksum: low confidence
        elif placed:
            self.out["credit_code"] = placed[0]  # ditto, by position: its label was not read
        # old registration number: 15 digits with a check digit since 2007; the
        # 13-digit numbers of older licences carry none, so they are read as
        # plain numbers and never vouched for by a checksum.
        if self.out.get("credit_code") is None or not self.out["credit_code"].ev.checksum:
            for hit in L.find(LICENCE["registration_number"]):
                span = L.value_right(hit, max_gap=1.0)
                m = re.search(r"(?<!\d)(?:\d{15}|\d{13})(?!\d)", span.key) if span else None
                near = re.search(r"(?<!\d)(?:\d{16}|\d{14}|\d{12})(?!\d)", span.key) if span and not m else None
                if near and self.reg_misread is None:
                    # one digit short or over: repaired later, if the places agree (_places)
                    self.reg_misread = (near.group(), sub_by_key(span, near.start(), near.end()), hit.exact)
                if m:
                    sub = sub_by_key(span, m.start(), m.end())
                    if len(m.group()) == 15:
                        ok = is_valid_registration_number(m.group())
                        ev = Evidence(checksum=ok, pattern=True, fuzzy_label=not hit.exact)
                        kind = Kind.CODE
                    else:  # no fixed format to match either: stays below confident
                        ev = Evidence(pattern=False, fuzzy_label=not hit.exact)
                        kind = Kind.NUMBER
                    self.out["registration_number"] = from_span(m.group(), sub, kind, self.method, ev=ev)
                    if self.out.get("credit_code") is not None and not self.out["credit_code"].ev.checksum:
                        self.out["credit_code"] = None
                    break

    def _in_code_position(self, span: Span) -> bool:
        """Is ``span`` where a licence prints its code: standing alone (its segment
        holds the code, perhaps after its label), above the first row of labelled
        fields (名称, 类型, 法定代表人, ...), in the upper half of the page?"""
        L = self.L
        if not span or len(span.pieces) != 1:
            return False
        seg_key = key_of(span.pieces[0].segment.text)
        rest = re.sub(r"[:()]", "", seg_key.replace(key_of(span.text), "", 1))
        if rest and not (len(rest) <= 10 and ("代码" in rest or "信用" in rest)):
            return False  # inside other text (prose, an address, a number), not printed alone
        top = span.bbox[1]
        fields = L.find(LICENCE["company_name"] + LICENCE["company_type"] + LICENCE["legal_representative"]
                        + LICENCE["registered_capital"] + LICENCE["established_on"], fuzzy=False)
        first = min((h.bbox[1] for h in fields), default=None)
        limit = first if first is not None else 0.45 * L.height
        return top < limit and top < 0.5 * max(1, L.height)

    # ------------------------------------------------------------------ labelled fields

    def _value(self, hit: LabelHit) -> Span:
        return self.L.value_right(hit, stop=_ALL_LABELS, max_gap=2.0)

    def _labelled(self) -> None:
        L = self.L
        for field, aliases in (
            ("company_name", LICENCE["company_name"]),
            ("company_type", LICENCE["company_type"]),
            ("legal_representative", LICENCE["legal_representative"]),
            ("registered_capital", LICENCE["registered_capital"]),
            ("established_on", LICENCE["established_on"]),
            ("address", LICENCE["address"]),
        ):
            for hit in L.find(aliases):
                if field == "company_name" and _inside_longer(hit, L, ["经营范围", "注册号"]):
                    continue
                if field == "company_type" and "名称" in hit.row.key[hit.end : hit.end + 2]:
                    continue
                span = self._value(hit)
                c = self._read(field, span, hit.row)
                if c is None and field in ("address", "company_name"):
                    # a label alone on its row: the value sits below (narrow layouts)
                    below = L.value_below(hit, max_dist=1.8)
                    if below and not _has_label(below) and not re.search(r"[，,：:；;、]", below.text):
                        c = self._read(field, below, hit.row)
                        if c is not None:
                            c.ev.unlabelled = True  # placed by position only
                if c is None:
                    continue
                c.ev.fuzzy_label = not hit.exact
                self.out[field] = c
                self.used_rows.add(hit.row_index)
                break

    def _read(self, field: str, span: Span, row: Row) -> Candidate | None:
        if not span:
            return None
        m = self.method
        if field == "company_name":
            c = read_name(span, m)
            if c is None or len(str(c.value)) < 4 or _type_of(str(c.value)) == key_of(str(c.value)):
                return None
            if field == "company_name" and (c.value.startswith("有限") or len(c.value) > 60):
                return None
            if _INVESTOR_BRACKET.search(str(c.value)):
                return None  # the type row, its label garbled: not a name
            return c
        if field == "company_type":
            return self._type(span)
        if field == "legal_representative":
            # one segment: a person's name is printed as one run; what follows on
            # the row (a watermark, the next column) is not part of it
            span = Span(span.pieces[:1], span.page)
            if _has_label(span):
                return None
            text = normalize_name(span.text)
            mm = re.match(r"[\u4e00-\u9fff·]{2,12}|[A-Za-z][A-Za-z .]{1,40}", text)
            if not mm or mm.group() in ("姓名",):
                return None
            value = mm.group()
            if len(value) >= 4 and len(set(value.lower().replace(" ", ""))) <= 2:
                return None  # a placeholder (XXXX), not a name
            sub = span.sub(0, min(len(span.joined), _covering(span, value)))
            # a person's name has no structure to check: never confident from OCR alone
            return from_span(value, sub, Kind.NAME, m, raw=span.text, ev=Evidence())
        if field == "registered_capital":
            text = span.text
            if not re.search(r"[\d零壹贰叁肆伍陆柒捌玖拾佰仟万亿一二三四五六七八九十百千]", text):
                return None
            c = read_money(span, m)
            if c is not None and "万" not in text and "元" not in text and "圆" not in text:
                c.ev.unlabelled = True  # a bare figure without 万/元: unit uncertain
            return c
        if field == "established_on":
            return read_date(span, m)
        if field == "address":
            text = normalize_name(span.text)
            if len(text) < 4 or not _ADDRESS_HINT.search(text):
                return None
            full = self.L.continuation(span, stop=_ALL_LABELS, max_rows=2)
            full = _trim_continuation(full, span)
            value = normalize_name(full.text)
            return from_span(value, full, Kind.TEXT, m, raw=full.text, ev=Evidence())
        return None

    def _type(self, span: Span, *, unlabelled: bool = False) -> Candidate | None:
        key = key_of(normalize_name(span.text))
        t = _type_of(key)
        if t is None:
            return None
        # the printed type may carry more than our list (a longer bracket): keep
        # the printed form up to its closing bracket
        printed = key
        mm = re.match(re.escape(t) + r"(\([^()]{1,30}\))?", printed)
        value = normalize_name(mm.group() if mm else t)
        exact = value == normalize_name(t)
        ev = Evidence(vocabulary=exact, unlabelled=unlabelled)
        sub = sub_by_key(span, 0, len(key_of(value)))
        return from_span(value, sub or span, Kind.ENUM, self.method, raw=span.text, ev=ev)

    # ------------------------------------------------------------------ split labels

    def _split_tails(self) -> None:
        """Rows starting with the last character of a spaced label (``称``, ``型``,
        ``所``) whose first character OCR read into a vertical run elsewhere; or
        with its first character alone (``名``), the last one not read at all."""
        L = self.L
        for ri, row in enumerate(L.rows):
            starts = [(k, LICENCE_SPLIT_TAILS.get(row.key[k]), False) for k in _tail_starts(row)]
            head = key_of(row.segments[0].text) if row.segments else ""
            if head in LICENCE_SPLIT_HEADS and len(row.segments) > 1:
                # the label's first character alone, its last one lost: the value
                # is the next segment, if it looks like one (a lone 名 is weak evidence)
                starts.append((0, LICENCE_SPLIT_HEADS[head], True))
            for k, field, weak in starts:
                if field is None or self.out.get(field) is not None:
                    continue
                hit = LabelHit(row, ri, k, k + 1, row.key[k], 1, row.span(k, k + 1, L.page))
                c = self._read(field, self._value(hit), row)
                if c is not None and weak and field == "company_name" and not c.ev.plausible:
                    continue
                if c is not None:
                    c.ev.fuzzy_label = True
                    self.out[field] = c
                    self.used_rows.add(ri)
                    break

    # ------------------------------------------------------------------ unlabelled rows

    def _unlabelled(self) -> None:
        """Name, type and address when their labels were not read: the rows
        between the code and the first labelled row below it, by content."""
        if all(self.out.get(f) is not None for f in ("company_name", "company_type", "address")):
            return
        L = self.L
        code = self.out.get("credit_code") or self.out.get("registration_number")
        if code is None or code.bbox is None:
            return  # no anchor: rows cannot be placed with any confidence
        top = code.bbox[3]
        stop_hits = [h for h in L.find(LICENCE["legal_representative"] + LICENCE["established_on"]) if h.bbox[1] > top]
        bottom = min((h.bbox[1] for h in stop_hits), default=L.height * 0.6)
        for ri, row in enumerate(L.rows):
            if ri in self.used_rows or not (top <= row.y_center <= bottom):
                continue
            first = row.segments[0].text
            if _has_label(row.span(0, len(row.key), L.page)) or "营业执照" in first or re.search("[:：]", first):
                continue
            seg = row.segments[0]
            span = Span((Piece(seg, 0, len(seg.text)),), L.page)
            text = normalize_name(seg.text)
            if self.out.get("company_type") is None and _type_of(key_of(text)) is not None and len(text) <= 32:
                c = self._type(span, unlabelled=True)
                if c is not None:
                    self.out["company_type"] = c
                    continue
            if self.out.get("company_name") is None and plausible_name(text):
                c = read_name(span, self.method)
                if c is not None:
                    c.ev.unlabelled = True
                    self.out["company_name"] = c
                    continue
            if self.out.get("address") is None and len(text) >= 6 and _ADDRESS_HINT.search(text):
                full = _trim_continuation(L.continuation(span, stop=_ALL_LABELS, max_rows=2), span)
                self.out["address"] = from_span(
                    normalize_name(full.text), full, Kind.TEXT, self.method, raw=full.text, ev=Evidence(unlabelled=True)
                )

    # ------------------------------------------------------------------ term

    def _term(self) -> None:
        L = self.L
        for hit in L.find(LICENCE["term"]):
            span = L.value_right(hit, stop=[a for a in _ALL_LABELS if a not in LICENCE["term"]], max_gap=2.5)
            if not span:
                continue
            key = span.key
            cut = key.find("至")
            left = key if cut < 0 else key[:cut]
            right = "" if cut < 0 else key[cut + 1 :]
            start_found = find_dates(left)
            if not start_found:
                continue
            a, b, _ = start_found[0]
            c = read_date(sub_by_key(span, a, b), self.method)
            if c is not None:
                c.ev.fuzzy_label = not hit.exact
                self.out["term_start"] = c
            _, end, open_ended = parse_period(key)
            end_found = find_dates(right) if right else []
            if end_found and not open_ended and end is not None:
                a, b, _ = end_found[0]
                c2 = read_date(sub_by_key(span, cut + 1 + a, cut + 1 + b), self.method)
                if c2 is not None:
                    c2.ev.fuzzy_label = not hit.exact
                    self.out["term_end"] = c2
            return

    # ------------------------------------------------------------------ authority / issue date

    def _authority_and_issued(self) -> None:
        L = self.L
        hits = L.find(LICENCE["registration_authority"])
        anchor = hits[-1] if hits else None
        # the authority: right of the label, else any 局 name in the lower part
        if anchor is not None:
            span = L.value_right(anchor, max_gap=2.0)
            c = self._authority(span)
            if c is not None:
                self.out["registration_authority"] = c
        if self.out.get("registration_authority") is None:
            y0 = anchor.bbox[1] - 4 * L.line_height if anchor is not None else L.height * 0.55
            for m, span in L.search(_AUTHORITY_RE):
                if span.bbox[1] >= y0 and not _near_notice(span, L):
                    c = self._authority(span)
                    if c is not None:
                        c.ev.unlabelled = True
                        self.out["registration_authority"] = c
                        break
        # the issue date: the first full date at or below the 登记机关 label
        y0 = anchor.bbox[1] - 1.5 * L.line_height if anchor is not None else L.height * 0.7
        for row in L.rows:
            if row.bbox[1] < y0:
                continue
            if any(w in row.key for w in ("成立日期", "营业期限", "至", "每年", "6月30日")):
                continue
            span = row.span(0, len(row.key), L.page)
            c = read_date(span, self.method)
            if c is not None:
                self.out["issued_on"] = c
                return

    def _authority(self, span: Span) -> Candidate | None:
        if not span:
            return None
        # per segment: a seal's text is its own segment, never glued to prose
        for piece in span.pieces:
            one = Span((piece,), span.page)
            m = _AUTHORITY_RE.search(one.key)
            if m and not re.search(r"[的须经批准项]", m.group()):
                break
        else:
            return None
        sub = sub_by_key(one, m.start(), m.end())
        # seal text, read along a curve: never better than "look at it"
        return from_span(m.group(), sub, Kind.TEXT, self.method, raw=span.text, ev=Evidence())

    # ------------------------------------------------------------------ places

    def _places(self) -> None:
        """The place a licence names three or four times (the name's prefix, the
        code's region part, the address, the authority) restores what OCR lost of
        one of them: the name's place-name prefix (``同市`` -> 大同市, ``凤风县`` ->
        凤冈县), then a 注册号 one digit short (its first six digits are the
        authority's division code). Repaired values stay below confident. A text
        layer's characters are exact: nothing to repair there."""
        if str(self.method) in (str(Method.TEXT_LAYER), str(Method.QR)):
            return
        name = self.out.get("company_name")
        context = " ".join(
            str(c.value) for c in (self.out.get("address"), self.out.get("registration_authority")) if c is not None
        )
        codes = self._printed_regions()
        if name is not None:
            fix = repair_place_prefix(str(name.value), region_codes=codes, context=context)
            if fix is not None:
                log.debug("licence name place %s -> %s (%s, backed: %s)", fix.before, fix.after, fix.kind,
                          fix.corroborated)
                name.value = fix.name
                name.ev.repairs += 1
                name.ev.guessed = name.ev.guessed or not fix.corroborated
                name.ev.plausible = plausible_name(fix.name)
            elif truncated_place(str(name.value), region_codes=codes, context=context) is not None:
                # starts with the tail of a place the licence names (峰海峰… where the
                # code says 赤峰): its head was probably lost; a doubt, not a repair
                name.ev.plausible = False
        if self.out.get("registration_number") is None and self.reg_misread is not None and not (
            self.out.get("credit_code") is not None and self.out["credit_code"].ev.checksum
        ):
            digits, span, exact = self.reg_misread
            places = set(codes)
            if name is not None:
                lead = leading_division(str(name.value))
                if lead is not None:
                    places |= lead[1]
            for _, _, _, cs in find_divisions(context):
                places |= cs
            fixed = repair_registration_number(digits, places)
            if fixed is not None:
                if len(fixed) == 15:
                    ev = Evidence(checksum=True, repairs=1, pattern=True, fuzzy_label=not exact)
                    kind = Kind.CODE
                else:
                    ev = Evidence(pattern=False, repairs=1, fuzzy_label=not exact)
                    kind = Kind.NUMBER
                ev.guessed = True  # the places back it, but they were read by OCR too
                # a failing credit code, if any, stays: a guessed number is no reason
                # to drop what the checksum rule must report
                self.out["registration_number"] = from_span(fixed, span, kind, self.method, raw=digits, ev=ev)

    def _printed_regions(self) -> list[str]:
        """Division codes the licence prints in its ids (checked ones only)."""
        out = []
        cc = self.out.get("credit_code")
        if cc is not None and cc.ev.checksum:
            r = region_of_number(str(cc.value))
            if r:
                out.append(r)
        rn = self.out.get("registration_number")
        if rn is not None and rn.ev.checksum is not False:
            r = region_of_number(str(rn.value))
            if r:
                out.append(r)
        return out

    # ------------------------------------------------------------------ cross-checks

    def _cross_checks(self) -> None:
        est, start = self.out.get("established_on"), self.out.get("term_start")
        if est is not None and start is not None:
            if est.value == start.value:
                est.ev.agrees("term start")
                start.ev.agrees("established")
            # a later term start is legitimate (renewed term): no disagreement
        today = date.today().isoformat()
        for name in ("established_on", "term_start", "issued_on"):
            c = self.out.get(name)
            if c is not None and not ("1949-10-01" <= str(c.value) <= today):
                c.ev.disagrees("calendar")  # a date in the future is a misread
        if est is not None and start is not None and str(start.value) < str(est.value):
            start.ev.disagrees("established")  # a term cannot start before the company
        issued = self.out.get("issued_on")
        if issued is not None and est is not None and str(issued.value) < str(est.value):
            issued.ev.disagrees("established")
        cc = self.out.get("credit_code")
        rn = self.out.get("registration_number")
        if cc is not None and rn is not None and cc.ev.checksum:
            self.out["registration_number"] = None  # the code supersedes the old number


# --------------------------------------------------------------------------- helpers


def _type_of(key: str) -> str | None:
    """The company type a text starts with (longest listed form), or None."""
    for t in _TYPE_KEYS:
        if key.startswith(t):
            return t
    return None


def _tail_starts(row: Row) -> list[int]:
    """Key offsets in ``row`` where a split label's tail may start the value's run:
    the row's first character, and the first character of any segment that only
    stray label characters precede (a head character of the next row, ``类``,
    grouped into this row because the value's box overlaps both lines)."""
    out: list[int] = []
    k = 0
    for seg in row.segments:
        n = len(key_of(seg.text))
        if n == 0:
            continue
        out.append(k)
        if n > 2:
            break  # real text before: what follows is not at the row's start
        k += n
    return out


def _has_label(span: Span) -> bool:
    key = span.key
    return any(key.startswith(key_of(a)) for a in _ALL_LABELS if len(key_of(a)) >= 2)


def _inside_longer(hit: LabelHit, L: Layout, words: list[str]) -> bool:
    key = hit.row.key
    return any(key_of(w) in key[max(0, hit.start - 3) : hit.end + 3] for w in words)


def _covering(span: Span, value: str) -> int:
    joined = span.joined
    want = len(key_of(value))
    got = 0
    for i, ch in enumerate(joined):
        if key_of(ch):
            got += 1
        if got >= want:
            return i + 1
    return len(joined)


def _trim_continuation(full: Span, first: Span) -> Span:
    """Keep continuation rows only while they look like more of an address."""
    if len(full.pieces) == len(first.pieces):
        return full
    kept = list(first.pieces)
    for p in full.pieces[len(first.pieces) :]:
        t = p.text.strip()
        if not t or len(t) > 40 or re.search(r"[：:]|经营|范围|依法|批准", t):
            break
        kept.append(p)
    return Span(tuple(kept), full.page)


def _apart(a: Candidate, b: Candidate) -> bool:
    if a.bbox is None or b.bbox is None:
        return True
    return a.bbox[2] <= b.bbox[0] or b.bbox[2] <= a.bbox[0] or a.bbox[3] <= b.bbox[1] or b.bbox[3] <= a.bbox[1]


def _near_notice(span: Span, L: Layout) -> bool:
    """Notices on the licence mention 登记机关 in prose; a seal's text is short."""
    return len(span.joined) > 30

"""The contract's **binding step**: which entity fills which field.

Reading is done by :mod:`extractors.nlp` (reading text + spaCy pipeline: cue ents,
entity shapes, party label constructs); :class:`extractors.contract.ContractExtractor`
runs the steps of this module's :class:`_Binder`. Every rule is one small method of
:class:`_Binder`, and every value records *how* it was bound
(``extractors.contract_evidence._RANK``):

* **parties** -- an ORG right after a party label (``甲方：``, ``甲方（委托方）：``,
  ``乙方（盖章）：``; on the same line or at the start of the next) or named by an
  alias (``X有限公司（以下简称"甲方"）``). Fallbacks, weaker: a role word glued to an
  ORG (``甲方河北…``, OCR lost the colon); in a signature block whose names sit under
  their labels, the ORG in the label's column (x position, from the boxes).
  甲方/乙方 decide the role; without them 委托方/采购方/买方… mean A and
  受托方/服务方/供应方/卖方… mean B; a label whose two words disagree
  (``甲方（服务方）``) is a doubt.
* **credit codes** -- belong to the nearest party mention before them (within a few
  lines; any place the party's bound name is printed counts); in a side-by-side
  block, to the one in the same column.
* **amounts** -- each amount is governed by the nearest amount cue before it in the
  same clause: 总金额/合同价款/总价… (total), 上云上平台费用/云服务费 (cloud fee),
  年服务费/年费 (annual fee); ``…元/年`` is annual whatever the cue; ``…元/月``
  is never bound; nor is a share of it (``合同总金额的60%，即…``). Per cue, only its
  first figure and first amount in words count (``总金额为壹拾贰万元整（¥120,000.00），
  包括…20,000元`` binds the first pair only); a bare figure (OCR lost its ¥) counts
  under a cue. 大写 = 小写 is checked (OCR-tolerant for the figure's sake; the words
  themselves are repaired only where a read character cannot be 大写 at all).
* **dates** -- a PERIOD (自 DATE 起至 DATE 止) after a term cue (服务期限…) gives
  start and end; ``服务期为一年，自 DATE 起`` gives the start and an inferred end;
  开始日期/结束日期 labels; signing: ``签订日期：DATE``, ``于 DATE 签订``, else the
  dates of the signature block (the later one when the parties' differ).
* **number** after 合同编号/编号 (``[2018]`` read for ``〔2018〕`` is restored);
  **title**: a …合同/…协议 line at the top of page 1; **services**: the name column
  of a table headed 产品名称/服务名称…, an inline list after ``服务内容：``, else
  (weaker) lines naming a product of the gazetteer.
* dates outside 1990-2099 are misreads (三O一八) and never bound.

Confidence: :func:`extractors.contract_evidence.contract_evidence` turns how a value
was bound (rank, doubts, agreements) into the shared model's
:class:`extractors.fields.Evidence`.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal

import cn2an
from rapidfuzz import fuzz
from spacy.tokens import Doc, Span

from extractors import fields as F
from extractors.contract_evidence import _RANK, Reading, _settle, contract_evidence
from extractors.layout import Piece
from extractors.layout import Span as LayoutSpan
from extractors.nlp import ReadingText, contract_nlp, load_patterns
from extractors.normalize.money import (
    amount_to_uppercase,
    format_amount,
    parse_amount,
    parse_uppercase_amount,
    uppercase_matches,
)
from extractors.normalize.names import normalize_name
from extractors.normalize.text import compact, fold_width, to_simplified
from intake.model import Page

# \Z, not $: "$" would also match before a line break
_COLON_GAP = re.compile(r"^[:：]{0,2}\Z")
# between a party label and its name: a colon, a (盖章) placeholder
_LABEL_GAP = re.compile(r"^[:：;；]?(?:[(（〈<\[【][^()（）\n]{0,8}[)）〉>\]】])?[:：]?\Z")
# a bank account's labels, and a credit code's (the account must not follow a code label)
_BANK_LABEL = re.compile(r"账号|帐号|账户|帐户|开户行|开户银行|户名")
_CODE_LABEL = re.compile(r"信用代码|识别号|税号|登记号|组织机构代码")
_YEARS = (1990, 2099)  # a contract dated outside these years is a misread
_GOVERNING = ("CUE_TOTAL", "CUE_CLOUD", "CUE_ANNUAL", "CUE_PERIOD")  # cues that govern a figure
_MONTHLY = re.compile(r"^(?:/|每|一)?(?:月|个月)")
_YEARLY = re.compile(r"^(?:/|每)年")


class _Binder:
    """Binds the pipeline's entities to contract fields for one document."""

    def __init__(self, pages: Sequence[Page]):
        self.cfg = load_patterns()
        self.rt = ReadingText(pages)
        self.text = self.rt.text
        self.doc: Doc = contract_nlp()(self.text)
        self.shapes: list[Span] = list(self.doc.spans["shapes"])
        self.cues: list[Span] = [e for e in self.doc.ents if e.label_.startswith(("ROLE_", "CUE_", "STOP"))]
        # indexes so that every lookup is a bisect, not a scan (long odd inputs)
        self._cue_by_end: dict[int, list[Span]] = {}
        self._cue_by_start: dict[int, list[Span]] = {}
        for c in self.cues:
            self._cue_by_end.setdefault(c.end_char, []).append(c)
            self._cue_by_start.setdefault(c.start_char, []).append(c)
        self._governing = [c for c in self.cues if c.label_ in _GOVERNING]  # sorted by position
        self._governing_ends = [c.end_char for c in self._governing]
        self._orgs = self.of("ORG")
        self._org_starts = [o.start_char for o in self._orgs]
        self._period: tuple[date, date] | None = None
        self._title_line = -1

    def steps(self) -> list[tuple[str, Callable[[], dict[str, F.Candidate | None]]]]:
        # period before amounts: a one-year term lets the annual fee be inferred
        return [("title", self.title), ("number", self.number), ("parties", self.parties),
                ("period", self.period), ("amounts", self.amounts), ("signed", self.signed),
                ("services", self.services)]

    # -- small helpers ----------------------------------------------------------
    def of(self, label: str) -> list[Span]:
        return [s for s in self.shapes if s.label_ == label]

    def cues_of(self, *labels: str) -> list[Span]:
        return [c for c in self.cues if c.label_ in labels]

    def lspan(self, start: int, end: int) -> LayoutSpan | None:
        return self.rt.span(start, end)

    def method(self, offset: int) -> str:
        return self.rt.method_at(offset)

    def clause_break(self, a: int, b: int) -> bool:
        """Is there a sentence or line end in ``text[a:b]``? A line break right after
        a label (``总金额：⏎¥…``) does not count; a ``.`` between digits is a decimal."""
        seg = self.text[a:b]
        for i, ch in enumerate(seg):
            if ch in "。;；!！?？":
                return True
            if ch == "." and not (i > 0 and seg[i - 1].isdigit() and i + 1 < len(seg) and seg[i + 1].isdigit()):
                return True
            if ch == "\n" and seg[:i].strip(":：") != "":
                return True
        return False

    def cue_before(self, start: int, labels: tuple[str, ...], window: int) -> Span | None:
        """The nearest amount/term cue ending before ``start``, if it has one of
        ``labels``, lies within ``window`` characters and in the same clause."""
        i = bisect_right(self._governing_ends, start) - 1
        if i < 0:
            return None
        best = self._governing[i]
        if best.label_ not in labels or start - best.end_char > window or self.clause_break(best.end_char, start):
            return None
        return best

    def cue_right_before(self, pos: int, labels: tuple[str, ...], gap: re.Pattern[str] | None = None) -> Span | None:
        """A cue with one of ``labels`` ending at ``pos`` or separated from it only by
        ``gap`` (default: a colon)."""
        gap = gap or _COLON_GAP
        for back in range(0, 14):
            for c in self._cue_by_end.get(pos - back, ()):
                if c.label_ in labels and gap.match(self.text[c.end_char:pos]):
                    return c
        return None

    # -- title ------------------------------------------------------------------
    def title(self) -> dict[str, F.Candidate | None]:
        cfg = self.cfg["title"]
        rx, reject = re.compile(cfg["regex"]), re.compile(cfg["reject_start"])
        first_page = next((o[0] for o in self.rt.origin if o is not None), None)
        for line in range(min(self.rt.line_count, int(cfg["max_rows"]))):
            a, b = self.rt.line_bounds(line)
            o = next((o for o in self.rt.origin[a:b] if o is not None), None)
            if o is None or o[0] != first_page:
                break
            t = self.text[a:b]
            if rx.match(t) and not reject.match(t):
                self._title_line = line
                sp = self.lspan(a, b)
                value = compact(fold_width(to_simplified(sp.text))) if sp else t
                cand = F.from_span(value, sp, F.Kind.TEXT, self.method(a))
                return {"title": cand}
        return {}

    # -- contract number ----------------------------------------------------------
    def number(self) -> dict[str, F.Candidate | None]:
        readings: list[Reading] = []
        for s in self.of("CONTRACT_NO"):
            cue = self.cue_right_before(s.start_char, ("CUE_NO",))
            sp = self.lspan(s.start_char, s.end_char)
            if sp is None:
                continue
            # 〔2018〕 is how document numbers bracket the year; OCR gives [2018] or (2018)
            value = _YEAR_BRACKETS.sub(r"〔\1〕", compact(fold_width(to_simplified(sp.text))))
            cand = F.from_span(value, sp, F.Kind.NUMBER, self.method(s.start_char))
            how = "label" if cue is not None and cue.ent_id_ == "strong" else "weak_cue"
            readings.append(Reading(cand, how, s.start_char))
        return {"contract_number": _settle(readings, "contract number")}

    # -- parties ----------------------------------------------------------------
    def _role_of(self, label: Span) -> tuple[str | None, bool, str | None]:
        """(role A/B, named by 甲方/乙方 itself, doubt) from the role words in a label."""
        ents = [e for e in self.cues if label.start_char <= e.start_char and e.end_char <= label.end_char
                and e.label_ in ("ROLE_A", "ROLE_B")]
        explicit = {e.label_[-1] for e in ents if e.ent_id_ == "explicit"}
        functional = {e.label_[-1] for e in ents if e.ent_id_ != "explicit"}
        if len(explicit) == 1:
            role = next(iter(explicit))
            doubt = f"label {label.text} names both roles" if functional - explicit else None
            return role, True, doubt
        if not explicit and len(functional) == 1:
            return next(iter(functional)), False, None
        return None, False, None

    def _org_after(self, pos: int) -> Span | None:
        """The ORG that starts right after a label (a colon or a (盖章) between)."""
        i = bisect_left(self._org_starts, pos)
        if i < len(self._orgs):
            org = self._orgs[i]
            if _LABEL_GAP.match(self.text[pos:org.start_char]):
                return org
        return None

    def _party_mentions(self) -> list[tuple[str, Span, str, Span, str | None]]:
        """(role, org, how, label-or-cue, doubt) for every party mention found."""
        found: list[tuple[str, Span, str, Span, str | None]] = []
        orgs = self._orgs
        for label in self.doc.spans["party_labels"]:
            role, explicit, doubt = self._role_of(label)
            if label.label_ == "ALIAS":
                org = next((o for o in orgs if label.start_char <= o.start_char < label.end_char), None)
                roles = {e.label_[-1] for e in self.cues if e.label_ in ("ROLE_A", "ROLE_B")
                         and label.start_char <= e.start_char < label.end_char}
                if org is not None and len(roles) == 1:
                    found.append((roles.pop(), org, "alias", label, None))
                continue
            if role is None:
                continue
            org = self._org_after(label.end_char)
            how = "label" if explicit else "role_only"
            if org is None:
                nl = self.text.find("\n", label.end_char)
                if nl >= 0 and self._ends_line(label.end_char, nl):
                    org = self._org_below(label, nl + 1, orgs)
                    how = "next_line" if explicit else "role_only"
            if org is None and self._is_signature(label, loose=True):
                org = self._org_in_column(label, orgs)
                how = "column"
            if org is not None:
                found.append((role, org, how, label, doubt))
        # a role word glued to a name: OCR dropped the colon
        for cue in self.cues_of("ROLE_A", "ROLE_B"):
            if any(lb.start_char <= cue.start_char < lb.end_char for lb in self.doc.spans["party_labels"]):
                continue
            i = bisect_left(self._org_starts, cue.end_char)
            org = orgs[i] if i < len(orgs) and orgs[i].start_char == cue.end_char else None
            if org is not None and cue.ent_id_ == "explicit":
                found.append((cue.label_[-1], org, "bare", cue, None))
        return found

    def _ends_line(self, a: int, nl: int) -> bool:
        """Only a colon, a (盖章) or the other party's label follow until the line end
        (``甲方（盖章）：        乙方（盖章）：`` heads two signature columns)."""
        rest = list(self.text[a:nl])
        for lb in self.doc.spans["party_labels"]:
            if a <= lb.start_char and lb.end_char <= nl:
                rest[lb.start_char - a:lb.end_char - a] = [""] * (lb.end_char - lb.start_char)
        return bool(_LABEL_GAP.match("".join(rest)))

    def _org_below(self, label: Span, line_start: int, orgs: list[Span]) -> Span | None:
        """The name on the line after a label that ends its line: the one under the
        label when the line holds several (two signature columns)."""
        line = self.rt.line_no(line_start)
        below = [o for o in orgs if self.rt.line_no(o.start_char) == line]
        if not below:
            return None
        if len(below) == 1 and below[0].start_char == line_start:
            return below[0]
        x = self.rt.x_share(label.start_char, label.end_char)
        if x is None:
            return None
        dist = [(abs((self.rt.x_share(o.start_char, o.end_char) or 9.0) - x), i) for i, o in enumerate(below)]
        d, i = min(dist)
        return below[i] if d < 0.25 else None

    def _is_signature(self, label: Span, *, loose: bool = False) -> bool:
        """A label of the signature block: it carries 盖章/签字; ``loose`` also takes
        any label among the last lines of the document."""
        if any(c.label_ == "CUE_SEAL" and label.start_char <= c.start_char < label.end_char + 6 for c in self.cues):
            return True
        return loose and self.rt.line_no(label.start_char) >= max(self.rt.line_count - 12, self.rt.line_count // 2)

    def _org_in_column(self, label: Span, orgs: list[Span]) -> Span | None:
        """The ORG within three lines of a signature label whose centre is nearest the
        label's (a name printed under or over its label); None if none is close."""
        x = self.rt.x_share(label.start_char, label.end_char)
        line = self.rt.line_no(label.start_char)
        if x is None:
            return None
        best, best_d = None, 0.25
        for org in orgs:
            if abs(self.rt.line_no(org.start_char) - line) > 3:
                continue
            ox = self.rt.x_share(org.start_char, org.end_char)
            if ox is not None and abs(ox - x) < best_d:
                best, best_d = org, abs(ox - x)
        return best

    def parties(self) -> dict[str, F.Candidate | None]:
        mentions = self._party_mentions()
        readings: dict[str, list[Reading]] = {"A": [], "B": []}
        for role, org, how, _label, doubt in mentions:
            sp = self.lspan(org.start_char, org.end_char)
            cand = F.read_name(sp, self.method(org.start_char)) if sp else None
            if cand is None:
                continue
            readings[role].append(Reading(cand, how, org.start_char, doubts=[doubt] if doubt else []))
        a = _settle(readings["A"], "甲方 name")
        b = _settle(readings["B"], "乙方 name")
        if a is not None and b is not None and a.value == b.value:
            a.ev.disagrees("乙方 has the same name")
            b.ev.disagrees("甲方 has the same name")
        out: dict[str, F.Candidate | None] = {"party_a_name": a, "party_b_name": b}
        names = {"A": a.value if a else None, "B": b.value if b else None}
        out.update(self._credit_codes(mentions, names))
        return out

    def _credit_codes(self, mentions: list[tuple[str, Span, str, Span, str | None]],
                      names: dict[str, str | None]) -> dict[str, F.Candidate | None]:
        """Codes given to parties (:meth:`_owner`). Besides the labelled mentions, any
        other place a party's name is printed anchors its code: a photo that cut off
        ``甲方：`` still shows the name above the code."""
        anchors = {(sp.start_char, sp.end_char, m[0]) for m in mentions for sp in (m[1], m[3])}
        for org in self._orgs:
            name = normalize_name(org.text)
            for role, known in names.items():
                if known and fuzz.ratio(name, known) >= 90:
                    anchors.add((org.start_char, org.end_char, role))
        return self._codes_by_anchor(sorted(anchors))

    def _codes_by_anchor(self, anchors: list[tuple[int, int, str]]) -> dict[str, F.Candidate | None]:
        readings: dict[str, list[Reading]] = {"A": [], "B": []}
        for code in self.of("CREDIT_CODE"):
            cue = self.cue_right_before(code.start_char, ("CUE_CODE",), _LABEL_GAP)
            role = self._owner(code, cue, anchors)
            if role is None:
                continue
            if cue is None and self._bank_account(code):
                continue  # 账号：… / 开户行 … : a bank account, never a credit code
            sp = self.lspan(code.start_char, code.end_char)
            cand = F.read_credit_code(sp, self.method(code.start_char)) if sp else None
            if cand is None:
                continue
            if cand.ev.checksum is False and (
                    not F.credit_code_shaped(str(cand.value)) or (cue is None and str(cand.value).isdigit())):
                # failing its checksum and not shaped like a code (or, without a code
                # label, digits only): an account or order number, not a misprinted code
                continue
            readings[role].append(Reading(cand, "label" if cue is not None else "nearest", code.start_char))
        return {"party_a_credit_code": _settle(readings["A"], "甲方 credit code"),
                "party_b_credit_code": _settle(readings["B"], "乙方 credit code")}

    def _bank_account(self, code: Span) -> bool:
        """Is ``code`` printed as a bank account: a bank label (账号, 开户行, 户名 …)
        before it on its line -- or ending the line above, the value wrapped -- with
        no credit-code label after that label?"""
        start = code.start_char
        line_start = self.text.rfind("\n", 0, start) + 1
        if not self.text[line_start:start].strip(" :：;；"):
            line_start = self.text.rfind("\n", 0, max(0, line_start - 1)) + 1  # the label ends the line above
        before = self.text[max(line_start, start - 60):start]
        bank = [m.end() for m in _BANK_LABEL.finditer(before)]
        codes = [m.end() for m in _CODE_LABEL.finditer(before)]
        return bool(bank) and (not codes or bank[-1] > codes[-1])

    def _owner(self, code: Span, cue: Span | None, anchors: list[tuple[int, int, str]]) -> str | None:
        """The party a credit code belongs to: the nearest mention before it within six
        lines; with both parties on that line (side by side), the one whose column
        starts where the code's label starts."""
        line = self.rt.line_no(code.start_char)
        before = [a for a in anchors if a[0] < code.start_char and line - self.rt.line_no(a[0]) <= 6]
        if not before:
            return None
        last_line = max(self.rt.line_no(a[0]) for a in before)
        on_line = [a for a in before if self.rt.line_no(a[0]) == last_line]
        if len({a[2] for a in on_line}) == 1:
            return on_line[-1][2]
        head = cue if cue is not None else code
        x = self.rt.x_share(head.start_char, code.end_char, left=True)
        if x is None:
            return None
        scored = [(abs((self.rt.x_share(s, e, left=True) or 9.0) - x), r) for s, e, r in on_line]
        return min(scored)[1]

    # -- period -------------------------------------------------------------------
    def _date_cand(self, s: Span) -> F.Candidate | None:
        """The date of a DATE shape; None outside the years contracts are dated in
        (三O一八 for 二O一八 reads as a valid 3018)."""
        sp = self.lspan(s.start_char, s.end_char)
        cand = F.read_date(sp, self.method(s.start_char)) if sp else None
        if cand is None or not _YEARS[0] <= int(cand.value[:4]) <= _YEARS[1]:
            return None
        return cand

    def period(self) -> dict[str, F.Candidate | None]:
        window = int(self.cfg["period_window"])
        starts: list[Reading] = []
        ends: list[Reading] = []
        dates = self.of("DATE")
        for comp in self.doc.spans["composites"]:
            if comp.label_ != "PERIOD":
                continue
            inner = [d for d in dates if comp.start_char <= d.start_char and d.end_char <= comp.end_char]
            if len(inner) != 2:
                continue
            a, b = (self._date_cand(d) for d in inner)
            if a is None or b is None:
                continue
            how = "label" if self.cue_before(comp.start_char, ("CUE_PERIOD",), window) else "prose"
            doubts = ["term ends before it starts"] if b.value < a.value else []
            starts.append(Reading(a, how, comp.start_char, doubts=list(doubts)))
            ends.append(Reading(b, how, comp.start_char, doubts=list(doubts)))
        in_periods = [(c.start_char, c.end_char) for c in self.doc.spans["composites"]]
        for d in dates:
            if any(a <= d.start_char < b for a, b in in_periods):
                continue
            for label, bucket in (("CUE_START", starts), ("CUE_END", ends)):
                cue = self.cue_right_before(d.start_char, (label,))
                if cue is not None and (cand := self._date_cand(d)) is not None:
                    bucket.append(Reading(cand, "label", d.start_char))
            if not starts and self.text.startswith("起", d.end_char):
                starts_, ends_ = self._open_term(d, window)
                starts += starts_
                ends += ends_
        start = _settle(starts, "service start")
        end = _settle(ends, "service end")
        if start is not None and end is not None:
            self._period = (date.fromisoformat(start.value), date.fromisoformat(end.value))
        return {"service_start": start, "service_end": end}

    def _open_term(self, d: Span, window: int) -> tuple[list[Reading], list[Reading]]:
        """``服务期为一年，自 DATE 起`` / ``自 DATE 起 12 个月``: start, and end inferred
        from the duration (start + N years/months - 1 day)."""
        cue = next((c for c in self.cues_of("CUE_PERIOD") if c.end_char <= d.start_char
                    and d.start_char - c.end_char <= window + 12), None)
        if cue is None:
            return [], []
        lo, hi = cue.end_char, min(len(self.text), d.end_char + 16)
        dur = next((s for s in self.of("DURATION") if lo <= s.start_char < hi
                    and not self.clause_break(min(s.start_char, d.start_char), max(s.end_char, d.end_char))), None)
        start = self._date_cand(d)
        if start is None:
            return [], []
        out_s = [Reading(start, "label", d.start_char)]
        if dur is None:
            return out_s, []
        end = _add_duration(date.fromisoformat(start.value), dur.text)
        if end is None:
            return out_s, []
        sp = self.lspan(dur.start_char, dur.end_char)
        end_cand = F.from_span(end.isoformat(), sp, F.Kind.DATE, self.method(dur.start_char),
                               raw=sp.text if sp else None)
        return out_s, [Reading(end_cand, "inferred", dur.start_char)]

    # -- amounts ------------------------------------------------------------------
    def amounts(self) -> dict[str, F.Candidate | None]:
        window = int(self.cfg["amount_window"])
        labels = ("CUE_TOTAL", "CUE_CLOUD", "CUE_ANNUAL")
        # per governing cue: its first figure and first amount in words
        pairs: dict[int, dict[str, Span]] = {}
        cue_of: dict[int, Span] = {}
        yearly: list[Span] = []
        # 支付合同总金额的50%，即31,500元: a share of the total is not the total
        part_of = re.compile(self.cfg["amount_gap_reject"])
        # FIGURE: a bare 26,000.00 whose ¥ or 元 OCR lost; it counts only under a cue
        for m in sorted(self.of("MONEY") + self.of("MONEY_UPPER") + self.of("FIGURE"), key=lambda s: s.start_char):
            after = self.text[m.end_char:m.end_char + 4]
            if _MONTHLY.match(after):
                continue
            cue = self.cue_before(m.start_char, labels, window)
            if cue is not None and part_of.search(self.text[cue.end_char:m.start_char]):
                continue
            if _YEARLY.match(after) and (cue is None or cue.label_ != "CUE_ANNUAL"):
                yearly.append(m)
                continue
            if cue is None:
                continue
            slot = pairs.setdefault(cue.start_char, {})
            cue_of[cue.start_char] = cue
            slot.setdefault("MONEY" if m.label_ == "FIGURE" else m.label_, m)
        out: dict[str, F.Candidate | None] = {}
        for label, name in (("CUE_TOTAL", "total_amount"), ("CUE_CLOUD", "cloud_fee"), ("CUE_ANNUAL", "annual_fee")):
            readings: list[Reading] = []
            words: list[Reading] = []
            for pos, slot in sorted(pairs.items()):
                cue = cue_of[pos]
                if cue.label_ != label:
                    continue
                how = "label" if cue.ent_id_ == "strong" else "weak_cue"
                r, w = self._amount_reading(slot, how)
                if r is not None:
                    readings.append(r)
                if w is not None:
                    words.append(w)
            if label == "CUE_ANNUAL":
                for m in yearly:
                    r, _ = self._amount_reading({m.label_: m}, "label")
                    if r is not None:
                        readings.append(r)
            out[name] = _settle(readings, name.replace("_", " "))
            if label == "CUE_TOTAL":
                out["total_amount_in_words"] = _settle(words, "total in words")
        if out.get("annual_fee") is None and out.get("total_amount") is not None and self._one_year():
            total = out["total_amount"]
            assert total is not None
            ev = contract_evidence(F.Evidence(), "inferred", doubts=total.ev.disagree)
            out["annual_fee"] = F.Candidate(total.value, total.raw, F.Kind.MONEY, total.method,
                                            total.page, total.bbox, total.ocr, ev)
        return out

    def _amount_reading(self, slot: dict[str, Span], how: str) -> tuple[Reading | None, Reading | None]:
        """The reading of one cue's amount (figures, else words) and of its words,
        cross-checked: 大写 = 小写 is an agreement, 大写 ≠ 小写 a disagreement."""
        fig, upper = slot.get("MONEY"), slot.get("MONEY_UPPER")
        fig_c = self._money(fig) if fig is not None else None
        up_c = self._money(upper) if upper is not None else None
        if up_c is None and upper is not None:  # OCR misread a 大写 digit: 陆件 for 陆仟
            up_value = parse_uppercase_amount(upper.text, tolerant=True)
            up_sp = self.lspan(upper.start_char, upper.end_char)
            if up_value is not None and up_value > 0 and up_sp is not None:
                up_c = F.from_span(format_amount(up_value), up_sp, F.Kind.MONEY, self.method(upper.start_char))
        up_raw = self.lspan(upper.start_char, upper.end_char) if upper is not None else None
        agrees: list[str] = []
        doubts: list[str] = []
        words_agree: list[str] = []
        if fig_c is not None and up_raw is not None:
            if uppercase_matches(up_raw.text, Decimal(fig_c.value)):  # OCR-tolerant
                agrees.append("大写 = 小写")
                # the words vouch for themselves only when read without OCR repairs
                if parse_uppercase_amount(up_raw.text) == Decimal(fig_c.value):
                    words_agree.append("大写 = 小写")
            elif up_c is not None:
                doubts.append(f"大写 {up_c.value} ≠ 小写 {fig_c.value}")
        main = fig_c or up_c
        pos = (fig or upper).start_char if (fig or upper) is not None else 0
        reading = Reading(main, how, pos, doubts=list(doubts), agrees=list(agrees)) if main else None
        words = None
        if up_c is not None and up_raw is not None and upper is not None:
            text = compact(fold_width(to_simplified(up_raw.text)))
            if fig_c is not None and agrees and not words_agree:
                text = _repair_words(text, Decimal(fig_c.value)) or text
            wc = F.from_span(text, up_raw, F.Kind.MONEY, up_c.method)
            # the same printed words: compare by amount, not spelling
            words = Reading(wc, how, upper.start_char, key=up_c.value, doubts=list(doubts), agrees=words_agree)
        return reading, words

    def _money(self, s: Span) -> F.Candidate | None:
        sp = self.lspan(s.start_char, s.end_char)
        if sp is None:
            return None
        # parse the reading text (spaces OCR put inside the figure are gone there)
        value = parse_amount(s.text)
        if value is None or value <= 0:
            return None
        cand = F.read_money(sp, self.method(s.start_char), text=s.text)
        if cand is None or cand.value != format_amount(value):
            cand = F.from_span(format_amount(value), sp, F.Kind.MONEY, self.method(s.start_char))
        cand.raw = sp.text
        return cand

    def _one_year(self) -> bool:
        if self._period is None:
            return False
        start, end = self._period
        return _add_duration(start, "1年") == end

    # -- signing date ---------------------------------------------------------------
    def signed(self) -> dict[str, F.Candidate | None]:
        readings: list[Reading] = []
        sig: list[Reading] = []
        in_periods = [(c.start_char, c.end_char) for c in self.doc.spans["composites"]]
        labels = [lb for lb in self.doc.spans["party_labels"] if lb.label_ == "LABEL"]
        first_sig_line = min((self.rt.line_no(lb.start_char) for lb in labels if self._is_signature(lb)),
                             default=None)
        if first_sig_line is None:
            first_sig_line = min((self.rt.line_no(lb.start_char) for lb in labels
                                  if self._is_signature(lb, loose=True)), default=None)
        for d in self.of("DATE"):
            if any(a <= d.start_char < b for a, b in in_periods):
                continue
            before = self.text[max(0, d.start_char - 12):d.start_char]
            cue = self.cue_right_before(d.start_char, ("CUE_SIGNED", "CUE_DATE"))
            verb = any(c.label_ == "CUE_SIGN_VERB" for k in range(d.end_char, d.end_char + 3)
                       for c in self._cue_by_start.get(k, ()))  # 签订 within 2 characters
            cand = self._date_cand(d)
            if cand is None:
                continue
            if cue is not None and cue.label_ == "CUE_SIGNED":
                readings.append(Reading(cand, "label", d.start_char))
            elif verb and before.endswith(("于", "於", "在")):
                readings.append(Reading(cand, "prose", d.start_char))
            elif cue is not None and first_sig_line is not None and self.rt.line_no(d.start_char) >= first_sig_line:
                sig.append(Reading(cand, "signature", d.start_char))
        if not readings and sig:
            values = sorted({r.cand.value for r in sig})
            if len(values) > 1:
                # parties signed on different days: the contract is made by the later one
                latest = [r for r in sig if r.cand.value == values[-1]]
                cand = _settle(latest[:1], "signing date")
                if cand is not None:
                    cand.ev.unlabelled = True  # which day counts is a clerk's call
                return {"signed_on": cand}
            readings = sig
        return {"signed_on": _settle(readings, "signing date")}

    # -- services -----------------------------------------------------------------
    def services(self) -> dict[str, F.Candidate | None]:
        """Services from (1) a table whose header names the service column
        (产品名称/服务名称…): that column's cells; (2) an inline list after
        ``服务内容：``; (3) other lines naming a product of the gazetteer (a list
        item, numbering and prices cut). (3) alone is a weak reading."""
        marker = re.compile(self.cfg["list_marker"])
        found: list[tuple[str, LayoutSpan | None, str]] = []  # (item, where, how)
        lines_done: set[int] = {self._title_line}
        for cue in self.cues_of("CUE_SERVICES"):
            table = self._service_table(cue)
            if table:
                found += [(item, sp, "label") for item, sp, _ in table]
                lines_done.update(line for _, _, line in table)
                lines_done.add(self.rt.line_no(cue.start_char))
                continue
            m = re.match(r"[:：]([^\n]{2,120})", self.text[cue.end_char:])  # 服务内容：A、B
            sp = self.lspan(cue.end_char + 1, cue.end_char + m.end()) if m else None
            if sp is None:
                continue
            for part in re.split(r"[、,，;；/]", _clean_service(sp.text, marker)):
                if len(part) >= 2 and not _prose(part):
                    found.append((part.strip(), sp, "label"))
            lines_done.add(self.rt.line_no(cue.start_char))
        for svc in self.doc.ents:
            if svc.label_ != "SERVICE" or not self._word_boundary(svc):
                continue
            line = self.rt.line_no(svc.start_char)
            if line in lines_done:
                continue
            lines_done.add(line)
            a, b = self.rt.line_bounds(line)
            item = _clean_service(" ".join(r.text for _, r in self.rt.rows_of(a, b)), marker)
            if item and not _prose(item):
                found.append((item, self.lspan(a, b), "gazetteer"))
        seen: set[str] = set()
        kept = [f for f in found if f[0] and not (compact(f[0]) in seen or seen.add(compact(f[0])))][:40]
        if not kept:
            return {}
        spans = [sp for _, sp, _ in kept if sp is not None]
        joined: LayoutSpan | None = None
        for sp in spans:
            if sp.page == spans[0].page:
                joined = sp if joined is None else joined.plus(sp)
        ocr = min((sp.confidence for sp in spans), default=1.0)
        cand = F.from_span([item for item, _, _ in kept], joined, F.Kind.TABLE, self.method(0), ocr=ocr)
        cand.raw = None  # a list has no single printed form
        weakest = min((how for _, _, how in kept), key=lambda h: _RANK[h][0])
        contract_evidence(cand.ev, weakest)
        return {"services": cand}

    def _service_table(self, cue: Span) -> list[tuple[str, LayoutSpan, int]]:
        """Cells under a table header's service-name cell, row by row, until the table
        ends (a row that is not cells apart, or a 合计 row): (item, where, line)."""
        at = self.rt.row_at(cue.start_char)
        head = self.lspan(cue.start_char, cue.end_char)
        if at is None or head is None or not head.pieces:
            return []
        pi, ri = at
        rows = self.rt.page_rows(pi)
        if len(rows[ri].segments) < 3:
            return []  # a label in prose, not a table header
        # the column: between the header cells left and right of the name's cell
        cells = rows[ri].segments  # left to right
        h = next((i for i, sg in enumerate(cells) if sg is head.pieces[0].segment), None)
        if h is None:
            return []
        lo = cells[h - 1].bbox[2] if h > 0 else float("-inf")
        hi = cells[h + 1].bbox[0] if h + 1 < len(cells) else float("inf")
        mid = (cells[h].bbox[0] + cells[h].bbox[2]) / 2
        out: list[tuple[str, LayoutSpan, int]] = []
        for j in range(ri + 1, len(rows)):
            row = rows[j]
            if len(row.segments) < 2 or _TABLE_END.search(row.key):
                break
            inside = [sg for sg in row.segments if lo < (sg.bbox[0] + sg.bbox[2]) / 2 < hi]
            if not inside:
                continue
            cell = min(inside, key=lambda sg: abs((sg.bbox[0] + sg.bbox[2]) / 2 - mid))
            item = _clean_service(cell.text, None)
            start = self.rt.row_start(pi, j)
            if not item or start is None or re.fullmatch(r"[\d\s.,，%]+", item):
                continue
            where = LayoutSpan((Piece(cell, 0, len(cell.text)),), self.rt.pages[pi].number)
            out.append((item, where, self.rt.line_no(start)))
        return out

    def _word_boundary(self, ent: Span) -> bool:
        """An ASCII product code (ECS, OSS) must not be part of a longer word."""
        if not ent.text.isascii():
            return True
        before = self.text[ent.start_char - 1:ent.start_char] if ent.start_char else ""
        after = self.text[ent.end_char:ent.end_char + 1]
        return not (before.isascii() and before.isalpha()) and not (after.isascii() and after.isalpha())


_SERVICE_CUT = re.compile(r"\s*(?:[¥￥]|人民币|\d[\d,，]*\.\d{1,2}|\d[\d,，]*\s*元).*$")
_PROSE = re.compile(r"合同|协议|甲方|乙方|第[一二三四五六七八九十\d]+条|应当|负责|承担")


_YEAR_BRACKETS = re.compile(r"[\[［【(（〈<{〔]((?:19|20)\d\d)[\]］】)）〉>}〕]")
_TABLE_END = re.compile(r"合计|总计|小计|^注|^第[一二三四五六七八九十\d]+条")


_UPPER_CHARS = frozenset("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正")


def _repair_words(words: str, amount: Decimal) -> str | None:
    """The 大写 as printed when OCR garbled some of its characters (陆什 for 陆仟)
    but the amount in figures vouches for it: the standard form of ``amount``,
    if it differs from what was read only where the read character cannot be a
    大写 character at all. None otherwise (never rewrite a legible character)."""
    canon = amount_to_uppercase(amount)
    if len(canon) != len(words):
        return None
    if all(a == b or a not in _UPPER_CHARS for a, b in zip(words, canon)):
        return canon
    return None


def _clean_service(text: str, marker: re.Pattern[str] | None) -> str:
    """A service as printed: simplified, spaces collapsed, numbering and prices cut."""
    s = re.sub(r"\s+", " ", fold_width(to_simplified(text))).strip()
    if marker is not None:
        s = marker.sub("", s, count=1)
    s = _SERVICE_CUT.sub("", s)
    return s.strip(" :：,，;；。.")


def _prose(item: str) -> bool:
    """A clause that happens to name a product is not a service line."""
    return len(item) > 60 or bool(_PROSE.search(item))


def _add_duration(start: date, text: str) -> date | None:
    """``start`` + ``一年``/``12个月``/``3年`` - 1 day (a term of one year from
    2018-06-01 ends 2019-05-31), or None when unreadable."""
    m = re.match(r"^([一二两三四五六七八九十\d]{1,3})(个)?(自然年|年|月)$", text)
    if not m:
        return None
    try:
        n = int(cn2an.cn2an(m.group(1), "smart"))
    except (ValueError, KeyError, TypeError):
        return None
    if not 0 < n <= 30 * 12:
        return None
    months = n * 12 if m.group(3) in ("年", "自然年") else n
    y, mo = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, mo + 1
    if year > 9999:
        return None
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=1)


"""Money as printed on Chinese business documents -> ``Decimal`` yuan.

Two notations exist side by side: Arabic digits (``¥12,345.67``, ``5.5万元``)
and Chinese numerals, above all 大写 (``壹拾贰万叁仟肆佰伍拾陆元柒角捌分``), the
anti-tampering form invoices and contracts must carry.  Chinese numerals are
tokenised and then checked against a small grammar (units strictly decreasing,
a digit before every unit ...) rather than summed blindly, so garbled OCR gives
None instead of a confident wrong amount.

All regexes are single character classes or bounded look-arounds, so parsing
is linear in the input length; floats are never used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .dates import _iter_dates
from .text import compact, fold_width

__all__ = [
    "parse_amount",
    "parse_uppercase_amount",
    "format_amount",
    "amount_to_uppercase",
    "uppercase_matches",
]

_CENT = Decimal("0.01")
_MAX_AMOUNT = Decimal(10) ** 16  # beyond any real document; keeps Decimal exact

# --- Chinese numeral tokens --------------------------------------------------
# A token is an int 0..9 (a digit; 零 is 0), 10/100/1000 (拾佰仟), 10**4 (万),
# 10**8 (亿) or one of the markers below.
_YUAN, _JIAO, _FEN, _ZHENG = "Y", "J", "F", "Z"
_WAN, _YI = 10**4, 10**8
Token = int | str

# The 大写 forms proper, simplified and traditional (參/叄 are the traditional
# 3 still used in Taiwan and Hong Kong).  This is the alphabet of strict mode.
_STRICT: dict[str, Token] = {
    "零": 0, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "叄": 3, "參": 3, "肆": 4,
    "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9,
    "拾": 10, "佰": 100, "仟": 1000, "万": _WAN, "萬": _WAN, "亿": _YI, "億": _YI,
    "元": _YUAN, "圆": _YUAN, "圓": _YUAN, "角": _JIAO, "分": _FEN,
    "整": _ZHENG, "正": _ZHENG,  # 会计基础工作规范 allows either after 元/角
}
# Ordinary (小写) Chinese numerals: contracts write ``人民币五万元整``.  Not 大写,
# so strict mode refuses them, but they are amounts all the same.
_LOWER: dict[str, Token] = {
    "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "百": 100, "千": 1000,
}
# OCR / handwriting confusions accepted only with ``tolerant=True``.
# Rule for an entry: its source character is NOT itself in _STRICT or _LOWER,
# so a correctly read amount can never be re-read as another one, and it has a
# single plausible target.  (Hence no 仟<->佰, 千<->干, 二<->三 and the like.)
_CONFUSIONS: dict[str, str] = {
    "参": "叁",  # simplified 参, widely (mis)written for 叁
    "什": "仟",  # 亻+十 vs 亻+千: the top stroke of 千 is lost
    "任": "仟",  # 亻+壬 vs 亻+千
    "仔": "仟",  # 亻+子 vs 亻+千
    "阡": "仟",  # historical variant of 仟
    "伯": "佰",  # 亻+白 vs 亻+百: the top stroke of 百 is lost
    "陌": "佰",  # historical variant of 佰
    "肄": "肆",  # near-identical glyphs
    "染": "柒",  # 氵九木 vs 氵七木
    "玫": "玖",
    "壶": "壹",
    "壸": "壹",
    "貮": "贰",  # variant glyph of 貳
    "弍": "贰",
    "弌": "壹",
    "另": "零",  # the bottom of 零 read alone
    "令": "零",
    "方": "万",
}
_TOLERANT: dict[str, Token] = _STRICT | _LOWER | {k: _STRICT[v] for k, v in _CONFUSIONS.items()}
_GENERAL: dict[str, Token] = _STRICT | _LOWER
_UPPER_ONLY = frozenset(c for c in _STRICT if c not in "零元整正分角万亿")


def _run_re(alphabet: dict[str, Token]) -> re.Pattern[str]:
    # One character class (spaces included: OCR splits ``伍 万 元 整``), so linear.
    return re.compile("[" + "".join(sorted(alphabet)) + r"\s]+")


_RUN_GENERAL = _run_re(_GENERAL)
_RUN_STRICT = _run_re(_STRICT)
_RUN_TOLERANT = _run_re(_TOLERANT)

# Bounded window before an amount: sign and currency.  ``负数`` is how red-letter
# (negative) invoices mark 大写 totals: ``(负数)壹佰圆整``.
_PREFIX_RE = re.compile(
    r"(?P<neg>负数?[)）]?|(?<![\dA-Za-z])-)?(?P<cur>[¥￥]|RMB|CNY|人民币)?⊗?(?P<neg2>-)?$"
)
_FOREIGN_RE = re.compile(r"(?:\$|US\$|HK\$|USD|HKD|EUR|€|£|JPY|日元|美元|港币)$")


def _section(tokens: list[Token], *, leading: bool, final: bool) -> int | None:
    """Value (< 10**4) of digits with 拾佰仟, or None when malformed.

    ``leading``: first section of the number (a bare 拾 may start it: 拾万元).
    ``final``: the units section, where a bare digit right after a higher unit
    is colloquial shorthand (壹万伍 = 15000 in speech) and so ambiguous.
    """
    value, last_unit, digit, zero_gap = 0, 10**4, None, False
    for tok in tokens:
        if tok == 0:
            if digit is not None:
                return None  # 伍零: a digit must carry a unit
            zero_gap = True
        elif isinstance(tok, int) and tok < 10:
            if digit is not None:
                return None  # two digits in a row
            digit = tok
        elif tok in (10, 100, 1000):
            if tok >= last_unit:
                return None  # units must decrease: 伍拾伍佰 is garbage
            if digit is None:
                # 拾 with no digit means 壹拾, only at the very start or after 零
                if tok != 10 or not ((leading and value == 0 and not zero_gap) or zero_gap):
                    return None
                digit = 1
            value += digit * tok
            last_unit, digit, zero_gap = tok, None, False
        else:
            return None
    if digit is not None:
        if value and last_unit > 10 and not zero_gap:
            return None  # 壹仟伍: 1005 or 1500?
        if final and not leading and value == 0 and not zero_gap:
            return None  # 壹万伍: 10005 or 15000?
        value += digit
    return value


def _below_yi(tokens: list[Token], *, leading: bool, final: bool) -> int | None:
    """Value (< 10**8) of a group that may contain one 万."""
    if tokens.count(_WAN) > 1:
        return None
    if _WAN not in tokens:
        return _section(tokens, leading=leading, final=final)
    i = tokens.index(_WAN)
    high = _section(tokens[:i], leading=leading, final=False)
    if not high:  # None, or 万 with nothing (or only 零) before it
        return None
    low = _section(tokens[i + 1 :], leading=False, final=final)
    return None if low is None else high * _WAN + low


def _integer(tokens: list[Token]) -> int | None:
    if tokens.count(_YI) > 1:
        return None
    if _YI not in tokens:
        return _below_yi(tokens, leading=True, final=True)
    i = tokens.index(_YI)
    high = _below_yi(tokens[:i], leading=True, final=False)  # 壹万亿 = 10**12
    if not high:
        return None
    low = _below_yi(tokens[i + 1 :], leading=False, final=True)
    return None if low is None else high * _YI + low


def _fraction(tokens: list[Token]) -> tuple[int, int] | None:
    """(角, 分) from what follows 元: ``伍角``, ``零伍分``, ``伍角叁分``, ``零角伍分``."""
    jiao = fen = 0
    pos, n = 0, len(tokens)

    def digit_before(marker: str) -> bool:
        return pos + 1 < n and isinstance(tokens[pos], int) and tokens[pos] < 10 and tokens[pos + 1] == marker

    while pos < n and tokens[pos] == 0 and not digit_before(_JIAO) and not digit_before(_FEN):
        pos += 1  # the 零 of 元零伍分
    if digit_before(_JIAO):
        jiao, pos = int(tokens[pos]), pos + 2
    while pos < n and tokens[pos] == 0 and not digit_before(_FEN):
        pos += 1
    if digit_before(_FEN):
        fen, pos = int(tokens[pos]), pos + 2
    return (jiao, fen) if pos == n else None


def _parse_tokens(tokens: list[Token]) -> Decimal | None:
    """Grammar: [integer 元] [角] [分] [整], or a bare integer with 万/亿 units."""
    if tokens and tokens[-1] == _ZHENG:
        tokens = tokens[:-1]
    if not tokens or _ZHENG in tokens:
        return None
    if _YUAN in tokens:
        i = tokens.index(_YUAN)
        int_part, frac = tokens[:i], tokens[i + 1 :]
        if not int_part:
            return None
    elif _JIAO in tokens or _FEN in tokens:
        int_part, frac = [], tokens
    else:
        int_part, frac = tokens, []
    whole = _integer(int_part) if int_part else 0
    cents = _fraction(frac)
    if whole is None or cents is None:
        return None
    if not int_part and cents == (0, 0):
        return None  # 零角 alone is no amount
    return Decimal(whole) + Decimal(cents[0]) / 10 + Decimal(cents[1]) / 100


def _qualifies(run: str, alphabet: dict[str, Token]) -> bool:
    """Is this run of numeral characters plausibly an amount?  Lower-case
    numerals are everywhere in prose (十分, 三方, 万家企业), so a run made only
    of them needs 元; 大写 digits are used for money alone, so 万/亿/角/分 do."""
    toks = [alphabet[c] for c in run]
    has_numeral = any(isinstance(t, int) for t in toks)
    if not has_numeral:
        return False
    if _YUAN in toks:
        return True
    has_upper = any(c in _UPPER_ONLY or (c in _TOLERANT and c not in _GENERAL) for c in run)
    return has_upper and any(t in (_WAN, _YI, _JIAO, _FEN) for t in toks)


def _chinese_candidates(
    text: str, pattern: re.Pattern[str], alphabet: dict[str, Token]
) -> Iterator[tuple[int, Decimal]]:
    """Yield (position, value) for each Chinese-numeral amount in ``text``."""
    for mt in pattern.finditer(text):
        run = mt.group()
        whole = _value_of_run(run, alphabet)
        if whole is not None:
            pieces = [(mt.start(), whole)]
        else:
            # The spaces may separate two amounts rather than split one
            # (``伍万元整 叁万元整``): then each piece stands on its own.
            pieces = [
                (mt.start() + p.start(), v)
                for p in _NON_SPACE_RE.finditer(run)
                if p.end() - p.start() < len(run)
                and (v := _value_of_run(p.group(), alphabet)) is not None
            ]
        for start, value in pieces:
            prefix = _PREFIX_RE.search(compact(text[max(0, start - 12) : start]))
            if prefix and (prefix.group("neg") or prefix.group("neg2")):
                value = -value
            yield start, value


_NON_SPACE_RE = re.compile(r"\S+")


def _value_of_run(run: str, alphabet: dict[str, Token]) -> Decimal | None:
    run = compact(run)
    if not run or not _qualifies(run, alphabet):
        return None
    return _parse_tokens([alphabet[c] for c in run])


def _quantize(d: Decimal) -> Decimal:
    q = d.quantize(_CENT, rounding=ROUND_HALF_UP)
    return q if q else abs(q)  # no -0.00


def parse_uppercase_amount(text: str, *, tolerant: bool = False) -> Decimal | None:
    """A 大写 amount (``人民币贰拾万元整``, ``⊗叁佰元整``, ``(负数)壹佰圆整``).

    Strict by default: only 大写 characters (simplified or traditional) count.
    ``tolerant=True`` also accepts 小写 numerals and the OCR confusions in
    ``_CONFUSIONS``.  None when there is no amount or several different ones.
    """
    try:
        alphabet = _TOLERANT if tolerant else _STRICT
        pattern = _RUN_TOLERANT if tolerant else _RUN_STRICT
        values = {v for _, v in _chinese_candidates(fold_width(text), pattern, alphabet)}
        if len(values) != 1:
            return None
        value = values.pop()
        return _quantize(value) if abs(value) < _MAX_AMOUNT else None
    except (InvalidOperation, ValueError, IndexError):  # belt and braces: never raise
        return None


_NUM_RE = re.compile(r"(?<![\d.,，])\d[\d,，]*(?:\.\d+)?")
_GROUPED_RE = re.compile(r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?")
_NOT_AMOUNT_AFTER = tuple("年月日号%‰")
_SCALE_AFTER = {"万": Decimal(10) ** 4, "萬": Decimal(10) ** 4, "亿": Decimal(10) ** 8,
                "億": Decimal(10) ** 8, "千": Decimal(1000)}
# A column or table header saying figures are in 万元: ``合同金额（万元）``.
_WAN_HEADER_RE = re.compile(r"[(（]\s{0,2}万元\s{0,2}[)）]|单位\s{0,2}[:：]?\s{0,2}(?:人民币)?\s{0,2}万元")


def _digit_candidates(text: str) -> Iterator[tuple[int, bool, Decimal]]:
    """Yield (position, marked, value) for each Arabic-digit amount in ``text``."""
    date_spans = [(a, b) for a, b, _ in _iter_dates(text, allow_compact=False)]
    header = _WAN_HEADER_RE.search(text)
    header_end = header.end() if header else None
    span_i = 0
    for mt in _NUM_RE.finditer(text):
        start, end = mt.start(), mt.end()
        while span_i < len(date_spans) and date_spans[span_i][1] <= start:
            span_i += 1
        if span_i < len(date_spans) and date_spans[span_i][0] <= start:
            continue  # part of a date
        raw = mt.group().rstrip(",，")
        end = start + len(raw)
        if ("," in raw or "，" in raw) and not _GROUPED_RE.fullmatch(raw):
            continue  # 1,23 or 12,34,56: not a grouped number we can trust
        digits = raw.replace(",", "").replace("，", "")
        if len(digits.split(".")[0]) > 16:
            continue
        before = compact(text[max(0, start - 12) : start])
        after = compact(text[end : end + 12])
        if before[-1:].isascii() and before[-1:].isalpha() and not before.endswith(("RMB", "CNY")):
            continue  # inside a code such as 91440300MA5...
        if _FOREIGN_RE.search(before) or after.startswith(_NOT_AMOUNT_AFTER):
            continue
        value = Decimal(digits)
        scale = _SCALE_AFTER.get(after[:1])
        if scale is not None:
            after = after[1:]
            if after[:1] in _GENERAL and after[:1] not in "元圆":
                continue  # 5万伍仟元: mixed notation we do not guess at
            value *= scale
        elif header_end is not None and header_end <= start and not after.startswith(("元", "圆")):
            value *= _WAN
        if after[:1].isascii() and after[:1].isalpha() and not after.startswith(("RMB", "CNY")):
            continue  # 100kg, 12ABC
        prefix = _PREFIX_RE.search(before)
        marked = bool(prefix and prefix.group("cur")) or after.startswith(("元", "圆", "块", "RMB", "CNY"))
        if prefix and (prefix.group("neg") or prefix.group("neg2")):
            value = -value
        yield start, marked, value


def parse_amount(text: str) -> Decimal | None:
    """Any printed amount -> Decimal yuan quantised to 0.01, or None.

    Handles ``¥12,345.67``, ``￥5万``, ``5.5万元``, ``人民币50,000.00元``,
    ``RMB 1,000``, ``¥-100.00``, full-width digits, and Chinese numerals (大写
    or not: ``伍万元整``, ``人民币五万元整``).  When a text holds several
    numbers, the first one marked as money (¥, RMB, 人民币, 元, 大写) wins, else
    the first number; dates, percentages and codes are skipped.
    """
    try:
        s = fold_width(text)
        candidates = [(pos, True, v) for pos, v in _chinese_candidates(s, _RUN_GENERAL, _GENERAL)]
        candidates += list(_digit_candidates(s))
        candidates = [c for c in candidates if abs(c[2]) < _MAX_AMOUNT]
        if not candidates:
            return None
        candidates.sort(key=lambda c: (not c[1], c[0]))  # marked first, then leftmost
        return _quantize(candidates[0][2])
    except (InvalidOperation, ValueError, IndexError):  # never raise on odd text
        return None


def format_amount(d: Decimal) -> str:
    """``"50000.00"``: two decimals, no separators, ``-`` for negatives."""
    return f"{_quantize(d):f}"


_UP_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _four(n: int) -> str:
    """0 < n < 10**4 in 大写, zeros inside collapsed to one 零 (壹仟零伍)."""
    out, pending_zero = [], False
    for unit, digit in zip(("仟", "佰", "拾", ""), f"{n:04d}"):
        if digit == "0":
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_UP_DIGITS[int(digit)] + unit)
    return "".join(out)


def _below_10e8(n: int) -> str:
    high, low = divmod(n, _WAN)
    parts = [_four(high) + "万"] if high else []
    if low:
        if high and low < 1000:
            parts.append("零")  # 壹万零伍拾
        parts.append(_four(low))
    return "".join(parts)


def _integer_upper(n: int) -> str:
    high, low = divmod(n, _YI)
    parts = [_below_10e8(high) + "亿"] if high else []
    if low:
        if high and low < 10**7:
            parts.append("零")  # 壹亿零壹拾万
        parts.append(_below_10e8(low))
    return "".join(parts)


def amount_to_uppercase(d: Decimal) -> str:
    """The RMB 大写 form per 会计基础工作规范 as printed on invoices.

    ``壹万贰仟叁佰肆拾伍元陆角柒分``, ``伍万元整``, ``壹仟零伍元整``, ``零元整``,
    ``壹元伍角整`` (整 after 角 when there is no 分), ``壹元零伍分``; negatives
    get ``负``.  Always 壹拾, never a bare 拾 (the 规范 requires it).  Written by
    hand rather than with cn2an, which omits 整 after 角 and truncates
    rather than rounds a third decimal.  Raises ValueError from 10**16 yuan.
    """
    q = _quantize(d)
    if abs(q) >= _MAX_AMOUNT:
        raise ValueError(f"amount too large for 大写: {d}")
    sign = "负" if q < 0 else ""
    cents = int(abs(q) * 100)
    whole, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    if cents == 0:
        return "零元整"
    text = _integer_upper(whole) + "元" if whole else ""
    if jiao == 0 and fen == 0:
        text += "整"
    elif fen == 0:
        text += _UP_DIGITS[jiao] + "角整"
    elif jiao == 0:
        text += ("零" if whole else "") + _UP_DIGITS[fen] + "分"
    else:
        text += _UP_DIGITS[jiao] + "角" + _UP_DIGITS[fen] + "分"
    return sign + text


def uppercase_matches(uppercase_text: str, amount: Decimal) -> bool:
    """The 大写 = 小写 check: does the printed 大写 (OCR-tolerant) equal ``amount``?"""
    parsed = parse_uppercase_amount(uppercase_text, tolerant=True)
    return parsed is not None and parsed == _quantize(amount)

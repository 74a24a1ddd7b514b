"""Administrative divisions (GB/T 2260): the place-name prefix of company names.

A company name starts with the name of the administrative division it was
registered in (企业名称登记管理规定: 行政区划 + 字号 + 行业 + 组织形式), e.g.
``凤冈县友谊广告有限公司``, and the region codes printed on a licence say the same
thing again: positions 3-8 of the unified social credit code and the first six
digits of the old 注册号 are the registering authority's GB/T 2260 code (140200
大同市 in ``1402003901544``). The address (住所) and the authority's seal name it
a third time.

OCR loses or misreads characters of that prefix like any others (``同市`` for
``大同市`` when the first glyph sits on the label, ``凤风县`` for ``凤冈县``), but
unlike the trade name the prefix can be checked: it must be a real division.
:func:`repair_place_prefix` restores or corrects it from the gazetteer
(``extractors/data/divisions.json``, every county-level and higher name a code has
carried 2002-2020; sources in that file and ``extractors/data/build_divisions.py``)
and says whether the document's own codes or address back the answer. It only
ever answers with one division: several that fit and none backed is no answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .codes import is_valid_registration_number

__all__ = [
    "PlaceFix",
    "division_codes",
    "division_names",
    "is_division",
    "is_region_code",
    "codes_related",
    "leading_division",
    "find_divisions",
    "repair_place_prefix",
    "region_of_number",
    "repair_registration_number",
    "short_forms",
    "truncated_place",
]

_DATA = Path(__file__).resolve().parent.parent / "data" / "divisions.json"

# What a division name ends with (自治州 for the prefectures; 州 alone ends many
# short forms, 常州 for 常州市, that are no anchor).
_SUFFIXES = "省市县区旗盟"
_MAX_PREFIX = 9  # 新疆维吾尔自治区 is 8 characters


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    with _DATA.open(encoding="utf-8") as f:
        data = json.load(f)
    return {code: tuple(names) for code, names in data["divisions"].items()}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for code, names in _table().items():
        for n in names:
            out.setdefault(n, set()).add(code)
    return {n: frozenset(c) for n, c in out.items()}


@lru_cache(maxsize=1)
def _by_length() -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    for n in _by_name():
        out.setdefault(len(n), []).append(n)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def division_codes(name: str) -> frozenset[str]:
    """The GB/T 2260 codes a division of this exact name has had (empty if none)."""
    return _by_name().get(name, frozenset())


def division_names(code: str) -> tuple[str, ...]:
    """Every name the division with this six-digit code has carried."""
    return _table().get(code, ())


def is_division(name: str) -> bool:
    return name in _by_name()


def is_region_code(code: str) -> bool:
    """Is ``code`` (six digits) a known division code? The first six digits of an
    old 注册号 and positions 3-8 of a credit code are one."""
    return code in _table()


def _trim(code: str) -> str:
    """A code without its trailing zero pairs: 520300 -> 5203, 520000 -> 52."""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def codes_related(a: str, b: str) -> bool:
    """Do two division codes lie on one branch (one contains the other)? 520327
    凤冈县 lies in 520300 遵义市 and 520000 贵州省; a company of 凤冈县 may be
    registered by the county's authority or by the prefecture's."""
    ta, tb = _trim(a), _trim(b)
    return ta.startswith(tb) or tb.startswith(ta)


def _is_anchor(prefix: str) -> bool:
    return prefix[-1] in _SUFFIXES or prefix.endswith("自治州")


def leading_division(text: str) -> tuple[str, frozenset[str]] | None:
    """The longest division name ``text`` starts with, and its codes."""
    names = _by_name()
    for n in range(min(len(text), 16), 1, -1):
        codes = names.get(text[:n])
        if codes:
            return text[:n], codes
    return None


def find_divisions(text: str, *, min_len: int = 3) -> list[tuple[int, int, str, frozenset[str]]]:
    """Division names occurring in ``text`` (an address, an authority), longest
    first at each position, not overlapping: ``(start, end, name, codes)``.
    Names shorter than ``min_len`` are skipped: two-character ones (城区, 新县) are
    common words inside addresses."""
    names = _by_name()
    out = []
    i = 0
    while i < len(text):
        for n in range(min(len(text) - i, 16), min_len - 1, -1):
            codes = names.get(text[i : i + n])
            if codes:
                out.append((i, i + n, text[i : i + n], codes))
                i += n
                break
        else:
            i += 1
    return out


@dataclass(frozen=True)
class PlaceFix:
    """A company name whose place-name prefix was restored or corrected."""

    name: str  # the whole name, fixed
    before: str  # the prefix as read
    after: str  # the division name put in its place
    codes: frozenset[str]  # that division's codes
    kind: str  # "restored": leading characters were lost | "corrected": one was misread
    corroborated: bool  # the document's region codes or address name this division too


def _hamming1(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _fuzzy_in(name: str, text: str) -> bool:
    """``name`` occurs in ``text`` as printed or with one character misread
    (its suffix read right: that is what anchors the occurrence)."""
    if name in text:
        return True
    n = len(name)
    return any(
        text[i + n - 1] == name[-1] and _hamming1(text[i : i + n], name) for i in range(len(text) - n + 1)
    )


def _backed(name: str, region_codes: Iterable[str], context: str) -> bool:
    codes = division_codes(name)
    if any(codes_related(c, r) for c in codes for r in region_codes):
        return True
    return bool(context) and _fuzzy_in(name, context)


def repair_place_prefix(
    name: str, *, region_codes: Iterable[str] = (), context: str = ""
) -> PlaceFix | None:
    """Restore or correct the division name ``name`` starts with, or None.

    ``region_codes``: six-digit division codes the document prints (from a credit
    code or 注册号 that passed its check); ``context``: other text of the document
    that names places (address, authority). Both only ever *back* a candidate.

    * A name that already starts with a division name is left alone, as is one
      whose prefix the context prints exactly as read (the gazetteer may lack a
      new division; the two readings agree with each other).
    * The prefix is the name up to its first division suffix (省市县区旗盟,
      自治州) within the first nine characters; without one there is nothing to
      anchor a repair (``北京芭伊妮…``, ``深圳卓睿…`` short forms are left alone).
    * Restored: divisions ending with the prefix and one or two characters
      longer (``同市`` -> 大同市).
    * Corrected: divisions of the prefix's length and suffix that differ in one
      character of the stem (``凤风县`` -> 凤冈县); stems of one character are
      never corrected (城区/矿区/郊区 differ from any ``X区`` by one).
    * One candidate: the answer (``corroborated`` if backed). Several: the only
      one backed by the codes or the context, else no answer.
    """
    region_codes = tuple(region_codes)
    if not name or leading_division(name) is not None:
        return None
    anchor = next((i for i in range(1, min(len(name), _MAX_PREFIX)) if _is_anchor(name[: i + 1])), None)
    if anchor is None:
        return None
    prefix = name[: anchor + 1]
    if context and prefix in context:
        return None
    by_len = _by_length()
    for kind in ("restored", "corrected"):
        if kind == "restored":
            cands = [n for k in (1, 2) for n in by_len.get(len(prefix) + k, ()) if n.endswith(prefix)]
        else:
            if len(prefix) < 3:
                continue
            cands = [n for n in by_len.get(len(prefix), ()) if n[-1] == prefix[-1] and _hamming1(n, prefix)]
        if not cands:
            continue
        backed = [n for n in cands if _backed(n, region_codes, context)]
        if len(cands) == 1:
            pick, ok = cands[0], bool(backed)
        elif len(backed) == 1:
            pick, ok = backed[0], True
        else:
            return None  # several divisions fit and nothing tells them apart
        return PlaceFix(pick + name[len(prefix) :], prefix, pick, division_codes(pick), kind, ok)
    return None


# Autonomous regions go by irregular short forms in names (广西南宁雄通…).
_REGION_SHORT = {"广西壮族自治区": "广西", "内蒙古自治区": "内蒙古", "新疆维吾尔自治区": "新疆",
                 "宁夏回族自治区": "宁夏", "西藏自治区": "西藏"}


def short_forms(name: str) -> tuple[str, ...]:
    """How a company name may write a division: in full, or without its suffix
    (深圳 for 深圳市, 河南 for 河南省, 周村 for 周村区) when two characters remain."""
    out = [name]
    if name in _REGION_SHORT:
        out.append(_REGION_SHORT[name])
    elif len(name) >= 3 and name[-1] in _SUFFIXES and "自治" not in name:
        out.append(name[:-1])
    return tuple(out)


@lru_cache(maxsize=1)
def _shorts() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for code, names in _table().items():
        for n in names:
            for s in short_forms(n):
                out.setdefault(s, set()).add(code)
    return {s: frozenset(c) for s, c in out.items()}


def _starts_with_place(name: str) -> bool:
    shorts = _shorts()
    return any(name[:n] in shorts for n in range(2, min(len(name), 16) + 1))


def truncated_place(name: str, *, region_codes: Iterable[str] = (), context: str = "") -> str | None:
    """The division whose name ``name`` seems to have lost the head of, or None.

    ``峰海峰科技有限公司`` on a licence whose code says 150402 (in 赤峰市): the name
    starts with neither a division nor its short form, but with the tail of 赤峰,
    the short form of a division the licence itself names. Most likely the 赤 was
    lost (under a seal), but a trade name may begin so too (京东方…, registered in
    北京): this is a doubt to show the clerk, never a repair.
    """
    region_codes = tuple(region_codes)
    if not name or (not region_codes and not context) or _starts_with_place(name):
        return None
    for full, codes in _by_name().items():
        if not (any(codes_related(c, r) for c in codes for r in region_codes) or (context and full in context)):
            continue
        for short in short_forms(full):
            for lost in (1, 2):
                tail = short[lost:]
                if tail and len(short) - lost >= 1 and name.startswith(tail):
                    return full
    return None


_DIGITS_RE = re.compile(r"\d+")


def region_of_number(number: str) -> str | None:
    """The division code a 注册号 or credit code prints (its region part), when
    it is a known code: digits 1-6 of a 13/15-digit 注册号, 3-8 of a credit code."""
    if len(number) == 18:
        part = number[2:8]
    elif len(number) in (13, 15) and number.isdigit():
        part = number[:6]
    else:
        return None
    return part if _DIGITS_RE.fullmatch(part) and is_region_code(part) else None


def _one_edit(digits: str) -> set[str]:
    """Every digit string one insertion or one deletion away from ``digits``."""
    out = {digits[:i] + d + digits[i:] for i in range(len(digits) + 1) for d in "0123456789"}
    out |= {digits[:i] + digits[i + 1 :] for i in range(len(digits))}
    return out


def repair_registration_number(digits: str, places: Iterable[str]) -> str | None:
    """An old 注册号 read one digit short or over (``102003901544`` for
    ``1402003901544``: a glyph lost under the label), restored, or None.

    Candidates are the 13- and 15-digit strings one insertion or deletion away.
    A candidate must start with a known division code on the branch of one of
    ``places`` (the divisions the licence names elsewhere: the name's prefix, the
    address, the authority; GS15-2006: the first six digits are the registering
    authority's code), and a 15-digit one must pass its MOD 11,10 check digit.
    Exactly one candidate, or no answer.
    """
    places = [p for p in places if p]
    if not digits.isdigit() or not digits.isascii() or not places or len(digits) not in (12, 14, 16):
        return None
    found = set()
    for cand in _one_edit(digits):
        if len(cand) not in (13, 15):
            continue
        if len(cand) == 15 and not is_valid_registration_number(cand):
            continue
        region = cand[:6]
        if is_region_code(region) and any(codes_related(region, p) for p in places):
            found.add(cand)
    return found.pop() if len(found) == 1 else None

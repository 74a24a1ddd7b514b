"""Dates and date ranges as printed on licences, contracts and invoices.

Every pattern is written with bounded quantifiers only (``\\s{0,2}``,
``\\d{1,2}``), so scanning is linear in the text length even on hostile input.
Matching runs on ``fold_width(text)``, which keeps offsets, so spans point into
the caller's original string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from .text import fold_width

__all__ = ["parse_date", "format_date", "parse_period", "find_dates"]

_SP = r"\s{0,2}"  # OCR puts stray spaces between the parts: ``2018 年 5 月 2 日``
_CN_ZERO = "〇零○Oo0"  # 〇 is standard; ○ (white circle), O and 0 are look-alikes
_CN_DIGITS = _CN_ZERO + "一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
_DAY_SUFFIX = "日号號"

_DATE_RE = re.compile(
    # 2018年5月2日 / 2018年05月02日 (the 日 is sometimes lost by OCR)
    rf"(?<!\d)(?P<y1>\d{{4}}){_SP}年{_SP}(?P<m1>\d{{1,2}}){_SP}月{_SP}(?P<d1>\d{{1,2}})(?!\d)(?:{_SP}[{_DAY_SUFFIX}])?"
    # 2018-05-02, 2018/5/2, 2018.5.2 -- the two separators must agree
    rf"|(?<![\d.])(?P<y2>\d{{4}})\s?(?P<sep>[-/.])\s?(?P<m2>\d{{1,2}})\s?(?P=sep)\s?(?P<d2>\d{{1,2}})(?![\d])(?!\.\d)"
    # 二〇一八年五月二日 / 二零一八年十二月三十一日
    rf"|(?P<y3>[{_CN_DIGITS}]{{4}}){_SP}年{_SP}(?P<m3>[{_CN_SMALL}]{{1,3}}){_SP}月{_SP}(?P<d3>[{_CN_SMALL}]{{1,3}}){_SP}[{_DAY_SUFFIX}]"
    # 20180502 -- only as a whole token; validated more strictly below
    r"|(?<![\dA-Za-z.])(?P<y4>\d{4})(?P<m4>\d{2})(?P<d4>\d{2})(?![\dA-Za-z]|\.\d)"
)

_CN_DIGIT_VALUE = {c: 0 for c in _CN_ZERO} | {c: i for i, c in enumerate("一二三四五六七八九", 1)}


def _cn_small_number(s: str) -> int | None:
    """一..三十一 -> int.  Hand-rolled rather than cn2an: cn2an reads ``一一``
    as 11 (digit-by-digit), which would let OCR doubling produce a date."""
    tens, sep, ones = s.partition("十")
    if not sep:
        return _CN_DIGIT_VALUE.get(s) if len(s) == 1 else None
    if len(tens) > 1 or len(ones) > 1:
        return None
    t = 1 if tens == "" else _CN_DIGIT_VALUE.get(tens)
    o = 0 if ones == "" else _CN_DIGIT_VALUE.get(ones)
    if t is None or o is None:
        return None
    return 10 * t + o


def _make_date(y: int | None, m: int | None, d: int | None) -> date | None:
    if y is None or m is None or d is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:  # 2018-02-30, month 13, year 0 ...
        return None


def _date_from_match(mt: re.Match[str]) -> date | None:
    g = mt.groupdict()
    if g["y1"]:
        return _make_date(int(g["y1"]), int(g["m1"]), int(g["d1"]))
    if g["y2"]:
        return _make_date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
    if g["y3"]:
        year = int("".join(str(_CN_DIGIT_VALUE[c]) for c in g["y3"]))
        if not any(c in "一二三四五六七八九" for c in g["y3"][:1]):
            return None  # a year spelled with a leading zero (〇一八...) is noise
        return _make_date(year, _cn_small_number(g["m3"]), _cn_small_number(g["d3"]))
    # Bare 8 digits are also invoice numbers, account numbers, amounts: accept
    # only plausible years so a random 8-digit number is rarely taken for a date.
    year = int(g["y4"])
    if not 1900 <= year <= 2099:
        return None
    return _make_date(year, int(g["m4"]), int(g["d4"]))


def _iter_dates(text: str, *, allow_compact: bool = True) -> Iterator[tuple[int, int, date]]:
    for mt in _DATE_RE.finditer(fold_width(text)):
        if not allow_compact and mt.group("y4"):
            continue
        d = _date_from_match(mt)
        if d is not None:
            yield mt.start(), mt.end(), d


def find_dates(text: str) -> list[tuple[int, int, date]]:
    """Every date in ``text`` as ``(start, end, date)``, spans into ``text``."""
    return list(_iter_dates(text))


def parse_date(text: str) -> date | None:
    """The first date in ``text``, or None when there is no valid one."""
    return next((d for _, _, d in _iter_dates(text)), None)


def format_date(d: date) -> str:
    """ISO ``YYYY-MM-DD`` as the contract requires."""
    return d.isoformat()


# --- periods -----------------------------------------------------------------

_OPEN_ENDED_RE = re.compile(r"长\s{0,2}期|長\s{0,2}期|永\s{0,2}久|不约定期限|不約定期限|无固定期限|無固定期限")
# What may stand between the start date and the end: ``至``, ``到``, dashes,
# tildes, optionally after ``起``.  Checked on a compacted, bounded window.
_RANGE_SEP_RE = re.compile(r"^(?:起|开始)?(?:至|到|~|～|〜|-|－|—|–|―|−|——)")
_MONTH_DAY_RE = re.compile(r"^(\d{1,2})月(\d{1,2})[日号]")


def parse_period(text: str) -> tuple[date | None, date | None, bool]:
    """``(start, end, open_ended)`` of a term such as ``2018年06月01日至2019年05月31日``.

    ``open_ended`` is True for 长期 / 永久 / 不约定期限 / 无固定期限; then ``end`` is
    None.  The start is the first date followed by a range separator (至, 到,
    a dash ...), so a licence line that also holds 成立日期 is read right.  An
    end written without its year (``2018年6月1日至12月31日``) takes the start's
    year.  Nothing recognisable gives ``(None, None, False)``.
    """
    dates = find_dates(text)
    open_match = _OPEN_ENDED_RE.search(text)
    if not dates:
        return None, None, open_match is not None
    for k, (_, start_end, start) in enumerate(dates):
        # Only a short stretch after the start date may hold the separator.
        after = re.sub(r"\s+", "", fold_width(text[start_end : start_end + 40]))
        sep = _RANGE_SEP_RE.match(after)
        if sep is None:
            continue
        rest = after[sep.end() :]
        if _OPEN_ENDED_RE.match(rest):
            return start, None, True
        if k + 1 < len(dates):
            return start, dates[k + 1][2], False
        md = _MONTH_DAY_RE.match(rest)
        if md:
            return start, _make_date(start.year, int(md.group(1)), int(md.group(2))), False
        return start, None, False
    # No separator survived OCR: ``2015年04月01日 长期`` or two bare dates.
    start = dates[0][2]
    if len(dates) == 1:
        return start, None, open_match is not None and open_match.start() >= dates[0][1]
    return start, dates[1][2], False

"""Identifier codes: unified social credit code, old registration number,
taxpayer id, resident id number.

Checks rely on the published check-digit schemes so that an OCR misread is
caught; the credit-code repair only ever swaps characters OCR is known to
confuse and only answers when exactly one repaired code is valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations, product

from stdnum.cn import ric, uscc
from stdnum.iso7064 import mod_11_10

from .text import compact, fold_width

__all__ = [
    "normalize_code",
    "is_valid_credit_code",
    "repair_credit_code",
    "is_valid_registration_number",
    "normalize_tax_id",
    "is_valid_id_number",
]


def normalize_code(text: str) -> str:
    """Upper-case, full-width folded, all whitespace removed."""
    return compact(fold_width(text)).upper()


# GB 32100-2015: 18 characters from this 31-character alphabet (no I O Z S V).
_USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")
_DIGITS = frozenset("0123456789")
# Position 1, 登记管理部门码: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政,
# 6 旅游, 7 宗教, 8 工会, 9 工商 (now 市场监管), A 中央军委改革和编制办公室,
# N 农业, Y 其他.  Position 2, 机构类别码, is a digit in every published table.
# Positions 3-8 are the GB/T 2260 region code (digits); 9-17 the 主体标识码
# (组织机构代码, GB 11714); 18 the check character.
_FIRST = frozenset("123456789ANY")


def _allowed(pos: int) -> frozenset[str]:
    if pos == 0:
        return _FIRST
    if pos < 8:
        return _DIGITS
    return _USCC_ALPHABET


def is_valid_credit_code(code: str) -> bool:
    """18-character unified social credit code with a correct GB 32100 check
    character.  The checksum is stdnum's; the format check is ours because
    stdnum insists the first 8 are digits, which rejects the legitimate
    ``N``/``Y``/``A``-prefixed codes (农村集体经济组织 etc.)."""
    code = normalize_code(code)
    if len(code) != 18 or any(c not in _allowed(i) for i, c in enumerate(code)):
        return False
    return uscc.calc_check_digit(code[:17]) == code[17]


# Characters OCR reads in place of each other on printed codes.  Keys outside
# the alphabet (O I Z S V) are always wrong and *must* be replaced; keys inside
# it are only tried as a last resort, one at a time.
_CONFUSABLE: dict[str, str] = {
    "O": "0DQ", "I": "1", "Z": "2", "S": "58", "V": "UY",  # S: dot-matrix 8 too
    "0": "DQ", "D": "0", "Q": "0", "U": "0",
    "1": "L", "L": "1",
    "8": "B", "B": "8",
    "6": "G", "G": "6",
    "2": "", "5": "",  # their look-alikes Z/S are never valid, nothing to try
}
# Caps on the forced step: a code with more impossible characters than this is
# not a misread but noise; and at most 4 of them may have several look-alikes
# (O -> 0/D/Q), keeping the candidate set small (<= 81) and the checksum
# (1 in 31 false pass) meaningful.
_MAX_FORCED = 8
_MAX_AMBIGUOUS = 4


def _org_code_check_ok(code: str) -> bool:
    """GB 11714 check character of the embedded organisation code (positions
    9-17): weights 3 7 9 10 5 8 4 2, C = 11 - sum mod 11, 10 -> X, 11 -> 0.

    Not part of ``is_valid_credit_code`` (GB 32100 does not restate it), but
    every real code we have measured satisfies it, so a *repaired* code must:
    it is a second, independent checksum over the part OCR garbles most.
    """
    total = 0
    for ch, weight in zip(code[8:16], (3, 7, 9, 10, 5, 8, 4, 2)):
        total += (int(ch) if ch.isdigit() else ord(ch) - 55) * weight  # A=10 .. Z=35
    check = 11 - total % 11
    return code[16] == {10: "X", 11: "0"}.get(check, str(check))


def _repaired_ok(code: str) -> bool:
    return is_valid_credit_code(code) and _org_code_check_ok(code)


def repair_credit_code(text: str) -> tuple[str, int] | None:
    """Repair an OCR-read credit code: ``(code, substitutions)`` or None.

    After normalising (separators dropped), characters that cannot stand at
    their position (an ``O`` anywhere, a letter among positions 3-8) are
    replaced by their look-alikes; if that is not yet valid, a single further
    look-alike swap is tried.  An answer is given only when exactly one
    candidate with the fewest substitutions is valid -- never a guess over
    the whole alphabet, and never a pick among several valid codes.
    """
    code = re.sub(r"[^0-9A-Z]", "", normalize_code(text))
    if len(code) != 18:
        return None
    if is_valid_credit_code(code):
        return code, 0
    # Forced substitutions: every option for every out-of-place character.
    forced: list[list[str]] = []
    for i, c in enumerate(code):
        if c in _allowed(i):
            forced.append([c])
            continue
        options = [o for o in _CONFUSABLE.get(c, "") if o in _allowed(i)]
        if not options:
            return None
        forced.append(options)
    n_forced = sum(1 for i, opts in enumerate(forced) if opts != [code[i]])
    if n_forced > _MAX_FORCED or sum(len(opts) > 1 for opts in forced) > _MAX_AMBIGUOUS:
        return None
    bases = ["".join(p) for p in product(*forced)]

    for extra in (0, 1):
        found: set[str] = set()
        for base in bases:
            for cand in _variants(base, code, extra):
                if _repaired_ok(cand):
                    found.add(cand)
        if len(found) == 1:
            return found.pop(), n_forced + extra
        if found:
            return None  # several valid readings: refuse to choose
    return None


def _variants(base: str, original: str, extra: int) -> Iterator[str]:
    """``base`` with ``extra`` further look-alike swaps at positions that the
    forced step did not touch."""
    if extra == 0:
        yield base
        return
    # Not position 18: a swapped check character is verified by nothing else,
    # so it would "repair" a misread digit elsewhere once in 31 tries.
    positions = [i for i, c in enumerate(base[:17]) if c == original[i] and _CONFUSABLE.get(c)]
    for chosen in combinations(positions, extra):
        choices = [[o for o in _CONFUSABLE[base[i]] if o in _allowed(i)] for i in chosen]
        for repl in product(*choices):
            chars = list(base)
            for i, r in zip(chosen, repl):
                chars[i] = r
            yield "".join(chars)


def is_valid_registration_number(code: str) -> bool:
    """Old 15-digit 工商注册号 (pre-2015 licences).

    Structure per 《工商行政管理市场主体注册号编制规则》(GS15-2006): 6-digit
    registration authority code, 8-digit sequence number, 1 check digit
    computed by ISO 7064 MOD 11,10 (stdnum.iso7064.mod_11_10).
    """
    code = normalize_code(code)
    return len(code) == 15 and code.isdigit() and code.isascii() and mod_11_10.is_valid(code)


_TAX_ID_LENGTHS = frozenset({15, 17, 18, 20})
_ALNUM_RE = re.compile(r"[0-9A-Z]+")


def normalize_tax_id(text: str) -> str | None:
    """Taxpayer id (纳税人识别号) upper-case without spaces, or None.

    Valid lengths: 15 (old 税务登记号: region + 组织机构代码), 17 and 20
    (id-number based, for individuals), 18 (the credit code).  Hyphens are
    dropped too: the old ids were often printed ``440301-12345678-9``.
    """
    code = normalize_code(text).replace("-", "")
    if len(code) in _TAX_ID_LENGTHS and _ALNUM_RE.fullmatch(code):
        return code
    return None


def is_valid_id_number(text: str) -> bool:
    """18-character resident identity number: GB 11643 check digit, a real
    birth date and a known region (stdnum.cn.ric)."""
    code = normalize_code(text)
    return len(code) == 18 and ric.is_valid(code)

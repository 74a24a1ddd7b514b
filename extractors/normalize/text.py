"""Character-level clean-up shared by every normaliser.

Three small, composable steps: script (traditional -> simplified), width
(full-width ASCII -> ASCII) and whitespace. Each one is a pure function so the
higher-level normalisers can pick exactly the steps they need; e.g. the date
finder must keep string lengths unchanged to report spans, so it uses
``fold_width`` (1:1 per character) but not ``to_simplified``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc

__all__ = ["to_simplified", "fold_width", "compact"]


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    """Build the OpenCC converter once, on first use (loading its dictionaries
    costs a few ms; importing this module should not)."""
    import opencc

    return opencc.OpenCC("t2s")


# A CJK character followed by a bracketed pinyin syllable carrying a tone mark,
# e.g. ``業(yè)``: an artefact of notices copied from annotated web pages.  We
# require a tone-marked vowel so that real bracketed Latin text such as
# ``（ERP）`` or ``(MES)`` is left alone.  All quantifiers are bounded and the
# plain-letter class excludes the tone vowels, so matching is linear.
_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_RE = re.compile(
    r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
    r"[(（][a-zü]{0,5}[" + _TONE_VOWELS + r"][a-zü]{0,5}[)）]"
)

# Kangxi radicals (U+2F00-U+2FD5) look exactly like ordinary ideographs and
# turn up in PDF text layers (``⽇`` for ``日``); NFKC maps each to the unified
# ideograph.  We apply NFKC to that block only, not to the whole text.
_KANGXI = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def to_simplified(s: str) -> str:
    """Traditional -> simplified Chinese (OpenCC ``t2s``), after removing
    pinyin annotations such as ``業(yè)`` and unifying look-alike code points.

    NFC first: it folds CJK compatibility ideographs (U+F900 block, common in
    PDF text layers) into the unified ones and composes decomposed tone marks
    so the pinyin pattern sees them.
    """
    if not s:
        return s
    # Lone surrogates (broken text layers) cannot pass through OpenCC's UTF-8.
    s = _LONE_SURROGATE.sub("\ufffd", s)
    s = unicodedata.normalize("NFC", s).translate(_KANGXI)
    s = _PINYIN_RE.sub("", s)
    return _t2s().convert(s)


def _build_width_table() -> dict[int, str]:
    """Full-width forms that are merely wide ASCII become ASCII.

    Deliberately *not* NFKC: NFKC would also rewrite the Chinese punctuation
    that belongs in Chinese text -- ``（）`` (the contract wants names to keep
    full-width brackets), ``：，；！？`` -- plus circled numbers, ``㎡``, ``℃``
    and so on, changing what was printed.  We fold letters, digits and the
    symbols that only ever act as ASCII (``．`` as a decimal point, ``－`` as a
    minus, ``／`` in dates ...), and keep the six marks used as Chinese
    punctuation.  Callers that need to split on ``:`` accept both forms.
    """
    keep = set("（），：；！？")
    table: dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):
        ch = chr(cp)
        if ch not in keep:
            table[cp] = chr(cp - 0xFEE0)
    table[0x3000] = " "  # ideographic space
    # Half-width *CJK* punctuation goes the other way, to its normal form.
    table.update({0xFF61: "。", 0xFF62: "「", 0xFF63: "」", 0xFF64: "、"})
    return table


_WIDTH_TABLE = _build_width_table()


def fold_width(s: str) -> str:
    """Full-width ASCII letters, digits and symbols -> half-width; ideographic
    space -> space.  Maps one character to one character, so string offsets
    are preserved (the date finder relies on that)."""
    return s.translate(_WIDTH_TABLE)


# Python's ``\s`` already covers U+3000, NBSP and the U+2000 spaces; the
# zero-width characters are not whitespace to Python but are invisible and
# come out of PDF text layers and OCR alike, so they go too.
_SPACE_RE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def compact(s: str) -> str:
    """Remove all whitespace (and zero-width characters)."""
    return _SPACE_RE.sub("", s)

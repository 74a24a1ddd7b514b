"""Company and person names, normalised for comparison and output.

CONTRACT.md: names as printed, but simplified characters, full-width brackets
``（）`` and no spaces.  On top of that, OCR crops often carry a piece of the
field label (``名称：``) or stray punctuation at the edges, which we strip.
"""

from __future__ import annotations

import re

from .text import compact, fold_width, to_simplified

__all__ = ["normalize_name", "names_equal"]

# Every bracket shape seen around 分公司 / region parts of names.  ``（）`` is the
# target; ``〔〕`` and ``[]`` come from OCR, ``【】`` from web forms.
_BRACKETS = str.maketrans({
    "(": "（", "[": "（", "〔": "（", "【": "（", "〖": "（", "﹙": "（",
    ")": "）", "]": "）", "〕": "）", "】": "）", "〗": "）", "﹚": "）",
})
# A label left in front of the name: ``名称：``, ``购买方名称:``, ``甲方：``,
# ``户名：``, ``甲方（盖章）：``; or a bare ``名称`` whose colon OCR lost.  Bounded (at most 8
# characters before the colon).
_LABEL_RE = re.compile(
    r"(?:[\u4e00-\u9fff]{0,6}(?:名称|全称|户名|姓名|单位|方|人)(?:（[\u4e00-\u9fff]{1,4}）)?)?[:：]+"
    r"|名称(?=.)"
)
# Punctuation that never begins or ends a name.  Brackets are kept: names end
# in ``（特殊普通合伙）`` or ``（深圳）``.
_EDGE_PUNCT = "：:;；,，.。、|丨·•-—_~～!！?？'\"“”‘’`*/\\"
_EDGE_RE = re.compile("[" + re.escape(_EDGE_PUNCT) + "]+")


def _strip_leading_junk(s: str) -> str:
    """Drop any sequence of labels and punctuation at the start.  Walks with
    ``match(s, pos)`` instead of re-slicing, so it stays linear however many
    labels are stacked (``名称：名称：...``)."""
    pos = 0
    while pos < len(s):
        m = _EDGE_RE.match(s, pos) or _LABEL_RE.match(s, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
    return s[pos:]


def _once(text: str) -> str:
    s = compact(fold_width(to_simplified(text))).translate(_BRACKETS)
    return _strip_leading_junk(s).rstrip(_EDGE_PUNCT)


def normalize_name(text: str) -> str:
    """Normalised name (see module doc).  Idempotent: each step is, and the
    whole is re-applied until stable in case one step exposes work for
    another (e.g. a traditional character whose simplified form is again
    convertible)."""
    s = _once(text)
    for _ in range(3):
        nxt = _once(s)
        if nxt == s:
            break
        s = nxt
    return s


def names_equal(a: str, b: str) -> bool:
    """Equal after normalisation.  Two names that normalise to nothing are
    *not* equal: an unreadable field must never count as a match."""
    na, nb = normalize_name(a), normalize_name(b)
    return bool(na) and na == nb

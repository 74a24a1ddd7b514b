"""Company names compared the way a clerk compares them.

Both names are normalised first (traditional → simplified, width folding, brackets
``（）``, spaces and stray labels gone: ``extractors.normalize.normalize_name``).
Then:

- the same string: the same company;
- the same but for one character OCR is known to confuse (``己/已``, ``士/土``), or
  for a legal-form word (``有限``, ``股份``, ``责任``) one side dropped: *near* — a
  clerk must look, and both spellings are shown;
- anything else: a different company.

A name that normalises to nothing is *unknown*, never a match.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import Levenshtein

from extractors.normalize import normalize_name


class NameMatch(StrEnum):
    SAME = "same"
    NEAR = "near"
    DIFFERENT = "different"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class NameComparison:
    match: NameMatch
    left: str  # normalised
    right: str
    reason_zh: str = ""
    reason_en: str = ""


# Legal-form words that printed names, seals and portal entries drop or add at will;
# longest first so 有限责任 goes as a whole.
LEGAL_FORM_WORDS: tuple[str, ...] = ("股份有限", "有限责任", "股份", "有限", "责任")

# Characters that OCR engines read for one another in company names (shape, not
# sound). Each group is a set of mutually confusable characters.
_CONFUSABLE_GROUPS: tuple[str, ...] = (
    "己已巳", "未末", "士土工", "日曰口", "人入八", "大太犬", "天夭", "王玉主", "木本术",
    "千干于", "刀力", "贝见", "免兔", "辨辩辫", "拨拔", "历厉", "浙淅", "锡赐", "科料",
    "技枝", "讯迅汛", "泰秦", "晋普", "网冈", "限很", "司同", "业亚", "田由甲申",
    "广厂", "子孑", "0O", "1lI", "5S", "8B", "2Z",
)
_CONFUSABLE: frozenset[tuple[str, str]] = frozenset(
    (a, b) for group in _CONFUSABLE_GROUPS for a in group for b in group if a != b
)


def _strip_legal_forms(name: str) -> str:
    for word in LEGAL_FORM_WORDS:
        name = name.replace(word, "")
    return name


def _one_confusable(a: str, b: str) -> tuple[str, str] | None:
    """The pair of characters when ``a`` and ``b`` differ by exactly one
    substitution of confusable characters; else None."""
    if len(a) != len(b) or len(a) < 4:  # a short name with one change is another name
        return None
    ops = list(Levenshtein.editops(a, b))
    if len(ops) != 1 or ops[0].tag != "replace":
        return None
    x, y = a[ops[0].src_pos], b[ops[0].dest_pos]
    return (x, y) if (x, y) in _CONFUSABLE else None


def compare_names(found: str | None, expected: str | None) -> NameComparison:
    """Compare a name read off a document (``found``) with the expected one."""
    left, right = normalize_name(found or ""), normalize_name(expected or "")
    if not left or not right:
        return NameComparison(NameMatch.UNKNOWN, left, right)
    if left == right:
        return NameComparison(NameMatch.SAME, left, right)
    pair = _one_confusable(left, right)
    if pair is not None:
        return NameComparison(
            NameMatch.NEAR, left, right,
            f"仅一字之差（「{pair[0]}」/「{pair[1]}」，可能为识别错误）",
            f"one character differs ({pair[0]} / {pair[1]}), possibly an OCR misread",
        )
    bare_l, bare_r = _strip_legal_forms(left), _strip_legal_forms(right)
    if bare_l and bare_l == bare_r:
        return NameComparison(
            NameMatch.NEAR, left, right,
            "仅组织形式用词不同（有限/股份/责任）",
            "only the legal-form words differ (有限/股份/责任)",
        )
    if bare_l and bare_r:
        pair = _one_confusable(bare_l, bare_r)
        if pair is not None:
            return NameComparison(
                NameMatch.NEAR, left, right,
                f"组织形式用词不同，且一字之差（「{pair[0]}」/「{pair[1]}」）",
                f"legal-form words differ and one character ({pair[0]} / {pair[1]})",
            )
    return NameComparison(NameMatch.DIFFERENT, left, right)

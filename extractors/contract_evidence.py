"""Confidence of a contract's bound values.

How a value was bound (``_RANK``, strongest rule first) is recorded with every
:class:`Reading` of a field by the binding step (:mod:`extractors.contract_binding`);
:func:`_settle` picks one value from several readings, and :func:`contract_evidence`
turns how it was bound (rank, doubts, agreements) into the shared model's
:class:`extractors.fields.Evidence`. The number itself comes from
:func:`extractors.fields.confidence` like every other extractor's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from extractors import fields as F

__all__ = ["Reading", "contract_evidence"]

# How a value was bound, strongest first. Rank decides between two readings of one
# field; the flag says what the binding costs in confidence.
_RANK: dict[str, tuple[int, str | None]] = {
    "label": (3, None),  # 甲方：X / 统一社会信用代码：X / 总金额 X / 签订日期：X
    "alias": (3, None),  # X（以下简称"甲方"）
    "next_line": (3, None),  # 甲方：⏎X
    "role_only": (2, "fuzzy"),  # 委托方：X (the A/B mapping is a convention)
    "prose": (2, None),  # 于 DATE 签订; PERIOD with no cue
    "signature": (2, None),  # 日期：DATE under the signatures
    "weak_cue": (1, "unlabelled"),  # 合计 / 编号 / 云服务费 / 每年
    "bare": (1, "unlabelled"),  # 甲方X (no colon)
    "column": (1, "unlabelled"),  # name under its label in a signature block
    "nearest": (1, "unlabelled"),  # a code with no cue, given to the party above it
    "gazetteer": (1, "unlabelled"),  # services found by product names only
    "inferred": (0, "inferred"),  # computed: end = start + 一年, annual = one-year total
}


@dataclass
class Reading:
    """One reading of a field: the candidate plus how it was bound."""

    cand: F.Candidate
    how: str
    pos: int  # offset in the reading text (document order)
    key: Any = None  # what "the same value" means (defaults to cand.value)
    doubts: list[str] = field(default_factory=list)
    agrees: list[str] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return _RANK[self.how][0]

    @property
    def same_as(self) -> Any:
        return self.cand.value if self.key is None else self.key


def contract_evidence(ev: F.Evidence, how: str, *, doubts: Sequence[str] = (),
                      agrees: Sequence[str] = (), weaker_others: bool = False) -> F.Evidence:
    """Add what the binding knows to a candidate's evidence (the confidence number
    itself is the shared model's, ``extractors.fields.confidence``).

    * a weak binding rule (``_RANK`` flag): ``unlabelled`` (cap 0.8), ``inferred``
      (cap 0.85) or ``fuzzy`` (-3 %);
    * a doubt (another reading of equal rank with a different value, 大写 ≠ 小写,
      a role label contradicting itself, the same name for both parties):
      disagreement, cap 0.5;
    * an independent agreement (大写 = 小写, the value printed again elsewhere):
      raises to 0.96 (OCR) / 0.99 (text layer);
    * a different value only from a weaker rule: -3 % (a guess gone wrong is likely,
      but the clerk should still not skip a value with a rival).
    """
    flag = _RANK[how][1]
    if flag == "unlabelled":
        ev.unlabelled = True
    elif flag == "inferred":
        ev.inferred = True
    elif flag == "fuzzy" or weaker_others:
        ev.fuzzy_label = True
    for d in doubts:
        ev.disagrees(d)
    for a in agrees:
        ev.agrees(a)
    return ev


def _settle(readings: list[Reading], what: str) -> F.Candidate | None:
    """One value from several readings of a field.

    The group of equal values with the strongest rule wins (then the most readings,
    then the first in the document). A rival value of equal or higher rank is a
    disagreement; a repeat of the winning value is an agreement.
    """
    if not readings:
        return None
    groups: dict[Any, list[Reading]] = {}
    for r in sorted(readings, key=lambda r: r.pos):
        groups.setdefault(r.same_as, []).append(r)
    best_key = max(groups, key=lambda k: (max(r.rank for r in groups[k]), len(groups[k]),
                                          -min(r.pos for r in groups[k])))
    group = groups[best_key]
    chosen = max(group, key=lambda r: (r.rank, -r.pos))
    doubts = list(chosen.doubts)
    agrees = list(chosen.agrees)
    weaker = False
    for k, rs in groups.items():
        if k == best_key:
            continue
        if max(r.rank for r in rs) >= chosen.rank:
            doubts.append(f"another {what}: {rs[0].cand.value}")
        else:
            weaker = True
    if len(group) > 1 and not doubts:
        agrees.append(f"{what} read the same {len(group)} times")
    contract_evidence(chosen.cand.ev, chosen.how, doubts=doubts, agrees=agrees, weaker_others=weaker)
    return chosen.cand

"""What a rule is: a small function under a stable dotted id.

A rule yields ``Hit``s (something is wrong, with evidence) and ``Manual``s (this
needs a clerk, with why). It never decides its own severity: the policy file
gives the severity of a definite break, the engine lowers it where the evidence is
doubtful (``Hit.at_most``, low OCR confidence). A rule with nothing to say yields
nothing — a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from validators.model import DeclaredRef, Evidence, Severity
from validators.params import Param

if TYPE_CHECKING:
    from validators.context import CheckContext, SubsidyOutcome


class RuleKind(StrEnum):
    FIELD = "field"  # one document's fields agree with themselves
    CHAIN = "chain"  # the same parties across documents
    DECLARED = "declared"  # what the applicant typed vs what the documents show
    PROGRAM = "program"  # the program's own conditions
    SUBSIDY = "subsidy"  # the amount
    HISTORY = "history"  # earlier applications kept by the service (manual without one)
    MANUAL = "manual"  # only a clerk (or history the project does not keep) can decide
    ENGINE = "engine"  # reported by the engine itself, not listed in policy files


@dataclass(frozen=True)
class Hit:
    message: str  # Chinese / English
    evidence: tuple[Evidence, ...] = ()
    declared: DeclaredRef | None = None
    at_most: Severity | None = None  # near-misses are at most a warning, notes info


@dataclass(frozen=True)
class Manual:
    message: str  # what the clerk has to check, and why the machine did not


Outcome = Hit | Manual
Params = Mapping[str, Any]
CheckFn = Callable[["CheckContext", Params], Iterable[Outcome]]


@dataclass(frozen=True)
class Rule:
    id: str
    kind: RuleKind
    zh: str  # one line, for ``docintake rules`` and the checklist
    en: str
    check: CheckFn
    params: Mapping[str, Param] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return f"{self.zh} / {self.en}"


def manual_rule(rule_id: str, zh: str, en: str, why_zh: str, why_en: str) -> Rule:
    """A rule that always goes to the clerk's checklist."""
    message = f"{zh}：{why_zh} / {en}: {why_en}"

    def check(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
        yield Manual(message)

    return Rule(rule_id, RuleKind.MANUAL, zh, en, check)


@dataclass(frozen=True)
class Formula:
    """A subsidy formula: code, with every number a parameter from the policy file."""

    name: str
    zh: str
    en: str
    compute: Callable[["CheckContext", Params], "SubsidyOutcome"]
    params: Mapping[str, Param] = field(default_factory=dict)

"""Runs a program's rules over one application and collects the result.

Order: the subsidy formula first (rules compare against the eligible amount), then
every rule the policy file lists, in its order. Severity of a finding = the
policy's severity for the rule, lowered to the rule's ``at_most`` for doubtful
hits, and lowered from error to warning when a value it rests on was read with
low confidence — the message then says so.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from intake.model import Document, FileError
from validators.context import CheckContext, SubsidyOutcome
from validators.declared import Declared
from validators.lists import ProgramList
from validators.model import (
    CheckResult,
    ChecklistItem,
    ChecklistStatus,
    Finding,
    Severity,
)
from validators.policy import Program, RuleSpec
from validators.rule import Formula, Hit, Manual, Rule, RuleKind

log = logging.getLogger(__name__)

RULE_FAILED = "engine.rule_failed"


@dataclass(frozen=True)
class RuleTable:
    """The rules and formulas a deployment knows, by id; built explicitly, never global."""

    rules: Mapping[str, Rule]
    formulas: Mapping[str, Formula]

    @classmethod
    def build(cls, rules: Iterable[Rule], formulas: Iterable[Formula]) -> RuleTable:
        by_id: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in by_id:
                raise ValueError(f"rule id {rule.id!r} defined twice")
            by_id[rule.id] = rule
        by_name: dict[str, Formula] = {}
        for f in formulas:
            if f.name in by_name:
                raise ValueError(f"formula {f.name!r} defined twice")
            by_name[f.name] = f
        return cls(by_id, by_name)


def run_checks(
    documents: Sequence[Document],
    declared: Declared,
    program: Program,
    table: RuleTable,
    *,
    today: date,
    program_list: ProgramList | None = None,
    list_unavailable: str | None = None,
    file_errors: Sequence[FileError] = (),
    history: History | None = None,
) -> CheckResult:
    ctx = CheckContext(
        documents=tuple(documents),
        declared=declared,
        program=program,
        today=today,
        program_list=program_list,
        file_errors=tuple(file_errors),
        history=history,
    )
    if list_unavailable:
        ctx = replace(ctx, list_unavailable=list_unavailable)
    findings: list[Finding] = []
    try:
        ctx = replace(ctx, subsidy=_subsidy(ctx, table))
    except Exception as exc:  # the amount is then the clerk's, and the run goes on
        log.exception("subsidy formula failed")
        findings.append(_failed("subsidy", exc))
        ctx = replace(ctx, subsidy=SubsidyOutcome(None, manual=(
            "补贴公式未能运行，请人工核定金额 / the subsidy formula could not run: the amount needs a clerk",)))
    checklist: list[ChecklistItem] = []
    for spec in program.rules:
        rule = table.rules[spec.id]  # the loader refused unknown ids
        try:
            outcomes = list(rule.check(ctx, spec.params))
        except Exception as exc:  # a bug in one rule must not hide the others' findings
            log.exception("rule %s failed", spec.id)
            findings.append(_failed(spec.id, exc))
            continue
        for outcome in outcomes:
            if isinstance(outcome, Manual):
                checklist.append(ChecklistItem(spec.id, ChecklistStatus.MANUAL, outcome.message))
            else:
                findings.append(_finding(spec, rule, outcome, ctx))
    findings.sort(key=lambda f: -f.severity.rank)  # stable: policy order within a severity
    return CheckResult(
        program=program.id,
        program_name=program.name,
        findings=findings,
        checklist=checklist,
        eligible_subsidy=ctx.subsidy.amount if ctx.subsidy else None,
        requested_subsidy=declared.requested_subsidy,
        documents=list(documents),
        errors=list(file_errors),
    )


def _failed(what: str, exc: Exception) -> Finding:
    return Finding(
        RULE_FAILED, Severity.WARNING,
        f"规则 {what} 未能运行（{type(exc).__name__}），请人工检查此项 / "
        f"rule {what} could not run ({type(exc).__name__}: {exc}); check this item by hand",
    )


def _subsidy(ctx: CheckContext, table: RuleTable) -> SubsidyOutcome | None:
    spec = ctx.program.subsidy
    if spec is None:
        return None
    return table.formulas[spec.formula].compute(ctx, spec.params)


def _finding(spec: RuleSpec, rule: Rule, hit: Hit, ctx: CheckContext) -> Finding:
    base = spec.severity or Severity.ERROR
    severity = base.at_most(hit.at_most)
    message = hit.message
    if severity is Severity.ERROR:
        doubtful = [e for e in hit.evidence if e.confidence is not None and e.confidence < ctx.low_confidence]
        if doubtful:
            worst = min(doubtful, key=lambda e: e.confidence or 0.0)
            severity = Severity.WARNING
            message = _with_doubt(
                message,
                f"（{worst.file} 的 {worst.field} 识别置信度低：{worst.confidence:.2f}，请核对原件）",
                f" (low OCR confidence {worst.confidence:.2f} on {worst.field} in {worst.file}: check the original)",
            )
    return Finding(spec.id, severity, message, hit.evidence, hit.declared)


_EN_START = re.compile(r" ?/ (?=[A-Za-z(¥])")


def _with_doubt(message: str, zh: str, en: str) -> str:
    """Each language gets its own note: Chinese before the `` / ``, English at the end."""
    m = _EN_START.search(message)
    if m is None:
        return message + zh + en
    return message[: m.start()] + zh + message[m.start():] + en


def engine_rules() -> tuple[Rule, ...]:
    """Ids the engine reports itself, so that ``docintake rules`` lists them too."""

    def never(ctx: CheckContext, params: Mapping[str, object]) -> Iterable[Hit]:
        return ()

    return (Rule(RULE_FAILED, RuleKind.ENGINE, "规则未能运行，需人工检查", "a rule could not run; check by hand", never),)

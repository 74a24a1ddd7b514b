"""The check as a clerk reads it in a terminal: verdict first, findings grouped by
severity with their evidence, then what only the clerk can check."""

from __future__ import annotations

import json
from typing import Any

from validators.model import CheckResult, Evidence, Finding, Severity, Verdict

_VERDICT = {
    Verdict.PASS: "通过 / PASS",
    Verdict.FLAGGED: "需复核 / FLAGGED",
    Verdict.FAIL: "不通过 / FAIL",
}
_GROUPS = (
    (Severity.ERROR, "✗", "错误（须处理）/ errors: the clerk must act"),
    (Severity.WARNING, "!", "警告（存疑，请核对）/ warnings: doubtful, please check"),
    (Severity.INFO, "·", "提示 / notes"),
)
LOOK_AT = 0.9


def _money(value: Any) -> str:
    return "—（无法计算 / not computable）" if value is None else f"¥{value:,.2f}"


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


def _evidence_line(e: Evidence) -> str:
    where = e.file + (f" 第{e.page}页/p.{e.page}" if e.page is not None else "")
    if e.field is None:
        return where
    conf = ""
    if e.confidence is not None:
        conf = f"  置信度/conf {e.confidence:.2f}" + ("（低 / low）" if e.confidence < LOOK_AT else "")
    return f"{where}  {e.field} = 「{_value(e.value)}」{conf}"


def _finding(f: Finding, mark: str) -> list[str]:
    lines = [f"  {mark} [{f.rule}] {f.message}"]
    for e in f.evidence:
        lines.append(f"      证据 / evidence: {_evidence_line(e)}")
    if f.declared is not None:
        d = f.declared.to_json()
        lines.append(f"      申报 / declared: {d['path']} = 「{_value(d['value'])}」")
    return lines


def render_check(result: CheckResult) -> str:
    counts = {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}
    out = [
        f"项目 / program: {result.program_name} ({result.program})",
        f"结论 / verdict: {_VERDICT[result.verdict]}   "
        f"错误/errors {counts[Severity.ERROR]} · 警告/warnings {counts[Severity.WARNING]} · "
        f"提示/notes {counts[Severity.INFO]} · 人工核对/manual {len(result.checklist)}",
        f"可补贴金额 / eligible subsidy: {_money(result.eligible_subsidy)}"
        + (f"   申请金额 / requested: {_money(result.requested_subsidy)}" if result.requested_subsidy is not None else ""),
        "",
        f"材料 / documents ({len(result.documents)})",
    ]
    for doc in result.documents:
        pages = ",".join(str(p.number) for p in doc.pages)
        legible = "清晰 legible" if doc.quality.legible else "不清晰 ILLEGIBLE"
        out.append(f"  {doc.file}  第{pages}页/p.{pages}  {doc.type} ({doc.type_confidence:.2f})  {legible}")
    if not result.documents:
        out.append("  （无 / none）")
    for err in result.errors:
        out.append(f"  ✗ {err.file}: 无法读取 / unreadable ({err.error}): {err.message}")
    for severity, mark, title in _GROUPS:
        group = [f for f in result.findings if f.severity is severity]
        if not group:
            continue
        out += ["", f"{title} ({len(group)})"]
        for f in group:
            out += _finding(f, mark)
    out += ["", f"人工核对清单 / the clerk's checklist ({len(result.checklist)})"]
    for item in result.checklist:
        out.append(f"  ☐ [{item.rule}] {item.message}")
    if not result.checklist:
        out.append("  （无 / none）")
    return "\n".join(out) + "\n"


def render_rules(entries: list[dict[str, Any]]) -> str:
    width = max((len(e["rule"]) for e in entries), default=0)
    lines = []
    for e in entries:
        severity = f"{e['severity']:<8}  " if "severity" in e else ""  # with --program
        lines.append(f"{e['rule']:<{width}}  {e['kind']:<8}  {severity}{e['zh']} / {e['en']}")
    return "\n".join(lines) + "\n"

"""The rule in words and the clause of the program it comes from.

Descriptions come from the rule catalogue (``validators.describe_rules``). The clause
is read from the program's policy file: the notice it implements, the section comment
above the rule's line, the comment on the line itself and its ``why:`` (policy files
quote the notice there, e.g. ``# 签订服务合同前先备案``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from validators import default_table, describe_rules, load_policy


@cache
def rule_descriptions() -> dict[str, dict[str, str]]:
    return {r["rule"]: {"zh": r["zh"], "en": r["en"]} for r in describe_rules(default_table())}


@cache
def program_info(program_id: str) -> dict:
    try:
        program = load_policy(program_id, default_table())
    except Exception:  # a program whose file is gone: the pages still show the rest
        return {"name": program_id, "notice": "", "clauses": {}, "required": []}
    try:
        lines = Path(program.source).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    clauses: dict[str, str] = {}
    for spec in program.rules:
        clauses[spec.id] = _clause(lines, spec.line)
    return {"name": program.name, "notice": program.notice, "clauses": clauses,
            "required": [{"type": str(r.type), "label": r.label} for r in program.required_documents]}


def _comment(line: str) -> str:
    # a '#' that starts a YAML comment (not inside a quoted value; policy files keep it simple)
    m = re.search(r"(?:^|\s)#\s*(.*)$", line)
    return m.group(1).strip() if m else ""


def _clause(lines: list[str], line_no: int) -> str:
    if not 1 <= line_no <= len(lines):
        return ""
    parts: list[str] = []
    own = _comment(lines[line_no - 1])
    # the rule item may run over several lines (id, severity, why, params)
    indent = len(lines[line_no - 1]) - len(lines[line_no - 1].lstrip())
    for nxt in lines[line_no:line_no + 8]:
        stripped = nxt.strip()
        if not stripped or stripped.startswith("- ") or (len(nxt) - len(nxt.lstrip())) <= indent:
            break
        if stripped.startswith("why:"):
            parts.append(stripped[4:].strip().strip("'\""))
        elif c := _comment(nxt):
            own = own or c
    if own:
        parts.insert(0, own)
    # the section comment above: "# --- the evidence chain"
    for prev in reversed(lines[:line_no - 1]):
        s = prev.strip()
        if s.startswith("# ---"):
            parts.append(s.lstrip("#- ").strip())
            break
    return "；".join(p for p in parts if p)


def rule_text(program_id: str, rule_id: str) -> dict[str, str]:
    d = rule_descriptions().get(rule_id, {"zh": rule_id, "en": rule_id})
    info = program_info(program_id)
    return {"zh": d["zh"], "en": d["en"], "clause": info["clauses"].get(rule_id, ""), "notice": info["notice"]}

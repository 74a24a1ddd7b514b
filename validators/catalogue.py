"""The rule catalogue: every rule id with its description, for ``docintake rules``,
and the table the engine and the policy loader look rules up in."""

from __future__ import annotations

from functools import cache
from typing import Any

from validators.engine import RuleTable, engine_rules
from validators.rules import all_formulas, all_rules


@cache
def default_table() -> RuleTable:
    """Built once per process from immutable tuples; nothing in it is ever mutated."""
    return RuleTable.build(all_rules() + engine_rules(), all_formulas())


def describe_rules(table: RuleTable) -> list[dict[str, Any]]:
    """One entry per rule id, sorted: id, kind, Chinese and English description, parameters."""
    return [
        {
            "rule": r.id,
            "kind": str(r.kind),
            "zh": r.zh,
            "en": r.en,
            "params": {name: {"type": str(p.type), "doc": p.doc} for name, p in r.params.items()},
        }
        for r in sorted(table.rules.values(), key=lambda r: r.id)
    ]


def describe_formulas(table: RuleTable) -> list[dict[str, Any]]:
    return [
        {"formula": f.name, "zh": f.zh, "en": f.en,
         "params": {name: {"type": str(p.type), "doc": p.doc} for name, p in f.params.items()}}
        for f in sorted(table.formulas.values(), key=lambda f: f.name)
    ]

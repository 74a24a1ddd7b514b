"""Every rule and formula the project knows, collected explicitly (no registry to reset).

One module per kind of rule; a new rule is a function plus a ``Rule`` entry in its
module's ``RULES`` tuple.
"""

from __future__ import annotations

from validators.rule import Formula, Rule
from validators.rules import chain, declared_vs_found, documents, fields, history, manual, program, subsidy


def all_rules() -> tuple[Rule, ...]:
    return (
        documents.RULES
        + fields.RULES
        + chain.RULES
        + declared_vs_found.RULES
        + program.RULES
        + subsidy.RULES
        + history.RULES
        + manual.RULES
    )


def all_formulas() -> tuple[Formula, ...]:
    return subsidy.FORMULAS

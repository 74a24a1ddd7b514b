"""validators: the checks that follow extraction.

    documents (from extractors) + declared.json + a program's policy file
      → rules (field checks, the evidence chain, declared vs found, the program's
        conditions, the subsidy) → CheckResult: findings with evidence, the clerk's
        checklist, the eligible subsidy, a verdict.

Entry points: ``load_declared``, ``load_policy``, ``load_program_list``,
``run_checks``, ``default_table``; ``render_check`` for the terminal.
"""

from validators.catalogue import default_table, describe_rules
from validators.declared import Declared, DeclaredError, load_declared, parse_declared
from validators.engine import RuleTable, run_checks
from validators.lists import ListError, ProgramList, list_path, load_program_list
from validators.model import CheckResult, Finding, Severity, Verdict
from validators.policy import PolicyError, Program
from validators.programs import builtin_programs, load_policy

__all__ = [
    "CheckResult",
    "Declared",
    "DeclaredError",
    "Finding",
    "ListError",
    "PolicyError",
    "Program",
    "ProgramList",
    "RuleTable",
    "Severity",
    "Verdict",
    "builtin_programs",
    "default_table",
    "describe_rules",
    "list_path",
    "load_declared",
    "load_policy",
    "load_program_list",
    "parse_declared",
    "run_checks",
]

"""Finding and loading policy files: the built-in ones in ``validators/policies/``,
or any file a deployment names by path (a new program is a new file)."""

from __future__ import annotations

from pathlib import Path

from validators.engine import RuleTable
from validators.policy import PolicyError, Program, load_program

POLICY_DIR = Path(__file__).resolve().parent / "policies"


def builtin_programs() -> list[str]:
    return sorted(p.stem for p in POLICY_DIR.glob("*.yaml"))


def policy_path(program: str) -> Path:
    """A program id (built-in) or the path of a ``.yaml`` policy file."""
    if program.endswith((".yaml", ".yml")) or "/" in program:
        return Path(program)
    path = POLICY_DIR / f"{program}.yaml"
    if not path.is_file():
        raise PolicyError(
            f"未知项目 / unknown program {program!r} (known: {', '.join(builtin_programs())})", file=None
        )
    return path


def load_policy(program: str, table: RuleTable) -> Program:
    return load_program(policy_path(program), table.rules, table.formulas)

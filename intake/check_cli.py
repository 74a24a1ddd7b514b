"""``docintake check`` and ``docintake rules`` (CONTRACT.md).

This is the only layer that reads the environment (``DOCINTAKE_LISTS_DIR``) or the
clock: everything below is handed the policy, the lists and today's date.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

from intake.errors import ErrorCode, InputError
from intake.ocr.registry import DEFAULT_ENGINE, ENGINE_NAMES
from intake.pipeline import extract_files

if TYPE_CHECKING:
    from validators import Program, ProgramList

# ``validators`` is imported inside the commands, not here: ``intake.cli`` imports
# this module, and ``docintake extract`` must not depend on the checks loading.

LISTS_ENV = "DOCINTAKE_LISTS_DIR"
DECLARED_NAME = "declared.json"

log = logging.getLogger(__name__)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ck = subparsers.add_parser("check", help="check an application bundle against its program's rules")
    ck.add_argument("bundle", type=Path, metavar="BUNDLE_DIR", help="the uploaded files, plus declared.json")
    ck.add_argument("--declared", type=Path, metavar="FILE",
                    help=f"declared values (default: BUNDLE_DIR/{DECLARED_NAME})")
    ck.add_argument("--program", metavar="ID", help="program id or policy file (default: from declared.json)")
    ck.add_argument("--json", action="store_true", help="print one JSON object (CONTRACT.md)")
    ck.add_argument("--lists", type=Path, metavar="DIR",
                    help=f"deployment lists, <program-id>.csv (default: ${LISTS_ENV}; none: checked by a clerk)")
    ck.add_argument("--engine", choices=ENGINE_NAMES, default=DEFAULT_ENGINE)
    ck.add_argument("--workers", type=int, default=None, help="OCR processes (default: one per core)")
    ck.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD",
                    help="the day of the check (default: today); for reproducible runs")

    rl = subparsers.add_parser("rules", help="list every rule id with its description")
    rl.add_argument("--json", action="store_true", help="print one JSON object")
    rl.add_argument("--program", metavar="ID", help="only the rules this program uses, with their severities")


def _bundle_files(bundle: Path, declared: Path) -> list[Path]:
    """Every regular file in the bundle but the declaration.

    Hidden files too: an upload saved as ``..\\evil.pdf`` starts with a dot, and a file
    that was handed in is read or reported, never skipped in silence (a stray
    ``.DS_Store`` shows up under ``errors`` as an unsupported type).
    """
    skip = {declared.resolve()}
    return [
        p for p in sorted(bundle.iterdir())
        if p.is_file() and p.name != DECLARED_NAME and p.resolve() not in skip
    ]


def program_list_for(directory: Path | None, program: Program) -> tuple[ProgramList | None, str | None]:
    """The program's deployment list, or None and why (shown on the checklist)."""
    from validators import ListError, list_path, load_program_list

    if program.deployment_list is None:
        return None, "本项目没有部署名单 / the program keeps no list"
    if directory is None:
        return None, f"未配置名单目录（--lists 或 {LISTS_ENV}） / no list directory configured (--lists or {LISTS_ENV})"
    if not directory.is_dir():
        raise ListError("名单目录不存在 / list directory not found", file=str(directory))
    path = list_path(directory, program.id)
    if not path.is_file():
        return None, f"名单目录中没有 {path.name} / no {path.name} in the list directory {directory}"
    return load_program_list(path, program.deployment_list.columns), None


def cmd_check(args: argparse.Namespace) -> int:
    from validators import default_table, load_declared, load_policy, run_checks
    from validators.report import render_check

    bundle: Path = args.bundle
    if not bundle.is_dir():
        raise InputError("不是目录或不存在 / not a directory", code=ErrorCode.BAD_ARGUMENTS, file=str(bundle))
    declared_path: Path = args.declared or bundle / DECLARED_NAME
    declared = load_declared(declared_path)
    table = default_table()
    program = load_policy(args.program or declared.program, table)
    if args.program and declared.program != program.id:
        log.warning("program %s from --program, declared.json says %s", program.id, declared.program)
    env_dir = os.environ.get(LISTS_ENV)
    program_list, unavailable = program_list_for(args.lists or (Path(env_dir) if env_dir else None), program)

    files = _bundle_files(bundle, declared_path)
    extracted = extract_files(files, engine=args.engine, workers=args.workers, progress=True)
    for err in extracted.errors:
        print(f"docintake: {err.file}: {err.error}: {err.message}", file=sys.stderr)
    result = run_checks(
        extracted.documents, declared, program, table,
        today=args.today or date.today(),
        program_list=program_list,
        list_unavailable=unavailable,
        file_errors=extracted.errors,
    )
    if args.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_check(result))
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from validators import default_table, describe_rules, load_policy
    from validators.catalogue import describe_formulas
    from validators.report import render_rules

    table = default_table()
    entries = describe_rules(table)
    if args.program:
        program = load_policy(args.program, table)
        severity = {r.id: (str(r.severity) if r.severity else "manual") for r in program.rules}
        entries = [{**e, "severity": severity[e["rule"]]} for e in entries if e["rule"] in severity]
    if args.json:
        json.dump({"version": 1, "rules": entries, "formulas": describe_formulas(table)},
                  sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_rules(entries))
    return 0

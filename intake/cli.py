"""The ``docintake`` command line (CONTRACT.md: exit 0 done, 2 bad input, 1 internal)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from api.cli import COMMANDS as SERVICE_COMMANDS, add_subcommands as add_service_subcommands
from intake.check_cli import add_subcommands as add_check_subcommands, cmd_check, cmd_rules
from intake.errors import ErrorCode, IntakeError
from intake.pipeline import DEFAULT_ENGINE, extract_files
from intake.text_report import render_extract

ENGINES = ("rapidocr", "tesseract")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its wording
        self.print_usage(sys.stderr)
        self.exit(2, f"docintake: 参数错误 / bad arguments: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="docintake", description="企业上云补贴申报材料初审 / intake checker for cloud-subsidy applications")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    ex = sub.add_parser("extract", help="read files into typed fields with evidence")
    ex.add_argument("files", nargs="+", type=Path, metavar="FILE")
    ex.add_argument("--json", action="store_true", help="print one JSON object (CONTRACT.md)")
    ex.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE)
    ex.add_argument("--workers", type=int, default=None, help="OCR processes (default: one per core)")
    add_check_subcommands(sub)
    add_service_subcommands(sub)
    return parser


def cmd_extract(args: argparse.Namespace) -> int:
    result = extract_files(args.files, engine=args.engine, workers=args.workers, progress=True)
    if args.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_extract(result))
    for err in result.errors:
        print(f"docintake: {err.file}: {err.error}: {err.message}", file=sys.stderr)
    # Exit 2 only when nothing at all could be read: a bundle with one bad file
    # among good ones is a finished job whose errors are in the output.
    return 2 if result.errors and not result.documents else 0


COMMANDS = {"extract": cmd_extract, "check": cmd_check, "rules": cmd_rules, **SERVICE_COMMANDS}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return COMMANDS[args.command](args)
    except IntakeError as exc:
        print(f"docintake: {exc.file + ': ' if exc.file else ''}{exc.code}: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the contract's exit 1: say what broke, keep the traceback in -v
        logging.getLogger("docintake").debug("internal error", exc_info=True)
        print(f"docintake: {ErrorCode.INTERNAL}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

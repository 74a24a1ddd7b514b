"""Write the committed application bundles: samples/bundles/<program>/<case>/.

    python -m samplegen.make_bundles [--out samples/bundles] [--program ID ...]

Per program: ``clean`` (one application that passes every automatic rule), and one
case per defect kind that applies to the program (samplegen.defects), each the
clean application with that one thing wrong. A case directory holds the uploaded
files, ``declared.json``, ``case.json`` (what was planted, the rules that must
report it, whether ``--lists samples/lists`` is needed, the day of the check) and,
written by ``pytest tests/test_bundles_golden.py --regen-goldens``, ``expected.json``
(the ``check --json`` output, reviewed as a diff).

Files a case shares with ``clean`` byte for byte are relative symlinks to it
(``contract.pdf -> ../clean/contract.pdf``): ``docintake check`` reads them like any
file, the repository holds each once, and ``ls -l`` shows what the defect changed.
Suppliers are taken from samples/lists so that the provider lists are exercised;
born-digital documents are small text-layer PDFs (non-embedded CJK font, seals at
72 dpi), licences and ID cards compact scans. Deterministic: re-running rewrites
identical bytes.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
from pathlib import Path
from typing import Any

from samplegen.application import (HEBEI, PROGRAMS, Application, Plan, make_plan,
                                   render_plan)
from samplegen.defects import kinds_for, plant

ROOT = Path(__file__).resolve().parent.parent
LISTS = ROOT / "samples" / "lists"
CLEAN = "clean"
KEEP = {"expected.json"}  # written by the golden test, not here

# program -> seed of its deal. Any seed gives a consistent application; these were kept
# because the OCR reads every field of their licence scan (about one scan in ten is
# turned sideways or upside down, and the licence's fields are then lost — see
# bench/detection.py), so that the licence rules are exercised by the goldens.
SEEDS = {"hebei-2018-benchmark": 2, "inner-mongolia-2019-voucher": 4, "yichun-2023": 1,
         "guangdong-2018-voucher": 1}

# Defects the checks cannot see today, by "<program>/<case>", with the reason: the
# golden test expects the miss, and fails once it is caught (then drop it here).
KNOWN_MISSES: dict[str, str] = {}


def listed_provider(program: str) -> dict[str, str]:
    """The first provider of samples/lists/<program>.csv (the committed bundles' supplier)."""
    with (LISTS / f"{program}.csv").open(encoding="utf-8-sig") as f:
        row = next(csv.DictReader(f))
    return {k: v for k, v in row.items() if k != "note" and v}


def plan_for(program: str) -> Plan:
    return make_plan(program, SEEDS[program], provider=listed_provider(program), compact=True,
                     cloud_fee=True if program == HEBEI else None)


def cases(program: str) -> dict[str, Application]:
    out = {CLEAN: render_plan(plan_for(program))}
    for k in kinds_for(program):
        plan = plan_for(program)
        plant(plan, k.name)
        out[k.name] = render_plan(plan)
    return out


def case_json(app: Application, name: str) -> dict[str, Any]:
    p = app.planted
    info: dict[str, Any] = {
        "program": app.program, "seed": app.seed, "defect": p.kind if p else None,
        "lists": True, "today": app.today.isoformat(),
        "expected_subsidy": None if app.expected_subsidy is None else f"{app.expected_subsidy:.2f}",
    }
    if p is None:
        info["expect_warnings"] = []
        return info
    info.update({
        "expect_rules": list(p.rules), "side_rules": list(p.side_rules), "severity": p.severity,
        "note": p.note,
        "pointers": [{k: v for k, v in (("file", f), ("field", ptr.field),
                                        ("declared", ptr.declared),
                                        ("missing_type", ptr.missing_type)) if v}
                     for ptr in p.pointers
                     for f in (app.file_of(ptr.doc) if ptr.doc else [None]) or [None]],
    })
    if f"{app.program}/{name}" in KNOWN_MISSES:
        info["xfail"] = KNOWN_MISSES[f"{app.program}/{name}"]
    return info


def write_case(d: Path, app: Application, name: str, clean: Application | None) -> int:
    """Write one case; returns the bytes of files it holds itself (links cost none)."""
    d.mkdir(parents=True, exist_ok=True)
    for f in d.iterdir():
        if f.name not in KEEP:
            f.unlink() if f.is_file() or f.is_symlink() else shutil.rmtree(f)
    own = 0
    for fname, data in sorted(app.files.items()):
        target = d / fname
        if clean is not None and clean.files.get(fname) == data:
            os.symlink(f"../{CLEAN}/{fname}", target)
        else:
            target.write_bytes(data)
            own += len(data)
    (d / "declared.json").write_text(app.declared_json(), encoding="utf-8")
    (d / "case.json").write_text(json.dumps(case_json(app, name), ensure_ascii=False, indent=1)
                                 + "\n", encoding="utf-8")
    return own


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samplegen.make_bundles")
    ap.add_argument("--out", type=Path, default=ROOT / "samples" / "bundles")
    ap.add_argument("--program", action="append", choices=PROGRAMS,
                    help="only these programs (default: all four)")
    args = ap.parse_args(argv)
    total = 0
    for program in args.program or PROGRAMS:
        apps = cases(program)
        clean = apps[CLEAN]
        wanted = set(apps)
        base = args.out / program
        if base.exists():  # cases of kinds that no longer exist go
            for old in base.iterdir():
                if old.is_dir() and old.name not in wanted:
                    shutil.rmtree(old)
        size = 0
        for name, app in apps.items():
            size += write_case(base / name, app, name, None if name == CLEAN else clean)
        total += size
        print(f"{program:30s} {len(apps):3d} cases {size / 1e6:6.2f} MB of files")
    print(f"total {total / 1e6:.2f} MB of input files in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

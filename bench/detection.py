"""Detection benchmark: do the checks catch what is wrong with an application, and
leave clean ones alone?

    python -m bench.detection [--per-program N] [--seed S] [--scanned-share X]
                              [--program ID ...] [--workdir DIR] [--out FILE] [--misses K]

Per program, N generated applications (samplegen.application): N/2 clean ones and,
for each, its twin with one planted defect (samplegen.defects), the kinds taken in
turn so that every kind that applies to the program is represented. Twins share
every untouched file byte for byte and extraction is cached per file (sha256), so a
file is read once per run. Documents are mostly born-digital text-layer PDFs; each
of contract, invoice, receipt and form is a paper scan with probability X (licences
and ID cards always are). Every application comes with the deployment list it was
made for (the provider list rules run).

Measured (markdown on stdout, progress on stderr):
- recall per defect kind: the verdict is not pass (info-only kinds: the finding is
  there) and some finding of one of the kind's rules points at the planted fault —
  its evidence is the planted document (and field), its declared path the planted
  path, or its message names the missing document type or the planted file;
- false flags: clean applications whose verdict is not pass;
- eligible subsidy: clean applications whose computed subsidy equals the generator's;
- seconds per application (extraction with the cache, and the checks).
Each miss and false flag is also run through the checks on the generator's truth (a
perfect extractor): caught there means extraction lost it, missed there means a rule.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.checking import ExtractionCache, Upload, run_check, truth_check
from bench.progress import log

TARGET_RECALL = 1.0
TARGET_FALSE_FLAGS = 0.02
TARGET_SUBSIDY = 0.99
RANK = {"info": 0, "warning": 1, "error": 2}


# --- generating ------------------------------------------------------------------------


@dataclass
class Case:
    """One generated application, written to disk, with what the benchmark needs."""

    program: str
    seed: int
    kind: str | None  # None: clean
    uploads: list[Upload]
    declared_json: str
    list_rows: list[dict[str, str]]
    today: str
    expected_subsidy: str | None
    documents: dict[str, dict[str, Any]]  # truth per DocPlan name (samplegen.application)
    planted: dict[str, Any] | None
    scanned: list[str] = field(default_factory=list)

    @property
    def ident(self) -> str:
        return f"{self.program} seed={self.seed} {self.kind or 'clean'}"

    def files_of(self, doc: str | None) -> list[str]:
        return list(self.documents[doc]["files"]) if doc in self.documents else []


def _generate(task: tuple[str, int, str | None, float, str]) -> Case:
    """Worker: draw one application and write its files under the work directory."""
    import hashlib

    from samplegen.application import generate_application

    program, seed, kind, scanned_share, workdir = task
    app = generate_application(program, seed, defect=kind, scanned_share=scanned_share)
    uploads: list[Upload] = []
    for name, data in sorted(app.files.items()):
        sha = hashlib.sha256(data).hexdigest()[:20]
        path = Path(workdir) / sha / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(path.suffix + ".part")
            tmp.write_bytes(data)
            tmp.replace(path)
        uploads.append((name, path))
    p = app.planted
    planted = None if p is None else {
        "kind": p.kind, "rules": list(p.rules), "side_rules": list(p.side_rules),
        "severity": p.severity, "note": p.note,
        "pointers": [vars(ptr) for ptr in p.pointers]}
    return Case(program, seed, kind, uploads, app.declared_json(), app.list_rows,
                app.today.isoformat(),
                None if app.expected_subsidy is None else f"{app.expected_subsidy:.2f}",
                app.documents, planted,
                [n for n, d in app.documents.items() if d["scanned"]])


def plan_cases(programs: list[str], per_program: int, seed: int) -> list[tuple[str, int, str | None]]:
    """(program, seed, kind) for every application: pairs of a clean one and its twin."""
    from samplegen.defects import kinds_for

    out: list[tuple[str, int, str | None]] = []
    for program in programs:
        kinds = [k.name for k in kinds_for(program)]
        pairs = max(1, per_program // 2)
        if pairs < len(kinds):
            log(f"note: {program}: {pairs} defective applications for {len(kinds)} kinds — "
                f"not every kind is represented (use --per-program {2 * len(kinds)} or more)")
        for i in range(pairs):
            s = seed * 100000 + i
            out.append((program, s, None))
            out.append((program, s, kinds[i % len(kinds)]))
    return out


# --- scoring ---------------------------------------------------------------------------


def _points_at(finding: dict[str, Any], case: Case) -> bool:
    """Whether a finding is about the planted fault (see the module doc)."""
    assert case.planted is not None
    message = finding["message"]
    for ptr in case.planted["pointers"]:
        if ptr.get("missing_type") and f"missing {ptr['missing_type']}" in message:
            return True
        if ptr.get("declared") and (finding.get("declared") or {}).get("path") == ptr["declared"]:
            return True
        if ptr.get("doc"):
            files = set(case.files_of(ptr["doc"]))
            for ev in finding.get("evidence", []):
                if ev.get("file") in files and (ptr.get("field") is None or ev.get("field") == ptr["field"]):
                    return True
            if ptr.get("field") is None and any(f in message for f in files):
                return True
    return False


def caught(out: dict[str, Any], case: Case) -> bool:
    assert case.planted is not None
    severity = case.planted["severity"]
    floor = min(RANK[severity], RANK["warning"])
    if severity != "info" and out["verdict"] == "pass":
        return False
    return any(f["rule"] in case.planted["rules"] and RANK[f["severity"]] >= floor
               and _points_at(f, case) for f in out["findings"])


def _extracted(out: dict[str, Any], files: list[str], field_name: str) -> Any:
    for doc in out["documents"]:
        if doc["file"] in files:
            f = doc["fields"].get(field_name)
            return f["value"] if f else "<absent>"
    return "<no document>"


def diagnose(case: Case, out: dict[str, Any]) -> str:
    """Why a defect was missed: the truth check tells extraction from rules apart."""
    app = SimpleNamespace(program=case.program, documents=case.documents,
                          list_rows=case.list_rows, today=_date(case.today),
                          declared_json=lambda: case.declared_json)
    truth = truth_check(app).to_json()
    by_truth = caught(truth, case)
    assert case.planted is not None
    parts = [f"{case.ident}: {case.planted['note']}; verdict {out['verdict']}; "
             f"rules found {sorted({f['rule'] for f in out['findings'] if f['severity'] != 'info'})}"]
    if by_truth:
        parts.append("caught on the truth, so extraction lost it:")
        for ptr in case.planted["pointers"]:
            files = case.files_of(ptr.get("doc"))
            if ptr.get("doc") and ptr.get("field"):
                want = case.documents[ptr["doc"]]["fields"].get(ptr["field"], "<not printed>")
                got = _extracted(out, files, ptr["field"])
                if want != got:
                    parts.append(f"{'/'.join(files)} {ptr['field']}: printed {want!r}, read {got!r}")
            elif files:  # the whole document: what it was taken for
                for doc in out["documents"]:
                    if doc["file"] in files:
                        q = doc["quality"]
                        parts.append(f"{doc['file']} read as {doc['type']}, legible {q['legible']} "
                                     f"(legibility {q['legibility']}, blur {q['blur']}, "
                                     f"{len(doc.get('text') or '')} characters of text)")
    else:
        parts.append("missed on the truth too: a rule does not see it "
                     f"(truth findings {sorted({f['rule'] for f in truth['findings'] if f['severity'] != 'info'})})")
    return " ".join(parts)


def diagnose_clean(case: Case, out: dict[str, Any]) -> str:
    app = SimpleNamespace(program=case.program, documents=case.documents,
                          list_rows=case.list_rows, today=_date(case.today),
                          declared_json=lambda: case.declared_json)
    truth = truth_check(app).to_json()
    shown = [f"{f['rule']} ({f['severity']}): {f['message'][:160]}" for f in out["findings"]
             if f["severity"] != "info"]
    where = "extraction (the truth passes)" if truth["verdict"] == "pass" else \
        f"the rules (the truth gives {truth['verdict']})"
    return f"{case.ident} [scanned: {', '.join(case.scanned)}] → {out['verdict']} via {where}: " + \
        " | ".join(shown)


def _date(s: str):
    from datetime import date
    return date.fromisoformat(s)


# --- running ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from samplegen.application import PROGRAMS
    from samplegen.defects import KINDS

    ap = argparse.ArgumentParser(prog="python -m bench.detection")
    ap.add_argument("--per-program", type=int, default=100, help="applications per program")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scanned-share", type=float, default=0.2,
                    help="chance that a contract, invoice, receipt or form is a paper scan")
    ap.add_argument("--program", action="append", choices=PROGRAMS)
    ap.add_argument("--workdir", type=Path, help="where generated files go (default: a temp dir)")
    ap.add_argument("--out", type=Path, help="also write the markdown here")
    ap.add_argument("--misses", type=int, default=3, help="examples listed per miss reason")
    ap.add_argument("--jobs", type=int, default=2, help="generator processes")
    args = ap.parse_args(argv)

    programs = args.program or list(PROGRAMS)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="docintake-detection-"))
    workdir.mkdir(parents=True, exist_ok=True)
    tasks = [(p, s, k, args.scanned_share, str(workdir))
             for p, s, k in plan_cases(programs, args.per_program, args.seed)]
    log(f"generating {len(tasks)} applications in {workdir} ...")
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(args.jobs) as pool:
        cases = []
        for i, case in enumerate(pool.imap(_generate, tasks, chunksize=2)):
            cases.append(case)
            if (i + 1) % 50 == 0:
                log(f"  {i + 1}/{len(tasks)} ({time.perf_counter() - t0:.0f} s)")
    t_gen = time.perf_counter() - t0

    log("extracting (each distinct file once) ...")
    cache = ExtractionCache(progress=True)
    t1 = time.perf_counter()
    cache.prefetch(u for c in cases for u in c.uploads)
    log("checking ...")
    outs: list[dict[str, Any]] = []
    for c in cases:
        r = run_check(c.uploads, c.declared_json.encode("utf-8"), today=_date(c.today),
                      cache=cache, list_rows=c.list_rows)
        outs.append(r.to_json())
    t_check = time.perf_counter() - t1

    # --- score
    per_kind: dict[str, list[bool]] = defaultdict(list)
    per_kind_prog: dict[str, Counter[str]] = defaultdict(Counter)
    misses: dict[str, list[str]] = defaultdict(list)
    clean_n = false_flags = subsidy_ok = 0
    flags: list[str] = []
    subsidy_wrong: list[str] = []
    for case, out in zip(cases, outs):
        if case.kind is None:
            clean_n += 1
            if out["verdict"] != "pass":
                false_flags += 1
                flags.append(diagnose_clean(case, out))
            if out["eligible_subsidy"] == case.expected_subsidy:
                subsidy_ok += 1
            else:
                subsidy_wrong.append(f"{case.ident}: expected {case.expected_subsidy}, "
                                     f"computed {out['eligible_subsidy']}")
            continue
        ok = caught(out, case)
        per_kind[case.kind].append(ok)
        per_kind_prog[case.kind][case.program] += 1
        if not ok:
            misses[case.kind].append(diagnose(case, out))

    lines: list[str] = []
    n = len(cases)
    lines.append(f"## Detection benchmark — {args.per_program} per program, seed {args.seed}, "
                 f"scanned share {args.scanned_share}\n")
    lines.append(f"`python -m bench.detection --per-program {args.per_program} --seed {args.seed} "
                 f"--scanned-share {args.scanned_share}`"
                 + (f" (programs: {', '.join(programs)})" if args.program else "") + "\n")
    lines.append("| defect kind | programs (cases) | rules | caught | recall | target |")
    lines.append("|---|---|---|---|---|---|")
    for kind in sorted(per_kind):
        k = KINDS[kind]
        got = per_kind[kind]
        rate = sum(got) / len(got)
        progs = ", ".join(f"{p.split('-')[0]} {c}" for p, c in sorted(per_kind_prog[kind].items()))
        mark = "" if rate >= TARGET_RECALL else " ✗"
        lines.append(f"| {kind} | {progs} | {', '.join(k.rules)} | {sum(got)}/{len(got)} | "
                     f"{rate:.0%}{mark} | 100 % |")
    caught_all = sum(sum(v) for v in per_kind.values())
    total_def = sum(len(v) for v in per_kind.values())
    lines.append("")
    lines.append("| measure | value | target |")
    lines.append("|---|---|---|")
    if total_def:
        lines.append(f"| recall, all planted defects | {caught_all}/{total_def} = "
                     f"{caught_all / total_def:.1%} | 100 % per kind |")
    if clean_n:
        ff = false_flags / clean_n
        sub = subsidy_ok / clean_n
        lines.append(f"| false flags (clean, verdict not pass) | {false_flags}/{clean_n} = {ff:.1%}"
                     f"{'' if ff <= TARGET_FALSE_FLAGS else ' ✗'} | ≤ 2 % |")
        lines.append(f"| eligible subsidy exact (clean) | {subsidy_ok}/{clean_n} = {sub:.1%}"
                     f"{'' if sub >= TARGET_SUBSIDY else ' ✗'} | ≥ 99 % |")
    lines.append(f"| seconds per application (extract + check) | {t_check / n:.2f} | — |")
    lines.append(f"| seconds per application (generate, {args.jobs} processes) | {t_gen / n:.2f} | — |")
    lines.append(f"| distinct files extracted / uploads | {cache.misses}/{sum(len(c.uploads) for c in cases)}"
                 f" ({cache.seconds:.0f} s extracting) | — |")
    if cache.retried:
        lines.append(f"| OCR timeouts read again alone (then fine) | {len(cache.retried)}: "
                     f"{', '.join(cache.retried[:5])} | 0 |")
    if misses:
        lines.append("\n### Misses\n")
        for kind in sorted(misses):
            lines.append(f"- **{kind}** ({len(misses[kind])}):")
            for m in misses[kind][: args.misses]:
                lines.append(f"  - {m}")
    if flags:
        lines.append("\n### False flags on clean applications\n")
        for m in flags[: max(args.misses * 4, 10)]:
            lines.append(f"- {m}")
    if subsidy_wrong:
        lines.append("\n### Subsidy differs on clean applications\n")
        for m in subsidy_wrong[: max(args.misses * 4, 10)]:
            lines.append(f"- {m}")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    (workdir / "results.json").write_text(json.dumps(
        [{"case": c.ident, "kind": c.kind, "verdict": o["verdict"],
          "caught": caught(o, c) if c.kind else None,
          "findings": [(f["rule"], f["severity"]) for f in o["findings"]]}
         for c, o in zip(cases, outs)], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

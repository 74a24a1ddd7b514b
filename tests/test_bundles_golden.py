"""Committed application bundles: samples/bundles/<program>/<case>/ holds the files an
applicant uploaded, declared.json, case.json (what was planted and which rules must
report it; samplegen.make_bundles writes both) and expected.json, the committed
``docintake check --json`` output.

- the check's output equals expected.json (values, verdict, rule ids exact;
  confidences within tolerance: tests/golden_checks.py);
- a planted defect is reported by every rule its kind names; a clean bundle passes
  (or has only the warnings its case.json expects) with the expected subsidy;
- every rule a program's policy runs automatically is broken by some bundle;
- the in-process check (bench/checking.py, which reads each shared file once) gives
  what the CLI gives.

Regenerate expected.json with ``pytest tests/test_bundles_golden.py --regen-goldens``
and review the diff like code; the inputs with ``python -m samplegen.make_bundles``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.checking import ExtractionCache, bundle_uploads, run_check
from tests.conftest import ROOT, SAMPLES
from tests.golden_checks import diff_checks, dump_check

BUNDLES = SAMPLES / "bundles"
LISTS = Path("samples/lists")  # as given on the command line from the repository root
CASES = sorted(p.parent for p in BUNDLES.glob("*/*/case.json"))
IDS = [f"{c.parent.name}/{c.name}" for c in CASES]
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}

# Automatic rules no committed bundle breaks, and why.
UNBROKEN: dict[tuple[str, str], str] = {
    ("yichun-2023", "subsidy.eligible_computed"):
        "the formula needs only the contract amount, which every contract states: it cannot "
        "be missing from a realistic bundle (the rule's info finding is in every golden)",
}

_results: dict[Path, dict[str, Any]] = {}


def _case(case: Path) -> dict[str, Any]:
    return json.loads((case / "case.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def bundle_cache(request: pytest.FixtureRequest) -> ExtractionCache:
    """One extraction cache for the session, filled up front with every file of the
    selected cases, so that OCR runs on both cores at once."""
    cache = ExtractionCache()
    selected = {item.callspec.params["case"] for item in request.session.items
                if hasattr(item, "callspec") and isinstance(item.callspec.params.get("case"), Path)}
    cache.prefetch(u for c in sorted(selected) for u in bundle_uploads(c))
    return cache


def _check(case: Path, cache: ExtractionCache) -> dict[str, Any]:
    if case not in _results:
        info = _case(case)
        result = run_check(bundle_uploads(case), (case / "declared.json").read_bytes(),
                           today=date.fromisoformat(info["today"]), cache=cache,
                           lists_dir=ROOT / LISTS if info["lists"] else None)
        _results[case] = result.to_json()
    return _results[case]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bundle_golden(case: Path, bundle_cache: ExtractionCache, regen_goldens: bool) -> None:
    actual = _check(case, bundle_cache)
    golden = case / "expected.json"
    if regen_goldens or not golden.exists():
        golden.write_text(dump_check(actual), encoding="utf-8")
        if not regen_goldens:
            pytest.fail(f"{golden} was missing and has been written: review and commit it")
    problems = diff_checks(json.loads(golden.read_text(encoding="utf-8")), actual)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bundle_verdict(case: Path, bundle_cache: ExtractionCache) -> None:
    """Clean passes with the expected subsidy; a planted defect is caught by its rules."""
    info, out = _case(case), _check(case, bundle_cache)
    found = {(f["rule"], f["severity"]) for f in out["findings"]}
    if info["defect"] is None:
        doubts = sorted({r for r, s in found if s != "info"} - set(info["expect_warnings"]))
        assert out["verdict"] == "pass" or not doubts, f"clean bundle: {out['verdict']}, {doubts}"
        assert not any(s == "error" for _, s in found), "a clean bundle has an error"
        assert out["eligible_subsidy"] == info["expected_subsidy"]
        return
    # an error the engine lowered to a warning (a value it rests on was read with low
    # confidence) still stops the bundle and points the clerk at it: caught
    floor = min(SEVERITY_RANK[info["severity"]], SEVERITY_RANK["warning"])
    missing = [r for r in info["expect_rules"]
               if not any(rule == r and SEVERITY_RANK[s] >= floor for rule, s in found)]
    if info.get("xfail"):  # a known miss (make_bundles.KNOWN_MISSES), reported to be fixed
        if missing:
            pytest.xfail(info["xfail"])
        pytest.fail("known miss now caught: drop it from KNOWN_MISSES and re-run make_bundles")
    assert not missing, f"{info['defect']}: not reported by {missing}; findings {sorted(found)}"
    if info["severity"] != "info":
        assert out["verdict"] != "pass"


def test_every_automatic_rule_is_broken_somewhere() -> None:
    from samplegen.application import PROGRAMS, policy

    broken: dict[str, set[str]] = {}
    for case in CASES:
        info = _case(case)
        if info["defect"]:
            broken.setdefault(info["program"], set()).update(info["expect_rules"])
    from validators import default_table
    from validators.rule import RuleKind

    # History rules need earlier applications, which a bundle on its own cannot have:
    # tests/service/test_api.py and tests/test_validators_history.py break them.
    rules = default_table().rules
    for program in PROGRAMS:
        auto = {r["id"] for r in policy(program)["rules"]
                if r.get("severity") and rules[r["id"]].kind is not RuleKind.HISTORY}
        missing = sorted(r for r in auto - broken.get(program, set())
                         if (program, r) not in UNBROKEN)
        assert not missing, f"{program}: no committed bundle breaks {missing}"


def test_clean_bundles_are_reproducible() -> None:
    """make_bundles draws the same files again (its defect cases use the same path)."""
    from samplegen.make_bundles import CLEAN, plan_for
    from samplegen.application import render_plan

    for program_dir in sorted(BUNDLES.iterdir()):
        if not (program_dir / CLEAN).is_dir():
            continue
        app = render_plan(plan_for(program_dir.name))
        clean = program_dir / CLEAN
        for name, data in app.files.items():
            assert (clean / name).read_bytes() == data, f"{clean / name} differs from a fresh draw"
        assert (clean / "declared.json").read_text(encoding="utf-8") == app.declared_json()


def test_cli_gives_the_same(bundle_cache: ExtractionCache, tmp_path: Path) -> None:
    """``docintake check --json`` (a subprocess, as users run it) equals the in-process
    check the goldens use, on one bundle. The CLI reads every file of a directory, so
    it is given the uploads and declared.json without the case's own json files."""
    case = BUNDLES / "yichun-2023" / "clean"
    info = _case(case)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for name, path in bundle_uploads(case) + [("declared.json", case / "declared.json")]:
        (bundle / name).write_bytes(path.read_bytes())
    cmd = [sys.executable, "-m", "intake.cli", "check", str(bundle), "--json",
           "--today", info["today"]]
    if info["lists"]:
        cmd += ["--lists", str(LISTS)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    cli = json.loads(done.stdout)
    problems = diff_checks(_check(case, bundle_cache), cli)
    assert not problems, "\n".join(problems)

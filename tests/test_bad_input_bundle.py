"""A bundle of hostile files around one good invoice: each bad file gets its code,
the good one is still read, memory stays bounded and nothing is written outside.

The heavy runs happen in child processes (tests/badinput/measure.py), so the peak
memory measured is theirs alone and an audit hook can watch every write. Time is
bounded by pytest-timeout, never asserted on the wall clock.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from intake.errors import ErrorCode
from intake.ocr.fakes import ReplayEngine
from intake.pipeline import ExtractOptions, extract_files

ROOT = Path(__file__).resolve().parent.parent
MEASURE = ROOT / "tests" / "badinput" / "measure.py"
sys.path.insert(0, str(MEASURE.parent))
import measure  # noqa: E402  (tests/badinput is not a package)

corpus = measure.corpus_module()

# Peak RSS a whole bundle of bombs may add over the libraries' own footprint. The
# largest legitimate page (A4 at 300 dpi, BGR) is 26 MB; a decoded bomb would be GBs.
BUNDLE_RSS_GROWTH_MIB = 512
WORKER_RSS_MIB = 1024
CASE_RSS_GROWTH_MIB = 300


def _child_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(OMP_THREAD_LIMIT="1", PYTHONDONTWRITEBYTECODE="1", TMPDIR=str(tmp), HOME=str(tmp),
               PYTHONPATH=str(ROOT))
    return env


def _run_measure(mode: str, out: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, str(MEASURE), mode, str(out)], capture_output=True, text=True,
        env=_child_env(out), cwd=out, timeout=280,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def bundle_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bundle_run")
    return json.loads(_run_measure("bundle", out).stdout)


def _errors_by_file(run: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for file, code, _ in run["errors"]:
        found.setdefault(file, []).append(code)
    return found


@pytest.mark.timeout(300)
def _reported(name: str) -> str:
    """How the report names a file: bytes that are not UTF-8 become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def test_each_bad_file_gets_its_code(bundle_run: dict) -> None:
    errors = _errors_by_file(bundle_run)
    read = {file for file, _, _ in bundle_run["documents"]}
    for case in measure.bundle_cases(corpus):
        shown = _reported(case.shown)
        if case.expect is None:
            assert shown not in errors, (shown, errors.get(shown))
            assert shown in read, shown  # loaded, so it must be somewhere
        else:
            assert errors.get(shown) == [case.expect], shown
    assert set(errors) | read == {_reported(c.shown) for c in measure.bundle_cases(corpus)} | {measure.GOOD_NAME}
    assert all(code in {str(c) for c in ErrorCode} for codes in errors.values() for code in codes)


@pytest.mark.timeout(300)
def test_the_good_file_is_read_as_if_alone(bundle_run: dict, tmp_path: Path) -> None:
    alone = tmp_path / measure.GOOD_NAME
    shutil.copyfile(measure.GOOD_INVOICE, alone)
    result = extract_files([alone], options=ExtractOptions(engine=ReplayEngine({}, default=[]), workers=1))
    [doc] = result.documents
    expected = {k: f.value for k, f in doc.fields.items() if isinstance(f.value, (str, int, float, bool))}
    assert expected["invoice_number"] == "76842673"
    assert bundle_run["good_fields"] == expected
    [(_, kind, _)] = [d for d in bundle_run["documents"] if d[0] == measure.GOOD_NAME]
    assert kind == "vat_invoice"


@pytest.mark.timeout(300)
def test_bundle_memory_is_bounded(bundle_run: dict) -> None:
    growth = bundle_run["rss_peak_mib"] - bundle_run["rss_base_mib"]
    assert growth < BUNDLE_RSS_GROWTH_MIB, bundle_run
    assert bundle_run["rss_workers_peak_mib"] < WORKER_RSS_MIB, bundle_run


@pytest.mark.timeout(300)
def test_nothing_is_written_outside_the_temp_dir(bundle_run: dict) -> None:
    assert bundle_run["writes_outside"] == []
    assert not bundle_run["bundle_changed"]


@pytest.mark.timeout(60)
def test_the_write_guard_sees_writes(tmp_path: Path) -> None:
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    code = (
        "import sys, measure; from pathlib import Path; "
        f"seen = measure.guard_writes([Path({str(allowed)!r})]); "
        f"open({str(allowed / 'ok.txt')!r}, 'w').close(); open({str(tmp_path / 'bad.txt')!r}, 'w').close(); "
        "print(len(seen), seen[0] if seen else '')"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=MEASURE.parent,
                          env=_child_env(tmp_path), timeout=50)
    assert proc.stdout.startswith("1 open") and "bad.txt" in proc.stdout, proc.stderr


@pytest.mark.timeout(300)
def test_every_case_alone_is_cheap(tmp_path: Path) -> None:
    """Each case through load_file and render in one fresh process: the code expected,
    and the peak RSS never rises by more than CASE_RSS_GROWTH_MIB on any case."""
    lines = [json.loads(line) for line in _run_measure("loads", tmp_path).stdout.splitlines()]
    assert len(lines) == len(corpus.CASES)
    for row in lines:
        want = row["expect"] or "loads"
        assert row["outcome"].startswith(want), row
        assert row["rss_growth_mib"] < CASE_RSS_GROWTH_MIB, row


# --- docintake check on a hostile bundle ------------------------------------------------------


def _check_bundle(tmp_path: Path, cases: list) -> Path:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    clean = measure.GOOD_INVOICE.parent
    shutil.copyfile(clean / "declared.json", bundle / "declared.json")
    shutil.copyfile(measure.GOOD_INVOICE, bundle / "invoice.pdf")
    for case in cases:
        (bundle / case.name).write_bytes(case.make())
    return bundle


def _run_check(bundle: Path, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "intake.cli", "check", str(bundle), "--json", "--today", "2024-01-01"],
        capture_output=True, env=_child_env(tmp_path), cwd=tmp_path, timeout=250,
    )


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refused_on_disk() -> list:
    # Files refused at load (so no OCR engine is needed), under their names on disk
    # (control characters and 81-character names included; the non-UTF-8 names
    # have their own test below).
    return [c for c in measure.bundle_cases(corpus) if c.expect and not c.display and _utf8(c.name)]


@pytest.mark.timeout(300)
def test_check_cli_still_reports(tmp_path: Path) -> None:
    cases = _refused_on_disk()
    assert any(c.name == corpus.CONTROL_NAME for c in cases)
    bundle = _check_bundle(tmp_path, cases)
    proc = _run_check(bundle, tmp_path)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    report = json.loads(proc.stdout.decode("utf-8"))
    assert report["version"] == 1 and report["verdict"] in ("pass", "flagged", "fail")
    got = {e["file"]: e["error"] for e in report["errors"]}
    for case in cases:
        assert got.get(case.name) == case.expect, case.name
    assert [d["type"] for d in report["documents"] if d["file"] == "invoice.pdf"] == ["vat_invoice"]
    assert sorted(p.name for p in bundle.iterdir()) == sorted([c.name for c in cases] + ["declared.json", "invoice.pdf"])


@pytest.mark.timeout(300)
def test_check_cli_output_is_utf8_with_a_non_utf8_file_name(tmp_path: Path) -> None:
    # a bug once: the name's raw bytes reached the JSON as lone surrogates
    cases = [c for c in corpus.CASES if c.name == corpus.NON_UTF8_NAME]
    bundle = _check_bundle(tmp_path, cases)
    proc = _run_check(bundle, tmp_path)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    json.loads(proc.stdout.decode("utf-8"))  # strict: raises on the name's raw bytes

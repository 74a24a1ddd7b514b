"""A bounded fuzzing run of the file loaders, in the default test run (issue 6).

fuzz/fuzz_loaders.py runs under atheris (libFuzzer) in a child process, seeded with
the bad-input corpus and good samples, for a fixed number of runs and at most a
minute; any input that makes a loader raise anything but InputError, hang past
libFuzzer's per-input timeout or exceed its RSS limit fails the test, and the
input is left in the test's temp dir (``crash-*``, ``timeout-*``, ``oom-*``) to
become a corpus case. Without atheris the same target runs on hypothesis bytes.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "fuzz" / "fuzz_loaders.py"
RUNS = 1000
MAX_SECONDS = int(os.environ.get("DOCINTAKE_FUZZ_SECONDS", "25"))  # longer runs: set it


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(OMP_THREAD_LIMIT="1", PYTHONDONTWRITEBYTECODE="1", TMPDIR=str(tmp), PYTHONPATH=str(ROOT))
    return env


@pytest.mark.timeout(MAX_SECONDS + 180)
def test_fuzz_loaders_bounded_run(tmp_path: Path) -> None:
    seeds, corpus = tmp_path / "seeds", tmp_path / "corpus"
    corpus.mkdir()
    subprocess.run([sys.executable, str(HARNESS), "--seeds", str(seeds)], check=True, env=_env(tmp_path),
                   cwd=tmp_path, timeout=120, capture_output=True)
    if importlib.util.find_spec("atheris") is None:
        argv = [sys.executable, str(HARNESS), "--hypothesis", "300"]
    else:
        argv = [sys.executable, str(HARNESS), f"-runs={RUNS}", f"-max_total_time={MAX_SECONDS}",
                "-max_len=262144", "-timeout=20", "-rss_limit_mb=3072", "-print_final_stats=1",
                f"-artifact_prefix={tmp_path}/", str(corpus), str(seeds)]
    proc = subprocess.run(argv, env=_env(tmp_path), cwd=tmp_path, capture_output=True, text=True,
                          timeout=MAX_SECONDS + 150)
    found = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-", "leak-")))
    assert proc.returncode == 0 and not found, (found, proc.stderr[-4000:])

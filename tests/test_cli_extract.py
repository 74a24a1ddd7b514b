"""`docintake extract` as CONTRACT.md states it: one JSON object, errors per file,
exit 0 when anything was read, 2 when nothing could be."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLES

EINVOICE = next((SAMPLES / "documents" / "einvoice_pdf").glob("*.pdf"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake.cli", "extract", *args],
        capture_output=True, text=True, timeout=300,
    )


def test_json_holds_documents_and_per_file_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    exe = tmp_path / "invoice.pdf.exe.pdf"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    proc = _run(str(EINVOICE), str(empty), str(exe), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)  # exactly one object: json.loads rejects trailing text
    assert out["version"] == 1
    assert [d["type"] for d in out["documents"]] == ["vat_invoice"]
    assert {(e["file"], e["error"]) for e in out["errors"]} == {
        ("empty.pdf", "file_empty"),
        ("invoice.pdf.exe.pdf", "unsupported_type"),
    }
    assert "empty.pdf" in proc.stderr  # errors are also said on stderr


def test_nothing_readable_exits_2_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj <<")
    proc = _run(str(broken), "--json")
    assert proc.returncode == 2
    assert "broken.pdf" in proc.stderr
    assert json.loads(proc.stdout)["errors"][0]["file"] == "broken.pdf"


def test_table_output_marks_fields(tmp_path: Path) -> None:
    proc = _run(str(EINVOICE))
    assert proc.returncode == 0, proc.stderr
    assert "vat_invoice" in proc.stdout and "invoice_number" in proc.stdout


def test_bad_arguments_exit_2() -> None:
    proc = _run("--engine", "nonesuch", str(EINVOICE))
    assert proc.returncode == 2
    assert "bad arguments" in proc.stderr

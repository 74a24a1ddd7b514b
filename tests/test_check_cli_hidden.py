"""A bundle's hidden files are read or reported, never skipped in silence (a bug once)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from intake.cli import main

BUNDLE = Path(__file__).resolve().parent.parent / "samples" / "bundles" / "yichun-2023" / "clean"


def test_hidden_files_are_read_or_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(BUNDLE / "declared.json", tmp_path / "declared.json")
    shutil.copy(BUNDLE / "invoice.pdf", tmp_path / "..evil.pdf")  # how `..\\evil.pdf` lands on disk
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 64)
    assert main(["check", str(tmp_path), "--json", "--today", "2024-09-01"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [d["type"] for d in report["documents"] if d["file"] == "..evil.pdf"] == ["vat_invoice"]
    assert {e["file"]: e["error"] for e in report["errors"]} == {".DS_Store": "unsupported_type"}

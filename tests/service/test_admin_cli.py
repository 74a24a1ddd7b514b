"""`docintake admin`: portals and keys from the command line, on a fresh data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from intake.cli import main


def _admin(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["admin", *args])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


def test_create_use_and_revoke_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "does" / "not" / "exist"  # a bug once: the first command failed on a new directory
    monkeypatch.setenv("DOCINTAKE_DATA_DIR", str(data))
    code, portal = _admin(capsys, "create-portal", "城市门户", "--webhook-url", "http://127.0.0.1:9/hook")
    assert code == 0 and portal["api_key"].startswith("dik_") and portal["webhook_secret"]
    code, again = _admin(capsys, "create-portal", "城市门户")
    assert code == 2  # exists
    code, second = _admin(capsys, "create-key", "城市门户", "--label", "backup")
    assert code == 0
    with TestClient(create_app(Settings(_env_file=None, data_dir=data), background=False)) as client:
        ok = lambda key: client.get("/v1/applications", headers={"X-API-Key": key}).status_code  # noqa: E731
        assert ok(portal["api_key"]) == 200 and ok(second["api_key"]) == 200
        assert _admin(capsys, "revoke-key", second["prefix"])[0] == 0
        assert ok(second["api_key"]) == 401 and ok(portal["api_key"]) == 200
    code, listing = _admin(capsys, "list-portals")
    keys = listing["portals"][0]["keys"]
    assert {k["prefix"]: k["revoked"] for k in keys}[second["prefix"]] is True
    assert portal["api_key"] not in json.dumps(listing)  # only prefixes are ever shown again

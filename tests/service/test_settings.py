"""Settings: every one is documented in .env.example, and URLs are read as promised."""

from __future__ import annotations

import re
from pathlib import Path

from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_env_example() -> None:
    documented = set(re.findall(r"^#?\s*DOCINTAKE_([A-Z_0-9]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert {name.upper() for name in Settings.model_fields} == documented


def test_defaults_are_embedded(tmp_path: Path) -> None:
    s = Settings(_env_file=None, data_dir=tmp_path)
    assert s.sqlalchemy_url == f"sqlite:///{(tmp_path / 'docintake.db').resolve()}"
    assert not s.distributed


def test_plain_postgresql_url_uses_psycopg3(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DOCINTAKE_DATABASE_URL", "postgresql://u:p@127.0.0.1/db")
    monkeypatch.setenv("DOCINTAKE_BROKER_URL", " redis://127.0.0.1:6379/0 ")
    s = Settings(_env_file=None)
    assert s.sqlalchemy_url == "postgresql+psycopg://u:p@127.0.0.1/db"
    assert s.distributed and s.broker_url == "redis://127.0.0.1:6379/0"

"""Settings, read once from the environment (prefix ``DOCINTAKE_``) or a ``.env`` file.

Every setting is listed with its default in ``.env.example``. The defaults need
nothing installed: SQLite in ``./var`` and work done inside the server process.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOCINTAKE_", env_file=".env", extra="ignore")

    # Where things live
    data_dir: Path = Path("var")  # uploads (content-addressed) and the SQLite file
    database_url: str = ""  # empty: sqlite:///<data_dir>/docintake.db
    broker_url: str = ""  # empty: work runs inside the server; redis://…: Celery workers
    lists_dir: Path | None = None  # deployment lists, <program-id>.csv (validators.lists)

    # OCR
    engine: str = "rapidocr"
    ocr_workers: int | None = None  # processes per job; default one per core
    page_timeout_s: float = 120.0

    # Limits on what a portal may send
    max_upload_bytes: int = 50 * MIB  # per file
    max_files_per_request: int = 50
    max_pages_per_file: int = 300
    max_documents_per_application: int = 200
    rate_limit_per_minute: int = 600  # requests per API key

    # Jobs
    job_lease_s: float = 60.0  # renewed while a job runs; a job whose lease ran out is taken up again
    job_max_attempts: int = 3
    job_redispatch_s: float = 60.0  # a queued job nobody took by then is handed on again (broker lost it)
    auto_migrate: bool = True  # run Alembic migrations when serve/worker start

    # Webhooks
    webhook_timeout_s: float = 10.0
    webhook_max_attempts: int = 8
    webhook_backoff_s: float = 5.0  # first retry after this, doubling each time
    housekeeping_interval_s: float = 1.0

    # Review pages
    session_secret: str = Field(default="", repr=False)  # empty: a random one per start
    session_max_age_s: int = 8 * 3600

    @field_validator("broker_url", "database_url")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Plain postgresql:// means psycopg 3 here (psycopg2 is not installed).
            if url.startswith("postgresql://") or url.startswith("postgres://"):
                url = "postgresql+psycopg://" + url.split("://", 1)[1]
            return url
        return f"sqlite:///{(self.data_dir / 'docintake.db').resolve()}"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def distributed(self) -> bool:
        return bool(self.broker_url)

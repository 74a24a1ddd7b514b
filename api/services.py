"""What the routes, the workers and the review pages share, built once per process.

No module globals: ``create_app`` and ``docintake worker`` each build one
``Services`` from ``Settings``, and tests build their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from api.db import Database
from api.ratelimit import RateLimiter
from api.settings import Settings
from api.store import FileStore
from intake.loaders import Limits
from intake.ocr.base import OcrEngine
from intake.ocr.registry import make_engine
from intake.ocr.runner import OcrPool
from intake.pipeline import ExtractOptions


@dataclass
class Services:
    settings: Settings
    db: Database
    store: FileStore
    # An engine object instead of a name: tests put a fake at this seam.
    engine: str | OcrEngine = ""
    limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.engine = self.engine or self.settings.engine
        self.limiter = RateLimiter(self.settings.rate_limit_per_minute)

    @classmethod
    def from_settings(cls, settings: Settings, *, engine: str | OcrEngine = "") -> Services:
        return cls(settings, Database(settings.sqlalchemy_url), FileStore(settings.files_dir), engine)

    @cached_property
    def limits(self) -> Limits:
        return Limits(max_bytes=self.settings.max_upload_bytes, max_pages=self.settings.max_pages_per_file)

    @cached_property
    def ocr_pool(self) -> OcrPool:
        """Warm OCR workers for this process's jobs (models loaded once, not per job)."""
        engine = make_engine(self.engine, long_lived=True) if isinstance(self.engine, str) else self.engine
        return OcrPool(engine, self.settings.ocr_workers)

    def extract_options(self) -> ExtractOptions:
        return ExtractOptions(engine=self.engine, workers=self.settings.ocr_workers,
                              page_timeout_s=self.settings.page_timeout_s, limits=self.limits,
                              pool=self.ocr_pool)

    def close(self) -> None:
        if "ocr_pool" in self.__dict__:
            self.ocr_pool.close()
            del self.__dict__["ocr_pool"]
        self.db.dispose()

"""Shared set-up for the review tests: a migrated database, users, the flagged sample."""

from __future__ import annotations

import argparse
from functools import cache
from pathlib import Path

from sqlalchemy import delete

from api.db import HistoryKey
from api.db.migrate import upgrade
from api.db.review_models import ReviewUser
from api.keys import create_portal
from api.review.auth import hash_password
from api.review.admin import run_admin
from api.review.demo import make_flagged_application
from api.services import Services
from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
PASSWORD = "correct-horse-42"
USERS = {
    "clerk": ("clerk", ["伊春市"]),
    "other": ("clerk", ["广州市"]),
    "boss": ("supervisor", []),
    "root": ("admin", []),
}


OTHER_NAMES = ["伊春市森工木业机械有限公司", "伊春市红星制药有限公司", "伊春鹿鸣矿业装备有限公司",
               "伊春市蓝莓食品加工有限公司"]


def settings_for(tmp: Path, url: str = "") -> Settings:
    return Settings(data_dir=tmp / "var", database_url=url, lists_dir=SAMPLES / "lists",
                    session_secret="test-secret-" + "x" * 20, session_max_age_s=3600, auto_migrate=True)


def add_user(services: Services, name: str, role: str, regions: list[str], password: str = PASSWORD) -> None:
    import io
    import sys

    args = argparse.Namespace(admin_command="create-user", name=name, role=role, region=regions,
                              display_name="", password_stdin=True)
    old = sys.stdin
    sys.stdin = io.StringIO(password + "\n")
    try:
        with services.db.session() as s:
            run_admin(args, s)
    finally:
        sys.stdin = old


@cache
def _hash(password: str) -> str:
    return hash_password(password)


def seed(settings: Settings, *, samples: int = 1) -> tuple[Services, list[str]]:
    """Migrate, add the users, a portal and ``samples`` flagged applications; their ids."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.sqlalchemy_url)
    services = Services.from_settings(settings)
    with services.db.session() as s:  # argon2 is slow on purpose: hash the test password once
        for name, (role, regions) in USERS.items():
            s.add(ReviewUser(name=name, display_name=name, role=role, regions=regions,
                             password_hash=_hash(PASSWORD), active=True))
    ids = []
    with services.db.session() as s:
        portal, _ = create_portal(s, "test-portal")
        for i in range(samples):  # the first is the sample the tests work; the others fill the queue
            app = make_flagged_application(services, s, portal.id, SAMPLES, received_days_ago=3 + 7 * i,
                                           applicant=None if i == 0 else OTHER_NAMES[(i - 1) % len(OTHER_NAMES)])
            ids.append(app.id)
            if i:  # fillers: the same documents, but they must not count as earlier uses of them
                s.execute(delete(HistoryKey).where(HistoryKey.application_id == app.id))
        # one in another region: the clerk of 伊春市 must not see it
        other = make_flagged_application(services, s, portal.id, SAMPLES, region="广州市",
                                         applicant="广州某某科技有限公司")
        s.execute(delete(HistoryKey).where(HistoryKey.application_id == other.id))
        ids.append(other.id)
    return services, ids

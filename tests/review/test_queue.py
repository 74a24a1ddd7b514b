"""The queue is sorted and paged by the database, in the order the Python rule gives."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import event, select

from api.db import Application, Portal
from api.review import service
from api.review.auth import CurrentUser
from api.review.deadlines import REVIEW_PERIODS, due_date, received_on, today_china
from api.review.service import QUEUE_STATUSES, QueueFilter
from tests.review.conftest import Env

CLERK = CurrentUser("u1", "clerk", "clerk", "clerk", ["伊春市"], "t")
BOSS = CurrentUser("u3", "boss", "boss", "supervisor", [], "t")
PROGRAMS = [*REVIEW_PERIODS, "some-new-program"]  # the last has the default period
# UTC times around China midnight (16:00 UTC) and the ends of the day
TIMES = [time(0, 0), time(15, 59, 59), time(16, 0), time(23, 59, 59)]


def _add_applications(env: Env, days: int) -> None:
    """Applications of every program received over ``days`` days up to two days from now."""
    first = datetime.combine(today_china() - timedelta(days=days - 2), time(), UTC)
    with env.services.db.session() as s:
        portal_id = s.scalar(select(Portal.id))
        n = 0
        for day in range(days):
            for k, at in enumerate(TIMES):
                received = datetime.combine(first.date() + timedelta(days=day), at, UTC)
                program = PROGRAMS[(day + k) % len(PROGRAMS)]
                # some were submitted again after creation: the submission counts
                created = received - timedelta(days=3) if n % 3 == 0 else received
                s.add(Application(portal_id=portal_id, program=program, region="伊春市" if n % 2 else "大庆市",
                                  applicant_name=f"队列测试{n:04d}有限公司", credit_code="", declared={},
                                  status=["checked", "reupload_requested", "approved"][n % 3], verdict="flagged",
                                  created_at=created, submitted_at=received if created != received else None))
                n += 1


def _expected(env: Env, user: CurrentUser, *, overdue: bool = False, status: str = "") -> list[tuple[str, str, str]]:
    """The queue as the Python rule orders it: (deadline, day received, id)."""
    today = today_china()
    statuses = [status] if status else [str(x) for x in QUEUE_STATUSES]
    with env.services.db.session() as s:
        apps = s.scalars(select(Application).where(Application.status.in_(statuses)))
        keyed = [(due_date(a.program, a.submitted_at, a.created_at), received_on(a.submitted_at, a.created_at), a.id)
                 for a in apps if user.may_see(a.region)]
    return [(d.isoformat(), r.isoformat(), i) for d, r, i in sorted(keyed) if not overdue or d < today]


def _pages(env: Env, user: CurrentUser, page_size: int, **flt: object) -> tuple[list[tuple[str, str, str]], int]:
    rows: list[tuple[str, str, str]] = []
    with env.services.db.session() as s:
        first = service.queue(s, user, QueueFilter(**flt), page_size=page_size)  # type: ignore[arg-type]
        for page in range(1, first.pages + 1):
            flt_page = QueueFilter(page=page, **flt)  # type: ignore[arg-type]
            result = service.queue(s, user, flt_page, page_size=page_size)
            assert result.total == first.total
            for r in result.rows:
                assert r.days_left == (r.due - today_china()).days and r.overdue == (r.due < today_china())
                rows.append((r.due.isoformat(), r.received.isoformat(), r.app.id))
    return rows, first.overdue_total


def test_the_database_orders_the_queue_as_the_python_deadline_rule(env: Env) -> None:
    _add_applications(env, days=22)  # every weekday of receipt, for every program, at the day's edges
    everyone = _expected(env, BOSS)
    rows, overdue_total = _pages(env, BOSS, 25)
    assert rows == everyone
    assert overdue_total == len(_expected(env, BOSS, overdue=True)) > 0
    assert _pages(env, BOSS, 25, overdue=True)[0] == _expected(env, BOSS, overdue=True)
    assert _pages(env, CLERK, 10)[0] == _expected(env, CLERK)
    assert _pages(env, BOSS, 25, status="approved")[0] == _expected(env, BOSS, status="approved")
    with env.services.db.session() as s:  # past the last page: the last page
        last = service.queue(s, BOSS, QueueFilter(page=999), page_size=25)
        assert last.page == last.pages
        assert [r.app.id for r in last.rows] == [i for _, _, i in everyone[-len(last.rows):]]


def test_the_supervisors_queue_reads_one_page_not_every_open_application(env: Env) -> None:
    if env.settings.sqlalchemy_url.startswith("sqlite"):
        pytest.skip("psycopg counts the rows a query returns; sqlite3 does not")
    _add_applications(env, days=40)
    counts: list[int] = []

    def rows_returned(conn, cursor, *args) -> None:  # type: ignore[no-untyped-def]
        counts.append(cursor.rowcount)

    engine = env.services.db.engine
    event.listen(engine, "after_cursor_execute", rows_returned)
    try:
        with env.services.db.session() as s:
            result = service.queue(s, BOSS, QueueFilter(), page_size=20)
    finally:
        event.remove(engine, "after_cursor_execute", rows_returned)
    assert result.total > 60 and len(result.rows) == 20
    assert max(counts) <= 20, counts

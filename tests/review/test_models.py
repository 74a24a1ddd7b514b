"""The review tables on both databases: migrations 0002 and 0003, append-only audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DatabaseError

from api.db.migrate import downgrade, upgrade
from api.db.review_models import (AppendOnlyError, AuditEvent, CarriedCorrection, ChecklistTick, FieldCorrection,
                                  FindingDecision, ReviewUser)
from tests.review.conftest import Env

REVIEW_TABLES = {"review_users", "review_audit", "review_corrections", "review_finding_decisions",
                 "review_checklist_ticks", "review_carried_corrections"}


def test_migration_creates_the_tables(env: Env) -> None:
    names = set(inspect(env.services.db.engine).get_table_names())
    assert REVIEW_TABLES <= names
    with env.services.db.session() as s:
        assert s.scalar(select(ReviewUser).where(ReviewUser.name == "clerk")).regions == ["伊春市"]


def test_audit_rows_cannot_be_changed_through_the_orm(env: Env) -> None:
    with env.services.db.session() as s:
        s.add(AuditEvent(application_id=env.app_id, actor="clerk", role="clerk", action="approve", reason="x"))
    with pytest.raises(AppendOnlyError):
        with env.services.db.session() as s:
            ev = s.scalars(select(AuditEvent).where(AuditEvent.actor == "clerk")).first()
            ev.reason = "changed"
    with pytest.raises(AppendOnlyError):
        with env.services.db.session() as s:
            s.delete(s.scalars(select(AuditEvent)).first())


TABLES = ["review_audit", "review_finding_decisions", "review_checklist_ticks", "review_corrections"]


def test_the_database_refuses_update_and_delete(env: Env) -> None:
    """Even SQL typed by hand cannot rewrite history: a trigger refuses it (both databases)."""
    with env.services.db.session() as s:
        s.add(AuditEvent(application_id=env.app_id, actor="clerk", role="clerk", action="approve"))
        s.add(FindingDecision(application_id=env.app_id, finding_key="k", rule="r", severity="warning",
                              decision="override", reason="because", actor="clerk"))
        s.add(ChecklistTick(application_id=env.app_id, rule="r", done=True, actor="clerk"))
        s.execute(text("INSERT INTO review_corrections (application_id, file, field, old_value, new_value, "
                       "actor, reason, at) VALUES (:a, 'f', 'x', '1', '2', 'clerk', '', CURRENT_TIMESTAMP)"),
                  {"a": env.app_id})
    for table in TABLES:
        for sql in (f"UPDATE {table} SET actor = 'mallory'", f"DELETE FROM {table}"):
            with pytest.raises(DatabaseError, match="append-only"):
                with env.services.db.engine.begin() as conn:
                    conn.execute(text(sql))
        with env.services.db.engine.connect() as conn:
            assert conn.execute(text(f"SELECT count(*) FROM {table} WHERE actor = 'mallory'")).scalar() == 0
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() >= 1


def test_what_became_of_corrections_cannot_be_rewritten_either(env: Env) -> None:
    with env.services.db.session() as s:
        c = FieldCorrection(application_id=env.app_id, file="f.pdf", field="total", old_value="1", new_value="2",
                            actor="clerk")
        s.add(c)
        s.flush()
        s.add(CarriedCorrection(application_id=env.app_id, correction_id=c.id, job_run="r", file="f.pdf",
                                field="total", outcome="dropped", why="file_replaced"))
    with pytest.raises(AppendOnlyError):
        with env.services.db.session() as s:
            s.scalars(select(CarriedCorrection)).first().outcome = "reapplied"
    for sql in ("UPDATE review_carried_corrections SET outcome = 'reapplied'",
                "DELETE FROM review_carried_corrections"):
        with pytest.raises(DatabaseError, match="append-only"):
            with env.services.db.engine.begin() as conn:
                conn.execute(text(sql))
    with env.services.db.engine.connect() as conn:
        assert conn.execute(text("SELECT outcome FROM review_carried_corrections")).scalars().all() == ["dropped"]


def test_downgrade_and_upgrade_again(env: Env) -> None:
    env.services.db.dispose()
    url = env.settings.sqlalchemy_url
    downgrade(url, "0001")
    assert not REVIEW_TABLES & set(inspect(env.services.db.engine).get_table_names())
    upgrade(url)
    assert REVIEW_TABLES <= set(inspect(env.services.db.engine).get_table_names())

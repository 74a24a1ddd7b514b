"""review: what became of clerks' corrections at a re-submission (re-applied or dropped)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

Append-only like the other review tables: the trigger function of 0002 on PostgreSQL,
RAISE(ABORT) triggers on SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLE = "review_carried_corrections"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("correction_id", sa.Integer(), sa.ForeignKey("review_corrections.id"), nullable=False),
        sa.Column("job_run", sa.String(36), nullable=False),
        sa.Column("run_after", sa.String(36), nullable=True),
        sa.Column("file", sa.String(300), nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("read_value", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("why", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(f"ix_{TABLE}_application_id", TABLE, ["application_id"])
    # The same append-only triggers as 0002 writes, spelled out again on purpose: a
    # migration is a frozen record, and one importing another's helper would change
    # when that helper does. PostgreSQL's trigger function comes from 0002.
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
                   f"FOR EACH ROW EXECUTE FUNCTION review_append_only()")
        op.execute(f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION review_append_only()")
    elif dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
                       f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
    elif dialect == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{verb}")
    op.drop_index(f"ix_{TABLE}_application_id", table_name=TABLE)
    op.drop_table(TABLE)

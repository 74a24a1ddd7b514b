"""The fault tests' private PostgreSQL survives being killed outright and starts again."""

from __future__ import annotations

import psycopg
import pytest

from tests.service.infra import PrivatePostgres

pytestmark = pytest.mark.heavy


def test_a_killed_private_postgres_starts_again() -> None:
    pg = PrivatePostgres()
    try:
        pg.start()
        dsn = f"host=127.0.0.1 port={pg.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as c:
            assert c.execute("select 1").fetchone() == (1,)
        pg._kill()  # what stop() falls back to when pg_ctl does not finish in time
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(dsn, connect_timeout=3)
        pg.start()
        with psycopg.connect(dsn) as c:
            assert c.execute("select 2").fetchone() == (2,)
    finally:
        pg.destroy()

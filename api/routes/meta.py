"""Health and the programs this deployment knows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import ServicesDep
from validators import builtin_programs, default_table, load_policy

router = APIRouter(tags=["meta"])


@router.get("/healthz", summary="Liveness and database reachability")
def healthz(services: ServicesDep) -> Any:
    with services.db.session() as s:
        s.execute(text("SELECT 1"))
    return {"ok": True, "mode": "celery" if services.settings.distributed else "embedded"}


@router.get("/v1/programs", summary="The programs applications may be made under")
def programs() -> Any:
    table = default_table()
    out = []
    for pid in builtin_programs():
        p = load_policy(pid, table)
        out.append({"id": p.id, "name": p.name})
    return {"programs": out}

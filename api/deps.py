"""FastAPI dependencies: the services, the calling portal (API key + rate limit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from api.db import Portal
from api.errors import ApiCode, ApiError
from api.keys import portal_for_key
from api.services import Services


def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_portal(
    services: ServicesDep,
    authorization: Annotated[str | None, Header(description="Bearer <API key>")] = None,
    x_api_key: Annotated[str | None, Header(description="or the API key alone")] = None,
) -> Portal:
    key = x_api_key or ""
    if not key and authorization and authorization.lower().startswith("bearer "):
        key = authorization[7:].strip()
    with services.db.session() as s:
        portal = portal_for_key(s, key) if key else None
    if portal is None:
        raise ApiError(401, ApiCode.UNAUTHORIZED, "缺少或无效的 API 密钥 / missing or invalid API key",
                       headers={"WWW-Authenticate": "Bearer"})
    allowed, wait = services.limiter.allow(portal.id)
    if not allowed:
        raise ApiError(429, ApiCode.RATE_LIMITED, "请求过于频繁 / too many requests",
                       {"retry_after_s": round(wait, 1)}, headers={"Retry-After": str(max(1, round(wait)))})
    return portal


PortalDep = Annotated[Portal, Depends(get_portal)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200,
                                              description="repeat a POST safely: the first answer is replayed")]

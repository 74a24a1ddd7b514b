"""Idempotency keys: a POST repeated with the same ``Idempotency-Key`` gets the first
answer again instead of acting twice; the same key with a different request is a
409. Keys are per portal and kept with the answer in the database.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.db import IdempotencyRecord
from api.errors import ApiCode, ApiError

REPLAY_HEADER = "Idempotent-Replayed"


def fingerprint(method: str, path: str, *parts: bytes | str) -> str:
    h = hashlib.sha256(f"{method} {path}".encode())
    for p in parts:
        h.update(b"\x00")
        h.update(p.encode() if isinstance(p, str) else p)
    return h.hexdigest()


def replay(s: Session, portal_id: str, key: str | None, fp: str) -> JSONResponse | None:
    """The stored answer for this key, or None if the key is new (or absent)."""
    if not key:
        return None
    rec = s.scalar(select(IdempotencyRecord).where(IdempotencyRecord.portal_id == portal_id,
                                                   IdempotencyRecord.key == key))
    if rec is None:
        return None
    if rec.fingerprint != fp:
        raise ApiError(409, ApiCode.IDEMPOTENCY_CONFLICT,
                       "该幂等键已用于另一个请求 / this Idempotency-Key was used for a different request")
    return JSONResponse(rec.body, rec.status_code, headers={REPLAY_HEADER: "true"})


def remember(s: Session, portal_id: str, key: str | None, fp: str, status: int, body: Any) -> JSONResponse:
    """Store the answer with the key (in the caller's transaction) and return it."""
    data = jsonable_encoder(body)
    if key:
        try:
            with s.begin_nested():
                s.add(IdempotencyRecord(portal_id=portal_id, key=key, fingerprint=fp, status_code=status, body=data))
        except IntegrityError:  # a concurrent request with the same key won: replay its answer
            s.rollback()
            raise ApiError(409, ApiCode.IDEMPOTENCY_CONFLICT,
                           "同一幂等键的请求正在处理 / a request with this Idempotency-Key is in progress") from None
    return JSONResponse(data, status)

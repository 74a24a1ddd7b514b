"""One JSON shape for every error the API returns, with a stable code.

    {"error": {"code": "not_found", "message": "申请不存在 / application not found",
               "detail": {...}}}

Codes are never renamed (portals branch on them); file problems reuse
``intake.errors.ErrorCode`` so the CLI and the API say the same thing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from intake.errors import IntakeError


class ApiCode(StrEnum):
    UNAUTHORIZED = "unauthorized"
    NOT_FOUND = "not_found"
    VALIDATION = "validation_error"
    BAD_DECLARED = "bad_declared"
    UNKNOWN_PROGRAM = "unknown_program"
    WRONG_STATE = "wrong_state"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    TOO_MANY_FILES = "too_many_files"
    NO_FILES = "no_files"
    BAD_MULTIPART = "bad_multipart"
    RATE_LIMITED = "rate_limited"
    NOT_READY = "not_ready"
    INTERNAL = "internal_error"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, detail: Any = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, str(code), message, detail
        self.headers = headers


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": str(code), "message": message}
    if detail is not None:
        body["detail"] = detail
    return {"error": body}


def not_found(what_zh: str, what_en: str) -> ApiError:
    return ApiError(404, ApiCode.NOT_FOUND, f"{what_zh}不存在 / {what_en} not found")


_STATUS_CODES = {
    400: ApiCode.VALIDATION, 401: ApiCode.UNAUTHORIZED, 404: ApiCode.NOT_FOUND,
    405: ApiCode.VALIDATION, 413: ApiCode.PAYLOAD_TOO_LARGE, 429: ApiCode.RATE_LIMITED,
}


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, exc.detail), exc.status, headers=exc.headers)

    @app.exception_handler(IntakeError)
    async def _intake_error(_: Request, exc: IntakeError) -> JSONResponse:
        detail = {"file": exc.file} if exc.file else None
        return JSONResponse(error_body(exc.code, exc.message, detail), exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        return JSONResponse(
            error_body(ApiCode.VALIDATION, "请求参数有误 / the request is invalid", problems), 422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, ApiCode.VALIDATION if exc.status_code < 500 else ApiCode.INTERNAL)
        return JSONResponse(error_body(code, str(exc.detail)), exc.status_code, headers=exc.headers)

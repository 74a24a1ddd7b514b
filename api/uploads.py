"""Receiving uploads: the multipart body is parsed as it streams in and each file part
is written straight into the file store — nothing is held whole in memory, and a
part over the size limit is dropped (reported by name) while the others go on.

After a part is stored it is looked at the way the pipeline will open it
(``intake.loaders.inspect``: type sniffed from the bytes, page and pixel limits),
so a corrupt, encrypted or disguised file is refused at once with its reason,
instead of surprising the applicant after the check.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from api.errors import ApiCode, ApiError
from api.store import BlobWriter, FileStore, StoredBlob, clean_filename
from intake.errors import ErrorCode, IntakeError
from intake.loaders import Limits
from intake.loaders.inspect import inspect_file

log = logging.getLogger(__name__)

MAX_FIELD_BYTES = 64 * 1024  # non-file fields (none are needed; bounded anyway)


@dataclass
class Received:
    filename: str
    blob: StoredBlob
    kind: str = ""
    pages: int | None = None


@dataclass(frozen=True)
class Rejected:
    filename: str
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"filename": self.filename, "code": self.code, "message": self.message}


@dataclass
class _Part:
    filename: str | None = None
    is_file: bool = False
    writer: BlobWriter | None = None
    size: int = 0
    too_large: bool = False


@dataclass
class UploadBatch:
    received: list[Received] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


async def receive_files(request: Request, store: FileStore, *, max_bytes: int, max_files: int) -> UploadBatch:
    content_type = request.headers.get("content-type", "")
    ctype, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise ApiError(415, ApiCode.BAD_MULTIPART,
                       "请以 multipart/form-data 上传文件 / upload files as multipart/form-data")
    batch = UploadBatch()
    state = {"part": _Part(), "header_field": b"", "header_value": b"", "headers": {}, "files": 0}

    def on_part_begin() -> None:
        state["part"] = _Part()
        state["headers"] = {}

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["header_field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["header_value"] += data[start:end]

    def on_header_end() -> None:
        state["headers"][state["header_field"].lower()] = state["header_value"]
        state["header_field"], state["header_value"] = b"", b""

    def on_headers_finished() -> None:
        part: _Part = state["part"]
        _, disp = parse_options_header(state["headers"].get(b"content-disposition", b""))
        if b"filename" in disp:
            part.is_file = True
            part.filename = clean_filename(disp[b"filename"].decode("utf-8", "replace"))
            state["files"] += 1
            if state["files"] > max_files:
                raise ApiError(413, ApiCode.TOO_MANY_FILES,
                               f"一次最多上传 {max_files} 个文件 / at most {max_files} files per request")
            part.writer = store.writer()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        part: _Part = state["part"]
        n = end - start
        part.size += n
        if not part.is_file:
            if part.size > MAX_FIELD_BYTES:
                raise ApiError(413, ApiCode.PAYLOAD_TOO_LARGE, "表单字段过大 / form field too large")
            return
        if part.too_large:
            return
        if part.size > max_bytes:
            part.too_large = True
            part.writer.abort()
            return
        part.writer.write(data[start:end])

    def on_part_end() -> None:
        part: _Part = state["part"]
        if not part.is_file:
            return
        if part.too_large:
            batch.rejected.append(Rejected(
                part.filename, str(ErrorCode.FILE_TOO_LARGE),
                f"{part.filename} 文件过大（上限 {max_bytes // (1024 * 1024)} MiB）/ {part.filename} is too large "
                f"(limit {max_bytes // (1024 * 1024)} MiB)"))
            return
        batch.received.append(Received(part.filename, part.writer.commit()))
        part.writer = None

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_part_data": on_part_data, "on_part_end": on_part_end,
        "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished,
    })
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except ApiError:
        _abort(state["part"])
        raise
    except Exception as exc:  # malformed multipart
        _abort(state["part"])
        raise ApiError(400, ApiCode.BAD_MULTIPART, f"上传内容格式错误 / malformed multipart body: {exc}"[:300]) from exc
    if not batch.received and not batch.rejected:
        raise ApiError(422, ApiCode.NO_FILES, "请求中没有文件 / no files in the request")
    return batch


def _abort(part: _Part) -> None:
    if part.writer is not None:
        part.writer.abort()


def inspect_upload(item: Received, limits: Limits) -> Rejected | None:
    """Look at the stored file as the pipeline will; a reason to refuse it, or None."""
    try:
        facts = inspect_file(item.blob.path, limits=limits, display_name=item.filename)
    except IntakeError as exc:
        return Rejected(item.filename, str(exc.code), exc.message)
    item.kind, item.pages = facts.kind, facts.pages
    return None

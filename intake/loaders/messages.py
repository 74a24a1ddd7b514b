"""Bilingual, file-naming error messages for everything the loaders refuse.

Clerks read the Chinese, portal developers and logs the English; both name the file
so a message still makes sense once it is separated from the upload it came from.
"""

from __future__ import annotations

from intake.errors import ErrorCode, InputError


def input_error(code: ErrorCode, name: str | None, zh: str, en: str) -> InputError:
    """An :class:`InputError` reading ``「name」zh / name en`` (or ``zh / en`` without a name).

    ``zh`` is written to follow the quoted file name directly (``已加密…``), ``en``
    to follow the bare name as a predicate (``is encrypted…``).
    """
    if name:
        message = f"「{name}」{zh} / {name} {en}"
    else:
        message = f"{zh} / {en}"
    return InputError(message, code=code, file=name)


def short_reason(exc: BaseException, limit: int = 200, *, hide: str | None = None) -> str:
    """A library exception as one short line, for a message.

    ``hide`` (the server-side path) is cut out: libraries like to start their
    messages with it, and users should see their own file name, not our disk.
    """
    text = str(exc)
    if hide:
        text = text.replace(f"{hide}: ", "").replace(hide, "…")
    text = " ".join(text.split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"

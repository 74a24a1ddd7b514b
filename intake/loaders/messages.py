"""Bilingual, file-naming error messages for everything the loaders refuse.

Clerks read the Chinese, portal developers and logs the English; both name the file
so a message still makes sense once it is separated from the upload it came from.
"""

from __future__ import annotations

import re

from intake.errors import ErrorCode, InputError

MAX_NAME_CHARS = 120  # of a file name quoted in a message; the rest is elided

# Characters a name must not smuggle into a terminal, a log line or a JSON writer:
# C0/C1 controls (newlines, ANSI escapes), bidi overrides ("invoice\u202efdp.exe"
# reads as "invoiceexe.pdf") and lone surrogates (bytes of a name that was not
# UTF-8 on disk, surrogate-escaped by Python; they cannot be encoded as UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


_OPEN_FILE = re.compile(r"(?:stream )?<_io\.\w+ name='…'>:? ?")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # one undecodable byte of the name on disk
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable_name(name: str) -> str:
    """A file name as it may be shown: every unprintable character escaped
    (``\\x1b``, ``\\u202e``, ``\\xff`` for a byte that was not UTF-8; slashes are
    just characters here, the name never becomes a path), and at most ``MAX_NAME_CHARS`` characters
    (the middle elided, so the extension still shows)."""
    text = _UNPRINTABLE.sub(_escape, name)
    if len(text) > MAX_NAME_CHARS:
        text = text[: MAX_NAME_CHARS - 31] + "…" + text[-30:]
    return text


def input_error(code: ErrorCode, name: str | None, zh: str, en: str) -> InputError:
    """An :class:`InputError` reading ``「name」zh / name en`` (or ``zh / en`` without a name).

    ``zh`` is written to follow the quoted file name directly (``已加密…``), ``en``
    to follow the bare name as a predicate (``is encrypted…``). The name is shown
    through :func:`printable_name`; ``file`` keeps it as given.
    """
    if name:
        shown = printable_name(name)
        message = f"「{shown}」{zh} / {shown} {en}"
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
        # Also as repr() shows it (an open file's name in a library's message).
        for form in dict.fromkeys((hide, repr(hide)[1:-1])):
            text = text.replace(f"{form}: ", "").replace(form, "…")
        text = _OPEN_FILE.sub("", text)  # "stream <_io.BufferedReader name='…'>: "
    text = _UNPRINTABLE.sub(_escape, " ".join(text.split())) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"

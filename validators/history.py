"""What one application shares with earlier ones: invoices, bank serials, the company, files.

The checks never read a database: the service hands them a ``History`` — for each
key this application has, the other applications that had it — and stores this
application's own keys (``keys_of``) once its check has run. Without a history
(the command line), the rules that need one go to the clerk's checklist.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from intake.model import DocType, Document
from validators.declared import Declared
from validators.model import Evidence


class KeyKind(StrEnum):
    INVOICE = "invoice"  # invoice code + number (number alone on e-invoices)
    BANK_SERIAL = "bank_serial"  # the bank's transaction serial on a payment receipt
    COMPANY = "company"  # the applicant's credit code, per program
    FILE = "file"  # SHA-256 of an uploaded file


@dataclass(frozen=True)
class Key:
    kind: KeyKind
    value: str
    evidence: Evidence | None = None


@dataclass(frozen=True)
class PriorUse:
    application_id: str  # "" when the caller may not see it (another portal's application)
    program: str
    status: str  # "" likewise
    created_on: str  # ISO date, for the message


@dataclass(frozen=True)
class History:
    """Other applications that used each of this application's keys."""

    uses: Mapping[tuple[str, str], Sequence[PriorUse]] = field(default_factory=dict)
    file_hashes: Mapping[str, str] = field(default_factory=dict)  # file name in the bundle → sha256

    def prior(self, key: Key) -> Sequence[PriorUse]:
        return self.uses.get((str(key.kind), key.value), ())


_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def _norm(text: object) -> str:
    return _NOT_ALNUM.sub("", str(text).upper()) if text is not None else ""


def keys_of(documents: Sequence[Document], declared: Declared,
            file_hashes: Mapping[str, str] | None = None) -> list[Key]:
    """Every key of this application, each once, with where it was read."""
    keys: dict[tuple[KeyKind, str], Key] = {}

    def add(kind: KeyKind, value: str, evidence: Evidence | None) -> None:
        if value and (kind, value) not in keys:
            keys[(kind, value)] = Key(kind, value, evidence)

    for doc in documents:
        if doc.type is DocType.VAT_INVOICE:
            number = doc.fields.get("invoice_number")
            code = doc.fields.get("invoice_code")
            num = _norm(number.value) if number else ""
            if len(num) >= 8:  # a fragment would match unrelated invoices
                key = f"{_norm(code.value)}-{num}" if code and _norm(code.value) else num
                add(KeyKind.INVOICE, key, Evidence.of_field(doc, "invoice_number", number))
        elif doc.type is DocType.PAYMENT_RECEIPT:
            serial = doc.fields.get("serial_number")
            value = _norm(serial.value) if serial else ""
            if len(value) >= 8:
                add(KeyKind.BANK_SERIAL, value, Evidence.of_field(doc, "serial_number", serial))
    code = _norm(declared.applicant.credit_code)
    if not code:
        for doc in documents:
            fld = doc.fields.get("credit_code") if doc.type is DocType.BUSINESS_LICENCE else None
            if fld is not None and _norm(fld.value):
                code = _norm(fld.value)
                break
    if code:
        add(KeyKind.COMPANY, f"{declared.program}:{code}", None)
    for name, sha in sorted((file_hashes or {}).items()):
        add(KeyKind.FILE, sha, Evidence(name))
    return list(keys.values())

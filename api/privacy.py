"""Identity-card numbers never leave the service in plain text (CONTRACT.md: never
logged, masked wherever a clerk has not opened the card). The stored check result
keeps them; every API answer goes through ``mask_result`` first."""

from __future__ import annotations

import re
from typing import Any

from validators.model import MASKED_FIELDS, mask_value

# An 18-character resident ID number anywhere in free text (page text of "other" documents).
_ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9])")


def mask_text(text: str) -> str:
    return _ID_NUMBER.sub(lambda m: mask_value(m.group(0)), text)


def mask_result(result: dict[str, Any]) -> dict[str, Any]:
    """A copy of a check result (or extraction result) safe to send to a portal."""
    out = dict(result)
    docs = []
    for doc in result.get("documents", []):
        doc = dict(doc)
        fields = {}
        for name, fld in doc.get("fields", {}).items():
            if name in MASKED_FIELDS and isinstance(fld, dict):
                fld = {**fld, "value": mask_value(fld.get("value")),
                       "raw": mask_text(fld["raw"]) if isinstance(fld.get("raw"), str) else fld.get("raw")}
            fields[name] = fld
        doc["fields"] = fields
        if isinstance(doc.get("text"), str):
            doc["text"] = mask_text(doc["text"])
        docs.append(doc)
    if "documents" in result:
        out["documents"] = docs
    for key in ("findings", "checklist"):
        if key in result:
            out[key] = [_mask_messages(x) for x in result[key]]
    return out


def _mask_messages(item: dict[str, Any]) -> dict[str, Any]:
    item = dict(item)
    if isinstance(item.get("message"), str):
        item["message"] = mask_text(item["message"])
    return item

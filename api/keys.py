"""Portal API keys: ``dik_<prefix>_<secret>``; the database keeps the prefix and a SHA-256.

The secret is 32 random bytes, so a fast hash is enough (as for any high-entropy
token): a slow password hash would cost every request tens of milliseconds and
protect nothing more. Passwords (review pages) use Argon2 instead.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db import ApiKey, Portal, utcnow

PREFIX = "dik"


@dataclass(frozen=True)
class IssuedKey:
    key: str  # shown once, never stored
    prefix: str
    portal_id: str


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(s: Session, portal: Portal, label: str = "") -> IssuedKey:
    prefix = secrets.token_hex(6)
    key = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    s.add(ApiKey(portal_id=portal.id, prefix=prefix, key_hash=_hash(key), label=label))
    s.flush()
    return IssuedKey(key, prefix, portal.id)


def create_portal(s: Session, name: str, webhook_url: str | None = None) -> tuple[Portal, IssuedKey]:
    portal = Portal(name=name, webhook_url=webhook_url, webhook_secret=secrets.token_urlsafe(32))
    s.add(portal)
    s.flush()
    return portal, issue_key(s, portal, "initial")


def revoke_key(s: Session, prefix: str) -> bool:
    row = s.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def portal_for_key(s: Session, key: str) -> Portal | None:
    """The portal a presented key belongs to, or None (unknown, malformed or revoked)."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 12:
        return None
    row = s.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.key_hash, _hash(key)):
        return None
    return row.portal

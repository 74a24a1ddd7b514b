"""Sign-in, sessions and CSRF for the review pages.

The session is a cookie signed with itsdangerous (``Settings.session_secret``; a
random secret per start when empty, so a restart signs everyone out). It holds the
user id, the time of sign-in and a per-session CSRF token; it is refused once
``Settings.session_max_age_s`` have passed since sign-in, and the user is looked up
again on every request (a disabled user is out at once). Every POST carries the
CSRF token in a hidden field, compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from api.db.review_models import ReviewUser, Role

COOKIE = "docintake_review"
LANG_COOKIE = "docintake_lang"
_hasher = PasswordHasher()
# A hash to verify against when the user does not exist: same time either way.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass
class CurrentUser:
    id: str
    name: str
    display_name: str
    role: str
    regions: list[str]
    csrf: str

    @property
    def all_regions(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    def may_see(self, region: str) -> bool:
        return self.all_regions or region in self.regions


@dataclass
class SessionCodec:
    secret: str
    max_age_s: int
    secure: bool = False
    _serializer: URLSafeTimedSerializer = field(init=False)

    def __post_init__(self) -> None:
        self._serializer = URLSafeTimedSerializer(self.secret or secrets.token_urlsafe(32), salt="review-session")

    def issue(self, response: Response, user_id: str, password_hash: str) -> None:
        payload = {"uid": user_id, "csrf": secrets.token_urlsafe(24), "at": int(time.time()),
                   "pwv": password_version(password_hash)}
        response.set_cookie(COOKIE, self._serializer.dumps(payload), max_age=self.max_age_s, path="/review",
                            httponly=True, samesite="lax", secure=self.secure)

    def clear(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path="/review")

    def read(self, request: Request) -> dict | None:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            data = self._serializer.loads(raw, max_age=self.max_age_s)
        except BadSignature:  # also SignatureExpired: older than max_age since sign-in
            return None
        if not isinstance(data, dict) or not data.get("uid") or not data.get("csrf"):
            return None
        return data


def password_version(password_hash: str) -> str:
    """Changes with the password: a new password signs out the sessions made with the old one."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def authenticate(s: Session, name: str, password: str) -> ReviewUser | None:
    user = s.scalar(select(ReviewUser).where(ReviewUser.name == name.strip()))
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def current_user(s: Session, data: dict | None) -> CurrentUser | None:
    if data is None:
        return None
    user = s.get(ReviewUser, data["uid"])
    if user is None or not user.active or data.get("pwv") != password_version(user.password_hash):
        return None
    return CurrentUser(user.id, user.name, user.display_name or user.name, user.role, list(user.regions or []),
                       data["csrf"])


def csrf_ok(user: CurrentUser, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(user.csrf.encode(), str(token).encode())

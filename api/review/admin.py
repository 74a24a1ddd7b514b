"""``docintake admin create-user | set-password | disable-user | list-users``.

Hooked into ``api/cli.py`` by ``add_admin_subcommands(adsub)`` and ``run_admin(args, s)``.
A password is read from ``--password-stdin`` (one line) or made up and printed once.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.review_models import AuditEvent, ReviewUser, Role
from api.review.auth import hash_password
from intake.errors import ErrorCode, InputError

COMMANDS = ("create-user", "set-password", "disable-user", "enable-user", "list-users")
MIN_PASSWORD = 10


def add_admin_subcommands(adsub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cu = adsub.add_parser("create-user", help="create a review-page user (clerk, supervisor, admin)")
    cu.add_argument("name")
    cu.add_argument("--role", choices=[r.value for r in Role], default=Role.CLERK.value)
    cu.add_argument("--region", action="append", default=[],
                    help="a region the clerk reviews (Application.region, e.g. 伊春市); repeat for several")
    cu.add_argument("--display-name", default="")
    cu.add_argument("--password-stdin", action="store_true", help="read the password from stdin (else one is made up)")
    sp = adsub.add_parser("set-password", help="set a user's password")
    sp.add_argument("name")
    sp.add_argument("--password-stdin", action="store_true")
    for cmd, what in (("disable-user", "sign a user out for good (kept for the audit trail)"),
                      ("enable-user", "let a disabled user sign in again")):
        adsub.add_parser(cmd, help=what).add_argument("name")
    adsub.add_parser("list-users", help="review-page users with their roles and regions")


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    if getattr(args, "password_stdin", False):
        pw = sys.stdin.readline().rstrip("\n")
        if len(pw) < MIN_PASSWORD:
            raise InputError(f"密码至少 {MIN_PASSWORD} 个字符 / the password needs {MIN_PASSWORD} characters or more",
                             code=ErrorCode.BAD_ARGUMENTS)
        return pw, False
    return secrets.token_urlsafe(12), True


def _user(s: Session, name: str) -> ReviewUser:
    user = s.scalar(select(ReviewUser).where(ReviewUser.name == name))
    if user is None:
        raise InputError(f"用户不存在 / no user {name!r}", code=ErrorCode.BAD_ARGUMENTS)
    return user


def _log(s: Session, action: str, user: ReviewUser, after: dict[str, Any] | None = None) -> None:
    s.add(AuditEvent(application_id=None, actor="system", role="cli", action=action, target=user.name, after=after))


def run_admin(args: argparse.Namespace, s: Session) -> dict[str, Any] | None:
    """The command's output, or None when ``args.admin_command`` is not one of these."""
    cmd = getattr(args, "admin_command", None)
    if cmd not in COMMANDS:
        return None
    if cmd == "list-users":
        return {"users": [{"name": u.name, "display_name": u.display_name, "role": u.role, "regions": u.regions,
                           "active": u.active} for u in s.scalars(select(ReviewUser).order_by(ReviewUser.name))]}
    if cmd == "create-user":
        name = args.name.strip()
        if not name or len(name) > 100:
            raise InputError("用户名无效 / invalid user name", code=ErrorCode.BAD_ARGUMENTS)
        if s.scalar(select(ReviewUser).where(ReviewUser.name == name)) is not None:
            raise InputError(f"用户已存在 / user {name!r} exists", code=ErrorCode.BAD_ARGUMENTS)
        regions = [r.strip() for r in args.region if r.strip()]
        if args.role == Role.CLERK and not regions:
            raise InputError("审核员至少需要一个地区 / a clerk needs at least one --region",
                             code=ErrorCode.BAD_ARGUMENTS)
        pw, made_up = _password(args)
        user = ReviewUser(name=name, display_name=args.display_name or name, role=args.role, regions=regions,
                          password_hash=hash_password(pw), active=True)
        s.add(user)
        s.flush()
        _log(s, "create_user", user, {"role": user.role, "regions": regions})
        out: dict[str, Any] = {"name": name, "role": user.role, "regions": regions}
        if made_up:
            out["password"] = pw  # shown once; only its argon2 hash is kept
        return out
    user = _user(s, args.name)
    if cmd == "set-password":
        pw, made_up = _password(args)
        user.password_hash = hash_password(pw)
        _log(s, "set_password", user)
        return {"name": user.name, **({"password": pw} if made_up else {})}
    user.active = cmd == "enable-user"
    _log(s, cmd.replace("-", "_"), user, {"active": user.active})
    return {"name": user.name, "active": user.active}

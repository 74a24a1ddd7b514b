"""``docintake serve``, ``docintake worker`` and ``docintake admin …``.

Imports of the web stack happen inside the commands: ``docintake extract`` must not
pay for FastAPI, SQLAlchemy or Celery.
"""

from __future__ import annotations

import argparse
import json
import sys


def add_subcommands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sv = sub.add_parser("serve", help="start the API (and review pages); settings from DOCINTAKE_* variables")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)

    wk = sub.add_parser("worker", help="start a Celery worker (needs DOCINTAKE_BROKER_URL)")
    wk.add_argument("--concurrency", type=int, default=1, help="jobs at once (each uses every core for OCR)")
    wk.add_argument("--loglevel", default="INFO")

    ad = sub.add_parser("admin", help="portals and API keys, database migrations")
    adsub = ad.add_subparsers(dest="admin_command", required=True)
    pc = adsub.add_parser("create-portal", help="create a portal and print its first API key and webhook secret")
    pc.add_argument("name")
    pc.add_argument("--webhook-url", default=None)
    pw = adsub.add_parser("set-webhook", help="set or clear a portal's webhook URL")
    pw.add_argument("portal", help="portal name or id")
    pw.add_argument("url", nargs="?", default=None)
    kc = adsub.add_parser("create-key", help="issue another API key for a portal")
    kc.add_argument("portal", help="portal name or id")
    kc.add_argument("--label", default="")
    kr = adsub.add_parser("revoke-key", help="revoke a key by its prefix (the part after dik_)")
    kr.add_argument("prefix")
    adsub.add_parser("list-portals", help="portals with their keys (prefixes only)")
    adsub.add_parser("migrate", help="bring the database to the newest schema")
    from api.review.admin import add_admin_subcommands  # review-page users: create-user, …

    add_admin_subcommands(adsub)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.settings import Settings

    settings = Settings()
    if settings.distributed:
        print(f"docintake: jobs go to Celery workers via {_safe_url(settings.broker_url)}", file=sys.stderr)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from api.db.migrate import upgrade
    from api.jobs.celery_app import run_worker
    from api.jobs.work import run_job
    from api.services import Services
    from api.settings import Settings
    from intake.errors import ErrorCode, InputError

    settings = Settings()
    if not settings.distributed:
        raise InputError("需要设置 DOCINTAKE_BROKER_URL / set DOCINTAKE_BROKER_URL (e.g. redis://127.0.0.1:6379/0)",
                         code=ErrorCode.BAD_ARGUMENTS)
    if settings.auto_migrate:
        upgrade(settings.sqlalchemy_url)
    services = Services.from_settings(settings)
    try:
        run_worker(settings, lambda job_id: run_job(services, job_id), concurrency=args.concurrency,
                   loglevel=args.loglevel)
    finally:
        services.close()
    return 0


def cmd_admin(args: argparse.Namespace) -> int:
    from sqlalchemy import or_, select

    from api.db import ApiKey, Database, Portal
    from api.db.migrate import upgrade
    from api.keys import create_portal, issue_key, revoke_key
    from api.review.admin import run_admin
    from api.settings import Settings
    from intake.errors import ErrorCode, InputError

    settings = Settings()
    upgrade(settings.sqlalchemy_url)
    if args.admin_command == "migrate":
        print("docintake: database is at the newest schema", file=sys.stderr)
        return 0
    db = Database(settings.sqlalchemy_url)

    def find_portal(s, ref: str) -> Portal:  # type: ignore[no-untyped-def]
        portal = s.scalar(select(Portal).where(or_(Portal.id == ref, Portal.name == ref)))
        if portal is None:
            raise InputError(f"门户不存在 / no portal {ref!r}", code=ErrorCode.BAD_ARGUMENTS)
        return portal

    with db.session() as s:
        if (review_out := run_admin(args, s)) is not None:  # a review-page user command
            out = review_out
        elif args.admin_command == "create-portal":
            if s.scalar(select(Portal).where(Portal.name == args.name)) is not None:
                raise InputError(f"门户已存在 / portal {args.name!r} exists", code=ErrorCode.BAD_ARGUMENTS)
            portal, key = create_portal(s, args.name, args.webhook_url)
            out = {"portal_id": portal.id, "name": portal.name, "api_key": key.key,
                   "webhook_secret": portal.webhook_secret, "webhook_url": portal.webhook_url}
        elif args.admin_command == "set-webhook":
            portal = find_portal(s, args.portal)
            portal.webhook_url = args.url
            out = {"portal_id": portal.id, "webhook_url": portal.webhook_url}
        elif args.admin_command == "create-key":
            key = issue_key(s, find_portal(s, args.portal), args.label)
            out = {"portal_id": key.portal_id, "api_key": key.key, "prefix": key.prefix}
        elif args.admin_command == "revoke-key":
            if not revoke_key(s, args.prefix):
                raise InputError(f"没有有效的密钥 / no active key with prefix {args.prefix!r}",
                                 code=ErrorCode.BAD_ARGUMENTS)
            out = {"revoked": args.prefix}
        else:  # list-portals
            out = {"portals": [
                {"id": p.id, "name": p.name, "webhook_url": p.webhook_url,
                 "keys": [{"prefix": k.prefix, "label": k.label, "revoked": k.revoked_at is not None}
                          for k in s.scalars(select(ApiKey).where(ApiKey.portal_id == p.id))]}
                for p in s.scalars(select(Portal).order_by(Portal.created_at))
            ]}
    db.dispose()
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def _safe_url(url: str) -> str:
    """A URL with any password hidden, for logs."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


COMMANDS = {"serve": cmd_serve, "worker": cmd_worker, "admin": cmd_admin}

"""Sign-in, sessions, CSRF, roles and regions, over HTTP (Starlette's test client, SQLite)."""

from __future__ import annotations

import argparse
import io
import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from openpyxl import load_workbook
from sqlalchemy import select

from api.app import create_app
from api.db.review_models import AuditEvent, ReviewUser
from api.review.admin import add_admin_subcommands, run_admin
from tests.review.conftest import Env
from tests.review.helpers import PASSWORD


@pytest.fixture
def client(sqlite_env: Env) -> Iterator[TestClient]:
    app = create_app(sqlite_env.settings, services=sqlite_env.services, background=False)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def sign_in(c: TestClient, name: str = "clerk", password: str = PASSWORD, nxt: str = "/review/") -> str:
    page = c.get(f"/review/login?next={nxt}")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = c.post("/review/login", data={"csrf": token, "name": name, "password": password, "next": nxt},
               follow_redirects=False)
    return r.headers["location"]


def csrf_of(c: TestClient, path: str = "/review/") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(path).text).group(1)


def test_pages_need_a_signed_in_user(client: TestClient, sqlite_env: Env) -> None:
    r = client.get(f"/review/applications/{sqlite_env.app_id}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/review/login?next=/review/applications/")
    r = client.post(f"/review/applications/{sqlite_env.app_id}/approve", data={}, follow_redirects=False)
    assert r.status_code == 303 and "/review/login" in r.headers["location"]
    assert client.get(f"/review/applications/{sqlite_env.app_id}/packet.pdf",
                      follow_redirects=False).status_code == 303
    assert sign_in(client, password="wrong password") .startswith("/review/login?err=bad")
    assert sign_in(client, name="nobody").startswith("/review/login?err=bad")
    # the next page is a path of this site only
    assert sign_in(client, nxt="//evil.example/") == "/review/"
    with sqlite_env.services.db.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.application_id.is_(None)))]
    assert actions.count("sign_in_failed") == 2 and "sign_in" in actions
    # guessing is slowed down: after five failures the name is refused for a while, right password or not
    for _ in range(3):
        sign_in(client, name="boss", password="guess")
    for _ in range(3):
        sign_in(client, name="nobody", password="guess")
    assert sign_in(client, name="boss", password="guess").startswith("/review/login?err=bad")
    assert sign_in(client, name="boss", password="guess").startswith("/review/login?err=bad")
    assert sign_in(client, name="boss").startswith("/review/login?err=bad")  # locked
    assert sign_in(client, name="root") == "/review/"  # others are not


def test_every_post_needs_the_session_csrf_token(client: TestClient, sqlite_env: Env) -> None:
    r = client.post("/review/login", data={"name": "clerk", "password": PASSWORD}, follow_redirects=False)
    assert "err=expired" in r.headers["location"]  # no login token either
    sign_in(client)
    url = f"/review/applications/{sqlite_env.app_id}/reject"
    assert client.post(url, data={"reason": "x"}).status_code == 403
    assert client.post(url, data={"reason": "x", "csrf": "forged"}).status_code == 403
    with sqlite_env.services.db.session() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "reject")).all() == []
    r = client.post(url, data={"reason": "材料不全", "csrf": csrf_of(client)}, follow_redirects=False)
    assert r.status_code == 303 and "msg=rejected" in r.headers["location"]


def test_a_clerk_sees_only_their_regions(client: TestClient, sqlite_env: Env) -> None:
    sign_in(client)
    queue = client.get("/review/").text
    assert sqlite_env.app_id in queue and sqlite_env.other_region_id not in queue
    assert client.get(f"/review/applications/{sqlite_env.other_region_id}").status_code == 404
    assert client.get(f"/review/applications/{sqlite_env.other_region_id}/packet.pdf").status_code == 404
    r = client.post(f"/review/applications/{sqlite_env.other_region_id}/reject",
                    data={"reason": "x", "csrf": csrf_of(client)})
    assert r.status_code == 404
    assert client.get("/review/users").status_code == 403


def test_sessions_expire_and_end_with_a_new_password_or_a_disabled_user(client: TestClient, sqlite_env: Env,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    max_age = sqlite_env.settings.session_max_age_s
    with monkeypatch.context() as m:  # a session made longer ago than session_max_age_s
        m.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - max_age - 5)
        sign_in(client)
    assert client.get("/review/", follow_redirects=False).status_code == 303
    sign_in(client)
    assert client.get("/review/", follow_redirects=False).status_code == 200
    parser = argparse.ArgumentParser()
    add_admin_subcommands(parser.add_subparsers(dest="admin_command"))
    with sqlite_env.services.db.session() as s:
        out = run_admin(parser.parse_args(["set-password", "clerk"]), s)
    assert client.get("/review/", follow_redirects=False).status_code == 303  # the old password's session
    sign_in(client, password=out["password"])
    assert client.get("/review/", follow_redirects=False).status_code == 200
    with sqlite_env.services.db.session() as s:
        run_admin(parser.parse_args(["disable-user", "clerk"]), s)
    assert client.get("/review/", follow_redirects=False).status_code == 303
    r = client.post("/review/logout", data={}, follow_redirects=False)
    assert "/review/login" in r.headers["location"]


def test_admin_command_creates_users_with_hashed_passwords(sqlite_env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    parser = argparse.ArgumentParser()
    add_admin_subcommands(parser.add_subparsers(dest="admin_command"))
    with sqlite_env.services.db.session() as s:
        out = run_admin(parser.parse_args(["create-user", "li", "--role", "clerk", "--region", "伊春市",
                                           "--region", "大庆市"]), s)
        assert out["regions"] == ["伊春市", "大庆市"] and len(out["password"]) >= 12
        user = s.scalar(select(ReviewUser).where(ReviewUser.name == "li"))
        assert user.password_hash.startswith("$argon2id$") and out["password"] not in user.password_hash
        assert run_admin(argparse.Namespace(admin_command="migrate"), s) is None  # the lead's command
        from intake.errors import InputError

        with pytest.raises(InputError):
            run_admin(parser.parse_args(["create-user", "wang", "--role", "clerk"]), s)  # a clerk needs a region
        with pytest.raises(InputError):
            run_admin(parser.parse_args(["create-user", "li", "--role", "admin"]), s)
        monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
        with pytest.raises(InputError):
            run_admin(parser.parse_args(["create-user", "zhao", "--role", "admin", "--password-stdin"]), s)
        names = [u["name"] for u in run_admin(parser.parse_args(["list-users"]), s)["users"]]
        assert "li" in names and "zhao" not in names


def test_english_switch_users_page_and_exports(client: TestClient, sqlite_env: Env) -> None:
    sign_in(client, name="root")
    assert "待审队列" in client.get("/review/").text
    r = client.get("/review/lang/en?next=/review/users", follow_redirects=False)
    assert r.headers["location"] == "/review/users"
    page = client.get("/review/users").text
    assert "Users" in page and "clerk" in page and "伊春市" in page
    assert "Queue" in client.get("/review/").text
    app_page = client.get(f"/review/applications/{sqlite_env.app_id}").text
    assert "Findings" in app_page and "the payee is the declared supplier" in app_page
    r = client.get("/review/exports/settlement.csv?program=yichun-2023")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    r = client.get("/review/exports/settlement.xlsx?program=yichun-2023&start=2020-01-01&end=2030-12-31")
    assert load_workbook(io.BytesIO(r.content)).active.cell(3, 1).value.startswith("企业名称")
    assert client.get("/review/exports/settlement.xlsx?program=nope").status_code == 404
    assert client.get("/review/exports/settlement.csv?program=yichun-2023&start=2024-13-01").status_code == 400


def test_there_is_no_way_to_edit_or_delete_the_audit_trail(client: TestClient, sqlite_env: Env) -> None:
    sign_in(client, name="root")
    base = f"/review/applications/{sqlite_env.app_id}"
    token = csrf_of(client)
    for method in ("PUT", "PATCH", "DELETE"):
        assert client.request(method, base).status_code in (404, 405)
        assert client.request(method, base + "/audit").status_code in (404, 405)
    assert client.post(base + "/audit", data={"csrf": token}).status_code == 404
    routes = {getattr(r, "path", "") for r in client.app.routes}
    assert not [p for p in routes if "audit" in p]

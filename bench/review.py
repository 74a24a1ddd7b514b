"""Review pages benchmark: what deciding a flagged application costs a clerk, and how
fast each page is with 10,000 applications in PostgreSQL.

    python -m bench.review [--pg postgresql://docintake:docintake@127.0.0.1:5432/postgres]
                           [--apps 10000] [--samples 30] [--max-seconds 300] [--no-browser] [--keep]

1. Clicks: Chromium (Playwright, /usr/bin/chromium) works the flagged sample of
   ``api.review.demo`` from sign-in to approval, as a clerk would (correct the misread
   total, override the near-miss payee with a reason, tick the manual checks, approve),
   counting clicks, fields typed and page loads (HTML documents; images apart).
2. Page times: a throwaway PostgreSQL database gets ``--apps`` synthetic applications
   (bulk-inserted: 4 programs, 20 regions, mixed statuses and verdicts, each with its
   uploads, a full check result, invoice history keys; the approved ones with their
   audit event). The server runs in a thread (uvicorn, embedded mode); each page is
   requested ``--samples`` times in turn by one client (httpx) and timed end to end;
   p50, p95 and max are printed. A clerk sees one region (~1/20 of the rows); the
   supervisor sees all. ``--max-seconds`` bounds the sampling: a page that runs out of
   time reports what it has.
"""

from __future__ import annotations

import argparse
import random
import re
import socket
import statistics
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.progress import log

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PASSWORD = "bench-password-42"
PROGRAMS = ["yichun-2023", "guangdong-2018-voucher", "hebei-2018-benchmark", "inner-mongolia-2019-voucher"]
REGIONS = ["伊春市"] + [f"地区{i:02d}" for i in range(1, 20)]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


# --- set-up ---------------------------------------------------------------------------------


def make_database(admin_url: str) -> str:
    import psycopg

    name = f"docintake_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(settings: Any, n_apps: int) -> tuple[Any, str, list[str]]:
    """Users, the flagged sample (with real files), ``n_apps`` synthetic copies. Returns
    (services, sample id, synthetic ids)."""
    from sqlalchemy import insert

    from api.db import Application, CheckRun, HistoryKey, Upload
    from api.db.migrate import upgrade
    from api.db.review_models import AuditEvent, ReviewUser
    from api.keys import create_portal
    from api.review.auth import hash_password
    from api.review.demo import make_flagged_application
    from api.services import Services

    upgrade(settings.sqlalchemy_url)
    services = Services.from_settings(settings)
    h = hash_password(PASSWORD)
    with services.db.session() as s:
        for name, role, regions in (("clerk", "clerk", ["伊春市"]), ("boss", "supervisor", [])):
            s.add(ReviewUser(name=name, display_name=name, role=role, regions=regions, password_hash=h, active=True))
        portal, _ = create_portal(s, "bench-portal")
        sample = make_flagged_application(services, s, portal.id, SAMPLES, received_days_ago=30)
        sample_id, portal_id = sample.id, portal.id
    with services.db.session() as s:
        app = s.get(Application, sample_id)
        run = s.get(CheckRun, app.current_run_id)
        template_result, template_files = run.result, run.files
        uploads = [(u.filename, u.sha256, u.size, u.kind, u.pages) for u in
                   s.query(Upload).filter(Upload.application_id == sample_id).order_by(Upload.created_at)]
        declared = app.declared
    rnd = random.Random(5)
    now = datetime.now(UTC)
    statuses = ["checked"] * 60 + ["reupload_requested"] * 10 + ["approved"] * 15 + ["rejected"] * 10 + ["queued"] * 5
    verdicts = ["fail"] * 35 + ["flagged"] * 45 + ["pass"] * 20
    ids: list[str] = []
    chunk = 1000
    t0 = time.perf_counter()
    for start in range(0, n_apps, chunk):
        apps, ups, runs, keys, events = [], [], [], [], []
        for i in range(start, min(n_apps, start + chunk)):
            aid, rid = str(uuid.uuid4()), str(uuid.uuid4())
            received = now - timedelta(days=rnd.uniform(0, 40), seconds=rnd.uniform(0, 86400))
            status, verdict = rnd.choice(statuses), rnd.choice(verdicts)
            name = f"合成测试{i:05d}科技有限公司"
            code = f"91{rnd.randrange(10**15):015d}X"
            files = {}
            for fname, sha, size, kind, pages in uploads:
                uid = str(uuid.uuid4())
                ups.append(dict(id=uid, application_id=aid, filename=fname, sha256=sha, size=size, kind=kind,
                                pages=pages, status="active", created_at=received))
                files[fname] = {**template_files[fname], "upload_id": uid}
            apps.append(dict(id=aid, portal_id=portal_id, program=rnd.choice(PROGRAMS), region=rnd.choice(REGIONS),
                             applicant_name=name, credit_code=code,
                             declared={**declared, "applicant": {**declared["applicant"], "name": name}},
                             status=status, verdict=verdict, errors=rnd.randrange(0, 4), warnings=rnd.randrange(0, 5),
                             eligible_subsidy=18000, requested_subsidy=18000, current_run_id=rid, created_at=received,
                             updated_at=received, submitted_at=received, checked_at=received))
            runs.append(dict(id=rid, application_id=aid, job_id=None, verdict=verdict, result=template_result,
                             files=files, created_at=received))
            keys.append(dict(application_id=aid, program="yichun-2023", kind="invoice",
                             key=f"{rnd.randrange(10**19, 10**20)}", created_at=received))
            if status == "approved":
                events.append(dict(application_id=aid, actor="boss", role="supervisor", action="approve", target="",
                                   before={"status": "checked"}, after={"status": "approved"}, reason="",
                                   at=received + timedelta(days=2)))
            ids.append(aid)
        with services.db.session() as s:
            s.execute(insert(Application), apps)
            s.execute(insert(Upload), ups)
            s.execute(insert(CheckRun), runs)
            s.execute(insert(HistoryKey), keys)
            if events:
                s.execute(insert(AuditEvent), events)
        log(f"  {min(n_apps, start + chunk)} / {n_apps} applications ({time.perf_counter() - t0:.0f} s)")
    with services.db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return services, sample_id, ids


class Server:
    def __init__(self, app: Any):
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


# --- 1. clicks -----------------------------------------------------------------------------


def count_clicks(base: str, sample_id: str) -> dict[str, int]:
    from playwright.sync_api import sync_playwright

    counts = {"clicks": 0, "fields typed": 0, "page loads": 0, "images": 0}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.set_default_timeout(30_000)

        def on_response(resp: Any) -> None:
            if resp.request.resource_type == "document" and resp.status < 300:  # not the redirects
                counts["page loads"] += 1
            elif resp.request.resource_type == "image":
                counts["images"] += 1

        page.on("response", on_response)

        def click(sel: Any) -> None:
            counts["clicks"] += 1
            (page.click(sel) if isinstance(sel, str) else sel.click())

        def fill(sel: Any, text: str) -> None:
            counts["fields typed"] += 1
            (page.fill(sel, text) if isinstance(sel, str) else sel.fill(text))

        page.goto(base + "/review/")  # the bookmark: counts as the first page load
        fill("input[name=name]", "clerk")
        fill("input[name=password]", PASSWORD)
        click("button.primary")
        page.wait_for_load_state()
        fill("input[name=q]", "黑龙江翔达")  # find it among ~500 of the region
        click("form.filters button.primary")
        page.wait_for_load_state()
        click(f"a[href='/review/applications/{sample_id}']")
        page.wait_for_load_state("networkidle")
        form = page.locator("section.findings form.correct:has(input[name=field][value=total])").first
        fill(form.locator("input[name=value]"), "18000.00")
        click(form.locator("button"))
        page.wait_for_url(re.compile(".*msg=corrected.*"))
        finding = page.locator("article.finding").first
        fill(finding.locator("form.decide input[name=reason]"), "银行回单印刷错字，已核实")
        click(finding.locator("form.decide button[value=override]"))
        page.wait_for_url(re.compile(".*msg=decided.*"))
        for box in page.locator("#checklist input[type=checkbox]").all():
            counts["clicks"] += 1
            box.check()
        click("#checklist button")
        page.wait_for_url(re.compile(".*msg=ticked.*"))
        if page.locator("form[action$='/approve'] button").is_disabled():
            raise RuntimeError("approval still blocked: " + page.inner_text("#decide") + " findings: " + " // ".join(page.locator("article.finding header").all_inner_texts()))
        click("form[action$='/approve'] button")
        page.wait_for_url(re.compile(".*msg=approved.*"))
        assert "approved" in page.url or "已批准" in page.inner_text(".titlebar")
        browser.close()
    return counts


# --- 2. page times -------------------------------------------------------------------------


def sign_in(client: Any, name: str) -> str:
    page = client.get("/review/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = client.post("/review/login", data={"csrf": token, "name": name, "password": PASSWORD, "next": "/review/"})
    r.raise_for_status()
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/review/").text).group(1)


def timed(label: str, fn: Any, n: int, deadline: float, results: list[tuple[str, list[float]]]) -> None:
    times: list[float] = []
    for i in range(n):
        if time.monotonic() > deadline and times:
            break
        t = time.perf_counter()
        r = fn(i)
        times.append(time.perf_counter() - t)
        if r is not None and r.status_code >= 400:
            raise RuntimeError(f"{label}: HTTP {r.status_code}")
    results.append((label, times))
    log(f"  {label}: {len(times)} samples")


def page_times(base: str, ids: list[str], region_ids: list[str], n: int, max_seconds: float) -> list[tuple[str, list[float]]]:
    import httpx

    from api.review import images

    def cold() -> None:  # the server runs in this process: forget rendered pages
        images._page.cache_clear()
        images.page_with_boxes.cache_clear()
        images.crop.cache_clear()

    results: list[tuple[str, list[float]]] = []
    rnd = random.Random(7)
    deadline = time.monotonic() + max_seconds
    per_page = max_seconds / 16
    with httpx.Client(base_url=base, timeout=120) as anon:
        timed("sign-in page", lambda i: anon.get("/review/login"), n, time.monotonic() + per_page, results)
    clerk = httpx.Client(base_url=base, timeout=120, follow_redirects=True)
    boss = httpx.Client(base_url=base, timeout=120, follow_redirects=True)
    t = time.perf_counter()
    csrf = sign_in(clerk, "clerk")
    results.append(("sign in (argon2, POST + redirect)", [time.perf_counter() - t]))
    sign_in(boss, "boss")
    dl = lambda: min(deadline, time.monotonic() + per_page)  # noqa: E731
    timed("queue, clerk (1 region)", lambda i: clerk.get("/review/"), n, dl(), results)
    timed(f"queue, supervisor (all {len(ids):,})", lambda i: boss.get("/review/"), n, dl(), results)
    timed("queue, supervisor, page 20", lambda i: boss.get("/review/?page=20"), n, dl(), results)
    timed("queue, filter program+region", lambda i: boss.get(f"/review/?program=yichun-2023&region=地区{1 + i % 19:02d}"),
          n, dl(), results)
    timed("queue, search company name", lambda i: boss.get(f"/review/?q=合成测试{rnd.randrange(len(ids)):05d}"), n,
          dl(), results)
    timed("queue, search invoice number", lambda i: boss.get("/review/?q=24232000000413666084"), n, dl(), results)
    timed("application page", lambda i: clerk.get(f"/review/applications/{region_ids[i % len(region_ids)]}"), n,
          dl(), results)
    # images: the first render of a page is the slow part; afterwards the LRU answers
    page_html = clerk.get(f"/review/applications/{region_ids[0]}").text
    crops = re.findall(r'src="(/review/applications/[^"]+/crops/[^"]+\.png)"', page_html)
    pages = re.findall(r'src="(/review/applications/[^"]+/pages/[^"]+\.png[^"]*)"', page_html)
    timed("evidence crop (PNG), page not rendered yet", lambda i: (cold(), clerk.get(crops[i % len(crops)]))[1],
          max(3, n // 3), dl(), results)
    timed("full page with boxes (PNG), not rendered yet",
          lambda i: (cold(), clerk.get(pages[i % len(pages)].replace("&amp;", "&")))[1], max(3, n // 3), dl(), results)
    for url in crops + pages:  # warm the cache for the "cached" rows
        clerk.get(url.replace("&amp;", "&"))
    timed("evidence crop (PNG), cached", lambda i: clerk.get(crops[i % len(crops)]), n, dl(), results)
    timed("full page with boxes (PNG), cached", lambda i: clerk.get(pages[i % len(pages)].replace("&amp;", "&")), n,
          dl(), results)
    checked = [a for a in region_ids]
    timed("correct a field (re-run checks)", lambda i: clerk.post(
        f"/review/applications/{checked[i % len(checked)]}/correct",
        data={"csrf": csrf, "file": "receipt.pdf", "field": "payee_name", "value": f"伊春林都云信息技术有限公司{i}",
              "reason": "bench"}), n, dl(), results)
    today = datetime.now(UTC).date()
    period = f"start={(today - timedelta(days=60)).isoformat()}&end={today.isoformat()}"
    timed("settlement list page", lambda i: boss.get(f"/review/exports?program={PROGRAMS[i % 4]}&{period}"), n, dl(),
          results)
    timed("settlement XLSX", lambda i: boss.get(f"/review/exports/settlement.xlsx?program={PROGRAMS[i % 4]}&{period}"),
          n, dl(), results)
    timed("evidence packet PDF (crops cached)",
          lambda i: clerk.get(f"/review/applications/{region_ids[i % len(region_ids)]}/packet.pdf"),
          max(3, n // 5), dl(), results)
    clerk.close()
    boss.close()
    return results


def pct(values: list[float], p: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pg", default="postgresql://docintake:docintake@127.0.0.1:5432/postgres",
                    help="a PostgreSQL URL whose role may CREATE DATABASE (a throwaway one is made)")
    ap.add_argument("--apps", type=int, default=10_000)
    ap.add_argument("--samples", type=int, default=30, help="requests per page")
    ap.add_argument("--max-seconds", type=float, default=300, help="bound on the timing part")
    ap.add_argument("--no-browser", action="store_true", help="skip the click count")
    ap.add_argument("--keep", action="store_true", help="keep the database")
    args = ap.parse_args(argv)

    import tempfile

    from api.app import create_app
    from api.settings import Settings

    name = make_database(args.pg)
    url = args.pg.rsplit("/", 1)[0] + "/" + name
    tmp = Path(tempfile.mkdtemp(prefix="bench-review-"))
    try:
        settings = Settings(data_dir=tmp, database_url=url, lists_dir=SAMPLES / "lists", auto_migrate=False,
                            session_secret="bench-" + uuid.uuid4().hex)
        log(f"seeding {args.apps} applications into {name} …")
        t = time.perf_counter()
        services, sample_id, ids = seed(settings, args.apps)
        seed_s = time.perf_counter() - t
        with services.db.session() as s:
            from sqlalchemy import select

            from api.db import Application

            region_ids = list(s.scalars(select(Application.id).where(
                Application.region == "伊春市", Application.status == "checked", Application.id != sample_id).limit(200)))
        app = create_app(settings, services=services, background=False)
        with Server(app) as base:
            clicks = None if args.no_browser else count_clicks(base, sample_id)
            results = page_times(base, ids, region_ids, args.samples, args.max_seconds)
        print(f"\nReview pages, {args.apps:,} synthetic applications in PostgreSQL (seeded in {seed_s:.0f} s); "
              f"one client, sequential requests, wall clock per request\n")
        if clicks:
            print("Deciding the flagged sample (sign-in → search → correct → override → 6 checks → approve):\n")
            print("| clicks | fields typed | page loads (HTML) | images loaded |")
            print("|---:|---:|---:|---:|")
            print(f"| {clicks['clicks']} | {clicks['fields typed']} | {clicks['page loads']} | {clicks['images']} |\n")
        print("| page | n | p50 ms | p95 ms | max ms |")
        print("|---|---:|---:|---:|---:|")
        for label, times in results:
            ms = [x * 1000 for x in times]
            print(f"| {label} | {len(ms)} | {statistics.median(ms):.0f} | {pct(ms, 95):.0f} | {max(ms):.0f} |")
        services.db.dispose()
    finally:
        if not args.keep:
            drop_database(args.pg, name)
        else:
            log(f"kept database {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

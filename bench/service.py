"""Service benchmark: applications pushed through the HTTP API, embedded and Celery modes.

    python -m bench.service [--apps N] [--modes embedded,celery] [--bundle DIR]

For each mode the service is started as it is deployed (``docintake serve`` in a
subprocess; for Celery also PostgreSQL, Redis and two ``docintake worker``
processes with one OCR process each, so the two cores are shared the same way),
and this process acts as the portal: it creates N applications from a sample
bundle, uploads its files, submits them all, then polls until every one has a
verdict while a reader thread times ``GET /v1/applications/{id}`` throughout.

Printed (markdown): applications per hour, pages per minute, p50/p95 seconds from
upload to verdict, p95 latency of reads during the work, and beside them the bare
OCR engine's time for the same raster pages (RapidOCR called directly, one process
per core): the floor for this design, so the service's overhead shows.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "samples" / "bundles" / "yichun-2023" / "clean"
PG_SERVER = os.environ.get("DOCINTAKE_TEST_POSTGRES_URL", "postgresql://docintake:docintake@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("DOCINTAKE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _bundle_files(bundle: Path) -> list[Path]:
    return sorted(p for p in bundle.iterdir() if p.is_file() and p.suffix.lower() in (".pdf", ".jpg", ".png"))


def _raster_pages(files: list[Path]) -> list:
    from intake.loaders import load_file

    return [p for f in files for p in load_file(f) if p.segments is None]


def bare_ocr_seconds(files: list[Path], copies: int) -> tuple[float, int]:
    """Wall time of the bare engine on the bundle's raster pages, ``copies`` times, both cores."""
    from concurrent.futures import ProcessPoolExecutor

    pages = _raster_pages(files)
    images = [p.render() for p in pages] * copies
    workers = os.cpu_count() or 1
    with ProcessPoolExecutor(workers, initializer=_init_engine) as pool:
        list(pool.map(_recognize, images[:workers]))  # model loading, not timed
        t0 = time.perf_counter()
        list(pool.map(_recognize, images))
        return time.perf_counter() - t0, len(images)


_ENGINE = None


def _init_engine() -> None:
    global _ENGINE
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from intake.ocr.registry import make_engine

    _ENGINE = make_engine("rapidocr")


def _recognize(image) -> int:  # type: ignore[no-untyped-def]
    return len(_ENGINE.recognize(image))  # type: ignore[union-attr]


class Service:
    """The service processes for one mode, stopped on exit."""

    def __init__(self, mode: str, workdir: Path, stack: ExitStack):
        self.mode, self.port = mode, _free_port()
        self.env = {**os.environ, "DOCINTAKE_DATA_DIR": str(workdir / "var"), "OMP_THREAD_LIMIT": "1",
                    "DOCINTAKE_RATE_LIMIT_PER_MINUTE": "0"}
        self.procs: list[subprocess.Popen] = []
        if mode == "celery":
            import psycopg
            import redis

            db = f"docintake_bench_{os.getpid()}"
            with psycopg.connect(PG_SERVER.replace("postgresql+psycopg", "postgresql"), autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
                c.execute(f'CREATE DATABASE "{db}"')
            stack.callback(self._drop_db, db)
            redis.Redis.from_url(REDIS_URL).flushdb()
            self.env.update(DOCINTAKE_DATABASE_URL=PG_SERVER.rsplit("/", 1)[0] + f"/{db}",
                            DOCINTAKE_BROKER_URL=REDIS_URL, DOCINTAKE_OCR_WORKERS="1")
        stack.callback(self.stop)
        out = json.loads(self._run("admin", "create-portal", "bench"))
        self.key = out["api_key"]
        self._spawn("serve", "--port", str(self.port), log=workdir / "serve.log")
        if mode == "celery":
            for i in range(2):
                self._spawn("worker", log=workdir / f"worker{i}.log")
        self._wait_ready()

    def _run(self, *args: str) -> str:
        return subprocess.run([sys.executable, "-m", "intake.cli", *args], env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def _spawn(self, *args: str, log: Path) -> None:
        self.procs.append(subprocess.Popen([sys.executable, "-m", "intake.cli", *args], env=self.env,
                                           stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True))

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    time.sleep(3 if self.mode == "celery" else 0)  # workers connect to the broker
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError("the service did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)

    @staticmethod
    def _drop_db(db: str) -> None:
        import psycopg

        with psycopg.connect(PG_SERVER.replace("postgresql+psycopg", "postgresql"), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def run_mode(mode: str, apps: int, bundle: Path) -> dict:
    files = _bundle_files(bundle)
    declared = (bundle / "declared.json").read_bytes()
    pages_per_app = sum(len(_pages(f)) for f in files)
    with tempfile.TemporaryDirectory(prefix=f"bench-{mode}-") as tmp, ExitStack() as stack:
        svc = Service(mode, Path(tmp), stack)
        client = httpx.Client(base_url=svc.url, headers={"Authorization": f"Bearer {svc.key}"}, timeout=60)
        read_ms: list[float] = []
        stop = threading.Event()
        ids: list[str] = []
        uploaded_at: dict[str, float] = {}
        t0 = time.perf_counter()
        for _ in range(apps):
            a = client.post("/v1/applications", content=declared).json()
            uploaded_at[a["id"]] = time.perf_counter()
            multipart = [("files", (f.name, f.read_bytes())) for f in files]
            r = client.post(f"/v1/applications/{a['id']}/documents", files=multipart)
            r.raise_for_status()
            client.post(f"/v1/applications/{a['id']}/submit").raise_for_status()
            ids.append(a["id"])

        def reader() -> None:
            with httpx.Client(base_url=svc.url, headers={"Authorization": f"Bearer {svc.key}"}, timeout=30) as rc:
                i = 0
                while not stop.is_set():
                    t = time.perf_counter()
                    rc.get(f"/v1/applications/{ids[i % len(ids)]}").raise_for_status()
                    read_ms.append((time.perf_counter() - t) * 1000)
                    i += 1
                    time.sleep(0.05)

        th = threading.Thread(target=reader, daemon=True)
        th.start()
        done_at: dict[str, float] = {}
        deadline = time.monotonic() + 60 * 60
        while len(done_at) < len(ids) and time.monotonic() < deadline:
            for app_id in ids:
                if app_id in done_at:
                    continue
                status = client.get(f"/v1/applications/{app_id}").json()["status"]
                if status in ("checked", "failed"):
                    done_at[app_id] = time.perf_counter()
            time.sleep(0.5)
        stop.set()
        th.join(10)
        wall = time.perf_counter() - t0
        latencies = [done_at[i] - uploaded_at[i] for i in ids if i in done_at]
    return {"mode": mode, "apps": len(done_at), "pages": pages_per_app * len(done_at), "wall_s": wall,
            "apps_per_hour": 3600 * len(done_at) / wall, "pages_per_min": 60 * pages_per_app * len(done_at) / wall,
            "p50_s": _pct(latencies, 50), "p95_s": _pct(latencies, 95), "read_p95_ms": _pct(read_ms, 95),
            "reads": len(read_ms)}


def _pages(f: Path) -> list:
    from intake.loaders import load_file

    return load_file(f)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--apps", type=int, default=6)
    ap.add_argument("--modes", default="embedded,celery")
    ap.add_argument("--bundle", type=Path, default=BUNDLE)
    args = ap.parse_args(argv)
    files = _bundle_files(args.bundle)
    rows = [run_mode(m.strip(), args.apps, args.bundle) for m in args.modes.split(",") if m.strip()]
    bare_s, bare_pages = bare_ocr_seconds(files, args.apps)
    n_pages = sum(len(_pages(f)) for f in files)
    print(f"{args.apps} applications of {args.bundle.relative_to(ROOT) if args.bundle.is_relative_to(ROOT) else args.bundle}"
          f" ({len(files)} files, {n_pages} pages, {bare_pages // args.apps} of them raster), {os.cpu_count()} cores\n")
    print("| mode | apps/hour | pages/min | upload→verdict p50 s | p95 s | read p95 ms (n) | wall s | bare OCR s, same raster pages | wall / bare |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['mode']} | {r['apps_per_hour']:.0f} | {r['pages_per_min']:.1f} | {r['p50_s']:.1f} | {r['p95_s']:.1f} "
              f"| {r['read_p95_ms']:.0f} ({r['reads']}) | {r['wall_s']:.1f} | {bare_s:.1f} | {r['wall_s'] / bare_s:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load test on loopback: concurrent uploads, submissions and reads from a separate
process against ``docintake serve`` (embedded mode), bounded in count and time.

    python -m bench.load [--apps N] [--concurrency C] [--check-every K]

The server runs in its own process; this process is the load. Each of C threads
creates applications, uploads the text-layer files of a sample bundle, submits
every K-th one for checking, and reads applications back in between. At the end
every upload the server accepted (201) is looked for again through the API and its
bytes in the file store: "accounted for" must equal "accepted". The server's
resident memory is sampled from /proc throughout; its growth per 100 applications
over the second half of the run (after warm-up) shows whether memory stays flat.

Printed (markdown): requests, throughput, p50/p95/p99 latency per kind of request,
accepted vs accounted-for uploads, server RSS at start/middle/end.
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
from collections import defaultdict
from pathlib import Path

import httpx

from bench.service import _free_port, _pct

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "samples" / "bundles" / "yichun-2023" / "clean"


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(apps: int, concurrency: int, check_every: int, workdir: Path) -> dict:
    env = {**os.environ, "DOCINTAKE_DATA_DIR": str(workdir / "var"), "DOCINTAKE_RATE_LIMIT_PER_MINUTE": "0",
           "OMP_THREAD_LIMIT": "1"}
    env.pop("DOCINTAKE_DATABASE_URL", None)
    env.pop("DOCINTAKE_BROKER_URL", None)
    key = json.loads(subprocess.run([sys.executable, "-m", "intake.cli", "admin", "create-portal", "load"], env=env,
                                    check=True, capture_output=True, text=True).stdout)["api_key"]
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "intake.cli", "serve", "--port", str(port)], env=env,
                              stdout=(workdir / "serve.log").open("wb"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {key}"}
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        declared = (BUNDLE / "declared.json").read_bytes()
        files = [(p.name, p.read_bytes()) for p in sorted(BUNDLE.glob("*.pdf"))]
        lat: dict[str, list[float]] = defaultdict(list)
        accepted: list[tuple[str, str, str]] = []  # (application, upload id, sha256)
        failures: list[str] = []
        rss: list[tuple[int, float]] = [(0, _rss_mib(server.pid))]
        lock = threading.Lock()
        counter = iter(range(apps))

        def timed(kind: str, fn):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            r = fn()
            with lock:
                lat[kind].append((time.perf_counter() - t) * 1000)
            return r

        def worker() -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=120) as c:
                while True:
                    with lock:
                        i = next(counter, None)
                    if i is None:
                        return
                    try:
                        a = timed("create", lambda: c.post("/v1/applications", content=declared)).json()
                        r = timed("upload", lambda: c.post(f"/v1/applications/{a['id']}/documents",
                                                           files=[("files", f) for f in files]))
                        if r.status_code == 201:
                            with lock:
                                accepted.extend((a["id"], d["id"], d["sha256"]) for d in r.json()["documents"])
                        else:
                            failures.append(f"upload {r.status_code}")
                        if i % check_every == 0:
                            timed("submit", lambda: c.post(f"/v1/applications/{a['id']}/submit"))
                        timed("read", lambda: c.get(f"/v1/applications/{a['id']}"))
                        timed("list", lambda: c.get("/v1/applications", params={"limit": 20}))
                    except httpx.HTTPError as exc:
                        failures.append(type(exc).__name__)
                    if i % 25 == 0:
                        with lock:
                            rss.append((i, _rss_mib(server.pid)))

        t0 = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        rss.append((apps, _rss_mib(server.pid)))
        # accounted for: every accepted upload is listed by the API and its bytes are in the store
        by_app: dict[str, set[str]] = defaultdict(set)
        for app_id, upload_id, _ in accepted:
            by_app[app_id].add(upload_id)
        found = 0
        with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
            for app_id, ids in by_app.items():
                listed = {u["id"] for u in c.get(f"/v1/applications/{app_id}/documents").json()["uploads"]}
                found += len(ids & listed)
        on_disk = sum(1 for _, _, sha in accepted if (workdir / "var" / "files" / "blobs" / sha[:2] / sha).is_file())
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    half = sorted(r for r in rss if r[0] >= apps // 2)
    growth = _slope_per_100(half)
    requests = sum(len(v) for v in lat.values())
    return {"apps": apps, "concurrency": concurrency, "wall_s": wall, "requests": requests, "rps": requests / wall,
            "latency": {k: (_pct(v, 50), _pct(v, 95), _pct(v, 99), len(v)) for k, v in sorted(lat.items())},
            "accepted": len(accepted), "listed": found, "on_disk": on_disk, "failures": failures,
            "rss": (rss[0][1], half[0][1] if half else float("nan"), rss[-1][1]), "growth_per_100": growth,
            "rss_trace": _trace(sorted(rss), apps)}


def _slope_per_100(points: list[tuple[int, float]]) -> float:
    """Least-squares growth of RSS in MiB per 100 applications: one sample taken
    while the allocator happens to hold a freed block would swing an end-to-end
    difference, not a fitted line."""
    if len(points) < 3 or points[-1][0] == points[0][0]:
        return float("nan")
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var * 100


def _trace(points: list[tuple[int, float]], apps: int, steps: int = 10) -> list[tuple[int, float]]:
    """RSS at every tenth of the run (the sample nearest each mark)."""
    out = []
    for k in range(steps + 1):
        mark = apps * k // steps
        out.append(min(points, key=lambda p: abs(p[0] - mark)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--apps", type=int, default=300)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--check-every", type=int, default=25, help="submit every K-th application for checking")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="docintake-load-") as tmp:
        r = run(args.apps, args.concurrency, args.check_every, Path(tmp))
    print(f"{r['apps']} applications × 4 text-layer PDFs, {r['concurrency']} concurrent clients, one server process "
          f"(embedded SQLite), {os.cpu_count()} cores\n")
    print(f"{r['requests']} requests in {r['wall_s']:.1f} s = {r['rps']:.1f} requests/s; failures: "
          f"{len(r['failures'])} {sorted(set(r['failures']))}\n")
    print("| request | p50 ms | p95 ms | p99 ms | n |\n|---|---:|---:|---:|---:|")
    for kind, (p50, p95, p99, n) in r["latency"].items():
        print(f"| {kind} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {n} |")
    print(f"\nuploads accepted {r['accepted']}, listed again {r['listed']}, bytes in the store {r['on_disk']}")
    s, m, e = r["rss"]
    print(f"server RSS MiB: start {s:.0f}, middle {m:.0f}, end {e:.0f}; growth over the second half "
          f"{r['growth_per_100']:.2f} MiB per 100 applications (least-squares slope)")
    print("\n| applications done | " + " | ".join(str(i) for i, _ in r["rss_trace"]) + " |")
    print("|---|" + "---:|" * len(r["rss_trace"]))
    print("| server RSS MiB | " + " | ".join(f"{m:.0f}" for _, m in r["rss_trace"]) + " |")
    return 0 if r["accepted"] == r["listed"] == r["on_disk"] and not r["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Run the bad-input corpus in a fresh process and measure it: code, time, peak memory.

Meant to run as a child process (a test's, or yours), so the memory it reports is
this process's alone:

    python tests/badinput/measure.py loads OUT_DIR      # every case through load_file + render
    python tests/badinput/measure.py bundle OUT_DIR     # one extract_files over all of them

``loads`` writes the corpus to OUT_DIR and prints one JSON line per case: the code
(or pages), seconds, and how far the peak RSS of the process rose during that case.
``bundle`` writes the corpus and a good text-layer invoice into OUT_DIR/bundle,
runs ``extract_files`` over the lot with a replay OCR engine (no models needed),
and prints one JSON object: errors, documents, peak RSS of this process and of its
OCR workers, and every attempt to write outside OUT_DIR (seen by an audit hook).
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOOD_INVOICE = ROOT / "samples" / "bundles" / "hebei-2018-benchmark" / "clean" / "invoice.pdf"
GOOD_NAME = "good_invoice.pdf"


def corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("badinput_make_corpus", HERE / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def peak_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def guard_writes(allowed: list[Path]) -> list[str]:
    """Record (not block) every file opened for writing, made, moved or removed
    outside ``allowed``, from now on, in this process and the ones it forks."""
    roots = [str(p.resolve()) for p in allowed] + ["/dev/null", "/dev/shm", "/proc/self"]
    seen: list[str] = []

    def outside(path: object) -> bool:
        if isinstance(path, int) or path is None:
            return False  # an fd we were given
        text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else str(path)
        full = os.path.abspath(text)
        return not any(full == r or full.startswith(r + os.sep) for r in roots)

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if writing and outside(path):
                seen.append(f"open {path!r} {mode or flags}")
        elif event in ("os.mkdir", "os.remove", "os.rmdir", "os.truncate", "os.symlink", "os.link"):
            if outside(args[0]):
                seen.append(f"{event} {args[0]!r}")
        elif event in ("os.rename", "shutil.move", "shutil.copyfile"):
            if outside(args[1]):
                seen.append(f"{event} {args[1]!r}")

    sys.addaudithook(hook)
    return seen


def run_loads(out: Path) -> None:
    from intake.errors import InputError
    from intake.loaders import Limits, load_file

    corpus = corpus_module()
    corpus.write_corpus(out)
    load_file(GOOD_INVOICE)[0].render()  # warm up: libraries loaded, first page rendered
    for case in corpus.CASES:
        before = peak_mib()
        start = time.perf_counter()
        try:
            pages = load_file(out / case.name, limits=Limits(**case.limits), display_name=case.display)
            for page in pages[:3]:
                page.render()
            outcome = f"loads, {len(pages)} page(s)"
        except InputError as exc:
            outcome = str(exc.code)
        seconds = time.perf_counter() - start
        print(json.dumps({
            "case": case.name, "display": case.display, "outcome": outcome, "expect": case.expect,
            "seconds": round(seconds, 3), "rss_growth_mib": round(peak_mib() - before, 1),
        }), flush=True)


def bundle_cases(corpus: ModuleType) -> list:
    """The cases that go into one bundle: all of those run under the default limits."""
    return [c for c in corpus.CASES if not c.limits]


def write_bundle(out: Path) -> tuple[list[Path], dict[Path, str]]:
    corpus = corpus_module()
    bundle = out / "bundle"
    bundle.mkdir(parents=True, exist_ok=True)
    paths, names = [], {}
    for case in bundle_cases(corpus):
        path = bundle / case.name
        path.write_bytes(case.make())
        paths.append(path)
        if case.display:
            names[path] = case.display
    good = bundle / GOOD_NAME
    shutil.copyfile(GOOD_INVOICE, good)
    paths.append(good)
    return paths, names


def run_bundle(out: Path) -> None:
    paths, names = write_bundle(out)
    os.environ["TMPDIR"] = str(out)
    import tempfile

    tempfile.tempdir = None
    from intake.ocr.fakes import ReplayEngine
    from intake.pipeline import ExtractOptions, extract_files

    listing = sorted(os.fsencode(p.name) for p in (out / "bundle").iterdir())
    writes = guard_writes([out])
    base = peak_mib()
    start = time.perf_counter()
    result = extract_files(
        paths, options=ExtractOptions(engine=ReplayEngine({}, default=[]), workers=1), display_names=names
    )
    seconds = time.perf_counter() - start
    after = sorted(os.fsencode(p.name) for p in (out / "bundle").iterdir())
    print(json.dumps({
        "errors": [[e.file, e.error, e.message] for e in result.errors],
        "documents": [[d.file, str(d.type), sorted(d.fields)] for d in result.documents],
        "good_fields": {k: f.value for d in result.documents if d.file == GOOD_NAME for k, f in d.fields.items()
                        if isinstance(f.value, (str, int, float, bool))},
        "seconds": round(seconds, 2),
        "rss_base_mib": round(base, 1),
        "rss_peak_mib": round(peak_mib(), 1),
        "rss_workers_peak_mib": round(peak_mib(resource.RUSAGE_CHILDREN), 1),
        "writes_outside": writes,
        "bundle_changed": listing != after,
    }, ensure_ascii=True))  # ASCII: a file name in the bundle is not valid UTF-8, on purpose


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("loads", "bundle"):
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    (run_loads if argv[0] == "loads" else run_bundle)(out)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))

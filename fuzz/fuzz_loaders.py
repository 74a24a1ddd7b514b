"""Fuzz the file loaders: any bytes in, pages or an InputError out, nothing else.

    python fuzz/fuzz_loaders.py --seeds DIR                 # write the seed corpus (the bad-input corpus)
    python fuzz/fuzz_loaders.py -runs=2000 -max_len=262144 CORPUS_DIR [SEED_DIR]   # atheris (libFuzzer)
    python fuzz/fuzz_loaders.py --hypothesis 500           # the fallback: hypothesis on bytes

The target writes each input to a temporary file (loaders take paths, as uploads
arrive), runs ``intake.loaders.load_file`` under tight limits (4 Mpx, 5 pages,
8 MB unpacked, 72 dpi: each run costs milliseconds, and a bomb still trips the
same checks), renders the first two pages, and lets any exception other than
``InputError`` escape: libFuzzer then saves the input as ``crash-…`` (see
``-artifact_prefix``). Each crash found becomes a fixed bug and a case in
tests/badinput/make_corpus.py.

Coverage comes from the Python side: the loaders themselves, and the pure-Python
parsers below them (PIL's image plugins, pdfminer/pdfplumber); qpdf, pdfium and
libjpeg/libpng are C and run uninstrumented (they are fuzzed upstream by OSS-Fuzz).
If atheris is missing or cannot instrument this interpreter, ``--hypothesis``
runs the same target on bytes hypothesis generates from the same seeds.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

MAX_SEED_BYTES = 256 * 1024


def _corpus_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("badinput_make_corpus", ROOT / "tests" / "badinput" / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def write_seeds(out: Path) -> int:
    """The bad-input corpus (files up to MAX_SEED_BYTES) plus good samples, as seeds."""
    corpus = _corpus_module()
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for i, case in enumerate(corpus.CASES):
        data = case.make()
        if 0 < len(data) <= MAX_SEED_BYTES:
            (out / f"seed-{i:03d}").write_bytes(data)
            count += 1
    good = ROOT / "samples" / "bundles" / "hebei-2018-benchmark" / "clean"
    for name in ("invoice.pdf", "receipt.pdf", "form.pdf"):
        path = good / name
        if path.is_file() and path.stat().st_size <= MAX_SEED_BYTES:
            (out / f"good-{name}").write_bytes(path.read_bytes())
            count += 1
    return count


def _import_target(instrument: bool):
    if instrument:
        import atheris

        with atheris.instrument_imports(include=["intake.loaders", "PIL", "pdfminer", "pdfplumber"]):
            import PIL.BmpImagePlugin  # noqa: F401  (the plugins PIL would load lazily, instrumented now)
            import PIL.GifImagePlugin  # noqa: F401
            import PIL.JpegImagePlugin  # noqa: F401
            import PIL.PngImagePlugin  # noqa: F401
            import PIL.TiffImagePlugin  # noqa: F401
            import PIL.WebPImagePlugin  # noqa: F401
            import pdfminer.pdfparser  # noqa: F401
            import pdfplumber  # noqa: F401

            from intake.errors import InputError
            from intake.loaders import Limits, load_file
    else:
        from intake.errors import InputError
        from intake.loaders import Limits, load_file
    return InputError, Limits, load_file


def make_target(instrument: bool):
    InputError, Limits, load_file = _import_target(instrument)
    limits = Limits(max_bytes=2 * 1024 * 1024, max_pages=5, max_pixels=4_000_000, max_decoded_bytes=8 * 1024 * 1024)
    work = Path(tempfile.mkdtemp(prefix="fuzz_loaders_"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    path = work / "upload.bin"

    def target(data: bytes) -> None:
        path.write_bytes(data)
        try:
            pages = load_file(path, limits=limits, dpi=72, display_name="upload.bin")
            for page in pages[:2]:
                image = page.render()
                assert image.shape == (page.height, page.width, 3), (image.shape, page.height, page.width)
                assert image.dtype.name == "uint8"
        except InputError as exc:
            assert exc.code and exc.file == "upload.bin", exc
            assert "fuzz_loaders_" not in exc.message, exc.message  # our disk path never shown

    return target


def run_hypothesis(examples: int) -> int:
    """The fallback fuzzer: hypothesis mutates the seeds' bytes."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    seeds_dir = Path(tempfile.mkdtemp(prefix="fuzz_seeds_"))
    atexit.register(shutil.rmtree, seeds_dir, ignore_errors=True)
    write_seeds(seeds_dir)
    seeds = [p.read_bytes() for p in sorted(seeds_dir.iterdir())]
    target = make_target(instrument=False)

    @st.composite
    def mutated(draw: st.DrawFn) -> bytes:
        data = bytearray(draw(st.sampled_from(seeds)))
        for _ in range(draw(st.integers(0, 8))):
            if not data:
                break
            at = draw(st.integers(0, len(data) - 1))
            how = draw(st.sampled_from(["set", "cut", "insert", "truncate"]))
            if how == "set":
                data[at] = draw(st.integers(0, 255))
            elif how == "cut":
                del data[at : at + draw(st.integers(1, 64))]
            elif how == "insert":
                data[at:at] = draw(st.binary(max_size=64))
            else:
                del data[at:]
        return bytes(data)

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(mutated(), st.binary(max_size=4096)))
    def fuzz(data: bytes) -> None:
        target(data)

    fuzz()
    return 0


def main(argv: list[str]) -> int:
    if argv[1:2] == ["--seeds"]:
        print(f"{write_seeds(Path(argv[2]))} seeds", file=sys.stderr)
        return 0
    if argv[1:2] == ["--hypothesis"]:
        return run_hypothesis(int(argv[2]) if len(argv) > 2 else 500)
    try:
        import atheris
    except ImportError as exc:  # not installed here: same target, hypothesis instead
        print(f"atheris unavailable ({exc}); falling back to hypothesis", file=sys.stderr)
        return run_hypothesis(500)
    target = make_target(instrument=True)
    atheris.Setup(argv, target)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

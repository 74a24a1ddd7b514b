"""Hostile and broken uploads: each is refused with its own stable code, cheaply.

The files come from tests/badinput/make_corpus.py (generated, nothing downloaded).
Every case must finish quickly; the bombs are small on disk and must be refused
from their headers, never decoded.
"""

from __future__ import annotations

import importlib.util
import io
import random
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

from intake.errors import ErrorCode, InputError
from intake.loaders import Limits, load_file
from intake.loaders.messages import printable_name


def _load_corpus_module() -> ModuleType:
    # By path, so this works whether or not tests/ is imported as a package.
    path = Path(__file__).parent / "badinput" / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("badinput_make_corpus", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("badinput")
    corpus.write_corpus(out)
    return out


def test_every_expected_code_is_a_stable_error_code() -> None:
    codes = {str(c) for c in ErrorCode}
    assert {c.expect for c in corpus.CASES if c.expect} <= codes
    assert len({c.test_id for c in corpus.CASES}) == len(corpus.CASES)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", corpus.CASES, ids=[c.test_id for c in corpus.CASES])
def test_corpus_case(case, corpus_dir: Path) -> None:
    path = corpus_dir / case.name
    limits = Limits(**case.limits)
    if case.expect is None:
        pages = load_file(path, limits=limits, display_name=case.display)
        assert len(pages) == case.pages
        for page in pages:
            image = page.render()
            assert image.shape == (page.height, page.width, 3)
        return
    with pytest.raises(InputError) as err:
        load_file(path, limits=limits, display_name=case.display)
    error = err.value
    assert error.code == case.expect, error.message
    # Bilingual and naming the file as uploaded (printably), never our disk path.
    assert error.file == case.shown
    shown = printable_name(case.shown)
    assert f"「{shown}」" in error.message and " / " in error.message
    assert CJK.search(error.message)
    assert str(corpus_dir) not in error.message
    # Safe to print anywhere: no control characters, valid UTF-8, bounded length.
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\ud800-\udfff]", error.message)
    error.message.encode("utf-8")
    assert len(error.message) < 1200


def test_printable_name() -> None:
    assert printable_name("发票.pdf") == "发票.pdf"
    assert printable_name("a\x1b[31m\n.pdf") == "a\\x1b[31m\\x0a.pdf"
    assert printable_name(corpus.NON_UTF8_NAME).startswith("\\xff\\xfe")
    assert printable_name(corpus.BIDI_NAME) == "invoice\\u202efdp.exe"
    long = printable_name(corpus.LONG_UPLOAD_NAME)
    assert len(long) == 120 and long.endswith("材料.pdf") and "…" in long
    assert printable_name(corpus.TRAVERSAL_NAME) == corpus.TRAVERSAL_NAME  # shown, never used as a path


def test_messages_use_the_display_name(corpus_dir: Path) -> None:
    with pytest.raises(InputError) as err:
        load_file(corpus_dir / "encrypted.pdf", display_name="合同扫描件.pdf")
    assert err.value.message == "「合同扫描件.pdf」已加密，需要密码才能打开 / 合同扫描件.pdf is encrypted and needs a password"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_file(tmp_path / "gone.png")
    assert err.value.code == "file_not_found"


def _seed_files() -> dict[str, bytes]:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "PNG")
    png = buf.getvalue()
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 200, 30)).save(buf, "JPEG", quality=80)
    jpeg = buf.getvalue()
    buf = io.BytesIO()
    frames = [Image.new("L", (40, 30), v) for v in (0, 128, 255)]
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    tiff = buf.getvalue()
    return {
        "doc.pdf": corpus.text_pdf(),
        "scan.pdf": corpus.image_pdf(),
        "a.png": png,
        "b.jpg": jpeg,
        "c.tif": tiff,
        "d.gif": corpus.single_gif(),
    }


@pytest.mark.parametrize("name,data", list(_seed_files().items()))
def test_mangled_files_raise_only_input_errors(tmp_path: Path, name: str, data: bytes) -> None:
    """Truncate and scribble over valid files: never a library exception, never a hang."""
    rng = random.Random(name)
    path = tmp_path / name
    for trial in range(25):
        mangled = bytearray(data)
        if trial % 3 == 0:
            mangled = mangled[: rng.randrange(1, len(mangled))]
        else:
            for _ in range(rng.randint(1, 12)):
                mangled[rng.randrange(len(mangled))] = rng.randrange(256)
        path.write_bytes(bytes(mangled))
        try:
            pages = load_file(path)
            for page in pages:
                page.render()
        except InputError as err:
            assert err.code and err.file == name

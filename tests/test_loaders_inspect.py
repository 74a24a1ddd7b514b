"""inspect_file refuses what load_file refuses, and agrees with it on type and pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.errors import InputError
from intake.loaders import Limits, load_file
from intake.loaders.inspect import inspect_file
from intake.loaders.sniff import SNIFF_BYTES, sniff

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (ROOT / "samples" / "documents").rglob("*") if p.is_file() and p.suffix not in (".json", ".md"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_agrees_with_load_file_on_good_files(path: Path) -> None:
    facts = inspect_file(path)
    assert facts.pages == len(load_file(path))
    assert facts.kind == sniff(path.read_bytes()[:SNIFF_BYTES])


def _corpus():  # type: ignore[no-untyped-def]
    from tests.test_bad_input import corpus

    return corpus


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("badinput-inspect")
    _corpus().write_corpus(out)
    return out


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", _corpus().CASES, ids=lambda c: c.name[:60])
def test_refuses_what_load_file_refuses(case, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    path = corpus_dir / case.name
    limits = Limits(**case.limits)
    if case.expect is None:
        assert inspect_file(path, limits=limits, display_name=case.display).pages == case.pages
        return
    with pytest.raises(InputError) as err:
        inspect_file(path, limits=limits, display_name=case.display)
    assert err.value.code == case.expect, err.value.message

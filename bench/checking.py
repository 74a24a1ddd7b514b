"""``docintake check`` run in-process over many bundles, each distinct file read once.

The CLI reads a bundle directory, extracts every file and runs the program's rules.
The same steps are called here directly (``intake.pipeline.extract_files``,
``validators.run_checks``), with two differences that do not change the result:

- extraction results are kept per file (content sha256 + file name): the clean and
  the defective version of one application share most of their files, and the
  committed bundles link them, so each is OCR'd once per run;
- files not yet read are extracted together, so that OCR keeps both cores busy.

Extraction is per file in the pipeline (pages are classified and split within a
file), so a bundle's documents are the concatenation of its files' documents in
the CLI's order (file names sorted). The output is ``CheckResult.to_json()``, the
object ``docintake check --json`` prints.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from intake.model import Document, ExtractResult, FileError
from intake.pipeline import extract_files

REPO = Path(__file__).resolve().parent.parent

Upload = tuple[str, Path]  # (file name as uploaded, where its bytes are)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class ExtractionCache:
    """Extraction results per (sha256, file name)."""

    engine: str | None = None
    workers: int | None = None
    chunk: int = 48  # files per extract_files call: bounded memory, both cores busy
    progress: bool = False
    hits: int = 0
    misses: int = 0
    seconds: float = 0.0  # spent extracting
    retried: list[str] = field(default_factory=list)  # files whose OCR timed out once
    _store: dict[tuple[str, str], tuple[list[Document], list[FileError]]] = field(default_factory=dict)
    _sha: dict[Path, str] = field(default_factory=dict)

    def key(self, name: str, path: Path) -> tuple[str, str]:
        sha = self._sha.get(path)
        if sha is None:
            sha = self._sha[path] = sha256_of(path)
        return sha, name

    def prefetch(self, uploads: Iterable[Upload]) -> None:
        """Extract every upload not read yet (together, in chunks)."""
        todo: dict[tuple[str, str], Path] = {}
        for name, path in uploads:
            k = self.key(name, path)
            if k not in self._store and k not in todo:
                todo[k] = path
        items = list(todo.items())
        for i in range(0, len(items), self.chunk):
            self._extract(items[i:i + self.chunk])
            if self.progress:
                print(f"  extracted {min(i + self.chunk, len(items))}/{len(items)} files "
                      f"({self.seconds:.0f} s)", file=sys.stderr, flush=True)

    def _extract(self, items: list[tuple[tuple[str, str], Path]], retry: bool = True) -> None:
        # a unique display name per (content, name): one call may hold several
        # different files called licence.jpg; documents are renamed back below
        display = {path: f"{k[0][:16]}~{k[1]}" for k, path in items}
        kw: dict[str, Any] = {"display_names": display}
        if self.engine:
            kw["engine"] = self.engine
        if self.workers:
            kw["workers"] = self.workers
        t = time.perf_counter()
        result = extract_files([path for _, path in items], **kw)
        self.seconds += time.perf_counter() - t
        self.misses += len(items)
        # A page that reads in seconds alone now and then overruns the 120 s limit when
        # the machine is loaded (seen twice in ~1,500 files): that is the machine, not
        # the file, and would make goldens flaky. Such a file is read again, alone, once.
        timed_out = {e.file for e in result.errors if e.error == "ocr_timeout"} if retry else set()
        if timed_out:
            again = [(k, path) for k, path in items if display[path] in timed_out]
            self.retried += [k[1] for k, _ in again]
            result.documents = [d for d in result.documents if d.file not in timed_out]
            result.errors = [e for e in result.errors if e.file not in timed_out]
            self.misses -= len(again)
            for one in again:
                self._extract([one], retry=False)
            items = [it for it in items if display[it[1]] not in timed_out]
        by_display: dict[str, tuple[list[Document], list[FileError]]] = {
            display[path]: ([], []) for _, path in items}
        for doc in result.documents:
            by_display[doc.file][0].append(doc)
        for err in result.errors:
            by_display[err.file][1].append(err)
        for k, path in items:
            shown = display[path]
            docs, errs = by_display[shown]
            for doc in docs:
                doc.file = k[1]
                for page in doc.pages:
                    page.file = k[1]
            errs = [FileError(k[1], e.error, e.message.replace(shown, k[1])) for e in errs]
            self._store[k] = (docs, errs)

    def extract(self, uploads: Sequence[Upload]) -> ExtractResult:
        """What ``extract_files`` gives for these files, in the CLI's (sorted) order."""
        self.prefetch(uploads)
        out = ExtractResult()
        for name, path in sorted(uploads, key=lambda u: u[0]):
            k = self.key(name, path)
            docs, errs = self._store[k]
            out.documents.extend(docs)
            out.errors.extend(errs)
        self.hits += len(uploads)
        return out


def bundle_uploads(bundle: Path) -> list[Upload]:
    """The files ``docintake check`` reads in a bundle directory (not declared.json,
    not hidden files, not the case's own json files)."""
    skip = {"declared.json", "expected.json", "case.json"}
    return [(p.name, p) for p in sorted(bundle.iterdir())
            if p.is_file() and not p.name.startswith(".") and p.name not in skip]


def run_check(uploads: Sequence[Upload], declared_json: bytes, *, today: date,
              cache: ExtractionCache, lists_dir: Path | None = None,
              list_rows: list[dict[str, str]] | None = None,
              program: str | None = None) -> Any:
    """``docintake check`` on these uploads; returns the ``CheckResult``.

    The deployment list comes from ``lists_dir`` as the CLI's ``--lists`` (shown in
    messages relative to the repository, as when run from its root), or from
    ``list_rows`` (a list made for a generated deal), or is absent.
    """
    from intake.check_cli import program_list_for
    from validators import ProgramList, default_table, load_policy, run_checks
    from validators.declared import parse_declared_bytes

    declared = parse_declared_bytes(declared_json)
    table = default_table()
    prog = load_policy(program or declared.program, table)
    unavailable: str | None = None
    plist: ProgramList | None
    if list_rows is not None:
        plist = ProgramList.from_rows(f"{prog.id}.csv", list_rows)
    else:
        plist, unavailable = program_list_for(lists_dir.resolve() if lists_dir else None, prog)
        if plist is not None and lists_dir is not None:
            shown = lists_dir.resolve().relative_to(REPO) if lists_dir.resolve().is_relative_to(REPO) \
                else lists_dir
            plist = replace(plist, path=str(Path(shown) / Path(plist.path).name))
    extracted = cache.extract(uploads)
    return run_checks(extracted.documents, declared, prog, table, today=today,
                      program_list=plist, list_unavailable=unavailable,
                      file_errors=extracted.errors)


# --- the same checks on the generator's truth (no extraction) -------------------------


def truth_documents(app: Any) -> tuple[list[Document], list[FileError]]:
    """The documents of a generated application as a perfect extractor would give them
    (truth values, confidence 0.99), for telling an extraction miss from a rule miss."""
    from intake.model import DocType
    from validators.testing import make_doc

    docs: list[Document] = []
    errors: list[FileError] = []
    for info in app.documents.values():
        for i, fname in enumerate(info["files"]):
            if info["damage"] == "truncated":
                errors.append(FileError(fname, "pdf_unreadable", f"{fname} cannot be read"))
                continue
            legible = info["damage"] != "illegible"
            fields = info["fields"] if i == 0 and legible else {}
            dtype = DocType(info["doc_type"]) if legible else DocType.OTHER
            docs.append(make_doc(dtype, fname, dict(fields), legible=legible,
                                 qr=[info["qr"]] if info.get("qr") else None))
    docs.sort(key=lambda d: d.file)
    return docs, errors


def truth_check(app: Any) -> Any:
    """``run_checks`` on ``truth_documents(app)`` with the application's own list."""
    from validators import ProgramList, default_table, load_policy, run_checks
    from validators.declared import parse_declared_bytes

    declared = parse_declared_bytes(app.declared_json().encode("utf-8"))
    table = default_table()
    prog = load_policy(app.program, table)
    docs, errors = truth_documents(app)
    return run_checks(docs, declared, prog, table, today=app.today,
                      program_list=ProgramList.from_rows(f"{prog.id}.csv", app.list_rows),
                      file_errors=errors)

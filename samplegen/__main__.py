"""python -m samplegen --out DIR --count N --seed S [--types T ...] [--compact]

Writes one directory per document (its files plus truth.json) and prints a summary.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from samplegen import DOC_TYPES, generate_set


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samplegen", description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, type=Path, help="output directory")
    ap.add_argument("--count", type=int, default=20, help="number of documents (default 20)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the whole set (default 0)")
    ap.add_argument("--types", nargs="+", choices=DOC_TYPES, metavar="TYPE",
                    help=f"restrict to these types: {', '.join(DOC_TYPES)}")
    ap.add_argument("--compact", action="store_true",
                    help="small files: lower scan dpi, 2000 px photos, JPEG ~80")
    args = ap.parse_args(argv)
    if args.count < 1:
        ap.error("--count must be at least 1")
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    kinds: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    total_bytes = 0
    for i, doc in enumerate(generate_set(args.count, args.seed, types=args.types,
                                         compact=args.compact)):
        d = doc.write(args.out / f"{i:04d}-{doc.name}")
        size = sum(len(b) for b in doc.files.values())
        total_bytes += size
        kinds[f"{doc.doc_type}/{doc.variant['format']}"] += 1
        levels[doc.variant["degradation"]["level"]] += 1
        print(f"{d.name}  {', '.join(sorted(doc.files))}  {size / 1024:.0f} KiB", file=sys.stderr)
    dt = time.monotonic() - t0
    print(f"wrote {args.count} documents to {args.out} in {dt:.1f} s "
          f"({total_bytes / 1e6:.1f} MB)")
    for k, n in sorted(kinds.items()):
        print(f"  {k:40s} {n}")
    print("  degradation: " + ", ".join(f"{k} {n}" for k, n in sorted(levels.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

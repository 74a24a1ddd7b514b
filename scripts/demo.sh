#!/usr/bin/env bash
# The main job on the bundled samples: set up if needed, then
#  1. read every sample document and print what was found (extract), and
#  2. check the clean application of each program against its rules (check).
# Extra arguments (e.g. --json) go to both commands.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mapfile -t files < <(find samples/documents -type f ! -name '*.json' | sort)
.venv/bin/docintake extract "$@" "${files[@]}"
# A sample bundle also holds its golden case.json/expected.json: check a copy
# holding only what an applicant would upload.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for bundle in samples/bundles/*/clean; do
  program=$(basename "$(dirname "$bundle")")
  mkdir -p "$work/$program"
  find "$bundle" -maxdepth 1 -type f ! -name case.json ! -name expected.json -exec cp {} "$work/$program/" \;
  echo "== docintake check $bundle" >&2
  .venv/bin/docintake check "$work/$program" --lists samples/lists "$@"
done

#!/usr/bin/env bash
# The main job on the bundled samples: set up if needed, then read every sample
# document and print what was found (add --json for the machine-readable form).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mapfile -t files < <(find samples/documents -type f ! -name '*.json' | sort)
exec .venv/bin/docintake extract "$@" "${files[@]}"

#!/usr/bin/env bash
# Set up if needed, then run the test suite. Extra arguments go to pytest
# (e.g. `scripts/test.sh -m slow` for the OCR-heavy tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh   # PostgreSQL, Redis, Chromium for the service and review-page tests
export OMP_THREAD_LIMIT=1   # Tesseract's OpenMP threads fight over two cores
# Without arguments: everything but the OCR-heavy `slow` tests; the `heavy` real-server
# fault tests (workers killed, databases restarted) run in CI (CI=true) and with `-m heavy`.
if [ $# -eq 0 ]; then
  if [ "${CI:-}" = "true" ]; then set -- -m "not slow"; else set -- -m "not slow and not heavy"; fi
fi
exec .venv/bin/python -m pytest "$@"

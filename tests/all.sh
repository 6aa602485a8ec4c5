#!/usr/bin/env bash
# Runs every test of warraq: the Rust suites (unit, property, integration over
# HTTP on SQLite — and on PostgreSQL when WARRAQ_TEST_PG is set, or when a
# local server answers on 127.0.0.1:5432) and the browser test in headless
# Chromium. This is the command the README gives and .ci/run runs.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${WARRAQ_TEST_PG:-}" ] && command -v pg_isready >/dev/null \
    && pg_isready -q -h 127.0.0.1 -p 5432; then
  export WARRAQ_TEST_PG="postgres://postgres@127.0.0.1:5432/test"
fi
if [ -n "${WARRAQ_TEST_PG:-}" ]; then
  echo "== PostgreSQL suites on ${WARRAQ_TEST_PG}"
else
  echo "== no PostgreSQL (set WARRAQ_TEST_PG to run the PostgreSQL suites)"
fi

echo "== cargo test"
cargo test --workspace --locked

echo "== browser test (headless Chromium)"
bash tests/browser/run.sh

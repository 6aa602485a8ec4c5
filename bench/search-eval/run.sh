#!/usr/bin/env bash
# Search evaluation: recall@10 and MRR for each Arabic stemming choice over
# bench/search-eval/queries.toml. See bench/search-eval/README.md.
#
# Extra arguments go to cargo (e.g. --quiet). CARGO_TARGET_DIR is honoured.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
exec cargo bench -p warraq --bench search_eval "$@"

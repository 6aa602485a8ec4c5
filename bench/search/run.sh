#!/usr/bin/env bash
# Search at scale; see main.rs. SEARCH_BENCH_ARTICLES=N changes the corpus size.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
echo "machine: $(nproc) cores; $(uname -sr)"
cargo bench -p warraq --bench search

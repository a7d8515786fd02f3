#!/usr/bin/env bash
# pos-core: catalog search over a generated 10,000-item catalog in a real SQLite file.
# Writes bench/results/catalog-search.md. CATALOG_BENCH_ITEMS and CATALOG_BENCH_RUNS change the
# size; CATALOG_BENCH_PROFILE=dev measures the debug build instead of the release one.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/env.sh
source scripts/env.sh
args=("${CATALOG_BENCH_ITEMS:-10000}" "${CATALOG_BENCH_RUNS:-200}")
if [ "${CATALOG_BENCH_PROFILE:-release}" = dev ]; then
  # The workspace test build (`make test`'s) builds the examples too, with no other feature set.
  cargo test --workspace --locked --no-run --quiet
  "$CARGO_TARGET_DIR/debug/examples/bench_catalog_search" "${args[@]}"
else
  cargo run --release --locked --quiet -p pos-core --example bench_catalog_search -- "${args[@]}"
fi

#!/usr/bin/env bash
# Itemised sales on the real app over WebDriver: barcode scan -> line painted in the cart, and
# Charge on a 50-line cart -> QR painted. Writes bench/results/app-cart.md.
#
#   bench/cart-bench.sh                      CARTS=10 LINES=50 by default, release build
#   CART_BENCH_PROFILE=dev bench/cart-bench.sh   the debug app instead (no release build)
#
# Numbers only; never a pass/fail test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../scripts/env.sh
source scripts/env.sh
CARTS="${CARTS:-10}"
LINES="${LINES:-50}"

scripts/install-deps.sh apt tools
if [ "${CART_BENCH_PROFILE:-release}" = dev ]; then
  # The workspace build `make test` and scripts/e2e.sh make (no other feature set to build).
  # It builds the cart-bench binary too (tests/e2e has integration tests).
  cargo test --workspace --locked --no-run --quiet
  APP="$CARGO_TARGET_DIR/debug/ottu-pos"
  build=debug
else
  cargo build --locked --release -p ottu-pos
  cargo build --locked -p ottu-pos-e2e --bin cart-bench
  APP="$CARGO_TARGET_DIR/release/ottu-pos"
  build=release
fi

xvfb=(xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp")
OTTU_POS_BIN="$APP" "${xvfb[@]}" scripts/with-keyring.sh \
  "$CARGO_TARGET_DIR/debug/cart-bench" --carts "$CARTS" --lines "$LINES" --build "$build" \
  --out "$ROOT/bench/results/app-cart.md"

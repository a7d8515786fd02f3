# Sourced by every script (the Makefile repeats the two directory defaults): where builds, tools and npm packages
# are cached. All of it lives outside the clone, keyed by version, so a second clone on the same
# machine rebuilds nothing: the cargo target dir, each cargo tool in a directory named after its
# version, and the UI's node_modules keyed by the lockfile's hash.
#
#   OTTU_POS_CACHE_DIR   the cache root (default: $XDG_CACHE_HOME/ottu-pos or ~/.cache/ottu-pos)
#   CARGO_TARGET_DIR     the build dir (default: $OTTU_POS_CACHE_DIR/target)

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
# shellcheck source=tool-versions
source "$ROOT/scripts/tool-versions"

export OTTU_POS_CACHE_DIR="${OTTU_POS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ottu-pos}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$OTTU_POS_CACHE_DIR/target}"
# Pinned so cargo keeps its registry and toolchain when a wrapper (keyring, e2e) moves HOME.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# No incremental caches: a test build from a fresh clone gains nothing from them, and they
# doubled the build dir's size (15 GB of 39 GB measured) on a disk that ran full.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

TOOLS_DIR="$OTTU_POS_CACHE_DIR/tools"
TAURI_DRIVER_ROOT="$TOOLS_DIR/tauri-driver-$TAURI_DRIVER_VERSION"
CARGO_DENY_ROOT="$TOOLS_DIR/cargo-deny-$CARGO_DENY_VERSION"
export PATH="$TAURI_DRIVER_ROOT/bin:$CARGO_DENY_ROOT/bin:$PATH"

#!/usr/bin/env bash
# Runs a command against a real, throwaway gnome-keyring (Secret Service) on a private D-Bus
# session bus, so keychain tests never touch the developer's own keychain.
#
#   scripts/with-keyring.sh cargo test -p pos-core --test keychain
#
# HOME and the XDG directories point at a fresh temp dir (the keyring file lands in
# $XDG_DATA_HOME/keyrings/), gnome-keyring-daemon is unlocked with a random password, and
# OTTU_POS_KEYRING_TESTS=1 tells the keychain tests to run instead of skipping. Cargo and rustup
# keep working because CARGO_HOME/RUSTUP_HOME are pinned to the caller's before HOME changes.
# Needs: dbus (dbus-run-session), gnome-keyring.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 <command> [args...]" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool not found; install the apt packages dbus, dbus-x11 and gnome-keyring" >&2
        exit 127
    fi
done

export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"

keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/ottu-pos-keyring.XXXXXX")"
cleanup() {
    if [ -n "${KEEP_KEYRING_HOME:-}" ]; then
        echo "$0: keyring home kept at $keyring_home" >&2
    else
        rm -rf "$keyring_home"
    fi
}
trap cleanup EXIT

mkdir -p "$keyring_home/.local/share" "$keyring_home/.config" "$keyring_home/.cache" \
    "$keyring_home/run"
chmod 700 "$keyring_home/run"
export HOME="$keyring_home"
export XDG_DATA_HOME="$keyring_home/.local/share"
export XDG_CONFIG_HOME="$keyring_home/.config"
export XDG_CACHE_HOME="$keyring_home/.cache"
export XDG_RUNTIME_DIR="$keyring_home/run"
export OTTU_POS_KEYRING_TESTS=1
# The unlock password only protects this throwaway keyring file.
OTTU_POS_KEYRING_PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export OTTU_POS_KEYRING_PASSWORD

# dbus-daemon warns "Failed to set fd limit" when it may not raise the limit; harmless.
exec dbus-run-session -- bash -c '
    set -euo pipefail
    eval "$(printf %s "$OTTU_POS_KEYRING_PASSWORD" \
        | gnome-keyring-daemon --unlock --components=secrets)"
    unset OTTU_POS_KEYRING_PASSWORD
    export GNOME_KEYRING_CONTROL
    "$@"
' with-keyring "$@"

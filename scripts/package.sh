#!/usr/bin/env bash
# Builds the release app and the Linux bundles Tauri makes offline: a .deb and an .rpm, copied
# to artifacts/package/ under stable names, and prints their paths (`make package`).
#
#   scripts/package.sh
#
# Expects what `make package` provides first: the apt packages, ui/node_modules (which holds
# the Tauri CLI, @tauri-apps/cli, pinned in ui/package-lock.json) and the UI bundle in ui/dist.
# Nothing is downloaded here: the CLI's deb and rpm bundlers write the packages themselves.
# AppImage is left out: its bundler downloads linuxdeploy and its plugins at build time.
#
# The version comes from one place, the workspace Cargo.toml ([workspace.package] version):
# tauri.conf.json has none, so Tauri takes the app crate's. The script checks that the .deb
# and .rpm carry that version.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=env.sh
source scripts/env.sh

die() { printf 'package: error: %s\n' "$*" >&2; exit 1; }

TAURI="$ROOT/ui/node_modules/.bin/tauri"
[ -x "$TAURI" ] || die "the Tauri CLI ($TAURI) is missing. Fix: scripts/install-deps.sh npm"
[ -f ui/dist/index.html ] || die "ui/dist is missing. Fix: make ui"

VERSION="$(cargo pkgid --locked -p ottu-pos | sed 's/.*[#@]//')"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || die "could not read the app's version (got '$VERSION')"

# --ignore-version-mismatches: the CLI refuses to build when the @tauri-apps npm packages and
# the Rust crates differ in minor version (today @tauri-apps/api 2.12 against tauri 2.11, and
# the plugins likewise). `make test` runs the app with exactly these versions; aligning them
# is a change of its own, not packaging's.
echo "package: tauri build --bundles deb rpm (release profile: fat LTO, opt-level s; minutes)"
start=$(date +%s)
"$TAURI" build --ci --ignore-version-mismatches --bundles deb rpm -- --locked
took=$(($(date +%s) - start))

bundle="$CARGO_TARGET_DIR/release/bundle"
shopt -s nullglob
debs=("$bundle/deb/"*"_${VERSION}_amd64.deb")
rpms=("$bundle/rpm/"*"-${VERSION}-1.x86_64.rpm")
shopt -u nullglob
[ "${#debs[@]}" -eq 1 ] || die "expected one .deb for $VERSION in $bundle/deb, found ${#debs[@]}"
[ "${#rpms[@]}" -eq 1 ] || die "expected one .rpm for $VERSION in $bundle/rpm, found ${#rpms[@]}"

deb_version="$(dpkg-deb -f "${debs[0]}" Version)"
[ "$deb_version" = "$VERSION" ] \
  || die "${debs[0]} has version $deb_version, the workspace Cargo.toml $VERSION"
if command -v rpm >/dev/null 2>&1; then
  rpm_version="$(rpm -qp --queryformat '%{VERSION}' "${rpms[0]}" 2>/dev/null)"
  [ "$rpm_version" = "$VERSION" ] \
    || die "${rpms[0]} has version $rpm_version, the workspace Cargo.toml $VERSION"
fi

out="$ROOT/artifacts/package"
mkdir -p "$out"
rm -f "$out"/ottu-pos[_-]*.deb "$out"/ottu-pos[_-]*.rpm
cp "${debs[0]}" "$out/ottu-pos_${VERSION}_amd64.deb"
cp "${rpms[0]}" "$out/ottu-pos-${VERSION}-1.x86_64.rpm"
echo "package: built in ${took} s, version $VERSION:"
echo "  $out/ottu-pos_${VERSION}_amd64.deb"
echo "  $out/ottu-pos-${VERSION}-1.x86_64.rpm"

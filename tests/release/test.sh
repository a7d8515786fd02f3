#!/usr/bin/env bash
# The release test (`make test-release`, after `make package`): checks the .deb's metadata and
# desktop entry and the .rpm's header, installs the .deb on this machine with apt, starts the
# installed /usr/bin/ottu-pos under Xvfb with a temporary HOME, a private D-Bus and keyring
# through tauri-driver (tests/e2e/tests/installed.rs: the home screen is interactive, a demo
# sale shows its QR), and purges the package again: always, also when a check fails or the run
# is interrupted. Installing needs root or sudo.
#
#   tests/release/test.sh
#
# It refuses to run when ottu-pos is already installed (it would purge someone's install).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=../../scripts/env.sh
source scripts/env.sh

TEST_NAME="release test"
# shellcheck source=common.sh
source tests/release/common.sh

started=$(date +%s)
VERSION="$(cargo pkgid --locked -p ottu-pos | sed 's/.*[#@]//')"
DEB="$ROOT/artifacts/package/ottu-pos_${VERSION}_amd64.deb"
RPM="$ROOT/artifacts/package/ottu-pos-${VERSION}-1.x86_64.rpm"
[ -f "$DEB" ] || die "$DEB is missing. Fix: make package"
[ -f "$RPM" ] || die "$RPM is missing. Fix: make package"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ottu-pos-release.XXXXXX")"
installed=0
cleanup() {
  local status=$?
  if [ "$installed" -eq 1 ]; then
    say "purging ottu-pos"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq ottu-pos >/dev/null \
      || { echo "release test: could not purge ottu-pos: run 'sudo apt-get purge ottu-pos'" >&2; status=1; }
  fi
  rm -rf "$WORK"
  [ "$status" -eq 0 ] || echo "release test: FAILED (exit $status; the package is not left installed)" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the .deb, before installing ------------------------------------------------------------
field() { dpkg-deb -f "$DEB" "$1"; }
say "$(basename "$DEB"): $(field Package) $(field Version) $(field Architecture), $(du -h "$DEB" | cut -f1)"
[ "$(field Package)" = ottu-pos ] || die "Package is '$(field Package)', expected ottu-pos"
[ "$(field Version)" = "$VERSION" ] \
  || die "Version is '$(field Version)', the workspace Cargo.toml says $VERSION"
[ "$(field Architecture)" = amd64 ] || die "Architecture is '$(field Architecture)'"
depends="$(field Depends)"
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libdbus-1-3; do
  [[ ", $depends," == *", $dep"[\ ,]* ]] || die "Depends lacks $dep: $depends"
done
say "Depends: $depends"
say "Recommends: $(field Recommends)"

dpkg-deb -x "$DEB" "$WORK/root"
[ -x "$WORK/root/usr/bin/ottu-pos" ] || die "the .deb has no executable /usr/bin/ottu-pos"
shopt -s nullglob
entries=("$WORK/root/usr/share/applications/"*.desktop)
shopt -u nullglob
[ "${#entries[@]}" -eq 1 ] || die "expected one desktop entry in the .deb, found ${#entries[@]}"
entry="${entries[0]}"
if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$entry" || die "desktop-file-validate rejects $(basename "$entry")"
else
  say "desktop-file-validate not found (apt package desktop-file-utils): entry not validated"
fi
grep -qx 'Categories=Office;Finance;' "$entry" \
  || die "the desktop entry's categories are not Office;Finance;: $(grep Categories "$entry" || true)"
grep -qx 'Exec=ottu-pos' "$entry" || die "the desktop entry does not run ottu-pos: $(grep Exec "$entry" || true)"
grep -qx 'Name=Ottu POS' "$entry" || die "the desktop entry is not named Ottu POS"
icon="$(sed -n 's/^Icon=//p' "$entry")"
for size in 32x32 128x128; do
  [ -f "$WORK/root/usr/share/icons/hicolor/$size/apps/$icon.png" ] \
    || die "no $size icon named $icon (the entry's Icon) in the .deb"
done
say "desktop entry $(basename "$entry"): valid, Office;Finance;, icon $icon in 32x32 and 128x128"

# --- the .rpm's header (read with rpm, not installed) -----------------------------------
if command -v rpm >/dev/null 2>&1; then
  rpm_version="$(rpm -qp --queryformat '%{NAME} %{VERSION} %{ARCH}' "$RPM" 2>/dev/null)"
  [ "$rpm_version" = "ottu-pos $VERSION x86_64" ] || die "the .rpm is '$rpm_version'"
  requires="$(rpm -qpR "$RPM" 2>/dev/null | tr '\n' ' ')"
  for dep in 'libwebkit2gtk-4.1.so.0()(64bit)' 'libgtk-3.so.0()(64bit)' 'libdbus-1.so.3()(64bit)'; do
    [[ " $requires" == *" $dep "* ]] || die "the .rpm does not require $dep: $requires"
  done
  say "$(basename "$RPM"): $rpm_version; requires: $requires"
else
  say "rpm not found (apt package rpm): the .rpm's header not checked"
fi

# --- install, run, purge ----------------------------------------------------------------
before="$(installed_version)"
[[ "$before" != ii* ]] \
  || die "ottu-pos is already installed ($before); this test would purge it. Remove it first: sudo apt-get purge ottu-pos"

# The end-to-end test is built before anything is installed (and before Xvfb starts).
cargo test -p ottu-pos-e2e --locked --test installed --no-run --quiet

# A copy apt's unprivileged _apt user can read.
chmod 755 "$WORK"
cp "$DEB" "$WORK/"
chmod 644 "$WORK/$(basename "$DEB")"
say "apt-get install ./$(basename "$DEB")"
installed=1
(cd "$WORK" && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$(basename "$DEB")") \
  || die "apt-get install ./$(basename "$DEB") failed (see apt's message above)"
[ "$(installed_version)" = "ii  $VERSION" ] || die "after install dpkg says '$(installed_version)'"
[ -x /usr/bin/ottu-pos ] || die "/usr/bin/ottu-pos is not installed"
[ -f "/usr/share/applications/$(basename "$entry")" ] || die "the desktop entry is not installed"

say "starting the installed /usr/bin/ottu-pos under Xvfb (temporary HOME, private D-Bus and keyring)"
mkdir -p artifacts/screenshots artifacts/e2e
OTTU_POS_BIN=/usr/bin/ottu-pos xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  scripts/with-keyring.sh \
  cargo test -p ottu-pos-e2e --locked --test installed -- --ignored --test-threads=1

say "purging ottu-pos"
as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq ottu-pos >/dev/null
installed=0
after="$(installed_version)"
[[ "$after" != ii* ]] || die "ottu-pos is still installed after the purge ($after)"
[ ! -e /usr/bin/ottu-pos ] || die "/usr/bin/ottu-pos is still there after the purge"
[ ! -e "/usr/share/applications/$(basename "$entry")" ] || die "the desktop entry is still there after the purge"

say "passed in $(($(date +%s) - started)) s (screenshots: artifacts/screenshots/installed-*.png)"

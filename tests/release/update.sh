#!/usr/bin/env bash
# The self-update test (`make test-release`, after tests/release/test.sh): version N installed
# from its .deb updates itself to N+1 served over loopback HTTPS, and a manifest signed by
# another key is refused with nothing changed.
#
#   tests/release/update.sh
#
# What it makes, all in a temporary folder and gone afterwards:
# - a signing key pair (the Tauri CLI's `signer generate`) and another one for the bad manifest;
#   the release key's private half is never needed (README: "Releases and updates");
# - a test CA and a certificate for 127.0.0.1 (openssl), trusted by the app through
#   SSL_CERT_FILE (the standard variable the system certificate loading reads; the app has no
#   switch of its own to trust more, and refuses plain http in every build);
# - versions N (the workspace version) and N+1 (its patch number plus one) of the .deb, both
#   built with the test key's public half through `tauri build --config` (N+1 also overrides
#   `version` there), so no file of the repository changes; N+1 is signed with
#   `tauri signer sign --app-version`;
# - a Python HTTPS file server on 127.0.0.1 serving N+1 and two manifests (good, other key).
#
# The installer's privilege prompt cannot run here (no polkit agent): a declared test double
# named `pkexec` goes first on the app's PATH and runs the same command as root. The package is
# purged at the end, also after a failure. Two release builds: many minutes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=../../scripts/env.sh
source scripts/env.sh

TEST_NAME="update test"
# shellcheck source=common.sh
source tests/release/common.sh

started=$(date +%s)
TAURI="$ROOT/ui/node_modules/.bin/tauri"
[ -x "$TAURI" ] || die "the Tauri CLI is missing. Fix: scripts/install-deps.sh npm"
command -v openssl >/dev/null || die "openssl is missing"
command -v python3 >/dev/null || die "python3 is missing"
[[ "$(installed_version)" != ii* ]] || die "ottu-pos is already installed; this test would replace and purge it"

FROM="$(cargo pkgid --locked -p ottu-pos | sed 's/.*[#@]//')"
IFS=. read -r major minor patch <<<"$FROM"
TO="$major.$minor.$((patch + 1))"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ottu-pos-update.XXXXXX")"
chmod 755 "$WORK"
installed=0
server=""
cleanup() {
  local status=$?
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  if [ "$installed" -eq 1 ]; then
    say "purging ottu-pos"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq ottu-pos >/dev/null \
      || { echo "update test: could not purge ottu-pos: run 'sudo apt-get purge ottu-pos'" >&2; status=1; }
  fi
  rm -rf "$WORK"
  [ "$status" -eq 0 ] || echo "update test: FAILED (exit $status; the package is not left installed)" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- keys and certificates ---------------------------------------------------------------
"$TAURI" signer generate --ci -p "" -w "$WORK/test.key" >/dev/null
"$TAURI" signer generate --ci -p "" -w "$WORK/other.key" >/dev/null
PUBKEY="$(cat "$WORK/test.key.pub")"
(
  cd "$WORK"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 \
    -subj "/CN=Ottu POS update test CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' > san.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem \
    -days 1 -extfile san.ext 2>/dev/null
)
chmod 644 "$WORK/ca.pem"

# --- versions N and N+1, with the test key -----------------------------------------------
build() {
  local version="$1" config="$2"
  say "tauri build --bundles deb, version $version, the test key (release profile: minutes)"
  local t0; t0=$(date +%s)
  "$TAURI" build --ci --ignore-version-mismatches --bundles deb --config "$config" -- --locked \
    >"$WORK/build-$version.log" 2>&1 || { tail -40 "$WORK/build-$version.log" >&2; die "the build of $version failed"; }
  local deb=("$CARGO_TARGET_DIR/release/bundle/deb/"*"_${version}_amd64.deb")
  [ -f "${deb[0]}" ] || die "no .deb for $version in $CARGO_TARGET_DIR/release/bundle/deb"
  cp "${deb[0]}" "$WORK/ottu-pos_${version}_amd64.deb"
  [ "$(dpkg-deb -f "$WORK/ottu-pos_${version}_amd64.deb" Version)" = "$version" ] \
    || die "the .deb of $version says $(dpkg-deb -f "$WORK/ottu-pos_${version}_amd64.deb" Version)"
  say "built $version in $(($(date +%s) - t0)) s"
}
updater_config="\"plugins\":{\"updater\":{\"pubkey\":\"$PUBKEY\",\"endpoints\":[],\"requireSignedVersion\":true}}"
build "$FROM" "{$updater_config}"
build "$TO" "{\"version\":\"$TO\",$updater_config}"

# --- what the update server serves ---------------------------------------------------------
SITE="$WORK/site"
mkdir -p "$SITE"
ARTIFACT="ottu-pos_${TO}_amd64.deb"
mv "$WORK/$ARTIFACT" "$SITE/"
"$TAURI" signer sign -f "$WORK/test.key" -p "" --app-version "$TO" "$SITE/$ARTIFACT" >/dev/null
good_sig="$(cat "$SITE/$ARTIFACT.sig")"
"$TAURI" signer sign -f "$WORK/other.key" -p "" --app-version "$TO" "$SITE/$ARTIFACT" >/dev/null
other_sig="$(cat "$SITE/$ARTIFACT.sig")"

port_file="$WORK/port"
python3 - "$SITE" "$WORK/server.pem" "$WORK/server.key" >"$port_file" 2>"$WORK/server.log" <<'PY' &
import functools, http.server, ssl, sys
root, cert, key = sys.argv[1:4]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
server=$!
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
PORT="$(head -1 "$port_file")"
[ -n "$PORT" ] || die "the HTTPS server did not start: $(cat "$WORK/server.log")"
BASE="https://127.0.0.1:$PORT"
manifest() {
  python3 - "$TO" "$BASE/$ARTIFACT" "$1" <<'PY'
import json, sys
version, url, signature = sys.argv[1:4]
platform = {"url": url, "signature": signature}
print(json.dumps({
    "version": version,
    "notes": f"Ottu POS {version}: what's new in this test release",
    "pub_date": "2026-12-03T12:00:00Z",
    "platforms": {"linux-x86_64-deb": platform, "linux-x86_64": platform},
}))
PY
}
manifest "$good_sig" >"$SITE/latest.json"
manifest "$other_sig" >"$SITE/foreign.json"
curl -fsS --cacert "$WORK/ca.pem" "$BASE/latest.json" >/dev/null || die "the manifest is not served over HTTPS"
say "serving $ARTIFACT and its manifests at $BASE"

# --- the test double for the privilege prompt --------------------------------------------
mkdir -p "$WORK/doubles"
cat >"$WORK/doubles/pkexec" <<'SH'
#!/bin/sh
# Test double for pkexec (no polkit agent here): runs the requested command as root.
echo "pkexec test double: $*" >&2
if [ "$(id -u)" -eq 0 ]; then exec "$@"; else exec sudo -n "$@"; fi
SH
chmod 755 "$WORK/doubles/pkexec"

# --- install N, update from the app ---------------------------------------------------------
cargo test -p ottu-pos-e2e --locked --test installed_update --no-run --quiet
cp "$WORK/ottu-pos_${FROM}_amd64.deb" "$WORK/install.deb"
chmod 644 "$WORK/install.deb"
installed=1
(cd "$WORK" && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ./install.deb) \
  || die "apt-get install of $FROM failed"
[ "$(installed_version)" = "ii  $FROM" ] || die "after install dpkg says '$(installed_version)'"
say "installed $FROM; the owner updates it to $TO from Settings"

mkdir -p artifacts/screenshots
OTTU_POS_BIN=/usr/bin/ottu-pos \
OTTU_POS_UPDATE_FROM="$FROM" OTTU_POS_UPDATE_TO="$TO" \
OTTU_POS_UPDATE_URL="$BASE/latest.json" OTTU_POS_UPDATE_FOREIGN_URL="$BASE/foreign.json" \
OTTU_POS_UPDATE_CA="$WORK/ca.pem" OTTU_POS_UPDATE_DOUBLES="$WORK/doubles" \
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" scripts/with-keyring.sh \
  cargo test -p ottu-pos-e2e --locked --test installed_update -- --ignored --test-threads=1

[ "$(installed_version)" = "ii  $TO" ] || die "after the update dpkg says '$(installed_version)'"
say "passed in $(($(date +%s) - started)) s: $FROM refused a foreign signature, then updated itself to $TO and restarted"

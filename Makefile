# Ottu POS: the commands everyone (and CI, through .ci/run) runs.
#
#   make run     install what is missing, build the release app, open it in demo mode
#   make test    install what is missing, then formatting, lints and every test (see below)
#   make doctor  list what is missing (apt, Rust, Node.js, npm packages, cargo tools, display)
#   make package       the release app as .deb and .rpm (artifacts/package/); no downloads
#   make test-release  make package, then install the .deb, run it over WebDriver, purge it;
#                      then install version N and update it to N+1 from its Settings
#
# Every target installs its own prerequisites (scripts/install-deps.sh: apt packages, the UI's
# npm packages from the lockfile, cargo tools), doing nothing when all is present. Builds, cargo
# tools and npm packages are cached outside the clone (scripts/env.sh), keyed by version, so a
# fresh clone reuses them; OTTU_POS_CACHE_DIR moves the cache, CARGO_TARGET_DIR the build dir.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
export OTTU_POS_CACHE_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ottu-pos
export CARGO_TARGET_DIR ?= $(OTTU_POS_CACHE_DIR)/target
# The same two defaults as scripts/env.sh, for the cargo commands run here directly; the scripts
# (tests, e2e, benchmarks) source env.sh, which also puts the cached cargo tools on PATH.
# Port and database of `make sandbox` (the local Checkout API stand-in).
SANDBOX_PORT ?= 8411
SANDBOX_DB ?= $(ROOT)/artifacts/sandbox.sqlite3

DEPS := scripts/install-deps.sh
UI_SOURCES := $(shell find ui/src ui/index.html ui/package.json ui/vite.config.ts ui/svelte.config.js ui/tsconfig.json -type f 2>/dev/null)

.PHONY: help deps doctor ui build run test lint fmt fmt-check e2e a11y bench chaos sandbox icons clean-tools package test-release bench-history

help:
	@echo "make run          build and open Ottu POS in demo mode (embedded sandbox, no credentials)"
	@echo "make test         formatting, clippy, unit/integration/UI tests, fuzzing, keychain and end-to-end tests"
	@echo "make lint         rustfmt check, clippy -D warnings, svelte-check"
	@echo "make fmt          format the Rust code"
	@echo "make e2e          only the end-to-end tests (real app under Xvfb via tauri-driver)"
	@echo "make a11y         axe-core on every screen in all four language/theme pairs (artifacts/screenshots/accessibility/)"
	@echo "make package      release build as .deb and .rpm in artifacts/package/ (minutes; no downloads)"
	@echo "make test-release make package, install the .deb (root/sudo), run it over WebDriver, purge it"
	@echo "make bench        run every benchmark and write BENCHMARKS.md"
	@echo "make bench-history a million generated sales: history queries and CLI start-up; figures into BENCHMARKS.md"
	@echo "make chaos        10,000 sales under random faults, kills and a driven clock; figures into BENCHMARKS.md"
	@echo "make sandbox      run the local Checkout API sandbox on 127.0.0.1:$(SANDBOX_PORT)"
	@echo "make doctor       list what is missing (apt, Rust, Node.js, npm, cargo tools, display); installs nothing"
	@echo "make deps         install missing apt packages, npm packages and cargo tools (idempotent)"
	@echo "make clean-tools  remove the cached cargo tools and npm packages ($(OTTU_POS_CACHE_DIR))"

deps:
	@$(DEPS) all

doctor:
	@$(DEPS) --check doctor

# The UI bundle the shell embeds at compile time (src-tauri/tauri.conf.json frontendDist).
ui: ui/dist/index.html
ui/dist/index.html: $(UI_SOURCES) ui/package-lock.json
	@$(DEPS) npm
	cd ui && npm run build
	@touch $@

build: deps ui
	cargo build -p ottu-pos

# The display is checked first: a missing one is known before a release build of minutes.
run: deps
	@$(DEPS) --check display
	@$(MAKE) --no-print-directory ui
	cargo build --locked --release -p ottu-pos
	"$(CARGO_TARGET_DIR)/release/ottu-pos"

# Runs every step even after a failure, prints a summary, and fails if any step failed.
test: deps ui
	@scripts/test-all.sh

lint: deps ui
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npm run check

fmt:
	cargo fmt --all

fmt-check:
	cargo fmt --all -- --check

e2e: deps ui
	@scripts/e2e.sh

# `make test` checks every screen in English/light and Arabic/dark; this adds the other two pairs.
a11y: deps ui
	@OTTU_POS_A11Y_ALL=1 scripts/e2e.sh every_screen

# The installable bundles Tauri makes offline on Linux (.deb, .rpm), from the release profile.
# Not part of `make test`: the fat-LTO release build takes minutes.
package: deps ui
	@$(DEPS) package
	@scripts/package.sh

# Installs the .deb on this machine, starts it under Xvfb over WebDriver and always purges it;
# then the self-update test: versions N and N+1 built with a test key, N installed, updated from
# its Settings over loopback HTTPS, a foreign signature refused (two more release builds).
test-release: package
	@tests/release/test.sh
	@tests/release/update.sh

bench: deps ui
	@scripts/bench-all.sh

# The chaos test at full size (CHAOS_SALES=10000 unless set); its section of BENCHMARKS.md is
# rewritten, the other sections are kept as recorded.
chaos: deps ui
	@bench/chaos.sh
	@scripts/bench-all.sh --report-only

# The history benchmark at full size (bench/history.sh; `make bench` runs 20,000 sales): its
# section of BENCHMARKS.md is written, the other sections are kept as recorded.
bench-history: deps
	@HISTORY_SALES=$${HISTORY_SALES:-1000000} HISTORY_OPEN=$${HISTORY_OPEN:-30000} bench/history.sh
	@scripts/bench-all.sh --report-only

sandbox:
	@mkdir -p "$(dir $(SANDBOX_DB))"
	cargo run -p ottu-sandbox -- serve --port $(SANDBOX_PORT) --db "$(SANDBOX_DB)"

icons:
	python3 scripts/make-icons.py

clean-tools:
	rm -rf "$(OTTU_POS_CACHE_DIR)/tools" "$(OTTU_POS_CACHE_DIR)/npm"

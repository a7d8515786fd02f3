# Placeholder until the install scripts land: see README.md.
.PHONY: test run
test:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo test --workspace
run:
	@echo "the app is not built yet"

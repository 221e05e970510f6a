#!/usr/bin/env bash
# try-runtime's on-runtime-upgrade check of this tree's runtime against a chain's state, before
# the upgrade is proposed or voted on (docs/validator.md#checking-a-runtime-upgrade).
#
#   scripts/upgrade-check.sh --uri ws://127.0.0.1:9944 [--at 0x<block hash>] [--save-snapshot FILE]
#   scripts/upgrade-check.sh --snapshot FILE
#   scripts/upgrade-check.sh --build-only      only build; prints the try-runtime wasm's path
#
# Builds this tree's runtime with the `try-runtime` feature (its own wasm file, next to the
# normal one, which it never replaces) and the checker, then runs
# `powerverse-upgrade-check --runtime <that wasm> ARGS...`: snapshot of the chain (verified
# against the block's state root), the new runtime's migrations with their pre/post checks,
# every pallet's try_state, a weight check and an idempotency check. Exit 0 = every check passed.
set -euo pipefail
. "$(dirname "$0")/env.sh"
if [ $# = 0 ]; then
	sed -n '2,/^set -e/p' "$0" | sed '$d'
	exit 2
fi
pv_setup >&2
# Build in the checkout; run from the caller's directory (relative snapshot paths stay theirs).
(cd "$ROOT" && pv_build_try_runtime) >&2
wasm="$(pv_try_runtime_wasm)"
if [ "$1" = --build-only ]; then
	echo "$wasm"
	exit 0
fi
(cd "$ROOT" && cargo build --release --locked -p powerverse-upgrade-check) >&2
exec "$CARGO_TARGET_DIR/release/powerverse-upgrade-check" --runtime "$wasm" "$@"

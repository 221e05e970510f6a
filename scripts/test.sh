#!/usr/bin/env bash
# Sets up what is missing, builds everything once (release profile) and runs every test:
# pallet unit/property/benchmark tests, runtime tests and the node end-to-end tests.
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

start=$(date +%s)
echo "test.sh: building (target dir $CARGO_TARGET_DIR)"
cargo build --release --workspace --locked
built=$(date +%s)
echo "test.sh: build took $((built - start)) s"

cargo test --release --workspace --locked
echo "test.sh: all tests passed; total $(( $(date +%s) - start )) s"

#!/usr/bin/env bash
# Sets up what is missing, builds everything once (release profile) and runs every test:
# pallet unit/property/benchmark tests, runtime tests, the node and agent end-to-end tests and
# the polkadot.js suite. Before them, in seconds, the test of the scripts themselves
# (scripts/tests/first-run.sh: a fresh machine simulated with stubs).
# Every node the tests start listens on ports picked free at run time, so no port can clash.
set -euo pipefail
. "$(dirname "$0")/env.sh"
pv_setup --with-node
cd "$ROOT"

start=$(date +%s)
echo "test.sh: testing the scripts (scripts/tests/first-run.sh)"
bash scripts/tests/first-run.sh
echo "test.sh: building the runtime with try-runtime for the upgrade check (node e2e)"
pv_build_try_runtime
export POWERVERSE_TRY_RUNTIME_WASM="$(pv_try_runtime_wasm)"
echo "test.sh: building and testing the workspace (target dir $CARGO_TARGET_DIR)"
# One command builds everything once, node binary included (the end-to-end tests need it), with
# the same feature set the tests use, so nothing is compiled twice.
cargo test --release --workspace --locked
echo "test.sh: workspace tests passed after $(( $(date +%s) - start )) s"

# The polkadot.js suites, each against nodes it starts: e2e, the docs' snippets, a network from
# generated keys, a fifth validator joining the local network. They mostly wait for 6-second
# blocks, so they run side by side.
(cd js && npm ci --no-audit --no-fund --loglevel=error)
POWERVERSE_NODE="$CARGO_TARGET_DIR/release/powerverse-node" node --test --test-concurrency=3 js/test/
echo "test.sh: polkadot.js suite passed after $(( $(date +%s) - start )) s"

# The fault test bed's smoke run: kill -9 of a validator under load and its restart, four
# validators in network namespaces (needs root and iproute2; the full scenarios:
# scripts/faults.sh, docs/validator.md#faults).
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null && ip netns add pvf-probe 2>/dev/null && ip netns del pvf-probe; then
	POWERVERSE_NODE="$CARGO_TARGET_DIR/release/powerverse-node" node js/faults.mjs --smoke
	echo "test.sh: fault smoke passed after $(( $(date +%s) - start )) s"
else
	echo "test.sh: fault smoke skipped (needs root, iproute2 and permission to create network namespaces)"
fi

# Every shell command in README.md and docs/ that can run here (the rest are listed with why).
POWERVERSE_NODE="$CARGO_TARGET_DIR/release/powerverse-node" bash scripts/tests/doc-commands.sh
echo "test.sh: doc commands passed after $(( $(date +%s) - start )) s"

# Benchmarks of the PowerVerse pallets run as tests (impl_benchmark_test_suite!), per pallet.
SKIP_WASM_BUILD=1 cargo test --release --locked -p pallet-compute -p pallet-compute-staking -p pallet-market -p pallet-supervisors -p pallet-tiers -p pallet-validators -p pallet-price-oracle --features runtime-benchmarks
echo "test.sh: all tests passed; total $(( $(date +%s) - start )) s"

#!/usr/bin/env bash
# Generates the weights of PowerVerse pallets with the node's benchmark CLI.
#   scripts/benchmark.sh                 # every PowerVerse pallet
#   scripts/benchmark.sh pallet_compute  # one pallet
# Builds the node with `--features runtime-benchmarks` in the same target dir (cargo keeps both
# feature sets' artifacts, so switching back and forth only relinks). Writes
# pallets/<name>/src/weights.rs from scripts/pallet-weight-template.hbs.
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"
pallets=("$@")
[ ${#pallets[@]} -eq 0 ] && pallets=(pallet_compute pallet_compute_staking pallet_market)

# frame-benchmarking-cli carries a test runtime for `benchmark storage --enable-trie-cache`
# checks; its wasm build cannot locate itself in our workspace metadata (the CLI is an optional
# dependency), and pallet benchmarks do not need it.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
cargo build --release -p powerverse-node --features runtime-benchmarks
BENCH_BIN="$CARGO_TARGET_DIR/release/powerverse-node"

for pallet in "${pallets[@]}"; do
	dir="pallets/$(echo "${pallet#pallet_}" | tr _ -)"
	echo "benchmark: $pallet -> $dir/src/weights.rs (steps $STEPS, repeat $REPEAT)"
	start=$(date +%s)
	"$BENCH_BIN" benchmark pallet \
		--runtime "$CARGO_TARGET_DIR/release/wbuild/powerverse-runtime/powerverse_runtime.compact.compressed.wasm" \
		--genesis-builder runtime --genesis-builder-preset development \
		--pallet "$pallet" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" \
		--wasm-execution compiled --heap-pages 4096 \
		--template scripts/pallet-weight-template.hbs \
		--output "$dir/src/weights.rs"
	echo "benchmark: $pallet took $(( $(date +%s) - start )) s"
done
# The next ordinary build relinks the node without the benchmark feature.

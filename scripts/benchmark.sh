#!/usr/bin/env bash
# Generates call weights with the node's benchmark CLI: the PowerVerse pallets and the stock
# pallets whose shipped weights do not fit this runtime (GRANDPA, the DEX's assets,
# asset-conversion and fee payment).
#   scripts/benchmark.sh                 # all of them
#   scripts/benchmark.sh pallet_compute  # one pallet
#   scripts/benchmark.sh pallet_grandpa  # a stock pallet the runtime prices itself
# Builds the node with `--features runtime-benchmarks` in the same target dir (cargo keeps both
# feature sets' artifacts, so switching back and forth only relinks). Writes
# pallets/<name>/src/weights.rs from scripts/pallet-weight-template.hbs; for a stock pallet
# (no folder under pallets/), runtime/src/weights/<pallet>.rs from scripts/stock-weight-template.hbs.
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"
pallets=("$@")
[ ${#pallets[@]} -eq 0 ] && pallets=(pallet_compute pallet_compute_staking pallet_market pallet_supervisors pallet_tiers pallet_validators pallet_price_oracle pallet_grandpa pallet_assets pallet_asset_conversion pallet_asset_conversion_tx_payment)

# frame-benchmarking-cli carries a test runtime for `benchmark storage --enable-trie-cache`
# checks; its wasm build cannot locate itself in our workspace metadata (the CLI is an optional
# dependency), and pallet benchmarks do not need it.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
cargo build --release -p powerverse-node --features runtime-benchmarks
BENCH_BIN="$CARGO_TARGET_DIR/release/powerverse-node"

for pallet in "${pallets[@]}"; do
	dir="pallets/$(echo "${pallet#pallet_}" | tr _ -)"
	out="$dir/src/weights.rs"
	template=scripts/pallet-weight-template.hbs
	if [ ! -d "$dir" ]; then
		out="runtime/src/weights/$pallet.rs"
		# A stock pallet: its own `WeightInfo` trait implemented with our measurements
		# (GRANDPA's benchmarks do not match its trait; configs/grandpa.rs maps them).
		[ "$pallet" = pallet_grandpa ] || template=scripts/stock-weight-template.hbs
	fi
	echo "benchmark: $pallet -> $out (steps $STEPS, repeat $REPEAT)"
	start=$(date +%s)
	"$BENCH_BIN" benchmark pallet \
		--runtime "$CARGO_TARGET_DIR/release/wbuild/powerverse-runtime/powerverse_runtime.compact.compressed.wasm" \
		--genesis-builder runtime --genesis-builder-preset development \
		--pallet "$pallet" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" \
		--wasm-execution compiled --heap-pages 4096 \
		--template "$template" \
		--output "$out"
	echo "benchmark: $pallet took $(( $(date +%s) - start )) s"
done
# The next ordinary build relinks the node without the benchmark feature.

#!/usr/bin/env bash
# Generates call weights with the node's benchmark CLI: the PowerVerse pallets and the stock
# pallets whose shipped weights do not fit this runtime (system and its extensions, balances,
# timestamp, sudo, GRANDPA, session, nfts, transaction-payment, the DEX's assets,
# asset-conversion and fee payment, preimage, scheduler, referenda, conviction-voting, treasury).
#   scripts/benchmark.sh                 # every pallet (not overhead/storage)
#   scripts/benchmark.sh pallet_compute  # one pallet
#   scripts/benchmark.sh pallet_grandpa  # a stock pallet the runtime prices itself
#   scripts/benchmark.sh overhead storage  # block/extrinsic base weights, ParityDB read/write
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
# Stock pallets priced on this runtime as well. pallet_session's benchmarks are ours
# (pallets/validators/src/session_benchmarking.rs: the stock ones need pallet-staking). The
# committed timestamp, sudo, governance, treasury, nfts, session and transaction-payment weights
# (and the market and compute ones of the sixth session) were generated with STEPS=20 REPEAT=10;
# the rest with the defaults below.
[ ${#pallets[@]} -eq 0 ] && pallets=(pallet_compute pallet_compute_staking pallet_market pallet_supervisors pallet_tiers pallet_validators pallet_price_oracle pallet_grandpa pallet_assets pallet_asset_conversion pallet_asset_conversion_tx_payment frame_system frame_system_extensions pallet_balances pallet_timestamp pallet_sudo pallet_preimage pallet_scheduler pallet_referenda pallet_conviction_voting pallet_treasury pallet_nfts pallet_session pallet_transaction_payment)

# frame-benchmarking-cli carries a test runtime for `benchmark storage --enable-trie-cache`
# checks; its wasm build cannot locate itself in our workspace metadata (the CLI is an optional
# dependency), and pallet benchmarks do not need it.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
cargo build --release -p powerverse-node --features runtime-benchmarks
BENCH_BIN="$CARGO_TARGET_DIR/release/powerverse-node"

# Base weights of a block and of an extrinsic (`benchmark overhead`, an empty block and blocks
# of remarks on the development genesis), with a 10% margin over the measured average.
overhead() {
	echo "benchmark: overhead -> runtime/src/weights/{block,extrinsic}_weights.rs"
	"$BENCH_BIN" benchmark overhead --dev --database paritydb \
		--weight-path runtime/src/weights --header scripts/weights-header.txt \
		--warmup 10 --repeat 100 --mul 1.1
}

# ParityDB's cost of a read and a write (`benchmark storage`) on a state of STATE_ACCOUNTS
# endowed accounts (default 100,000) besides the development genesis: the chain is started on
# that spec until block 3 so the state is in the database, then every key is read and written.
# Weight: the 99th percentile plus 10%.
storage() {
	local accounts="${STATE_ACCOUNTS:-100000}" dir
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' RETURN
	echo "benchmark: storage on a state of $accounts accounts -> runtime/src/weights/paritydb_weights.rs"
	[ -d js/node_modules/@polkadot/api ] || (cd js && npm ci --no-audit --no-fund --loglevel=error)
	POWERVERSE_NODE="$BENCH_BIN" node js/load.mjs spec --accounts "$accounts" --out "$dir/spec.json"
	"$BENCH_BIN" --chain "$dir/spec.json" --alice --validator --force-authoring --base-path "$dir/db" --node-key "$(printf '%063d1' 0)" \
		--database paritydb --rpc-port 0 --port 0 --no-prometheus --no-mdns --no-telemetry > "$dir/node.log" 2>&1 &
	local pid=$!
	until grep -q "Imported #3\|Prepared block for proposing at 3 " "$dir/node.log"; do
		kill -0 $pid 2>/dev/null || { tail -20 "$dir/node.log"; return 1; }
		sleep 2
	done
	kill $pid; wait $pid || true
	"$BENCH_BIN" benchmark storage --chain "$dir/spec.json" --base-path "$dir/db" --database paritydb \
		--state-version 1 --weight-path runtime/src/weights --header scripts/weights-header.txt \
		--metric p99 --mul 1.1 --warmups 2
}

for pallet in "${pallets[@]}"; do
	case "$pallet" in
		overhead) start=$(date +%s); overhead; echo "benchmark: overhead took $(( $(date +%s) - start )) s"; continue ;;
		storage) start=$(date +%s); storage; echo "benchmark: storage took $(( $(date +%s) - start )) s"; continue ;;
	esac
	dir="pallets/$(echo "${pallet#pallet_}" | tr _ -)"
	out="$dir/src/weights.rs"
	template=scripts/pallet-weight-template.hbs
	if [ ! -d "$dir" ]; then
		out="runtime/src/weights/$pallet.rs"
		# A stock pallet: its own `WeightInfo` trait implemented with our measurements
		# (GRANDPA's benchmarks do not match its trait; configs/grandpa.rs maps them).
		[ "$pallet" = pallet_grandpa ] || template=scripts/stock-weight-template.hbs
	fi
	case "$pallet" in frame_*) out="runtime/src/weights/$pallet.rs" ;; esac
	# Governance pallets need their real periods (the development preset divides them by 1,440:
	# a referendum would already be deciding where the benchmark expects it preparing); pallet-nfts
	# creates collection 0 itself (the benchmark preset has no compute collection), so its
	# transfers and burns pay the compute pallet's lock check as compute NFTs do.
	case "$pallet" in
	pallet_referenda | pallet_conviction_voting | pallet_treasury | pallet_scheduler | pallet_preimage | pallet_nfts) preset=benchmark ;;
	*) preset=development ;;
	esac
	echo "benchmark: $pallet -> $out (steps $STEPS, repeat $REPEAT, genesis preset $preset)"
	start=$(date +%s)
	"$BENCH_BIN" benchmark pallet \
		--runtime "$CARGO_TARGET_DIR/release/wbuild/powerverse-runtime/powerverse_runtime.compact.compressed.wasm" \
		--genesis-builder runtime --genesis-builder-preset "$preset" \
		--pallet "$pallet" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" \
		--wasm-execution compiled --heap-pages 4096 \
		--template "$template" \
		--output "$out"
	# The system extensions' trait lives in frame_system, not in a crate of that name.
	[ "$pallet" = frame_system_extensions ] && sed -i 's/impl<T: frame_system::Config> frame_system_extensions::WeightInfo/impl<T: frame_system::Config> frame_system::ExtensionsWeightInfo/' "$out"
	echo "benchmark: $pallet took $(( $(date +%s) - start )) s"
done
# The next ordinary build relinks the node without the benchmark feature.

#!/usr/bin/env bash
# Starts a 4-validator PowerVerse local testnet (Alice, Bob, Charlie, Dave) on 127.0.0.1, each
# with its own ports and base path, prints their RPC endpoints, and stops them all on Ctrl-C.
#   BASE=/tmp/powerverse-local scripts/local-testnet.sh     (PURGE=1 to start from genesis)
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
[ -x "$NODE_BIN" ] || cargo build --release -p powerverse-node

BASE="${BASE:-/tmp/powerverse-local}"
[ "${PURGE:-0}" = 1 ] && rm -rf "$BASE"
mkdir -p "$BASE"

names=(alice bob charlie dave)
pids=()
stop() {
	trap - INT TERM EXIT
	echo; echo "stopping validators: ${pids[*]}"
	kill -INT "${pids[@]}" 2>/dev/null || true
	wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

# Every validator of a non-dev chain needs a persisted node key; Alice's is the bootnode's.
for name in "${names[@]}"; do
	[ -f "$BASE/$name.node-key" ] || "$NODE_BIN" key generate-node-key --file "$BASE/$name.node-key" 2>/dev/null
done
peer_id=$("$NODE_BIN" key inspect-node-key --file "$BASE/alice.node-key")
bootnode="/ip4/127.0.0.1/tcp/30333/p2p/$peer_id"

for i in "${!names[@]}"; do
	name=${names[$i]}
	p2p=$((30333 + i)); rpc=$((9944 + i))
	extra=(--node-key-file "$BASE/$name.node-key")
	[ "$name" = alice ] || extra+=(--bootnodes "$bootnode")
	"$NODE_BIN" --chain local --"$name" --base-path "$BASE/$name" \
		--listen-addr "/ip4/127.0.0.1/tcp/$p2p" --rpc-port "$rpc" --rpc-cors all \
		--prometheus-port $((9615 + i)) --no-mdns "${extra[@]}" \
		>"$BASE/$name.log" 2>&1 &
	pids+=($!)
	echo "$name: ws://127.0.0.1:$rpc  (p2p $p2p, log $BASE/$name.log, base path $BASE/$name)"
done
echo "bootnode: $bootnode"
echo "Ctrl-C stops all four."
tail -n 0 -f "$BASE/alice.log" &
pids+=($!)
wait "${pids[0]}"

#!/usr/bin/env bash
# Starts a 4-validator PowerVerse local testnet (Alice, Bob, Charlie, Dave) on 127.0.0.1, each
# with its own ports and base path, prints their RPC endpoints, and stops them all on Ctrl-C.
#   BASE=/tmp/powerverse-local scripts/local-testnet.sh     (PURGE=1 to start from genesis)
#   CHAIN=/tmp/load-local.json PURGE=1 scripts/local-testnet.sh   (a spec of `scripts/load.sh spec
#   --chain local`: the same validators with the load tool's accounts endowed; default `local`)
# Builds the node first, with the same cargo invocation as scripts/dev.sh (so it never runs a
# stale binary). Ports, validator i = 0..3 (none of them dev.sh's 9944/30333/9615, so a dev chain
# can run beside it): RPC RPC_PORT+i (9951..), p2p P2P_PORT+i (30351..), Prometheus
# PROMETHEUS_PORT+i (9651..); any of them in use stops the script before anything starts.
# RPC and Prometheus listen on localhost only, with the node's default CORS (localhost origins and
# polkadot.js.org): no --rpc-external, no --rpc-cors all.
set -euo pipefail
. "$(dirname "$0")/env.sh"

RPC_PORT="${RPC_PORT:-9951}"
P2P_PORT="${P2P_PORT:-30351}"
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9651}"
names=(alice bob charlie dave)
check_ports() {
	local ports=() i
	for i in "${!names[@]}"; do
		ports+=("${names[$i]} RPC:$((RPC_PORT + i))" "${names[$i]} p2p:$((P2P_PORT + i))"
			"${names[$i]} Prometheus:$((PROMETHEUS_PORT + i))")
	done
	pv_require_free_ports "choose other base ports: RPC_PORT=N P2P_PORT=N PROMETHEUS_PORT=N scripts/local-testnet.sh (validator i uses N+i)." "${ports[@]}"
}
check_ports # before the setup and the build, so a clash is reported at once

pv_setup
cd "$ROOT"
pv_build_node
check_ports # something may have taken a port during the build

BASE="${BASE:-/tmp/powerverse-local}"
[ "${PURGE:-0}" = 1 ] && rm -rf "$BASE"
mkdir -p "$BASE"

pids=()
stop() {
	trap - INT TERM EXIT
	echo
	echo "stopping validators: ${pids[*]}"
	# TERM, not INT: background processes of a script ignore SIGINT (the log tail would never
	# stop); the node shuts down as cleanly on TERM.
	kill -TERM "${pids[@]}" 2>/dev/null || true
	wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

# Every validator of a non-dev chain needs a persisted node key; Alice's is the bootnode's.
for name in "${names[@]}"; do
	[ -f "$BASE/$name.node-key" ] || "$NODE_BIN" key generate-node-key --file "$BASE/$name.node-key" 2>/dev/null
done
peer_id=$("$NODE_BIN" key inspect-node-key --file "$BASE/alice.node-key")
bootnode="/ip4/127.0.0.1/tcp/$P2P_PORT/p2p/$peer_id"

for i in "${!names[@]}"; do
	name=${names[$i]}
	p2p=$((P2P_PORT + i)) rpc=$((RPC_PORT + i))
	extra=(--node-key-file "$BASE/$name.node-key")
	[ "$name" = alice ] || extra+=(--bootnodes "$bootnode")
	"$NODE_BIN" --chain "${CHAIN:-local}" --"$name" --base-path "$BASE/$name" \
		--listen-addr "/ip4/127.0.0.1/tcp/$p2p" --rpc-port "$rpc" \
		--prometheus-port $((PROMETHEUS_PORT + i)) --no-mdns "${extra[@]}" \
		>"$BASE/$name.log" 2>&1 &
	pids+=($!)
	echo "$name: ws://127.0.0.1:$rpc  (p2p $p2p, log $BASE/$name.log, base path $BASE/$name)"
done
echo "bootnode: $bootnode"
echo "Ctrl-C stops all four."
tail -n 0 -f "$BASE/alice.log" &
pids+=($!)
wait "${pids[0]}"

#!/usr/bin/env bash
# Sets up what is missing, builds the node and starts a single-validator development chain
# (Alice authors and finalizes; state is temporary). Extra arguments go to the node, e.g.
#   scripts/dev.sh --base-path /tmp/pv-dev      # keep the chain between runs
#   scripts/dev.sh --rpc-port 9955 --port 30355 --prometheus-port 9655   # beside another node
# RPC (HTTP + WebSocket): ws://127.0.0.1:9944 — polkadot.js Apps: Development → Local Node.
# Needs no Node.js (only scripts/test.sh does). Exits 1 with the port named when the RPC (9944),
# p2p (30333) or Prometheus (9615) port is already taken.
set -euo pipefail
. "$(dirname "$0")/env.sh"

# The ports the node will listen on (its defaults, or what the arguments say).
rpc_port=9944 p2p_port=30333 prometheus_port=9615
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	next=${args[i + 1]:-}
	case "${args[i]}" in
	--rpc-port) rpc_port=$next ;;
	--rpc-port=*) rpc_port=${args[i]#*=} ;;
	--port) p2p_port=$next ;;
	--port=*) p2p_port=${args[i]#*=} ;;
	--listen-addr | --listen-addr=*) p2p_port="" ;; # the node listens where it is told
	--prometheus-port) prometheus_port=$next ;;
	--prometheus-port=*) prometheus_port=${args[i]#*=} ;;
	--no-prometheus) prometheus_port="" ;;
	esac
done
check_ports() {
	pv_require_free_ports "give the node other ports: scripts/dev.sh --rpc-port N --port N --prometheus-port N (or --no-prometheus)." \
		"RPC:$rpc_port" "p2p:$p2p_port" "Prometheus:$prometheus_port"
}
check_ports # before the setup and the build, so a clash is reported at once

pv_setup
cd "$ROOT"
pv_build_node
check_ports # something may have taken a port during the build
exec "$NODE_BIN" --dev --rpc-cors all "$@"

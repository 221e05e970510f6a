#!/usr/bin/env bash
# Prints the numbers docs/development.md reports: node binary size, and the resident memory of a
# dev node after BLOCKS blocks (default 100, i.e. 10 minutes at 6 s blocks).
#   BLOCKS=100 scripts/measure-node.sh
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$ROOT"
BLOCKS="${BLOCKS:-100}"
[ -x "$NODE_BIN" ] || cargo build --release -p powerverse-node

echo "binary: $(du -hL "$NODE_BIN" | cut -f1) ($(stat -L -c %s "$NODE_BIN") bytes) $NODE_BIN"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
"$NODE_BIN" --dev --tmp --rpc-port "$port" --no-prometheus --no-mdns --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log"' EXIT

best() {
	curl -s -H 'Content-Type: application/json' \
		-d '{"jsonrpc":"2.0","id":1,"method":"chain_getHeader","params":[]}' \
		"http://127.0.0.1:$port" | python3 -c 'import sys,json; print(int(json.load(sys.stdin)["result"]["number"],16))' 2>/dev/null || echo 0
}
start=$(date +%s)
while [ "$(best)" -lt "$BLOCKS" ]; do
	kill -0 $pid 2>/dev/null || { echo "node died:"; tail -20 "$log"; exit 1; }
	sleep 5
done
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
hwm_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "dev node after $(best) blocks ($(( $(date +%s) - start )) s): RSS $((rss_kb / 1024)) MiB, peak $((hwm_kb / 1024)) MiB"

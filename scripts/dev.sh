#!/usr/bin/env bash
# Sets up what is missing, builds the node and starts a single-validator development chain
# (Alice authors and finalizes; state is temporary). Extra arguments go to the node, e.g.
#   scripts/dev.sh --base-path /tmp/pv-dev      # keep the chain between runs
# RPC (HTTP + WebSocket): ws://127.0.0.1:9944 — polkadot.js Apps: Development → Local Node.
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
cargo build --release -p powerverse-node -p powerverse-agent
exec "$NODE_BIN" --dev --rpc-cors all "$@"

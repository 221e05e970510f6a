#!/usr/bin/env bash
# The load tool (js/load.mjs): transfers and market calls at a chosen rate for a bounded time,
# with per-kind inclusion per block, tx/s, submit→in-block and submit→finalized latency, block
# fill by weight and the node's proposal times. docs/performance.md has the figures.
#   scripts/load.sh --accounts 400 --kinds transfer --rate 400 --duration 60
#   scripts/load.sh --kinds post_job,accept_job,rent,heartbeat,claim --rate 200 --duration 120
#   scripts/load.sh spec --accounts 400 --out /tmp/load-spec.json     # a spec to start nodes on
# Without --url it starts its own dev node (a temporary database) and stops it at the end.
set -euo pipefail
. "$(dirname "$0")/env.sh"
pv_setup --with-node
cd "$ROOT"
[ -x "$NODE_BIN" ] || cargo build --release -p powerverse-node
[ -d js/node_modules/@polkadot/api ] || (cd js && npm ci --no-audit --no-fund --loglevel=error)
POWERVERSE_NODE="$NODE_BIN" exec node js/load.mjs "$@"

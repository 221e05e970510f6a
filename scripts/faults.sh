#!/usr/bin/env bash
# The fault test bed (docs/validator.md#faults): four validators of the local network, each in
# its own network namespace, under load; kill -9, a 2|2 partition and a restart from the kept
# database, each checked and measured. Needs root and iproute2; builds the node if needed.
#
#   sudo scripts/faults.sh [--scenarios kill,partition,restart] [--load-seconds N] [--smoke]
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$ROOT"
if [ "$(id -u)" != 0 ]; then
	echo "faults.sh: network namespaces need root: sudo scripts/faults.sh $*" >&2
	exit 2
fi
command -v ip >/dev/null || { echo "faults.sh: iproute2 (ip) is not installed: apt-get install iproute2" >&2; exit 2; }
[ -x "$NODE_BIN" ] || pv_build_node
[ -d js/node_modules ] || (cd js && npm ci --no-audit --no-fund --loglevel=error)
POWERVERSE_NODE="$NODE_BIN" exec node js/faults.mjs "$@"

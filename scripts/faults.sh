#!/usr/bin/env bash
# The fault test bed (docs/validator.md#faults): four validators of the local network, each in
# its own network namespace, under load; kill -9, a 2|2 partition and a restart from the kept
# database, each checked and measured. Needs root and iproute2; builds the node if needed.
#
#   sudo scripts/faults.sh [--scenarios kill,partition,restart] [--load-seconds N] [--smoke]
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$ROOT"
# Under sudo, HOME and PATH are root's: build and install as yourself first; name the binary with
# POWERVERSE_NODE=... if it is not in ./target.
NODE_BIN="${POWERVERSE_NODE:-$NODE_BIN}"
if [ "$(id -u)" != 0 ]; then
	echo "faults.sh: network namespaces need root: sudo scripts/faults.sh $*" >&2
	exit 2
fi
command -v ip >/dev/null || { echo "faults.sh: iproute2 (ip) is not installed: apt-get install iproute2" >&2; exit 2; }
if ! ip netns add pvf-probe 2>/dev/null; then
	echo "faults.sh: cannot create network namespaces here (a container without CAP_SYS_ADMIN/CAP_NET_ADMIN?)" >&2
	exit 2
fi
ip netns del pvf-probe
command -v node >/dev/null || { echo "faults.sh: Node.js is not on PATH (scripts/setup.sh --with-node installs it; under sudo pass PATH)" >&2; exit 2; }
[ -x "$NODE_BIN" ] || { echo "faults.sh: no node binary at $NODE_BIN: build it first without sudo (cargo build --release -p powerverse-node) or set POWERVERSE_NODE" >&2; exit 2; }
[ -d js/node_modules ] || { echo "faults.sh: js/node_modules missing: run (cd js && npm ci) first without sudo" >&2; exit 2; }
POWERVERSE_NODE="$NODE_BIN" exec node js/faults.mjs "$@"

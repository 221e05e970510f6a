# Shared settings for the scripts (sourced, not run).
# One cargo profile for everything: `cargo build --release` and `cargo test --release` share
# artifacts, so nothing is compiled twice. CARGO_TARGET_DIR may point outside the clone (CI keeps
# a cache at $HOME/.cache/powerverse/target); by default it is ./target.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# With the target dir outside the clone, the runtime's wasm build cannot find Cargo.lock by
# walking up from its OUT_DIR; point it at the workspace so the wasm uses the locked versions.
export WASM_BUILD_WORKSPACE_HINT="$ROOT"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# rustup's bin directory goes on PATH whether or not it exists yet: scripts/setup.sh may install
# rustup during this very run, in its own process, and the cargo it installs must be found by the
# script that called it (on a fresh machine the first scripts/dev.sh used to stop with
# `cargo: command not found`).
PV_CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
case ":$PATH:" in
*":$PV_CARGO_HOME/bin:"*) ;;
*) export PATH="$PV_CARGO_HOME/bin:$PATH" ;;
esac
NODE_BIN="$CARGO_TARGET_DIR/release/powerverse-node"

# scripts/setup.sh [--with-node], then makes sure cargo is reachable from this shell. With
# POWERVERSE_SETUP_ONLY=1 the calling script stops here, right before its build (used by
# scripts/tests/first-run.sh).
pv_setup() {
	"$ROOT/scripts/setup.sh" "$@"
	if [ -f "$PV_CARGO_HOME/env" ]; then
		# shellcheck disable=SC1091
		. "$PV_CARGO_HOME/env"
	fi
	if ! command -v cargo >/dev/null 2>&1; then
		echo "$(basename "$0"): setup finished but cargo is not on PATH (looked in $PV_CARGO_HOME/bin and PATH=$PATH)" >&2
		exit 1
	fi
	if [ "${POWERVERSE_SETUP_ONLY:-0}" = 1 ]; then
		echo "$(basename "$0"): setup only (POWERVERSE_SETUP_ONLY=1): cargo is $(command -v cargo); stopping before the build"
		exit 0
	fi
}

# The build the node scripts share (scripts/dev.sh, scripts/local-testnet.sh): the same packages,
# profile and target dir every time, so each of them runs the binary of the current sources and
# neither rebuilds what the other compiled.
pv_build_node() {
	cargo build --release -p powerverse-node -p powerverse-agent
}

# The runtime built with the `try-runtime` feature, for the upgrade check (scripts/upgrade-check.sh,
# scripts/test.sh). `cargo check` is enough: the runtime's build script builds the wasm (under
# its own name, so the node's wasm is not replaced), and the release profile reuses the build
# scripts the node's build compiled.
pv_build_try_runtime() {
	# A SKIP_*WASM_BUILD left in the environment would skip the wasm and leave an old one in place.
	env -u SKIP_WASM_BUILD -u SKIP_POWERVERSE_RUNTIME_WASM_BUILD \
		cargo check --release --locked -p powerverse-runtime --features try-runtime
}
pv_try_runtime_wasm() {
	echo "$CARGO_TARGET_DIR/release/wbuild/powerverse-runtime/powerverse_runtime.try-runtime.compact.compressed.wasm"
}

# Is some process listening on TCP port $1 (any address)? `ss` when installed, otherwise a
# connection attempt to 127.0.0.1 through bash's /dev/tcp.
pv_port_in_use() {
	if command -v ss >/dev/null 2>&1; then
		ss -ltn 2>/dev/null | awk -v p="$1" '$1 == "LISTEN" && $4 ~ (":" p "$") { found = 1 } END { exit !found }'
	else
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
	fi
}

# pv_require_free_ports HINT NAME:PORT... — exits 1 naming every port already in use, with HINT
# (how to choose other ports) appended. Port 0 or an empty port is not checked.
pv_require_free_ports() {
	local hint=$1 busy=() spec
	shift
	for spec in "$@"; do
		local port=${spec##*:}
		[ -n "$port" ] && [ "$port" != 0 ] || continue
		if pv_port_in_use "$port"; then busy+=("$port (${spec%:*})"); fi
	done
	[ ${#busy[@]} -eq 0 ] && return 0
	{
		echo "$(basename "$0"): TCP port already in use: ${busy[*]}."
		echo "  Another node (scripts/dev.sh, scripts/local-testnet.sh) or another program holds it;"
		echo "  \`ss -ltnp | grep :PORT\` shows which. Stop it, or $hint"
	} >&2
	exit 1
}

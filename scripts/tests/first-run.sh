#!/usr/bin/env bash
# Tests the scripts' first-run logic on simulated machines, in seconds and without installing
# anything: each scenario gets a temporary HOME and a PATH of only
#   bin/  stubs of the system (apt-get, dpkg-query, id, ss, optionally sudo) that log each call;
#         "installing" a package with the apt-get stub copies stubs of its commands here
#   sys/  links to the few real tools the scripts use (bash, sh, grep, sed, awk, coreutils)
# The curl stub serves a rustup installer that creates $HOME/.cargo/bin/{rustup,cargo,rustc}
# (stubs) and $HOME/.cargo/env, as the real one does. The cargo stub's build writes a stub
# powerverse-node into the scenario's own CARGO_TARGET_DIR (and refuses any other).
# Then it runs scripts/dev.sh, scripts/test.sh (POWERVERSE_SETUP_ONLY=1: up to its build),
# scripts/local-testnet.sh and checks what they did and printed.
#   bash scripts/tests/first-run.sh      (scripts/test.sh runs it first)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pv-first-run.XXXXXX")
# FIRST_RUN_KEEP=1 keeps the sandboxes (outputs, call logs) for a look afterwards.
if [ "${FIRST_RUN_KEEP:-0}" = 1 ]; then echo "first-run: sandboxes in $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi
BASH_BIN=$(command -v bash)
CHANNEL=$(sed -n 's/^channel *= *"\([^"]*\)".*/\1/p' "$ROOT/rust-toolchain.toml")
SYS_TOOLS=(bash sh env dirname basename cat cp chmod mkdir rm ls grep sed awk tr head tail cut sort sleep touch mktemp wc date seq)

checks=0
failures=0
SB="$WORK/no-sandbox" # checks before the first sandbox
mkdir -p "$SB"
: >"$SB/out"
: >"$SB/log"

# ---- stubs (written once, copied into each sandbox) ------------------------------------------

LIB="$WORK/lib"
mkdir -p "$LIB"
stub() { # stub NAME <<body — a bash script that logs its call, then runs the body
	{
		echo "#!$BASH_BIN"
		echo 'echo "$(basename "$0") $*" >>"$SANDBOX/log"'
		cat
	} >"$LIB/$1"
	chmod +x "$LIB/$1"
}

stub apt-get <<'EOF'
echo "apt-get: as uid ${FAKE_UID:-1000}" >>"$SANDBOX/log"
if [ "${FAKE_UID:-1000}" != 0 ]; then
	echo "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)" >&2
	exit 100
fi
[ "$1" = install ] || exit 0
shift
for pkg in "$@"; do
	case "$pkg" in -*) continue ;; esac
	echo "$pkg" >>"$SANDBOX/dpkg-installed"
	case "$pkg" in
	protobuf-compiler) cmd=protoc ;; build-essential) cmd=cc ;; nodejs) cmd=node ;;
	clang | pkg-config | make | git | curl | npm | jq) cmd=$pkg ;;
	*) cmd="" ;;
	esac
	[ -z "$cmd" ] || cp "$SANDBOX/lib/$cmd" "$SANDBOX/bin/$cmd"
done
EOF
stub dpkg-query <<'EOF'
pkg="${!#}"
grep -qx "$pkg" "$SANDBOX/dpkg-installed" 2>/dev/null || { echo "dpkg-query: no packages found matching $pkg" >&2; exit 1; }
printf 'install ok installed'
EOF
stub id <<'EOF'
case "${1:-}" in -u) echo "${FAKE_UID:-1000}" ;; -un) echo tester ;; *) echo "uid=${FAKE_UID:-1000}(tester)" ;; esac
EOF
stub sudo <<'EOF'
export FAKE_UID=0
exec "$@"
EOF
stub ss <<'EOF'
echo "State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process"
for addr in ${FAKE_LISTEN:-}; do echo "LISTEN 0      128    $addr    0.0.0.0:*"; done
EOF
for cmd in clang pkg-config make cc git jq; do stub "$cmd" </dev/null; done
stub protoc <<'EOF'
[ "${1:-}" = --version ] && echo "libprotoc 3.21.12"
exit 0
EOF
stub node <<'EOF'
case "${1:-}" in -e) echo "${FAKE_NODE_MAJOR:-18}" ;; --version) echo "v${FAKE_NODE_MAJOR:-18}.19.0" ;; esac
EOF
stub npm <<'EOF'
[ "${1:-}" = --version ] && echo "9.2.0"
exit 0
EOF
stub curl <<'EOF'
if [ "${FAKE_CURL_FAIL:-0}" = 1 ]; then echo "curl: (6) Could not resolve host: sh.rustup.rs" >&2; exit 6; fi
cat "$SANDBOX/lib/rustup-init.sh"
EOF
# What `curl https://sh.rustup.rs` serves, run by `sh -s -- -y ...`.
cat >"$LIB/rustup-init.sh" <<'EOF'
echo "rustup-init $*" >>"$SANDBOX/log"
dir="${CARGO_HOME:-$HOME/.cargo}"
mkdir -p "$dir/bin"
for tool in rustup cargo rustc; do cp "$SANDBOX/lib/rust-$tool" "$dir/bin/$tool"; done
cat >"$dir/env" <<'ENV'
#!/bin/sh
case ":${PATH}:" in
    *:"$HOME/.cargo/bin":*) ;;
    *) export PATH="$HOME/.cargo/bin:$PATH" ;;
esac
ENV
EOF
# rustup, with its state (toolchains, targets, components) in $HOME/.rustup-stub.
stub rust-rustup <<'EOF'
st="$HOME/.rustup-stub"
mkdir -p "$st"
touch "$st/toolchains" "$st/targets" "$st/components"
installed() { grep -q "^$1-" "$st/toolchains" || { echo "error: toolchain '$1' is not installed" >&2; exit 1; }; }
opt() { # the value of option $1 among the remaining arguments
	local want=$1; shift
	while [ $# -gt 0 ]; do [ "$1" = "$want" ] && { echo "$2"; return; }; shift; done
}
case "${1:-} ${2:-}" in
"toolchain list")
	if [ -s "$st/toolchains" ]; then cat "$st/toolchains"; else echo "no installed toolchains"; fi ;;
"toolchain install")
	echo "$3-x86_64-unknown-linux-gnu" >>"$st/toolchains"
	shift 3
	while [ $# -gt 0 ]; do
		case "$1" in --component) echo "$2" >>"$st/components" ;; --target) echo "$2" >>"$st/targets" ;; esac
		shift
	done ;;
"target list") installed "$(opt --toolchain "$@")"; cat "$st/targets" ;;
"target add") installed "$(opt --toolchain "$@")"; echo "${!#}" >>"$st/targets" ;;
"component list") installed "$(opt --toolchain "$@")"; sed 's/$/-x86_64-unknown-linux-gnu/' "$st/components" ;;
"component add") installed "$(opt --toolchain "$@")"; echo "${!#}" >>"$st/components" ;;
*) [ "${1:-}" = --version ] && echo "rustup 1.29.0 (stub)" ;;
esac
exit 0
EOF
# The rustup proxies: they run only when rust-toolchain.toml's toolchain is installed.
proxy_check='ch=$(sed -n "s/^channel *= *\"\([^\"]*\)\".*/\1/p" rust-toolchain.toml 2>/dev/null)
if [ -n "$ch" ] && ! grep -q "^$ch-" "$HOME/.rustup-stub/toolchains" 2>/dev/null; then
	echo "error: toolchain '"'"'$ch-x86_64-unknown-linux-gnu'"'"' is not installed" >&2
	exit 1
fi'
stub rust-rustc <<EOF
$proxy_check
[ "\${1:-}" = --version ] && echo "rustc $CHANNEL (stub)"
exit 0
EOF
stub rust-cargo <<EOF
$proxy_check
case "\$CARGO_TARGET_DIR" in
"\$SANDBOX"/*) ;;
*) echo "cargo stub: CARGO_TARGET_DIR=\$CARGO_TARGET_DIR is outside the sandbox; refusing" >&2; exit 99 ;;
esac
case "\${1:-}" in
--version) echo "cargo $CHANNEL (stub)" ;;
build)
	mkdir -p "\$CARGO_TARGET_DIR/release"
	cp "\$SANDBOX/lib/powerverse-node" "\$CARGO_TARGET_DIR/release/powerverse-node"
	: >"\$CARGO_TARGET_DIR/release/powerverse-agent" ;;
esac
exit 0
EOF
# The node: key commands as the real one; a local-testnet validator runs until stopped (Alice
# stops once all four are up, which ends the script), a dev node returns at once.
stub powerverse-node <<'EOF'
case "${1:-} ${2:-}" in
"key generate-node-key") echo stub-key >"$4"; echo 12D3KooWStubPeer >&2; exit 0 ;;
"key inspect-node-key") echo 12D3KooWStubPeer; exit 0 ;;
esac
case " $* " in
*" --alice "*)
	for _ in $(seq 1 100); do
		[ "$(grep -c -- '--chain local' "$SANDBOX/log")" -ge 4 ] && break
		sleep 0.1
	done ;;
*" --chain local "*) exec sleep 30 ;;
esac
exit 0
EOF

# ---- sandboxes and runs ----------------------------------------------------------------------

# sandbox NAME OS [sudo] [no-apt] — a fresh machine: only coreutils, apt-get/dpkg-query (unless
# no-apt), sudo if asked. OS: the PRETTY_NAME of its /etc/os-release.
sandbox() {
	SB="$WORK/$1"
	mkdir -p "$SB/bin" "$SB/sys" "$SB/home" "$SB/target"
	cp -r "$LIB" "$SB/lib"
	local tool
	for tool in "${SYS_TOOLS[@]}"; do ln -s "$(command -v "$tool")" "$SB/sys/$tool"; done
	for tool in id ss; do cp "$LIB/$tool" "$SB/bin/"; done
	case " ${*:3} " in *" no-apt "*) ;; *) cp "$LIB/apt-get" "$LIB/dpkg-query" "$SB/bin/" ;; esac
	case " ${*:3} " in *" sudo "*) cp "$LIB/sudo" "$SB/bin/" ;; esac
	printf 'PRETTY_NAME="%s"\n' "$2" >"$SB/os-release"
	: >"$SB/log"
	echo
	echo "== $1 ($2${3:+, ${*:3}})"
}

# run [VAR=value ...] COMMAND ARGS... — in the current sandbox, with a clean environment; RC,
# $SB/out (stdout + stderr) and $SB/log (stub calls of this run only).
run() {
	local vars=()
	while [[ "${1:-}" == *=* ]]; do vars+=("$1"); shift; done
	: >"$SB/log"
	RC=0
	(cd "$SB/home" && timeout 60 env -i HOME="$SB/home" PATH="$SB/bin:$SB/sys" SANDBOX="$SB" \
		CARGO_TARGET_DIR="$SB/target" POWERVERSE_OS_RELEASE="$SB/os-release" FAKE_UID=0 \
		"${vars[@]}" "$@") >"$SB/out" 2>&1 || RC=$?
	echo "-- ${vars[*]} ${*/#$ROOT\//} (exit $RC)"
}

check() { # check DESCRIPTION COMMAND... — one assertion
	checks=$((checks + 1))
	if "${@:2}"; then
		echo "   ok    $1"
	else
		failures=$((failures + 1))
		echo "   FAIL  $1"
		sed 's/^/         output| /' "$SB/out"
		sed 's/^/         calls | /' "$SB/log"
	fi
}
not() { ! "$@"; }
succeeded() { [ "$RC" = 0 ]; }
out_has() { grep -qF -- "$1" "$SB/out"; }
log_has() { grep -qF -- "$1" "$SB/log"; }
log_matches() { grep -q -- "$1" "$SB/log"; }
apt_installs() { grep '^apt-get .*install' "$SB/log" | grep -qw -- "$1"; }
# The ports the local-testnet validators were started with (p2p, RPC, Prometheus).
testnet_ports() {
	grep -- '--chain local' "$SB/log" | grep -o -e 'tcp/[0-9]*' -e 'port [0-9]*' | grep -o '[0-9]*' | sort -u
}
uses_no_dev_port() { ! testnet_ports | grep -qx -e 9944 -e 30333 -e 9615; }
four_validators() { [ "$(grep -c -- '--chain local' "$SB/log")" = 4 ] && [ "$(testnet_ports | wc -l)" = 12 ]; }

# ---- scenarios --------------------------------------------------------------------------------

check "rust-toolchain.toml pins a Rust version, not a moving channel ($CHANNEL)" \
	grep -qx '[0-9]*\.[0-9]*\.[0-9]*' <<<"$CHANNEL"

sandbox fresh-debian "Debian GNU/Linux 12 (bookworm)"
run "$ROOT/scripts/dev.sh"
check "first scripts/dev.sh on a fresh machine succeeds" succeeded
check "it installs the build packages with apt-get" apt_installs protobuf-compiler
check "... including curl, which the rustup installer needs" apt_installs curl
check "the dev path installs no Node.js" not apt_installs nodejs
check "the dev path installs no npm" not apt_installs npm
check "the dev path never runs node" not log_matches '^node '
check "rustup is installed" log_has "rustup-init -y"
check "the pinned toolchain is installed with the wasm target" log_matches "^rustup toolchain install $CHANNEL .*--target wasm32v1-none"
check "cargo is found on the first run and builds node and agent" log_has "cargo build --release -p powerverse-node -p powerverse-agent"
check "the dev chain is started with the built binary" log_has "powerverse-node --dev"
check "no 'command not found'" not out_has "command not found"
check "setup reports success" out_has "setup: ok (rustc $CHANNEL"

run "$ROOT/scripts/dev.sh"
check "second run succeeds" succeeded
check "second run installs nothing with apt-get" not log_matches '^apt-get'
check "second run does not reinstall rustup or the toolchain" not log_matches '^rustup-init\|^rustup toolchain install'
check "second run builds again (an up-to-date build is quick)" log_has "cargo build --release"

run FAKE_UID=1000 "$ROOT/scripts/dev.sh"
check "non-root without sudo, nothing to install: dev.sh succeeds" succeeded

run FAKE_LISTEN="127.0.0.1:9944 [::]:30333" "$ROOT/scripts/dev.sh"
check "dev.sh with its RPC and p2p ports taken fails" not succeeded
check "... naming the RPC port" out_has "9944 (RPC)"
check "... and the p2p port" out_has "30333 (p2p)"
check "... and saying how to choose others" out_has "--rpc-port N"
check "... before building anything" not log_has "cargo build"
check "... and starts no node" not log_has "powerverse-node --dev"

run FAKE_LISTEN="127.0.0.1:9944 [::]:30333 127.0.0.1:9615" "$ROOT/scripts/dev.sh" --rpc-port 9960 --port=30360 --prometheus-port 9660
check "dev.sh on other ports (given as node arguments) beside a busy default succeeds" succeeded
check "... passing them to the node" log_has "powerverse-node --dev --rpc-cors all --rpc-port 9960 --port=30360"

run FAKE_LISTEN="127.0.0.1:99440 127.0.0.1:19944" "$ROOT/scripts/dev.sh"
check "ports that only end in 9944 are not mistaken for 9944" succeeded

run BASE="$SB/local" "$ROOT/scripts/local-testnet.sh"
check "local-testnet.sh starts and stops (Alice's stub exits) within the timeout" succeeded
check "it builds the node even though a binary exists (never a stale one)" log_has "cargo build --release -p powerverse-node -p powerverse-agent"
check "it starts four validators on 12 distinct ports" four_validators
check "none of them on dev.sh's ports (9944, 30333, 9615)" uses_no_dev_port
check "no --rpc-cors all" not log_matches '^powerverse-node .*--rpc-cors'
check "no --rpc-external / --unsafe-rpc-external" not log_matches '^powerverse-node .*rpc-external'
check "no unsafe RPC methods forced" not log_matches '^powerverse-node .*--rpc-methods'
check "it prints the RPC endpoints" out_has "alice: ws://127.0.0.1:"
check "it stops the validators" out_has "stopping validators"

run BASE="$SB/local" FAKE_LISTEN="127.0.0.1:9952" "$ROOT/scripts/local-testnet.sh"
check "local-testnet.sh with a validator's port taken fails" not succeeded
check "... naming the port and the validator" out_has "9952 (bob RPC)"
check "... saying how to choose others" out_has "RPC_PORT=N"
check "... before building or starting anything" not log_matches '^cargo build\|--chain local'

sandbox fresh-ubuntu-sudo "Ubuntu 24.04.1 LTS" sudo
run FAKE_UID=1000 POWERVERSE_SETUP_ONLY=1 "$ROOT/scripts/test.sh"
check "first scripts/test.sh (up to its build) as a sudo user succeeds" succeeded
check "apt-get runs through sudo" log_matches '^sudo apt-get .*install'
check "apt-get runs as root" log_has "apt-get: as uid 0"
check "the test path installs Node.js" apt_installs nodejs
check "... and npm" apt_installs npm
check "setup reports node" out_has "node v18."
check "cargo is found on the first run (in the new ~/.cargo/bin)" out_has "cargo is $SB/home/.cargo/bin/cargo"
check "it stops before the build" not log_matches '^cargo test'

sandbox no-sudo "Debian GNU/Linux 12 (bookworm)"
run FAKE_UID=1000 "$ROOT/scripts/dev.sh"
check "non-root without sudo on a fresh machine fails" not succeeded
check "... saying sudo is missing" out_has "sudo is not installed"
check "... and what to do instead" out_has "su -c 'apt-get update && apt-get install -y protobuf-compiler"
check "... not with a bare 'sudo: command not found'" not out_has "command not found"
check "... without trying apt-get" not log_matches '^apt-get'
check "... and without claiming success" not out_has "setup: ok"
check "... and builds nothing" not log_matches '^cargo'

sandbox fedora "Fedora Linux 40 (Workstation Edition)" no-apt
run "$ROOT/scripts/dev.sh"
check "a system without apt-get fails" not succeeded
check "... saying there is no apt-get on this system" out_has "This system (Fedora Linux 40 (Workstation Edition)) has no apt-get"
check "... naming the supported systems" out_has "Debian 12 (bookworm) or later and Ubuntu 22.04 or later"
check "... listing what is missing" out_has "missing: protobuf-compiler clang libclang-dev"
check "... without installing rustup" not log_matches '^curl\|^rustup'
check "... without claiming success" not out_has "setup: ok"
check "... and builds nothing" not log_matches '^cargo'

sandbox old-node "Ubuntu 22.04.4 LTS"
run FAKE_NODE_MAJOR=12 POWERVERSE_SETUP_ONLY=1 "$ROOT/scripts/test.sh"
check "the test path with apt's Node.js 12 fails" not succeeded
check "... saying Node.js >= 18 is needed" out_has "Node.js >= 18 is needed"
check "... and where to get it" out_has "https://nodejs.org"
check "... without claiming success" not out_has "setup: ok"
check "... and stops before the build" not out_has "setup only"
run FAKE_NODE_MAJOR=12 "$ROOT/scripts/dev.sh"
check "the dev path on the same machine succeeds (Node.js is not its business)" succeeded

sandbox offline "Debian GNU/Linux 12 (bookworm)"
run FAKE_CURL_FAIL=1 "$ROOT/scripts/dev.sh"
check "a failed rustup download fails the run" not succeeded
check "... with setup's failure line" out_has "setup: FAILED"
check "... without claiming success" not out_has "setup: ok"
check "... and builds nothing" not log_matches '^cargo'

echo
if [ "$failures" -gt 0 ]; then
	echo "first-run: $failures of $checks checks FAILED"
	exit 1
fi
echo "first-run: all $checks checks passed"

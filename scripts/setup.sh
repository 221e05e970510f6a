#!/usr/bin/env bash
# Installs what building PowerVerse needs and is missing; does nothing else. Idempotent.
#   scripts/setup.sh               what scripts/dev.sh needs (build the node)
#   scripts/setup.sh --with-node   also Node.js >= 18 and npm, for the polkadot.js suite in js/
#                                  (scripts/test.sh asks for this)
#   apt: protobuf-compiler (litep2p), clang + libclang-dev (bindgen), pkg-config, libssl-dev,
#        make, build-essential, git, curl; with --with-node nodejs + npm
#   rust: rustup, and the toolchain rust-toolchain.toml pins, with its components and targets
# Supported: Debian 12 (bookworm) or later and Ubuntu 22.04 or later, i.e. apt-get + dpkg (as root,
# or through sudo). Ubuntu 22.04's apt has Node.js 12, too old for --with-node: install Node.js 18+
# from nodejs.org or NodeSource there. Elsewhere install the same things with your package
# manager; with nothing missing, this script only sets up Rust. It prints `setup: ok (...)` as
# its last line only when everything is in place, and exits non-zero otherwise.
set -Eeuo pipefail
. "$(dirname "$0")/env.sh"
cd "$ROOT"
trap 'rc=$?; echo "setup: FAILED (exit $rc at line $LINENO of scripts/setup.sh); fix the error above and run scripts/setup.sh again" >&2; exit $rc' ERR

with_node=0
for arg in "$@"; do
	case "$arg" in
	--with-node) with_node=1 ;;
	-h | --help)
		sed -n '2,/^set -E/p' "$0" | sed '$d'
		exit 0
		;;
	*)
		echo "setup: unknown argument '$arg' (known: --with-node)" >&2
		exit 2
		;;
	esac
done

fail() {
	printf 'setup: %s\n' "$@" >&2
	exit 1
}
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# Without dpkg (not Debian/Ubuntu) the libraries are looked for directly.
have_libclang() {
	if have_cmd dpkg-query; then have_pkg libclang-dev; else ldconfig -p 2>/dev/null | grep -q 'libclang[-.0-9]*\.so'; fi
}
have_libssl() {
	if have_cmd dpkg-query; then have_pkg libssl-dev; else pkg-config --exists openssl 2>/dev/null; fi
}
node_major() { node -e 'console.log(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }
os_name() {
	local f="${POWERVERSE_OS_RELEASE:-/etc/os-release}" # the variable is for scripts/tests/first-run.sh
	if [ -r "$f" ]; then (. "$f" && echo "${PRETTY_NAME:-${ID:-unknown}}"); else uname -s 2>/dev/null || echo unknown; fi
}
supported=("Debian 12 (bookworm) or later" "Ubuntu 22.04 or later")

need_apt=()
have_cmd protoc || need_apt+=(protobuf-compiler)
have_cmd clang || need_apt+=(clang)
have_libclang || need_apt+=(libclang-dev)
have_cmd pkg-config || need_apt+=(pkg-config)
have_libssl || need_apt+=(libssl-dev)
have_cmd make || need_apt+=(make)
have_cmd cc || need_apt+=(build-essential)
have_cmd git || need_apt+=(git)
have_cmd curl || need_apt+=(curl)
# jq: docs/validator.md's network walk-through and the doc-command test read JSON with it.
have_cmd jq || need_apt+=(jq)
if [ "$with_node" = 1 ]; then
	# Node.js >= 18 and npm for the polkadot.js end-to-end suite (js/).
	{ have_cmd node && [ "$(node_major)" -ge 18 ]; } || need_apt+=(nodejs)
	have_cmd npm || need_apt+=(npm)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
	node_hint=""
	[ "$with_node" = 1 ] && node_hint=", Node.js >= 18 and npm"
	if ! have_cmd apt-get || ! have_cmd dpkg-query; then
		fail "missing: ${need_apt[*]} (Debian package names)." \
			"This system ($(os_name)) has no apt-get/dpkg. scripts/setup.sh installs packages only on" \
			"${supported[0]} and ${supported[1]}. Install the equivalents with your package manager" \
			"(protoc, clang and libclang, pkg-config, OpenSSL headers, make, a C compiler, git, curl$node_hint)" \
			"and run this again; with nothing missing it only sets up Rust."
	fi
	SUDO=""
	if [ "$(id -u)" -ne 0 ]; then
		have_cmd sudo || fail "${need_apt[*]} must be installed with apt-get, which needs root;" \
			"you are not root and sudo is not installed. Either install them as root:" \
			"  su -c 'apt-get update && apt-get install -y ${need_apt[*]}'" \
			"or install sudo and give your user sudo rights; then run this again."
		SUDO="sudo"
	fi
	case "$(os_name)" in
	Debian* | Ubuntu*) ;;
	*) echo "setup: note: $(os_name) is not one of the supported systems (${supported[*]}); trying apt-get anyway" >&2 ;;
	esac
	echo "setup: installing ${need_apt[*]}"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! have_cmd rustup; then
	echo "setup: installing rustup"
	curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --default-toolchain none --profile minimal
	# The caller's PATH already names $PV_CARGO_HOME/bin (scripts/env.sh); this process's too.
	# shellcheck disable=SC1091
	. "$PV_CARGO_HOME/env"
	have_cmd rustup || fail "the rustup installer finished but rustup is not in $PV_CARGO_HOME/bin"
fi

# The toolchain rust-toolchain.toml pins, with its components and targets.
toml_value() { sed -n "s/^$1 *= *\"\([^\"]*\)\".*/\1/p" rust-toolchain.toml; }
toml_list() { sed -n "s/^$1 *= *\[\(.*\)\].*/\1/p" rust-toolchain.toml | tr -d '" ' | tr ',' ' '; }
channel=$(toml_value channel)
[ -n "$channel" ] || fail "rust-toolchain.toml names no channel"
read -ra components <<<"$(toml_list components)"
read -ra targets <<<"$(toml_list targets)"
if ! rustup toolchain list | grep "^$channel-" >/dev/null; then
	echo "setup: installing Rust $channel (rust-toolchain.toml)"
	args=(--profile "$(toml_value profile)")
	[ "${args[1]}" ] || args=(--profile minimal)
	for c in "${components[@]}"; do args+=(--component "$c"); done
	for t in "${targets[@]}"; do args+=(--target "$t"); done
	rustup toolchain install "$channel" "${args[@]}"
fi
for t in "${targets[@]}"; do
	if ! rustup target list --installed --toolchain "$channel" | grep -x "$t" >/dev/null; then
		echo "setup: adding the $t target"
		rustup target add --toolchain "$channel" "$t"
	fi
done
for c in "${components[@]}"; do
	if ! rustup component list --installed --toolchain "$channel" | grep "^$c\(-\|$\)" >/dev/null; then
		echo "setup: adding the $c component"
		rustup component add --toolchain "$channel" "$c"
	fi
done

if [ "$with_node" = 1 ] && [ "$(node_major)" -lt 18 ]; then
	fail "Node.js >= 18 is needed for the polkadot.js suite in js/ (found $(node --version 2>/dev/null || echo none))." \
		"$(os_name)'s apt has no recent enough Node.js (Ubuntu 22.04 ships 12): install Node.js 18 or later" \
		"from https://nodejs.org or NodeSource, then run this again."
fi
if [ "$with_node" = 1 ] && ! have_cmd npm; then
	fail "npm is missing (it comes with Node.js from nodejs.org; on Debian/Ubuntu: apt-get install npm)."
fi

have_cmd cargo || fail "cargo is not on PATH after the Rust setup ($PV_CARGO_HOME/bin)"
summary="$(rustc --version), $(cargo --version | awk '{print $1, $2}'), protoc $(protoc --version | awk '{print $2}')"
[ "$with_node" = 1 ] && summary+=", node $(node --version), npm $(npm --version)"
echo "setup: ok ($summary)"

#!/usr/bin/env bash
# Installs what building PowerVerse needs and is missing; does nothing else. Idempotent.
#   apt: protobuf-compiler (litep2p), clang + libclang-dev (bindgen), pkg-config, libssl-dev,
#        make, build-essential, git, curl, nodejs + npm (the polkadot.js suite)
#   rust: the toolchain in rust-toolchain.toml with the wasm32v1-none target
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

have_cmd protoc || need_apt+=(protobuf-compiler)
have_cmd clang || need_apt+=(clang)
have_pkg libclang-dev || need_apt+=(libclang-dev)
have_cmd pkg-config || need_apt+=(pkg-config)
have_pkg libssl-dev || need_apt+=(libssl-dev)
have_cmd make || need_apt+=(make)
have_cmd cc || need_apt+=(build-essential)
have_cmd git || need_apt+=(git)
have_cmd curl || need_apt+=(curl)
# Node.js >= 18 and npm for the polkadot.js end-to-end suite (js/).
node_major() { node -e 'console.log(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }
{ have_cmd node && [ "$(node_major)" -ge 18 ]; } || need_apt+=(nodejs)
have_cmd npm || need_apt+=(npm)

if [ ${#need_apt[@]} -gt 0 ]; then
	echo "setup: installing ${need_apt[*]}"
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! have_cmd rustup; then
	echo "setup: installing rustup"
	curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --default-toolchain none
	# shellcheck disable=SC1091
	. "$HOME/.cargo/env"
fi

# rust-toolchain.toml names the channel and the wasm target; make sure both are present.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32v1-none; then
	echo "setup: adding the wasm32v1-none target"
	rustup target add wasm32v1-none
fi

if [ "$(node_major)" -lt 18 ]; then
	echo "setup: Node.js >= 18 is needed for js/ (found $(node --version 2>/dev/null || echo none))" >&2
	exit 1
fi

echo "setup: ok ($(rustc --version), protoc $(protoc --version | awk '{print $2}'), node $(node --version))"

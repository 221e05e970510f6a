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
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
NODE_BIN="$CARGO_TARGET_DIR/release/powerverse-node"

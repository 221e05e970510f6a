#!/usr/bin/env bash
# Coverage-guided fuzzing of the runtime's calls: cargo-fuzz (libFuzzer) runs the test suite's
# driver (pallets/test-runtime/tests/pallets/fuzz.rs) on the test runtime of the real pallets,
# starting from the committed seed corpus, for a bounded time. Crashes land in
# fuzz/artifacts/calls/; the grown corpus in $CARGO_TARGET_DIR/fuzz-corpus (reused next run).
#
#   scripts/fuzz.sh [SECONDS]     (default 600)
#
# Installs what it needs: a nightly toolchain (libFuzzer's instrumentation) and cargo-fuzz.
# The bounded smoke run of the same driver is part of scripts/test.sh (`fuzz_smoke`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
SECONDS_TO_RUN="${1:-600}"
case "$SECONDS_TO_RUN" in
	'' | *[!0-9]* | 0) echo "usage: scripts/fuzz.sh [SECONDS > 0]" >&2; exit 2 ;;
esac

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo +nightly install cargo-fuzz --locked

corpus="$CARGO_TARGET_DIR/fuzz-corpus"
mkdir -p "$corpus"
for seed in fuzz/corpus/calls/*; do
	[ -e "$corpus/$(basename "$seed")" ] || cp "$seed" "$corpus/"
done
export CARGO_TARGET_DIR="$CARGO_TARGET_DIR/fuzz"
cd fuzz
SKIP_WASM_BUILD=1 cargo +nightly fuzz run --sanitizer none calls "$corpus" -- \
	-max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1
echo "corpus: $(ls "$corpus" | wc -l) inputs in $corpus"

#!/usr/bin/env bash
# Runs the shell commands of the documentation: every line of every ```sh block of README.md and
# docs/*.md (continuation lines joined) is either run here, against the node binary under test,
# or listed in SKIP below with the reason it cannot run in a test. A command that is neither —
# a new one in the docs — fails the script, so no doc command escapes unnoticed.
#
#   POWERVERSE_NODE=target/release/powerverse-node bash scripts/tests/doc-commands.sh
#
# Environment: POWERVERSE_NODE (required) the node binary; POWERVERSE_AGENT the provider agent
# (default: next to the node); POWERVERSE_WASM the runtime blob for `chain-spec-builder`
# (default: ${CARGO_TARGET_DIR:-target}/release/wbuild/powerverse-runtime/…compact.compressed.wasm);
# DOC_COMMANDS_TIMEOUT seconds per command (default 180); DOC_COMMANDS_KEEP=1 keeps the work dir.
#
# How commands run: each document gets its own working directory (so files such as spec.json or
# key do not leak between documents) and its own variables (NODE, A, WASM are set only by the
# document's assignments). Rewrites: ./target/release/powerverse-node and NODE= use
# $POWERVERSE_NODE, A= the agent, WASM= the runtime blob; http://127.0.0.1:9944 is a --dev --tmp
# node this script starts on free ports; /var/lib/powerverse is a directory in the work dir;
# "<secret phrase>" is the phrase the doc's `key generate` printed, "<phrase>" the one in v1.json.
# Fixtures the docs assume: my-chain.json (a raw `local` chain spec) and patch.json (the doc's
# patch with two validators whose keys are generated here). The agent's `heartbeat … &` runs in
# the background (and must still be running at the end); `watch` runs for 20 s (it runs until
# Ctrl-C).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

die() {
	echo "doc-commands: $*" >&2
	exit 1
}

[ -n "${POWERVERSE_NODE:-}" ] || die "set POWERVERSE_NODE to the node binary, e.g. POWERVERSE_NODE=target/release/powerverse-node bash scripts/tests/doc-commands.sh"
abs() { case "$1" in /*) echo "$1" ;; *) echo "$ROOT/$1" ;; esac; }
NODE_BIN=$(abs "$POWERVERSE_NODE")
[ -x "$NODE_BIN" ] || die "POWERVERSE_NODE=$POWERVERSE_NODE is not an executable file"
AGENT_BIN=$(abs "${POWERVERSE_AGENT:-$(dirname "$NODE_BIN")/powerverse-agent}")
TARGET_DIR=$(abs "${CARGO_TARGET_DIR:-target}")
WASM_BIN=$(abs "${POWERVERSE_WASM:-$TARGET_DIR/release/wbuild/powerverse-runtime/powerverse_runtime.compact.compressed.wasm}")
CMD_TIMEOUT=${DOC_COMMANDS_TIMEOUT:-180}
for tool in curl jq timeout awk setsid; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is needed (the docs' commands use curl and jq); install it, e.g. apt-get install $tool"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pv-doc-commands.XXXXXX")
DEV_PID=""
BG_PIDS=()
BG_WHAT=()
cleanup() {
	local pid
	for pid in "${BG_PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
	if [ -n "$DEV_PID" ]; then
		kill "$DEV_PID" 2>/dev/null || true
		wait "$DEV_PID" 2>/dev/null || true
	fi
	if [ "${DOC_COMMANDS_KEEP:-0}" = 1 ]; then echo "doc-commands: work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# ---- commands that are not run, and why -------------------------------------------------------
# Each rule: a file (glob), an anchored regex on the command (trailing comment removed), the reason.
SKIP_FILE=()
SKIP_RE=()
SKIP_WHY=()
skip() { SKIP_FILE+=("$1"); SKIP_RE+=("$2"); SKIP_WHY+=("$3"); }
skip README.md '^scripts/dev\.sh$' \
	"installs what is missing, builds, then runs a dev node until Ctrl-C (scripts/tests/first-run.sh runs it on simulated machines)"
skip README.md '^scripts/test\.sh$' \
	"runs the whole test suite (which is where this script belongs)"
skip docs/validator.md '^scripts/setup\.sh$' \
	"installs apt packages, rustup and Rust (scripts/tests/first-run.sh runs it on simulated machines)"
skip docs/validator.md '^cargo build --release -p powerverse-node$' \
	"the build that produced \$POWERVERSE_NODE (minutes of compiling)"
skip docs/validator.md '^scripts/local-testnet\.sh$' \
	"builds, then runs four validators until Ctrl-C (scripts/tests/first-run.sh runs it on simulated machines)"
skip docs/validator.md '^\$NODE --chain raw\.json --validator --base-path /var/lib/powerverse --node-key-file v1\.node-key --port 30333 --name v1$' \
	"starts a validator that runs until stopped (js/test/network.test.mjs starts two from a chain spec built the same way)"
skip docs/validator.md '^powerverse-node --chain my-chain\.json --base-path /var/lib/powerverse-rpc ' \
	"a public RPC node of your own network that runs until stopped (js/test/rpc-abuse.test.mjs starts one with these flags on a dev chain)"
skip docs/validator.md '^sudo scripts/faults\.sh' \
	"the fault test bed needs root and runs for minutes (scripts/test.sh runs its smoke: node js/faults.mjs --smoke)"
skip docs/validator.md '^scripts/upgrade-check\.sh ' \
	"checks an upgrade to a newer runtime than the chain's: a dev node of this build already runs it (spec_version would not increase); node/tests/upgrade runs the same check on a snapshot of a spec-100 chain, tools/upgrade-check/tests the tool's refusals"
skip docs/provider.md '^powerverse-agent ' \
	"a real provider host (installed name, remote endpoint, cold key, placeholder addresses); docs/api.md's agent example runs the agent on a dev chain and agent/tests/e2e.rs the daemon"
skip docs/provider.md '^(sudo |journalctl )' \
	"installs and follows a system service: root and systemd on a provider host (the unit is agent/powerverse-agent.service)"
skip docs/performance.md '^scripts/load\.sh ' \
	"a load run of 40 s to minutes against its own node, whose figures the document reports (js/test/load.test.mjs runs the tool: refusals and a short run)"
skip docs/performance.md '^CHAIN=.* scripts/local-testnet\.sh &$' \
	"four validators on loopback for minutes: the load test bed; tests/e2e.rs and js/test/validator-join.test.mjs start local testnets"
skip docs/performance.md '^node js/latency\.mjs ' \
	"needs the four validators above running"

# ---- commands that run ------------------------------------------------------------------------
# Each rule: an anchored regex and how to run it (see run_one).
RUN_RE=(
	'^(NODE|A|WASM)=[^[:space:]]+$'
	'^\./target/release/powerverse-node --version$'
	'^\$NODE key (generate|inspect|insert|generate-node-key|inspect-node-key) '
	'^\$NODE chain-spec-builder '
	"^curl -s -H 'content-type: application/json' http://127\\.0\\.0\\.1:9944 -d '"
	"^echo '//Charlie' > key && chmod 600 key$"
	'^\$A (detect|onboard|status) '
	'^\$A heartbeat .*&$'
	'^\$A watch '
)
RUN_HOW=(assign run run run curl run run background watch)

# ---- the sh blocks ----------------------------------------------------------------------------
# Records: C<US>file<US>line<US>command (continuations joined) and E<US>file<US>line<US>comment for
# a comment line right after a command (curl's expected answer).
extract() {
	awk '
	BEGIN { US = "\037" }
	FNR == 1 { state = 0; pending = ""; after_cmd = 0 }
	{
		text = $0
		if (text ~ /^[ \t]*```/) {
			lang = text
			sub(/^[ \t]*`+[ \t]*/, "", lang)
			sub(/[ \t]+$/, "", lang)
			if (state == 0) {
				state = (lang ~ /^(sh|bash|shell|console|zsh)$/) ? 1 : 2
				after_cmd = 0
			} else {
				if (state == 1 && pending != "") print "C" US FILENAME US start US pending
				pending = ""
				state = 0
			}
			next
		}
		if (state != 1) next
		sub(/^[ \t]+/, "", text)
		sub(/[ \t]+$/, "", text)
		if (pending == "" && text == "") { after_cmd = 0; next }
		if (pending == "" && substr(text, 1, 1) == "#") {
			if (after_cmd) print "E" US FILENAME US FNR US text
			next
		}
		if (pending == "") start = FNR
		if (text ~ /\\$/) {
			sub(/[ \t]*\\$/, "", text)
			pending = pending (pending == "" ? "" : " ") text
			next
		}
		pending = pending (pending == "" ? "" : " ") text
		print "C" US FILENAME US start US pending
		pending = ""
		after_cmd = 1
	}' "$@"
}

DOCS=(README.md)
for f in docs/*.md; do DOCS+=("$f"); done
CMD_FILE=()
CMD_LINE=()
CMD_TEXT=()
CMD_EXPECT=()
while IFS=$'\037' read -r kind file line text; do
	if [ "$kind" = C ]; then
		CMD_FILE+=("$file")
		CMD_LINE+=("$line")
		CMD_TEXT+=("$text")
		CMD_EXPECT+=("")
	elif [ "${#CMD_TEXT[@]}" -gt 0 ] && [ -z "${CMD_EXPECT[-1]}" ]; then
		CMD_EXPECT[-1]="$text"
	fi
done < <(extract "${DOCS[@]}")
[ "${#CMD_TEXT[@]}" -gt 0 ] || die "no \`\`\`sh commands found in ${DOCS[*]}"

strip_comment() { # the command without a trailing ` # comment`
	local c="${1%%[[:space:]]#*}"
	echo "${c%"${c##*[![:space:]]}"}"
}

# classify I: sets HOW (a RUN_HOW value, or "skip") and WHY; returns 1 if no rule matches.
classify() {
	local i="$1" cmd k
	cmd=$(strip_comment "${CMD_TEXT[$i]}")
	for k in "${!SKIP_RE[@]}"; do
		# shellcheck disable=SC2053 # the file is a glob on purpose
		if [[ "${CMD_FILE[$i]}" == ${SKIP_FILE[$k]} && "$cmd" =~ ${SKIP_RE[$k]} ]]; then
			HOW=skip
			WHY="${SKIP_WHY[$k]}"
			return 0
		fi
	done
	for k in "${!RUN_RE[@]}"; do
		if [[ "$cmd" =~ ${RUN_RE[$k]} ]]; then
			HOW="${RUN_HOW[$k]}"
			WHY=""
			return 0
		fi
	done
	return 1
}

unclassified=0
for i in "${!CMD_TEXT[@]}"; do
	if ! classify "$i"; then
		echo "doc-commands: ${CMD_FILE[$i]}:${CMD_LINE[$i]}: neither run nor skipped: ${CMD_TEXT[$i]}" >&2
		unclassified=$((unclassified + 1))
	fi
done
[ "$unclassified" = 0 ] || die "$unclassified doc command(s) are neither run nor in the skip list: teach $0 to run them here, or add them to SKIP with the reason"

# ---- the dev node (for curl and the agent) ----------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		if ! port_in_use "$p" && [ "$p" != "${RPC_PORT:-}" ]; then
			echo "$p"
			return
		fi
	done
}
rpc() { # rpc METHOD [PARAMS_JSON]
	curl -s -H 'content-type: application/json' "http://127.0.0.1:$RPC_PORT" \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":${2:-[]}}"
}
ensure_dev_node() {
	[ -z "$DEV_PID" ] || return 0
	RPC_PORT=$(free_port)
	local p2p
	p2p=$(free_port)
	"$NODE_BIN" --dev --tmp --rpc-port "$RPC_PORT" --port "$p2p" --no-telemetry --no-prometheus --no-mdns \
		>"$WORK/dev-node.log" 2>&1 &
	DEV_PID=$!
	local deadline=$((SECONDS + 90)) number
	while [ "$SECONDS" -lt "$deadline" ]; do
		kill -0 "$DEV_PID" 2>/dev/null || { tail -20 "$WORK/dev-node.log" >&2; die "the dev node exited"; }
		number=$(rpc chain_getHeader 2>/dev/null | jq -r '.result.number // empty' 2>/dev/null || true)
		if [ -n "$number" ] && [ $((number)) -ge 1 ]; then
			echo "doc-commands: dev node on 127.0.0.1:$RPC_PORT (block $((number)))"
			return 0
		fi
		sleep 1
	done
	tail -20 "$WORK/dev-node.log" >&2
	die "the dev node produced no block within 90 s"
}

# ---- running ----------------------------------------------------------------------------------
PHRASE=""
export PHRASE
DOCDIR=""
ran=0
inline=() # commands the docs name in the text (not in sh blocks) that are run too
CURRENT_FILE=""

fail_cmd() { # fail_cmd I MESSAGE
	local i="$1"
	echo "doc-commands: FAILED ${CMD_FILE[$i]}:${CMD_LINE[$i]}: ${CMD_TEXT[$i]}" >&2
	echo "  $2" >&2
	for f in "$WORK/out" "$WORK/err"; do
		if [ -s "$f" ]; then
			echo "  --- ${f##*/} (last 30 lines)" >&2
			{ tail -30 "$f"; echo; } | sed 's/^/  /' >&2
		fi
	done
	exit 1
}

# The command as it runs here (see the header).
rewrite() {
	local c="$1"
	c="${c//.\/target\/release\/powerverse-node/\"$NODE_BIN\"}"
	c="${c//http:\/\/127.0.0.1:9944/http://127.0.0.1:${RPC_PORT:-9944}}"
	c="${c//\/var\/lib\/powerverse/$DOCDIR/var/lib/powerverse}"
	c="${c//\"<secret phrase>\"/\"\$PHRASE\"}"
	c="${c//\"<phrase>\"/\"\$(jq -r .secretPhrase v1.json)\"}"
	echo "$c"
}

new_document() { # a fresh directory and no variables for each document
	CURRENT_FILE="$1"
	DOCDIR="$WORK/$(basename "$1" .md)"
	mkdir -p "$DOCDIR/var/lib/powerverse"
	unset NODE A WASM
}

# Fixtures a command relies on that its document assumes the reader has.
fixtures() {
	local cmd="$1"
	if [[ "$cmd" == *my-chain.json* && ! -f "$DOCDIR/my-chain.json" ]]; then
		"$NODE_BIN" build-spec --chain local --raw >"$DOCDIR/my-chain.json" 2>"$WORK/fixture.log" ||
			{ cat "$WORK/fixture.log" >&2; die "could not build the my-chain.json fixture (build-spec --chain local --raw)"; }
	fi
	if [[ "$cmd" == *patch.json* && ! -f "$DOCDIR/patch.json" ]]; then
		# The doc's patch (step 2) for two validators: v1 from the doc's step 1, v2 made here.
		[ -f "$DOCDIR/v1.json" ] || die "patch.json fixture: the doc's v1.json (step 1) is missing"
		"$NODE_BIN" key generate --scheme sr25519 --output-type json >"$DOCDIR/v2.json"
		local v phrase args=()
		for v in v1 v2; do
			phrase=$(jq -r .secretPhrase "$DOCDIR/$v.json")
			args+=(--arg "${v}a" "$(jq -r .ss58Address "$DOCDIR/$v.json")")
			args+=(--arg "${v}g" "$("$NODE_BIN" key inspect --scheme ed25519 --output-type json "$phrase" | jq -r .ss58Address)")
		done
		# Validators and their session keys (Aura = the sr25519 account key, GRANDPA = the ed25519
		# key of the same phrase), each endowed with 20,000 PEC: the genesis holds the 10,000 PEC bond.
		# (jq would print the amount as 2e+16, which the genesis does not parse: sed writes it.)
		jq -n "${args[@]}" '{
			validators: { validators: [$v1a, $v2a] },
			session: { keys: [[$v1a, $v1a, { aura: $v1a, grandpa: $v1g }], [$v2a, $v2a, { aura: $v2a, grandpa: $v2g }]] },
			balances: { balances: [[$v1a, "ENDOWMENT"], [$v2a, "ENDOWMENT"]] }
		}' | sed 's/"ENDOWMENT"/20000000000000000/g' >"$DOCDIR/patch.json"
	fi
}

# Runs command I in its document's directory; its output goes to $WORK/out and $WORK/err.
run_cmd() { # run_cmd I CMD [TIMEOUT]
	local cmd="$2"
	(cd "$DOCDIR" && timeout "${3:-$CMD_TIMEOUT}" bash -c "set -eo pipefail; $cmd") >"$WORK/out" 2>"$WORK/err"
}

check() { # check I CONDITION-DESCRIPTION COMMAND...
	local i="$1" what="$2"
	shift 2
	"$@" >/dev/null 2>&1 || fail_cmd "$i" "check failed: $what"
}

run_one() {
	local i="$1" how="$2" cmd norm status
	norm=$(strip_comment "${CMD_TEXT[$i]}")
	case "$how" in
	assign)
		local name="${norm%%=*}" value="${norm#*=}"
		case "$name=$value" in
		NODE=./target/release/powerverse-node) NODE="$NODE_BIN" ;;
		A=target/release/powerverse-agent) A="$AGENT_BIN" ;;
		WASM=target/release/wbuild/powerverse-runtime/powerverse_runtime.compact.compressed.wasm) WASM="$WASM_BIN" ;;
		*) fail_cmd "$i" "no rewrite for the assignment $name=$value" ;;
		esac
		export "${name?}"
		[ -e "${!name}" ] || fail_cmd "$i" "$name=${!name}: no such file (build it, or set POWERVERSE_NODE / POWERVERSE_AGENT / POWERVERSE_WASM)"
		;;
	run | curl)
		[[ "$norm" != *--url* && "$how" != curl ]] || ensure_dev_node
		cmd=$(rewrite "$norm")
		if [[ "$cmd" =~ \<[A-Za-z][A-Za-z0-9\ ._-]*\> ]]; then fail_cmd "$i" "unresolved placeholder ${BASH_REMATCH[0]}"; fi
		fixtures "$cmd"
		status=0
		run_cmd "$i" "$cmd" || status=$?
		[ "$status" = 0 ] || fail_cmd "$i" "exit status $status$([ "$status" = 124 ] && echo " (timed out after $CMD_TIMEOUT s)")"
		checks_after "$i" "$norm"
		;;
	background)
		ensure_dev_node
		cmd=$(rewrite "${norm%&}")
		# In a session of its own, so that stopping it stops whatever it started.
		(cd "$DOCDIR" && exec setsid bash -c "exec $cmd") >"$WORK/bg-$i.out" 2>"$WORK/bg-$i.err" &
		BG_PIDS+=($!)
		BG_WHAT+=("$i")
		;;
	watch)
		ensure_dev_node
		cmd=$(rewrite "$norm")
		status=0
		run_cmd "$i" "exec $cmd" 20 || status=$?
		# It runs until Ctrl-C: still running after 20 s (124) is success.
		[ "$status" = 124 ] || fail_cmd "$i" "exit status $status (expected it to keep watching for 20 s)"
		check "$i" "it announces what it watches" grep -q 'watching machine' "$WORK/err"
		;;
	esac
}

# What a command must have produced beyond exit status 0.
checks_after() {
	local i="$1" norm="$2"
	if [[ "$norm" =~ \>\ *([^[:space:]]+\.json)$ ]]; then
		check "$i" "${BASH_REMATCH[1]} is JSON" jq -e . "$DOCDIR/${BASH_REMATCH[1]}"
	fi
	case "$norm" in
	*--version) check "$i" "prints the version" grep -qi 'powerverse' "$WORK/out" ;;
	'$NODE key generate '*--output-type\ json*) ;;
	'$NODE key generate '*)
		PHRASE=$(sed -n 's/^Secret phrase:[[:space:]]*//p' "$WORK/out" | head -1)
		[ -n "$PHRASE" ] || fail_cmd "$i" "printed no 'Secret phrase:'"
		;;
	'$NODE key inspect '*--output-type\ json*) check "$i" "prints JSON with an ss58Address" jq -e .ss58Address "$WORK/out" ;;
	'$NODE key inspect '*) check "$i" "prints the SS58 address" grep -q 'SS58 Address' "$WORK/out" ;;
	'$NODE key generate-node-key '* | '$NODE key inspect-node-key '*)
		check "$i" "prints a peer id" grep -q '12D3KooW' "$WORK/out" "$WORK/err"
		;;
	'$NODE key insert '*)
		check "$i" "a key in the keystore" bash -c "find '$DOCDIR/var/lib/powerverse/chains' -path '*keystore*' -type f | grep -q ."
		;;
	'$NODE chain-spec-builder -c spec.json create '*)
		check "$i" "spec.json is the named chain with the patch's validators" \
			jq -e --slurpfile p "$DOCDIR/patch.json" \
			'.name == "My PowerVerse" and .id == "my_powerverse" and (tostring | contains($p[0].validators.validators[1]))' \
			"$DOCDIR/spec.json"
		;;
	'$NODE chain-spec-builder -c raw.json convert-to-raw '*)
		check "$i" "raw.json has raw genesis storage" jq -e '.genesis.raw.top | length > 0' "$DOCDIR/raw.json"
		# The inline commands next to it: the presets and the default genesis the patch goes on.
		run_cmd "$i" "\"$NODE_BIN\" chain-spec-builder list-presets -r \"$WASM_BIN\"" || fail_cmd "$i" "chain-spec-builder list-presets failed"
		check "$i" "list-presets names development and local_testnet" bash -c "grep -q development '$WORK/out' && grep -q local_testnet '$WORK/out'"
		run_cmd "$i" "\"$NODE_BIN\" chain-spec-builder display-preset -r \"$WASM_BIN\"" || fail_cmd "$i" "chain-spec-builder display-preset failed"
		check "$i" "display-preset shows the default genesis without a sudo key" \
			jq -e '(.computeStaking.params != null) and ((.sudo.key // null) == null)' "$WORK/out"
		inline+=("docs/validator.md: chain-spec-builder list-presets -r \$WASM" "docs/validator.md: chain-spec-builder display-preset -r \$WASM")
		;;
	curl*)
		check "$i" "a JSON-RPC answer" jq -e '.jsonrpc == "2.0"' "$WORK/out"
		local expect="${CMD_EXPECT[$i]#\# }"
		if [[ "$expect" == '{"jsonrpc"'* ]]; then
			if jq -e 'has("error")' <<<"$expect" >/dev/null 2>&1; then
				check "$i" "the documented error $(jq -c .error <<<"$expect")" \
					jq -e --argjson e "$(jq -c .error <<<"$expect")" '.error == $e' "$WORK/out"
			else
				check "$i" "a result, as documented" jq -e 'has("result")' "$WORK/out"
			fi
		fi
		;;
	'$A detect '*) check "$i" "spec.json is a machine spec" jq -e '.cores > 0' "$DOCDIR/spec.json" ;;
	'$A onboard '*)
		# The doc's later commands name machine 0: the first machine of a fresh chain.
		check "$i" "onboarded machine 0" jq -e '.machine == 0' "$WORK/out"
		;;
	'$A status '*) check "$i" "shows the machine" jq -e '.machine.id == 0' "$WORK/out" ;;
	esac
}

summary_skipped=()
skipped=0
for i in "${!CMD_TEXT[@]}"; do
	classify "$i"
	[ "${CMD_FILE[$i]}" = "$CURRENT_FILE" ] || new_document "${CMD_FILE[$i]}"
	if [ "$HOW" = skip ]; then
		skipped=$((skipped + 1))
		summary_skipped+=("${CMD_FILE[$i]}:${CMD_LINE[$i]}: $(strip_comment "${CMD_TEXT[$i]}")"$'\n'"      why: $WHY")
		continue
	fi
	echo "doc-commands: ${CMD_FILE[$i]}:${CMD_LINE[$i]}: $(strip_comment "${CMD_TEXT[$i]}")"
	run_one "$i" "$HOW"
	ran=$((ran + 1))
done

# Background commands must still be running: they run until stopped.
for k in "${!BG_PIDS[@]}"; do
	i="${BG_WHAT[$k]}"
	if ! kill -0 "${BG_PIDS[$k]}" 2>/dev/null; then
		cp "$WORK/bg-$i.out" "$WORK/out"
		cp "$WORK/bg-$i.err" "$WORK/err"
		fail_cmd "$i" "it stopped; it should run until stopped"
	fi
done

echo "doc-commands: ${ran} run, ${skipped} skipped (and ${#inline[@]} commands named in the text run too)"
for s in "${inline[@]}"; do echo "  also ran $s"; done
echo "doc-commands: skipped:"
for s in "${summary_skipped[@]}"; do echo "  $s"; done
echo "doc-commands: all ${ran} runnable doc commands passed"

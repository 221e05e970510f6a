//! End-to-end tests of the `powerverse-node` binary: a dev chain that authors, finalizes and
//! executes a PEC transfer; a 4-validator local testnet; restart from a kept base path; block
//! export/import; and bad input (chain spec path, busy port, malformed RPC).

mod common;
mod upgrade;

use common::*;
use powerverse_runtime::{configs::TreasuryAccount, Balance, PEC};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

const BLOCKS_TIMEOUT: Duration = Duration::from_secs(120);

/// Transfers `amount` from Alice to Bob through `author_submitExtrinsic` and checks, at the
/// inclusion block against its parent, that Bob gains exactly `amount`, Alice pays exactly
/// `amount` + the fee the runtime reports, and the fee lands in the treasury.
fn transfer_alice_to_bob(rpc: &Rpc, amount: Balance) {
	let alice = dev_key("Alice");
	let alice_id = account(&Sr25519Keyring::Alice.to_account_id());
	let bob = account(&Sr25519Keyring::Bob.to_account_id());
	let nonce = rpc.next_nonce(&alice_id);
	let xt = signed_transfer(rpc, &alice, &bob, amount, nonce);
	let from = rpc.best_number();
	submit(rpc, &xt).expect("author_submitExtrinsic accepts a valid transfer");

	let included =
		rpc.find_extrinsic(from, &xt, BLOCKS_TIMEOUT).expect("transfer is included in a block");
	let header = rpc.call("chain_getHeader", json!([to_hex(included.as_ref())])).unwrap();
	let parent = H256::from_slice(&from_hex(header["parentHash"].as_str().expect("parent hash")));

	let events = rpc.events(included);
	let fee = fee_paid_by(&events, &alice_id).expect("TransactionFeePaid for Alice");
	assert!(fee > 0, "a signed transfer pays a fee");

	let treasury = account(&TreasuryAccount::get());
	let alice_paid =
		rpc.free_balance(&alice_id, Some(parent)) - rpc.free_balance(&alice_id, Some(included));
	let bob_gained = rpc.free_balance(&bob, Some(included)) - rpc.free_balance(&bob, Some(parent));
	let treasury_gained =
		rpc.free_balance(&treasury, Some(included)) - rpc.free_balance(&treasury, Some(parent));
	assert_eq!(bob_gained, amount, "Bob receives exactly the amount");
	assert_eq!(alice_paid, amount + fee, "Alice pays the amount plus the reported fee");
	assert_eq!(treasury_gained, fee, "the fee goes to the treasury");
}

#[test]
fn dev_chain_authors_finalizes_and_transfers_pec() {
	let dir = TempDir::new("dev-transfer");
	let node = Node::spawn(&["--dev", "--tmp"], dir.path().join("node.log"));
	let rpc = node.rpc();

	let props = rpc.call("system_properties", json!([])).unwrap();
	assert_eq!(props["tokenSymbol"], "PEC");
	assert_eq!(props["tokenDecimals"], 12);
	assert_eq!(props["ss58Format"], 42);

	assert!(
		rpc.wait_until(BLOCKS_TIMEOUT, |r| r.best_number() >= 3 && r.finalized_number() >= 1),
		"best >= 3 and finalized >= 1; log:\n{}",
		node.log_tail()
	);

	transfer_alice_to_bob(&rpc, 12 * PEC + 345);

	// Malformed requests get JSON-RPC errors; the node keeps serving.
	let parse = rpc.raw("{this is not json").expect("an HTTP answer");
	assert_eq!(parse["error"]["code"], -32700, "parse error: {parse}");
	let unknown = rpc.call("powerverse_noSuchMethod", json!([])).unwrap_err();
	assert!(unknown.contains("-32601"), "method not found: {unknown}");
	let bad_params = rpc.call("chain_getBlockHash", json!(["not-a-number"])).unwrap_err();
	assert!(bad_params.contains("-32602"), "invalid params: {bad_params}");
	let garbage = rpc.call("author_submitExtrinsic", json!(["0xdeadbeef"])).unwrap_err();
	assert!(garbage.to_lowercase().contains("error"), "garbage extrinsic: {garbage}");
	assert!(rpc.call("system_health", json!([])).is_ok(), "node still serves RPC");

	// The powerverse_* namespace: bad parameters, unknown ids and oversized pages are JSON-RPC
	// errors with clear messages, never a panic or a hang.
	let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	let cases: [(&str, Value, i64, &str); 13] = [
		("powerverse_machine", json!(["abc"]), -32602, "invalid type"),
		("powerverse_machine", json!([424242]), 1001, "machine 424242 not found"),
		("powerverse_lease", json!([7]), 1002, "lease 7 not found"),
		("powerverse_openJobsForMachine", json!([9, null, 10]), 1001, "machine 9 not found"),
		("powerverse_openJobsForMachine", json!([9, true, 10]), -32602, "not a page cursor"),
		("powerverse_openJobsForMachine", json!([9, 3, 10]), -32602, "skip 3 is not supported"),
		("powerverse_quote", json!([{}, "0xzz"]), -32602, "not a page cursor"),
		("powerverse_earnings", json!([alice, "0x0001"]), -32602, "not a page cursor"),
		("powerverse_machinesByOwner", json!([alice, null, 101]), -32602, "limit must be 1..=100"),
		("powerverse_machinesByProvider", json!([alice, null, 0]), -32602, "limit must be 1..=100"),
		("powerverse_quote", json!([{"minGpus": 1, "bogus": 1}]), -32602, "unknown field"),
		("powerverse_quote", json!([{"region": "Germany"}]), -32602, "country code"),
		("powerverse_account", json!(["0x1234"]), -32602, "not 32 bytes of hex"),
	];
	for (method, params, code, message) in cases {
		let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
		let response = rpc.raw(&body.to_string()).expect("an HTTP answer");
		assert_eq!(response["error"]["code"], code, "{method} {params}: {response}");
		let text = response["error"].to_string();
		assert!(text.contains(message), "{method} {params}: {text}");
	}
	let empty = rpc.call("powerverse_quote", json!([{}])).unwrap();
	assert_eq!(empty, json!({"items": [], "next": null}));
	// A client of the version before cursors (`quote(requirements, limit)`) still gets answers.
	let legacy = rpc.call("powerverse_quote", json!([{}, 5])).unwrap();
	assert_eq!(legacy, json!({"items": [], "next": null}));
	let mine = rpc.call("powerverse_machinesByOwner", json!([alice])).unwrap();
	assert_eq!(mine, json!({"items": [], "next": null}));
	let summary = rpc.call("powerverse_account", json!([alice])).unwrap();
	assert_eq!(summary["claimable"], "0");
	let earnings = rpc.call("powerverse_earnings", json!([alice, null, 5])).unwrap();
	assert_eq!(earnings, json!({"items": [], "next": null}));
}

#[test]
fn local_testnet_of_four_validators_finalizes_with_all_authoring() {
	let dir = TempDir::new("local-testnet");
	// Validators of a non-dev chain need a persisted network key; Alice's peer id is the
	// bootnode address of the others.
	let node_key = |who: &str| -> (String, String) {
		let file = dir.path().join(format!("{who}.node-key"));
		let path = file.to_str().unwrap().to_string();
		let (code, out) =
			run_to_exit(&["key", "generate-node-key", "--file", &path], Duration::from_secs(30));
		assert_eq!(code, Some(0), "generate-node-key: {out}");
		let peer_id = out
			.split_whitespace()
			.find(|w| w.starts_with("12D3Koo"))
			.expect("generate-node-key prints the peer id")
			.to_string();
		(path, peer_id)
	};
	let (alice_key, alice_peer) = node_key("alice");
	let alice = Node::spawn(
		&["--chain", "local", "--alice", "--tmp", "--node-key-file", &alice_key],
		dir.path().join("alice.log"),
	);
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{alice_peer}", alice.p2p_port);
	let others: Vec<Node> = ["bob", "charlie", "dave"]
		.iter()
		.map(|who| {
			let (key, _) = node_key(who);
			let flag = format!("--{who}");
			Node::spawn(
				&[
					"--chain",
					"local",
					&flag,
					"--tmp",
					"--node-key-file",
					&key,
					"--bootnodes",
					&bootnode,
				],
				dir.path().join(format!("{who}.log")),
			)
		})
		.collect();

	let rpc = alice.rpc();
	let mut authors = std::collections::BTreeSet::new();
	let mut scanned = 1;
	let done = rpc.wait_until(Duration::from_secs(240), |r| {
		while scanned <= r.best_number() {
			if let Some(hash) = r.block_hash(scanned) {
				let header = r.call("chain_getHeader", json!([to_hex(hash.as_ref())])).unwrap();
				if let Some(slot) = aura_slot(&header) {
					authors.insert(slot % 4);
				}
			}
			scanned += 1;
		}
		authors.len() == 4 && r.finalized_number() >= 4
	});
	assert!(
		done,
		"authors seen {authors:?}, finalized {}; alice log:\n{}",
		rpc.finalized_number(),
		alice.log_tail()
	);
	for node in &others {
		assert!(node.rpc().finalized_number() >= 1, "every validator follows finality");
	}
}

#[test]
fn dev_node_restarts_from_its_base_path_and_blocks_export_and_import() {
	let dir = TempDir::new("restart");
	let base = dir.path().join("base");
	let base = base.to_str().unwrap();
	let mut node = Node::spawn(&["--dev", "--base-path", base], dir.path().join("first.log"));
	let rpc = node.rpc();
	assert!(rpc.wait_until(BLOCKS_TIMEOUT, |r| r.best_number() >= 2), "{}", node.log_tail());
	transfer_alice_to_bob(&rpc, 7 * PEC);
	let bob = account(&Sr25519Keyring::Bob.to_account_id());
	let bob_balance = rpc.free_balance(&bob, None);
	let height = rpc.best_number();

	assert_eq!(node.interrupt(), Some(0), "SIGINT stops the node cleanly");

	let node = Node::spawn(&["--dev", "--base-path", base], dir.path().join("second.log"));
	let rpc = node.rpc();
	assert!(rpc.best_number() >= height, "the chain continues from height {height}");
	assert_eq!(rpc.free_balance(&bob, None), bob_balance, "Bob's balance survived the restart");
	assert!(
		rpc.wait_until(BLOCKS_TIMEOUT, |r| r.best_number() > height),
		"the restarted node keeps authoring"
	);
	let exported_to = rpc.finalized_number();
	drop(node);

	let blocks = dir.path().join("blocks.bin");
	let (code, out) = run_to_exit(
		&[
			"export-blocks",
			"--dev",
			"--base-path",
			base,
			"--to",
			&exported_to.to_string(),
			"--binary",
			blocks.to_str().unwrap(),
		],
		Duration::from_secs(120),
	);
	assert_eq!(code, Some(0), "export-blocks: {out}");
	let fresh = dir.path().join("imported");
	let (code, out) = run_to_exit(
		&[
			"import-blocks",
			"--dev",
			"--base-path",
			fresh.to_str().unwrap(),
			"--binary",
			blocks.to_str().unwrap(),
		],
		Duration::from_secs(120),
	);
	assert_eq!(code, Some(0), "import-blocks: {out}");
	assert!(out.contains("Imported"), "import-blocks reports what it imported: {out}");
}

#[test]
fn build_spec_carries_pec_properties_and_both_presets() {
	for chain in ["dev", "local"] {
		let (code, out) = run_to_exit(&["build-spec", "--chain", chain], Duration::from_secs(60));
		assert_eq!(code, Some(0), "build-spec --chain {chain}: {out}");
		let start = out.find('{').expect("JSON output");
		let end = out.rfind('}').expect("JSON output");
		let spec: serde_json::Value = serde_json::from_str(&out[start..=end]).expect("valid JSON");
		assert_eq!(spec["properties"]["tokenSymbol"], "PEC");
		assert_eq!(spec["properties"]["tokenDecimals"], 12);
	}
}

#[test]
fn bad_chain_spec_path_exits_non_zero_with_a_clear_error() {
	let (code, out) =
		run_to_exit(&["--chain", "/definitely/not/here.json", "--tmp"], Duration::from_secs(60));
	assert!(matches!(code, Some(c) if c != 0), "exit code {code:?}: {out}");
	assert!(out.contains("/definitely/not/here.json"), "error names the path: {out}");
}

#[test]
fn busy_rpc_port_exits_non_zero_instead_of_hanging() {
	let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
	let port = listener.local_addr().unwrap().port().to_string();
	let (code, out) = run_to_exit(
		&["--dev", "--tmp", "--rpc-port", &port, "--no-prometheus", "--no-mdns", "--port", "0"],
		Duration::from_secs(90),
	);
	assert!(matches!(code, Some(c) if c != 0), "exit code {code:?}: {out}");
	assert!(out.to_lowercase().contains("address") || out.contains("in use"), "{out}");
	drop(listener);
}

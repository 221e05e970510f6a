//! A runtime upgrade on a running chain through the privileged path: a dev chain started from
//! the previous release's runtime (`fixtures/powerverse-runtime-spec100.compact.compressed.wasm`,
//! spec 100, market storage version 1, built from commit b105700) gets state the migration must
//! carry (a listed, bonded, verified machine), then `sudo(system.set_code(<this build's runtime>))`.
//! The next block runs the new runtime's migrations: the market's storage version becomes 2,
//! the listing is in the price index (the new paged quote finds it), and the chain keeps
//! finalizing (in the e2e binary, so it runs beside the other node tests).
//!
//! Before the upgrade is enacted, try-runtime's `on-runtime-upgrade` check runs against a
//! snapshot of that very chain (`powerverse-upgrade-check`, the tool operators use): the state is
//! downloaded over RPC into a snapshot file, loaded back, and a `try-runtime` build of this
//! runtime (`POWERVERSE_TRY_RUNTIME_WASM`, built by scripts/test.sh and
//! scripts/upgrade-check.sh; the test fails without it unless it says `skip`) runs its
//! migrations on it with the market migration's pre/post checks and every pallet's try_state, a
//! weight check and an idempotency check. The check is also shown to fail: on a state whose
//! market claims version 2 with its listing in the version-1 layout, with a runtime built
//! without `try-runtime`, and with a runtime that does not raise `spec_version`.

use crate::common::*;
use powerverse_agent::subxt::dynamic::Value as V;
use powerverse_runtime::PEC;
use serde_json::{json, Value};
use std::time::Duration;

const FIXTURE: &str = concat!(
	env!("CARGO_MANIFEST_DIR"),
	"/tests/fixtures/powerverse-runtime-spec100.compact.compressed.wasm"
);

fn storage_version(rpc: &Rpc, pallet: &str) -> u16 {
	let key = to_hex(&powerverse_upgrade_check::storage_version_key(pallet));
	let raw = rpc.call("state_getStorage", json!([key])).unwrap();
	let bytes = raw.as_str().map(from_hex).unwrap_or_default();
	u16::from_le_bytes([bytes.first().copied().unwrap_or(0), bytes.get(1).copied().unwrap_or(0)])
}

fn spec_version(rpc: &Rpc) -> u64 {
	rpc.call("state_getRuntimeVersion", json!([])).unwrap()["specVersion"].as_u64().unwrap()
}

fn text(s: &str) -> V {
	arg::bytes(s.as_bytes())
}

/// `Pallet.call { fields }` as a value of the runtime's call enum (for sudo).
fn call(pallet: &str, name: &str, fields: Vec<(&str, V)>) -> V {
	V::unnamed_variant(pallet, [V::named_variant(name, fields.into_iter().map(|(k, v)| (k, v)))])
}

#[test]
fn set_code_through_sudo_upgrades_a_running_chain_and_migrates_the_market() {
	let dir = TempDir::new("upgrade");
	// The dev chain spec with the previous release's runtime as genesis code.
	let (status, spec) = run_to_exit(&["build-spec", "--chain", "dev"], Duration::from_secs(60));
	assert_eq!(status, Some(0), "build-spec: {spec}");
	let start = spec.find('{').expect("a JSON chain spec");
	let mut spec: Value = serde_json::Deserializer::from_str(&spec[start..])
		.into_iter::<Value>()
		.next()
		.and_then(Result::ok)
		.expect("chain spec JSON");
	let old = std::fs::read(FIXTURE).expect("the spec-100 runtime fixture");
	spec["genesis"]["runtimeGenesis"]["code"] = json!(to_hex(&old));
	let spec_path = dir.path().join("spec100.json");
	std::fs::write(&spec_path, spec.to_string()).unwrap();
	let spec_arg = spec_path.to_str().unwrap();

	let node = Node::spawn(
		&[
			"--chain",
			spec_arg,
			"--alice",
			"--validator",
			"--force-authoring",
			"--tmp",
			// A validator of a chain from a file needs a network key.
			"--node-key",
			"0000000000000000000000000000000000000000000000000000000000000001",
		],
		dir.path().join("node.log"),
	);
	let rpc = node.rpc();
	assert_eq!(spec_version(&rpc), 100, "the chain starts on the old runtime");
	assert_eq!(storage_version(&rpc, "Market"), 1);

	// State the migration must carry: Alice's machine, verified, bonded and listed.
	let alice = dev_key("Alice");
	let submit = |pallet: &str, name: &str, args: Vec<V>| {
		rpc.submit_finalized(&alice, pallet, name, args)
			.unwrap_or_else(|e| panic!("{pallet}.{name}: {e}\n{}", node.log_tail()))
	};
	submit(
		"Compute",
		"register_provider",
		vec![arg::record([
			("display_name", text("Upgrade Labs")),
			("operator", text("Hetzner")),
			("city", text("Berlin")),
			("country", arg::bytes(b"DE")),
			("contact_url", text("https://upgrade.example")),
			("encryption_key", arg::bytes([1u8; 32])),
		])],
	);
	let spec = arg::record([
		("cpu_model", text("AMD EPYC 9654")),
		("cores", arg::u(96u32)),
		("threads", arg::u(192u32)),
		("ram_gib", arg::u(768u32)),
		("storage_gib", arg::u(15_000u32)),
		("bandwidth_mbps", arg::u(25_000u32)),
		(
			"gpus",
			V::unnamed_composite([arg::record([
				("model", text("H100")),
				("vram_gib", arg::u(80u32)),
				("count", arg::u(8u32)),
			])]),
		),
	]);
	let alice_id = account(&sp_keyring::Sr25519Keyring::Alice.to_account_id());
	let registered =
		submit("Compute", "register_machine", vec![spec, arg::account(&alice_id), arg::u(3 * PEC)]);
	let machine = registered
		.event("Compute", "MachineRegistered")
		.and_then(|e| e.u128("machine"))
		.expect("MachineRegistered") as u64;
	let verify = call(
		"Compute",
		"verify_machine",
		vec![("machine", arg::u(machine)), ("approved", V::bool(true))],
	);
	submit("Sudo", "sudo", vec![verify]);
	submit("ComputeStaking", "bond", vec![arg::u(machine), arg::u(1_100 * PEC)]);
	submit("Market", "list_machine", vec![arg::u(machine)]);
	// The node serves the old runtime's quote through the version-1 method.
	let before = rpc.call("powerverse_quote", json!([{}, null, 10])).unwrap();
	assert_eq!(before["items"][0]["machine"], machine, "{before}");

	// try-runtime's on-runtime-upgrade against a snapshot of this chain, before the upgrade.
	// `skip` is an explicit opt-out; unset is an error, so the check cannot silently not run.
	match std::env::var("POWERVERSE_TRY_RUNTIME_WASM").as_deref() {
		Ok("skip") => eprintln!("upgrade test: try-runtime check skipped (=skip)"),
		Ok(path) => try_runtime_on_snapshot(
			&node,
			&dir,
			&std::fs::read(path)
				.unwrap_or_else(|e| panic!("POWERVERSE_TRY_RUNTIME_WASM={path}: {e}")),
		),
		Err(_) => panic!(
			"POWERVERSE_TRY_RUNTIME_WASM is not set: give the try-runtime build of this runtime \
			 (POWERVERSE_TRY_RUNTIME_WASM=$(scripts/upgrade-check.sh --build-only); scripts/test.sh \
			 sets it), or `skip`"
		),
	}

	// The upgrade, through the privileged path.
	let new =
		powerverse_runtime::WASM_BINARY.expect("this build's runtime wasm (not SKIP_WASM_BUILD)");
	let upgraded = submit(
		"Sudo",
		"sudo_unchecked_weight",
		vec![
			call("System", "set_code", vec![("code", arg::bytes(&new))]),
			arg::record([("ref_time", arg::u(0u64)), ("proof_size", arg::u(0u64))]),
		],
	);
	assert!(
		upgraded.event("System", "CodeUpdated").is_some(),
		"set_code applied: {:?}",
		upgraded.events.iter().map(|e| format!("{}.{}", e.pallet, e.name)).collect::<Vec<_>>()
	);
	let upgraded_at = upgraded.block as u32;

	// The first block on the new runtime migrates; the chain goes on finalizing.
	let rpc = node.rpc();
	assert!(
		rpc.wait_until(Duration::from_secs(120), |r| r.finalized_number() >= upgraded_at + 2),
		"finality after the upgrade; log:\n{}",
		node.log_tail()
	);
	assert_eq!(spec_version(&rpc), u64::from(powerverse_runtime::VERSION.spec_version));
	assert_eq!(storage_version(&rpc, "Market"), 2, "the market migrated to version 2");
	let quote = rpc.call("powerverse_quote", json!([{}, null, 10])).unwrap();
	assert_eq!(quote["items"][0]["machine"], machine, "the listing is in the price index: {quote}");
	let info = rpc.call("powerverse_machine", json!([machine])).unwrap();
	assert_eq!(info["listed"], true);
	// Calls work on the new runtime: delist and list again through the index.
	let rpc2 = node.rpc();
	rpc2.submit_finalized(&alice, "Market", "delist_machine", vec![arg::u(machine)])
		.expect("delist after the upgrade");
	let empty = rpc2.call("powerverse_quote", json!([{}, null, 10])).unwrap();
	assert_eq!(empty, json!({"items": [], "next": null}));
}

/// try-runtime's `on-runtime-upgrade` of `try_wasm` (this runtime built with `try-runtime`)
/// against a snapshot of the spec-100 chain behind `node`, then two checks that must fail.
fn try_runtime_on_snapshot(node: &Node, dir: &TempDir, try_wasm: &[u8]) {
	use codec::Encode;
	use powerverse_upgrade_check::{check, load, snapshot, storage_version_key, Checks};
	let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
	let uri = format!("ws://127.0.0.1:{}", node.rpc_port);
	let snap = dir.path().join("spec100.snap");
	let started = std::time::Instant::now();
	let live = rt.block_on(snapshot(&uri, None, Some(&snap))).expect("snapshot of the chain");
	let took_snapshot = started.elapsed();
	let block = live.header.number;
	drop(live);
	let size = std::fs::metadata(&snap).expect("the snapshot file").len();

	// The upgrade on the snapshot as written to disk.
	let started = std::time::Instant::now();
	let mut state = rt.block_on(load(&snap)).expect("the snapshot loads back");
	let report = check(&mut state, try_wasm, Checks::All)
		.unwrap_or_else(|e| panic!("try-runtime on-runtime-upgrade: {e}"));
	eprintln!(
		"upgrade test: snapshot of block #{block}: {size} bytes in {:.1} s; check in {:.1} s:\n{report}",
		took_snapshot.as_secs_f64(),
		started.elapsed().as_secs_f64()
	);
	assert_eq!(report.block.0, block);
	assert_eq!(
		(report.old.spec_version, report.new.spec_version),
		(100, powerverse_runtime::VERSION.spec_version)
	);
	assert_eq!(
		report.changes.get(&storage_version_key("Market")),
		Some(&Some(2u16.encode())),
		"the market migration ran and set version 2"
	);
	// The spec-100 genesis left pallet-nfts' collection counter at the compute collection; the
	// upgrade moves it past (Root's `nfts.forceCreate` would collide otherwise).
	let counter =
		[sp_io::hashing::twox_128(b"Nfts"), sp_io::hashing::twox_128(b"NextCollectionId")].concat();
	assert_eq!(report.changes.get(&counter), Some(&Some(1u32.encode())), "the counter moved");
	let index =
		[sp_io::hashing::twox_128(b"Market"), sp_io::hashing::twox_128(b"OffersByPrice")].concat();
	assert_eq!(
		report.changes.iter().filter(|(k, v)| k.starts_with(&index) && v.is_some()).count(),
		1,
		"the migration indexed the one listing"
	);

	// The check can fail. A state whose market already claims version 2 while its listing is in
	// the version-1 layout (no price index): the migration is skipped, and the checks find the
	// listing that no longer decodes (frame's decode of every storage value, run with all checks;
	// the runtime's panic message reaches the error).
	let mut broken = rt.block_on(load(&snap)).unwrap();
	broken.insert(storage_version_key("Market"), 2u16.encode());
	let err = check(&mut broken, try_wasm, Checks::All).expect_err("a listing outside the index");
	assert!(err.contains("try-runtime upgrade checks failed"), "{err}");
	assert!(err.contains("`try_decode_entire_state` failed"), "{err}");
	// A runtime built without try-runtime is refused, as is one that does not raise spec_version.
	let mut plain = rt.block_on(load(&snap)).unwrap();
	let normal = powerverse_runtime::WASM_BINARY.unwrap();
	let err = check(&mut plain, normal, Checks::All).expect_err("not a try-runtime build");
	assert!(err.contains("try-runtime"), "{err}");
	let old = std::fs::read(FIXTURE).unwrap();
	let err = check(&mut plain, &old, Checks::All).expect_err("the same spec_version");
	assert!(err.contains("spec_version must increase"), "{err}");
}

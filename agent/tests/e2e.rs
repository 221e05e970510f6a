//! The agent binary against a dev node: detect, onboard (provider + machine + NFT), heartbeat,
//! status and watch, and its errors for an unreachable endpoint, a bad key, a spec the chain
//! rejects and someone else's machine — never printing the key.

use powerverse_agent::{rpc::Rpc, tx::submit_and_wait};
use powerverse_runtime::RuntimeCall;
use serde_json::{json, Value};
use std::{
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, Output, Stdio},
	time::{Duration, Instant},
};

fn agent() -> PathBuf {
	PathBuf::from(env!("CARGO_BIN_EXE_powerverse-agent"))
}

/// The node binary the workspace build put next to the agent.
fn node_binary() -> PathBuf {
	agent().with_file_name("powerverse-node")
}

fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A dev node killed on drop.
struct DevNode {
	child: Child,
	port: u16,
}

impl DevNode {
	fn start() -> Self {
		let port = free_port();
		let child = Command::new(node_binary())
			.args(["--dev", "--tmp", "--no-telemetry", "--no-prometheus", "--no-mdns"])
			.args(["--rpc-port", &port.to_string(), "--port", &free_port().to_string()])
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			.spawn()
			.expect("node binary built by the workspace");
		let node = Self { child, port };
		let rpc = node.rpc();
		let start = Instant::now();
		while rpc.best_number().map_or(true, |n| n < 1) {
			assert!(start.elapsed() < Duration::from_secs(60), "dev node produced no block");
			std::thread::sleep(Duration::from_millis(500));
		}
		node
	}

	fn rpc(&self) -> Rpc {
		Rpc::local(self.port)
	}

	fn url(&self) -> String {
		format!("http://127.0.0.1:{}", self.port)
	}
}

impl Drop for DevNode {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

fn run(args: &[&str]) -> Output {
	Command::new(agent()).args(args).output().expect("agent runs")
}

fn text(out: &Output) -> String {
	format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

const SPEC: &str = r#"{"cpuModel":"AMD EPYC 9654","cores":96,"threads":192,"ramGib":768,"storageGib":15000,"bandwidthMbps":25000,"gpus":[{"model":"H100","vramGib":80,"count":8}]}"#;

fn profile<'a>() -> Vec<&'a str> {
	vec![
		"--name",
		"Berlin GPU",
		"--operator-name",
		"Hetzner",
		"--city",
		"Berlin",
		"--country",
		"DE",
		"--contact-url",
		"https://gpu.example",
		"--encryption-key",
		"0x1111111111111111111111111111111111111111111111111111111111111111",
	]
}

#[test]
fn detect_prints_this_hosts_hardware() {
	let out = run(&["detect", "--bandwidth-mbps", "1000"]);
	assert!(out.status.success(), "{}", text(&out));
	let host: Value = serde_json::from_slice(&out.stdout).unwrap();
	assert!(host["cores"].as_u64().unwrap() >= 1);
	assert!(host["threads"].as_u64() >= host["cores"].as_u64());
	assert!(host["ramGib"].as_u64().unwrap() >= 1);
	assert_eq!(host["bandwidthMbps"], 1000);
	assert!(host["gpus"].is_array());
}

#[test]
fn an_unreachable_endpoint_and_a_bad_key_are_clear_errors() {
	let dir = std::env::temp_dir().join(format!("pv-agent-e2e-{}", std::process::id()));
	std::fs::write(&dir, SPEC).unwrap();
	let spec = dir.to_str().unwrap();
	let out = run(&["status", "--url", "http://127.0.0.1:1", "--machine", "0"]);
	assert!(!out.status.success());
	assert!(text(&out).contains("RPC endpoint unreachable"), "{}", text(&out));
	let secret = "word ".repeat(11) + "secretword";
	let out = run(&[
		"onboard",
		"--url",
		"http://127.0.0.1:1",
		"--suri",
		&secret,
		"--spec",
		spec,
		"--price",
		"1",
	]);
	assert!(!out.status.success());
	assert!(text(&out).contains("not a valid secret URI"), "{}", text(&out));
	assert!(!text(&out).contains("secretword"), "the key leaked: {}", text(&out));
	std::fs::remove_file(&dir).unwrap();

	// Heartbeats keep retrying with a growing backoff while the endpoint is down.
	let mut beat = Command::new(agent())
		.args(["heartbeat", "--url", "http://127.0.0.1:1", "--suri", "//Alice", "--machine", "0"])
		.stdout(Stdio::null())
		.stderr(Stdio::piped())
		.spawn()
		.unwrap();
	std::thread::sleep(Duration::from_secs(5));
	assert!(beat.try_wait().unwrap().is_none(), "the heartbeat loop gave up");
	beat.kill().unwrap();
	let out = beat.wait_with_output().unwrap();
	let log = String::from_utf8_lossy(&out.stderr);
	assert!(log.contains("retrying in 1s") && log.contains("retrying in 2s"), "{log}");
	assert!(!log.contains("//Alice"), "the key leaked");
}

#[test]
fn a_provider_onboards_beats_and_sees_its_lease() {
	let node = DevNode::start();
	let url = node.url();
	let dir = std::env::temp_dir().join(format!("pv-agent-spec-{}", std::process::id()));
	std::fs::write(&dir, SPEC).unwrap();
	let spec = dir.to_str().unwrap();
	let key = std::env::temp_dir().join(format!("pv-agent-key-{}", std::process::id()));
	std::fs::write(&key, "//Charlie\n").unwrap();
	let key = key.to_str().unwrap();

	// A spec the chain rejects: zero RAM.
	let bad = dir.with_extension("bad");
	std::fs::write(&bad, SPEC.replace("\"ramGib\":768", "\"ramGib\":0")).unwrap();
	let mut args = vec![
		"onboard",
		"--url",
		&url,
		"--key-file",
		key,
		"--spec",
		bad.to_str().unwrap(),
		"--price",
		"3",
	];
	args.extend(profile());
	let out = run(&args);
	assert!(!out.status.success());
	assert!(text(&out).contains("rejected by the chain: Compute.ZeroRam"), "{}", text(&out));

	let mut args =
		vec!["onboard", "--url", &url, "--key-file", key, "--spec", spec, "--price", "3"];
	args.extend(profile());
	let out = run(&args);
	assert!(out.status.success(), "{}", text(&out));
	assert!(!text(&out).contains("//Charlie"), "the key leaked");
	let onboarded: Value = serde_json::from_slice(&out.stdout).unwrap();
	let machine = onboarded["machine"].as_u64().unwrap();
	assert_eq!(onboarded["nft"], json!({"collection": 0, "item": machine}));
	assert!(text(&out).contains("included in block #"), "no progress shown");

	let rpc = node.rpc();
	let info = rpc.call("powerverse_machine", json!([machine])).unwrap();
	assert_eq!(info["state"], "PendingVerification");
	assert_eq!(info["spec"]["gpus"][0]["count"], 8);

	// Someone else's key cannot beat for the machine: a clear error, exit 1.
	let out = run(&[
		"heartbeat",
		"--url",
		&url,
		"--suri",
		"//Dave",
		"--machine",
		&machine.to_string(),
		"--count",
		"1",
	]);
	assert!(!out.status.success());
	assert!(text(&out).contains("Compute.NotMachineOperator"), "{}", text(&out));

	// The operator's heartbeat waits out the one-a-minute limit (10 blocks) and lands.
	let before = info["lastHeartbeat"].as_u64().unwrap();
	let out = run(&[
		"heartbeat",
		"--url",
		&url,
		"--key-file",
		key,
		"--machine",
		&machine.to_string(),
		"--count",
		"1",
		"--interval",
		"6",
	]);
	assert!(out.status.success(), "{}", text(&out));
	let info = rpc.call("powerverse_machine", json!([machine])).unwrap();
	assert!(info["lastHeartbeat"].as_u64().unwrap() >= before + 10);

	let out = run(&["status", "--url", &url, "--machine", &machine.to_string()]);
	assert!(out.status.success(), "{}", text(&out));
	let status: Value = serde_json::from_slice(&out.stdout).unwrap();
	assert_eq!(status["machine"]["id"], machine);
	assert_eq!(status["lease"], Value::Null);

	// `watch` prints the lease a customer starts: verify (sudo), bond, rent.
	let watcher = Command::new(agent())
		.args(["watch", "--url", &url, "--machine", &machine.to_string(), "--poll", "1", "--once"])
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.unwrap();
	let pec = 1_000_000_000_000u128;
	let sudo = powerverse_agent::keys::from_suri("//Alice").unwrap();
	let charlie = powerverse_agent::keys::from_suri("//Charlie").unwrap();
	let bob = powerverse_agent::keys::from_suri("//Bob").unwrap();
	let wait = Duration::from_secs(60);
	let verify = RuntimeCall::Sudo(pallet_sudo::Call::sudo {
		call: Box::new(RuntimeCall::Compute(pallet_compute::Call::verify_machine {
			machine,
			approved: true,
		})),
	});
	submit_and_wait(&rpc, &sudo, verify, wait, &mut |_| {}).unwrap();
	let bond = RuntimeCall::ComputeStaking(pallet_compute_staking::Call::bond {
		machine,
		amount: 2_000 * pec,
	});
	submit_and_wait(&rpc, &charlie, bond, wait, &mut |_| {}).unwrap();
	let rent = RuntimeCall::Market(pallet_market::Call::rent_machine {
		machine,
		hours: 1,
		max_price_per_hour: 3 * pec,
		spec: b"ipfs://job".to_vec().try_into().unwrap(),
	});
	submit_and_wait(&rpc, &bob, rent, wait, &mut |_| {}).unwrap();
	let out = watcher.wait_with_output().unwrap();
	assert!(out.status.success(), "{}", text(&out));
	let lease: Value = serde_json::from_slice(&out.stdout).unwrap();
	assert_eq!(lease["machine"], machine);
	assert_eq!(lease["status"], "Active");
	assert_eq!(lease["pricePerHour"], (3 * pec).to_string());
	std::fs::remove_file(&dir).unwrap();
	let _ = std::fs::remove_file(&bad);
}

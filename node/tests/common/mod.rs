//! Helpers for the end-to-end tests: spawn `powerverse-node` processes on free loopback ports,
//! talk JSON-RPC to them over plain HTTP, build signed extrinsics with the runtime's own types.
//!
//! Every spawned node is owned by a [`Node`] whose `Drop` kills it, so a failing assertion
//! (a panic) still leaves no process behind.
#![allow(dead_code)]

use codec::{Decode, Encode};
use powerverse_runtime::{
	AccountId, Balance, BalancesCall, Hash, RuntimeCall, RuntimeEvent, UncheckedExtrinsic, VERSION,
};
use serde_json::{json, Value};
use sp_core::sr25519;
use std::{
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// The node binary cargo built for these tests.
pub fn node_binary() -> PathBuf {
	PathBuf::from(env!("CARGO_BIN_EXE_powerverse-node"))
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
	let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
	listener.local_addr().expect("local address").port()
}

/// A fresh scratch directory under the target dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
	pub fn new(name: &str) -> Self {
		let base = std::env::var_os("CARGO_TARGET_TMPDIR")
			.map(PathBuf::from)
			.unwrap_or_else(std::env::temp_dir);
		let unique = format!(
			"{name}-{}-{}",
			std::process::id(),
			std::time::SystemTime::now()
				.duration_since(std::time::UNIX_EPOCH)
				.map(|d| d.as_nanos())
				.unwrap_or(0)
		);
		let dir = base.join(unique);
		std::fs::create_dir_all(&dir).expect("create temp dir");
		Self(dir)
	}

	pub fn path(&self) -> &Path {
		&self.0
	}
}

impl Drop for TempDir {
	fn drop(&mut self) {
		let _ = std::fs::remove_dir_all(&self.0);
	}
}

/// A running node process and its RPC port. Killed on drop.
pub struct Node {
	pub child: Option<Child>,
	pub rpc_port: u16,
	pub p2p_port: u16,
	pub log: PathBuf,
}

impl Node {
	/// Starts `powerverse-node <args> --rpc-port <free> --port <free>` with logs to `log`.
	pub fn spawn(args: &[&str], log: PathBuf) -> Self {
		let rpc_port = free_port();
		let p2p_port = free_port();
		let log_file = std::fs::File::create(&log).expect("create log file");
		let child = Command::new(node_binary())
			.args(args)
			.args([
				"--rpc-port",
				&rpc_port.to_string(),
				"--listen-addr",
				&format!("/ip4/127.0.0.1/tcp/{p2p_port}"),
				"--no-prometheus",
				"--no-telemetry",
				"--no-mdns",
			])
			.stdout(Stdio::null())
			.stderr(log_file)
			.spawn()
			.expect("spawn powerverse-node");
		let node = Self { child: Some(child), rpc_port, p2p_port, log };
		node.wait_for_rpc(Duration::from_secs(60));
		node
	}

	pub fn rpc(&self) -> Rpc {
		Rpc { port: self.rpc_port }
	}

	fn wait_for_rpc(&self, timeout: Duration) {
		let start = Instant::now();
		while start.elapsed() < timeout {
			if self.rpc().call("system_health", json!([])).is_ok() {
				return;
			}
			std::thread::sleep(Duration::from_millis(250));
		}
		panic!("node RPC on port {} did not come up; log:\n{}", self.rpc_port, self.log_tail());
	}

	pub fn log_tail(&self) -> String {
		let text = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = text.lines().collect();
		lines[lines.len().saturating_sub(40)..].join("\n")
	}

	/// Sends SIGINT and waits for a clean exit (up to 60 s); returns the exit code.
	pub fn interrupt(&mut self) -> Option<i32> {
		let mut child = self.child.take()?;
		let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
		let start = Instant::now();
		while start.elapsed() < Duration::from_secs(60) {
			if let Ok(Some(status)) = child.try_wait() {
				return status.code();
			}
			std::thread::sleep(Duration::from_millis(100));
		}
		let _ = child.kill();
		let _ = child.wait();
		None
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

/// Runs the node binary to completion (for subcommands and bad-input cases) with a timeout.
/// Output goes through files, so a large output (a chain spec) cannot fill a pipe and block.
pub fn run_to_exit(args: &[&str], timeout: Duration) -> (Option<i32>, String) {
	let dir = TempDir::new("run");
	let out_path = dir.path().join("stdout");
	let err_path = dir.path().join("stderr");
	let mut child = Command::new(node_binary())
		.args(args)
		.stdout(std::fs::File::create(&out_path).expect("stdout file"))
		.stderr(std::fs::File::create(&err_path).expect("stderr file"))
		.spawn()
		.expect("spawn powerverse-node");
	let start = Instant::now();
	let code = loop {
		if let Ok(Some(status)) = child.try_wait() {
			break status.code();
		}
		if start.elapsed() > timeout {
			let _ = child.kill();
			let _ = child.wait();
			break None;
		}
		std::thread::sleep(Duration::from_millis(100));
	};
	let text = format!(
		"{}{}",
		std::fs::read_to_string(&out_path).unwrap_or_default(),
		std::fs::read_to_string(&err_path).unwrap_or_default()
	);
	(
		code,
		if code.is_none() { format!("timed out after {timeout:?}; output:\n{text}") } else { text },
	)
}

/// The agent's JSON-RPC client (`powerverse_agent::rpc`) with test-friendly signatures: queries
/// that must work panic with a message instead of returning errors.
pub struct Rpc {
	pub port: u16,
}

pub use powerverse_agent::rpc::{to_hex, AccountInfo, EventRecord};

impl Rpc {
	fn client(&self) -> powerverse_agent::rpc::Rpc {
		powerverse_agent::rpc::Rpc::local(self.port)
	}

	/// Sends a raw HTTP body and returns the parsed JSON response.
	pub fn raw(&self, body: &str) -> Result<Value, String> {
		self.client().raw(body).map_err(|e| e.to_string())
	}

	/// Calls `method` and returns its `result`, or the JSON-RPC error as text.
	pub fn call(&self, method: &str, params: Value) -> Result<Value, String> {
		self.client().call(method, params).map_err(|e| e.to_string())
	}

	pub fn best_number(&self) -> u32 {
		self.client().best_number().expect("best block number")
	}

	pub fn finalized_number(&self) -> u32 {
		self.client().finalized_number().expect("finalized block number")
	}

	pub fn block_hash(&self, number: u32) -> Option<Hash> {
		self.client().block_hash(number).ok().flatten()
	}

	pub fn genesis_hash(&self) -> Hash {
		self.block_hash(0).expect("genesis hash")
	}

	/// Raw storage at `key`, at block `at` (best block when `None`).
	pub fn storage(&self, key: &[u8], at: Option<Hash>) -> Option<Vec<u8>> {
		self.client().storage(key, at).expect("state_getStorage")
	}

	/// An account's `frame_system` record (nonce and balances) at `at`.
	pub fn account(&self, who: &AccountId, at: Option<Hash>) -> AccountInfo {
		self.client().account(who, at).expect("account")
	}

	pub fn free_balance(&self, who: &AccountId, at: Option<Hash>) -> Balance {
		self.account(who, at).data.free
	}

	/// The events recorded in block `at`.
	pub fn events(&self, at: Hash) -> Vec<EventRecord> {
		self.client().events(at).expect("events")
	}

	pub fn next_nonce(&self, who: &AccountId) -> u32 {
		self.client().next_nonce(who).expect("system_accountNextIndex")
	}

	/// Polls until `condition` holds or `timeout` passes; returns whether it held.
	pub fn wait_until(&self, timeout: Duration, mut condition: impl FnMut(&Rpc) -> bool) -> bool {
		let start = Instant::now();
		while start.elapsed() < timeout {
			if condition(self) {
				return true;
			}
			std::thread::sleep(Duration::from_millis(500));
		}
		false
	}

	/// Finds the block (searching from `from`) that contains the extrinsic `encoded`.
	pub fn find_extrinsic(&self, from: u32, encoded: &[u8], timeout: Duration) -> Option<Hash> {
		let wanted = to_hex(encoded);
		let start = Instant::now();
		let mut next = from;
		while start.elapsed() < timeout {
			while next <= self.best_number() {
				let hash = self.block_hash(next)?;
				if self.client().block_extrinsics(hash).ok()?.contains(&wanted) {
					return Some(hash);
				}
				next += 1;
			}
			std::thread::sleep(Duration::from_millis(500));
		}
		None
	}
}

/// The fee the runtime reports (`TransactionFeePaid`) for `who` in these events.
pub fn fee_paid_by(events: &[EventRecord], who: &AccountId) -> Option<Balance> {
	events.iter().find_map(|record| match &record.event {
		RuntimeEvent::TransactionPayment(
			pallet_transaction_payment::Event::TransactionFeePaid { who: payer, actual_fee, tip },
		) if payer == who => Some(actual_fee + tip),
		_ => None,
	})
}

/// A signed, immortal `Balances::transfer_keep_alive` from `from` to `to`.
pub fn signed_transfer(
	from: &sr25519::Pair,
	to: &AccountId,
	amount: Balance,
	nonce: u32,
	genesis: Hash,
) -> UncheckedExtrinsic {
	let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
		dest: to.clone().into(),
		value: amount,
	});
	sign(from, call, nonce, genesis)
}

/// Signs `call` for this runtime version (immortal era, no tip).
pub fn sign(
	from: &sr25519::Pair,
	call: RuntimeCall,
	nonce: u32,
	genesis: Hash,
) -> UncheckedExtrinsic {
	powerverse_agent::tx::sign(
		from,
		call,
		nonce,
		genesis,
		(VERSION.spec_version, VERSION.transaction_version),
	)
}

/// Submits `xt` with `author_submitExtrinsic`; returns the transaction hash.
pub fn submit(rpc: &Rpc, xt: &UncheckedExtrinsic) -> Result<Value, String> {
	rpc.call("author_submitExtrinsic", json!([to_hex(&xt.encode())]))
}

pub fn from_hex(s: &str) -> Vec<u8> {
	powerverse_agent::rpc::from_hex(s).expect("hex")
}

pub fn parse_hex_u32(value: &Value) -> u32 {
	powerverse_agent::rpc::parse_hex_u32(value).expect("hex number")
}

/// The Aura slot of a header (from its pre-runtime digest).
pub fn aura_slot(header: &Value) -> Option<u64> {
	let logs = header["digest"]["logs"].as_array()?;
	logs.iter().find_map(|log| {
		let bytes = from_hex(log.as_str()?);
		let item = sp_runtime::DigestItem::decode(&mut &bytes[..]).ok()?;
		let (engine, data) = item.as_pre_runtime()?;
		if engine == *b"aura" {
			u64::decode(&mut &data[..]).ok()
		} else {
			None
		}
	})
}

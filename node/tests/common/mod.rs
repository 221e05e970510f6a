//! Helpers for the end-to-end tests: spawn `powerverse-node` processes on free loopback ports,
//! talk to them through the provider agent's client (subxt, from the chain's metadata).
//!
//! Every spawned node is owned by a [`Node`] whose `Drop` kills it, so a failing assertion
//! (a panic) still leaves no process behind.
#![allow(dead_code)]

use codec::Decode;
use serde_json::{json, Value};
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
		// Generous: four validators and other tests may be starting on two cores at once.
		node.wait_for_rpc(Duration::from_secs(150));
		node
	}

	pub fn rpc(&self) -> Rpc {
		Rpc::new(self.rpc_port)
	}

	fn wait_for_rpc(&self, timeout: Duration) {
		let start = Instant::now();
		while start.elapsed() < timeout {
			let health =
				json!({"jsonrpc": "2.0", "id": 1, "method": "system_health", "params": []});
			if self.rpc().raw(&health.to_string()).is_ok_and(|r| r.get("result").is_some()) {
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

/// The node's RPC through the provider agent's client (`powerverse_agent::client::Chain`, subxt
/// over WebSocket, built from the chain's metadata) with test-friendly signatures: queries that
/// must work panic with a message instead of returning errors. Only [`Rpc::raw`] sends bytes by
/// hand, for the requests no client would send (malformed JSON, raw error objects).
pub struct Rpc {
	pub port: u16,
	runtime: tokio::runtime::Runtime,
	chain: std::sync::Mutex<Option<Chain>>,
}

pub use powerverse_agent::{
	client::{arg, Chain, ChainEvent},
	subxt::utils::{AccountId32, H256},
	subxt_signer::sr25519::Keypair,
};

/// An account of the runtime as the client names it.
pub fn account(who: &powerverse_runtime::AccountId) -> AccountId32 {
	AccountId32(*AsRef::<[u8; 32]>::as_ref(who))
}

/// A dev key (`//Alice`, …) as the client's signer.
pub fn dev_key(name: &str) -> Keypair {
	powerverse_agent::keys::from_suri(&format!("//{name}")).expect("a dev key")
}

impl Rpc {
	pub fn new(port: u16) -> Self {
		let runtime = tokio::runtime::Builder::new_current_thread()
			.enable_all()
			.build()
			.expect("a tokio runtime");
		Self { port, runtime, chain: std::sync::Mutex::new(None) }
	}

	/// The client, connected on first use (and again after a failure).
	fn with_chain<T>(
		&self,
		f: impl FnOnce(
			Chain,
		) -> std::pin::Pin<
			Box<dyn std::future::Future<Output = powerverse_agent::Result<T>>>,
		>,
	) -> powerverse_agent::Result<T> {
		let mut guard = self.chain.lock().expect("client lock");
		let chain = match guard.as_ref() {
			Some(c) => c.clone(),
			None => {
				let c = self
					.runtime
					.block_on(Chain::connect(&format!("ws://127.0.0.1:{}", self.port)))?;
				*guard = Some(c.clone());
				c
			},
		};
		let result = self.runtime.block_on(f(chain));
		if matches!(result, Err(powerverse_agent::Error::Unreachable(_))) {
			*guard = None;
		}
		result
	}

	/// Sends a raw HTTP body and returns the parsed JSON response.
	pub fn raw(&self, body: &str) -> Result<Value, String> {
		use std::io::{Read, Write};
		let mut stream =
			std::net::TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
		stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
		write!(
			stream,
			"POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
			self.port,
			body.len()
		)
		.map_err(|e| e.to_string())?;
		let mut response = String::new();
		stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
		let (head, payload) = response.split_once("\r\n\r\n").ok_or("no HTTP body")?;
		let payload = if head.to_lowercase().contains("transfer-encoding: chunked") {
			dechunk(payload)
		} else {
			payload.to_owned()
		};
		serde_json::from_str(&payload).map_err(|e| format!("{e}: {payload}"))
	}

	/// Calls `method` and returns its `result`, or the JSON-RPC error as text.
	pub fn call(&self, method: &str, params: Value) -> Result<Value, String> {
		let params = match params {
			Value::Array(items) => items,
			other => vec![other],
		};
		let method = method.to_owned();
		self.with_chain(move |c| Box::pin(async move { c.rpc::<Value>(&method, params).await }))
			.map_err(|e| e.to_string())
	}

	fn number(&self, header: Value) -> u32 {
		parse_hex_u32(&header["number"])
	}

	pub fn best_number(&self) -> u32 {
		self.number(self.call("chain_getHeader", json!([])).expect("best header"))
	}

	pub fn finalized_number(&self) -> u32 {
		let hash = self.call("chain_getFinalizedHead", json!([])).expect("finalized head");
		self.number(self.call("chain_getHeader", json!([hash])).expect("finalized header"))
	}

	pub fn block_hash(&self, number: u32) -> Option<H256> {
		let hash = self.call("chain_getBlockHash", json!([number])).ok()?;
		Some(H256::from_slice(&from_hex(hash.as_str()?)))
	}

	pub fn genesis_hash(&self) -> H256 {
		self.block_hash(0).expect("genesis hash")
	}

	/// `who`'s free PEC at block `at` (the best block when `None`).
	pub fn free_balance(&self, who: &AccountId32, at: Option<H256>) -> u128 {
		let at = at.unwrap_or_else(|| self.block_hash(self.best_number()).expect("best hash"));
		let who = who.clone();
		self.with_chain(move |c| Box::pin(async move { c.free_balance_at(&who, at).await }))
			.expect("free balance")
	}

	/// The events recorded in block `at`.
	pub fn events(&self, at: H256) -> Vec<ChainEvent> {
		self.with_chain(move |c| Box::pin(async move { c.events_at(at).await })).expect("events")
	}

	pub fn next_nonce(&self, who: &AccountId32) -> u64 {
		let who = who.clone();
		self.with_chain(move |c| Box::pin(async move { c.next_nonce(&who).await })).expect("nonce")
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
	pub fn find_extrinsic(&self, from: u32, encoded: &[u8], timeout: Duration) -> Option<H256> {
		let wanted = to_hex(encoded);
		let start = Instant::now();
		let mut next = from;
		while start.elapsed() < timeout {
			while next <= self.best_number() {
				let hash = self.block_hash(next)?;
				let block = self.call("chain_getBlock", json!([to_hex(hash.as_ref())])).ok()?;
				let found = block["block"]["extrinsics"]
					.as_array()
					.is_some_and(|xts| xts.iter().any(|x| x.as_str() == Some(wanted.as_str())));
				if found {
					return Some(hash);
				}
				next += 1;
			}
			std::thread::sleep(Duration::from_millis(500));
		}
		None
	}

	/// Signs and submits `pallet.call(args)` and waits until it is finalized; the events of its
	/// block, or the dispatch error by name.
	pub fn submit_finalized(
		&self,
		signer: &Keypair,
		pallet: &str,
		call: &str,
		args: Vec<powerverse_agent::subxt::dynamic::Value>,
	) -> Result<powerverse_agent::client::Receipt, String> {
		let (signer, pallet, call) = (signer.clone(), pallet.to_owned(), call.to_owned());
		self.with_chain(move |c| {
			Box::pin(async move {
				c.submit(&signer, &pallet, &call, args, Duration::from_secs(120)).await
			})
		})
		.map_err(|e| e.to_string())
	}

	/// `pallet.call(args)` signed by `signer` with `nonce` (immortal), encoded.
	pub fn sign(
		&self,
		signer: &Keypair,
		pallet: &str,
		call: &str,
		args: Vec<powerverse_agent::subxt::dynamic::Value>,
		nonce: u64,
	) -> Vec<u8> {
		let (signer, pallet, call) = (signer.clone(), pallet.to_owned(), call.to_owned());
		self.with_chain(move |c| {
			Box::pin(async move { c.sign_offline(&signer, &pallet, &call, args, nonce).await })
		})
		.expect("a signed extrinsic")
	}
}

/// The fee the runtime reports (`TransactionFeePaid`) for `who` in these events.
pub fn fee_paid_by(events: &[ChainEvent], who: &AccountId32) -> Option<u128> {
	events.iter().find_map(|e| {
		let payer = powerverse_agent::client::field(&e.fields, "who")
			.and_then(powerverse_agent::client::bytes_of)?;
		(e.pallet == "TransactionPayment" && e.name == "TransactionFeePaid" && payer == who.0)
			.then(|| e.u128("actual_fee").unwrap_or(0) + e.u128("tip").unwrap_or(0))
	})
}

/// A signed, immortal `Balances.transfer_keep_alive` from `from` to `to`, encoded.
pub fn signed_transfer(
	rpc: &Rpc,
	from: &Keypair,
	to: &AccountId32,
	amount: u128,
	nonce: u64,
) -> Vec<u8> {
	rpc.sign(from, "Balances", "transfer_keep_alive", vec![arg::address(to), arg::u(amount)], nonce)
}

/// Submits an encoded extrinsic with `author_submitExtrinsic`; returns the transaction hash.
pub fn submit(rpc: &Rpc, xt: &[u8]) -> Result<Value, String> {
	rpc.call("author_submitExtrinsic", json!([to_hex(xt)]))
}

pub fn to_hex(bytes: &[u8]) -> String {
	let mut s = String::with_capacity(2 + bytes.len() * 2);
	s.push_str("0x");
	for b in bytes {
		s.push_str(&format!("{b:02x}"));
	}
	s
}

pub fn from_hex(s: &str) -> Vec<u8> {
	let s = s.trim_start_matches("0x");
	(0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex")).collect()
}

pub fn parse_hex_u32(value: &Value) -> u32 {
	u32::from_str_radix(value.as_str().expect("hex number").trim_start_matches("0x"), 16)
		.expect("hex number")
}

/// A chunked HTTP body, joined.
fn dechunk(body: &str) -> String {
	let mut out = String::new();
	let mut rest = body;
	while let Some((size, tail)) = rest.split_once("\r\n") {
		let Ok(size) = usize::from_str_radix(size.trim(), 16) else { break };
		if size == 0 || tail.len() < size {
			break;
		}
		out.push_str(&tail[..size]);
		rest = tail[size..].trim_start_matches("\r\n");
	}
	out
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

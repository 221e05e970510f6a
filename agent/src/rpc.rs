//! A small JSON-RPC-over-HTTP client (the node serves HTTP and WebSocket on one port), with the
//! chain queries the agent and the end-to-end tests need. Plain `http://` only: run the agent
//! next to the node or behind a TLS-terminating tunnel.

use crate::{Error, Result};
use codec::Decode;
use powerverse_runtime::{AccountId, Balance, Hash, RuntimeEvent};
use serde_json::{json, Value};
use std::{
	io::{Read, Write},
	net::TcpStream,
	time::Duration,
};

/// A node's RPC endpoint.
#[derive(Clone, Debug)]
pub struct Rpc {
	host: String,
	port: u16,
	timeout: Duration,
}

/// An account's `frame_system` record.
pub type AccountInfo = frame_system::AccountInfo<u32, pallet_balances::AccountData<Balance>>;
/// One event of a block.
pub type EventRecord = frame_system::EventRecord<RuntimeEvent, Hash>;

impl Rpc {
	/// Parses `http://host:port` (or `host:port`; `ws://` is accepted as the same port).
	pub fn new(url: &str) -> Result<Self> {
		let rest = url
			.strip_prefix("http://")
			.or_else(|| url.strip_prefix("ws://"))
			.unwrap_or(url)
			.trim_end_matches('/');
		if url.starts_with("https://") || url.starts_with("wss://") {
			return Err(Error::Input(format!(
				"{url}: TLS endpoints are not supported; use the node's plain http:// port"
			)));
		}
		let (host, port) = rest.rsplit_once(':').unwrap_or((rest, "9944"));
		let port =
			port.parse().map_err(|_| Error::Input(format!("{url}: expected http://host:port")))?;
		if host.is_empty() {
			return Err(Error::Input(format!("{url}: missing host")));
		}
		Ok(Self { host: host.to_owned(), port, timeout: Duration::from_secs(30) })
	}

	/// The endpoint on localhost at `port`.
	pub fn local(port: u16) -> Self {
		Self { host: "127.0.0.1".into(), port, timeout: Duration::from_secs(30) }
	}

	/// `http://host:port`.
	pub fn url(&self) -> String {
		format!("http://{}:{}", self.host, self.port)
	}

	/// Sends a raw JSON body and returns the parsed JSON response.
	pub fn raw(&self, body: &str) -> Result<Value> {
		let unreachable = |e: std::io::Error| Error::Unreachable(format!("{}: {e}", self.url()));
		let mut stream =
			TcpStream::connect((self.host.as_str(), self.port)).map_err(unreachable)?;
		stream.set_read_timeout(Some(self.timeout)).map_err(unreachable)?;
		let request = format!(
			"POST / HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
			self.host,
			self.port,
			body.len(),
			body
		);
		stream.write_all(request.as_bytes()).map_err(unreachable)?;
		let mut response = Vec::new();
		stream.read_to_end(&mut response).map_err(unreachable)?;
		let text = String::from_utf8_lossy(&response);
		let (head, body) = text
			.split_once("\r\n\r\n")
			.ok_or_else(|| Error::Rpc(format!("{}: malformed HTTP response", self.url())))?;
		let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
			dechunk(body)
		} else {
			body.to_string()
		};
		serde_json::from_str(&body).map_err(|e| Error::Rpc(format!("bad JSON ({e}): {body}")))
	}

	/// Calls `method` and returns its `result`; a JSON-RPC error becomes [`Error::Rpc`].
	pub fn call(&self, method: &str, params: Value) -> Result<Value> {
		let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
		let response = self.raw(&body.to_string())?;
		match response.get("error") {
			Some(error) => Err(Error::Rpc(error.to_string())),
			None => Ok(response.get("result").cloned().unwrap_or(Value::Null)),
		}
	}

	/// The best block's number.
	pub fn best_number(&self) -> Result<u32> {
		let header = self.call("chain_getHeader", json!([]))?;
		parse_hex_u32(&header["number"])
	}

	/// The finalized block's number.
	pub fn finalized_number(&self) -> Result<u32> {
		let hash = self.call("chain_getFinalizedHead", json!([]))?;
		let header = self.call("chain_getHeader", json!([hash]))?;
		parse_hex_u32(&header["number"])
	}

	/// The hash of block `number`, if it exists.
	pub fn block_hash(&self, number: u32) -> Result<Option<Hash>> {
		let value = self.call("chain_getBlockHash", json!([number]))?;
		Ok(value.as_str().map(|s| Hash::from_slice(&from_hex(s).unwrap_or_default())))
	}

	/// The genesis hash.
	pub fn genesis_hash(&self) -> Result<Hash> {
		self.block_hash(0)?.ok_or_else(|| Error::Rpc("no genesis block".into()))
	}

	/// The chain's (spec_version, transaction_version).
	pub fn runtime_version(&self) -> Result<(u32, u32)> {
		let v = self.call("state_getRuntimeVersion", json!([]))?;
		let field = |k: &str| {
			v[k].as_u64()
				.map(|n| n as u32)
				.ok_or_else(|| Error::Rpc(format!("runtime version without {k}")))
		};
		Ok((field("specVersion")?, field("transactionVersion")?))
	}

	/// Raw storage at `key`, at block `at` (best block when `None`).
	pub fn storage(&self, key: &[u8], at: Option<Hash>) -> Result<Option<Vec<u8>>> {
		let params = match at {
			Some(at) => json!([to_hex(key), to_hex(at.as_ref())]),
			None => json!([to_hex(key)]),
		};
		let value = self.call("state_getStorage", params)?;
		Ok(value.as_str().and_then(from_hex))
	}

	/// An account's `frame_system` record at `at`.
	pub fn account(&self, who: &AccountId, at: Option<Hash>) -> Result<AccountInfo> {
		let key = frame_system::Account::<powerverse_runtime::Runtime>::hashed_key_for(who);
		match self.storage(&key, at)? {
			Some(bytes) => AccountInfo::decode(&mut &bytes[..])
				.map_err(|e| Error::Rpc(format!("cannot decode account: {e}"))),
			None => Ok(AccountInfo::default()),
		}
	}

	/// The events recorded in block `at`.
	pub fn events(&self, at: Hash) -> Result<Vec<EventRecord>> {
		// `System::Events` is private to frame-system; its key is twox128(pallet) ++ twox128(item).
		let key =
			[sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
		match self.storage(&key, Some(at))? {
			Some(bytes) => Vec::<EventRecord>::decode(&mut &bytes[..])
				.map_err(|e| Error::Rpc(format!("cannot decode events: {e}"))),
			None => Ok(Vec::new()),
		}
	}

	/// The next nonce of `who`, counting transactions in the pool.
	pub fn next_nonce(&self, who: &AccountId) -> Result<u32> {
		let value = self.call("system_accountNextIndex", json!([who.to_string()]))?;
		value.as_u64().map(|n| n as u32).ok_or_else(|| Error::Rpc("nonce is not a number".into()))
	}

	/// The extrinsics of block `hash`, hex-encoded.
	pub fn block_extrinsics(&self, hash: Hash) -> Result<Vec<String>> {
		let block = self.call("chain_getBlock", json!([to_hex(hash.as_ref())]))?;
		Ok(block["block"]["extrinsics"]
			.as_array()
			.map(|xts| xts.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
			.unwrap_or_default())
	}
}

/// `0x`-prefixed lower-case hex.
pub fn to_hex(bytes: &[u8]) -> String {
	sp_core::bytes::to_hex(bytes, false)
}

/// Decodes hex with or without `0x`; `None` if it is not hex.
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
	sp_core::bytes::from_hex(s).ok()
}

/// A `0x`-hex JSON number (block numbers in headers).
pub fn parse_hex_u32(value: &Value) -> Result<u32> {
	value
		.as_str()
		.and_then(|s| u32::from_str_radix(s.trim_start_matches("0x"), 16).ok())
		.ok_or_else(|| Error::Rpc(format!("{value} is not a hex number")))
}

fn dechunk(body: &str) -> String {
	let mut out = String::new();
	let mut rest = body;
	while let Some((size, tail)) = rest.split_once("\r\n") {
		let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
		if size == 0 || tail.len() < size {
			break;
		}
		out.push_str(&tail[..size]);
		rest = tail[size..].trim_start_matches("\r\n");
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn endpoints_parse_and_tls_is_refused_clearly() {
		assert_eq!(Rpc::new("http://10.0.0.5:9944").unwrap().url(), "http://10.0.0.5:9944");
		assert_eq!(Rpc::new("ws://node:9955/").unwrap().url(), "http://node:9955");
		assert_eq!(Rpc::new("localhost").unwrap().url(), "http://localhost:9944");
		assert!(Rpc::new("https://x:1").unwrap_err().to_string().contains("TLS"));
		assert!(Rpc::new("http://x:notaport").is_err());
	}

	#[test]
	fn an_unreachable_endpoint_is_reported_as_such() {
		// Port 1 on loopback: nobody listens.
		let err = Rpc::local(1).call("system_chain", json!([])).unwrap_err();
		assert!(matches!(err, Error::Unreachable(_)), "{err}");
	}

	#[test]
	fn hex_round_trips() {
		assert_eq!(from_hex(&to_hex(&[0, 1, 254, 255])), Some(vec![0, 1, 254, 255]));
		assert_eq!(from_hex("0xzz"), None);
		assert_eq!(from_hex("0x1g"), None);
	}
}

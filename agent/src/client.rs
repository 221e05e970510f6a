//! The agent's chain client, built from the chain's metadata at run time (subxt): calls,
//! storage, constants and events are encoded and decoded by pallet and item *name*, so a
//! runtime upgrade that adds a transaction extension or moves a pallet does not break a deployed
//! agent. WebSocket (`ws://`), or TLS where the URL says so (`wss://`); `http(s)://` URLs are
//! taken as the same endpoint over WebSocket. Extrinsics are signed with the chain's own
//! extension list (from metadata), submitted, and followed until finalized; a failed dispatch is
//! reported by its error's name (`Compute.NotMachineOperator`). The node's `powerverse_*`
//! methods go over the same connection.

use crate::{Error, Result};
use serde::de::DeserializeOwned;
use std::time::Duration;
use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	dynamic::{self, At, Value},
	ext::scale_value::{Composite, ValueDef},
	rpcs::client::RpcClient,
	utils::{AccountId32, H256},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;

/// PowerVerse's signing parameters match Polkadot's: `MultiAddress<AccountId32, ()>`,
/// `MultiSignature`, Blake2-256, `u32` block numbers. Extensions come from metadata.
pub type ChainConfig = PolkadotConfig;

/// An event of an extrinsic: its pallet, name and fields.
#[derive(Clone, Debug)]
pub struct ChainEvent {
	/// Pallet name, e.g. `Compute`.
	pub pallet: String,
	/// Event name, e.g. `MachineRegistered`.
	pub name: String,
	/// The fields (named where the metadata names them).
	pub fields: Composite<()>,
}

impl ChainEvent {
	/// Field `name` as an unsigned integer (ids, amounts, block numbers).
	pub fn u128(&self, name: &str) -> Option<u128> {
		field(&self.fields, name).and_then(|v| v.as_u128())
	}
}

/// A finalized extrinsic: where it landed and what it emitted.
#[derive(Clone, Debug)]
pub struct Receipt {
	/// The block's number.
	pub block: u64,
	/// The block's hash (0x hex).
	pub block_hash: String,
	/// The extrinsic's events.
	pub events: Vec<ChainEvent>,
}

impl Receipt {
	/// The first event `pallet.name`.
	pub fn event(&self, pallet: &str, name: &str) -> Option<&ChainEvent> {
		self.events.iter().find(|e| e.pallet == pallet && e.name == name)
	}
}

/// The free balance in a `System.Account` value (0 for an absent account).
fn free_of(account: Option<&Value>) -> u128 {
	account
		.and_then(|a| a.at("data"))
		.and_then(|d| d.at("free"))
		.and_then(|f| f.as_u128())
		.unwrap_or(0)
}

/// A named field of a composite value.
pub fn field<'a>(fields: &'a Composite<()>, name: &str) -> Option<&'a Value> {
	match fields {
		Composite::Named(named) => named.iter().find(|(n, _)| n == name).map(|(_, v)| v),
		Composite::Unnamed(_) => None,
	}
}

/// The name of an enum value's variant (`Gpu`, `Active`).
pub fn variant_name(value: &Value) -> Option<&str> {
	match &value.value {
		ValueDef::Variant(v) => Some(v.name.as_str()),
		_ => None,
	}
}

/// Bytes of a `Vec<u8>`/`BoundedVec<u8>`/`[u8; N]` value, also wrapped in a one-field
/// newtype (`AccountId32([u8; 32])`, `BoundedVec`).
pub fn bytes_of(value: &Value) -> Option<Vec<u8>> {
	match &value.value {
		ValueDef::Composite(c) => {
			let mut values = c.values();
			if let (Some(inner), None) = (values.next(), values.next()) {
				if matches!(inner.value, ValueDef::Composite(_)) {
					return bytes_of(inner);
				}
			}
			c.values().map(|b| b.as_u128().and_then(|b| u8::try_from(b).ok())).collect()
		},
		_ => None,
	}
}

/// The WebSocket form of an endpoint: `http://` → `ws://`, `https://` → `wss://`, a bare
/// `host:port` → `ws://host:port`.
pub fn ws_url(url: &str) -> Result<String> {
	let url = url.trim();
	let converted = if let Some(rest) = url.strip_prefix("http://") {
		format!("ws://{rest}")
	} else if let Some(rest) = url.strip_prefix("https://") {
		format!("wss://{rest}")
	} else if url.starts_with("ws://") || url.starts_with("wss://") {
		url.to_owned()
	} else if !url.is_empty() && !url.contains("://") {
		format!("ws://{url}")
	} else {
		return Err(Error::Input(format!(
			"{url:?} is not a node endpoint: use ws://host:port, or wss://host for TLS"
		)));
	};
	Ok(converted)
}

/// A connection to a node.
#[derive(Clone)]
pub struct Chain {
	api: OnlineClient<ChainConfig>,
	rpc: RpcClient,
	url: String,
}

impl Chain {
	/// Connects to `url` and reads the chain's metadata.
	pub async fn connect(url: &str) -> Result<Self> {
		let url = ws_url(url)?;
		let unreachable = |e: &dyn std::fmt::Display| Error::Unreachable(format!("{url}: {e}"));
		let rpc = RpcClient::from_insecure_url(&url).await.map_err(|e| unreachable(&e))?;
		let api = OnlineClient::<ChainConfig>::from_rpc_client(rpc.clone())
			.await
			.map_err(|e| unreachable(&e))?;
		Ok(Chain { api, rpc, url })
	}

	/// The endpoint this client talks to.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// The underlying subxt client (for what this facade does not cover).
	pub fn api(&self) -> &OnlineClient<ChainConfig> {
		&self.api
	}

	/// A JSON-RPC method of the node (`powerverse_machine`, `system_health`, …).
	pub async fn rpc<T: DeserializeOwned>(
		&self,
		method: &str,
		params: Vec<serde_json::Value>,
	) -> Result<T> {
		let mut p = subxt::rpcs::client::RpcParams::new();
		for param in params {
			p.push(param).map_err(|e| Error::Input(e.to_string()))?;
		}
		self.rpc.request(method, p).await.map_err(|e| rpc_error(method, e))
	}

	/// The latest finalized block's number.
	pub async fn finalized_number(&self) -> Result<u64> {
		let at = self.api.at_current_block().await.map_err(|e| self.transport(e))?;
		Ok(at.block_number())
	}

	/// The next nonce of `who`, counting transactions in the node's pool.
	pub async fn next_nonce(&self, who: &AccountId32) -> Result<u64> {
		self.rpc("system_accountNextIndex", vec![serde_json::json!(who.to_string())]).await
	}

	/// Storage `pallet.entry` at `keys` at the latest finalized block; `None` if absent.
	pub async fn storage(
		&self,
		pallet: &str,
		entry: &str,
		keys: Vec<Value>,
	) -> Result<Option<Value>> {
		let at = self.api.at_current_block().await.map_err(|e| self.transport(e))?;
		let found = at
			.storage()
			.try_fetch((pallet, entry), keys)
			.await
			.map_err(|e| Error::Rpc(format!("reading {pallet}.{entry}: {e}")))?;
		match found {
			Some(value) => Ok(Some(
				value
					.decode()
					.map_err(|e| Error::Rpc(format!("decoding {pallet}.{entry}: {e}")))?,
			)),
			None => Ok(None),
		}
	}

	/// Every `(key parts, value)` of the map `pallet.entry` under `prefix`.
	pub async fn storage_iter(
		&self,
		pallet: &str,
		entry: &str,
		prefix: Vec<Value>,
	) -> Result<Vec<(Vec<Value>, Value)>> {
		let at = self.api.at_current_block().await.map_err(|e| self.transport(e))?;
		let storage = at.storage();
		let mut iter = storage
			.iter((pallet, entry), prefix)
			.await
			.map_err(|e| Error::Rpc(format!("reading {pallet}.{entry}: {e}")))?;
		let mut out = Vec::new();
		while let Some(kv) = iter.next().await {
			let kv = kv.map_err(|e| Error::Rpc(format!("reading {pallet}.{entry}: {e}")))?;
			let key: Vec<Value> = kv
				.key()
				.and_then(|k| k.decode())
				.map_err(|e| Error::Rpc(format!("decoding a key of {pallet}.{entry}: {e}")))?;
			let value: Value = kv
				.value()
				.decode()
				.map_err(|e| Error::Rpc(format!("decoding {pallet}.{entry}: {e}")))?;
			out.push((key, value));
		}
		Ok(out)
	}

	/// The constant `pallet.name` as an unsigned integer.
	pub async fn constant_u128(&self, pallet: &str, name: &str) -> Result<u128> {
		let at = self.api.at_current_block().await.map_err(|e| self.transport(e))?;
		let value: Value = at
			.constants()
			.entry(dynamic::constant::<Value>(pallet, name))
			.map_err(|e| Error::Rpc(format!("constant {pallet}.{name}: {e}")))?;
		value
			.as_u128()
			.ok_or_else(|| Error::Rpc(format!("constant {pallet}.{name} is not a number")))
	}

	/// `who`'s free PEC.
	pub async fn free_balance(&self, who: &AccountId32) -> Result<u128> {
		let account = self.storage("System", "Account", vec![Value::from_bytes(who.0)]).await?;
		Ok(free_of(account.as_ref()))
	}

	/// `who`'s free PEC at block `at` (any block the node still has).
	pub async fn free_balance_at(&self, who: &AccountId32, at: H256) -> Result<u128> {
		let client = self.api.at_block(at).await.map_err(|e| self.transport(e))?;
		let account: Option<Value> = match client
			.storage()
			.try_fetch(("System", "Account"), vec![Value::from_bytes(who.0)])
			.await
			.map_err(|e| Error::Rpc(format!("reading System.Account: {e}")))?
		{
			Some(v) => {
				Some(v.decode().map_err(|e| Error::Rpc(format!("decoding System.Account: {e}")))?)
			},
			None => None,
		};
		Ok(free_of(account.as_ref()))
	}

	/// Every event of block `at`.
	pub async fn events_at(&self, at: H256) -> Result<Vec<ChainEvent>> {
		let client = self.api.at_block(at).await.map_err(|e| self.transport(e))?;
		let events =
			client.events().fetch().await.map_err(|e| Error::Rpc(format!("events: {e}")))?;
		let mut out = Vec::new();
		for event in events.iter() {
			let event = event.map_err(|e| Error::Rpc(format!("decoding an event: {e}")))?;
			let fields = event
				.decode_fields_unchecked_as::<Composite<()>>()
				.map_err(|e| Error::Rpc(format!("decoding an event: {e}")))?;
			out.push(ChainEvent {
				pallet: event.pallet_name().to_owned(),
				name: event.event_name().to_owned(),
				fields,
			});
		}
		Ok(out)
	}

	/// `pallet.call(args)` signed by `signer` with `nonce`, immortal, encoded for
	/// `author_submitExtrinsic` (not submitted).
	pub async fn sign_offline(
		&self,
		signer: &Keypair,
		pallet: &str,
		call: &str,
		args: Vec<Value>,
		nonce: u64,
	) -> Result<Vec<u8>> {
		let who: AccountId32 = signer.public_key().to_account_id();
		let payload = dynamic::tx(pallet, call, args);
		let params =
			DefaultExtrinsicParamsBuilder::<ChainConfig>::new().nonce(nonce).immortal().build();
		let tx = self.api.tx().await.map_err(|e| self.transport(e))?;
		let mut signable = tx
			.create_signable(&payload, &who, params)
			.await
			.map_err(|e| Error::Input(format!("{pallet}.{call}: {e}")))?;
		let signed = signable
			.sign(signer)
			.map_err(|e| Error::Input(format!("signing {pallet}.{call}: {e}")))?;
		Ok(signed.encoded().to_vec())
	}

	/// Signs `pallet.call(args)` with `signer`, submits it and waits until it is finalized
	/// (at most `timeout`). A dispatch failure is `Error::Chain("Pallet.Error")`; a refusal by
	/// the pool (no PEC for the fee, a stale nonce) is `Error::Chain` with the node's reason.
	pub async fn submit(
		&self,
		signer: &Keypair,
		pallet: &str,
		call: &str,
		args: Vec<Value>,
		timeout: Duration,
	) -> Result<Receipt> {
		let who: AccountId32 = signer.public_key().to_account_id();
		let nonce = self.next_nonce(&who).await?;
		let payload = dynamic::tx(pallet, call, args);
		let params = DefaultExtrinsicParamsBuilder::<ChainConfig>::new().nonce(nonce).build();
		let what = format!("{pallet}.{call}");
		let mut tx = self.api.tx().await.map_err(|e| self.transport(e))?;
		let progress = tx
			.sign_and_submit_then_watch(&payload, signer, params)
			.await
			.map_err(|e| submit_error(&what, e))?;
		let wait = async {
			let in_block =
				progress.wait_for_finalized().await.map_err(|e| submit_error(&what, e))?;
			let at = in_block.at().await.map_err(|e| self.transport(e))?;
			let metadata = at.metadata();
			let events = in_block.fetch_events().await.map_err(|e| submit_error(&what, e))?;
			let mut receipt = Receipt {
				block: at.block_number(),
				block_hash: format!("{:?}", in_block.block_hash()),
				events: Vec::new(),
			};
			for event in events.iter() {
				let event = event.map_err(|e| submit_error(&what, e))?;
				let fields: Composite<()> = event
					.decode_fields_unchecked_as::<Composite<()>>()
					.map_err(|e| Error::Rpc(format!("decoding an event of {what}: {e}")))?;
				if event.pallet_name() == "System" && event.event_name() == "ExtrinsicFailed" {
					let name = field(&fields, "dispatch_error")
						.map(|e| error_name(&metadata, e))
						.unwrap_or_else(|| "dispatch failed".into());
					return Err(Error::Chain(name));
				}
				receipt.events.push(ChainEvent {
					pallet: event.pallet_name().to_owned(),
					name: event.event_name().to_owned(),
					fields,
				});
			}
			Ok(receipt)
		};
		tokio::time::timeout(timeout, wait).await.map_err(|_| {
			Error::Timeout(format!("{what} not finalized within {} s", timeout.as_secs()))
		})?
	}

	fn transport(&self, e: impl std::fmt::Display) -> Error {
		Error::Unreachable(format!("{}: {e}", self.url))
	}
}

/// `Pallet.Error` for a `DispatchError` value decoded from an `ExtrinsicFailed` event.
pub fn error_name(metadata: &subxt::Metadata, error: &Value) -> String {
	let Some(kind) = variant_name(error) else { return format!("{error}") };
	if kind != "Module" {
		// BadOrigin, Token(FundsUnavailable), Arithmetic(Overflow), …
		return format!("{error}").replace(' ', "");
	}
	let module = match &error.value {
		ValueDef::Variant(v) => v.values.values().next(),
		_ => None,
	};
	let index = module.and_then(|m| m.at("index")).and_then(|i| i.as_u128());
	let code = module.and_then(|m| m.at("error")).and_then(bytes_of);
	let (Some(index), Some(code)) = (index, code) else { return format!("{error}") };
	let Some(pallet) = u8::try_from(index).ok().and_then(|i| metadata.pallet_by_error_index(i))
	else {
		return format!("pallet #{index} error {code:?}");
	};
	match code.first().and_then(|c| pallet.error_variant_by_index(*c)) {
		Some(variant) => format!("{}.{}", pallet.name(), variant.name),
		None => format!("{}.#{code:?}", pallet.name()),
	}
}

/// An error submitting or following an extrinsic: the pool's refusal (invalid transaction)
/// as the chain's reason, a lost connection as `Unreachable`.
fn submit_error(what: &str, e: impl std::fmt::Display) -> Error {
	let text = e.to_string();
	let lower = text.to_lowercase();
	if lower.contains("connection") || lower.contains("disconnect") || lower.contains("restart") {
		Error::Unreachable(format!("{what}: {text}"))
	} else if lower.contains("payment") || lower.contains("inability to pay") {
		Error::Chain(format!(
			"{what}: the signer cannot pay the fee (it needs PEC: transfer some to it first) ({text})"
		))
	} else {
		Error::Chain(format!("{what}: {text}"))
	}
}

fn rpc_error(method: &str, e: subxt::rpcs::Error) -> Error {
	use subxt::rpcs::Error as E;
	match e {
		E::User(user) => Error::Rpc(format!("{method}: {} ({})", user.message, user.code)),
		// The transport: a lost or refused connection, a timeout.
		E::Client(e) => Error::Unreachable(format!("{method}: {e}")),
		E::DisconnectedWillReconnect(e) => Error::Unreachable(format!("{method}: {e}")),
		other => Error::Rpc(format!("{method}: {other}")),
	}
}

/// `Value` helpers for call arguments.
pub mod arg {
	use super::*;

	/// An unsigned integer (`u32`, `u64`, `u128` arguments).
	pub fn u(n: impl Into<u128>) -> Value {
		Value::u128(n.into())
	}
	/// A byte string (`Vec<u8>`, `BoundedVec<u8>`, `[u8; N]`).
	pub fn bytes(b: impl AsRef<[u8]>) -> Value {
		Value::from_bytes(b.as_ref())
	}
	/// An account (`AccountId32`).
	pub fn account(who: &AccountId32) -> Value {
		Value::from_bytes(who.0)
	}
	/// `MultiAddress::Id(who)`.
	pub fn address(who: &AccountId32) -> Value {
		Value::unnamed_variant("Id", [account(who)])
	}
	/// `None`.
	pub fn none() -> Value {
		Value::unnamed_variant("None", [])
	}
	/// `Some(v)`.
	pub fn some(v: Value) -> Value {
		Value::unnamed_variant("Some", [v])
	}
	/// A struct with named fields.
	pub fn record<'a>(fields: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
		Value::named_composite(fields.into_iter().map(|(k, v)| (k.to_owned(), v)))
	}
}

/// Whether `e` is worth retrying (the node or the network, not the request).
pub fn transient(e: &Error) -> bool {
	matches!(e, Error::Unreachable(_) | Error::Timeout(_))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn endpoints_become_websocket_urls() {
		assert_eq!(ws_url("http://127.0.0.1:9944").unwrap(), "ws://127.0.0.1:9944");
		assert_eq!(ws_url("https://rpc.example").unwrap(), "wss://rpc.example");
		assert_eq!(ws_url("wss://rpc.example:443").unwrap(), "wss://rpc.example:443");
		assert_eq!(ws_url("127.0.0.1:9944").unwrap(), "ws://127.0.0.1:9944");
		for bad in ["", "ftp://x", "tcp://1.2.3.4:9944"] {
			assert!(ws_url(bad).is_err(), "{bad}");
		}
	}

	#[test]
	fn call_arguments_have_the_shapes_of_the_runtime_types() {
		let who = AccountId32([7u8; 32]);
		assert_eq!(variant_name(&arg::address(&who)), Some("Id"));
		assert_eq!(variant_name(&arg::none()), Some("None"));
		assert_eq!(bytes_of(&arg::bytes(b"H100")), Some(b"H100".to_vec()));
		// A newtype around bytes, as an `AccountId32` decodes.
		let wrapped = Value::unnamed_composite([arg::bytes([7u8; 32])]);
		assert_eq!(bytes_of(&wrapped), Some(vec![7u8; 32]));
		assert_eq!(bytes_of(&Value::unnamed_composite([arg::u(1u8)])), Some(vec![1]));
		let spec = arg::record([("cores", arg::u(8u32))]);
		assert_eq!(spec.at("cores").and_then(|v| v.as_u128()), Some(8));
	}
}

//! try-runtime's `on-runtime-upgrade` check, for PowerVerse.
//!
//! Before a runtime upgrade is enacted (`system.set_code` through sudo or a referendum), run the
//! new runtime's migrations against the state of the chain it will land on:
//!
//! 1. **Snapshot** the chain's state over RPC at a block ([`snapshot`]): every key (child tries
//!    included), checked against the block header's state root, optionally written to a file in
//!    frame-remote-externalities' snapshot format (the format paritytech's try-runtime CLI reads
//!    with `snap --path`), so a check can be repeated offline ([`load`]).
//! 2. **Put the new runtime** in that state as `:code`. It must be a build with the `try-runtime`
//!    feature (`scripts/upgrade-check.sh` builds one), carry the same `spec_name` and a higher
//!    `spec_version` than the chain's runtime.
//! 3. **Run `TryRuntime_on_runtime_upgrade`** in sc-executor's wasm executor (as try-runtime-cli,
//!    off-chain: the default heap, not the chain's `:heappages`): every migration
//!    of the new runtime with its `pre_upgrade`/`post_upgrade` checks, then every pallet's
//!    `try_state` (with [`Checks::All`]). A failing check panics inside the runtime and is
//!    reported with its message.
//! 4. **Weight**: the weight the migrations declare must stay below 80% of a block's maximum (the
//!    upgrade runs in one block's `on_initialize`, before any extrinsic).
//! 5. **Idempotency**: running the migrations a second time on the migrated state must write no
//!    value that differs from it (a migration that runs twice must not corrupt state).
//!
//! The steps are paritytech/try-runtime-cli's `on-runtime-upgrade`, written against this
//! release's crates (stable2609) so that its executor has exactly the host functions our runtime
//! uses. Used by `powerverse-upgrade-check` (the binary) and by the node's end-to-end upgrade test.

use codec::{Decode, Encode};
use frame_remote_externalities::{
	Builder, Mode, OfflineConfig, OnlineConfig, RemoteExternalities, SnapshotConfig,
};
use sc_executor::WasmExecutor;
use sp_core::{
	storage::well_known_keys,
	traits::{CallContext, ReadRuntimeVersion},
	H256,
};
use sp_runtime::{generic, traits::BlakeTwo256, OpaqueExtrinsic};
use sp_state_machine::{
	backend::{BackendRuntimeCode, TryPendingCode},
	OverlayedChanges, StateMachine,
};
use sp_weights::Weight;
use std::{collections::BTreeMap, fmt, path::Path, str::FromStr};

/// The chain's header: u32 block numbers, BLAKE2-256 hashing (as the runtime's).
pub type Header = generic::Header<u32, BlakeTwo256>;
/// An opaque block of the chain: the tool needs no runtime types.
pub type Block = generic::Block<Header, OpaqueExtrinsic>;
/// A chain's state in memory, from a node or a snapshot file.
pub type State = RemoteExternalities<Block>;
type Executor = WasmExecutor<sp_io::SubstrateHostFunctions>;

/// The upgrade uses no more than this share of a block's maximum weight (as try-runtime-cli).
pub const WEIGHT_LIMIT_PERCENT: u64 = 80;

/// Which checks the migrations run, as frame-support's `UpgradeCheckSelect` (same SCALE
/// encoding: the runtime decodes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Checks {
	/// No checks: only the migrations.
	None,
	/// `pre_upgrade`/`post_upgrade` of every migration, then `try_state` of every pallet.
	All,
	/// `pre_upgrade`/`post_upgrade` only.
	PreAndPost,
	/// `try_state` only.
	TryState,
}

impl FromStr for Checks {
	type Err = String;
	fn from_str(s: &str) -> Result<Self, String> {
		match s {
			"none" => Ok(Self::None),
			"all" => Ok(Self::All),
			"pre-and-post" => Ok(Self::PreAndPost),
			"try-state" => Ok(Self::TryState),
			other => {
				Err(format!("unknown checks '{other}': one of all, pre-and-post, try-state, none"))
			},
		}
	}
}

/// Downloads the state of the chain behind `uri` (a node's WebSocket RPC, `ws://` or `wss://`)
/// at block `at` (the latest finalized block when `None`), child tries included, and verifies it
/// against the block header's state root. With `save`, also writes it to that file.
pub async fn snapshot(uri: &str, at: Option<H256>, save: Option<&Path>) -> Result<State, String> {
	if !(uri.starts_with("ws://") || uri.starts_with("wss://")) {
		return Err(format!("'{uri}' is not a WebSocket URL (ws:// or wss://)"));
	}
	let online = OnlineConfig {
		at,
		transport_uris: vec![uri.to_owned()],
		state_snapshot: save.map(SnapshotConfig::new),
		child_trie: true,
		..Default::default()
	};
	Builder::<Block>::new()
		.mode(Mode::Online(online))
		.build()
		.await
		.map_err(|e| format!("snapshot of {uri}: {e}"))
}

/// Loads a snapshot file written by [`snapshot`] (or by try-runtime-cli's `create-snapshot`).
pub async fn load(path: &Path) -> Result<State, String> {
	if !path.is_file() {
		return Err(format!("no snapshot file at {}", path.display()));
	}
	let state = Builder::<Block>::new()
		.mode(Mode::Offline(OfflineConfig { state_snapshot: SnapshotConfig::new(path) }))
		.build()
		.await
		.map_err(|e| format!("snapshot {}: {e}", path.display()))?;
	if *state.backend.root() != state.header.state_root {
		return Err(format!(
			"snapshot {}: its state does not match block #{}'s state root (damaged or edited)",
			path.display(),
			state.header.number
		));
	}
	Ok(state)
}

/// A runtime's name and version, read from its wasm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
	pub spec_name: String,
	pub spec_version: u32,
}

impl fmt::Display for Version {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		write!(f, "{} {}", self.spec_name, self.spec_version)
	}
}

/// What a successful check found.
#[derive(Debug)]
pub struct Report {
	/// The block whose state was checked.
	pub block: (u32, H256),
	/// The runtime on chain and the one checked, with the BLAKE2-256 hash of the checked code.
	pub old: Version,
	pub new: Version,
	pub code_hash: H256,
	/// The checks the migrations ran.
	pub checks: Checks,
	/// The weight the upgrade declared, and a block's maximum.
	pub weight: Weight,
	pub max_weight: Weight,
	/// Every top-level key the upgrade wrote (`None`: removed), `:code` excluded.
	pub changes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl Report {
	/// The share of a block's maximum ref time the upgrade declared, in percent.
	pub fn weight_percent(&self) -> f64 {
		percent(self.weight.ref_time(), self.max_weight.ref_time())
	}
}

impl fmt::Display for Report {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		writeln!(f, "state: block #{} ({:?})", self.block.0, self.block.1)?;
		writeln!(f, "runtime: {} -> {} (code hash {:?})", self.old, self.new, self.code_hash)?;
		writeln!(f, "checks: {:?} passed", self.checks)?;
		writeln!(
			f,
			"weight: {} ps ref time, {} B proof ({:.3}% of a block's {} ps; limit {}%)",
			self.weight.ref_time(),
			self.weight.proof_size(),
			self.weight_percent(),
			self.max_weight.ref_time(),
			WEIGHT_LIMIT_PERCENT,
		)?;
		writeln!(f, "storage keys written by the upgrade: {}", self.changes.len())?;
		write!(f, "idempotent: a second run of the migrations wrote nothing new")
	}
}

fn percent(part: u64, whole: u64) -> f64 {
	if whole == 0 {
		return 100.0;
	}
	part as f64 * 100.0 / whole as f64
}

fn executor() -> Executor {
	// Missing host functions are allowed at load time (as the node's executor and try-runtime
	// do); calling one fails the check.
	WasmExecutor::builder().with_allow_missing_host_functions(true).build()
}

fn version_of(
	executor: &Executor,
	code: &[u8],
	state: &mut State,
) -> Result<(Version, bool), String> {
	let raw = executor
		.read_runtime_version(code, &mut state.ext())
		.map_err(|e| format!("reading the runtime version: {e}"))?;
	let version = sp_version::RuntimeVersion::decode(&mut &raw[..])
		.map_err(|e| format!("decoding the runtime version: {e}"))?;
	let try_runtime_api = sp_crypto_hashing::blake2_64(b"TryRuntime");
	let has_try_runtime = version.api_version(&try_runtime_api).is_some();
	Ok((
		Version { spec_name: version.spec_name.to_string(), spec_version: version.spec_version },
		has_try_runtime,
	))
}

/// Calls `method` of the runtime in the state's `:code` on the state plus `overlay`, keeping
/// the writes in `overlay`.
fn call(
	state: &State,
	overlay: &mut OverlayedChanges<BlakeTwo256>,
	executor: &Executor,
	method: &str,
	data: &[u8],
) -> Result<Vec<u8>, String> {
	let runtime_code = BackendRuntimeCode::new(&state.backend, TryPendingCode::No);
	let code = runtime_code.runtime_code().map_err(|e| format!("runtime code: {e}"))?;
	let mut extensions = Default::default();
	let result = StateMachine::new(
		&state.backend,
		overlay,
		executor,
		method,
		data,
		&mut extensions,
		&code,
		CallContext::Offchain,
	)
	.execute()
	.map_err(|e| format!("{method}: {e}"));
	result
}

/// Runs the upgrade to `new_code` on `state` with `checks` (see the crate's documentation).
/// `Err` names the first rule broken. The state is changed: it holds the new code and, once the
/// migrations ran, their writes.
pub fn check(state: &mut State, new_code: &[u8], checks: Checks) -> Result<Report, String> {
	let executor = executor();
	let old_code = state
		.execute_with(|| sp_io::storage::get(well_known_keys::CODE))
		.ok_or("the state has no runtime code (:code)")?;
	let (old, _) = version_of(&executor, &old_code, state)?;
	let (new, has_try_runtime) = version_of(&executor, new_code, state)?;
	if new.spec_name != old.spec_name {
		return Err(format!("spec_name changes from '{}' to '{}'", old.spec_name, new.spec_name));
	}
	if new.spec_version <= old.spec_version {
		return Err(format!(
			"spec_version must increase: the chain runs {}, the new runtime is {}",
			old.spec_version, new.spec_version
		));
	}
	if !has_try_runtime {
		return Err("the new runtime was not built with the `try-runtime` feature \
			(scripts/upgrade-check.sh builds one)"
			.into());
	}
	state.insert(well_known_keys::CODE.to_vec(), new_code.to_vec());

	let mut overlay = OverlayedChanges::default();
	let result =
		call(state, &mut overlay, &executor, "TryRuntime_on_runtime_upgrade", &checks.encode())?;
	let (weight, max_weight) = <(Weight, Weight)>::decode(&mut &result[..])
		.map_err(|e| format!("decoding the upgrade's weight: {e}"))?;
	for (what, used, max) in [
		("ps of ref time", weight.ref_time(), max_weight.ref_time()),
		("bytes of proof", weight.proof_size(), max_weight.proof_size()),
	] {
		if percent(used, max) > WEIGHT_LIMIT_PERCENT as f64 {
			return Err(format!(
				"the upgrade declares {used} {what}, over {WEIGHT_LIMIT_PERCENT}% of a block's {max}"
			));
		}
	}
	let first: Vec<(Vec<u8>, Option<Vec<u8>>)> =
		overlay.changes_mut().map(|(key, value)| (key.clone(), value.value().cloned())).collect();
	let changes: BTreeMap<_, _> =
		first.iter().filter(|(key, _)| key.as_slice() != well_known_keys::CODE).cloned().collect();

	// Idempotency: the migrations run again on their own result (now written into the state)
	// must write nothing that differs from it.
	let version = state.state_version;
	state.backend.insert(vec![(None, first)], version);
	let mut again = OverlayedChanges::default();
	call(state, &mut again, &executor, "TryRuntime_on_runtime_upgrade", &Checks::None.encode())
		.map_err(|e| format!("not idempotent: the second run of the migrations failed: {e}"))?;
	let rewritten = rewritten(&state.backend, &mut again);
	if !rewritten.is_empty() {
		return Err(format!(
			"not idempotent: a second run of the migrations wrote {} key(s) differently: {}",
			rewritten.len(),
			rewritten
				.iter()
				.map(|key| format!("0x{}", sp_core::hexdisplay::HexDisplay::from(key)))
				.collect::<Vec<_>>()
				.join(", ")
		));
	}

	let header = &state.header;
	Ok(Report {
		block: (header.number, header.hash()),
		old,
		new,
		code_hash: H256(sp_crypto_hashing::blake2_256(new_code)),
		checks,
		weight,
		max_weight,
		changes,
	})
}

/// The storage key of a pallet's on-chain storage version (`StorageVersion`).
pub fn storage_version_key(pallet: &str) -> Vec<u8> {
	let mut key = sp_crypto_hashing::twox_128(pallet.as_bytes()).to_vec();
	key.extend(sp_crypto_hashing::twox_128(b":__STORAGE_VERSION__:"));
	key
}

/// The keys `overlay` writes with a value other than the one `backend` holds.
fn rewritten(
	backend: &sp_state_machine::InMemoryBackend<BlakeTwo256>,
	overlay: &mut OverlayedChanges<BlakeTwo256>,
) -> Vec<Vec<u8>> {
	use sp_state_machine::Backend;
	overlay
		.changes_mut()
		.filter_map(|(key, value)| {
			let now = backend.storage(key).ok().flatten();
			(now.as_ref() != value.value()).then(|| key.clone())
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_rewrite_with_the_same_value_is_idempotent_and_any_other_is_not() {
		let mut backend = sp_state_machine::new_in_mem::<BlakeTwo256>();
		backend.insert(
			vec![(
				None,
				vec![(b"kept".to_vec(), Some(vec![1])), (b"gone".to_vec(), Some(vec![2]))],
			)],
			Default::default(),
		);
		let mut overlay = OverlayedChanges::default();
		overlay.set_storage(b"kept".to_vec(), Some(vec![1]));
		assert!(rewritten(&backend, &mut overlay).is_empty(), "the same value again");
		overlay.set_storage(b"kept".to_vec(), Some(vec![3]));
		overlay.set_storage(b"gone".to_vec(), None);
		overlay.set_storage(b"new".to_vec(), Some(vec![4]));
		let mut keys = rewritten(&backend, &mut overlay);
		keys.sort();
		assert_eq!(keys, vec![b"gone".to_vec(), b"kept".to_vec(), b"new".to_vec()]);
	}

	#[test]
	fn checks_encode_as_frame_supports_upgrade_check_select() {
		// frame-support's `UpgradeCheckSelect`: None, All, PreAndPost, TryState.
		let encoded: Vec<u8> =
			[Checks::None, Checks::All, Checks::PreAndPost, Checks::TryState].encode();
		assert_eq!(encoded, vec![0, 1, 2, 3]);
		assert_eq!("pre-and-post".parse::<Checks>(), Ok(Checks::PreAndPost));
		assert!("most".parse::<Checks>().is_err());
	}
}

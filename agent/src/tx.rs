//! Signing extrinsics with the runtime's own types, submitting them and waiting for inclusion.

use crate::{
	rpc::{to_hex, Rpc},
	Error, Result,
};
use codec::{Decode, Encode};
use powerverse_runtime::{
	AccountId, Hash, Runtime, RuntimeCall, RuntimeEvent, SignedPayload, TxExtension,
	UncheckedExtrinsic,
};
use sp_core::{sr25519, Pair};
use sp_runtime::{generic::Era, DispatchError};
use std::time::{Duration, Instant};

/// Signs `call` as `from` with nonce `nonce` (immortal, no tip) for the chain with `genesis`
/// running `versions` = (spec_version, transaction_version).
pub fn sign(
	from: &sr25519::Pair,
	call: RuntimeCall,
	nonce: u32,
	genesis: Hash,
	versions: (u32, u32),
) -> UncheckedExtrinsic {
	let extension: TxExtension = (
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_tiers::CheckEarlyAccess::<Runtime>::new(),
		pallet_asset_conversion_tx_payment::ChargeAssetTxPayment::<Runtime>::from(0, None),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	);
	let implicit = ((), versions.0, versions.1, genesis, genesis, (), (), (), (), None, ());
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
	let signature = payload.using_encoded(|bytes| from.sign(bytes));
	UncheckedExtrinsic::new_signed(
		call,
		AccountId::from(from.public()).into(),
		sp_runtime::MultiSignature::Sr25519(signature),
		extension,
	)
}

/// Where an extrinsic landed and what it emitted.
#[derive(Debug)]
pub struct Included {
	/// The block's hash.
	pub block_hash: Hash,
	/// The block's number.
	pub block_number: u32,
	/// The events of this extrinsic (success or failure included).
	pub events: Vec<RuntimeEvent>,
}

/// Names a dispatch error: `Compute.NotProvider`, `Market.MachineOffline`, ...
pub fn describe(error: &DispatchError) -> String {
	let DispatchError::Module(module) = error else { return format!("{error:?}") };
	let bytes = &module.error[..];
	macro_rules! name {
		($pallet:literal, $ty:ty) => {
			<$ty>::decode(&mut &bytes[..])
				.map(|e| format!("{}.{:?}", $pallet, e))
				.unwrap_or_else(|_| format!("{}.#{}", $pallet, bytes[0]))
		};
	}
	match module.index {
		0 => name!("System", frame_system::Error<Runtime>),
		4 => name!("Balances", pallet_balances::Error<Runtime>),
		10 => name!("Nfts", pallet_nfts::Error<Runtime>),
		20 => name!("Compute", pallet_compute::Error<Runtime>),
		21 => name!("ComputeStaking", pallet_compute_staking::Error<Runtime>),
		22 => name!("Market", pallet_market::Error<Runtime>),
		i => format!("pallet #{i} error #{}", bytes[0]),
	}
}

/// Signs `call` as `from` with the chain's current nonce and versions, submits it and waits
/// (up to `timeout`) until a block includes it. `progress` hears each step. A dispatch failure
/// is [`Error::Chain`] with the error's name; a transaction the pool refuses is [`Error::Rpc`].
pub fn submit_and_wait(
	rpc: &Rpc,
	from: &sr25519::Pair,
	call: RuntimeCall,
	timeout: Duration,
	progress: &mut dyn FnMut(&str),
) -> Result<Included> {
	let who = AccountId::from(from.public());
	let nonce = rpc.next_nonce(&who)?;
	let genesis = rpc.genesis_hash()?;
	let versions = rpc.runtime_version()?;
	let from_block = rpc.best_number()?.saturating_add(1);
	let xt = sign(from, call, nonce, genesis, versions);
	let encoded = to_hex(&xt.encode());
	let hash =
		rpc.call("author_submitExtrinsic", serde_json::json!([encoded])).map_err(|e| match e {
			Error::Rpc(m) => Error::Rpc(format!("the node refused the transaction: {m}")),
			other => other,
		})?;
	progress(&format!("submitted {} (nonce {nonce}); waiting for inclusion", hash_str(&hash)));
	let start = Instant::now();
	let mut next = from_block;
	while start.elapsed() < timeout {
		while next <= rpc.best_number()? {
			let Some(block_hash) = rpc.block_hash(next)? else { break };
			let extrinsics = rpc.block_extrinsics(block_hash)?;
			if let Some(index) = extrinsics.iter().position(|x| *x == encoded) {
				let events: Vec<RuntimeEvent> = rpc
					.events(block_hash)?
					.into_iter()
					.filter(|r| r.phase == frame_system::Phase::ApplyExtrinsic(index as u32))
					.map(|r| r.event)
					.collect();
				progress(&format!("included in block #{next} ({})", to_hex(block_hash.as_ref())));
				for event in &events {
					if let RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
						dispatch_error,
						..
					}) = event
					{
						return Err(Error::Chain(describe(dispatch_error)));
					}
				}
				return Ok(Included { block_hash, block_number: next, events });
			}
			next += 1;
		}
		std::thread::sleep(Duration::from_millis(500));
	}
	Err(Error::Timeout(format!("{} not included after {timeout:?}", hash_str(&hash))))
}

fn hash_str(v: &serde_json::Value) -> String {
	v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::ModuleError;

	#[test]
	fn dispatch_errors_get_their_pallet_and_variant_names() {
		let module = |index, error| {
			DispatchError::Module(ModuleError { index, error: [error, 0, 0, 0], message: None })
		};
		let first_market = describe(&module(22, 0));
		assert_eq!(first_market, "Market.ZeroHours");
		assert!(describe(&module(20, 0)).starts_with("Compute."));
		assert_eq!(describe(&module(99, 3)), "pallet #99 error #3");
		assert_eq!(describe(&DispatchError::BadOrigin), "BadOrigin");
	}
}

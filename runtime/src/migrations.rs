//! Runtime-level migrations: storage fixes that belong to no single pallet of ours.

#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;
use frame_support::{traits::OnRuntimeUpgrade, weights::Weight};

use crate::{configs::ComputeCollection, Runtime};

/// Moves pallet-nfts' collection counter past the compute collection.
///
/// Genesis up to spec 101 created the compute collection at its fixed id without advancing
/// `Nfts::NextCollectionId`, so the next collection — Root's `nfts.forceCreate` — took the same
/// id and failed with `CollectionIdInUse`. Genesis now creates it as the next collection (the
/// counter moves); this sets the counter on chains started before. It writes only when the counter
/// is at or below the compute collection while that collection exists, so it does nothing on a
/// second run or a chain started at spec 102 (two reads). Remove it from `Migrations` once every
/// network has upgraded past spec 102.
pub struct AdvanceNextCollectionId;

impl AdvanceNextCollectionId {
	/// The counter's value the chain should have, if it must change.
	fn target() -> Option<u32> {
		let compute = ComputeCollection::get();
		if !pallet_nfts::Collection::<Runtime>::contains_key(compute) {
			return None;
		}
		let past = compute.checked_add(1)?;
		match pallet_nfts::NextCollectionId::<Runtime>::get() {
			Some(next) if next >= past => None,
			_ => Some(past),
		}
	}
}

impl OnRuntimeUpgrade for AdvanceNextCollectionId {
	fn on_runtime_upgrade() -> Weight {
		type DbWeight = <Runtime as frame_system::Config>::DbWeight;
		match Self::target() {
			Some(next) => {
				pallet_nfts::NextCollectionId::<Runtime>::put(next);
				DbWeight::get().reads_writes(2, 1)
			},
			None => DbWeight::get().reads(2),
		}
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		Ok(pallet_nfts::NextCollectionId::<Runtime>::get().encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		let before = Option::<u32>::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
		let after = pallet_nfts::NextCollectionId::<Runtime>::get();
		frame_support::ensure!(
			before.is_none_or(|b| after.is_some_and(|a| a >= b)),
			"the collection counter went back"
		);
		let compute = ComputeCollection::get();
		if pallet_nfts::Collection::<Runtime>::contains_key(compute) {
			frame_support::ensure!(
				after.is_some_and(|next| next > compute),
				"the collection counter is not past the compute collection"
			);
		}
		if let Some(next) = after {
			frame_support::ensure!(
				!pallet_nfts::Collection::<Runtime>::contains_key(next),
				"the next collection id is taken"
			);
		}
		Ok(())
	}
}

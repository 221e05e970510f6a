//! Weights for `pallet_compute_staking`. Placeholder until the benchmark CLI regenerates this
//! file (scripts/benchmark.sh).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_compute_staking`.
pub trait WeightInfo {
	fn bond() -> Weight;
	fn unbond() -> Weight;
	fn withdraw_unbonded() -> Weight;
	fn stake_nft() -> Weight;
	fn unstake_nft() -> Weight;
	fn withdraw_nft() -> Weight;
	fn claim_rewards() -> Weight;
	fn pledge_nft() -> Weight;
	fn unpledge_nft() -> Weight;
	fn set_params() -> Weight;
	fn slash() -> Weight;
}

/// Measured weights, for a runtime whose `DbWeight` prices storage access.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn bond() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
	fn unbond() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
	fn stake_nft() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
	fn unstake_nft() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
	fn withdraw_nft() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
	fn claim_rewards() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
	fn pledge_nft() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
	fn unpledge_nft() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
	fn set_params() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
	fn slash() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8))
	}
}

/// The same measurements priced with ParityDB weights, for mocks and tests.
impl WeightInfo for () {
	fn bond() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8, 8))
	}
	fn unbond() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8, 8))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8, 8))
	}
	fn stake_nft() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8, 8))
	}
	fn unstake_nft() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8, 8))
	}
	fn withdraw_nft() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8, 8))
	}
	fn claim_rewards() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8, 8))
	}
	fn pledge_nft() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8, 8))
	}
	fn unpledge_nft() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8, 8))
	}
	fn set_params() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8, 8))
	}
	fn slash() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(8, 8))
	}
}

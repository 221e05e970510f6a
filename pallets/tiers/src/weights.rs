//! Weights for `pallet_tiers`. PLACEHOLDER written before the first benchmark run; rerun
//! scripts/benchmark.sh pallet_tiers to replace it with measured values.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_tiers`.
pub trait WeightInfo {
	fn lock() -> Weight;
	fn extend() -> Weight;
	fn unlock() -> Weight;
	fn set_params() -> Weight;
	fn set_early_access() -> Weight;
	fn clear_early_access() -> Weight;
	fn benefits() -> Weight;
	fn check_early_access() -> Weight;
}

/// Measured weights, for a runtime whose `DbWeight` prices storage access.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn lock() -> Weight {
		Weight::from_parts(60_000_000, 10400)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn extend() -> Weight {
		Weight::from_parts(30_000_000, 5200)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn unlock() -> Weight {
		Weight::from_parts(50_000_000, 7800)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(15_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(0_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_early_access() -> Weight {
		Weight::from_parts(25_000_000, 7800)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn clear_early_access() -> Weight {
		Weight::from_parts(25_000_000, 5200)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn benefits() -> Weight {
		Weight::from_parts(10_000_000, 5200)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn check_early_access() -> Weight {
		Weight::from_parts(10_000_000, 7800)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
}

// For tests: the same figures priced with ParityDB.
impl WeightInfo for () {
	fn lock() -> Weight {
		Weight::from_parts(60_000_000, 10400)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn extend() -> Weight {
		Weight::from_parts(30_000_000, 5200)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn unlock() -> Weight {
		Weight::from_parts(50_000_000, 7800)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(15_000_000, 0)
			.saturating_add(ParityDbWeight::get().reads(0_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn set_early_access() -> Weight {
		Weight::from_parts(25_000_000, 7800)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn clear_early_access() -> Weight {
		Weight::from_parts(25_000_000, 5200)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn benefits() -> Weight {
		Weight::from_parts(10_000_000, 5200)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
	}
	fn check_early_access() -> Weight {
		Weight::from_parts(10_000_000, 7800)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
	}
}

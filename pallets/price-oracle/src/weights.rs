//! Weights for `pallet_price_oracle`. PLACEHOLDER written before the first benchmark run;
//! rerun scripts/benchmark.sh pallet_price_oracle to replace it with measured values.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_price_oracle`.
pub trait WeightInfo {
	fn track() -> Weight;
	fn untrack() -> Weight;
	fn observe() -> Weight;
	fn stable_to_pec() -> Weight;
}

/// Weights for a runtime whose `DbWeight` prices storage access.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn track() -> Weight {
		Weight::from_parts(40_000_000, 6000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn untrack() -> Weight {
		Weight::from_parts(15_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn observe() -> Weight {
		Weight::from_parts(25_000_000, 3000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn stable_to_pec() -> Weight {
		Weight::from_parts(15_000_000, 2000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
	}
}

// For tests: the same figures priced with ParityDB.
impl WeightInfo for () {
	fn track() -> Weight {
		Weight::from_parts(40_000_000, 6000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn untrack() -> Weight {
		Weight::from_parts(15_000_000, 0)
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn observe() -> Weight {
		Weight::from_parts(25_000_000, 3000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn stable_to_pec() -> Weight {
		Weight::from_parts(15_000_000, 2000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
	}
}

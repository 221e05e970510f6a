//! Weights for `pallet_validators`. PLACEHOLDER written before the first benchmark run;
//! rerun scripts/benchmark.sh pallet_validators to replace it with measured values.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_validators`.
pub trait WeightInfo {
	fn apply() -> Weight;
	fn withdraw_application() -> Weight;
	fn approve() -> Weight;
	fn reject() -> Weight;
	fn leave() -> Weight;
	fn remove() -> Weight;
	fn withdraw_bond() -> Weight;
	fn set_params() -> Weight;
	fn slash_bond() -> Weight;
}

/// Measured weights, for a runtime whose `DbWeight` prices storage access.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn apply() -> Weight {
		Weight::from_parts(60_000_000, 13000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn withdraw_application() -> Weight {
		Weight::from_parts(50_000_000, 10400)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn approve() -> Weight {
		Weight::from_parts(40_000_000, 10400)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn reject() -> Weight {
		Weight::from_parts(50_000_000, 10400)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn leave() -> Weight {
		Weight::from_parts(40_000_000, 10400)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn remove() -> Weight {
		Weight::from_parts(40_000_000, 10400)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn withdraw_bond() -> Weight {
		Weight::from_parts(45_000_000, 7800)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(12_000_000, 0)
			.saturating_add(T::DbWeight::get().reads(0_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn slash_bond() -> Weight {
		Weight::from_parts(60_000_000, 13000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
}

// For tests: the same figures priced with ParityDB.
impl WeightInfo for () {
	fn apply() -> Weight {
		Weight::from_parts(60_000_000, 13000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn withdraw_application() -> Weight {
		Weight::from_parts(50_000_000, 10400)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn approve() -> Weight {
		Weight::from_parts(40_000_000, 10400)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn reject() -> Weight {
		Weight::from_parts(50_000_000, 10400)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn leave() -> Weight {
		Weight::from_parts(40_000_000, 10400)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn remove() -> Weight {
		Weight::from_parts(40_000_000, 10400)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn withdraw_bond() -> Weight {
		Weight::from_parts(45_000_000, 7800)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(12_000_000, 0)
			.saturating_add(ParityDbWeight::get().reads(0_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn slash_bond() -> Weight {
		Weight::from_parts(60_000_000, 13000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
}

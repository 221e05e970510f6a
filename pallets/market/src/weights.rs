//! Weights for `pallet_market`. Bootstrap file: scripts/benchmark.sh regenerates it from the
//! benchmarks; do not edit by hand.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// Weight functions of `pallet_market`.
pub trait WeightInfo {
	fn post_job() -> Weight;
	fn cancel_job() -> Weight;
	fn accept_job() -> Weight;
	fn rent_machine() -> Weight;
	fn end_lease() -> Weight;
	fn close_lease() -> Weight;
	fn claim_earnings() -> Weight;
	fn submit_result() -> Weight;
	fn confirm_result() -> Weight;
	fn open_dispute() -> Weight;
	fn resolve_dispute() -> Weight;
	fn list_machine() -> Weight;
	fn delist_machine() -> Weight;
	fn set_params() -> Weight;
}

/// Placeholder until the benchmarks are run.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn post_job() -> Weight {
		Weight::zero()
	}
	fn cancel_job() -> Weight {
		Weight::zero()
	}
	fn accept_job() -> Weight {
		Weight::zero()
	}
	fn rent_machine() -> Weight {
		Weight::zero()
	}
	fn end_lease() -> Weight {
		Weight::zero()
	}
	fn close_lease() -> Weight {
		Weight::zero()
	}
	fn claim_earnings() -> Weight {
		Weight::zero()
	}
	fn submit_result() -> Weight {
		Weight::zero()
	}
	fn confirm_result() -> Weight {
		Weight::zero()
	}
	fn open_dispute() -> Weight {
		Weight::zero()
	}
	fn resolve_dispute() -> Weight {
		Weight::zero()
	}
	fn list_machine() -> Weight {
		Weight::zero()
	}
	fn delist_machine() -> Weight {
		Weight::zero()
	}
	fn set_params() -> Weight {
		Weight::zero()
	}
}

impl WeightInfo for () {
	fn post_job() -> Weight {
		Weight::zero()
	}
	fn cancel_job() -> Weight {
		Weight::zero()
	}
	fn accept_job() -> Weight {
		Weight::zero()
	}
	fn rent_machine() -> Weight {
		Weight::zero()
	}
	fn end_lease() -> Weight {
		Weight::zero()
	}
	fn close_lease() -> Weight {
		Weight::zero()
	}
	fn claim_earnings() -> Weight {
		Weight::zero()
	}
	fn submit_result() -> Weight {
		Weight::zero()
	}
	fn confirm_result() -> Weight {
		Weight::zero()
	}
	fn open_dispute() -> Weight {
		Weight::zero()
	}
	fn resolve_dispute() -> Weight {
		Weight::zero()
	}
	fn list_machine() -> Weight {
		Weight::zero()
	}
	fn delist_machine() -> Weight {
		Weight::zero()
	}
	fn set_params() -> Weight {
		Weight::zero()
	}
}

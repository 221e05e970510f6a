//! Benchmarks (frame-benchmarking v2): the calls, a block's observation with a full ring of
//! checkpoints due for rotation, and a conversion.

use super::*;
use crate::Pallet as Oracle;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_support::BoundedVec;
use frame_system::pallet_prelude::BlockNumberFor;

#[benchmarks(where T::AssetId: From<u32>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn track() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let asset = T::BenchmarkHelper::pool();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset.clone());
		assert_eq!(Tracked::<T>::get(), Some(asset));
		Ok(())
	}

	#[benchmark]
	fn untrack() -> Result<(), BenchmarkError> {
		Tracked::<T>::put(T::AssetId::from(1u32));
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin);
		assert!(Tracked::<T>::get().is_none());
		Ok(())
	}

	/// The hook's own work (the pool read is added from `PoolReserves::weight`).
	#[benchmark]
	fn observe() {
		Tracked::<T>::put(T::AssetId::from(1u32));
		State::<T>::put(Accumulator {
			cumulative: 1,
			last_price: sp_runtime::FixedU128::from_u32(2),
			last_observed: 0u32.into(),
			last_block: 0u32.into(),
		});
		let full: BoundedVec<_, _> = (0..64u32)
			.map(|i| (BlockNumberFor::<T>::from(i), i as u128))
			.collect::<Vec<_>>()
			.try_into()
			.unwrap();
		Checkpoints::<T>::put(full);
		let now: BlockNumberFor<T> = T::Window::get() * 10u32.into();
		#[block]
		{
			Oracle::<T>::observe(now);
		}
		assert_eq!(State::<T>::get().last_block, now);
	}

	#[benchmark]
	fn stable_to_pec() {
		Tracked::<T>::put(T::AssetId::from(1u32));
		let now: BlockNumberFor<T> = T::Window::get() * 2u32.into();
		frame_system::Pallet::<T>::set_block_number(now);
		State::<T>::put(Accumulator {
			cumulative: 4_000,
			last_price: sp_runtime::FixedU128::from_u32(2),
			last_observed: now,
			last_block: now,
		});
		let points: BoundedVec<_, _> = vec![(T::Window::get(), 0u128)].try_into().unwrap();
		Checkpoints::<T>::put(points);
		#[block]
		{
			let _ = <Oracle<T> as powerverse_primitives::PecPrice<T::Balance>>::stable_to_pec(
				T::Balance::try_from(1_000_000u128).unwrap_or_default(),
			);
		}
	}

	impl_benchmark_test_suite!(Oracle, crate::mock::new_test_ext(), crate::mock::Test);
}

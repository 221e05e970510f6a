//! Benchmarks of every call (frame-benchmarking v2), the benefits lookup the market adds to its
//! calls and the early-access check every transaction pays for, at their worst case: an
//! existing membership, a full table of gates, a gate that is open.

use super::*;
use crate::Pallet as Tiers;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
use frame_system::RawOrigin;
use powerverse_primitives::CustomerBenefits;
use sp_runtime::Perbill;

fn plenty<T: Config>() -> T::Balance {
	T::Balance::from(1_000_000_000_000_000u64)
}

fn terms<T: Config>(amount: u64, term: u32, discount: u32, priority: u8) -> TierTermsOf<T> {
	TierTerms {
		min_amount: T::Balance::from(amount),
		term: term.into(),
		fee_discount: Perbill::from_percent(discount),
		priority,
	}
}

fn params<T: Config>() -> TierParamsOf<T> {
	TierParams {
		bronze: terms::<T>(1_000, 10, 5, 1),
		silver: terms::<T>(10_000, 20, 10, 2),
		gold: terms::<T>(100_000, 30, 20, 3),
	}
}

fn member<T: Config>(tier: Tier, amount: u64) -> T::AccountId {
	Params::<T>::put(params::<T>());
	let who: T::AccountId = account("member", 0, 0);
	T::Currency::set_balance(&who, plenty::<T>());
	Tiers::<T>::do_lock(who.clone(), tier, T::Balance::from(amount)).expect("funded; qed");
	who
}

fn name(s: &str) -> Name {
	Name::try_from(s.as_bytes().to_vec()).expect("short; qed")
}

/// Fills the gate table but for one slot.
fn gates<T: Config>() {
	let until: BlockNumberFor<T> = 1_000u32.into();
	for i in 1..T::MaxGates::get() {
		let call = name(&alloc::format!("call_{i}"));
		EarlyAccess::<T>::insert((name("Pallet"), call), Gate { min_tier: Tier::Gold, until });
	}
}

use frame_system::pallet_prelude::BlockNumberFor;

#[benchmarks]
mod benchmarks {
	use super::*;

	/// An upgrade of an existing membership (reads and writes the member and its freeze).
	#[benchmark]
	fn lock() {
		let who = member::<T>(Tier::Bronze, 1_000);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), Tier::Gold, T::Balance::from(100_000u64));
		assert_eq!(Members::<T>::get(&who).map(|m| m.tier), Some(Tier::Gold));
	}

	#[benchmark]
	fn extend() {
		let who = member::<T>(Tier::Silver, 10_000);
		frame_system::Pallet::<T>::set_block_number(5u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert_eq!(Members::<T>::get(&who).map(|m| m.until), Some(25u32.into()));
	}

	#[benchmark]
	fn unlock() {
		let who = member::<T>(Tier::Gold, 100_000);
		frame_system::Pallet::<T>::set_block_number(100u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Members::<T>::get(&who).is_none());
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params::<T>());
		assert_eq!(Params::<T>::get(), params::<T>());
		Ok(())
	}

	#[benchmark]
	fn set_early_access() -> Result<(), BenchmarkError> {
		gates::<T>();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (pallet, call) = T::BenchmarkGate::get();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, pallet, call, Tier::Silver, 100u32.into());
		assert_eq!(EarlyAccess::<T>::count(), T::MaxGates::get());
		Ok(())
	}

	/// Anyone removing an ended gate.
	#[benchmark]
	fn clear_early_access() {
		gates::<T>();
		let caller: T::AccountId = account("caller", 0, 0);
		frame_system::Pallet::<T>::set_block_number(2_000u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), name("Pallet"), name("call_1"));
		assert_eq!(EarlyAccess::<T>::count(), T::MaxGates::get() - 2);
	}

	/// One `priority` and one `fee_discount` of a member (what the market adds to its calls).
	#[benchmark]
	fn benefits() {
		let who = member::<T>(Tier::Gold, 100_000);
		let (priority, discount);
		#[block]
		{
			priority = <Tiers<T> as CustomerBenefits<T::AccountId>>::priority(&who);
			discount = <Tiers<T> as CustomerBenefits<T::AccountId>>::fee_discount(&who);
		}
		assert_eq!((priority, discount), (3, Perbill::from_percent(20)));
	}

	/// The early-access check of a transaction whose call is gated (a member's tier looked up).
	#[benchmark]
	fn check_early_access() {
		gates::<T>();
		let who = member::<T>(Tier::Gold, 100_000);
		let (pallet, call) = T::BenchmarkGate::get();
		let (pallet, call) = (
			core::str::from_utf8(&pallet).expect("a name; qed"),
			core::str::from_utf8(&call).expect("a name; qed"),
		);
		let until: BlockNumberFor<T> = 1_000u32.into();
		EarlyAccess::<T>::insert(
			(T::BenchmarkGate::get().0, T::BenchmarkGate::get().1),
			Gate { min_tier: Tier::Gold, until },
		);
		let allowed;
		#[block]
		{
			allowed = Tiers::<T>::may_call(&who, pallet, call);
		}
		assert!(allowed);
	}

	impl_benchmark_test_suite!(Tiers, crate::mock::ExtBuilder::build(), crate::mock::Test);
}

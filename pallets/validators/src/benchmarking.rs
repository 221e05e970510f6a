//! Benchmarks of every call (frame-benchmarking v2) at their worst case: the candidates and the
//! set full but for one slot, the account searched for last.

use super::*;
use crate::Pallet as ValidatorsPallet;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::Currency::set_balance(&who, T::Balance::from(1_000_000_000_000_000u64));
	who
}

fn configure<T: Config>() {
	Params::<T>::put(ValidatorParams {
		bond: T::Balance::from(1_000_000u64),
		session_length: T::MinSessionLength::get(),
		bond_delay: 10u32.into(),
	});
}

/// A candidate with keys and the bond held.
fn candidate<T: Config>(i: u32) -> T::AccountId {
	let who = funded::<T>("candidate", i);
	T::BenchmarkHelper::register_keys(&who);
	ValidatorsPallet::<T>::do_apply(who.clone()).expect("keys and funds; qed");
	who
}

/// Fills the set to `MaxValidators - 1` with approved validators.
fn full_set<T: Config>() {
	let mut i = 1_000;
	while (ValidatorSet::<T>::get().len() as u32) < T::MaxValidators::get() - 1 {
		let who = candidate::<T>(i);
		ValidatorsPallet::<T>::do_approve(who).expect("room; qed");
		i += 1;
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn apply() {
		configure::<T>();
		let who = funded::<T>("applicant", 0);
		T::BenchmarkHelper::register_keys(&who);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Candidates::<T>::contains_key(&who));
	}

	#[benchmark]
	fn withdraw_application() {
		configure::<T>();
		let who = candidate::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Candidates::<T>::contains_key(&who));
	}

	#[benchmark]
	fn approve() -> Result<(), BenchmarkError> {
		configure::<T>();
		full_set::<T>();
		let who = candidate::<T>(0);
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(ValidatorSet::<T>::get().contains(&who));
		Ok(())
	}

	#[benchmark]
	fn reject() -> Result<(), BenchmarkError> {
		configure::<T>();
		let who = candidate::<T>(0);
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!Candidates::<T>::contains_key(&who));
		Ok(())
	}

	/// The leaver last in a full set.
	#[benchmark]
	fn leave() {
		configure::<T>();
		full_set::<T>();
		let who = candidate::<T>(0);
		ValidatorsPallet::<T>::do_approve(who.clone()).expect("room; qed");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Unbonding::<T>::contains_key(&who));
	}

	#[benchmark]
	fn remove() -> Result<(), BenchmarkError> {
		configure::<T>();
		full_set::<T>();
		let who = candidate::<T>(0);
		ValidatorsPallet::<T>::do_approve(who.clone()).expect("room; qed");
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Unbonding::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn withdraw_bond() {
		configure::<T>();
		full_set::<T>();
		let who = candidate::<T>(0);
		ValidatorsPallet::<T>::do_approve(who.clone()).expect("room; qed");
		ValidatorsPallet::<T>::do_leave(who.clone(), false)
			.expect("a validator above the minimum; qed");
		let later: BlockNumberFor<T> = 1_000u32.into();
		frame_system::Pallet::<T>::set_block_number(later);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Unbonding::<T>::contains_key(&who));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = ValidatorParams {
			bond: T::Balance::from(5u64),
			session_length: T::MinSessionLength::get(),
			bond_delay: sp_runtime::Saturating::saturating_add(
				T::MinSessionLength::get(),
				T::MinSessionLength::get(),
			),
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params.clone());
		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// A former validator's waiting bond and a new candidacy's, both slashed in part.
	#[benchmark]
	fn slash_bond() -> Result<(), BenchmarkError> {
		configure::<T>();
		full_set::<T>();
		let who = candidate::<T>(0);
		ValidatorsPallet::<T>::do_approve(who.clone()).expect("room; qed");
		ValidatorsPallet::<T>::do_leave(who.clone(), false).expect("above the minimum; qed");
		T::BenchmarkHelper::register_keys(&who);
		ValidatorsPallet::<T>::do_apply(who.clone()).expect("keys and funds; qed");
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), sp_runtime::Perbill::from_percent(75));
		assert!(Unbonding::<T>::get(&who)
			.is_some_and(|(amount, _)| sp_runtime::traits::Zero::is_zero(&amount)));
		Ok(())
	}

	impl_benchmark_test_suite!(ValidatorsPallet, crate::mock::new_test_ext(), crate::mock::Test);
}

//! Benchmarks of pallet-session's own calls (`set_keys`, `purge_keys`) on this chain.
//!
//! The stock `pallet-session-benchmarking` crate makes its validator through pallet-staking,
//! which PowerVerse does not have: here any account may register keys (`ValidatorIdOf =
//! ConvertInto`), paying the key deposit, exactly as a candidate does before
//! `validators.apply`. The runtime lists this as `[pallet_session, SessionBench::<Runtime>]`, so
//! `scripts/benchmark.sh pallet_session` writes `runtime/src/weights/pallet_session.rs`.

use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get,
};
use frame_system::RawOrigin;
use pallet_session::{Call, ExternallySetKeys, NextKeys, Pallet as Session};
use sp_runtime::{traits::Convert, Saturating};

/// The benchmarked pallet: pallet-session itself.
pub struct Pallet<T: Config>(pallet_session::Pallet<T>);

/// What the benchmarks need from the runtime.
pub trait Config: pallet_session::Config {
	/// Session keys for `owner` and the proof that `owner` holds their private keys, as
	/// `author_rotateKeys` and a wallet would produce them.
	fn generate_session_keys_and_proof(owner: Self::AccountId) -> (Self::Keys, Vec<u8>);
}

/// An account that can pay the key deposit and stay alive.
fn funded<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let who: T::AccountId = whitelisted_caller();
	// Two deposits (the benchmark of `set_keys` holds a second one) and the existential deposit.
	let deposit = T::KeyDeposit::get();
	let amount = deposit.saturating_add(deposit).saturating_add(T::Currency::minimum_balance());
	T::Currency::mint_into(&who, amount)?;
	Ok(who)
}

/// The keys `who` has registered for the next session.
fn next_keys<T: Config>(who: &T::AccountId) -> Option<T::Keys> {
	T::ValidatorIdOf::convert(who.clone()).and_then(NextKeys::<T>::get)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Every branch of `set_keys` at once, so the weight covers a first registration and a
	/// rotation alike: registered keys are replaced (their owner entries cleared, the new ones
	/// written) and the deposit is held, as it is when keys an external manager set (the marker
	/// this chain never writes, put here directly) are taken over.
	#[benchmark]
	fn set_keys() -> Result<(), BenchmarkError> {
		let who = funded::<T>()?;
		let (old, proof) = T::generate_session_keys_and_proof(who.clone());
		Session::<T>::set_keys(RawOrigin::Signed(who.clone()).into(), old.clone(), proof)?;
		ExternallySetKeys::<T>::insert(&who, ());
		let (keys, proof) = T::generate_session_keys_and_proof(who.clone());
		assert!(keys != old);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), keys.clone(), proof);

		assert!(next_keys::<T>(&who) == Some(keys));
		assert!(!ExternallySetKeys::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn purge_keys() -> Result<(), BenchmarkError> {
		let who = funded::<T>()?;
		let (keys, proof) = T::generate_session_keys_and_proof(who.clone());
		Session::<T>::set_keys(RawOrigin::Signed(who.clone()).into(), keys, proof)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(next_keys::<T>(&who).is_none());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

//! The logic behind the calls, and the session manager pallet-session asks for each new set.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
		Defensive, EstimateNextSessionRotation, ValidatorRegistration,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Zero, Perbill, Permill, SaturatedConversion, Saturating};
use sp_staking::SessionIndex;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_apply(who: T::AccountId) -> DispatchResult {
		ensure!(!ValidatorSet::<T>::get().contains(&who), Error::<T>::AlreadyValidator);
		ensure!(!Candidates::<T>::contains_key(&who), Error::<T>::AlreadyCandidate);
		ensure!(T::KeysRegistered::is_registered(&who), Error::<T>::NoSessionKeys);
		ensure!(Candidates::<T>::count() < T::MaxCandidates::get(), Error::<T>::TooManyCandidates);
		let bond = Params::<T>::get().bond;
		T::Currency::hold(&HoldReason::ValidatorBond.into(), &who, bond)
			.map_err(|_| Error::<T>::InsufficientBond)?;
		Bonds::<T>::insert(&who, bond);
		Candidates::<T>::insert(&who, frame_system::Pallet::<T>::block_number());
		Self::deposit_event(Event::Applied { who, bond });
		Ok(())
	}

	/// Releases `who`'s bond of a candidacy (nothing else of its held PEC).
	fn release_bond(who: &T::AccountId) -> DispatchResult {
		let bond = Bonds::<T>::take(who).ok_or(Error::<T>::NothingToWithdraw)?;
		T::Currency::release(&HoldReason::ValidatorBond.into(), who, bond, Precision::Exact)?;
		Ok(())
	}

	pub(crate) fn do_withdraw_application(who: T::AccountId) -> DispatchResult {
		ensure!(Candidates::<T>::take(&who).is_some(), Error::<T>::NotCandidate);
		Self::release_bond(&who)?;
		Self::deposit_event(Event::ApplicationWithdrawn { who });
		Ok(())
	}

	pub(crate) fn do_reject(who: T::AccountId) -> DispatchResult {
		ensure!(Candidates::<T>::take(&who).is_some(), Error::<T>::NotCandidate);
		Self::release_bond(&who)?;
		Self::deposit_event(Event::Rejected { who });
		Ok(())
	}

	pub(crate) fn do_approve(who: T::AccountId) -> DispatchResult {
		ensure!(Candidates::<T>::contains_key(&who), Error::<T>::NotCandidate);
		// Keys may have been purged since the application: a validator without keys would
		// leave a slot that never authors.
		ensure!(T::KeysRegistered::is_registered(&who), Error::<T>::NoSessionKeys);
		ValidatorSet::<T>::try_mutate(|set| set.try_push(who.clone()))
			.map_err(|_| Error::<T>::TooManyValidators)?;
		Candidates::<T>::remove(&who);
		SetChanged::<T>::put(true);
		Self::deposit_event(Event::Approved { who });
		Ok(())
	}

	pub(crate) fn do_leave(who: T::AccountId, removed: bool) -> DispatchResult {
		ValidatorSet::<T>::try_mutate(|set| -> DispatchResult {
			let index = set.iter().position(|v| v == &who).ok_or(Error::<T>::NotValidator)?;
			ensure!(set.len() as u32 > T::MinValidators::get(), Error::<T>::TooFewValidators);
			set.remove(index);
			Ok(())
		})?;
		SetChanged::<T>::put(true);
		// Every validator holds a bond from its application or its genesis.
		let bond = Bonds::<T>::take(&who).defensive_unwrap_or_default();
		let unlock_at =
			frame_system::Pallet::<T>::block_number().saturating_add(Params::<T>::get().bond_delay);
		// A second stint's bond joins the first's (the later unlock applies to both).
		let (earlier, _) = Unbonding::<T>::get(&who).unwrap_or_default();
		Unbonding::<T>::insert(&who, (earlier.saturating_add(bond), unlock_at));
		Self::deposit_event(Event::Left { who, removed, unlock_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_bond(who: T::AccountId) -> DispatchResult {
		let (amount, unlock_at) = Unbonding::<T>::get(&who).ok_or(Error::<T>::NothingToWithdraw)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() >= unlock_at,
			Error::<T>::BondStillLocked
		);
		T::Currency::release(&HoldReason::ValidatorBond.into(), &who, amount, Precision::Exact)?;
		Unbonding::<T>::remove(&who);
		Self::deposit_event(Event::BondWithdrawn { who, amount });
		Ok(())
	}

	pub(crate) fn do_slash_bond(who: T::AccountId, fraction: Perbill) -> DispatchResult {
		// Either record may be absent (a candidate has no waiting bond, a leaver no active one);
		// with neither, nothing is slashed.
		let bonded = Bonds::<T>::get(&who).unwrap_or_default();
		let (unbonding, unlock_at) = Unbonding::<T>::get(&who).unwrap_or_default();
		let total = bonded.saturating_add(unbonding);
		ensure!(!total.is_zero(), Error::<T>::NothingToSlash);
		let amount = fraction * total;
		let slashed = T::Currency::transfer_on_hold(
			&HoldReason::ValidatorBond.into(),
			&who,
			&T::TreasuryAccount::get(),
			amount,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)?;
		// The waiting bond goes first (it no longer secures a seat), then the active one.
		let from_unbonding = slashed.min(unbonding);
		if !unbonding.is_zero() {
			Unbonding::<T>::insert(&who, (unbonding.saturating_sub(from_unbonding), unlock_at));
		}
		if !bonded.is_zero() {
			Bonds::<T>::insert(&who, bonded.saturating_sub(slashed.saturating_sub(from_unbonding)));
		}
		Self::deposit_event(Event::BondSlashed { who, amount: slashed });
		Ok(())
	}

	/// The session length in force (never below `MinSessionLength`).
	pub fn session_length() -> BlockNumberFor<T> {
		Params::<T>::get().session_length.max(T::MinSessionLength::get())
	}

	/// Held bonds equal the records; the set is within its bounds and has no duplicates; no
	/// account is both candidate and validator.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::InspectHold;
		let set = ValidatorSet::<T>::get();
		ensure!(set.len() as u32 >= T::MinValidators::get().min(1), "no validator");
		let mut sorted: Vec<_> = set.iter().collect();
		sorted.sort();
		sorted.dedup();
		ensure!(sorted.len() == set.len(), "a validator twice in the set");
		for (who, bond) in Bonds::<T>::iter() {
			let unbonding = Unbonding::<T>::get(&who).map(|u| u.0).unwrap_or_default();
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ValidatorBond.into(), &who)
					== bond.saturating_add(unbonding),
				"a bond differs from what is held"
			);
			ensure!(
				set.contains(&who) != Candidates::<T>::contains_key(&who),
				"a bond of neither (or both) a validator and a candidate"
			);
		}
		Ok(())
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		if !SetChanged::<T>::take() {
			return None;
		}
		let set = ValidatorSet::<T>::get().into_inner();
		Self::deposit_event(Event::NewSetPlanned {
			session: new_index,
			validators: set.len().saturated_into(),
		});
		Some(set)
	}

	fn new_session_genesis(_: SessionIndex) -> Option<Vec<T::AccountId>> {
		// A genesis that names no validators leaves pallet-session to its keys (the network
		// runs, but governance must `approve` its validators before changing the set).
		let set = ValidatorSet::<T>::get().into_inner();
		(!set.is_empty()).then_some(set)
	}

	fn start_session(_: SessionIndex) {
		SessionStart::<T>::put(frame_system::Pallet::<T>::block_number());
	}

	fn end_session(_: SessionIndex) {}
}

impl<T: Config> pallet_session::ShouldEndSession<BlockNumberFor<T>> for Pallet<T> {
	fn should_end_session(now: BlockNumberFor<T>) -> bool {
		now >= SessionStart::<T>::get().saturating_add(Self::session_length())
	}
}

impl<T: Config> EstimateNextSessionRotation<BlockNumberFor<T>> for Pallet<T> {
	fn average_session_length() -> BlockNumberFor<T> {
		Self::session_length()
	}

	fn estimate_current_session_progress(now: BlockNumberFor<T>) -> (Option<Permill>, Weight) {
		let length = Self::session_length();
		let elapsed = now.saturating_sub(SessionStart::<T>::get()).min(length);
		let progress =
			if length.is_zero() { Permill::one() } else { Permill::from_rational(elapsed, length) };
		(Some(progress), T::DbWeight::get().reads(2))
	}

	fn estimate_next_session_rotation(
		now: BlockNumberFor<T>,
	) -> (Option<BlockNumberFor<T>>, Weight) {
		let next = SessionStart::<T>::get().saturating_add(Self::session_length()).max(now);
		(Some(next), T::DbWeight::get().reads(2))
	}
}

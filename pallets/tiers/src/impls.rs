//! The logic behind the tiers pallet's calls, the benefits it gives and the early-access check.

use crate::*;
use frame_support::traits::Contains;
use frame_support::{
	pallet_prelude::*,
	traits::fungible::{Inspect, MutateFreeze},
};
use frame_system::pallet_prelude::BlockNumberFor;
use powerverse_primitives::{CustomerBenefits, PriorityLevel};
use sp_runtime::{
	traits::{UniqueSaturatedInto, Zero},
	Perbill, Saturating,
};

impl<T: Config> Pallet<T> {
	/// The tier `who` holds now: a membership whose term has not ended and whose PEC is still
	/// in the account (a slash that took part of it ends the benefits).
	pub fn tier_of(who: &T::AccountId) -> Option<Tier> {
		Self::live_membership(who).map(|m| m.tier)
	}

	fn live_membership(who: &T::AccountId) -> Option<MembershipOf<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		Members::<T>::get(who)
			.filter(|m| now < m.until && T::Currency::total_balance(who) >= m.amount)
	}

	/// `who`'s membership and what it gives now (`None` for a non-member).
	pub fn status(who: &T::AccountId) -> Option<TierStatus<T::Balance, BlockNumberFor<T>>> {
		let membership = Members::<T>::get(who)?;
		let active = frame_system::Pallet::<T>::block_number() < membership.until;
		let terms = Params::<T>::get().terms(membership.tier).clone();
		Some(TierStatus {
			tier: membership.tier,
			amount: membership.amount,
			until: membership.until,
			active,
			fee_discount: if active { terms.fee_discount } else { Perbill::zero() },
			priority: if active { terms.priority } else { 0 },
		})
	}

	/// Whether the terms rise with the tier and every term is longer than zero.
	pub fn params_valid(params: &TierParamsOf<T>) -> bool {
		let rising = |low: &TierTerms<T::Balance, BlockNumberFor<T>>,
		              high: &TierTerms<T::Balance, BlockNumberFor<T>>| {
			low.min_amount <= high.min_amount
				&& low.term <= high.term
				&& low.fee_discount <= high.fee_discount
				&& low.priority <= high.priority
		};
		!params.bronze.term.is_zero()
			&& !params.bronze.min_amount.is_zero()
			&& rising(&params.bronze, &params.silver)
			&& rising(&params.silver, &params.gold)
	}

	pub(crate) fn do_lock(who: T::AccountId, tier: Tier, amount: T::Balance) -> DispatchResult {
		let params = Params::<T>::get();
		let terms = params.terms(tier);
		ensure!(
			amount >= terms.min_amount && !terms.term.is_zero() && !amount.is_zero(),
			Error::<T>::BelowTierMinimum
		);
		// Freezes overlap: PEC that votes may also back a tier. It must be free PEC (not PEC held
		// as collateral or escrow, which a tier would otherwise count twice), and the account
		// keeps its existential deposit.
		ensure!(
			amount.saturating_add(T::Currency::minimum_balance()) <= T::Currency::balance(&who),
			Error::<T>::InsufficientBalance
		);
		let now = frame_system::Pallet::<T>::block_number();
		let mut until = now.saturating_add(terms.term);
		if let Some(current) = Members::<T>::get(&who) {
			ensure!(tier >= current.tier, Error::<T>::LowerTier);
			ensure!(amount >= current.amount, Error::<T>::AmountDecreased);
			until = until.max(current.until);
			ensure!(
				tier != current.tier || amount != current.amount || until != current.until,
				Error::<T>::NothingChanged
			);
		}
		T::Currency::set_freeze(&FreezeReason::Membership.into(), &who, amount)?;
		Members::<T>::insert(&who, Membership { tier, amount, until });
		Self::deposit_event(Event::Locked { who, tier, amount, until });
		Ok(())
	}

	pub(crate) fn do_extend(who: T::AccountId) -> DispatchResult {
		let mut membership = Members::<T>::get(&who).ok_or(Error::<T>::NotMember)?;
		ensure!(
			T::Currency::total_balance(&who) >= membership.amount,
			Error::<T>::InsufficientBalance
		);
		let terms = Params::<T>::get().terms(membership.tier).clone();
		// A renewal is on today's terms: a member below a raised minimum tops up with `lock`.
		ensure!(membership.amount >= terms.min_amount, Error::<T>::BelowTierMinimum);
		let until = frame_system::Pallet::<T>::block_number().saturating_add(terms.term);
		ensure!(until > membership.until, Error::<T>::NothingChanged);
		membership.until = until;
		Members::<T>::insert(&who, membership);
		Self::deposit_event(Event::Extended { who, until });
		Ok(())
	}

	pub(crate) fn do_unlock(who: T::AccountId) -> DispatchResult {
		let membership = Members::<T>::get(&who).ok_or(Error::<T>::NotMember)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= membership.until, Error::<T>::StillLocked);
		T::Currency::thaw(&FreezeReason::Membership.into(), &who)?;
		Members::<T>::remove(&who);
		Self::deposit_event(Event::Unlocked { who, amount: membership.amount });
		Ok(())
	}

	pub(crate) fn do_set_early_access(
		pallet: Name,
		call: Name,
		min_tier: Tier,
		until: BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(!pallet.is_empty() && !call.is_empty(), Error::<T>::EmptyName);
		ensure!(T::Gateable::contains(&(pallet.clone(), call.clone())), Error::<T>::NotGateable);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(until > now, Error::<T>::GateInPast);
		ensure!(until <= now.saturating_add(T::MaxGateDuration::get()), Error::<T>::GateTooLong);
		let key = (pallet.clone(), call.clone());
		ensure!(
			EarlyAccess::<T>::contains_key(&key) || EarlyAccess::<T>::count() < T::MaxGates::get(),
			Error::<T>::TooManyGates
		);
		EarlyAccess::<T>::insert(&key, Gate { min_tier, until });
		Self::deposit_event(Event::EarlyAccessSet { pallet, call, min_tier, until });
		Ok(())
	}

	pub(crate) fn do_clear_early_access(
		pallet: Name,
		call: Name,
		privileged: bool,
	) -> DispatchResult {
		let key = (pallet.clone(), call.clone());
		let gate = EarlyAccess::<T>::get(&key).ok_or(Error::<T>::NoSuchGate)?;
		ensure!(
			privileged || frame_system::Pallet::<T>::block_number() >= gate.until,
			Error::<T>::GateStillOpen
		);
		EarlyAccess::<T>::remove(&key);
		Self::deposit_event(Event::EarlyAccessCleared { pallet, call });
		Ok(())
	}

	/// The (pallet, call) key of a gate, if the names fit one.
	fn gate_key(pallet: &str, call: &str) -> Option<(Name, Name)> {
		Some((
			Name::try_from(pallet.as_bytes().to_vec()).ok()?,
			Name::try_from(call.as_bytes().to_vec()).ok()?,
		))
	}

	/// Whether the runtime lets `pallet.call` be gated (no storage read).
	pub fn gateable(pallet: &str, call: &str) -> bool {
		Self::gate_key(pallet, call).is_some_and(|key| T::Gateable::contains(&key))
	}

	/// Whether `who` may send `pallet.call` now: not gateable, no open gate, or a tier at the
	/// gate's.
	pub fn may_call(who: &T::AccountId, pallet: &str, call: &str) -> bool {
		let Some(key) = Self::gate_key(pallet, call).filter(|key| T::Gateable::contains(key))
		else {
			return true;
		};
		match EarlyAccess::<T>::get(key) {
			Some(gate) if frame_system::Pallet::<T>::block_number() < gate.until => {
				Self::tier_of(who).is_some_and(|tier| tier >= gate.min_tier)
			},
			_ => true,
		}
	}

	/// The members' freezes equal their memberships; the counters agree; gates are bounded.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::InspectFreeze;
		let reason = FreezeReason::Membership.into();
		let mut members = 0u32;
		for (who, membership) in Members::<T>::iter() {
			members += 1;
			ensure!(
				T::Currency::balance_frozen(&reason, &who) == membership.amount,
				"a member's frozen PEC differs from its membership"
			);
		}
		ensure!(members == Members::<T>::count(), "member count is off");
		ensure!(EarlyAccess::<T>::count() <= T::MaxGates::get(), "too many gates");
		Ok(())
	}
}

impl<T: Config> CustomerBenefits<T::AccountId> for Pallet<T> {
	fn priority(who: &T::AccountId) -> PriorityLevel {
		Self::tier_of(who).map(|tier| Params::<T>::get().terms(tier).priority).unwrap_or(0)
	}

	fn fee_discount(who: &T::AccountId) -> Perbill {
		Self::tier_of(who)
			.map(|tier| Params::<T>::get().terms(tier).fee_discount)
			.unwrap_or_else(Perbill::zero)
	}

	fn fee_discount_over(who: &T::AccountId, from: u64, to: u64) -> Perbill {
		let Some(membership) = Self::live_membership(who) else { return Perbill::zero() };
		let discount = Params::<T>::get().terms(membership.tier).fee_discount;
		let until: u64 = membership.until.unique_saturated_into();
		let covered = until.min(to).saturating_sub(from);
		match to.saturating_sub(from) {
			0 => discount,
			length => Perbill::from_rational(covered.min(length), length) * discount,
		}
	}

	fn weight() -> Weight {
		T::WeightInfo::benefits()
	}
}

//! The validator set on the real pallet-session: joining takes keys, a bond and approval, and
//! takes effect at the session after next; leaving likewise; the bond comes back after a delay.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::{testing::UintAuthorityId, DispatchError};

fn bond_held(who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Validators(HoldReason::ValidatorBond), &who)
}

fn set() -> Vec<u64> {
	ValidatorSet::<Test>::get().into_inner()
}

#[test]
fn genesis_validators_hold_the_bond_and_author() {
	new_test_ext().execute_with(|| {
		assert_eq!(set(), GENESIS.to_vec());
		assert_eq!(authorities(), GENESIS.to_vec());
		assert_eq!(bond_held(1), BOND);
		Pallet::<Test>::do_try_state().unwrap();
	});
}

#[test]
fn a_candidate_with_keys_and_a_bond_joins_two_sessions_after_approval() {
	new_test_ext().execute_with(|| {
		assert_ok!(Validators::apply(RuntimeOrigin::signed(4)));
		System::assert_last_event(Event::Applied { who: 4, bond: BOND }.into());
		assert_eq!(bond_held(4), BOND);
		assert_noop!(Validators::approve(RuntimeOrigin::signed(1), 4), DispatchError::BadOrigin);
		assert_ok!(Validators::approve(RuntimeOrigin::root(), 4));
		assert_eq!(set(), vec![1, 2, 3, 4]);
		// Session 1 starts at block 10 with the set planned before approval; session 2 (block
		// 20) is the first with the new validator.
		run_to_block(10);
		assert_eq!(Session::current_index(), 1);
		assert_eq!(authorities(), vec![1, 2, 3]);
		run_to_block(20);
		assert_eq!(Session::current_index(), 2);
		assert_eq!(authorities(), vec![1, 2, 3, 4]);
		Pallet::<Test>::do_try_state().unwrap();
	});
}

#[test]
fn bad_applications_are_refused_and_change_nothing() {
	new_test_ext().execute_with(|| {
		assert_noop!(Validators::apply(RuntimeOrigin::signed(7)), Error::<Test>::NoSessionKeys);
		assert_noop!(Validators::apply(RuntimeOrigin::signed(1)), Error::<Test>::AlreadyValidator);
		assert_noop!(Validators::apply(RuntimeOrigin::signed(8)), Error::<Test>::InsufficientBond);
		assert_ok!(Validators::apply(RuntimeOrigin::signed(4)));
		assert_noop!(Validators::apply(RuntimeOrigin::signed(4)), Error::<Test>::AlreadyCandidate);
		assert_ok!(Validators::apply(RuntimeOrigin::signed(5)));
		assert_noop!(Validators::apply(RuntimeOrigin::signed(6)), Error::<Test>::TooManyCandidates);
		assert_noop!(Validators::approve(RuntimeOrigin::root(), 6), Error::<Test>::NotCandidate);
		assert_noop!(Validators::reject(RuntimeOrigin::root(), 6), Error::<Test>::NotCandidate);
		assert_noop!(
			Validators::withdraw_application(RuntimeOrigin::signed(6)),
			Error::<Test>::NotCandidate
		);
	});
}

#[test]
fn an_application_ends_with_its_bond_released_when_withdrawn_or_rejected() {
	new_test_ext().execute_with(|| {
		assert_ok!(Validators::apply(RuntimeOrigin::signed(4)));
		assert_ok!(Validators::apply(RuntimeOrigin::signed(5)));
		assert_ok!(Validators::withdraw_application(RuntimeOrigin::signed(4)));
		assert_ok!(Validators::reject(RuntimeOrigin::root(), 5));
		System::assert_last_event(Event::Rejected { who: 5 }.into());
		assert_eq!((bond_held(4), bond_held(5)), (0, 0));
		assert_eq!(Candidates::<Test>::count(), 0);
	});
}

#[test]
fn approval_needs_keys_still_registered() {
	new_test_ext().execute_with(|| {
		assert_ok!(Validators::apply(RuntimeOrigin::signed(4)));
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(4)));
		assert_noop!(Validators::approve(RuntimeOrigin::root(), 4), Error::<Test>::NoSessionKeys);
		assert_ok!(Session::set_keys(RuntimeOrigin::signed(4), UintAuthorityId(4), vec![]));
		assert_ok!(Validators::approve(RuntimeOrigin::root(), 4));
	});
}

#[test]
fn a_validator_leaves_at_a_session_boundary_and_withdraws_its_bond_after_the_delay() {
	new_test_ext().execute_with(|| {
		assert_noop!(Validators::leave(RuntimeOrigin::signed(4)), Error::<Test>::NotValidator);
		assert_ok!(Validators::leave(RuntimeOrigin::signed(3)));
		System::assert_last_event(
			Event::Left { who: 3, removed: false, unlock_at: 1 + BOND_DELAY }.into(),
		);
		// Still authoring until the set without it takes effect.
		run_to_block(10);
		assert_eq!(authorities(), vec![1, 2, 3]);
		run_to_block(20);
		assert_eq!(authorities(), vec![1, 2]);
		// The last two cannot leave: MinValidators.
		assert_noop!(Validators::leave(RuntimeOrigin::signed(2)), Error::<Test>::TooFewValidators);
		assert_noop!(Validators::remove(RuntimeOrigin::root(), 2), Error::<Test>::TooFewValidators);
		assert_noop!(
			Validators::withdraw_bond(RuntimeOrigin::signed(3)),
			Error::<Test>::BondStillLocked
		);
		assert_noop!(
			Validators::withdraw_bond(RuntimeOrigin::signed(2)),
			Error::<Test>::NothingToWithdraw
		);
		run_to_block(1 + BOND_DELAY);
		assert_ok!(Validators::withdraw_bond(RuntimeOrigin::signed(3)));
		System::assert_last_event(Event::BondWithdrawn { who: 3, amount: BOND }.into());
		assert_eq!(bond_held(3), 0);
		Pallet::<Test>::do_try_state().unwrap();
	});
}

#[test]
fn governance_removes_a_validator_that_stopped_authoring() {
	new_test_ext().execute_with(|| {
		assert_noop!(Validators::remove(RuntimeOrigin::signed(1), 3), DispatchError::BadOrigin);
		assert_ok!(Validators::remove(RuntimeOrigin::root(), 3));
		System::assert_last_event(
			Event::Left { who: 3, removed: true, unlock_at: 1 + BOND_DELAY }.into(),
		);
		run_to_block(20);
		assert_eq!(authorities(), vec![1, 2]);
	});
}

#[test]
fn the_session_length_is_set_by_governance_within_bounds() {
	new_test_ext().execute_with(|| {
		let params =
			|session_length| ValidatorParams { bond: BOND, session_length, bond_delay: 40 };
		assert_noop!(
			Validators::set_params(RuntimeOrigin::signed(1), params(20)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validators::set_params(RuntimeOrigin::root(), params(4)),
			Error::<Test>::InvalidParams
		);
		// The bond must wait at least two sessions after leaving.
		assert_noop!(
			Validators::set_params(
				RuntimeOrigin::root(),
				ValidatorParams { bond: BOND, session_length: 20, bond_delay: 39 }
			),
			Error::<Test>::InvalidParams
		);
		assert_ok!(Validators::set_params(RuntimeOrigin::root(), params(20)));
		run_to_block(19);
		assert_eq!(Session::current_index(), 0);
		run_to_block(20);
		assert_eq!(Session::current_index(), 1);
		run_to_block(40);
		assert_eq!(Session::current_index(), 2);
	});
}

#[test]
fn governance_slashes_a_bond_to_the_treasury_even_after_leaving() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Validators::slash_bond(
				RuntimeOrigin::signed(1),
				3,
				sp_runtime::Perbill::from_percent(10)
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validators::slash_bond(RuntimeOrigin::root(), 7, sp_runtime::Perbill::from_percent(10)),
			Error::<Test>::NothingToSlash
		);
		assert_ok!(Validators::leave(RuntimeOrigin::signed(3)));
		assert_ok!(Validators::slash_bond(
			RuntimeOrigin::root(),
			3,
			sp_runtime::Perbill::from_percent(30)
		));
		System::assert_last_event(Event::BondSlashed { who: 3, amount: 300 }.into());
		assert_eq!(bond_held(3), 700);
		assert_eq!(Balances::free_balance(99), 301);
		assert_eq!(Unbonding::<Test>::get(3).map(|u| u.0), Some(700));
		// An active validator's bond too.
		assert_ok!(Validators::slash_bond(
			RuntimeOrigin::root(),
			1,
			sp_runtime::Perbill::from_percent(100)
		));
		assert_eq!((bond_held(1), Bonds::<Test>::get(1)), (0, Some(0)));
		run_to_block(1 + BOND_DELAY);
		assert_ok!(Validators::withdraw_bond(RuntimeOrigin::signed(3)));
		System::assert_last_event(Event::BondWithdrawn { who: 3, amount: 700 }.into());
		Pallet::<Test>::do_try_state().unwrap();
	});
}

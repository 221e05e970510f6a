//! The average follows the pool over the window, resists a one-block spike, and refuses to
//! price without a pool, while warming up, when stale or at zero.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use powerverse_primitives::{PecPrice, PriceUnavailable};
use sp_runtime::{DispatchError, FixedU128};

/// 10,000 PEC against `dollars` × 10,000 stable units of 6 decimals: `dollars` per PEC.
fn pool_at(dollars: u128) -> Option<(u128, u128)> {
	Some((10_000 * PEC, dollars * 10_000 * 1_000_000))
}

#[test]
fn tracking_needs_governance_and_a_pool() {
	new_test_ext().execute_with(|| {
		assert_noop!(Oracle::track(RuntimeOrigin::signed(1), STABLE), DispatchError::BadOrigin);
		assert_noop!(Oracle::track(RuntimeOrigin::root(), STABLE), Error::<Test>::NoPool);
		assert_eq!(Oracle::stable_to_pec(1_000_000), Err(PriceUnavailable::NoPrice));
		set_pool(pool_at(2));
		assert_ok!(Oracle::track(RuntimeOrigin::root(), STABLE));
		System::assert_last_event(Event::Tracking { asset: STABLE }.into());
		// Warming up: no average before half a window of history.
		run_to_block(40);
		assert_eq!(Oracle::twap(), Err(PriceUnavailable::NoPrice));
		run_to_block(60);
		assert_eq!(Oracle::twap(), Ok(FixedU128::from_u32(2_000_000)));
		// $1 at $2 per PEC is half a PEC.
		assert_eq!(Oracle::stable_to_pec(1_000_000), Ok(PEC / 2));
		assert_ok!(Oracle::untrack(RuntimeOrigin::root()));
		assert_eq!(Oracle::twap(), Err(PriceUnavailable::NoPrice));
	});
}

#[test]
fn a_one_block_spike_barely_moves_the_average() {
	new_test_ext().execute_with(|| {
		set_pool(pool_at(2));
		assert_ok!(Oracle::track(RuntimeOrigin::root(), STABLE));
		run_to_block(200);
		// An attacker pushes the pool to $20 for one block and back.
		set_pool(pool_at(20));
		run_to_block(201);
		set_pool(pool_at(2));
		run_to_block(202);
		let twap = Oracle::twap().unwrap();
		// One block of 18 extra dollars over a window of about 100 blocks: under $2.20.
		assert!(twap > FixedU128::from_u32(2_000_000) && twap < FixedU128::from_u32(2_200_000), "{twap:?}");
		// Held for the whole window, the average follows.
		set_pool(pool_at(3));
		run_to_block(400);
		assert_eq!(Oracle::twap(), Ok(FixedU128::from_u32(3_000_000)));
	});
}

#[test]
fn a_thin_or_vanished_pool_makes_the_price_stale() {
	new_test_ext().execute_with(|| {
		set_pool(pool_at(2));
		assert_ok!(Oracle::track(RuntimeOrigin::root(), STABLE));
		run_to_block(100);
		assert!(Oracle::twap().is_ok());
		// Below MinLiquidity: observations stop; the last price holds until MaxStaleness.
		set_pool(Some((999 * PEC, 2_000 * 1_000_000)));
		run_to_block(100 + STALENESS);
		assert!(Oracle::twap().is_ok());
		run_to_block(101 + STALENESS);
		assert_eq!(Oracle::twap(), Err(PriceUnavailable::Stale));
		assert_eq!(Oracle::stable_to_pec(1), Err(PriceUnavailable::Stale));
		set_pool(None);
		run_to_block(300);
		assert_eq!(Oracle::twap(), Err(PriceUnavailable::Stale));
		let info = Oracle::price_info().unwrap();
		assert_eq!(info.unavailable, Some(PriceUnavailable::Stale));
	});
}

#[test]
fn a_price_that_rounds_to_zero_is_refused() {
	new_test_ext().execute_with(|| {
		// 10^31 plancks (10^19 PEC) against 1 unit: 10^-19 units per PEC rounds to nothing at
		// 18 decimals.
		set_pool(Some((10_000_000_000_000_000_000_000_000_000_000, 1)));
		assert_ok!(Oracle::track(RuntimeOrigin::root(), STABLE));
		run_to_block(100);
		assert_eq!(Oracle::twap(), Err(PriceUnavailable::NoPrice));
		assert_eq!(Oracle::stable_to_pec(1_000_000), Err(PriceUnavailable::NoPrice));
	});
}

#[test]
fn checkpoints_stay_bounded() {
	new_test_ext().execute_with(|| {
		set_pool(pool_at(2));
		assert_ok!(Oracle::track(RuntimeOrigin::root(), STABLE));
		run_to_block(5_000);
		assert_eq!(Checkpoints::<Test>::get().len(), 10);
	});
}

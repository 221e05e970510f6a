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
		let fair = Oracle::stable_to_pec(3_000_000).unwrap();
		// An attacker pushes the pool to $50 (25×) for one block and back, to rent a $3/h
		// machine for fewer PEC: the oracle records at most 2% more for that block.
		set_pool(pool_at(50));
		run_to_block(201);
		assert_eq!(State::<Test>::get().last_price, FixedU128::from_u32(2_040_000));
		set_pool(pool_at(2));
		run_to_block(202);
		let twap = Oracle::twap().unwrap();
		// 2% for one block over a window of about 100 blocks: under 0.05%.
		assert!(
			twap > FixedU128::from_u32(2_000_000) && twap < FixedU128::from_u32(2_001_000),
			"{twap:?}"
		);
		assert!(Oracle::stable_to_pec(3_000_000).unwrap() * 10_000 >= fair * 9_995);
		// Held for the whole window, the average follows (2% a block: 21 blocks from $2 to $3).
		set_pool(pool_at(3));
		run_to_block(222);
		assert!(State::<Test>::get().last_price < FixedU128::from_u32(3_000_000));
		run_to_block(223);
		assert_eq!(State::<Test>::get().last_price, FixedU128::from_u32(3_000_000));
		run_to_block(400);
		assert_eq!(Oracle::twap(), Ok(FixedU128::from_u32(3_000_000)));
	});
}

#[test]
fn a_price_held_up_converts_at_the_lower_of_average_and_last_price() {
	new_test_ext().execute_with(|| {
		set_pool(pool_at(2));
		assert_ok!(Oracle::track(RuntimeOrigin::root(), STABLE));
		run_to_block(200);
		// The pool drops to $1.50: the last observation follows at 2% a block, the average lags.
		set_pool(Some((10_000 * PEC, 15_000 * 1_000_000)));
		run_to_block(230);
		let (twap, last) = (Oracle::twap().unwrap(), State::<Test>::get().last_price);
		assert_eq!(last, FixedU128::from_u32(1_500_000));
		assert!(twap > last);
		// $3 converts at the lower price: more PEC for the provider, never fewer than the
		// market gives.
		assert_eq!(Oracle::stable_to_pec(3_000_000), Ok(2 * PEC));
	});
}

#[test]
fn after_a_gap_the_oracle_warms_up_again_instead_of_reusing_old_history() {
	new_test_ext().execute_with(|| {
		set_pool(pool_at(2));
		assert_ok!(Oracle::track(RuntimeOrigin::root(), STABLE));
		run_to_block(200);
		// The liquidity leaves for longer than the staleness limit while the market moves ...
		set_pool(Some((999 * PEC, 999 * 1_000_000)));
		run_to_block(200 + STALENESS + 1);
		assert_eq!(Oracle::twap(), Err(PriceUnavailable::Stale));
		// ... and comes back at $1: the old $2 history is not used; no price until half a
		// window of new history, then the new price, unbounded by the old one.
		set_pool(pool_at(1));
		run_to_block(200 + STALENESS + 2);
		assert_eq!(Oracle::twap(), Err(PriceUnavailable::NoPrice));
		assert_eq!(State::<Test>::get().last_price, FixedU128::from_u32(1_000_000));
		run_to_block(200 + STALENESS + 2 + WINDOW / 2);
		assert_eq!(Oracle::twap(), Ok(FixedU128::from_u32(1_000_000)));
	});
}

#[test]
fn a_large_price_does_not_saturate_the_running_sum() {
	new_test_ext().execute_with(|| {
		// 10^14 units per PEC (an 18-decimal asset at $0.0001... or a 12-decimal one at $100):
		// 10^32 inner per block, the sum passes 2^128 after about 3.4 million blocks; start
		// close to it.
		set_pool(Some((10_000 * PEC, 10_000 * 100_000_000_000_000)));
		assert_ok!(Oracle::track(RuntimeOrigin::root(), STABLE));
		State::<Test>::mutate(|s| s.cumulative = u128::MAX - 10u128.pow(33));
		run_to_block(300);
		assert!(State::<Test>::get().cumulative < 10u128.pow(35), "wrapped");
		assert_eq!(
			Oracle::twap(),
			Ok(FixedU128::from_u32(100_000_000) * FixedU128::from_u32(1_000_000))
		);
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

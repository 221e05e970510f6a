//! Unit tests of the staking pallet on the test runtime of the real pallets: a success and a
//! failure test per call, the traits other pallets use, slashing to the planck. Machines are
//! registered and verified in the real compute pallet, leased through the real market, and
//! their uptime comes from real heartbeats. The cross-pallet property test is in
//! `powerverse-test-runtime`.

use crate::{mock::*, Bonds, Error, Event, NotEarning, Params, Payee, Pool, Stakes, TotalBonded};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use powerverse_primitives::{
	ComputeInspect, ComputeNftLocks, MachineCollateral, MachineSlashing, NftLockReason,
	RetirementGuard, SlashReason,
};
use sp_runtime::{traits::BadOrigin, Perbill};

/// The first machine's id.
const M: u64 = 0;
/// Its compute score: 200 unknown-model cores × 4 + 800 GiB / 4.
const SCORE: u64 = 1_000;
const REPORTER: AccountId = account(50);

fn held(who: &AccountId) -> Balance {
	Balances::balance_on_hold(&crate::HoldReason::Collateral.into(), who)
}

/// A CPU machine scoring `score` (a multiple of 4, at least 204): unknown-model cores at 4
/// points each (at most 500 cores) plus RAM at a point per 4 GiB.
fn spec_scoring(score: u64) -> powerverse_primitives::MachineSpec {
	let cores = ((score - 200) / 4).min(500) as u32;
	let ram_gib = ((score - 4 * cores as u64) * 4) as u32;
	powerverse_primitives::MachineSpec {
		cpu_model: name("Intel Xeon"),
		cores,
		threads: cores * 2,
		ram_gib,
		storage_gib: 1_000,
		bandwidth_mbps: 1_000,
		gpus: Default::default(),
	}
}

/// A verified machine of PROVIDER scoring `score`, whose NFT `holder` holds; no bond.
fn machine_of(score: u64, holder: &AccountId) -> u64 {
	let id = register(&PROVIDER, spec_scoring(score), 100);
	assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
	if *holder != PROVIDER {
		sell(id, holder);
	}
	id
}

/// Machine `M`: verified, scoring 1,000, its NFT held by OWNER.
fn machine() {
	assert_eq!(machine_of(SCORE, &OWNER), M);
}

fn staked() {
	machine();
	assert_ok!(Staking::stake_nft(origin(&OWNER), M));
}

/// Machine `M` staked by OWNER and available to customers (bonded at its minimum, listed), so
/// its NFT earns.
fn earning() {
	staked();
	assert_ok!(Staking::bond(origin(&PROVIDER), M, Staking::minimum_collateral(M)));
	assert_ok!(Market::list_machine(origin(&OPERATOR), M));
}

// ---------------------------------------------------------------- collateral

#[test]
fn bond_holds_pec_and_tops_up() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 500));
		System::assert_last_event(Event::Bonded { machine: M, who: PROVIDER, amount: 500 }.into());
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 700));
		assert_eq!(Bonds::<Test>::get(M).unwrap().active, 1_200);
		assert_eq!(held(&PROVIDER), 1_200);
		assert_eq!(TotalBonded::<Test>::get(), 1_200);
		// Minimum = 100 + 1 × 1000.
		assert_eq!(Staking::minimum_collateral(M), 1_100);
		assert!(Staking::is_sufficiently_collateralized(M));
	});
}

#[test]
fn bond_fails_for_strangers_zero_unknown_machines_and_empty_pockets() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_noop!(Staking::bond(origin(&OWNER), M, 5), Error::<Test>::NotMachineProvider);
		assert_noop!(Staking::bond(origin(&PROVIDER), M, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Staking::bond(origin(&PROVIDER), 99, 5), Error::<Test>::UnknownMachine);
		assert_noop!(
			Staking::bond(origin(&PROVIDER), M, ENDOWMENT + 1),
			Error::<Test>::InsufficientFreeBalance
		);
		// A retired machine is gone.
		sell(M, &PROVIDER);
		assert_ok!(Compute::retire_machine(origin(&PROVIDER), M));
		assert_noop!(Staking::bond(origin(&PROVIDER), M, 5), Error::<Test>::UnknownMachine);
	});
}

#[test]
fn unbond_queues_and_withdraw_releases_after_the_delay() {
	ExtBuilder::build_and_execute(|| {
		assert_eq!(machine_of(SCORE, &PROVIDER), M);
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 1_000));
		assert_ok!(Staking::unbond(origin(&PROVIDER), M, 400));
		System::assert_last_event(
			Event::Unbonding { machine: M, amount: 400, unlock_at: 1 + UNBONDING_DELAY }.into(),
		);
		assert_eq!(Bonds::<Test>::get(M).unwrap().active, 600);
		assert_eq!(held(&PROVIDER), 1_000, "unbonding PEC stays held");
		assert_noop!(
			Staking::withdraw_unbonded(origin(&PROVIDER), M),
			Error::<Test>::NothingToWithdraw
		);
		run_to_block(1 + UNBONDING_DELAY);
		let free = Balances::balance(&PROVIDER);
		assert_ok!(Staking::withdraw_unbonded(origin(&PROVIDER), M));
		System::assert_last_event(
			Event::Withdrawn { machine: M, who: PROVIDER, amount: 400 }.into(),
		);
		assert_eq!(Balances::balance(&PROVIDER), free + 400);
		assert_eq!(held(&PROVIDER), 600);
		// Everything out: the bond record goes.
		assert_ok!(Staking::unbond(origin(&PROVIDER), M, 600));
		run_to_block(1 + 2 * UNBONDING_DELAY);
		assert_ok!(Staking::withdraw_unbonded(origin(&PROVIDER), M));
		assert!(Bonds::<Test>::get(M).is_none());
	});
}

#[test]
fn unbond_fails_below_minimum_while_leased_and_on_bad_input() {
	ExtBuilder::build_and_execute(|| {
		// The provider keeps the NFT here; the sold case is below.
		assert_eq!(machine_of(SCORE, &PROVIDER), M);
		assert_noop!(Staking::unbond(origin(&PROVIDER), M, 1), Error::<Test>::NoBond);
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 1_500));
		assert_noop!(Staking::unbond(origin(&OWNER), M, 1), Error::<Test>::NotBondOwner);
		assert_noop!(Staking::unbond(origin(&PROVIDER), M, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Staking::unbond(origin(&PROVIDER), M, 1_501), Error::<Test>::NotEnoughBonded);
		let lease = rent(&CUSTOMER, M, 1);
		// 1500 - 401 = 1099 < 1100.
		assert_noop!(
			Staking::unbond(origin(&PROVIDER), M, 401),
			Error::<Test>::BelowMinimumWhileLeased
		);
		assert_ok!(Staking::unbond(origin(&PROVIDER), M, 400));
		assert_ok!(Market::end_lease(origin(&CUSTOMER), lease));
		assert_ok!(Staking::unbond(origin(&PROVIDER), M, 1));
		assert_ok!(Staking::unbond(origin(&PROVIDER), M, 1));
		assert_noop!(
			Staking::unbond(origin(&PROVIDER), M, 1),
			Error::<Test>::TooManyUnbondingChunks
		);
	});
}

#[test]
fn a_sold_machine_keeps_its_minimum_bonded() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 1_500));
		assert_noop!(
			Staking::unbond(origin(&PROVIDER), M, 401),
			Error::<Test>::BelowMinimumWhileSold
		);
		assert_ok!(Staking::unbond(origin(&PROVIDER), M, 400));
		// Bought back: the provider may leave.
		sell(M, &PROVIDER);
		assert_ok!(Staking::unbond(origin(&PROVIDER), M, 1_100));
	});
}

// ---------------------------------------------------------------- staking and rewards

#[test]
fn stake_locks_the_nft_and_joins_the_pool() {
	ExtBuilder::build_and_execute(|| {
		earning();
		System::assert_has_event(
			Event::NftStaked { machine: M, staker: OWNER, shares: SCORE as u128 }.into(),
		);
		assert!(Compute::locks(M).has(NftLockReason::Stake));
		assert_eq!(Pool::<Test>::get().total_shares, SCORE as u128);
	});
}

#[test]
fn stake_fails_for_foreign_unverified_or_staked_nfts() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_noop!(Staking::stake_nft(origin(&PROVIDER), M), Error::<Test>::NotNftOwner);
		assert_noop!(Staking::stake_nft(origin(&OWNER), 99), Error::<Test>::UnknownMachine);
		let pending = register(&PROVIDER, spec_scoring(SCORE), 100);
		sell(pending, &OWNER);
		assert_noop!(
			Staking::stake_nft(origin(&OWNER), pending),
			Error::<Test>::MachineNotVerified
		);
		assert_ok!(Staking::stake_nft(origin(&OWNER), M));
		assert_noop!(Staking::stake_nft(origin(&OWNER), M), Error::<Test>::AlreadyStaked);
	});
}

#[test]
fn rewards_split_by_score_and_scale_with_uptime() {
	ExtBuilder::build_and_execute(|| {
		earning();
		let other = available_machine(3_000, &CUSTOMER);
		assert_ok!(Staking::stake_nft(origin(&CUSTOMER), other));
		// Two full eras pass; M beats throughout, the other once at the end: of its 20 silent
		// blocks the first 10 (the heartbeat timeout) count as up, the rest as down.
		run_alive_to(M, 2 * ERA + 1);
		heartbeat(other);
		assert_eq!(Compute::uptime(other), Some((10, 10)));
		let before = Balances::balance(&OWNER);
		assert_ok!(Staking::claim_rewards(origin(&OWNER), M));
		// 2 eras × 1,000 × 1000/4000 = 500.
		assert_eq!(Balances::balance(&OWNER), before + 500);
		System::assert_last_event(
			Event::RewardsClaimed { machine: M, staker: OWNER, amount: 500, forfeited: 0 }.into(),
		);
		let before = Balances::balance(&CUSTOMER);
		assert_ok!(Staking::claim_rewards(origin(&CUSTOMER), other));
		// 2 × 1,000 × 3000/4000 = 1,500, half of it forfeited for downtime.
		assert_eq!(Balances::balance(&CUSTOMER), before + 750);
		System::assert_last_event(
			Event::RewardsClaimed { machine: other, staker: CUSTOMER, amount: 750, forfeited: 750 }
				.into(),
		);
		assert_eq!(crate::TotalRewardsMinted::<Test>::get(), 1_250);
	});
}

#[test]
fn claiming_twice_or_for_someone_else_fails() {
	ExtBuilder::build_and_execute(|| {
		earning();
		assert_noop!(Staking::claim_rewards(origin(&OWNER), M), Error::<Test>::NothingToClaim);
		run_to_block(ERA + 1);
		assert_noop!(Staking::claim_rewards(origin(&PROVIDER), M), Error::<Test>::NotStaker);
		assert_ok!(Staking::claim_rewards(origin(&OWNER), M));
		assert_noop!(Staking::claim_rewards(origin(&OWNER), M), Error::<Test>::NothingToClaim);
		assert_noop!(Staking::claim_rewards(origin(&OWNER), 99), Error::<Test>::NotStaked);
	});
}

#[test]
fn unstake_pays_out_stops_earning_and_withdraw_waits_for_the_cooldown() {
	ExtBuilder::build_and_execute(|| {
		earning();
		run_to_block(ERA + 1);
		let before = Balances::balance(&OWNER);
		assert_ok!(Staking::unstake_nft(origin(&OWNER), M));
		assert_eq!(Balances::balance(&OWNER), before + ERA_REWARD);
		System::assert_last_event(
			Event::UnstakeStarted { machine: M, withdrawable_at: ERA + 6 }.into(),
		);
		assert_eq!(Pool::<Test>::get().total_shares, 0);
		assert_noop!(Staking::unstake_nft(origin(&OWNER), M), Error::<Test>::AlreadyUnstaking);
		run_to_block(3 * ERA);
		assert_noop!(Staking::claim_rewards(origin(&OWNER), M), Error::<Test>::NothingToClaim);
		assert_ok!(Staking::withdraw_nft(origin(&OWNER), M));
		System::assert_last_event(Event::NftWithdrawn { machine: M, staker: OWNER }.into());
		assert!(!Compute::locks(M).any());
		assert!(Stakes::<Test>::get(M).is_none());
	});
}

#[test]
fn unstake_and_withdraw_fail_out_of_order() {
	ExtBuilder::build_and_execute(|| {
		staked();
		assert_noop!(Staking::withdraw_nft(origin(&OWNER), M), Error::<Test>::NotUnstaking);
		assert_noop!(Staking::unstake_nft(origin(&PROVIDER), M), Error::<Test>::NotStaker);
		assert_ok!(Staking::pledge_nft(origin(&OWNER), M));
		assert_noop!(Staking::unstake_nft(origin(&OWNER), M), Error::<Test>::Pledged);
		assert_ok!(Staking::unpledge_nft(origin(&OWNER), M));
		assert_noop!(Staking::unstake_nft(origin(&OWNER), M), Error::<Test>::Pledged);
		run_to_block(1 + MIN_UNPLEDGE_DELAY);
		assert_ok!(Staking::unpledge_nft(origin(&OWNER), M));
		assert_ok!(Staking::unstake_nft(origin(&OWNER), M));
		assert_noop!(Staking::withdraw_nft(origin(&OWNER), M), Error::<Test>::CooldownNotOver);
		assert_noop!(Staking::withdraw_nft(origin(&OWNER), 99), Error::<Test>::NotStaked);
	});
}

// ---------------------------------------------------------------- pledge

#[test]
fn a_pledged_nft_counts_toward_collateral_at_a_haircut() {
	ExtBuilder::build_and_execute(|| {
		staked();
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 200));
		assert!(!Staking::is_sufficiently_collateralized(M));
		assert_ok!(Staking::pledge_nft(origin(&OWNER), M));
		System::assert_last_event(Event::NftPledged { machine: M }.into());
		// 1000 points × 2 × 50% = 1000; 200 + 1000 >= 1100.
		assert_eq!(Staking::effective_collateral(M), 1_200);
		assert!(Staking::is_sufficiently_collateralized(M));
		assert!(Compute::locks(M).has(NftLockReason::Pledge));
		assert_noop!(Staking::pledge_nft(origin(&OWNER), M), Error::<Test>::AlreadyPledged);
	});
}

#[test]
fn unpledge_is_refused_while_leased_and_short_of_the_minimum() {
	ExtBuilder::build_and_execute(|| {
		staked();
		assert_noop!(Staking::unpledge_nft(origin(&OWNER), M), Error::<Test>::NotPledged);
		assert_noop!(Staking::pledge_nft(origin(&PROVIDER), M), Error::<Test>::NotStaker);
		assert_ok!(Staking::pledge_nft(origin(&OWNER), M));
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 100));
		rent(&CUSTOMER, M, 1);
		assert_noop!(
			Staking::unpledge_nft(origin(&OWNER), M),
			Error::<Test>::BelowMinimumWhileLeased
		);
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 1_000));
		assert_ok!(Staking::unpledge_nft(origin(&OWNER), M));
		System::assert_last_event(
			Event::UnpledgeStarted { machine: M, release_at: 1 + MIN_UNPLEDGE_DELAY }.into(),
		);
		run_alive_to(M, 1 + MIN_UNPLEDGE_DELAY);
		assert_ok!(Staking::unpledge_nft(origin(&OWNER), M));
		System::assert_last_event(Event::NftUnpledged { machine: M }.into());
	});
}

// ---------------------------------------------------------------- slashing

#[test]
fn slash_pays_renter_first_then_reporter_and_jurors_then_treasury() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 10_000));
		let renter = Balances::balance(&CUSTOMER);
		let treasury = Balances::balance(&TREASURY);
		let jurors = [account(60), account(61)];
		for j in &jurors {
			assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
				&OWNER,
				j,
				EXISTENTIAL_DEPOSIT,
				frame_support::traits::tokens::Preservation::Preserve
			));
		}
		let outcome = <Staking as MachineSlashing<_, _>>::slash(
			M,
			Perbill::from_percent(50),
			SlashReason::LostDispute,
			Some((CUSTOMER, 3_000)),
			Some(REPORTER),
			&jurors,
		)
		.unwrap();
		// 5000 slashed: 3000 to the renter; of the 2000 left 10% reporter, 10% jurors.
		assert_eq!(outcome.slashed, 5_000);
		assert_eq!(outcome.to_harmed, 3_000);
		// The reporter has no account and 200 is enough to open one.
		assert_eq!(outcome.to_reporter, 200);
		assert_eq!(outcome.to_jurors, 200);
		assert_eq!(outcome.to_treasury, 1_600);
		assert_eq!(Balances::balance(&CUSTOMER), renter + 3_000);
		assert_eq!(Balances::balance(&REPORTER), 200);
		assert_eq!(Balances::balance(&jurors[0]), EXISTENTIAL_DEPOSIT + 100);
		assert_eq!(Balances::balance(&TREASURY), treasury + 1_600);
		assert_eq!(held(&PROVIDER), 5_000);
		assert!(System::events().iter().any(|r| r.event
			== Event::SlashPaid { machine: M, payee: Payee::Harmed, to: CUSTOMER, amount: 3_000 }
				.into()));
		assert!(System::events().iter().any(|r| r.event
			== Event::Slashed {
				machine: M,
				reason: SlashReason::LostDispute,
				fraction: Perbill::from_percent(50),
				amount: 5_000
			}
			.into()));
	});
}

#[test]
fn slash_never_takes_more_than_bonded_and_seizes_a_pledged_nft_beyond_it() {
	ExtBuilder::build_and_execute(|| {
		// The provider holds, stakes and pledges the NFT itself (a holder's pledge never stands
		// in for a provider's bond).
		assert_eq!(machine_of(SCORE, &PROVIDER), M);
		assert_ok!(Staking::stake_nft(origin(&PROVIDER), M));
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 400));
		assert_ok!(Staking::pledge_nft(origin(&PROVIDER), M));
		assert_ok!(Staking::unbond(origin(&PROVIDER), M, 100));
		// Collateral 400 PEC + 1000 pledge value; 100% of it exceeds the PEC bond.
		let outcome = <Staking as MachineSlashing<_, _>>::slash(
			M,
			Perbill::one(),
			SlashReason::OfflineWhileLeased,
			Some((CUSTOMER, 10_000)),
			None,
			&[],
		)
		.unwrap();
		assert_eq!(outcome.slashed, 400, "active and unbonding PEC, nothing more");
		assert_eq!(outcome.to_harmed, 400);
		assert!(outcome.nft_seized);
		assert!(Bonds::<Test>::get(M).is_none());
		assert_eq!(held(&PROVIDER), 0);
		assert!(Stakes::<Test>::get(M).is_none());
		assert_eq!(nft_owner(M).unwrap(), TREASURY);
		System::assert_last_event(Event::PledgeSeized { machine: M, staker: PROVIDER }.into());
	});
}

#[test]
fn slash_fails_with_nothing_bonded_too_many_jurors_or_wrong_origin() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_noop!(
			Staking::slash(
				RuntimeOrigin::root(),
				M,
				Perbill::one(),
				SlashReason::FailedVerification,
				None,
				None
			),
			Error::<Test>::NothingToSlash
		);
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 100));
		assert_noop!(
			Staking::slash(
				origin(&REPORTER),
				M,
				Perbill::one(),
				SlashReason::FailedVerification,
				None,
				None
			),
			BadOrigin
		);
		let jurors: Vec<AccountId> = (0..6).map(|n| account(70 + n)).collect();
		assert!(<Staking as MachineSlashing<_, _>>::slash(
			M,
			Perbill::one(),
			SlashReason::LostDispute,
			None,
			None,
			&jurors
		)
		.is_err());
		assert_ok!(Staking::slash(
			RuntimeOrigin::root(),
			M,
			Perbill::from_percent(5),
			SlashReason::FailedVerification,
			None,
			None
		));
		assert_eq!(Bonds::<Test>::get(M).unwrap().active, 95);
	});
}

#[test]
fn set_params_is_governed() {
	ExtBuilder::build_and_execute(|| {
		let mut p = staking_params();
		p.era_reward = 1;
		assert_noop!(Staking::set_params(origin(&PROVIDER), p.clone()), BadOrigin);
		assert_ok!(Staking::set_params(RuntimeOrigin::root(), p.clone()));
		assert_eq!(Params::<Test>::get(), p);
		System::assert_last_event(Event::ParamsSet { params: p }.into());
	});
}

#[test]
fn retirement_is_blocked_by_a_bond_or_a_stake() {
	ExtBuilder::build_and_execute(|| {
		assert_eq!(machine_of(SCORE, &PROVIDER), M);
		assert_ok!(Staking::ensure_can_retire(M));
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 100));
		assert_noop!(Staking::ensure_can_retire(M), Error::<Test>::BondOutstanding);
		assert_ok!(Staking::unbond(origin(&PROVIDER), M, 100));
		run_to_block(100);
		assert_ok!(Staking::withdraw_unbonded(origin(&PROVIDER), M));
		assert_ok!(Staking::stake_nft(origin(&PROVIDER), M));
		assert_noop!(Staking::ensure_can_retire(M), Error::<Test>::NftStaked);
	});
}

// ---------------------------------------------------------------- rewards for availability

/// A verified machine of PROVIDER scoring `score` whose NFT `holder` holds, bonded at its
/// minimum and listed for rent: available to customers.
fn available_machine(score: u64, holder: &AccountId) -> u64 {
	let id = register(&PROVIDER, spec_scoring(score), 100);
	assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
	let minimum = Staking::minimum_collateral(id);
	assert_ok!(Staking::bond(origin(&PROVIDER), id, minimum));
	assert_ok!(Market::list_machine(origin(&OPERATOR), id));
	if *holder != PROVIDER {
		sell(id, holder);
	}
	id
}

/// Moves to block `n` with every machine in `ids` beating.
fn run_all_alive_to(ids: &[u64], n: u64) {
	while System::block_number() < n {
		let next = (System::block_number() + MIN_HEARTBEAT_INTERVAL).min(n);
		run_to_block(next);
		for id in ids {
			let last = pallet_compute::Machines::<Test>::get(id).unwrap().last_heartbeat;
			if next >= last + MIN_HEARTBEAT_INTERVAL {
				heartbeat(*id);
			}
		}
	}
}

#[test]
fn staking_just_before_an_era_ends_earns_only_the_blocks_staked() {
	ExtBuilder::build_and_execute(|| {
		let a = available_machine(SCORE, &OWNER);
		let b = available_machine(SCORE, &CUSTOMER);
		assert_ok!(Staking::stake_nft(origin(&OWNER), a));
		run_all_alive_to(&[a, b], ERA - 1);
		// B stakes one block before the era boundary and claims one block after it.
		assert_ok!(Staking::stake_nft(origin(&CUSTOMER), b));
		run_all_alive_to(&[a, b], ERA + 1);
		let before = Balances::balance(&CUSTOMER);
		assert_ok!(Staking::claim_rewards(origin(&CUSTOMER), b));
		// 2 blocks × 100 per block, half of it: 100 — not half an era (500).
		assert_eq!(Balances::balance(&CUSTOMER), before + ERA_REWARD / ERA);
		let before = Balances::balance(&OWNER);
		assert_ok!(Staking::claim_rewards(origin(&OWNER), a));
		// 8 blocks alone (800) and 2 shared (100).
		assert_eq!(Balances::balance(&OWNER), before + 900);
		assert!(crate::TotalRewardsMinted::<Test>::get() <= ERA_REWARD * (ERA + 1) / ERA);
	});
}

#[test]
fn a_machine_customers_cannot_rent_earns_nothing_and_its_share_goes_to_the_others() {
	ExtBuilder::build_and_execute(|| {
		let listed = available_machine(SCORE, &OWNER);
		let unlisted = available_machine(SCORE, &CUSTOMER);
		assert_ok!(Market::delist_machine(origin(&OPERATOR), unlisted));
		assert_ok!(Staking::stake_nft(origin(&OWNER), listed));
		assert_ok!(Staking::stake_nft(origin(&CUSTOMER), unlisted));
		assert_eq!(Stakes::<Test>::get(unlisted).unwrap().effective_shares, 0);
		run_all_alive_to(&[listed, unlisted], 11);
		assert_noop!(
			Staking::claim_rewards(origin(&CUSTOMER), unlisted),
			Error::<Test>::NothingToClaim
		);
		let before = Balances::balance(&OWNER);
		assert_ok!(Staking::claim_rewards(origin(&OWNER), listed));
		assert_eq!(Balances::balance(&OWNER), before + 10 * ERA_REWARD / ERA);
		// Listed again: it earns from then on; unbonded below its minimum: nothing again.
		assert_ok!(Market::list_machine(origin(&OPERATOR), unlisted));
		run_all_alive_to(&[listed, unlisted], 21);
		assert_ok!(Staking::claim_rewards(origin(&CUSTOMER), unlisted));
		// A slash leaves it under its minimum collateral: it stops earning.
		assert_ok!(Staking::slash(
			RuntimeOrigin::root(),
			unlisted,
			Perbill::from_percent(10),
			SlashReason::FailedVerification,
			None,
			None
		));
		assert_eq!(Stakes::<Test>::get(unlisted).unwrap().effective_shares, 0);
		run_all_alive_to(&[listed, unlisted], 31);
		assert_noop!(
			Staking::claim_rewards(origin(&CUSTOMER), unlisted),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn back_to_back_maintenance_does_not_count_as_available() {
	ExtBuilder::build_and_execute(|| {
		let id = available_machine(SCORE, &OWNER);
		assert_ok!(Staking::stake_nft(origin(&OWNER), id));
		// Over 100 blocks the machine is announced in maintenance 90 of them and up 10.
		assert_ok!(Compute::set_maintenance(origin(&PROVIDER), id, 6, 90));
		run_to_block(101);
		heartbeat(id);
		let (up, down) = Compute::uptime(id).unwrap();
		let maint = pallet_compute::Machines::<Test>::get(id).unwrap().maintenance_blocks;
		// Up for the timeout after the heartbeat at 1, maintenance from 11 to 96, down after.
		assert_eq!((up, down, maint), (HEARTBEAT_TIMEOUT, 5, 85));
		let before = Balances::balance(&OWNER);
		assert_ok!(Staking::claim_rewards(origin(&OWNER), id));
		// Available: 10 up + an allowance of 2 per 10-block era (20) = 30 of 100 blocks: 30% of
		// the 10,000 the pool paid — not 10 / 15 = 67%, as when maintenance was left out.
		assert_eq!(Balances::balance(&OWNER), before + 3_000);
	});
}

#[test]
fn a_leased_machine_earns_the_lease_bonus() {
	ExtBuilder::build_and_execute(|| {
		let leased = available_machine(SCORE, &OWNER);
		let idle = available_machine(SCORE, &CUSTOMER);
		assert_ok!(Staking::stake_nft(origin(&OWNER), leased));
		assert_ok!(Staking::stake_nft(origin(&CUSTOMER), idle));
		// 3,000 an hour pays a fee of 300 an hour: more than the bonus below costs.
		assert_ok!(Compute::update_price(origin(&PROVIDER), leased, 3_000));
		rent(&CUSTOMER2, leased, 5);
		assert_eq!(Stakes::<Test>::get(leased).unwrap().effective_shares, 1_500);
		run_all_alive_to(&[leased, idle], 11);
		let (owner, customer) = (Balances::balance(&OWNER), Balances::balance(&CUSTOMER));
		assert_ok!(Staking::claim_rewards(origin(&OWNER), leased));
		assert_ok!(Staking::claim_rewards(origin(&CUSTOMER), idle));
		// 1,000 over 10 blocks split 1,500 : 1,000.
		assert_eq!(Balances::balance(&OWNER), owner + 600);
		assert_eq!(Balances::balance(&CUSTOMER), customer + 400);
	});
}

/// Machine `M`, its NFT staked and pledged (worth 1,000) by its provider behind a 1,000 bond,
/// under a 10% seize threshold and a 5-block grace.
fn proportional_own_pledge() {
	proportional();
	assert_eq!(machine_of(SCORE, &PROVIDER), M);
	assert_ok!(Staking::stake_nft(origin(&PROVIDER), M));
	assert_ok!(Staking::pledge_nft(origin(&PROVIDER), M));
	assert_ok!(Staking::bond(origin(&PROVIDER), M, 1_000));
}

/// A 10% seize threshold and a 5-block grace.
fn proportional() {
	let params = crate::StakingParams {
		seize_threshold: Perbill::from_percent(10),
		seize_grace: 5,
		..staking_params()
	};
	assert_ok!(Staking::set_params(RuntimeOrigin::root(), params));
}

#[test]
fn a_small_shortfall_is_waived_and_a_material_one_can_be_covered_instead_of_losing_the_nft() {
	ExtBuilder::build_and_execute(|| {
		proportional_own_pledge();
		// 10% of (1,000 + 1,000 pledge) = 200 ≤ bond: nothing beyond the bond.
		// Then 100% of (800 + 1,000): 1,000 short, material (≥ 10% of 1,000): pending.
		let slash = |pct| {
			<Staking as MachineSlashing<_, _>>::slash(
				M,
				Perbill::from_percent(pct),
				SlashReason::LostDispute,
				None,
				None,
				&[],
			)
			.unwrap()
		};
		assert!(!slash(10).seizure_pending);
		// 55% of (800 + 1,000) = 990: 190 beyond the 800 bond, 19% of the slash: material.
		let outcome = slash(55);
		assert!(outcome.seizure_pending && !outcome.nft_seized);
		System::assert_has_event(
			Event::SeizurePending { machine: M, staker: PROVIDER, shortfall: 190, due: 6 }.into(),
		);
		assert_noop!(Staking::execute_seizure(origin(&STRANGER), M), Error::<Test>::SeizureNotDue);
		// A second slash before it is covered adds to what is owed: 25% of the 1,000 pledge
		// (the bond is gone).
		let again = slash(25);
		assert!(again.seizure_pending && !again.nft_seized);
		System::assert_last_event(
			Event::SeizurePending { machine: M, staker: PROVIDER, shortfall: 440, due: 6 }.into(),
		);
		let treasury = Balances::balance(&TREASURY);
		assert_ok!(Staking::cover_shortfall(origin(&PROVIDER), M));
		assert_eq!(Balances::balance(&TREASURY), treasury + 440);
		assert_eq!(nft_owner(M), Some(PROVIDER));
		assert!(!Stakes::<Test>::get(M).unwrap().seizure_pending);
		assert_noop!(
			Staking::cover_shortfall(origin(&PROVIDER), M),
			Error::<Test>::NoSeizurePending
		);
	});
}

#[test]
fn a_shortfall_below_the_threshold_is_waived_and_an_uncovered_one_seizes_after_the_grace() {
	ExtBuilder::build_and_execute(|| {
		proportional_own_pledge();
		// 52% of 2,000 = 1,040: 40 beyond the bond, 3.8% of the slash: waived, NFT kept.
		let outcome = <Staking as MachineSlashing<_, _>>::slash(
			M,
			Perbill::from_percent(52),
			SlashReason::LostDispute,
			None,
			None,
			&[],
		)
		.unwrap();
		assert_eq!((outcome.slashed, outcome.seizure_pending), (1_000, false));
		System::assert_has_event(Event::ShortfallWaived { machine: M, shortfall: 40 }.into());
		// Nothing bonded now: 100% of the pledge is short, and nobody covers it.
		assert_ok!(Staking::bond(origin(&PROVIDER), M, 1));
		assert!(
			<Staking as MachineSlashing<_, _>>::slash(
				M,
				Perbill::one(),
				SlashReason::LostDispute,
				None,
				None,
				&[]
			)
			.unwrap()
			.seizure_pending
		);
		run_to_block(1 + 5);
		assert_ok!(Staking::execute_seizure(origin(&STRANGER), M));
		assert_eq!(nft_owner(M), Some(TREASURY));
	});
}

#[test]
fn rewards_a_new_account_cannot_take_yet_are_kept_not_lost() {
	ExtBuilder::build_and_execute(|| {
		// A reward rate so low that a claim is below the existential deposit (10).
		let params = crate::StakingParams { era_reward: 10, ..staking_params() };
		assert_ok!(Staking::set_params(RuntimeOrigin::root(), params));
		let id = available_machine(SCORE, &PAUPER);
		assert_ok!(Staking::stake_nft(origin(&PAUPER), id));
		run_alive_to(id, 6);
		// 5 blocks × 1 planck: the empty account cannot take 5 planck.
		assert_noop!(
			Staking::claim_rewards(origin(&PAUPER), id),
			Error::<Test>::BelowExistentialDeposit
		);
		// Leaving is not blocked: the reward is kept.
		assert_ok!(Staking::unstake_nft(origin(&PAUPER), id));
		assert_eq!(Stakes::<Test>::get(id).unwrap().pending, 5);
		run_to_block(20);
		assert_ok!(Staking::withdraw_nft(origin(&PAUPER), id));
		assert_eq!(crate::Unclaimed::<Test>::get(&PAUPER), Some(5));
		assert_noop!(
			Staking::claim_unclaimed(origin(&PAUPER)),
			Error::<Test>::BelowExistentialDeposit
		);
		// Once the account exists, it takes them.
		assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
			&STRANGER,
			&PAUPER,
			100,
			frame_support::traits::tokens::Preservation::Preserve
		));
		assert_ok!(Staking::claim_unclaimed(origin(&PAUPER)));
		assert_eq!(Balances::balance(&PAUPER), 105);
		assert_noop!(Staking::claim_unclaimed(origin(&PAUPER)), Error::<Test>::NothingUnclaimed);
	});
}

#[test]
fn a_machine_that_stopped_beating_stops_earning_before_its_next_heartbeat() {
	ExtBuilder::build_and_execute(|| {
		let id = available_machine(SCORE, &OWNER);
		assert_ok!(Staking::stake_nft(origin(&OWNER), id));
		run_to_block(3);
		heartbeat(id);
		// Silent since 3: at 41, 2 + 10 (the timeout) blocks were up and 28 down, though no
		// heartbeat recorded the silence yet.
		run_to_block(41);
		let before = Balances::balance(&OWNER);
		assert_ok!(Staking::claim_rewards(origin(&OWNER), id));
		// 40 blocks × 100, 30% of it.
		assert_eq!(Balances::balance(&OWNER), before + 1_200);
		System::assert_last_event(
			Event::RewardsClaimed { machine: id, staker: OWNER, amount: 1_200, forfeited: 2_800 }
				.into(),
		);
	});
}

/// Two machines of equal score staked, `leased` (held by OWNER) and `idle` (held by CUSTOMER),
/// both available.
fn two_staked() -> (u64, u64) {
	let leased = available_machine(SCORE, &OWNER);
	let idle = available_machine(SCORE, &CUSTOMER);
	assert_ok!(Staking::stake_nft(origin(&OWNER), leased));
	assert_ok!(Staking::stake_nft(origin(&CUSTOMER), idle));
	(leased, idle)
}

fn claimed(who: &AccountId, machine: u64) -> Balance {
	let before = Balances::balance(who);
	assert_ok!(Staking::claim_rewards(origin(who), machine));
	Balances::balance(who) - before
}

#[test]
fn the_lease_bonus_is_capped_at_the_fee_the_lease_pays() {
	ExtBuilder::build_and_execute(|| {
		let (leased, idle) = two_staked();
		// 100 an hour: a fee of 10 an hour (1 a block). The pool pays 1,000 per 10-block era
		// over 2,000 shares: 0.05 per share per block, so the fee buys 20 shares of bonus, not
		// the 500 a 50% bonus would give: a lease at a token price barely dilutes the others.
		rent(&CUSTOMER2, leased, 5);
		let stake = Stakes::<Test>::get(leased).unwrap();
		assert_eq!((stake.bonus_shares, stake.effective_shares), (20, 1_020));
		run_all_alive_to(&[leased, idle], 11);
		// 1,000 split 1,020 : 1,000, the bonus part (≈ 9.9) within the fee paid (10).
		assert_eq!(claimed(&OWNER, leased), 1_000 * 1_020 / 2_020);
		assert_eq!(claimed(&CUSTOMER, idle), 1_000 * 1_000 / 2_020);
	});
}

#[test]
fn renting_ones_own_machine_earns_no_bonus() {
	ExtBuilder::build_and_execute(|| {
		let (leased, _) = two_staked();
		assert_ok!(Compute::update_price(origin(&PROVIDER), leased, 3_000));
		// The NFT holder rents its own machine: no bonus, whatever the price.
		rent(&OWNER, leased, 5);
		assert_eq!(Stakes::<Test>::get(leased).unwrap().effective_shares, 1_000);
		assert_eq!(Stakes::<Test>::get(leased).unwrap().bonus_shares, 0);
	});
}

#[test]
fn the_bonus_ends_with_the_lease_even_if_nobody_closes_it() {
	ExtBuilder::build_and_execute(|| {
		let (leased, idle) = two_staked();
		assert_ok!(Compute::update_price(origin(&PROVIDER), leased, 3_000));
		// One hour (10 blocks): it ends at block 11; nobody touches it afterwards.
		rent(&CUSTOMER2, leased, 1);
		run_all_alive_to(&[leased, idle], 21);
		// Blocks 1-11: 1,000 split 1,500 : 1,000 (600 : 400). Blocks 11-21: the stake still
		// weighs 1,500 in the pool (nobody re-weighed it) but the bonus is paid only to the
		// lease's end: 400 of that era's 1,000 for the base shares, the bonus part unminted.
		assert_eq!(claimed(&OWNER, leased), 600 + 400);
		assert_eq!(claimed(&CUSTOMER, idle), 400 + 400);
	});
}

#[test]
fn anyone_may_refresh_a_stake_whose_machine_went_offline() {
	ExtBuilder::build_and_execute(|| {
		let (dead, alive) = two_staked();
		run_all_alive_to(&[dead, alive], 11);
		// Up to date: refreshing changes nothing and says so.
		assert_noop!(
			Staking::refresh_stake(origin(&STRANGER), alive),
			Error::<Test>::AlreadyUpToDate
		);
		assert_noop!(Staking::refresh_stake(origin(&STRANGER), 99), Error::<Test>::NotStaked);
		// `dead` stops beating at 11; past the heartbeat timeout it is offline, and until
		// someone re-weighs it its shares dilute `alive`'s reward.
		run_all_alive_to(&[alive], 11 + HEARTBEAT_TIMEOUT + 1);
		assert_ok!(Staking::refresh_stake(origin(&STRANGER), dead));
		System::assert_last_event(
			Event::StakeRefreshed { machine: dead, effective_shares: 0 }.into(),
		);
		assert_eq!(crate::Pool::<Test>::get().total_shares, 1_000);
		assert_eq!(Staking::stake_status(dead).unwrap().not_earning, vec![NotEarning::Offline]);
		let start = System::block_number();
		run_all_alive_to(&[alive], start + ERA);
		// `alive` alone earns the whole era now.
		let before = Balances::balance(&CUSTOMER);
		assert_ok!(Staking::claim_rewards(origin(&CUSTOMER), alive));
		let era_alone = Balances::balance(&CUSTOMER) - before;
		assert!(era_alone >= ERA_REWARD, "the dead machine no longer dilutes: {era_alone}");
		// Its heartbeat brings it back at once.
		heartbeat(dead);
		assert_eq!(Stakes::<Test>::get(dead).unwrap().effective_shares, 1_000);
		assert!(Staking::stake_status(dead).unwrap().not_earning.is_empty());
	});
}

#[test]
fn the_status_says_why_a_stake_earns_nothing() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&PROVIDER, spec_scoring(SCORE), 100);
		assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
		assert_ok!(Staking::stake_nft(origin(&PROVIDER), id));
		let status = Staking::stake_status(id).unwrap();
		assert_eq!(status.effective_shares, 0);
		assert_eq!(
			status.not_earning,
			vec![NotEarning::Undercollateralized, NotEarning::NotListed]
		);
		assert_ok!(Staking::bond(origin(&PROVIDER), id, Staking::minimum_collateral(id)));
		assert_eq!(Staking::stake_status(id).unwrap().not_earning, vec![NotEarning::NotListed]);
		assert_ok!(Market::list_machine(origin(&PROVIDER), id));
		let status = Staking::stake_status(id).unwrap();
		assert!(status.not_earning.is_empty());
		assert_eq!(status.effective_shares, SCORE as u128);
		assert!(Staking::stake_status(99).is_none());
	});
}

#[test]
fn covering_more_than_the_free_balance_is_refused() {
	ExtBuilder::build_and_execute(|| {
		proportional();
		// POOR holds 100 and pledges an NFT behind a one-planck bond; a full slash leaves a
		// shortfall of the whole pledge, more than POOR can pay.
		let id = register(&PROVIDER, spec_scoring(SCORE), 100);
		assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
		sell(id, &POOR);
		assert_ok!(Staking::stake_nft(origin(&POOR), id));
		assert_ok!(Staking::pledge_nft(origin(&POOR), id));
		assert_ok!(Staking::bond(origin(&PROVIDER), id, 1));
		let outcome = <Staking as MachineSlashing<_, _>>::slash(
			id,
			Perbill::one(),
			SlashReason::LostDispute,
			None,
			None,
			&[],
		)
		.unwrap();
		assert!(outcome.seizure_pending);
		assert_noop!(
			Staking::cover_shortfall(origin(&POOR), id),
			Error::<Test>::CannotCoverShortfall
		);
	});
}

#[test]
fn a_silent_leased_machine_stops_weighing_once_refreshed() {
	ExtBuilder::build_and_execute(|| {
		let (leased, idle) = two_staked();
		assert_ok!(Compute::update_price(origin(&PROVIDER), leased, 3_000));
		rent(&CUSTOMER2, leased, 50);
		run_all_alive_to(&[leased, idle], 11);
		// The leased machine stops beating; its state stays `Leased` until the market ends the
		// lease, but past the timeout it is offline for the reward pool.
		run_all_alive_to(&[idle], 11 + HEARTBEAT_TIMEOUT + 1);
		assert_eq!(Staking::stake_status(leased).unwrap().not_earning, vec![NotEarning::Offline]);
		assert_ok!(Staking::refresh_stake(origin(&STRANGER), leased));
		assert_eq!(Stakes::<Test>::get(leased).unwrap().effective_shares, 0);
		assert_eq!(Pool::<Test>::get().total_shares, 1_000);
	});
}

#[test]
fn a_heartbeat_after_a_maintenance_window_re_weighs_the_stake() {
	ExtBuilder::build_and_execute(|| {
		let (id, _) = two_staked();
		// Maintenance from 6 to 46; the machine is silent throughout and the window ends with
		// the stake refreshed to nothing (offline between the window's end and the heartbeat).
		assert_ok!(Compute::set_maintenance(origin(&PROVIDER), id, 6, 40));
		run_to_block(46);
		assert_ok!(Staking::refresh_stake(origin(&STRANGER), id));
		assert_eq!(Stakes::<Test>::get(id).unwrap().effective_shares, 0);
		// Its heartbeat — whose gap is maintenance and timeout, no recorded downtime — brings it
		// back at once.
		heartbeat(id);
		assert_eq!(Stakes::<Test>::get(id).unwrap().effective_shares, 1_000);
	});
}

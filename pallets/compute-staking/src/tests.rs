//! Unit tests: a success and a failure test per call, the traits, and a property test.

use crate::{mock::*, Bonds, Error, Event, Params, Payee, Pool, Stakes, TotalBonded};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use powerverse_primitives::{
	MachineCollateral, MachineSlashing, MachineState, NftLockReason, RetirementGuard, SlashReason,
};
use sp_runtime::{traits::BadOrigin, Perbill};

const M: u64 = 7;
const SCORE: u64 = 1_000;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&crate::HoldReason::Collateral.into(), &who)
}

/// A verified machine of PROVIDER whose NFT OWNER holds.
fn machine() {
	add_machine(M, PROVIDER, SCORE);
	with_machine(M, |m| m.owner = OWNER);
}

fn staked() {
	machine();
	assert_ok!(Staking::stake_nft(origin(OWNER), M));
}

// ---------------------------------------------------------------- collateral

#[test]
fn bond_holds_pec_and_tops_up() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_ok!(Staking::bond(origin(PROVIDER), M, 500));
		System::assert_last_event(Event::Bonded { machine: M, who: PROVIDER, amount: 500 }.into());
		assert_ok!(Staking::bond(origin(PROVIDER), M, 700));
		assert_eq!(Bonds::<Test>::get(M).unwrap().active, 1_200);
		assert_eq!(held(PROVIDER), 1_200);
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
		assert_noop!(Staking::bond(origin(OWNER), M, 5), Error::<Test>::NotMachineProvider);
		assert_noop!(Staking::bond(origin(PROVIDER), M, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Staking::bond(origin(PROVIDER), 99, 5), Error::<Test>::UnknownMachine);
		assert_noop!(
			Staking::bond(origin(PROVIDER), M, ENDOWMENT + 1),
			Error::<Test>::InsufficientFreeBalance
		);
		with_machine(M, |m| m.state = MachineState::Retired);
		assert_noop!(Staking::bond(origin(PROVIDER), M, 5), Error::<Test>::UnknownMachine);
	});
}

#[test]
fn unbond_queues_and_withdraw_releases_after_the_delay() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_ok!(Staking::bond(origin(PROVIDER), M, 1_000));
		assert_ok!(Staking::unbond(origin(PROVIDER), M, 400));
		System::assert_last_event(
			Event::Unbonding { machine: M, amount: 400, unlock_at: 21 }.into(),
		);
		assert_eq!(Bonds::<Test>::get(M).unwrap().active, 600);
		assert_eq!(held(PROVIDER), 1_000, "unbonding PEC stays held");
		assert_noop!(
			Staking::withdraw_unbonded(origin(PROVIDER), M),
			Error::<Test>::NothingToWithdraw
		);
		run_to_block(21);
		let free = Balances::balance(&PROVIDER);
		assert_ok!(Staking::withdraw_unbonded(origin(PROVIDER), M));
		System::assert_last_event(
			Event::Withdrawn { machine: M, who: PROVIDER, amount: 400 }.into(),
		);
		assert_eq!(Balances::balance(&PROVIDER), free + 400);
		assert_eq!(held(PROVIDER), 600);
		// Everything out: the bond record goes.
		assert_ok!(Staking::unbond(origin(PROVIDER), M, 600));
		run_to_block(50);
		assert_ok!(Staking::withdraw_unbonded(origin(PROVIDER), M));
		assert!(Bonds::<Test>::get(M).is_none());
	});
}

#[test]
fn unbond_fails_below_minimum_while_leased_and_on_bad_input() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_noop!(Staking::unbond(origin(PROVIDER), M, 1), Error::<Test>::NoBond);
		assert_ok!(Staking::bond(origin(PROVIDER), M, 1_500));
		assert_noop!(Staking::unbond(origin(OWNER), M, 1), Error::<Test>::NotBondOwner);
		assert_noop!(Staking::unbond(origin(PROVIDER), M, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Staking::unbond(origin(PROVIDER), M, 1_501), Error::<Test>::NotEnoughBonded);
		with_machine(M, |m| m.state = MachineState::Leased);
		// 1500 - 401 = 1099 < 1100.
		assert_noop!(
			Staking::unbond(origin(PROVIDER), M, 401),
			Error::<Test>::BelowMinimumWhileLeased
		);
		assert_ok!(Staking::unbond(origin(PROVIDER), M, 400));
		with_machine(M, |m| m.state = MachineState::Idle);
		assert_ok!(Staking::unbond(origin(PROVIDER), M, 1));
		assert_ok!(Staking::unbond(origin(PROVIDER), M, 1));
		assert_noop!(
			Staking::unbond(origin(PROVIDER), M, 1),
			Error::<Test>::TooManyUnbondingChunks
		);
	});
}

// ---------------------------------------------------------------- staking and rewards

#[test]
fn stake_locks_the_nft_and_joins_the_pool() {
	ExtBuilder::build_and_execute(|| {
		staked();
		System::assert_last_event(
			Event::NftStaked { machine: M, staker: OWNER, shares: SCORE as u128 }.into(),
		);
		assert!(MockCompute::locks_of(M).has(NftLockReason::Stake));
		assert_eq!(Pool::<Test>::get().total_shares, SCORE as u128);
	});
}

#[test]
fn stake_fails_for_foreign_unverified_or_staked_nfts() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_noop!(Staking::stake_nft(origin(PROVIDER), M), Error::<Test>::NotNftOwner);
		assert_noop!(Staking::stake_nft(origin(OWNER), 99), Error::<Test>::UnknownMachine);
		with_machine(M, |m| m.state = MachineState::PendingVerification);
		assert_noop!(Staking::stake_nft(origin(OWNER), M), Error::<Test>::MachineNotVerified);
		with_machine(M, |m| m.state = MachineState::Idle);
		assert_ok!(Staking::stake_nft(origin(OWNER), M));
		assert_noop!(Staking::stake_nft(origin(OWNER), M), Error::<Test>::AlreadyStaked);
	});
}

#[test]
fn rewards_split_by_score_and_scale_with_uptime() {
	ExtBuilder::build_and_execute(|| {
		staked();
		add_machine(8, PROVIDER, 3_000);
		with_machine(8, |m| m.owner = RENTER);
		assert_ok!(Staking::stake_nft(origin(RENTER), 8));
		// Two full eras pass; machine 7 was up the whole time, machine 8 half of it.
		run_to_block(2 * ERA + 1);
		with_machine(M, |m| m.uptime = (20, 0));
		with_machine(8, |m| m.uptime = (10, 10));
		let before = Balances::balance(&OWNER);
		assert_ok!(Staking::claim_rewards(origin(OWNER), M));
		// 2 eras × 10_000 × 1000/4000 = 5_000.
		assert_eq!(Balances::balance(&OWNER), before + 5_000);
		System::assert_last_event(
			Event::RewardsClaimed { machine: M, staker: OWNER, amount: 5_000, forfeited: 0 }.into(),
		);
		let before = Balances::balance(&RENTER);
		assert_ok!(Staking::claim_rewards(origin(RENTER), 8));
		// 2 × 10_000 × 3000/4000 = 15_000, half of it forfeited for downtime.
		assert_eq!(Balances::balance(&RENTER), before + 7_500);
		System::assert_last_event(
			Event::RewardsClaimed { machine: 8, staker: RENTER, amount: 7_500, forfeited: 7_500 }
				.into(),
		);
		assert_eq!(crate::TotalRewardsMinted::<Test>::get(), 12_500);
	});
}

#[test]
fn claiming_twice_or_for_someone_else_fails() {
	ExtBuilder::build_and_execute(|| {
		staked();
		assert_noop!(Staking::claim_rewards(origin(OWNER), M), Error::<Test>::NothingToClaim);
		run_to_block(ERA + 1);
		assert_noop!(Staking::claim_rewards(origin(PROVIDER), M), Error::<Test>::NotStaker);
		assert_ok!(Staking::claim_rewards(origin(OWNER), M));
		assert_noop!(Staking::claim_rewards(origin(OWNER), M), Error::<Test>::NothingToClaim);
		assert_noop!(Staking::claim_rewards(origin(OWNER), 99), Error::<Test>::NotStaked);
	});
}

#[test]
fn unstake_pays_out_stops_earning_and_withdraw_waits_for_the_cooldown() {
	ExtBuilder::build_and_execute(|| {
		staked();
		run_to_block(ERA + 1);
		let before = Balances::balance(&OWNER);
		assert_ok!(Staking::unstake_nft(origin(OWNER), M));
		assert_eq!(Balances::balance(&OWNER), before + ERA_REWARD);
		System::assert_last_event(
			Event::UnstakeStarted { machine: M, withdrawable_at: ERA + 6 }.into(),
		);
		assert_eq!(Pool::<Test>::get().total_shares, 0);
		assert_noop!(Staking::unstake_nft(origin(OWNER), M), Error::<Test>::AlreadyUnstaking);
		run_to_block(3 * ERA);
		assert_noop!(Staking::claim_rewards(origin(OWNER), M), Error::<Test>::NothingToClaim);
		assert_ok!(Staking::withdraw_nft(origin(OWNER), M));
		System::assert_last_event(Event::NftWithdrawn { machine: M, staker: OWNER }.into());
		assert!(!MockCompute::locks_of(M).any());
		assert!(Stakes::<Test>::get(M).is_none());
	});
}

#[test]
fn unstake_and_withdraw_fail_out_of_order() {
	ExtBuilder::build_and_execute(|| {
		staked();
		assert_noop!(Staking::withdraw_nft(origin(OWNER), M), Error::<Test>::NotUnstaking);
		assert_noop!(Staking::unstake_nft(origin(PROVIDER), M), Error::<Test>::NotStaker);
		assert_ok!(Staking::pledge_nft(origin(OWNER), M));
		assert_noop!(Staking::unstake_nft(origin(OWNER), M), Error::<Test>::Pledged);
		assert_ok!(Staking::unpledge_nft(origin(OWNER), M));
		assert_ok!(Staking::unstake_nft(origin(OWNER), M));
		assert_noop!(Staking::withdraw_nft(origin(OWNER), M), Error::<Test>::CooldownNotOver);
		assert_noop!(Staking::withdraw_nft(origin(OWNER), 99), Error::<Test>::NotStaked);
	});
}

// ---------------------------------------------------------------- pledge

#[test]
fn a_pledged_nft_counts_toward_collateral_at_a_haircut() {
	ExtBuilder::build_and_execute(|| {
		staked();
		assert_ok!(Staking::bond(origin(PROVIDER), M, 200));
		assert!(!Staking::is_sufficiently_collateralized(M));
		assert_ok!(Staking::pledge_nft(origin(OWNER), M));
		System::assert_last_event(Event::NftPledged { machine: M }.into());
		// 1000 points × 2 × 50% = 1000; 200 + 1000 >= 1100.
		assert_eq!(Staking::effective_collateral(M), 1_200);
		assert!(Staking::is_sufficiently_collateralized(M));
		assert!(MockCompute::locks_of(M).has(NftLockReason::Pledge));
		assert_noop!(Staking::pledge_nft(origin(OWNER), M), Error::<Test>::AlreadyPledged);
	});
}

#[test]
fn unpledge_is_refused_while_leased_and_short_of_the_minimum() {
	ExtBuilder::build_and_execute(|| {
		staked();
		assert_noop!(Staking::unpledge_nft(origin(OWNER), M), Error::<Test>::NotPledged);
		assert_noop!(Staking::pledge_nft(origin(PROVIDER), M), Error::<Test>::NotStaker);
		assert_ok!(Staking::pledge_nft(origin(OWNER), M));
		with_machine(M, |m| m.state = MachineState::Leased);
		assert_noop!(
			Staking::unpledge_nft(origin(OWNER), M),
			Error::<Test>::BelowMinimumWhileLeased
		);
		assert_ok!(Staking::bond(origin(PROVIDER), M, 1_100));
		assert_ok!(Staking::unpledge_nft(origin(OWNER), M));
		System::assert_last_event(Event::NftUnpledged { machine: M }.into());
	});
}

// ---------------------------------------------------------------- slashing

#[test]
fn slash_pays_renter_first_then_reporter_and_jurors_then_treasury() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_ok!(Staking::bond(origin(PROVIDER), M, 10_000));
		let renter = Balances::balance(&RENTER);
		let treasury = Balances::balance(&TREASURY);
		let jurors = [10u64, 11];
		for j in jurors {
			assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
				&OWNER,
				&j,
				1,
				frame_support::traits::tokens::Preservation::Preserve
			));
		}
		let outcome = <Staking as MachineSlashing<_, _>>::slash(
			M,
			Perbill::from_percent(50),
			SlashReason::LostDispute,
			Some((RENTER, 3_000)),
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
		assert_eq!(Balances::balance(&RENTER), renter + 3_000);
		assert_eq!(Balances::balance(&REPORTER), 200);
		assert_eq!(Balances::balance(&10), 101);
		assert_eq!(Balances::balance(&TREASURY), treasury + 1_600);
		assert_eq!(held(PROVIDER), 5_000);
		assert!(System::events().iter().any(|r| r.event
			== Event::SlashPaid { machine: M, payee: Payee::Harmed, to: RENTER, amount: 3_000 }
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
		staked();
		assert_ok!(Staking::bond(origin(PROVIDER), M, 400));
		assert_ok!(Staking::unbond(origin(PROVIDER), M, 100));
		assert_ok!(Staking::pledge_nft(origin(OWNER), M));
		// Collateral 400 PEC + 1000 pledge value; 100% of it exceeds the PEC bond.
		let outcome = <Staking as MachineSlashing<_, _>>::slash(
			M,
			Perbill::one(),
			SlashReason::OfflineWhileLeased,
			Some((RENTER, 10_000)),
			None,
			&[],
		)
		.unwrap();
		assert_eq!(outcome.slashed, 400, "active and unbonding PEC, nothing more");
		assert_eq!(outcome.to_harmed, 400);
		assert!(outcome.nft_seized);
		assert!(Bonds::<Test>::get(M).is_none());
		assert_eq!(held(PROVIDER), 0);
		assert!(Stakes::<Test>::get(M).is_none());
		assert_eq!(MockCompute::beneficiary_of(M), TREASURY);
		System::assert_last_event(Event::PledgeSeized { machine: M, staker: OWNER }.into());
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
		assert_ok!(Staking::bond(origin(PROVIDER), M, 100));
		assert_noop!(
			Staking::slash(
				origin(REPORTER),
				M,
				Perbill::one(),
				SlashReason::FailedVerification,
				None,
				None
			),
			BadOrigin
		);
		let jurors = [1u64, 2, 3, 4, 5, 6];
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
		let mut p = params();
		p.era_reward = 1;
		assert_noop!(Staking::set_params(origin(PROVIDER), p.clone()), BadOrigin);
		assert_ok!(Staking::set_params(RuntimeOrigin::root(), p.clone()));
		assert_eq!(Params::<Test>::get(), p);
		System::assert_last_event(Event::ParamsSet { params: p }.into());
	});
}

#[test]
fn retirement_is_blocked_by_a_bond_or_a_stake() {
	ExtBuilder::build_and_execute(|| {
		machine();
		assert_ok!(Staking::ensure_can_retire(M));
		assert_ok!(Staking::bond(origin(PROVIDER), M, 100));
		assert_noop!(Staking::ensure_can_retire(M), Error::<Test>::BondOutstanding);
		assert_ok!(Staking::unbond(origin(PROVIDER), M, 100));
		run_to_block(100);
		assert_ok!(Staking::withdraw_unbonded(origin(PROVIDER), M));
		assert_ok!(Staking::stake_nft(origin(OWNER), M));
		assert_noop!(Staking::ensure_can_retire(M), Error::<Test>::NftStaked);
	});
}

// ---------------------------------------------------------------- property test

mod properties {
	use super::*;
	use proptest::prelude::*;
	use sp_runtime::traits::Dispatchable;

	#[derive(Debug, Clone)]
	enum Action {
		Bond(u8, u64, u64),
		Unbond(u8, u64, u64),
		Withdraw(u8, u64),
		Stake(u8, u64),
		Unstake(u8, u64),
		WithdrawNft(u8, u64),
		Claim(u8, u64),
		Pledge(u8, u64),
		Unpledge(u8, u64),
		Slash(u64, u8, bool),
		Lease(u64, bool),
		Heartbeat(u64, u64, u64),
		Advance(u64),
	}

	fn who(n: u8) -> AccountId {
		[PROVIDER, OWNER, RENTER][(n % 3) as usize]
	}

	fn action() -> impl Strategy<Value = Action> {
		prop_oneof![
			(any::<u8>(), 0..3u64, 0..3_000u64).prop_map(|(a, m, x)| Action::Bond(a, m, x)),
			(any::<u8>(), 0..3u64, 0..3_000u64).prop_map(|(a, m, x)| Action::Unbond(a, m, x)),
			(any::<u8>(), 0..3u64).prop_map(|(a, m)| Action::Withdraw(a, m)),
			(any::<u8>(), 0..3u64).prop_map(|(a, m)| Action::Stake(a, m)),
			(any::<u8>(), 0..3u64).prop_map(|(a, m)| Action::Unstake(a, m)),
			(any::<u8>(), 0..3u64).prop_map(|(a, m)| Action::WithdrawNft(a, m)),
			(any::<u8>(), 0..3u64).prop_map(|(a, m)| Action::Claim(a, m)),
			(any::<u8>(), 0..3u64).prop_map(|(a, m)| Action::Pledge(a, m)),
			(any::<u8>(), 0..3u64).prop_map(|(a, m)| Action::Unpledge(a, m)),
			(0..3u64, 0..=100u8, any::<bool>()).prop_map(|(m, p, h)| Action::Slash(m, p, h)),
			(0..3u64, any::<bool>()).prop_map(|(m, l)| Action::Lease(m, l)),
			(0..3u64, 0..20u64, 0..20u64).prop_map(|(m, u, d)| Action::Heartbeat(m, u, d)),
			(1..25u64).prop_map(Action::Advance),
		]
	}

	fn call(c: crate::Call<Test>, who: AccountId) -> Result<(), sp_runtime::DispatchError> {
		RuntimeCall::Staking(c).dispatch(origin(who)).map(|_| ()).map_err(|e| e.error)
	}

	fn apply(action: Action) -> Result<(), sp_runtime::DispatchError> {
		use crate::Call as C;
		match action {
			Action::Bond(a, m, x) => call(C::bond { machine: m, amount: x }, who(a)),
			Action::Unbond(a, m, x) => call(C::unbond { machine: m, amount: x }, who(a)),
			Action::Withdraw(a, m) => call(C::withdraw_unbonded { machine: m }, who(a)),
			Action::Stake(a, m) => call(C::stake_nft { machine: m }, who(a)),
			Action::Unstake(a, m) => call(C::unstake_nft { machine: m }, who(a)),
			Action::WithdrawNft(a, m) => call(C::withdraw_nft { machine: m }, who(a)),
			Action::Claim(a, m) => call(C::claim_rewards { machine: m }, who(a)),
			Action::Pledge(a, m) => call(C::pledge_nft { machine: m }, who(a)),
			Action::Unpledge(a, m) => call(C::unpledge_nft { machine: m }, who(a)),
			Action::Slash(m, p, harmed) => frame_support::storage::with_storage_layer(|| {
				<Staking as MachineSlashing<_, _>>::slash(
					m,
					Perbill::from_percent(p as u32),
					SlashReason::LostDispute,
					harmed.then_some((RENTER, 500)),
					Some(REPORTER),
					&[OWNER],
				)
				.map(|_| ())
			}),
			Action::Lease(m, leased) => {
				with_machine(m, |x| {
					if x.owner != TREASURY {
						x.state = if leased { MachineState::Leased } else { MachineState::Idle }
					}
				});
				Ok(())
			},
			Action::Heartbeat(m, u, d) => {
				with_machine(m, |x| x.uptime = (x.uptime.0 + u, x.uptime.1 + d));
				Ok(())
			},
			Action::Advance(n) => {
				run_to_block(System::block_number() + n);
				Ok(())
			},
		}
	}

	proptest! {
		#![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

		/// Random bond/unbond/stake/claim/slash sequences keep every invariant (collateral held ==
		/// bonds, pool shares, issuance == start + minted rewards), and refused calls change
		/// nothing.
		#[test]
		fn random_sequences_keep_invariants(actions in prop::collection::vec(action(), 1..80)) {
			ExtBuilder::build().execute_with(|| {
				for m in 0..3u64 {
					add_machine(m, PROVIDER, 500 * (m + 1));
					with_machine(m, |x| x.owner = [OWNER, RENTER, PROVIDER][m as usize]);
				}
				let issuance = pallet_balances::TotalIssuance::<Test>::get();
				for action in actions {
					let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
					let result = apply(action.clone());
					if result.is_err() {
						assert_eq!(
							sp_io::storage::root(sp_runtime::StateVersion::V1), before,
							"{action:?} failed with {result:?} but changed storage"
						);
					}
					check_invariants(issuance);
				}
			});
		}
	}
}

//! Attacks from polkadot.js on the money paths, each against the real pallets. Every test names
//! the hole it closes; each was written to fail on the code before the fix. A refused attack
//! gets its own error and changes nothing: `assert_noop!` compares the storage root, and
//! `snapshot()` compares every balance, hold, NFT owner and lock.

use crate::*;
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use pallet_compute::Error as ComputeError;
use pallet_compute_staking::Error as StakingError;
use pallet_market::{EndReason, Error as MarketError, LeaseStatus};
use powerverse_primitives::{MachineSlashing, NftLockReason, SlashReason, Verdict};
use sp_runtime::Perbill;

/// A machine of PROVIDER with one H100 at 100/hour whose NFT OWNER bought, bonded at its
/// minimum and online.
fn sold_machine() -> u64 {
	let id = machine(&PROVIDER, 1, 100);
	sell(id, &OWNER);
	id
}

/// The PEC bond of [`pledged_machine`]: with the pledge (worth the score, 1,320) it makes the
/// minimum collateral (100 + 1,320).
const PLEDGED_BOND: Balance = 100;

/// A machine whose NFT OWNER holds, staked and pledged, and whose bond is small: most of its
/// collateral is the pledge, so a slash of a tenth or more reaches the NFT.
fn pledged_machine() -> u64 {
	let id = register(&PROVIDER, h100_spec(1), 100);
	assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
	sell(id, &OWNER);
	stake_and_pledge(id);
	assert_ok!(Staking::bond(origin(&PROVIDER), id, PLEDGED_BOND));
	assert!(<Staking as powerverse_primitives::MachineCollateral<Balance>>::is_sufficiently_collateralized(id));
	id
}

fn nft_attribute_count(machine: u64) -> usize {
	pallet_nfts::Attribute::<Test>::iter_prefix((COLLECTION, Some(machine))).count()
}

// ---- 1. The NFT holder's value is the holder's ----

#[test]
fn a_provider_cannot_retire_a_machine_it_sold() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 100);
		// Everything that blocks retirement is gone: no bond, nothing staked or leased.
		assert_ok!(Staking::unbond(
			origin(&PROVIDER),
			id,
			pallet_compute_staking::Pallet::<Test>::minimum_for(id)
		));
		sell(id, &OWNER);
		let before = snapshot();
		assert_noop!(
			Compute::retire_machine(origin(&PROVIDER), id),
			ComputeError::<Test>::NotNftHolder
		);
		assert_eq!(snapshot(), before);
		assert_eq!(nft_owner(id), Some(OWNER));
	});
}

#[test]
fn a_provider_cannot_retire_a_machine_whose_nft_was_seized() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&PROVIDER, h100_spec(1), 100);
		assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
		stake_and_pledge(id);
		assert_ok!(Staking::bond(origin(&PROVIDER), id, 1));
		assert_ok!(Staking::slash(
			RuntimeOrigin::root(),
			id,
			Perbill::from_percent(50),
			SlashReason::LostDispute,
			None,
			None
		));
		assert_eq!(nft_owner(id), Some(TREASURY));
		assert_noop!(
			Compute::retire_machine(origin(&PROVIDER), id),
			ComputeError::<Test>::NotNftHolder
		);
		assert_eq!(nft_owner(id), Some(TREASURY));
	});
}

#[test]
fn the_holder_retires_and_nothing_is_left_behind() {
	ExtBuilder::build_and_execute(|| {
		let start = free(&PROVIDER);
		let id = register(&PROVIDER, gpu_spec(), 100);
		assert!(nft_attribute_count(id) > 0);
		assert!(free(&PROVIDER) < start, "the provider paid the item and attribute deposits");
		assert_ok!(Compute::retire_machine(origin(&PROVIDER), id));
		assert_eq!(nft_attribute_count(id), 0, "attributes cleared");
		assert_eq!(nft_owner(id), None, "NFT burned");
		assert!(!pallet_compute::Machines::<Test>::contains_key(id), "machine record removed");
		assert_eq!(free(&PROVIDER), start, "every deposit came back");
		System::assert_last_event(pallet_compute::Event::MachineRetired { machine: id }.into());
	});
}

#[test]
fn a_provider_that_sold_keeps_the_minimum_bonded_until_the_holder_is_paid() {
	ExtBuilder::build_and_execute(|| {
		let id = sold_machine();
		let bond = pallet_compute_staking::Pallet::<Test>::minimum_for(id);
		assert_noop!(
			Staking::unbond(origin(&PROVIDER), id, 1),
			StakingError::<Test>::BelowMinimumWhileSold
		);
		// Top up, and only the top-up may leave.
		assert_ok!(Staking::bond(origin(&PROVIDER), id, 500));
		assert_ok!(Staking::unbond(origin(&PROVIDER), id, 500));
		// While the machine beats, it is not abandoned.
		assert_noop!(
			Staking::claim_abandonment(origin(&OWNER), id),
			StakingError::<Test>::NotAbandoned
		);
		// The provider walks away: no heartbeats. The holder opens a claim...
		advance(HEARTBEAT_TIMEOUT + 1);
		assert_noop!(
			Staking::claim_abandonment(origin(&STRANGER), id),
			StakingError::<Test>::NotNftHolder
		);
		assert_ok!(Staking::claim_abandonment(origin(&OWNER), id));
		let decide_at = System::block_number() + ABANDONMENT_PERIOD;
		System::assert_last_event(
			pallet_compute_staking::Event::AbandonmentClaimStarted {
				machine: id,
				holder: OWNER,
				decide_at,
			}
			.into(),
		);
		// ...decided only after the period.
		assert_noop!(
			Staking::claim_abandonment(origin(&OWNER), id),
			StakingError::<Test>::AbandonmentPeriodNotOver
		);
		run_to_block(decide_at);
		let owner_before = free(&OWNER);
		assert_ok!(Staking::claim_abandonment(origin(&OWNER), id));
		// The whole bond, the unbonding 500 included, goes to the holder.
		assert_eq!(free(&OWNER), owner_before + bond + 500);
		assert_eq!(collateral_held(&PROVIDER), 0);
		System::assert_last_event(
			pallet_compute_staking::Event::AbandonmentClaimed {
				machine: id,
				holder: OWNER,
				amount: bond + 500,
			}
			.into(),
		);
		// Now the holder may retire the dead machine and get rid of the NFT.
		assert_ok!(Compute::retire_machine(origin(&OWNER), id));
	});
}

#[test]
fn a_heartbeat_now_and_then_does_not_keep_a_dead_machine_s_bond_from_its_holder() {
	ExtBuilder::build_and_execute(|| {
		let id = sold_machine();
		advance(HEARTBEAT_TIMEOUT + 1);
		assert_ok!(Staking::claim_abandonment(origin(&OWNER), id));
		// The provider beats once in the middle of the period: 98% of it is still downtime.
		advance(ABANDONMENT_PERIOD / 2);
		heartbeat(id);
		advance(ABANDONMENT_PERIOD / 2);
		let owner_before = free(&OWNER);
		assert_ok!(Staking::claim_abandonment(origin(&OWNER), id));
		assert!(free(&OWNER) > owner_before, "the holder was paid");
	});
}

#[test]
fn a_machine_that_came_back_is_not_abandoned() {
	ExtBuilder::build_and_execute(|| {
		let id = sold_machine();
		advance(HEARTBEAT_TIMEOUT + 1);
		assert_ok!(Staking::claim_abandonment(origin(&OWNER), id));
		let start = System::block_number();
		heartbeat(id);
		run_alive_to(id, start + ABANDONMENT_PERIOD);
		let owner_before = free(&OWNER);
		assert_ok!(Staking::claim_abandonment(origin(&OWNER), id));
		System::assert_last_event(
			pallet_compute_staking::Event::AbandonmentClaimVoided { machine: id, holder: OWNER }
				.into(),
		);
		assert_eq!(free(&OWNER), owner_before);
		assert!(pallet_compute_staking::Bonds::<Test>::contains_key(id));
	});
}

#[test]
fn a_provider_holding_its_own_nft_cannot_claim_abandonment() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 100);
		advance(ABANDONMENT_PERIOD + 1);
		assert_noop!(
			Staking::claim_abandonment(origin(&PROVIDER), id),
			StakingError::<Test>::HolderIsProvider
		);
	});
}

// ---- 2. A slash is all or nothing, and never silently lost ----

#[test]
fn a_slash_of_a_re_leased_machine_keeps_the_seizure_instead_of_dropping_it() {
	ExtBuilder::build_and_execute(|| {
		let id = pledged_machine();
		let first = rent(&CUSTOMER, id, 2);
		run_alive_to(id, 11);
		assert_ok!(Market::end_lease(origin(&CUSTOMER), first));
		assert_ok!(Market::open_dispute(origin(&CUSTOMER), first));
		// Someone else rents the machine while the dispute waits.
		let second = rent(&CUSTOMER2, id, 2);
		assert_eq!(lease(second).status, LeaseStatus::Active);
		let treasury = free(&TREASURY);
		// The verdict slashes everything: the bond is paid, the NFT is due to the treasury.
		let verdict = Verdict { refund: Perbill::from_percent(100), slash: Perbill::one() };
		assert_ok!(Market::resolve_dispute(RuntimeOrigin::root(), first, verdict));
		let stake = pallet_compute_staking::Stakes::<Test>::get(id).expect("the claim is kept");
		assert!(stake.seizure_pending && stake.pledged);
		assert_eq!(nft_owner(id), Some(OWNER), "a leased NFT never moves");
		let locks = pallet_compute::Machines::<Test>::get(id).unwrap().locks;
		assert!(locks.has(NftLockReason::Stake) && locks.has(NftLockReason::Pledge));
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Staking(pallet_compute_staking::Event::SeizurePending { machine, staker, .. })
				if *machine == id && *staker == OWNER
		)));
		// The holder cannot slip it out meanwhile.
		assert_noop!(
			Staking::unpledge_nft(origin(&OWNER), id),
			StakingError::<Test>::SeizurePending
		);
		assert_noop!(
			Staking::execute_seizure(origin(&STRANGER), id),
			StakingError::<Test>::MachineStillLeased
		);
		assert_noop!(
			Staking::claim_rewards(origin(&OWNER), id),
			StakingError::<Test>::NothingToClaim
		);
		// The second lease runs out; anyone completes the seizure.
		run_alive_to(id, 40);
		assert_ok!(Market::end_lease(origin(&CUSTOMER2), second));
		assert_ok!(Staking::execute_seizure(origin(&STRANGER), id));
		assert_eq!(nft_owner(id), Some(TREASURY));
		assert!(free(&TREASURY) > treasury, "fees and the slash reached the treasury");
		assert!(!pallet_compute_staking::Stakes::<Test>::contains_key(id));
		assert_noop!(
			Staking::execute_seizure(origin(&STRANGER), id),
			StakingError::<Test>::NoSeizurePending
		);
	});
}

#[test]
fn a_slash_that_cannot_happen_changes_nothing() {
	ExtBuilder::build_and_execute(|| {
		let id = pledged_machine();
		let jurors: Vec<AccountId> = (0..=MAX_JURORS as u8).map(|n| account(100 + n)).collect();
		let before = snapshot();
		frame_support::assert_err!(
			<Staking as MachineSlashing<AccountId, Balance>>::slash(
				id,
				Perbill::one(),
				SlashReason::LostDispute,
				None,
				None,
				&jurors
			),
			StakingError::<Test>::TooManyJurors
		);
		assert_eq!(snapshot(), before);
		// Governance's slash of a machine with nothing at stake is refused, not a silent zero.
		let bare = register(&PROVIDER2, h100_spec(1), 100);
		assert_noop!(
			Staking::slash(
				RuntimeOrigin::root(),
				bare,
				Perbill::one(),
				SlashReason::LostDispute,
				None,
				None
			),
			StakingError::<Test>::NothingToSlash
		);
	});
}

#[test]
fn a_failure_slash_through_the_market_is_reported_as_it_happened() {
	ExtBuilder::build_and_execute(|| {
		let id = pledged_machine();
		let lease_id = rent(&CUSTOMER, id, 5);
		// Silent long enough to fail: the lease ends, the 20% slash of bond + pledge exceeds the
		// bond, and the NFT is seized (the lease ended first, so it can move).
		advance(HEARTBEAT_TIMEOUT + GRACE + 1);
		assert_ok!(Market::close_lease(origin(&STRANGER), lease_id));
		assert_eq!(lease(lease_id).end_reason, Some(EndReason::ProviderFailed));
		System::assert_has_event(
			pallet_market::Event::ProviderSlashed {
				lease: lease_id,
				machine: id,
				slashed: PLEDGED_BOND,
			}
			.into(),
		);
		assert_eq!(nft_owner(id), Some(TREASURY));
		assert!(!pallet_compute_staking::Stakes::<Test>::contains_key(id));
	});
}

// ---- 3. Nothing escapes a pending judgement ----

#[test]
fn nothing_leaves_a_machine_while_a_dispute_on_it_is_open() {
	ExtBuilder::build_and_execute(|| {
		// The provider holds, stakes and pledges its own NFT, and has a chunk unbonding.
		let id = register(&PROVIDER, h100_spec(1), 100);
		assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
		stake_and_pledge(id);
		assert_ok!(Staking::bond(origin(&PROVIDER), id, PLEDGED_BOND + 1_000));
		assert_ok!(Staking::unbond(origin(&PROVIDER), id, 1_000));
		let lease_id = rent(&CUSTOMER, id, 2);
		run_alive_to(id, 5);
		assert_ok!(Market::open_dispute(origin(&CUSTOMER), lease_id));
		advance(100);
		assert_noop!(
			Staking::unpledge_nft(origin(&PROVIDER), id),
			StakingError::<Test>::UnderJudgement
		);
		assert_noop!(
			Staking::withdraw_unbonded(origin(&PROVIDER), id),
			StakingError::<Test>::UnderJudgement
		);
		// The verdict comes; everything may leave again.
		let verdict = Verdict { refund: Perbill::zero(), slash: Perbill::zero() };
		assert_ok!(Market::resolve_dispute(RuntimeOrigin::root(), lease_id, verdict));
		assert_ok!(Staking::withdraw_unbonded(origin(&PROVIDER), id));
		assert_ok!(Staking::unpledge_nft(origin(&PROVIDER), id));
	});
}

#[test]
fn a_machine_under_dispute_cannot_retire() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 100);
		let lease_id = rent(&CUSTOMER, id, 1);
		run_alive_to(id, 3);
		assert_ok!(Market::open_dispute(origin(&CUSTOMER), lease_id));
		assert_noop!(
			Compute::retire_machine(origin(&PROVIDER), id),
			ComputeError::<Test>::UnderJudgement
		);
	});
}

#[test]
fn unpledging_takes_the_delay_and_the_pledge_stays_seizable_meanwhile() {
	ExtBuilder::build_and_execute(|| {
		let id = pledged_machine();
		assert_ok!(Staking::unpledge_nft(origin(&OWNER), id));
		let release_at = System::block_number() + MIN_UNPLEDGE_DELAY;
		System::assert_last_event(
			pallet_compute_staking::Event::UnpledgeStarted { machine: id, release_at }.into(),
		);
		// It no longer backs new leases...
		assert_noop!(
			Market::rent_machine(origin(&CUSTOMER), id, 1, 100, job_spec()),
			MarketError::<Test>::InsufficientCollateral
		);
		// ...and cannot be released early...
		assert_noop!(
			Staking::unpledge_nft(origin(&OWNER), id),
			StakingError::<Test>::UnpledgeDelayNotOver
		);
		// ...but a verdict for a lease it backed still reaches it.
		assert_ok!(Staking::slash(
			RuntimeOrigin::root(),
			id,
			Perbill::from_percent(10),
			SlashReason::LostDispute,
			None,
			None
		));
		assert_eq!(nft_owner(id), Some(TREASURY));
	});
}

#[test]
fn an_unpledge_completes_after_the_delay() {
	ExtBuilder::build_and_execute(|| {
		let id = pledged_machine();
		assert_ok!(Staking::unpledge_nft(origin(&OWNER), id));
		advance(MIN_UNPLEDGE_DELAY);
		assert_ok!(Staking::unpledge_nft(origin(&OWNER), id));
		System::assert_last_event(
			pallet_compute_staking::Event::NftUnpledged { machine: id }.into(),
		);
		assert!(!pallet_compute::Machines::<Test>::get(id)
			.unwrap()
			.locks
			.has(NftLockReason::Pledge));
	});
}

#[test]
fn governance_cannot_set_an_unpledge_delay_shorter_than_the_dispute_window() {
	ExtBuilder::build_and_execute(|| {
		let params = pallet_compute_staking::StakingParams {
			unpledge_delay: MIN_UNPLEDGE_DELAY - 1,
			..staking_params()
		};
		assert_noop!(
			Staking::set_params(RuntimeOrigin::root(), params),
			StakingError::<Test>::UnpledgeDelayTooShort
		);
	});
}

#[test]
fn a_customer_is_compensated_once_for_one_failure() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 1_000);
		let customer_start = free(&CUSTOMER);
		let lease_id = rent(&CUSTOMER, id, 5);
		run_alive_to(id, 21);
		// The machine dies after its heartbeat at 21 and is found dead at 40: the 20 blocks to
		// 21 are paid (2,000). The failure slash (20% of the 1,420 bond = 284) pays the
		// customer first.
		advance(HEARTBEAT_TIMEOUT + GRACE + 1);
		assert_ok!(Market::close_lease(origin(&STRANGER), lease_id));
		assert_eq!(lease(lease_id).compensated, 284);
		assert_eq!(free(&CUSTOMER), customer_start - 2_000 + 284);
		// The customer disputes the same failure and wins a full refund and a full slash: only
		// the 1,716 the failure slash did not cover comes back, from the held payment.
		assert_ok!(Market::open_dispute(origin(&CUSTOMER), lease_id));
		let verdict = Verdict { refund: Perbill::one(), slash: Perbill::one() };
		assert_ok!(Market::resolve_dispute(RuntimeOrigin::root(), lease_id, verdict.clone()));
		assert_eq!(free(&CUSTOMER), customer_start, "paid 2,000, got 2,000 back: once, not twice");
		System::assert_has_event(
			pallet_market::Event::DisputeResolved {
				lease: lease_id,
				verdict,
				refunded: 1_716,
				slashed: 1_420 - 284,
				deposit_returned: true,
				by_default: false,
			}
			.into(),
		);
	});
}

// ---- 4. Disputes cost something and end ----

#[test]
fn a_dispute_holds_a_deposit_and_ends_by_default_when_no_verdict_comes() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 100);
		sell(id, &OWNER);
		let lease_id = rent(&CUSTOMER, id, 2);
		run_alive_to(id, 11);
		assert_ok!(Market::open_dispute(origin(&CUSTOMER), lease_id));
		assert_eq!(deposit_held(&CUSTOMER), DISPUTE_DEPOSIT);
		let deadline = 11 + DISPUTE_PERIOD;
		System::assert_last_event(
			pallet_market::Event::DisputeOpened {
				lease: lease_id,
				held: 100,
				deposit: DISPUTE_DEPOSIT,
				deadline,
			}
			.into(),
		);
		assert_eq!(disputes(), vec![lease_id]);
		assert_noop!(
			Market::close_lease(origin(&STRANGER), lease_id),
			MarketError::<Test>::DisputePending
		);
		run_to_block(deadline + 1);
		let owner_before = free(&OWNER);
		assert_ok!(Market::close_lease(origin(&STRANGER), lease_id));
		// Default: the lease stands (owner paid 100 less the 10% fee), deposit returned.
		assert_eq!(free(&OWNER), owner_before + 90);
		assert_eq!(deposit_held(&CUSTOMER), 0);
		assert!(pallet_market::Leases::<Test>::get(lease_id).is_none());
		assert!(pallet_market::OpenDisputes::<Test>::get(id) == 0);
	});
}

#[test]
fn a_rejected_dispute_forfeits_its_deposit() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 100);
		let lease_id = rent(&CUSTOMER, id, 2);
		run_alive_to(id, 11);
		assert_ok!(Market::open_dispute(origin(&CUSTOMER), lease_id));
		let (customer, treasury) = (free(&CUSTOMER), free(&TREASURY));
		assert_ok!(Market::resolve_dispute(
			RuntimeOrigin::root(),
			lease_id,
			Verdict::default_verdict()
		));
		assert_eq!(free(&CUSTOMER), customer);
		assert_eq!(free(&TREASURY), treasury + DISPUTE_DEPOSIT + 10, "deposit plus the fee on 100");
	});
}

#[test]
fn a_customer_who_cannot_pay_the_deposit_cannot_dispute() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 60);
		// POOR (100) can pay for an hour (60) but not for the deposit (50) on top.
		let lease_id = rent(&POOR, id, 1);
		run_alive_to(id, 1 + HOUR);
		assert_noop!(
			Market::open_dispute(origin(&POOR), lease_id),
			MarketError::<Test>::InsufficientDeposit
		);
	});
}

#[test]
fn rent_and_dispute_in_one_block_cannot_lock_a_machine_out() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 100);
		// Rent and dispute in the block the lease starts: nothing was paid, nothing to decide,
		// and no free freeze of the machine's collateral.
		let lease_id = rent(&CUSTOMER, id, 1);
		assert_noop!(
			Market::open_dispute(origin(&CUSTOMER), lease_id),
			MarketError::<Test>::NothingToDispute
		);
		assert_ok!(Market::end_lease(origin(&CUSTOMER), lease_id));
		assert_ok!(Market::confirm_result(origin(&CUSTOMER), lease_id));
		// Six leases, each disputed a few blocks in (more than any lease-slot bound), each
		// holding a deposit until its verdict.
		for who in [CUSTOMER, CUSTOMER2] {
			for _ in 0..MAX_LEASES_PER_CUSTOMER {
				let lease_id = rent(&who, id, 1);
				run_alive_to(id, System::block_number() + MIN_HEARTBEAT_INTERVAL);
				assert_ok!(Market::open_dispute(origin(&who), lease_id));
			}
		}
		assert_eq!(deposit_held(&CUSTOMER), 3 * DISPUTE_DEPOSIT);
		// An honest customer still gets the machine.
		let honest = rent(&STRANGER, id, 1);
		assert_eq!(lease(honest).status, LeaseStatus::Active);
	});
}

// ---- 5. The job queue cannot be filled cheaply ----

#[test]
fn dust_jobs_are_refused_and_every_job_pays_the_posting_fee() {
	ExtBuilder::build_and_execute(|| {
		let post = |who: &AccountId, price: Balance, hours: u32| {
			Market::post_job(origin(who), Default::default(), price, hours, job_spec())
		};
		assert_noop!(post(&CUSTOMER, 1, 1), MarketError::<Test>::BudgetTooSmall);
		assert_noop!(post(&CUSTOMER, 3, 3), MarketError::<Test>::BudgetTooSmall);
		let treasury = free(&TREASURY);
		assert_ok!(post(&CUSTOMER, 5, 2));
		assert_eq!(free(&TREASURY), treasury + JOB_POSTING_FEE);
	});
}

#[test]
fn expired_jobs_leave_the_queue_and_their_escrow_goes_home() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 10);
		let post = |who: &AccountId| {
			let job = pallet_market::NextJobId::<Test>::get();
			assert_ok!(Market::post_job(origin(who), Default::default(), 10, 1, job_spec()));
			job
		};
		// The queue (4 slots) filled by two accounts.
		let jobs: Vec<u64> = [CUSTOMER, CUSTOMER, CUSTOMER2, CUSTOMER2].iter().map(post).collect();
		assert_noop!(
			Market::post_job(origin(&STRANGER), Default::default(), 10, 1, job_spec()),
			MarketError::<Test>::TooManyOpenJobs
		);
		// Not before they expire: only the customer may cancel.
		assert_noop!(
			Market::cancel_job(origin(&STRANGER), jobs[0]),
			MarketError::<Test>::JobNotExpired
		);
		run_to_block(1 + JOB_LIFETIME);
		heartbeat(id);
		assert_noop!(
			Market::accept_job(origin(&PROVIDER), jobs[0], id),
			MarketError::<Test>::JobExpired
		);
		// Anyone removes an expired job; its escrow goes back to its customer.
		let customer = free(&CUSTOMER);
		assert_ok!(Market::cancel_job(origin(&STRANGER), jobs[0]));
		assert_eq!(free(&CUSTOMER), customer + 10);
		System::assert_last_event(
			pallet_market::Event::JobExpired { job: jobs[0], refunded: 10 }.into(),
		);
		// A full queue drops its expired head for a new job.
		post(&STRANGER);
		let newest = post(&STRANGER);
		assert!(!pallet_market::Jobs::<Test>::contains_key(jobs[1]));
		assert!(pallet_market::OpenJobs::<Test>::get(0).contains(&newest));
		assert_eq!(escrow_held(&CUSTOMER), 0);
	});
}

// ---- 6. No free spam ----

#[test]
fn only_verified_collateralized_machines_beat_for_free_and_at_most_once_per_interval() {
	ExtBuilder::build_and_execute(|| {
		let pending = register(&PROVIDER, h100_spec(1), 100);
		advance(MIN_HEARTBEAT_INTERVAL);
		let paid = Compute::heartbeat(origin(&OPERATOR), pending).expect("beats");
		assert_eq!(paid.pays_fee, Pays::Yes, "an unverified machine pays");
		assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), pending, true));
		advance(MIN_HEARTBEAT_INTERVAL);
		let paid = Compute::heartbeat(origin(&OPERATOR), pending).expect("beats");
		assert_eq!(paid.pays_fee, Pays::Yes, "a machine without its minimum collateral pays");
		assert_ok!(Staking::bond(
			origin(&PROVIDER),
			pending,
			pallet_compute_staking::Pallet::<Test>::minimum_for(pending)
		));
		advance(MIN_HEARTBEAT_INTERVAL);
		let free_beat = Compute::heartbeat(origin(&OPERATOR), pending).expect("beats");
		assert_eq!(free_beat.pays_fee, Pays::No);
		// A second one in the same interval is refused, and a refused call pays.
		let refused = Compute::heartbeat(origin(&OPERATOR), pending).expect_err("too soon");
		assert_eq!(refused.error, ComputeError::<Test>::HeartbeatTooSoon.into());
		assert_eq!(refused.post_info.pays_fee, Pays::Yes);
	});
}

// ---- 7. Downtime is seen even if nobody looked in time ----

#[test]
fn a_machine_that_was_down_and_came_back_has_failed_its_lease_and_the_downtime_is_not_paid() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 100);
		sell(id, &OWNER);
		let lease_id = rent(&CUSTOMER, id, 5);
		// Silent from block 1 to 25: 24 blocks, of which 14 beyond the timeout are downtime.
		run_to_block(25);
		heartbeat(id);
		// Back online and beating when anyone looks.
		run_alive_to(id, 35);
		let customer = free(&CUSTOMER);
		assert_ok!(Market::end_lease(origin(&CUSTOMER), lease_id));
		let l = lease(lease_id);
		assert_eq!(l.end_reason, Some(EndReason::ProviderFailed));
		assert_eq!(l.down_blocks, 14);
		// 34 blocks ran, 14 were down: 20 blocks paid, 2 hours = 200 of the 500 escrowed.
		assert_eq!(l.held, 200);
		// The customer got back the 300 unused and the slash compensated the 200 they paid.
		assert_eq!(free(&CUSTOMER), customer + 300 + 200);
	});
}

#[test]
fn a_machine_down_after_its_lease_ended_has_not_failed_that_lease() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 100);
		let lease_id = rent(&CUSTOMER, id, 2);
		// Up for the whole lease (it ends at 21), then down for long after, then back.
		run_alive_to(id, 21);
		run_to_block(80);
		heartbeat(id);
		let bonded = collateral_held(&PROVIDER);
		let customer = free(&CUSTOMER);
		assert_ok!(Market::close_lease(origin(&STRANGER), lease_id));
		System::assert_has_event(
			pallet_market::Event::LeaseEnded {
				lease: lease_id,
				reason: EndReason::Expired,
				at: 21,
				refunded: 0,
			}
			.into(),
		);
		assert_eq!(collateral_held(&PROVIDER), bonded, "nothing slashed");
		assert_eq!(free(&CUSTOMER), customer, "the customer paid the full 200");
	});
}

#[test]
fn an_owner_is_paid_a_running_lease_only_up_to_the_last_heartbeat() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 100);
		let lease_id = rent(&CUSTOMER, id, 5);
		run_to_block(5);
		heartbeat(id);
		// Silent since 5: at 14 the machine still counts as online, but nothing after 5 is
		// proven, so nothing after 5 is paid yet.
		run_to_block(14);
		assert_eq!(Market::lease_amounts(lease_id), Some((130, 40)));
		assert_ok!(Market::claim_earnings(origin(&PROVIDER), lease_id));
		assert_eq!(lease(lease_id).paid, 40);
		// It never comes back: the lease fails at 5 and the customer paid for 4 blocks only.
		run_to_block(5 + HEARTBEAT_TIMEOUT + GRACE + 1);
		assert_ok!(Market::close_lease(origin(&STRANGER), lease_id));
		assert_eq!(lease(lease_id).held, 0);
		assert_eq!(escrow_held(&CUSTOMER), 0);
	});
}

#[test]
fn a_maintenance_window_inside_a_lease_is_refused() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 100);
		// Announced for blocks 20..70 while the machine is idle.
		assert_ok!(Compute::set_maintenance(origin(&PROVIDER), id, 20, 50));
		// A 2-hour lease from block 1 would run into it: refused, the customer is not billed
		// for a machine the provider plans to take down.
		assert_noop!(
			Market::rent_machine(origin(&CUSTOMER), id, 2, 100, job_spec()),
			MarketError::<Test>::MaintenanceDuringLease
		);
		// A lease that ends before it starts is fine.
		assert_ok!(Market::rent_machine(origin(&CUSTOMER), id, 1, 100, job_spec()));
	});
}

#[test]
fn a_machine_whose_nft_is_due_for_seizure_takes_no_new_lease() {
	ExtBuilder::build_and_execute(|| {
		let id = pledged_machine();
		let first = rent(&CUSTOMER, id, 1);
		run_alive_to(id, 5);
		assert_ok!(Market::end_lease(origin(&CUSTOMER), first));
		assert_ok!(Market::open_dispute(origin(&CUSTOMER), first));
		let second = rent(&CUSTOMER2, id, 1);
		let verdict = Verdict { refund: Perbill::zero(), slash: Perbill::one() };
		assert_ok!(Market::resolve_dispute(RuntimeOrigin::root(), first, verdict));
		run_alive_to(id, 20);
		assert_ok!(Market::end_lease(origin(&CUSTOMER2), second));
		// Re-renting to postpone the seizure is refused; anyone completes it.
		assert_ok!(Staking::bond(origin(&PROVIDER), id, 5_000));
		assert_noop!(
			Market::rent_machine(origin(&STRANGER), id, 1, 100, job_spec()),
			MarketError::<Test>::InsufficientCollateral
		);
		assert_ok!(Staking::execute_seizure(origin(&STRANGER), id));
		assert_eq!(nft_owner(id), Some(TREASURY));
	});
}

// ---- 8. Renting has a price limit ----

#[test]
fn a_price_raised_just_before_a_rental_cannot_raise_the_bill() {
	ExtBuilder::build_and_execute(|| {
		let id = machine(&PROVIDER, 1, 100);
		// The provider sees the rental in the pool and front-runs it.
		assert_ok!(Compute::update_price(origin(&PROVIDER), id, 10_000));
		assert_noop!(
			Market::rent_machine(origin(&CUSTOMER), id, 2, 100, job_spec()),
			MarketError::<Test>::PriceAboveLimit
		);
		assert_ok!(Compute::update_price(origin(&PROVIDER), id, 90));
		assert_ok!(Market::rent_machine(origin(&CUSTOMER), id, 2, 100, job_spec()));
		assert_eq!(escrow_held(&CUSTOMER), 180);
	});
}

// ---- 9. Constants that must agree ----

#[test]
fn every_pallet_s_integrity_test_holds() {
	ExtBuilder::build().execute_with(integrity_tests);
}

// ---- 10. Supply changes only by the schedule ----

#[test]
fn dust_of_a_reaped_account_goes_to_the_treasury() {
	ExtBuilder::build_and_execute(|| {
		// STRANGER keeps half an existential deposit: the account is reaped and the dust must
		// stay in the supply, at the treasury.
		let (issuance, treasury) = (Balances::total_issuance(), free(&TREASURY));
		let dust = EXISTENTIAL_DEPOSIT / 2;
		assert_ok!(Balances::transfer_allow_death(origin(&STRANGER), CUSTOMER, ENDOWMENT - dust));
		assert_eq!(free(&STRANGER), 0);
		assert_eq!(free(&TREASURY), treasury + dust);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

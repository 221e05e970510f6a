//! Tests of every market call's success and failure paths and the settlement arithmetic to
//! the planck, on the test runtime of the real pallets: machines are registered, verified,
//! bonded and beating in the real compute and staking pallets, and slashes move real PEC. The
//! cross-pallet attack and property tests are in `powerverse-test-runtime`.

use crate::{mock::*, pallet::*, types::*, Error, Event};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use pallet_compute_staking::Payee;
use pallet_tiers::Tier;
use powerverse_primitives::{
	ComputeInspect, JobId, JobRequirements, LeaseId, MachineState, RetirementGuard, SlashReason,
	Verdict,
};
use sp_runtime::{DispatchError, Perbill};

fn spec() -> JobSpecOf<Test> {
	job_spec()
}

fn model(s: &str) -> powerverse_primitives::ModelName {
	name(s)
}

fn gpus(n: u32) -> JobRequirements {
	JobRequirements { min_gpus: n, ..Default::default() }
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Market(HoldReason::Escrow), &who)
}

fn post(who: AccountId, requirements: JobRequirements, max_price: Balance, hours: u32) -> JobId {
	let job = NextJobId::<Test>::get();
	assert_ok!(Market::post_job(
		RuntimeOrigin::signed(who),
		requirements,
		max_price,
		hours,
		spec()
	));
	job
}

/// Adds machine `id` of `provider` (verified, bonded at its minimum, online) with `gpus` H100s
/// at `price` per hour. Ids are handed out in order.
fn add_machine(id: u64, provider: AccountId, gpus: u32, price: Balance) {
	assert_eq!(machine(&provider, gpus, price), id);
}

fn is_leased(id: u64) -> bool {
	Compute::state(id) == Some(MachineState::Leased)
}

/// Machine 0 (4 × H100 at 100/hour, NFT owned by OWNER) leased by CUSTOMER for `hours`.
fn leased(hours: u32) -> LeaseId {
	add_machine(0, PROVIDER, 4, 100);
	sell(0, &OWNER);
	rent(&CUSTOMER, 0, hours)
}

fn rent_0(who: AccountId, hours: u32) -> sp_runtime::DispatchResult {
	Market::rent_machine(RuntimeOrigin::signed(who), 0, hours, Balance::MAX, spec())
}

/// Minimum collateral of a machine with `gpus` H100s: 100 + its score.
fn minimum(gpus: u32) -> Balance {
	100 + h100_score(gpus)
}

/// Whether staking paid `amount` of a slash of `machine` to `to` as `payee`.
fn slash_paid(machine: u64, payee: Payee, to: AccountId, amount: Balance) -> bool {
	System::events().iter().any(|r| {
		r.event
			== pallet_compute_staking::Event::SlashPaid { machine, payee, to: to.clone(), amount }
				.into()
	})
}

fn free_of(who: AccountId) -> Balance {
	Balances::balance(&who)
}

#[test]
fn post_job_holds_the_whole_budget_and_queues_the_job() {
	ExtBuilder::build_and_execute(|| {
		let job = post(CUSTOMER, gpus(2), 150, 4);
		assert_eq!(held(CUSTOMER), 600);
		assert_eq!(free_of(CUSTOMER), ENDOWMENT - 600 - JOB_POSTING_FEE);
		assert_eq!(OpenJobs::<Test>::get(0).to_vec(), vec![job]);
		assert_eq!(CustomerJobs::<Test>::get(CUSTOMER).to_vec(), vec![job]);
		System::assert_last_event(
			Event::JobPosted { job, customer: CUSTOMER, priority: 0, escrow: 600 }.into(),
		);
	});
}

#[test]
fn post_job_rejects_bad_input_and_changes_nothing() {
	ExtBuilder::build_and_execute(|| {
		let o = || RuntimeOrigin::signed(CUSTOMER);
		assert_noop!(Market::post_job(o(), gpus(1), 10, 0, spec()), Error::<Test>::ZeroHours);
		assert_noop!(Market::post_job(o(), gpus(1), 10, 101, spec()), Error::<Test>::TooManyHours);
		assert_noop!(Market::post_job(o(), gpus(1), 0, 1, spec()), Error::<Test>::ZeroPrice);
		assert_noop!(Market::post_job(o(), gpus(1), 9, 1, spec()), Error::<Test>::BudgetTooSmall);
		assert_noop!(
			Market::post_job(o(), gpus(1), 10, 1, Default::default()),
			Error::<Test>::EmptyJobSpec
		);
		let empty_model = JobRequirements { gpu_model: Some(model("")), ..Default::default() };
		assert_noop!(
			Market::post_job(o(), empty_model, 10, 1, spec()),
			Error::<Test>::EmptyGpuModel
		);
		let bad_region = JobRequirements { region: Some(*b"de"), ..Default::default() };
		assert_noop!(
			Market::post_job(o(), bad_region, 10, 1, spec()),
			Error::<Test>::InvalidRegion
		);
		assert_noop!(
			Market::post_job(o(), gpus(1), u64::MAX, 2, spec()),
			Error::<Test>::BudgetOverflow
		);
		assert_noop!(
			Market::post_job(RuntimeOrigin::signed(POOR), gpus(1), 100, 1, spec()),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Market::post_job(RuntimeOrigin::none(), gpus(1), 10, 1, spec()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn job_queues_and_customer_lists_are_bounded() {
	ExtBuilder::build_and_execute(|| {
		for _ in 0..MAX_JOBS_PER_CUSTOMER {
			post(CUSTOMER, gpus(1), 10, 1);
		}
		assert_noop!(
			Market::post_job(RuntimeOrigin::signed(CUSTOMER), gpus(1), 10, 1, spec()),
			Error::<Test>::TooManyJobsOfCustomer
		);
		post(STRANGER, gpus(1), 10, 1);
		assert_noop!(
			Market::post_job(RuntimeOrigin::signed(OWNER), gpus(1), 10, 1, spec()),
			Error::<Test>::TooManyOpenJobs
		);
		// Another priority level has its own queue.
		join_tier(&OWNER, Tier::Silver);
		let job = post(OWNER, gpus(1), 10, 1);
		assert_eq!(OpenJobs::<Test>::get(2).to_vec(), vec![job]);
	});
}

/// The usual paths are charged their own (benchmarked) weight, the rest of the declared worst
/// case is returned; the worst paths keep the declared weight.
#[test]
fn usual_paths_are_charged_their_own_weight() {
	use crate::weights::WeightInfo;
	use powerverse_primitives::CustomerBenefits;
	type W = ();
	ExtBuilder::build_and_execute(|| {
		let tiers = <Tiers as CustomerBenefits<AccountId>>::weight();
		let post = |who: AccountId| {
			Market::post_job(RuntimeOrigin::signed(who), gpus(1), 10, 1, spec()).unwrap()
		};
		// A queue with room: nothing expires.
		assert_eq!(
			post(CUSTOMER).actual_weight,
			Some(W::post_job_no_expiry().saturating_add(tiers))
		);
		for _ in 1..MAX_JOBS_PER_CUSTOMER {
			post(CUSTOMER);
		}
		post(STRANGER);
		// The full queue's head expired: dropped first, the whole weight charged.
		run_to_block(1 + JOB_LIFETIME);
		assert_eq!(post(OWNER).actual_weight, Some(W::post_job().saturating_add(tiers)));
		assert_eq!(OpenJobs::<Test>::get(0).len() as u32, MAX_JOBS_PER_CUSTOMER + 1);
	});
	ExtBuilder::build_and_execute(|| {
		let id = leased(2);
		run_to_block(4);
		heartbeat(0);
		// A running lease's claim: the light path.
		let post = Market::claim_earnings(RuntimeOrigin::signed(OWNER), id).unwrap();
		assert_eq!(post.actual_weight, Some(W::claim_earnings_running()));
		// After the lease and its challenge window: it settles, the declared weight is charged.
		run_to_block(30 + CHALLENGE);
		heartbeat(0);
		let post = Market::claim_earnings(RuntimeOrigin::signed(OWNER), id).unwrap();
		assert_eq!(post.actual_weight, None);
		assert!(Leases::<Test>::get(id).is_none());
	});
}

#[test]
fn cancel_job_releases_the_escrow() {
	ExtBuilder::build_and_execute(|| {
		let job = post(CUSTOMER, gpus(1), 50, 2);
		assert_noop!(
			Market::cancel_job(RuntimeOrigin::signed(STRANGER), job),
			Error::<Test>::JobNotExpired
		);
		assert_noop!(
			Market::cancel_job(RuntimeOrigin::signed(CUSTOMER), 9),
			Error::<Test>::UnknownJob
		);
		assert_ok!(Market::cancel_job(RuntimeOrigin::signed(CUSTOMER), job));
		assert_eq!((free_of(CUSTOMER), held(CUSTOMER)), (ENDOWMENT - JOB_POSTING_FEE, 0));
		assert!(OpenJobs::<Test>::get(0).is_empty());
		System::assert_last_event(Event::JobCancelled { job, refunded: 100 }.into());
		assert_noop!(
			Market::cancel_job(RuntimeOrigin::signed(CUSTOMER), job),
			Error::<Test>::JobNotOpen
		);
	});
}

#[test]
fn accept_job_starts_a_lease_at_the_posted_price_and_releases_the_difference() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 4, 100);
		let job = post(CUSTOMER, gpus(2), 150, 4);
		assert_ok!(Market::accept_job(RuntimeOrigin::signed(PROVIDER), job, 0));
		// 4 h × (150 − 100) released at once; 400 stays held.
		assert_eq!(held(CUSTOMER), 400);
		assert_eq!(free_of(CUSTOMER), ENDOWMENT - 400 - JOB_POSTING_FEE);
		let l = lease(0);
		assert_eq!(
			(l.machine, l.job, l.price_per_hour, l.start, l.end, l.held, l.status),
			(0, Some(job), 100, 1, 1 + 4 * HOUR, 400, LeaseStatus::Active)
		);
		assert!(is_leased(0));
		assert_eq!(ActiveLease::<Test>::get(0), Some(0));
		assert!(Jobs::<Test>::get(job).is_none() && OpenJobs::<Test>::get(0).is_empty());
		System::assert_has_event(
			Event::JobAccepted { job, machine: 0, lease: 0, released: 200 }.into(),
		);
		// Double acceptance.
		add_machine(1, PROVIDER, 4, 100);
		assert_noop!(
			Market::accept_job(RuntimeOrigin::signed(PROVIDER), job, 1),
			Error::<Test>::JobNotOpen
		);
	});
}

#[test]
fn the_operator_key_may_accept() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 1, 100);
		let job = post(CUSTOMER, gpus(1), 100, 1);
		assert_ok!(Market::accept_job(RuntimeOrigin::signed(OPERATOR), job, 0));
	});
}

#[test]
fn accept_job_refuses_machines_that_cannot_serve_and_changes_nothing() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 4, 100);
		let accept =
			|job, machine| Market::accept_job(RuntimeOrigin::signed(PROVIDER), job, machine);
		let job = post(CUSTOMER, gpus(2), 150, 4);
		assert_noop!(accept(42, 0), Error::<Test>::UnknownJob);
		assert_noop!(accept(job, 7), Error::<Test>::UnknownMachine);
		assert_noop!(
			Market::accept_job(RuntimeOrigin::signed(STRANGER), job, 0),
			Error::<Test>::NotMachineOperator
		);
		let pending = register(&PROVIDER, h100_spec(4), 100);
		assert_noop!(accept(job, pending), Error::<Test>::MachineNotVerified);
		run_to_block(1 + HEARTBEAT_TIMEOUT + 1);
		assert_noop!(accept(job, 0), Error::<Test>::MachineOffline);
		heartbeat(0);
		assert_ok!(Staking::unbond(origin(&PROVIDER), 0, 1));
		assert_noop!(accept(job, 0), Error::<Test>::InsufficientCollateral);
		assert_ok!(Staking::bond(origin(&PROVIDER), 0, 1));
		assert_ok!(Compute::update_price(origin(&PROVIDER), 0, 151));
		assert_noop!(accept(job, 0), Error::<Test>::PriceAboveMaximum);
		assert_ok!(Compute::update_price(origin(&PROVIDER), 0, 100));

		let cases = [
			(gpus(5), Error::<Test>::NotEnoughGpus),
			(
				JobRequirements { gpu_model: Some(model("A100")), ..Default::default() },
				Error::<Test>::NotEnoughGpus,
			),
			(
				JobRequirements { min_gpus: 1, min_vram_gib: 81, ..Default::default() },
				Error::<Test>::NotEnoughGpus,
			),
			(
				JobRequirements { min_cores: 33, ..Default::default() },
				Error::<Test>::NotEnoughCores,
			),
			(
				JobRequirements { min_ram_gib: 512, ..Default::default() },
				Error::<Test>::NotEnoughRam,
			),
			(
				JobRequirements { region: Some(*b"US"), ..Default::default() },
				Error::<Test>::WrongRegion,
			),
		];
		for (requirements, error) in cases {
			let job = post(STRANGER, requirements, 150, 1);
			assert_noop!(accept(job, 0), error);
			assert_ok!(Market::cancel_job(RuntimeOrigin::signed(STRANGER), job));
		}

		assert_ok!(accept(job, 0));
		let other = post(STRANGER, gpus(1), 150, 1);
		assert_noop!(accept(other, 0), Error::<Test>::MachineLeased);
	});
}

#[test]
fn a_machine_never_runs_out_of_lease_slots() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 1, 100);
		for _ in 0..5 {
			let lease = NextLeaseId::<Test>::get();
			assert_ok!(rent_0(CUSTOMER, 1));
			assert_ok!(Market::end_lease(RuntimeOrigin::signed(CUSTOMER), lease));
			assert_ok!(Market::confirm_result(RuntimeOrigin::signed(CUSTOMER), lease));
		}
		// Ended and unsettled ones do not block the next customer either.
		let ended = rent(&STRANGER, 0, 1);
		assert_ok!(Market::end_lease(RuntimeOrigin::signed(STRANGER), ended));
		assert_ok!(rent_0(CUSTOMER2, 1));
		assert_eq!(MachineLeases::<Test>::iter_key_prefix(0).count(), 2);
	});
}

#[test]
fn rent_machine_holds_price_times_hours() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 1, 70);
		assert_ok!(Market::rent_machine(RuntimeOrigin::signed(CUSTOMER), 0, 3, 70, spec()));
		assert_eq!(held(CUSTOMER), 210);
		System::assert_last_event(
			Event::LeaseStarted {
				lease: 0,
				machine: 0,
				customer: CUSTOMER,
				price_per_hour: 70,
				hours: 3,
				end: 1 + 3 * HOUR,
			}
			.into(),
		);
		assert_noop!(rent_0(STRANGER, 1), Error::<Test>::MachineLeased);
	});
}

#[test]
fn rent_machine_rejects_bad_input() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 1, 70);
		let rent = |who, hours, max, spec| {
			Market::rent_machine(RuntimeOrigin::signed(who), 0, hours, max, spec)
		};
		assert_noop!(rent(CUSTOMER, 0, 70, spec()), Error::<Test>::ZeroHours);
		assert_noop!(rent(CUSTOMER, 101, 70, spec()), Error::<Test>::TooManyHours);
		assert_noop!(rent(CUSTOMER, 1, 70, Default::default()), Error::<Test>::EmptyJobSpec);
		assert_noop!(rent(CUSTOMER, 1, 69, spec()), Error::<Test>::PriceAboveLimit);
		assert_noop!(rent(POOR, 2, 70, spec()), Error::<Test>::InsufficientBalance);
		assert_noop!(
			Market::rent_machine(RuntimeOrigin::signed(CUSTOMER), 99, 1, 70, spec()),
			Error::<Test>::UnknownMachine
		);
		assert_noop!(
			Market::rent_machine(RuntimeOrigin::none(), 0, 1, 70, spec()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn earnings_accrue_per_block_and_the_owner_claims_them_minus_the_fee() {
	ExtBuilder::build_and_execute(|| {
		let id = leased(2);
		run_to_block(4);
		heartbeat(0);
		// 3 blocks × 100 / 10 = 30; fee 10% = 3.
		assert_eq!(Market::lease_amounts(id), Some((30, 30)));
		for stranger in [STRANGER, CUSTOMER] {
			assert_noop!(
				Market::claim_earnings(RuntimeOrigin::signed(stranger), id),
				Error::<Test>::NotBeneficiary
			);
		}
		let (owner, treasury) = (free_of(OWNER), free_of(TREASURY));
		assert_ok!(Market::claim_earnings(RuntimeOrigin::signed(OWNER), id));
		assert_eq!(free_of(OWNER), owner + 27);
		assert_eq!(free_of(TREASURY), treasury + 3);
		assert_eq!(held(CUSTOMER), 200 - 30);
		System::assert_last_event(
			Event::EarningsPaid { lease: id, to: OWNER, amount: 27, fee: 3 }.into(),
		);
		assert_noop!(
			Market::claim_earnings(RuntimeOrigin::signed(OWNER), id),
			Error::<Test>::NothingToClaim
		);
		// Odd block counts never lose a planck: 7 blocks later the total is exactly 100. The
		// machine's operator key claims (the provider agent's daemon): the owner is paid.
		run_to_block(11);
		heartbeat(0);
		let (owner, operator) = (free_of(OWNER), free_of(OPERATOR));
		assert_ok!(Market::claim_earnings(RuntimeOrigin::signed(OPERATOR), id));
		assert_eq!(lease(id).paid, 100);
		assert_eq!((free_of(OWNER), free_of(OPERATOR)), (owner + 63, operator));
		System::assert_last_event(
			Event::EarningsPaid { lease: id, to: OWNER, amount: 63, fee: 7 }.into(),
		);
		assert_noop!(
			Market::claim_earnings(RuntimeOrigin::signed(OWNER), 99),
			Error::<Test>::UnknownLease
		);
	});
}

#[test]
fn a_tier_discount_lowers_the_fee() {
	ExtBuilder::build_and_execute(|| {
		join_tier(&CUSTOMER, Tier::Bronze);
		let id = leased(2);
		run_alive_to(0, 11);
		assert_ok!(Market::claim_earnings(RuntimeOrigin::signed(OWNER), id));
		// 100 accrued; fee 10% × (1 − 50%) = 5.
		System::assert_has_event(
			Event::EarningsPaid { lease: id, to: OWNER, amount: 95, fee: 5 }.into(),
		);
	});
}

#[test]
fn an_expired_lease_is_closed_by_anyone_and_paid_out_after_the_challenge_window() {
	ExtBuilder::build_and_execute(|| {
		let id = leased(1);
		assert_noop!(
			Market::close_lease(RuntimeOrigin::signed(STRANGER), id),
			Error::<Test>::LeaseStillRunning
		);
		run_alive_to(0, 15);
		assert_ok!(Market::close_lease(RuntimeOrigin::signed(STRANGER), id));
		let l = lease(id);
		assert_eq!(
			(l.status, l.ended_at, l.end_reason, l.held),
			(LeaseStatus::Ended, Some(11), Some(EndReason::Expired), 100)
		);
		assert!(!is_leased(0));
		assert_eq!(ActiveLease::<Test>::get(0), None);
		assert_noop!(
			Market::close_lease(RuntimeOrigin::signed(STRANGER), id),
			Error::<Test>::ChallengeWindowOpen
		);
		assert_noop!(
			Market::claim_earnings(RuntimeOrigin::signed(OWNER), id),
			Error::<Test>::ChallengeWindowOpen
		);
		run_to_block(11 + CHALLENGE + 1);
		let owner = free_of(OWNER);
		assert_ok!(Market::close_lease(RuntimeOrigin::signed(STRANGER), id));
		assert_eq!(free_of(OWNER), owner + 90);
		assert!(Leases::<Test>::get(id).is_none());
		assert!(
			!MachineLeases::<Test>::contains_key(0, id)
				&& CustomerLeases::<Test>::get(CUSTOMER).is_empty()
		);
		assert_eq!((held(CUSTOMER), free_of(CUSTOMER)), (0, ENDOWMENT - 100));
		System::assert_last_event(Event::LeaseSettled { lease: id }.into());
	});
}

#[test]
fn ending_early_refunds_the_unused_budget() {
	ExtBuilder::build_and_execute(|| {
		let id = leased(3);
		run_alive_to(0, 6);
		assert_noop!(
			Market::end_lease(RuntimeOrigin::signed(OWNER), id),
			Error::<Test>::NotLeaseCustomer
		);
		assert_ok!(Market::end_lease(RuntimeOrigin::signed(CUSTOMER), id));
		// 5 blocks ran: 50 accrued of 300; 250 refunded.
		System::assert_has_event(
			Event::LeaseEnded {
				lease: id,
				reason: EndReason::EndedByCustomer,
				at: 6,
				refunded: 250,
			}
			.into(),
		);
		assert_eq!((held(CUSTOMER), free_of(CUSTOMER)), (50, ENDOWMENT - 50));
		assert_noop!(
			Market::end_lease(RuntimeOrigin::signed(CUSTOMER), id),
			Error::<Test>::LeaseNotActive
		);
		// The machine can be leased again.
		assert_ok!(rent_0(STRANGER, 1));
	});
}

#[test]
fn an_offline_machine_fails_its_lease_refunds_and_is_slashed_renter_first() {
	ExtBuilder::build_and_execute(|| {
		let id = leased(5);
		run_alive_to(0, 5);
		// Silent after block 5: down from 5 + timeout on; more than the grace is a failure.
		run_to_block(5 + HEARTBEAT_TIMEOUT + GRACE);
		assert_noop!(
			Market::close_lease(RuntimeOrigin::signed(STRANGER), id),
			Error::<Test>::LeaseStillRunning
		);
		run_to_block(5 + HEARTBEAT_TIMEOUT + GRACE + 1);
		let (customer, stranger) = (free_of(CUSTOMER), free_of(STRANGER));
		assert_ok!(Market::close_lease(RuntimeOrigin::signed(STRANGER), id));
		// Paid up to the last heartbeat: 4 blocks = 40 of 500.
		System::assert_has_event(
			Event::LeaseEnded {
				lease: id,
				reason: EndReason::ProviderFailed,
				at: 5,
				refunded: 460,
			}
			.into(),
		);
		// 20% of the 4,420 bond: the customer first gets back the 40 they paid, the reporter
		// 10% of the rest, the treasury the remainder.
		let slashed = minimum(4) / 5;
		System::assert_has_event(Event::ProviderSlashed { lease: id, machine: 0, slashed }.into());
		assert!(slash_paid(0, Payee::Harmed, CUSTOMER, 40));
		assert!(slash_paid(0, Payee::Reporter, STRANGER, (slashed - 40) / 10));
		assert_eq!(free_of(CUSTOMER), customer + 460 + 40);
		assert_eq!(free_of(STRANGER), stranger + (slashed - 40) / 10);
		assert_eq!(held(CUSTOMER), 40);
		assert_eq!(lease(id).compensated, 40);
	});
}

#[test]
fn a_customer_ending_a_failed_lease_pays_only_until_the_failure() {
	ExtBuilder::build_and_execute(|| {
		let id = leased(5);
		run_alive_to(0, 3);
		run_to_block(30);
		assert_ok!(Market::end_lease(RuntimeOrigin::signed(CUSTOMER), id));
		assert_eq!(lease(id).end_reason, Some(EndReason::ProviderFailed));
		assert_eq!(held(CUSTOMER), 20);
		// A party to the lease is never paid as reporter.
		assert!(!System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Staking(pallet_compute_staking::Event::SlashPaid {
				payee: Payee::Reporter,
				..
			})
		)));
	});
}

#[test]
fn results_are_confirmed_and_the_lease_pays_out() {
	ExtBuilder::build_and_execute(|| {
		let id = leased(1);
		let result = [7u8; 32];
		assert_noop!(
			Market::submit_result(RuntimeOrigin::signed(STRANGER), id, result),
			Error::<Test>::NotLeaseProvider
		);
		assert_ok!(Market::submit_result(RuntimeOrigin::signed(OPERATOR), id, result));
		System::assert_last_event(Event::ResultSubmitted { lease: id, result }.into());
		assert_noop!(
			Market::submit_result(RuntimeOrigin::signed(PROVIDER), id, result),
			Error::<Test>::ResultAlreadySubmitted
		);
		assert_noop!(
			Market::confirm_result(RuntimeOrigin::signed(CUSTOMER), id),
			Error::<Test>::LeaseNotEnded
		);
		run_alive_to(0, 11);
		assert_noop!(
			Market::confirm_result(RuntimeOrigin::signed(OWNER), id),
			Error::<Test>::NotLeaseCustomer
		);
		let owner = free_of(OWNER);
		assert_ok!(Market::confirm_result(RuntimeOrigin::signed(CUSTOMER), id));
		assert_eq!(free_of(OWNER), owner + 90);
		assert!(Leases::<Test>::get(id).is_none());
		System::assert_has_event(Event::LeaseFinalized { lease: id }.into());
	});
}

#[test]
fn a_late_result_gives_the_customer_a_full_window_and_a_missed_window_refuses_it() {
	ExtBuilder::build_and_execute(|| {
		let id = leased(1);
		run_alive_to(0, 12);
		assert_ok!(Market::close_lease(RuntimeOrigin::signed(STRANGER), id));
		run_to_block(11 + CHALLENGE);
		assert_ok!(Market::submit_result(RuntimeOrigin::signed(PROVIDER), id, [1; 32]));
		assert_eq!(lease(id).challenge_deadline, Some(11 + 2 * CHALLENGE));
		run_to_block(11 + 2 * CHALLENGE);
		assert_ok!(Market::open_dispute(RuntimeOrigin::signed(CUSTOMER), id));

		let other = NextLeaseId::<Test>::get();
		heartbeat(0);
		assert_ok!(rent_0(STRANGER, 1));
		let start = System::block_number();
		run_alive_to(0, start + HOUR + CHALLENGE + 1);
		assert_noop!(
			Market::submit_result(RuntimeOrigin::signed(PROVIDER), other, [1; 32]),
			Error::<Test>::ChallengeWindowClosed
		);
	});
}

#[test]
fn a_dispute_keeps_the_payment_held_until_the_verdict() {
	ExtBuilder::build_and_execute(|| {
		let id = leased(2);
		run_to_block(6);
		heartbeat(0);
		assert_ok!(Market::claim_earnings(RuntimeOrigin::signed(OWNER), id)); // 50 paid
		run_alive_to(0, 21);
		assert_noop!(
			Market::open_dispute(RuntimeOrigin::signed(STRANGER), id),
			Error::<Test>::NotLeaseCustomer
		);
		assert_ok!(Market::open_dispute(RuntimeOrigin::signed(CUSTOMER), id));
		assert_eq!(disputes(), vec![id]);
		System::assert_last_event(
			Event::DisputeOpened {
				lease: id,
				held: 150,
				deposit: DISPUTE_DEPOSIT,
				deadline: 21 + DISPUTE_PERIOD,
			}
			.into(),
		);
		assert_noop!(
			Market::open_dispute(RuntimeOrigin::signed(CUSTOMER), id),
			Error::<Test>::LeaseDisputed
		);
		run_to_block(21 + DISPUTE_PERIOD);
		assert_noop!(
			Market::claim_earnings(RuntimeOrigin::signed(OWNER), id),
			Error::<Test>::LeaseDisputed
		);
		assert_noop!(
			Market::close_lease(RuntimeOrigin::signed(STRANGER), id),
			Error::<Test>::DisputePending
		);
		let verdict =
			Verdict { refund: Perbill::from_percent(50), slash: Perbill::from_percent(10) };
		assert_noop!(
			Market::resolve_dispute(RuntimeOrigin::signed(CUSTOMER), id, verdict.clone()),
			DispatchError::BadOrigin
		);
		let (customer, owner) = (free_of(CUSTOMER), free_of(OWNER));
		assert_ok!(Market::resolve_dispute(RuntimeOrigin::root(), id, verdict.clone()));
		// Held 150: 75 back to the customer, 75 to the owner less 10% fee. The customer deserved
		// half of 200; the other 25 is claimed from the collateral, customer first.
		// The upheld dispute's deposit comes back too.
		assert_eq!(free_of(CUSTOMER), customer + 75 + 25 + DISPUTE_DEPOSIT);
		assert_eq!(free_of(OWNER), owner + 68);
		assert!(slash_paid(0, Payee::Harmed, CUSTOMER, 25));
		let slashed = minimum(4) / 10;
		System::assert_has_event(
			pallet_compute_staking::Event::Slashed {
				machine: 0,
				reason: SlashReason::LostDispute,
				fraction: Perbill::from_percent(10),
				amount: slashed,
			}
			.into(),
		);
		System::assert_has_event(
			Event::DisputeResolved {
				lease: id,
				verdict,
				refunded: 75,
				slashed,
				deposit_returned: true,
				by_default: false,
			}
			.into(),
		);
		assert!(Leases::<Test>::get(id).is_none());
	});
}

#[test]
fn disputing_a_running_lease_ends_it_and_late_disputes_are_refused() {
	ExtBuilder::build_and_execute(|| {
		let id = leased(2);
		run_alive_to(0, 4);
		assert_ok!(Market::open_dispute(RuntimeOrigin::signed(CUSTOMER), id));
		let l = lease(id);
		assert_eq!((l.status, l.ended_at, l.held), (LeaseStatus::Disputed, Some(4), 30));
		assert_eq!(held(CUSTOMER), 30);
		assert_noop!(
			Market::resolve_dispute(
				RuntimeOrigin::root(),
				99,
				Verdict { refund: Perbill::zero(), slash: Perbill::zero() }
			),
			Error::<Test>::UnknownLease
		);

		let other = NextLeaseId::<Test>::get();
		assert_ok!(rent_0(STRANGER, 1));
		assert_noop!(
			Market::resolve_dispute(
				RuntimeOrigin::root(),
				other,
				Verdict { refund: Perbill::zero(), slash: Perbill::zero() }
			),
			Error::<Test>::LeaseNotDisputed
		);
		run_alive_to(0, 4 + HOUR + CHALLENGE + 1);
		assert_noop!(
			Market::open_dispute(RuntimeOrigin::signed(STRANGER), other),
			Error::<Test>::ChallengeWindowClosed
		);
	});
}

#[test]
fn open_jobs_are_served_highest_priority_first() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 2, 100);
		let base = post(CUSTOMER, gpus(1), 100, 1);
		let too_big = post(CUSTOMER, gpus(4), 500, 1);
		let too_cheap = post(CUSTOMER, gpus(1), 99, 1);
		join_tier(&STRANGER, Tier::Gold);
		let gold = post(STRANGER, gpus(2), 100, 1);
		join_tier(&OWNER, Tier::Gold); // priority 9, capped to MaxPriorityLevel
		let capped = post(OWNER, gpus(1), 200, 1);
		assert_eq!(Jobs::<Test>::get(capped).unwrap().priority, 3);
		let page = |cursor, limit, budget| {
			let (jobs, next) = Market::open_jobs_page(0, cursor, limit, budget);
			(jobs.into_iter().map(|(id, _)| id).collect::<Vec<_>>(), next)
		};
		assert_eq!(page(None, 10, 100), (vec![gold, capped, base], None));
		// One at a time: each page resumes after the last job it looked at.
		let (first, next) = page(None, 1, 100);
		assert_eq!(first, vec![gold]);
		let (second, next) = page(next, 1, 100);
		assert_eq!(second, vec![capped]);
		let (third, next) = page(next, 1, 100);
		assert_eq!(third, vec![base]);
		assert_eq!(page(next, 1, 100), (vec![], None));
		assert!(!page(None, 10, 100).0.contains(&too_big));
		assert!(!page(None, 10, 100).0.contains(&too_cheap));
		let (jobs, next) = Market::open_jobs_page(42, None, 10, 100);
		assert!(jobs.is_empty() && next.is_none());
	});
}

/// A page looks at a bounded number of queued jobs: a queue full of jobs the machine cannot
/// serve costs each page its budget, not the whole queue, and the cursor walks on from there
/// to the jobs behind them, which no page skips or repeats.
#[test]
fn open_job_pages_are_bounded_by_their_budget_not_the_queue() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 2, 100);
		let junk: Vec<JobId> = (0..3).map(|_| post(STRANGER, gpus(8), 500, 1)).collect();
		let fits = post(CUSTOMER, gpus(1), 100, 1);
		let (jobs, next) = Market::open_jobs_page(0, None, 10, 2);
		assert!(jobs.is_empty());
		assert_eq!(next, Some(JobCursor { level: 0, after: junk[1] }));
		let mut cursor = next;
		let mut found = Vec::new();
		let mut pages = 1;
		while let Some(at) = cursor {
			let (jobs, next) = Market::open_jobs_page(0, Some(at), 10, 2);
			found.extend(jobs.into_iter().map(|(id, _)| id));
			cursor = next;
			pages += 1;
			assert!(pages < 10, "the cursor always moves on");
		}
		assert_eq!((found, pages), (vec![fits], 2));
		// A job taken between pages does not derail the cursor.
		let (_, next) = Market::open_jobs_page(0, None, 10, 2);
		assert_ok!(Market::cancel_job(RuntimeOrigin::signed(STRANGER), junk[1]));
		assert_eq!(
			Market::open_jobs_page(0, next, 10, 100)
				.0
				.into_iter()
				.map(|(id, _)| id)
				.collect::<Vec<_>>(),
			vec![fits]
		);
	});
}

#[test]
fn quotes_list_the_cheapest_machines_that_could_start_now() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 4, 300);
		add_machine(1, PROVIDER, 4, 100);
		add_machine(2, PROVIDER, 1, 50);
		add_machine(3, PROVIDER2, 8, 10);
		for m in 0..3 {
			assert_ok!(Market::list_machine(RuntimeOrigin::signed(PROVIDER), m));
		}
		assert_noop!(
			Market::list_machine(RuntimeOrigin::signed(PROVIDER2), 3),
			Error::<Test>::TooManyOffers
		);
		let quote = |r: &JobRequirements, limit| Market::quote_page(r, None, limit, 100).0;
		assert_eq!(quote(&gpus(2), 10), vec![(1, 100), (0, 300)]);
		assert_eq!(quote(&gpus(1), 2), vec![(2, 50), (1, 100)]);
		rent(&CUSTOMER, 1, 1);
		assert_eq!(quote(&gpus(2), 10), vec![(0, 300)]);
		run_to_block(1 + HEARTBEAT_TIMEOUT + 1);
		heartbeat(2);
		assert_eq!(quote(&gpus(1), 10), vec![(2, 50)]);
	});
}

fn index() -> Vec<(PriceUnit, u128, u64)> {
	OffersByPrice::<Test>::iter_keys().map(|(unit, k)| (unit, k.price(), k.machine())).collect()
}

/// The offer index follows every way a listed machine's price changes: a provider who lists
/// cheap and then raises the price in the compute pallet is quoted at the new price and in its
/// new place (the attack: a stale index quoting the old, lower price).
#[test]
fn the_offer_index_follows_price_changes_and_quotes_cheapest_first() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 1, 300);
		add_machine(1, PROVIDER, 1, 100);
		add_machine(2, PROVIDER2, 1, 200);
		for (who, m) in [(PROVIDER, 0), (PROVIDER, 1), (PROVIDER2, 2)] {
			assert_ok!(Market::list_machine(RuntimeOrigin::signed(who), m));
		}
		let quote = |cursor, limit, budget| Market::quote_page(&gpus(1), cursor, limit, budget);
		assert_eq!(quote(None, 10, 100).0, vec![(1, 100), (2, 200), (0, 300)]);
		assert_ok!(Compute::update_price(RuntimeOrigin::signed(PROVIDER), 1, 1_000));
		assert_eq!(quote(None, 10, 100).0, vec![(2, 200), (0, 300), (1, 1_000)]);
		assert_eq!(
			index(),
			vec![(PriceUnit::Pec, 200, 2), (PriceUnit::Pec, 300, 0), (PriceUnit::Pec, 1_000, 1)]
		);
		// A stable price moves the machine to the stable index; quotes merge both by PEC now.
		set_stable_price(Ok((3, 1)));
		assert_ok!(Market::set_stable_price(RuntimeOrigin::signed(PROVIDER), 0, Some(80)));
		assert_eq!(quote(None, 10, 100).0, vec![(2, 200), (0, 240), (1, 1_000)]);
		set_stable_price(Ok((2, 1)));
		assert_eq!(quote(None, 10, 100).0, vec![(0, 160), (2, 200), (1, 1_000)]);
		// Pages chain without repeats; a small budget gives short pages that still go on.
		let (first, next) = quote(None, 1, 100);
		assert_eq!(first, vec![(0, 160)]);
		let (rest, end) = quote(next, 10, 100);
		assert_eq!((rest, end), (vec![(2, 200), (1, 1_000)], None));
		rent(&CUSTOMER, 0, 1);
		let (short, next) = quote(None, 10, 1);
		assert_eq!((short, next.is_some()), (vec![], true));
		assert_eq!(quote(next, 10, 100).0, vec![(2, 200), (1, 1_000)]);
		// While the oracle has no price, stable offers wait and PEC ones are still quoted.
		set_stable_price(Err(powerverse_primitives::PriceUnavailable::Stale));
		assert_ok!(Market::set_stable_price(RuntimeOrigin::signed(PROVIDER), 1, Some(10)));
		assert_eq!(quote(None, 10, 100).0, vec![(2, 200)]);
		// Back to PEC and delisted: both indexes hold only what is listed.
		assert_ok!(Market::set_stable_price(RuntimeOrigin::signed(PROVIDER), 1, None));
		assert_ok!(Market::delist_machine(RuntimeOrigin::signed(PROVIDER2), 2));
		assert_eq!(index(), vec![(PriceUnit::Pec, 1_000, 1), (PriceUnit::Stable, 80, 0)]);
		// Price updates of unlisted machines touch no index.
		assert_ok!(Compute::update_price(RuntimeOrigin::signed(PROVIDER2), 2, 5));
		assert_eq!(index().len(), 2);
	});
}

/// A listing left in the version-1 layout (a migration that did not run) is found by try_state,
/// although iterating the listings skips it.
#[test]
fn try_state_finds_a_listing_that_does_not_decode() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 1, 300);
		assert_ok!(Market::list_machine(RuntimeOrigin::signed(PROVIDER), 0));
		assert_ok!(Market::do_try_state());
		let key = Offers::<Test>::hashed_key_for(0u64);
		let offer = frame_support::storage::unhashed::get_raw(&key).expect("listed");
		frame_support::storage::unhashed::put(&key, &());
		assert_eq!(Offers::<Test>::iter().count(), 0, "iter skips it");
		assert_eq!(
			Market::do_try_state(),
			Err("a listing does not decode as an Offer (a missed migration?)".into())
		);
		frame_support::storage::unhashed::put_raw(&key, &offer);
		assert_ok!(Market::do_try_state());
	});
}

/// The version-2 migration indexes the listings a version-1 chain holds, drops the listing of
/// a machine that no longer exists, and runs once.
#[test]
fn migration_to_v2_builds_the_offer_index() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 1, 300);
		add_machine(1, PROVIDER, 1, 100);
		assert_ok!(Market::set_stable_price(RuntimeOrigin::signed(PROVIDER), 1, Some(7)));
		// A version-1 chain: listings hold `()`, no index.
		for m in [0u64, 1, 99] {
			frame_support::storage::unhashed::put(&Offers::<Test>::hashed_key_for(m), &());
		}
		frame_support::storage::unhashed::put(&Offers::<Test>::counter_storage_final_key(), &3u32);
		StorageVersion::new(1).put::<Market>();
		// With try-runtime: the migration's own pre/post checks around it, as try-runtime's
		// `on-runtime-upgrade` runs them (`cargo test -p pallet-market --features try-runtime`).
		#[cfg(feature = "try-runtime")]
		crate::migrations::v2::MigrateToV2::<Test>::try_on_runtime_upgrade(true)
			.expect("pre- and post-upgrade checks pass");
		#[cfg(not(feature = "try-runtime"))]
		crate::migrations::v2::MigrateToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Market::on_chain_storage_version(), 2);
		assert_eq!(Offers::<Test>::count(), 2);
		assert!(!Offers::<Test>::contains_key(99));
		assert_eq!(index(), vec![(PriceUnit::Pec, 300, 0), (PriceUnit::Stable, 7, 1)]);
		// Run again: the version guard makes it a no-op.
		assert_ok!(Market::delist_machine(RuntimeOrigin::signed(PROVIDER), 0));
		crate::migrations::v2::MigrateToV2::<Test>::on_runtime_upgrade();
		assert_eq!(index(), vec![(PriceUnit::Stable, 7, 1)]);
	});
}

#[test]
fn listing_and_delisting_check_who_asks() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 1, 100);
		let pending = register(&PROVIDER, h100_spec(1), 100);
		assert_eq!(pending, 1);
		assert_noop!(
			Market::list_machine(RuntimeOrigin::signed(STRANGER), 0),
			Error::<Test>::NotMachineOperator
		);
		assert_noop!(
			Market::list_machine(RuntimeOrigin::signed(PROVIDER), 1),
			Error::<Test>::MachineNotVerified
		);
		assert_noop!(
			Market::list_machine(RuntimeOrigin::signed(PROVIDER), 9),
			Error::<Test>::UnknownMachine
		);
		assert_ok!(Market::list_machine(RuntimeOrigin::signed(OPERATOR), 0));
		System::assert_last_event(Event::MachineListed { machine: 0 }.into());
		assert_noop!(
			Market::list_machine(RuntimeOrigin::signed(PROVIDER), 0),
			Error::<Test>::AlreadyListed
		);
		assert_eq!(
			<Market as RetirementGuard>::ensure_can_retire(0),
			Err(Error::<Test>::MachineListedForRent.into())
		);
		assert_noop!(
			Market::delist_machine(RuntimeOrigin::signed(STRANGER), 0),
			Error::<Test>::NotMachineOperator
		);
		assert_noop!(
			Market::delist_machine(RuntimeOrigin::signed(PROVIDER), 1),
			Error::<Test>::NotListed
		);
		assert_noop!(
			Market::delist_machine(RuntimeOrigin::signed(PROVIDER), 9),
			Error::<Test>::NotListed
		);
		assert_ok!(Market::delist_machine(RuntimeOrigin::signed(OPERATOR), 0));
		System::assert_last_event(Event::MachineDelisted { machine: 0 }.into());
		assert_ok!(<Market as RetirementGuard>::ensure_can_retire(0));
	});
}

#[test]
fn a_machine_with_unsettled_leases_cannot_retire() {
	ExtBuilder::build_and_execute(|| {
		let id = leased(1);
		assert_eq!(
			<Market as RetirementGuard>::ensure_can_retire(0),
			Err(Error::<Test>::MachineHasLeases.into())
		);
		run_alive_to(0, 11);
		assert_ok!(Market::end_lease(RuntimeOrigin::signed(CUSTOMER), id));
		assert!(<Market as RetirementGuard>::ensure_can_retire(0).is_err());
		assert_ok!(Market::confirm_result(RuntimeOrigin::signed(CUSTOMER), id));
		assert_ok!(<Market as RetirementGuard>::ensure_can_retire(0));
	});
}

#[test]
fn set_params_is_governance_only_and_capped() {
	ExtBuilder::build_and_execute(|| {
		let mut p = market_params();
		p.protocol_fee = Perbill::from_percent(51);
		assert_noop!(Market::set_params(RuntimeOrigin::root(), p), Error::<Test>::FeeTooHigh);
		p.protocol_fee = Perbill::from_percent(5);
		assert_noop!(
			Market::set_params(RuntimeOrigin::signed(CUSTOMER), p),
			DispatchError::BadOrigin
		);
		assert_ok!(Market::set_params(RuntimeOrigin::root(), p));
		assert_eq!(Params::<Test>::get(), p);
		System::assert_last_event(Event::ParamsSet { params: p }.into());
	});
}

#[test]
fn lease_amounts_predict_what_a_claim_pays() {
	ExtBuilder::build_and_execute(|| {
		let id = leased(1);
		run_to_block(7);
		heartbeat(0);
		run_to_block(8);
		// A running lease pays up to the machine's last heartbeat: 60 of the 70 accrued.
		assert_eq!(Market::lease_amounts(id), Some((70, 60)));
		run_to_block(9);
		heartbeat(0);
		assert_eq!(Market::lease_amounts(id), Some((80, 80)));
		// Expired but untouched: accrued stops at the end; claimable only after the window.
		run_alive_to(0, 20);
		assert_eq!(Market::lease_amounts(id), Some((100, 0)));
		run_to_block(11 + CHALLENGE + 1);
		assert_eq!(Market::lease_amounts(id), Some((100, 100)));
		assert_ok!(Market::claim_earnings(RuntimeOrigin::signed(OWNER), id));
		assert_eq!(Market::lease_amounts(id), None);
	});
}

#[test]
fn the_holder_of_a_bought_machine_may_list_and_delist_it() {
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 1, 100);
		sell(0, &OWNER);
		// The provider sold it and lost interest; the holder, who earns its leases, lists it.
		assert_ok!(Market::list_machine(RuntimeOrigin::signed(OWNER), 0));
		assert_noop!(
			Market::delist_machine(RuntimeOrigin::signed(STRANGER), 0),
			Error::<Test>::NotMachineOperator
		);
		assert_ok!(Market::delist_machine(RuntimeOrigin::signed(OWNER), 0));
		System::assert_last_event(Event::MachineDelisted { machine: 0 }.into());
	});
}

#[test]
fn earnings_an_empty_account_cannot_take_are_kept_until_it_claims_them() {
	ExtBuilder::build_and_execute(|| {
		// The NFT's holder holds no PEC at all; the machine earns 5 an hour.
		add_machine(0, PROVIDER, 4, 5);
		sell(0, &PAUPER);
		let id = rent(&CUSTOMER, 0, 2);
		run_to_block(11);
		heartbeat(0);
		// 5 earned in the first hour, less the 10% fee: below the existential deposit of 10,
		// which a transfer to an empty account cannot be. Claiming neither fails nor loses it.
		let fee = Perbill::from_percent(10) * 5;
		let owed = 5 - fee;
		let post = Market::claim_earnings(RuntimeOrigin::signed(PAUPER), id).unwrap();
		// Kept for the holder: the heavier path, charged its whole declared weight.
		assert_eq!(post.actual_weight, None);
		assert_eq!(crate::Unclaimed::<Test>::get(&PAUPER), Some(owed));
		System::assert_has_event(
			Event::EarningsDeferred { lease: id, to: PAUPER, amount: owed }.into(),
		);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Unclaimed.into(), &TREASURY), owed);
		assert_eq!(Balances::balance(&PAUPER), 0);
		// Still empty: claiming again is refused and changes nothing.
		assert_noop!(
			Market::claim_unclaimed(RuntimeOrigin::signed(PAUPER)),
			Error::<Test>::BelowExistentialDeposit
		);
		assert_noop!(
			Market::claim_unclaimed(RuntimeOrigin::signed(STRANGER)),
			Error::<Test>::NothingUnclaimed
		);
		// Once the account exists it takes what was kept.
		assert_ok!(Balances::transfer_keep_alive(RuntimeOrigin::signed(STRANGER), PAUPER, 100));
		assert_ok!(Market::claim_unclaimed(RuntimeOrigin::signed(PAUPER)));
		assert_eq!(Balances::balance(&PAUPER), 100 + owed);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Unclaimed.into(), &TREASURY), 0);
		assert!(crate::Unclaimed::<Test>::get(&PAUPER).is_none());
		assert_ok!(Market::do_try_state());
	});
}

#[test]
fn a_stable_priced_machine_is_rented_at_the_oracle_price_and_the_lease_stays_in_pec() {
	use powerverse_primitives::PriceUnavailable;
	ExtBuilder::build_and_execute(|| {
		add_machine(0, PROVIDER, 4, 100);
		assert_noop!(
			Market::set_stable_price(RuntimeOrigin::signed(STRANGER), 0, Some(50)),
			Error::<Test>::NotMachineOperator
		);
		assert_noop!(
			Market::set_stable_price(RuntimeOrigin::signed(PROVIDER), 0, Some(0)),
			Error::<Test>::ZeroPrice
		);
		// 50 stable units an hour.
		assert_ok!(Market::set_stable_price(RuntimeOrigin::signed(PROVIDER), 0, Some(50)));
		System::assert_last_event(Event::StablePriceSet { machine: 0, per_hour: Some(50) }.into());
		// No oracle price, a stale one, one that rounds to zero: refused, nothing held.
		assert_noop!(rent_0(CUSTOMER, 2), Error::<Test>::NoStablePrice);
		set_stable_price(Err(PriceUnavailable::Stale));
		assert_noop!(rent_0(CUSTOMER, 2), Error::<Test>::StablePriceStale);
		set_stable_price(Ok((0, 1)));
		assert_noop!(rent_0(CUSTOMER, 2), Error::<Test>::ZeroPrice);
		// 3 PEC per stable unit: 150 PEC an hour; the customer's limit is in PEC.
		set_stable_price(Ok((3, 1)));
		// Job matching prices the machine the same way: a job paying 149 does not match.
		assert_eq!(Market::price_now(0), Ok((150, Some(50))));
		let cheap = post(STRANGER, gpus(1), 149, 1);
		let fair = post(STRANGER, gpus(1), 150, 1);
		let matched: Vec<_> =
			Market::open_jobs_page(0, None, 10, 100).0.into_iter().map(|(id, _)| id).collect();
		assert_eq!(matched, vec![fair]);
		assert!(!matched.contains(&cheap));
		assert_noop!(
			Market::rent_machine(RuntimeOrigin::signed(CUSTOMER), 0, 2, 149, spec()),
			Error::<Test>::PriceAboveLimit
		);
		let before = free_of(CUSTOMER);
		assert_ok!(rent_0(CUSTOMER, 2));
		System::assert_has_event(
			Event::StablePriceConverted { machine: 0, stable: 50, pec: 150 }.into(),
		);
		let id = NextLeaseId::<Test>::get() - 1;
		assert_eq!((lease(id).price_per_hour, lease(id).held), (150, 300));
		assert_eq!(free_of(CUSTOMER), before - 300);
		// The price moves; the lease does not.
		set_stable_price(Ok((1, 1)));
		assert_eq!(lease(id).price_per_hour, 150);
		// Back to the PEC price.
		assert_ok!(Market::set_stable_price(RuntimeOrigin::signed(PROVIDER), 0, None));
		assert!(!StablePrices::<Test>::contains_key(0));
	});
}

//! Tests of every supervisor call's success and failure paths and of the juries' effects on the
//! real compute, staking and market pallets (the test runtime of the real pallets).

use crate::{mock::*, pallet::*, types::*, Error, Event};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use powerverse_primitives::{ComputeInspect, JudgementGuard, MachineState};
use sp_runtime::traits::BadOrigin;

/// Every pallet's invariants.
fn check_invariants_now() {
	pallet_compute::Pallet::<Test>::do_try_state().unwrap();
	pallet_compute_staking::Pallet::<Test>::do_try_state().unwrap();
	pallet_market::Pallet::<Test>::do_try_state().unwrap();
	Supervisors::do_try_state().unwrap();
}

fn contribution_held(who: &AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::Contribution.into(), who)
}

fn statement() -> Statement<Test> {
	b"ten years of GPU ops".to_vec().try_into().unwrap()
}

/// The five `SUPERVISORS` apply with `MIN_CONTRIBUTION` and governance admits them.
fn found() {
	for s in SUPERVISORS.iter() {
		assert_ok!(Supervisors::apply(origin(s), MIN_CONTRIBUTION, statement()));
		assert_ok!(Supervisors::admit(RuntimeOrigin::root(), s.clone()));
	}
	assert_eq!(Pool::<Test>::get().len(), 5);
}

fn salt(who: &AccountId) -> [u8; 32] {
	sp_io::hashing::blake2_256(&codec::Encode::encode(who))
}

fn commit(case: CaseId, who: &AccountId, vote: Vote) {
	let round = Cases::<Test>::get(case).unwrap().round;
	let c = Supervisors::commitment(case, round, who, vote, &salt(who));
	assert_ok!(Supervisors::commit_verdict(origin(who), case, c));
}

fn reveal(case: CaseId, who: &AccountId, vote: Vote) {
	assert_ok!(Supervisors::reveal_verdict(origin(who), case, vote, salt(who)));
}

fn jurors(case: CaseId) -> Vec<AccountId> {
	Supervisors::jurors_of(case)
}

/// Moves two blocks on (randomness newer than the case) and draws the jury.
fn draw(case: CaseId) -> Vec<AccountId> {
	run_to_block(System::block_number() + 2);
	assert_ok!(Supervisors::advance(origin(&STRANGER), case));
	jurors(case)
}

/// Every juror of `case` commits and reveals `votes` (in seat order), and the case is decided.
fn judge(case: CaseId, votes: &[Vote]) -> Vec<AccountId> {
	let seated = draw(case);
	for (who, vote) in seated.iter().zip(votes) {
		commit(case, who, *vote);
	}
	// Not everyone committed: the commit period must run out first.
	if votes.len() < seated.len() {
		run_to_block(System::block_number() + COMMIT_PERIOD + 1);
	}
	assert_ok!(Supervisors::advance(origin(&STRANGER), case));
	for (who, vote) in seated.iter().zip(votes) {
		reveal(case, who, *vote);
	}
	if votes.len() < seated.len() {
		run_to_block(System::block_number() + REVEAL_PERIOD + 1);
	}
	assert_ok!(Supervisors::advance(origin(&STRANGER), case));
	seated
}

#[test]
fn applying_holds_the_contribution_and_refuses_bad_input() {
	ExtBuilder::build_and_execute(|| {
		let who = &SUPERVISORS[0];
		assert_noop!(
			Supervisors::apply(origin(who), MIN_CONTRIBUTION - 1, statement()),
			Error::<Test>::ContributionTooLow
		);
		assert_noop!(
			Supervisors::apply(origin(&PAUPER), MIN_CONTRIBUTION, statement()),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Supervisors::apply(origin(who), MIN_CONTRIBUTION, statement()));
		assert_eq!(contribution_held(who), MIN_CONTRIBUTION);
		System::assert_last_event(
			Event::Applied { who: who.clone(), contribution: MIN_CONTRIBUTION }.into(),
		);
		assert_noop!(
			Supervisors::apply(origin(who), MIN_CONTRIBUTION, statement()),
			Error::<Test>::AlreadyApplied
		);
		assert_ok!(Supervisors::withdraw_application(origin(who)));
		assert_eq!(contribution_held(who), 0);
		assert_noop!(Supervisors::withdraw_application(origin(who)), Error::<Test>::NoApplication);
		found();
		assert_noop!(
			Supervisors::apply(origin(who), MIN_CONTRIBUTION, statement()),
			Error::<Test>::AlreadySupervisor
		);
	});
}

#[test]
fn supervisors_admit_and_reject_by_majority_and_governance_admits_and_removes() {
	ExtBuilder::build_and_execute(|| {
		// Founding: only governance can admit while there are no supervisors.
		for s in &SUPERVISORS[..3] {
			assert_ok!(Supervisors::apply(origin(s), MIN_CONTRIBUTION, statement()));
			assert_noop!(Supervisors::admit(origin(&STRANGER), s.clone()), BadOrigin);
			assert_ok!(Supervisors::admit(RuntimeOrigin::root(), s.clone()));
		}
		let (a, b, c) = (&SUPERVISORS[0], &SUPERVISORS[1], &SUPERVISORS[2]);
		let candidate = &SUPERVISORS[3];
		assert_ok!(Supervisors::apply(origin(candidate), MIN_CONTRIBUTION, statement()));
		assert_noop!(
			Supervisors::vote_admission(origin(&STRANGER), candidate.clone(), true),
			Error::<Test>::NotSupervisor
		);
		assert_ok!(Supervisors::vote_admission(origin(a), candidate.clone(), true));
		assert_noop!(
			Supervisors::vote_admission(origin(a), candidate.clone(), true),
			Error::<Test>::AlreadyVoted
		);
		// One of three is not a majority; two are.
		assert!(!Supervisors::is_supervisor(candidate));
		assert_ok!(Supervisors::vote_admission(origin(b), candidate.clone(), true));
		assert!(Supervisors::is_supervisor(candidate));
		System::assert_last_event(Event::Admitted { who: candidate.clone() }.into());
		// Rejection: two of four against.
		let rejected = &SUPERVISORS[4];
		assert_ok!(Supervisors::apply(origin(rejected), MIN_CONTRIBUTION, statement()));
		assert_ok!(Supervisors::vote_admission(origin(a), rejected.clone(), false));
		assert_ok!(Supervisors::vote_admission(origin(c), rejected.clone(), false));
		System::assert_last_event(Event::Rejected { who: rejected.clone() }.into());
		assert_eq!(contribution_held(rejected), 0);
		assert!(AdmissionVotes::<Test>::iter_prefix(rejected).next().is_none());
		// Governance removal takes a supervisor out of the draw at once.
		assert_noop!(Supervisors::remove(origin(&STRANGER), a.clone()), BadOrigin);
		assert_ok!(Supervisors::remove(RuntimeOrigin::root(), a.clone()));
		assert!(!Pool::<Test>::get().contains(a));
		assert_noop!(Supervisors::resign(origin(a)), Error::<Test>::AlreadyLeaving);
		assert_ok!(Supervisors::do_try_state());
	});
}

#[test]
fn supervisors_remove_one_of_them_by_majority() {
	ExtBuilder::build_and_execute(|| {
		found();
		let [a, b, c, d, e] = SUPERVISORS;
		assert_noop!(
			Supervisors::vote_removal(origin(&STRANGER), a.clone(), true),
			Error::<Test>::NotSupervisor
		);
		assert_noop!(
			Supervisors::vote_removal(origin(&a), a.clone(), true),
			Error::<Test>::OwnRemoval
		);
		// Two of five against ends nothing; three against would end the motion.
		assert_ok!(Supervisors::vote_removal(origin(&b), a.clone(), false));
		assert_noop!(
			Supervisors::vote_removal(origin(&b), a.clone(), true),
			Error::<Test>::AlreadyVoted
		);
		assert_ok!(Supervisors::vote_removal(origin(&c), a.clone(), true));
		assert_ok!(Supervisors::vote_removal(origin(&d), a.clone(), true));
		assert!(Supervisors::is_supervisor(&a));
		// Three of five for: removed.
		assert_ok!(Supervisors::vote_removal(origin(&e), a.clone(), true));
		assert!(!Supervisors::is_supervisor(&a));
		System::assert_last_event(
			Event::Leaving { who: a.clone(), release_at: 1 + RESIGN_DELAY, removed: true }.into(),
		);
		assert!(Removals::<Test>::get(&a).is_none());
		assert!(RemovalVotes::<Test>::iter_prefix(&a).next().is_none());
		// Of the four left, two against ends a motion.
		assert_ok!(Supervisors::vote_removal(origin(&c), b.clone(), false));
		assert_ok!(Supervisors::vote_removal(origin(&d), b.clone(), false));
		System::assert_last_event(Event::RemovalRejected { target: b.clone() }.into());
		assert!(Supervisors::is_supervisor(&b));
		assert_ok!(Supervisors::do_try_state());
	});
}

#[test]
fn a_machine_is_verified_by_a_jury_that_never_includes_its_provider() {
	ExtBuilder::build_and_execute(|| {
		found();
		// A supervisor registers a machine: it must not sit on its jury.
		let provider = SUPERVISORS[0].clone();
		let id = register(&provider, h100_spec(1), 100);
		let case = NextCaseId::<Test>::get() - 1;
		assert!(matches!(
			Cases::<Test>::get(case).unwrap().kind,
			CaseKind::Verification { machine } if machine == id
		));
		// Randomness known since the block it opened is not enough.
		assert_noop!(Supervisors::advance(origin(&STRANGER), case), Error::<Test>::NotYet);
		let seated = draw(case);
		assert_eq!(seated.len(), JURY_SIZE as usize);
		assert!(!seated.contains(&provider));
		// Only jurors commit, and a reveal must match its commitment.
		assert_noop!(
			Supervisors::commit_verdict(origin(&STRANGER), case, [0; 32]),
			Error::<Test>::NotJuror
		);
		assert_noop!(
			Supervisors::reveal_verdict(origin(&seated[0]), case, Vote::Aye, salt(&seated[0])),
			Error::<Test>::NotRevealing
		);
		for (who, vote) in seated.iter().zip([Vote::Aye, Vote::Aye, Vote::Nay]) {
			commit(case, who, vote);
		}
		// Everyone committed: the reveal opens without waiting.
		assert_ok!(Supervisors::advance(origin(&STRANGER), case));
		assert_noop!(
			Supervisors::reveal_verdict(origin(&seated[0]), case, Vote::Nay, salt(&seated[0])),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			Supervisors::commit_verdict(origin(&seated[0]), case, [0; 32]),
			Error::<Test>::NotCommitting
		);
		let treasury = Balances::balance(&TREASURY);
		for (who, vote) in seated.iter().zip([Vote::Aye, Vote::Aye, Vote::Nay]) {
			reveal(case, who, vote);
		}
		assert_ok!(Supervisors::advance(origin(&STRANGER), case));
		System::assert_has_event(
			Event::CaseClosed { case, outcome: Outcome::Aye, ayes: 2, nays: 1 }.into(),
		);
		assert_eq!(Compute::state(id), Some(MachineState::Idle));
		// The minority juror lost 10% (100), shared by the two in the majority (50 each) with
		// their fee (20 each), paid from the treasury: it is 40 down.
		assert_eq!(contribution_held(&seated[2]), MIN_CONTRIBUTION - 100);
		assert_eq!(Balances::balance(&TREASURY), treasury - 2 * JUROR_FEE);
		System::assert_has_event(
			Event::JurorPaid { case, juror: seated[0].clone(), fee: JUROR_FEE, share: 50 }.into(),
		);
		let record = Supervisors::supervisor(&seated[2]).unwrap().record;
		assert_eq!((record.cases, record.against_majority), (1, 1));
		assert!(Cases::<Test>::get(case).is_none());
		assert_ok!(Supervisors::do_try_state());
	});
}

#[test]
fn a_rejected_machine_stays_off_and_absent_jurors_are_slashed() {
	ExtBuilder::build_and_execute(|| {
		found();
		let id = register(&PROVIDER, h100_spec(1), 100);
		let case = NextCaseId::<Test>::get() - 1;
		// Two reveal Nay, the third never commits.
		let seated = judge(case, &[Vote::Nay, Vote::Nay]);
		assert_eq!(Compute::state(id), Some(MachineState::Rejected));
		assert_eq!(contribution_held(&seated[2]), MIN_CONTRIBUTION - 100);
		assert_eq!(Supervisors::supervisor(&seated[2]).unwrap().record.missed, 1);
	});
}

#[test]
fn no_majority_redraws_then_ends_undecided() {
	ExtBuilder::build_and_execute(|| {
		found();
		let id = register(&PROVIDER, h100_spec(1), 100);
		let case = NextCaseId::<Test>::get() - 1;
		// One Aye, one Nay, one absent: no majority of the three.
		judge(case, &[Vote::Aye, Vote::Nay]);
		System::assert_last_event(Event::Redrawn { case, round: 1 }.into());
		judge(case, &[Vote::Aye, Vote::Nay]);
		System::assert_has_event(
			Event::CaseClosed { case, outcome: Outcome::Undecided, ayes: 1, nays: 1 }.into(),
		);
		// Undecided: the machine still waits (governance may verify it).
		assert_eq!(Compute::state(id), Some(MachineState::PendingVerification));
	});
}

#[test]
fn deadlines_bind_commits_and_reveals() {
	ExtBuilder::build_and_execute(|| {
		found();
		register(&PROVIDER, h100_spec(1), 100);
		let case = NextCaseId::<Test>::get() - 1;
		let seated = draw(case);
		// What each juror has to do, as `powerverse_supervisor` shows it.
		assert_eq!(Supervisors::tasks_of(&seated[0], 10), vec![(case, JuryTask::Commit)]);
		commit(case, &seated[0], Vote::Aye);
		assert_eq!(Supervisors::tasks_of(&seated[0], 10), vec![(case, JuryTask::Wait)]);
		// The commit period has not run out and not everyone committed.
		assert_noop!(Supervisors::advance(origin(&STRANGER), case), Error::<Test>::NotYet);
		run_to_block(System::block_number() + COMMIT_PERIOD + 1);
		assert_noop!(
			Supervisors::commit_verdict(origin(&seated[1]), case, [1; 32]),
			Error::<Test>::DeadlinePassed
		);
		assert_ok!(Supervisors::advance(origin(&STRANGER), case));
		assert_eq!(Supervisors::tasks_of(&seated[0], 10), vec![(case, JuryTask::Reveal)]);
		assert_eq!(Supervisors::tasks_of(&seated[1], 10), vec![(case, JuryTask::Wait)]);
		// A juror who did not commit cannot reveal.
		assert_noop!(
			Supervisors::reveal_verdict(origin(&seated[1]), case, Vote::Aye, salt(&seated[1])),
			Error::<Test>::NotCommitted
		);
		run_to_block(System::block_number() + REVEAL_PERIOD + 1);
		assert_noop!(
			Supervisors::reveal_verdict(origin(&seated[0]), case, Vote::Aye, salt(&seated[0])),
			Error::<Test>::DeadlinePassed
		);
		assert_noop!(Supervisors::advance(origin(&STRANGER), 99), Error::<Test>::UnknownCase);
	});
}

#[test]
fn a_dispute_is_judged_by_a_jury_without_its_parties() {
	ExtBuilder::build_and_execute(|| {
		found();
		let id = machine(&PROVIDER, 1, 100);
		let lease = rent(&CUSTOMER, id, 2);
		run_to_block(5);
		heartbeat(id);
		let customer_before = Balances::balance(&CUSTOMER);
		assert_ok!(Market::open_dispute(origin(&CUSTOMER), lease));
		assert_eq!(disputes(), vec![lease]);
		let case = NextCaseId::<Test>::get() - 1;
		let seated = judge(case, &[Vote::Aye, Vote::Aye, Vote::Aye]);
		assert!(!seated.contains(&CUSTOMER) && !seated.contains(&PROVIDER));
		System::assert_has_event(
			Event::CaseClosed { case, outcome: Outcome::Aye, ayes: 3, nays: 0 }.into(),
		);
		// Upheld: the customer got the whole lease back (held part refunded, the rest from the
		// slash) and its dispute deposit.
		assert!(Balances::balance(&CUSTOMER) > customer_before);
		assert!(pallet_market::Leases::<Test>::get(lease)
			.map_or(true, |l| l.status != pallet_market::LeaseStatus::Disputed));
		check_invariants_now();
	});
}

#[test]
fn a_higher_tiers_dispute_is_judged_in_shorter_phases() {
	ExtBuilder::build_and_execute(|| {
		found();
		let id = machine(&PROVIDER, 1, 100);
		// Silver: priority 2, so each phase lasts half as long (5 → 2 blocks, rounded down).
		join_tier(&CUSTOMER, pallet_tiers::Tier::Silver);
		let lease = rent(&CUSTOMER, id, 2);
		run_to_block(5);
		heartbeat(id);
		assert_ok!(Market::open_dispute(origin(&CUSTOMER), lease));
		let case = NextCaseId::<Test>::get() - 1;
		assert_eq!(Cases::<Test>::get(case).unwrap().priority, 2);
		let seated = draw(case);
		let Some(Phase::Commit { until }) = Cases::<Test>::get(case).map(|c| c.phase) else {
			panic!("a jury was drawn")
		};
		assert_eq!(until, System::block_number() + COMMIT_PERIOD / 2);
		for who in &seated {
			commit(case, who, Vote::Aye);
		}
		assert_ok!(Supervisors::advance(origin(&STRANGER), case));
		let Some(Phase::Reveal { until }) = Cases::<Test>::get(case).map(|c| c.phase) else {
			panic!("all committed")
		};
		assert_eq!(until, System::block_number() + REVEAL_PERIOD / 2);
		// A verification (no customer) keeps the whole period; a Gold level (9) is capped at 3.
		assert_eq!(Supervisors::phase_length(10, 0), 10);
		assert_eq!(Supervisors::phase_length(10, 3), 4);
		assert_eq!(Supervisors::phase_length(1, 3), 1);
	});
}

#[test]
fn a_confirmed_report_slashes_with_a_reporter_reward_and_a_rejected_one_forfeits_the_bond() {
	ExtBuilder::build_and_execute(|| {
		found();
		let id = machine(&PROVIDER, 1, 100);
		assert_noop!(Supervisors::report(origin(&PROVIDER), id), Error::<Test>::OwnMachine);
		assert_noop!(Supervisors::report(origin(&STRANGER), 99), Error::<Test>::UnknownMachine);
		assert_noop!(Supervisors::report(origin(&PAUPER), id), Error::<Test>::InsufficientBalance);
		assert_ok!(Supervisors::report(origin(&STRANGER), id));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::ReportBond.into(), &STRANGER),
			REPORT_BOND
		);
		// Under judgement: the machine's value stays until the verdict.
		assert!(<Supervisors as JudgementGuard>::under_judgement(id));
		let case = NextCaseId::<Test>::get() - 1;
		let stranger = Balances::balance(&STRANGER);
		let bonded = pallet_compute_staking::Bonds::<Test>::get(id).unwrap().total();
		judge(case, &[Vote::Aye, Vote::Aye, Vote::Aye]);
		assert!(!<Supervisors as JudgementGuard>::under_judgement(id));
		// 20% of the bond slashed; the reporter got its bond back and a reward.
		let after = pallet_compute_staking::Bonds::<Test>::get(id).map_or(0, |b| b.total());
		assert_eq!(after, bonded - sp_runtime::Perbill::from_percent(20) * bonded);
		assert!(Balances::balance(&STRANGER) > stranger + REPORT_BOND);
		// And the machine is reviewed again: back to verification, a new case open, the
		// verdict attributed to the jury.
		assert_eq!(Compute::state(id), Some(MachineState::PendingVerification));
		System::assert_has_event(
			pallet_compute::Event::VerificationRevoked {
				machine: id,
				by: powerverse_primitives::Reviewer::Jury(case),
			}
			.into(),
		);
		let review = NextCaseId::<Test>::get() - 1;
		assert!(matches!(
			Cases::<Test>::get(review).unwrap().kind,
			CaseKind::Verification { machine } if machine == id
		));
		// A rejected report forfeits the bond to the treasury.
		assert_ok!(Supervisors::report(origin(&STRANGER), id));
		let case = NextCaseId::<Test>::get() - 1;
		let treasury = Balances::balance(&TREASURY);
		judge(case, &[Vote::Nay, Vote::Nay, Vote::Nay]);
		assert_eq!(Balances::balance_on_hold(&HoldReason::ReportBond.into(), &STRANGER), 0);
		assert_eq!(Balances::balance(&TREASURY), treasury + REPORT_BOND - 3 * JUROR_FEE);
		check_invariants_now();
	});
}

#[test]
fn resigning_waits_for_the_delay_and_open_duties() {
	ExtBuilder::build_and_execute(|| {
		found();
		register(&PROVIDER, h100_spec(1), 100);
		let case = NextCaseId::<Test>::get() - 1;
		let seated = draw(case);
		let (juror, other) = (&seated[0], &seated[1]);
		assert_noop!(Supervisors::withdraw_contribution(origin(juror)), Error::<Test>::NotLeaving);
		assert_ok!(Supervisors::resign(origin(juror)));
		assert!(!Pool::<Test>::get().contains(juror));
		assert_noop!(Supervisors::withdraw_contribution(origin(juror)), Error::<Test>::TooEarly);
		// With no delay, an open jury duty still keeps the contribution.
		let mut params = supervisor_params();
		params.resign_delay = 0;
		assert_ok!(Supervisors::set_params(RuntimeOrigin::root(), params));
		assert_ok!(Supervisors::resign(origin(other)));
		assert_noop!(Supervisors::withdraw_contribution(origin(other)), Error::<Test>::DutyOpen);
		// A resigned juror still judges its open case.
		for who in &seated {
			commit(case, who, Vote::Aye);
		}
		assert_ok!(Supervisors::advance(origin(&STRANGER), case));
		for who in &seated {
			reveal(case, who, Vote::Aye);
		}
		assert_ok!(Supervisors::advance(origin(&STRANGER), case));
		let free = Balances::balance(other);
		assert_ok!(Supervisors::withdraw_contribution(origin(other)));
		assert_eq!(Balances::balance(other), free + MIN_CONTRIBUTION);
		assert!(Supervisors::supervisor(other).is_none());
		assert_noop!(
			Supervisors::withdraw_contribution(origin(&STRANGER)),
			Error::<Test>::NotSupervisor
		);
		assert_ok!(Supervisors::do_try_state());
	});
}

#[test]
fn too_few_eligible_supervisors_leave_the_case_waiting_then_undecided() {
	ExtBuilder::build_and_execute(|| {
		for s in &SUPERVISORS[..2] {
			assert_ok!(Supervisors::apply(origin(s), MIN_CONTRIBUTION, statement()));
			assert_ok!(Supervisors::admit(RuntimeOrigin::root(), s.clone()));
		}
		let id = machine(&PROVIDER, 1, 100);
		assert_ok!(Supervisors::report(origin(&STRANGER), id));
		let case = NextCaseId::<Test>::get() - 1;
		run_to_block(3);
		// Two supervisors cannot make a jury of three: the case waits, visibly.
		assert_ok!(Supervisors::advance(origin(&STRANGER), case));
		System::assert_last_event(Event::JuryShort { case, eligible: 2 }.into());
		assert!(<Supervisors as JudgementGuard>::under_judgement(id));
		// After `max_wait` it ends undecided: the bond comes back, the machine is free.
		run_to_block(1 + MAX_WAIT + 1);
		assert_ok!(Supervisors::advance(origin(&STRANGER), case));
		System::assert_has_event(
			Event::CaseClosed { case, outcome: Outcome::Undecided, ayes: 0, nays: 0 }.into(),
		);
		assert_eq!(Balances::balance_on_hold(&HoldReason::ReportBond.into(), &STRANGER), 0);
		assert!(!<Supervisors as JudgementGuard>::under_judgement(id));
		assert_ok!(Supervisors::do_try_state());
	});
}

#[test]
fn a_case_with_nothing_left_to_judge_closes_without_fees_or_slashes() {
	ExtBuilder::build_and_execute(|| {
		found();
		// Register and retire at once: the verification case is moot, no jury is drawn.
		let id = register(&PROVIDER, h100_spec(1), 100);
		let case = NextCaseId::<Test>::get() - 1;
		assert_ok!(Compute::retire_machine(origin(&PROVIDER), id));
		run_to_block(3);
		let treasury = Balances::balance(&TREASURY);
		assert_ok!(Supervisors::advance(origin(&STRANGER), case));
		System::assert_last_event(
			Event::CaseClosed { case, outcome: Outcome::Moot, ayes: 0, nays: 0 }.into(),
		);
		assert_eq!(Balances::balance(&TREASURY), treasury);
		// Drawn, then moot before the decision: no fees, no slashes, duties end.
		let id = register(&PROVIDER, h100_spec(1), 100);
		let case = NextCaseId::<Test>::get() - 1;
		let seated = draw(case);
		assert_ok!(Compute::retire_machine(origin(&PROVIDER), id));
		run_to_block(System::block_number() + COMMIT_PERIOD + 1);
		assert_ok!(Supervisors::advance(origin(&STRANGER), case));
		run_to_block(System::block_number() + REVEAL_PERIOD + 1);
		assert_ok!(Supervisors::advance(origin(&STRANGER), case));
		System::assert_last_event(
			Event::CaseClosed { case, outcome: Outcome::Moot, ayes: 0, nays: 0 }.into(),
		);
		for juror in &seated {
			assert_eq!(contribution_held(juror), MIN_CONTRIBUTION);
			assert_eq!(Supervisors::supervisor(juror).unwrap().open_duties, 0);
		}
		assert_eq!(Balances::balance(&TREASURY), treasury);
	});
}

#[test]
fn a_redraw_skips_absent_jurors_and_a_slashed_juror_below_the_minimum_leaves_the_draw() {
	ExtBuilder::build_and_execute(|| {
		found();
		register(&PROVIDER, h100_spec(1), 100);
		let case = NextCaseId::<Test>::get() - 1;
		// One Aye, one Nay, one absent: a redraw.
		let first = judge(case, &[Vote::Aye, Vote::Nay]);
		let absent = first[2].clone();
		// Slashed below the minimum: out of the draw.
		assert!(!Pool::<Test>::get().contains(&absent));
		assert_eq!(Supervisors::supervisor(&absent).unwrap().contribution, MIN_CONTRIBUTION - 100);
		let second = draw(case);
		assert!(!second.contains(&absent));
	});
}

#[test]
fn the_caller_of_advance_cannot_choose_the_jury_by_choosing_the_block() {
	let jury_drawn_at = |block: u64| {
		let mut jurors = vec![];
		ExtBuilder::build_and_execute(|| {
			found();
			register(&PROVIDER, h100_spec(1), 100);
			let case = NextCaseId::<Test>::get() - 1;
			// Block 2's hash was not known when the case opened at block 1.
			run_to_block(2);
			assert_noop!(Supervisors::advance(origin(&STRANGER), case), Error::<Test>::NotYet);
			run_to_block(block);
			assert_ok!(Supervisors::advance(origin(&STRANGER), case));
			jurors = Supervisors::jurors_of(case);
		});
		jurors
	};
	let first = jury_drawn_at(3);
	assert_eq!(first.len(), JURY_SIZE as usize);
	for block in [4, 9, 30] {
		assert_eq!(jury_drawn_at(block), first, "drawn at block {block}");
	}
}

#[test]
fn set_params_is_governance_only() {
	ExtBuilder::build_and_execute(|| {
		let mut params = supervisor_params();
		assert_noop!(Supervisors::set_params(origin(&STRANGER), params.clone()), BadOrigin);
		params.commit_period = 0;
		assert_noop!(
			Supervisors::set_params(RuntimeOrigin::root(), params.clone()),
			Error::<Test>::ZeroPeriod
		);
		params.commit_period = 7;
		params.report_bond = 0;
		assert_noop!(
			Supervisors::set_params(RuntimeOrigin::root(), params.clone()),
			Error::<Test>::ZeroAmount
		);
		params.report_bond = REPORT_BOND;
		assert_ok!(Supervisors::set_params(RuntimeOrigin::root(), params.clone()));
		assert_eq!(Params::<Test>::get(), params);
	});
}

/// Property test over random jury histories on the real pallets: supervisors join and leave,
/// machines register (some by supervisors) and get reported, jurors commit and reveal (some
/// with a vote other than the one they committed), time passes and anyone advances cases.
/// After every step: no juror sits on a case about a machine it provides, operates or holds,
/// or on its own report; every pallet's invariants hold; PEC is conserved (the supervisors
/// pallet never mints or burns); a reveal that differs from its commitment was refused.
/// 256 cases by default; `PROPTEST_CASES` for more.
mod properties {
	use super::*;
	use proptest::prelude::*;

	#[derive(Clone, Debug)]
	enum Op {
		Register { who: u8 },
		Report { who: u8, machine: u8 },
		Advance { case: u8 },
		Commit { case: u8, seat: u8, aye: bool },
		Reveal { case: u8, seat: u8, honest: bool },
		Wait { blocks: u8 },
		Resign { who: u8 },
		Withdraw { who: u8 },
	}

	fn op() -> impl Strategy<Value = Op> {
		// Weighted so that juries form and decide: mostly advancing, committing, revealing
		// and waiting; now and then a registration or report, rarely a resignation.
		prop_oneof![
			2 => (0u8..8).prop_map(|who| Op::Register { who }),
			1 => (0u8..8, 0u8..6).prop_map(|(who, machine)| Op::Report { who, machine }),
			4 => (0u8..6).prop_map(|case| Op::Advance { case }),
			5 => (0u8..6, 0u8..3, any::<bool>()).prop_map(|(case, seat, aye)| Op::Commit { case, seat, aye }),
			5 => (0u8..6, 0u8..3, prop::bool::weighted(0.8))
				.prop_map(|(case, seat, honest)| Op::Reveal { case, seat, honest }),
			3 => (1u8..8).prop_map(|blocks| Op::Wait { blocks }),
			1 => (0u8..5).prop_map(|who| Op::Resign { who }),
			1 => (0u8..5).prop_map(|who| Op::Withdraw { who }),
		]
	}

	/// Providers are drawn from the supervisors and from the ordinary accounts.
	fn person(n: u8) -> AccountId {
		let people = [PROVIDER, PROVIDER2, STRANGER, CUSTOMER];
		match n as usize {
			i if i < 4 => SUPERVISORS[i].clone(),
			i => people[i % 4].clone(),
		}
	}

	/// Case `n` modulo the cases opened so far, so most operations hit a real case.
	fn case_of(n: u8) -> CaseId {
		u64::from(n) % NextCaseId::<Test>::get().max(1)
	}

	fn seat_of(case: CaseId, seat: u8) -> Option<AccountId> {
		Cases::<Test>::get(case)?.seats.get(seat as usize).map(|s| s.juror.clone())
	}

	/// Accepted reveals over the whole run (the run must reach decisions, not only refusals).
	static REVEALS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
	/// Cases decided (or ended undecided) over the whole run.
	static CLOSED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

	fn cases() -> u32 {
		std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
	}

	proptest! {
		#![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

		#[test]
		fn juries_never_self_judge_deadlines_bind_and_pec_is_conserved(
			ops in prop::collection::vec(op(), 1..120)
		) {
			ExtBuilder::build().execute_with(|| {
				found();
				let issuance = pallet_balances::TotalIssuance::<Test>::get();
				// What each juror committed: (case, juror) → vote.
				let mut committed = std::collections::BTreeMap::new();
				let mut revealed = 0u32;
				for op in &ops {
					match op.clone() {
						Op::Register { who } => {
							let p = person(who);
							if pallet_compute::Providers::<Test>::get(&p).is_none() {
								let _ = Compute::register_provider(origin(&p), profile());
							}
							let _ = Compute::register_machine(origin(&p), h100_spec(1), OPERATOR, 100);
						},
						Op::Report { who, machine } => {
							let _ = Supervisors::report(origin(&person(who)), machine.into());
						},
						Op::Advance { case } => {
							let _ = Supervisors::advance(origin(&STRANGER), case_of(case));
						},
						Op::Commit { case, seat, aye } => {
							let case = case_of(case);
							if let Some(j) = seat_of(case, seat) {
								let vote = if aye { Vote::Aye } else { Vote::Nay };
								let round = Cases::<Test>::get(case).map_or(0, |c| c.round);
								let c = Supervisors::commitment(case, round, &j, vote, &salt(&j));
								if Supervisors::commit_verdict(origin(&j), case, c).is_ok() {
									committed.insert((case, j), vote);
								}
							}
						},
						Op::Reveal { case, seat, honest } => {
							let case = case_of(case);
							if let Some(j) = seat_of(case, seat) {
								let promised = committed.get(&(case, j.clone())).copied();
								let vote = match (promised, honest) {
									(Some(Vote::Aye), false) | (None, _) | (Some(Vote::Nay), true) => Vote::Nay,
									_ => Vote::Aye,
								};
								let result = Supervisors::reveal_verdict(origin(&j), case, vote, salt(&j));
								// A reveal is accepted only for the vote committed.
								if result.is_ok() {
									revealed += 1;
									prop_assert_eq!(promised, Some(vote));
								} else if promised.is_some_and(|p| p != vote) {
									prop_assert!(result.is_err());
								}
							}
						},
						Op::Wait { blocks } => run_to_block(System::block_number() + u64::from(blocks)),
						Op::Resign { who } => {
							let _ = Supervisors::resign(origin(&SUPERVISORS[who as usize]));
						},
						Op::Withdraw { who } => {
							let _ = Supervisors::withdraw_contribution(origin(&SUPERVISORS[who as usize]));
						},
					}
					// No self-judging.
					for (_, case) in Cases::<Test>::iter() {
						let machine = case.kind.machine();
						let mut barred: Vec<AccountId> = [
							Compute::provider(machine),
							Compute::operator(machine),
							Compute::beneficiary(machine),
						]
						.into_iter()
						.flatten()
						.collect();
						if let CaseKind::Report { reporter, .. } = &case.kind {
							barred.push(reporter.clone());
						}
						for seat in case.seats.iter() {
							prop_assert!(!barred.contains(&seat.juror), "a juror judges its own machine");
						}
					}
					prop_assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance);
					let sum: Balance = frame_system::Account::<Test>::iter()
						.map(|(_, info)| info.data.free + info.data.reserved)
						.sum();
					prop_assert_eq!(sum, issuance);
					check_invariants_now();
				}
				REVEALS.fetch_add(revealed, std::sync::atomic::Ordering::Relaxed);
				let closed = System::events()
					.iter()
					.filter(|e| matches!(e.event, RuntimeEvent::Supervisors(Event::CaseClosed { .. })))
					.count() as u32;
				CLOSED.fetch_add(closed, std::sync::atomic::Ordering::Relaxed);
				Ok(())
			})?;
		}
	}

	#[test]
	fn the_random_histories_reach_reveals() {
		juries_never_self_judge_deadlines_bind_and_pec_is_conserved();
		assert!(
			REVEALS.load(std::sync::atomic::Ordering::Relaxed) > 0,
			"no reveal was ever accepted"
		);
		assert!(CLOSED.load(std::sync::atomic::Ordering::Relaxed) > 0, "no case was ever closed");
	}
}

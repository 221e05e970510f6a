//! The supervisors pallet's logic: applications, admission, leaving, juries and verdicts.

use crate::{pallet::*, types::*, weights::WeightInfo};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use powerverse_primitives::{
	ComputeInspect, CustomerBenefits, DisputeJury, DisputeResolution, JudgementGuard, LeaseId,
	MachineId, MachineSlashing, MachineState, MachineVerification, PriorityLevel, Reviewer,
	SlashReason, Verdict, VerificationJury,
};

/// The highest priority level a case keeps (its phases never shorter than two fifths).
const MAX_PRIORITY: PriorityLevel = 3;
use sp_runtime::{
	traits::{One, Saturating, Zero},
	DispatchError, Perbill,
};

impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Whether `who` is an admitted supervisor that is not leaving.
	pub fn is_supervisor(who: &T::AccountId) -> bool {
		Pool::<T>::get().contains(who)
	}

	/// The jurors seated on `case`, in seat order (empty while drawing or once closed).
	pub fn jurors_of(case: CaseId) -> Vec<T::AccountId> {
		Cases::<T>::get(case)
			.map(|c| c.seats.into_iter().map(|s| s.juror).collect())
			.unwrap_or_default()
	}

	/// `who`'s supervisor record, leaving or not.
	pub fn supervisor(who: &T::AccountId) -> Option<SupervisorOf<T>> {
		Members::<T>::get(who)
	}

	/// The drawing phase of a case (or round) opened at `since`: its jury comes from the hash
	/// of the next block.
	fn drawing(since: BlockNumberFor<T>) -> Phase<BlockNumberFor<T>> {
		Phase::Drawing { since, anchor: since.saturating_add(One::one()) }
	}

	fn contribution_reason() -> T::RuntimeHoldReason {
		HoldReason::Contribution.into()
	}

	/// The commitment a juror must reveal against: the round is in it, so a salt revealed in
	/// one round says nothing about a vote in the next.
	pub fn commitment(
		case: CaseId,
		round: u32,
		juror: &T::AccountId,
		vote: Vote,
		salt: &[u8; 32],
	) -> Commitment {
		sp_io::hashing::blake2_256(&(case, round, juror, vote, salt).encode())
	}

	pub(crate) fn hold_contribution(who: &T::AccountId, amount: T::Balance) -> DispatchResult {
		T::Currency::hold(&Self::contribution_reason(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance.into())
	}

	fn release_contribution(who: &T::AccountId, amount: T::Balance) -> DispatchResult {
		T::Currency::release(&Self::contribution_reason(), who, amount, Precision::Exact)?;
		Ok(())
	}

	// ---- Applications and admission ----

	pub(crate) fn do_apply(
		who: T::AccountId,
		contribution: T::Balance,
		statement: Statement<T>,
	) -> DispatchResult {
		ensure!(!Members::<T>::contains_key(&who), Error::<T>::AlreadySupervisor);
		ensure!(!Applications::<T>::contains_key(&who), Error::<T>::AlreadyApplied);
		ensure!(
			contribution >= Params::<T>::get().min_contribution && !contribution.is_zero(),
			Error::<T>::ContributionTooLow
		);
		ensure!(
			Applications::<T>::count() < T::MaxApplications::get(),
			Error::<T>::TooManyApplications
		);
		Self::hold_contribution(&who, contribution)?;
		Applications::<T>::insert(
			&who,
			Application { contribution, statement, applied_at: Self::now(), ayes: 0, nays: 0 },
		);
		Self::deposit_event(Event::Applied { who, contribution });
		Ok(())
	}

	/// Removes an application and its votes, releasing its contribution.
	fn close_application(who: &T::AccountId) -> Result<ApplicationOf<T>, DispatchError> {
		let application = Applications::<T>::take(who).ok_or(Error::<T>::NoApplication)?;
		// Bounded by `MaxSupervisors` voters.
		let _ = AdmissionVotes::<T>::clear_prefix(who, T::MaxSupervisors::get(), None);
		Ok(application)
	}

	pub(crate) fn do_withdraw_application(who: T::AccountId) -> DispatchResult {
		let application = Self::close_application(&who)?;
		Self::release_contribution(&who, application.contribution)?;
		Self::deposit_event(Event::ApplicationWithdrawn { who });
		Ok(())
	}

	pub(crate) fn do_vote_admission(
		voter: T::AccountId,
		candidate: T::AccountId,
		aye: bool,
	) -> DispatchResult {
		let pool = Pool::<T>::get();
		ensure!(pool.contains(&voter), Error::<T>::NotSupervisor);
		let mut application =
			Applications::<T>::get(&candidate).ok_or(Error::<T>::NoApplication)?;
		ensure!(!AdmissionVotes::<T>::contains_key(&candidate, &voter), Error::<T>::AlreadyVoted);
		AdmissionVotes::<T>::insert(&candidate, &voter, aye);
		if aye {
			application.ayes.saturating_inc();
		} else {
			application.nays.saturating_inc();
		}
		Self::deposit_event(Event::AdmissionVoted { candidate: candidate.clone(), voter, aye });
		let voters = pool.len() as u32;
		if application.ayes.saturating_mul(2) > voters {
			Self::do_admit(candidate)
		} else if application.nays.saturating_mul(2) >= voters {
			let application = Self::close_application(&candidate)?;
			Self::release_contribution(&candidate, application.contribution)?;
			Self::deposit_event(Event::Rejected { who: candidate });
			Ok(())
		} else {
			Applications::<T>::insert(&candidate, application);
			Ok(())
		}
	}

	pub(crate) fn do_admit(candidate: T::AccountId) -> DispatchResult {
		let application = Applications::<T>::get(&candidate).ok_or(Error::<T>::NoApplication)?;
		Self::admit_now(candidate.clone(), application.contribution)?;
		Self::close_application(&candidate)?;
		Ok(())
	}

	/// Makes `who` a supervisor whose `contribution` is already held.
	pub(crate) fn admit_now(who: T::AccountId, contribution: T::Balance) -> DispatchResult {
		ensure!(!Members::<T>::contains_key(&who), Error::<T>::AlreadySupervisor);
		Pool::<T>::try_mutate(|pool| pool.try_push(who.clone()))
			.map_err(|_| Error::<T>::TooManySupervisors)?;
		Members::<T>::insert(
			&who,
			Supervisor {
				contribution,
				since: Self::now(),
				leaving_since: None,
				open_duties: 0,
				record: Record::default(),
			},
		);
		Self::deposit_event(Event::Admitted { who });
		Ok(())
	}

	pub(crate) fn do_vote_removal(
		voter: T::AccountId,
		target: T::AccountId,
		aye: bool,
	) -> DispatchResult {
		let pool = Pool::<T>::get();
		ensure!(pool.contains(&voter), Error::<T>::NotSupervisor);
		ensure!(pool.contains(&target), Error::<T>::NotSupervisor);
		ensure!(voter != target, Error::<T>::OwnRemoval);
		ensure!(!RemovalVotes::<T>::contains_key(&target, &voter), Error::<T>::AlreadyVoted);
		RemovalVotes::<T>::insert(&target, &voter, aye);
		let (mut ayes, mut nays) = Removals::<T>::get(&target).unwrap_or_default();
		if aye {
			ayes.saturating_inc();
		} else {
			nays.saturating_inc();
		}
		Self::deposit_event(Event::RemovalVoted { target: target.clone(), voter, aye });
		let voters = pool.len() as u32;
		if ayes.saturating_mul(2) > voters {
			Self::do_leave(target, true)
		} else if nays.saturating_mul(2) >= voters {
			Self::clear_removal(&target);
			Self::deposit_event(Event::RemovalRejected { target });
			Ok(())
		} else {
			Removals::<T>::insert(&target, (ayes, nays));
			Ok(())
		}
	}

	/// Ends a removal motion and its votes (bounded by `MaxSupervisors` voters).
	fn clear_removal(target: &T::AccountId) {
		Removals::<T>::remove(target);
		let _ = RemovalVotes::<T>::clear_prefix(target, T::MaxSupervisors::get(), None);
	}

	pub(crate) fn do_leave(who: T::AccountId, removed: bool) -> DispatchResult {
		let mut supervisor = Members::<T>::get(&who).ok_or(Error::<T>::NotSupervisor)?;
		ensure!(supervisor.leaving_since.is_none(), Error::<T>::AlreadyLeaving);
		let now = Self::now();
		supervisor.leaving_since = Some(now);
		Members::<T>::insert(&who, supervisor);
		Pool::<T>::mutate(|pool| pool.retain(|s| s != &who));
		Self::clear_removal(&who);
		let release_at = now.saturating_add(Params::<T>::get().resign_delay);
		Self::deposit_event(Event::Leaving { who, release_at, removed });
		Ok(())
	}

	pub(crate) fn do_withdraw_contribution(who: T::AccountId) -> DispatchResult {
		let supervisor = Members::<T>::get(&who).ok_or(Error::<T>::NotSupervisor)?;
		let since = supervisor.leaving_since.ok_or(Error::<T>::NotLeaving)?;
		ensure!(
			Self::now() >= since.saturating_add(Params::<T>::get().resign_delay),
			Error::<T>::TooEarly
		);
		ensure!(supervisor.open_duties == 0, Error::<T>::DutyOpen);
		// What is left of it after any slashes.
		let amount = T::Currency::balance_on_hold(&Self::contribution_reason(), &who);
		Self::release_contribution(&who, amount)?;
		Members::<T>::remove(&who);
		Self::deposit_event(Event::ContributionReleased { who, amount });
		Ok(())
	}

	// ---- Cases ----

	fn open_case(
		kind: CaseKind<T::AccountId, T::Balance>,
		priority: PriorityLevel,
	) -> Result<CaseId, DispatchError> {
		let id = NextCaseId::<T>::get();
		NextCaseId::<T>::put(id.saturating_add(1));
		let machine = kind.machine();
		Cases::<T>::insert(
			id,
			Case {
				kind,
				opened_at: Self::now(),
				round: 0,
				phase: Self::drawing(Self::now()),
				seats: BoundedVec::new(),
				skip: BoundedVec::new(),
				priority: priority.min(MAX_PRIORITY),
			},
		);
		Self::deposit_event(Event::CaseOpened { case: id, machine });
		Ok(id)
	}

	pub(crate) fn do_report(who: T::AccountId, machine: MachineId) -> DispatchResult {
		let provider = T::Compute::provider(machine).ok_or(Error::<T>::UnknownMachine)?;
		let involved = Self::involved(machine);
		ensure!(provider != who && !involved.contains(&who), Error::<T>::OwnMachine);
		let bond = Params::<T>::get().report_bond;
		T::Currency::hold(&HoldReason::ReportBond.into(), &who, bond)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let case = Self::open_case(CaseKind::Report { machine, reporter: who.clone(), bond }, 0)?;
		OpenReports::<T>::mutate(machine, |n| *n = Some(n.unwrap_or(0).saturating_add(1)));
		Self::deposit_event(Event::Reported { case, machine, reporter: who, bond });
		Ok(())
	}

	/// A commit or reveal phase of `period` for a case of `priority`: `2 / (2 + priority)` of it
	/// (level 1: two thirds, 2: half, 3: two fifths), never under one block.
	pub fn phase_length(period: BlockNumberFor<T>, priority: PriorityLevel) -> BlockNumberFor<T> {
		let shortened = period.saturating_mul(2u32.into()) / (2u32 + u32::from(priority)).into();
		shortened.max(One::one())
	}

	/// Who may never judge a case about `machine`: its provider, operator and NFT holder.
	fn involved(machine: MachineId) -> Vec<T::AccountId> {
		[
			T::Compute::provider(machine),
			T::Compute::operator(machine),
			T::Compute::beneficiary(machine),
		]
		.into_iter()
		.flatten()
		.collect()
	}

	/// Who may not sit on `kind`'s jury: the machine's provider, operator and holder, and the
	/// case's parties.
	fn excluded(case: &CaseOf<T>) -> Vec<T::AccountId> {
		let kind = &case.kind;
		let mut out = Self::involved(kind.machine());
		out.extend(case.skip.iter().cloned());
		match kind {
			CaseKind::Verification { .. } => {},
			CaseKind::Dispute { customer, provider, .. } => {
				out.push(customer.clone());
				out.push(provider.clone());
			},
			CaseKind::Report { reporter, .. } => out.push(reporter.clone()),
		}
		out
	}

	/// Whether there is still something to judge: the machine awaits verification, the dispute
	/// awaits a verdict, the reported machine exists.
	fn live(kind: &CaseKind<T::AccountId, T::Balance>) -> bool {
		match kind {
			CaseKind::Verification { machine } => {
				T::Compute::state(*machine) == Some(MachineState::PendingVerification)
			},
			CaseKind::Dispute { lease, .. } => T::Disputes::dispute_open(*lease),
			CaseKind::Report { machine, .. } => T::Compute::provider(*machine).is_some(),
		}
	}

	/// Draws `JurySize` distinct eligible supervisors from the pool with `seed`; `None` if
	/// fewer are eligible. O(pool) at most twice.
	fn draw(seed: &[u8], excluded: &[T::AccountId]) -> Result<Vec<T::AccountId>, u32> {
		let mut eligible: Vec<T::AccountId> =
			Pool::<T>::get().into_iter().filter(|s| !excluded.contains(s)).collect();
		let k = T::JurySize::get() as usize;
		if eligible.len() < k {
			return Err(eligible.len() as u32);
		}
		// A partial Fisher–Yates shuffle driven by the seed: each pick uniform over the rest.
		let mut jurors = Vec::with_capacity(k);
		for i in 0..k {
			let h = sp_io::hashing::blake2_256(&(seed, i as u32).encode());
			let r = u64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]);
			let rest = eligible.len().saturating_sub(i);
			let pick = i.saturating_add((r % rest.max(1) as u64) as usize);
			eligible.swap(i, pick);
			if let Some(j) = eligible.get(i) {
				jurors.push(j.clone());
			}
		}
		Ok(jurors)
	}

	pub(crate) fn do_advance(id: CaseId) -> DispatchResult {
		let mut case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		let now = Self::now();
		let params = Params::<T>::get();
		match case.phase {
			Phase::Drawing { since, anchor } => {
				if !Self::live(&case.kind) {
					return Self::close(id, case, Outcome::Moot, 0, 0, &[]);
				}
				// The seed is the hash of one block fixed when the case (or round) opened — the
				// next one, which nobody knew then — not of a block the caller of `advance`
				// picks.
				ensure!(now > anchor, Error::<T>::NotYet);
				let anchor_hash = frame_system::Pallet::<T>::block_hash(anchor);
				let aged_out = now.saturating_sub(anchor) >= T::BlockHashCount::get();
				if aged_out && anchor_hash == Default::default() {
					// Its hash is forgotten (nobody advanced for `BlockHashCount` blocks): anchor
					// on the next block instead.
					case.phase = Phase::Drawing { since, anchor: now.saturating_add(One::one()) };
					Cases::<T>::insert(id, case);
					return Ok(());
				}
				let subject = (b"powerverse/jury", id, case.round, anchor_hash).encode();
				let seed = sp_io::hashing::blake2_256(&subject);
				match Self::draw(&seed, &Self::excluded(&case)) {
					Err(eligible) => {
						// Too few eligible supervisors: the case waits, up to `max_wait`.
						if now > since.saturating_add(params.max_wait) {
							return Self::close(id, case, Outcome::Undecided, 0, 0, &[]);
						}
						Self::deposit_event(Event::JuryShort { case: id, eligible });
						return Ok(());
					},
					Ok(jurors) => {
						for juror in &jurors {
							Members::<T>::mutate(juror, |s| {
								if let Some(s) = s {
									s.open_duties.saturating_inc();
								}
							});
							Duties::<T>::insert(juror, id, ());
						}
						case.seats = jurors
							.iter()
							.map(|j| Seat { juror: j.clone(), commitment: None, vote: None })
							.collect::<Vec<_>>()
							.try_into()
							.map_err(|_| Error::<T>::NotYet)?;
						case.phase = Phase::Commit {
							until: now.saturating_add(Self::phase_length(
								params.commit_period,
								case.priority,
							)),
						};
						Self::deposit_event(Event::JuryDrawn {
							case: id,
							round: case.round,
							jurors,
						});
					},
				}
			},
			Phase::Commit { until } => {
				let all = case.seats.iter().all(|s| s.commitment.is_some());
				ensure!(now > until || all, Error::<T>::NotYet);
				let until =
					now.saturating_add(Self::phase_length(params.reveal_period, case.priority));
				case.phase = Phase::Reveal { until };
				Self::deposit_event(Event::RevealStarted { case: id, until });
			},
			Phase::Reveal { until } => {
				let all = case.seats.iter().all(|s| s.vote.is_some());
				ensure!(now > until || all, Error::<T>::NotYet);
				return Self::tally(id, case);
			},
		}
		Cases::<T>::insert(id, case);
		Ok(())
	}

	pub(crate) fn do_commit(
		who: T::AccountId,
		id: CaseId,
		commitment: Commitment,
	) -> DispatchResult {
		let mut case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		let Phase::Commit { until } = case.phase else {
			return Err(Error::<T>::NotCommitting.into());
		};
		ensure!(Self::now() <= until, Error::<T>::DeadlinePassed);
		let seat = case.seats.iter_mut().find(|s| s.juror == who).ok_or(Error::<T>::NotJuror)?;
		seat.commitment = Some(commitment);
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::VoteCommitted { case: id, juror: who });
		Ok(())
	}

	pub(crate) fn do_reveal(
		who: T::AccountId,
		id: CaseId,
		vote: Vote,
		salt: [u8; 32],
	) -> DispatchResult {
		let mut case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		let Phase::Reveal { until } = case.phase else {
			return Err(Error::<T>::NotRevealing.into());
		};
		ensure!(Self::now() <= until, Error::<T>::DeadlinePassed);
		let seat = case.seats.iter_mut().find(|s| s.juror == who).ok_or(Error::<T>::NotJuror)?;
		let commitment = seat.commitment.ok_or(Error::<T>::NotCommitted)?;
		ensure!(seat.vote.is_none(), Error::<T>::AlreadyRevealed);
		ensure!(
			Self::commitment(id, case.round, &who, vote, &salt) == commitment,
			Error::<T>::CommitmentMismatch
		);
		seat.vote = Some(vote);
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::VoteRevealed { case: id, juror: who, vote });
		Ok(())
	}

	/// Decides `case` from its reveals: a majority of the whole jury wins. Jurors who did not
	/// reveal lose `incoherence_slash` of their contribution, and so do those against a
	/// majority; the majority shares those slashes and is paid `juror_fee` each. Without a
	/// majority a new jury is drawn, up to `MaxRedraws` times; then the case ends undecided.
	fn tally(id: CaseId, mut case: CaseOf<T>) -> DispatchResult {
		if !Self::live(&case.kind) {
			// Nothing left to judge: no fees, no slashes; the jurors' duties end.
			Self::end_duties(id, &case);
			return Self::close(id, case, Outcome::Moot, 0, 0, &[]);
		}
		let k = T::JurySize::get();
		let ayes = case.seats.iter().filter(|s| s.vote == Some(Vote::Aye)).count() as u32;
		let nays = case.seats.iter().filter(|s| s.vote == Some(Vote::Nay)).count() as u32;
		let majority = if ayes.saturating_mul(2) > k {
			Some(Vote::Aye)
		} else if nays.saturating_mul(2) > k {
			Some(Vote::Nay)
		} else {
			None
		};
		let params = Params::<T>::get();
		let (coherent, incoherent): (Vec<_>, Vec<_>) = case
			.seats
			.iter()
			.map(|s| (s.juror.clone(), s.vote))
			.partition(|(_, vote)| vote.is_some() && (majority.is_none() || *vote == majority));
		// Records, duties, slashes.
		let mut pot = T::Balance::zero();
		for (juror, vote) in &incoherent {
			let held = T::Currency::balance_on_hold(&Self::contribution_reason(), juror);
			let amount = params.incoherence_slash * held;
			if !amount.is_zero() {
				// Into the pallet-less pot: moved straight to the majority below, or the
				// treasury if there is none.
				T::Currency::transfer_on_hold(
					&Self::contribution_reason(),
					juror,
					&T::TreasuryAccount::get(),
					amount,
					Precision::BestEffort,
					Restriction::Free,
					Fortitude::Force,
				)?;
				pot.saturating_accrue(amount);
				Self::deposit_event(Event::JurorSlashed { case: id, juror: juror.clone(), amount });
			}
			Self::after_slash(juror, &params);
			Self::record(juror, |r| {
				if vote.is_none() {
					r.missed.saturating_inc()
				} else {
					r.against_majority.saturating_inc()
				}
			});
		}
		Self::end_duties(id, &case);
		for (juror, _) in &coherent {
			Self::record(juror, |r| {
				if majority.is_some() {
					r.with_majority.saturating_inc()
				}
			});
		}
		let Some(majority) = majority else {
			// No majority: a new jury, or the end.
			if case.round < T::MaxRedraws::get() {
				case.round.saturating_inc();
				// Those who did not reveal are not drawn again for this case.
				case.skip = case
					.seats
					.iter()
					.filter(|s| s.vote.is_none())
					.map(|s| s.juror.clone())
					.collect::<Vec<_>>()
					.try_into()
					.unwrap_or_default();
				case.seats = BoundedVec::new();
				case.phase = Self::drawing(Self::now());
				let round = case.round;
				Cases::<T>::insert(id, case);
				Self::deposit_event(Event::Redrawn { case: id, round });
				return Ok(());
			}
			return Self::close(id, case, Outcome::Undecided, ayes, nays, &[]);
		};
		// The majority is paid: its fee from the treasury, and its share of the slashes (moved
		// to the treasury above, paid on from there).
		let winners: Vec<T::AccountId> = coherent.into_iter().map(|(j, _)| j).collect();
		let share = pot / T::Balance::from(winners.len().max(1) as u64);
		for juror in &winners {
			// The share first (it was just moved to the treasury), then the fee: a treasury
			// short of the fee does not hold back the share.
			let pay = |amount: T::Balance| {
				amount.is_zero()
					|| frame_support::storage::with_storage_layer(|| {
						T::Currency::transfer(
							&T::TreasuryAccount::get(),
							juror,
							amount,
							Preservation::Preserve,
						)
					})
					.is_ok()
			};
			let share_paid = if pay(share) { share } else { Zero::zero() };
			if pay(params.juror_fee) {
				Self::deposit_event(Event::JurorPaid {
					case: id,
					juror: juror.clone(),
					fee: params.juror_fee,
					share: share_paid,
				});
			} else {
				Self::deposit_event(Event::JurorPaid {
					case: id,
					juror: juror.clone(),
					fee: Zero::zero(),
					share: share_paid,
				});
				Self::deposit_event(Event::JurorFeeUnpaid {
					case: id,
					juror: juror.clone(),
					fee: params.juror_fee,
				});
			}
		}
		let outcome = if majority == Vote::Aye { Outcome::Aye } else { Outcome::Nay };
		Self::close(id, case, outcome, ayes, nays, &winners)
	}

	/// Keeps a slashed juror's recorded contribution true, and takes it out of the draw once
	/// what it holds falls below `min_contribution`.
	fn after_slash(juror: &T::AccountId, params: &ParamsOf<T>) {
		let held = T::Currency::balance_on_hold(&Self::contribution_reason(), juror);
		let mut leaving = false;
		Members::<T>::mutate(juror, |s| {
			if let Some(s) = s {
				s.contribution = held;
				if held < params.min_contribution && s.leaving_since.is_none() {
					s.leaving_since = Some(Self::now());
					leaving = true;
				}
			}
		});
		if leaving {
			Pool::<T>::mutate(|pool| pool.retain(|s| s != juror));
			let release_at = Self::now().saturating_add(params.resign_delay);
			Self::deposit_event(Event::Leaving { who: juror.clone(), release_at, removed: true });
		}
	}

	fn record(juror: &T::AccountId, f: impl FnOnce(&mut Record)) {
		Members::<T>::mutate(juror, |s| {
			if let Some(s) = s {
				s.record.cases.saturating_inc();
				f(&mut s.record);
			}
		});
	}

	/// The seats of `case` are no longer duties of its jurors.
	fn end_duties(id: CaseId, case: &CaseOf<T>) {
		for seat in case.seats.iter() {
			Members::<T>::mutate(&seat.juror, |s| {
				if let Some(s) = s {
					s.open_duties = s.open_duties.saturating_sub(1);
				}
			});
			Duties::<T>::remove(&seat.juror, id);
		}
	}

	/// Ends `case` with `outcome`: applies the verdict (in its own storage layer: one that
	/// cannot apply any more is reported, not fatal) and settles a report's bond.
	fn close(
		id: CaseId,
		case: CaseOf<T>,
		outcome: Outcome,
		ayes: u32,
		nays: u32,
		winners: &[T::AccountId],
	) -> DispatchResult {
		Cases::<T>::remove(id);
		let params = Params::<T>::get();
		let applied = frame_support::storage::with_storage_layer(|| -> DispatchResult {
			match (&case.kind, outcome) {
				(_, Outcome::Undecided | Outcome::Moot) => Ok(()),
				(CaseKind::Verification { machine }, _) => T::Verification::record_verification(
					*machine,
					outcome == Outcome::Aye,
					Reviewer::Jury(id),
				),
				(CaseKind::Dispute { lease, .. }, _) => {
					let verdict = if outcome == Outcome::Aye {
						Verdict { refund: Perbill::one(), slash: params.dispute_slash }
					} else {
						Verdict::default_verdict()
					};
					T::Disputes::resolve(*lease, verdict, winners)
				},
				(CaseKind::Report { machine, reporter, .. }, Outcome::Aye) => {
					T::Slashing::slash(
						*machine,
						params.report_slash,
						SlashReason::ConfirmedReport,
						None,
						Some(reporter.clone()),
						winners,
					)?;
					// And it is reviewed again: no leases or rewards until a new verdict. A
					// machine that is leased, or not verified, keeps its state (the slash stands).
					if T::Compute::state(*machine) == Some(MachineState::Idle) {
						T::Verification::revoke_verification(*machine, Reviewer::Jury(id))?;
					}
					Ok(())
				},
				(CaseKind::Report { .. }, Outcome::Nay) => Ok(()),
			}
		});
		if let Err(error) = applied {
			Self::deposit_event(Event::VerdictNotApplied { case: id, error });
		}
		if let CaseKind::Report { machine, reporter, bond } = &case.kind {
			OpenReports::<T>::mutate_exists(machine, |n| {
				*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
			});
			let reason = HoldReason::ReportBond.into();
			if outcome == Outcome::Nay {
				T::Currency::transfer_on_hold(
					&reason,
					reporter,
					&T::TreasuryAccount::get(),
					*bond,
					Precision::BestEffort,
					Restriction::Free,
					Fortitude::Force,
				)?;
			} else {
				T::Currency::release(&reason, reporter, *bond, Precision::BestEffort)?;
			}
		}
		Self::deposit_event(Event::CaseClosed { case: id, outcome, ayes, nays });
		Ok(())
	}

	/// `who` as a supervisor, with its tasks (for the runtime API).
	pub fn status(who: &T::AccountId) -> Option<SupervisorStatus<T::Balance, BlockNumberFor<T>>> {
		let s = Members::<T>::get(who)?;
		Some(SupervisorStatus {
			contribution: s.contribution,
			since: s.since,
			leaving_since: s.leaving_since,
			in_pool: Self::is_supervisor(who),
			record: s.record,
			tasks: Self::tasks_of(who, 100),
		})
	}

	/// `who`'s undecided jury seats: (case, what it must do now), at most `limit`.
	pub fn tasks_of(who: &T::AccountId, limit: u32) -> Vec<(CaseId, JuryTask)> {
		Duties::<T>::iter_key_prefix(who)
			.take(limit as usize)
			.filter_map(|id| {
				let case = Cases::<T>::get(id)?;
				let seat = case.seats.iter().find(|s| &s.juror == who)?;
				let task = match case.phase {
					Phase::Commit { .. } if seat.commitment.is_none() => JuryTask::Commit,
					Phase::Reveal { .. } if seat.commitment.is_some() && seat.vote.is_none() => {
						JuryTask::Reveal
					},
					_ => JuryTask::Wait,
				};
				Some((id, task))
			})
			.collect()
	}

	/// Checks the pallet's invariants: the pool holds exactly the supervisors not leaving;
	/// open report counts match the report cases; every seat is a duty and every duty a seat.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (who, s) in Members::<T>::iter() {
			ensure!(
				Duties::<T>::iter_prefix(&who).count() as u32 == s.open_duties,
				"duties match open_duties"
			);
		}
		for (juror, id, ()) in Duties::<T>::iter() {
			ensure!(
				Cases::<T>::get(id).is_some_and(|c| c.seats.iter().any(|s| s.juror == juror)),
				"a duty is a seat"
			);
		}
		let pool = Pool::<T>::get();
		for (who, s) in Members::<T>::iter() {
			ensure!(
				pool.contains(&who) == s.leaving_since.is_none(),
				"pool = supervisors not leaving"
			);
		}
		ensure!(pool.iter().all(|p| Members::<T>::contains_key(p)), "pool holds only supervisors");
		let mut reports: alloc::collections::btree_map::BTreeMap<MachineId, u32> =
			Default::default();
		for (_, case) in Cases::<T>::iter() {
			if let CaseKind::Report { machine, .. } = case.kind {
				*reports.entry(machine).or_default() += 1;
			}
		}
		for (machine, n) in OpenReports::<T>::iter() {
			ensure!(reports.get(&machine) == Some(&n), "open reports match the report cases");
		}
		ensure!(reports.len() == OpenReports::<T>::iter().count(), "every report case is counted");
		Ok(())
	}
}

impl<T: Config> DisputeJury<T::AccountId> for Pallet<T> {
	fn dispute_opened(
		lease: LeaseId,
		machine: MachineId,
		customer: &T::AccountId,
		provider: &T::AccountId,
	) -> DispatchResult {
		let priority = T::Benefits::priority(customer);
		Self::open_case(
			CaseKind::Dispute {
				lease,
				machine,
				customer: customer.clone(),
				provider: provider.clone(),
			},
			priority,
		)
		.map(|_| ())
	}
	fn dispute_opened_weight() -> Weight {
		T::WeightInfo::open_case().saturating_add(T::Benefits::weight())
	}
}

impl<T: Config> VerificationJury for Pallet<T> {
	fn verification_requested(machine: MachineId) -> DispatchResult {
		Self::open_case(CaseKind::Verification { machine }, 0).map(|_| ())
	}
	fn verification_requested_weight() -> Weight {
		T::WeightInfo::open_case()
	}
}

impl<T: Config> JudgementGuard for Pallet<T> {
	fn under_judgement(machine: MachineId) -> bool {
		OpenReports::<T>::contains_key(machine)
	}
}

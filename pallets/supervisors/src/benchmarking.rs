//! Benchmarks of every call at its worst case (frame-benchmarking v2): the pool and the
//! applications at their bounds, the longest statement, a full jury, and a decision that slashes
//! half the jury and a machine whose collateral is mostly a pledged NFT.

use super::*;
use crate::Pallet as Supervisors;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
use frame_system::RawOrigin;
use sp_runtime::{Perbill, Saturating};

fn plenty<T: Config>() -> T::Balance {
	T::Balance::from(1_000_000_000_000_000u64)
}

fn contribution<T: Config>() -> T::Balance {
	T::Balance::from(1_000_000u64)
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::Currency::set_balance(&who, plenty::<T>());
	who
}

/// Parameters under which every path runs: a fee, slashes and bonds above zero.
fn configure<T: Config>() {
	Params::<T>::put(SupervisorParams {
		min_contribution: contribution::<T>(),
		commit_period: 10u32.into(),
		reveal_period: 10u32.into(),
		resign_delay: 10u32.into(),
		juror_fee: T::Balance::from(1_000u64),
		incoherence_slash: Perbill::from_percent(10),
		report_bond: T::Balance::from(10_000u64),
		report_slash: Perbill::from_percent(50),
		dispute_slash: Perbill::from_percent(10),
		max_wait: 100u32.into(),
	});
	T::Currency::set_balance(&T::TreasuryAccount::get(), plenty::<T>());
}

fn statement<T: Config>() -> Statement<T> {
	vec![b'x'; T::MaxStatementLen::get() as usize].try_into().expect("exact bound; qed")
}

/// `n` admitted supervisors.
fn supervisors<T: Config>(n: u32) -> Vec<T::AccountId> {
	configure::<T>();
	(0..n)
		.map(|i| {
			let who = funded::<T>("supervisor", i);
			Supervisors::<T>::do_apply(who.clone(), contribution::<T>(), statement::<T>())
				.expect("funded; qed");
			Supervisors::<T>::do_admit(who.clone()).expect("applied; qed");
			who
		})
		.collect()
}

/// `n` pending applications.
fn applications<T: Config>(n: u32) {
	for i in 0..n {
		let who = funded::<T>("applicant", i);
		Supervisors::<T>::do_apply(who, contribution::<T>(), statement::<T>())
			.expect("funded; qed");
	}
}

/// `votes` supervisors vote on `candidate`, evenly for and against, short of a decision.
fn undecided_votes<T: Config>(candidate: &T::AccountId, voters: &[T::AccountId], votes: usize) {
	for (i, voter) in voters.iter().take(votes).enumerate() {
		Supervisors::<T>::do_vote_admission(voter.clone(), candidate.clone(), i % 2 == 0)
			.expect("undecided; qed");
	}
}

fn advance<T: Config>(blocks: u32) {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(blocks.into()));
}

/// A report case on a machine whose collateral is mostly a pledged NFT, with its jury drawn
/// from a full pool.
fn drawn_report<T: Config>() -> (CaseId, Vec<T::AccountId>) {
	supervisors::<T>(T::MaxSupervisors::get());
	let provider = funded::<T>("provider", 0);
	let owner = funded::<T>("owner", 0);
	let machine = T::BenchmarkHelper::machine(&provider, &owner);
	let reporter = funded::<T>("reporter", 0);
	Supervisors::<T>::do_report(reporter, machine).expect("funded; qed");
	let case = NextCaseId::<T>::get().saturating_sub(1);
	advance::<T>(2);
	Supervisors::<T>::do_advance(case).expect("randomness newer than the case; qed");
	let jurors =
		Cases::<T>::get(case).expect("open; qed").seats.into_iter().map(|s| s.juror).collect();
	(case, jurors)
}

fn salt() -> [u8; 32] {
	[7u8; 32]
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn apply() {
		configure::<T>();
		applications::<T>(T::MaxApplications::get().saturating_sub(1));
		let who = funded::<T>("candidate", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), contribution::<T>(), statement::<T>());
		assert!(Applications::<T>::contains_key(&who));
	}

	#[benchmark]
	fn withdraw_application() {
		let voters = supervisors::<T>(T::MaxSupervisors::get().saturating_sub(1));
		let who = funded::<T>("candidate", 0);
		Supervisors::<T>::do_apply(who.clone(), contribution::<T>(), statement::<T>())
			.expect("funded; qed");
		undecided_votes::<T>(&who, &voters, voters.len().saturating_sub(1) / 2 * 2);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Applications::<T>::contains_key(&who));
	}

	/// The vote that admits: the pool grows, the application and its votes go.
	#[benchmark]
	fn vote_admission() {
		let voters = supervisors::<T>(T::MaxSupervisors::get().saturating_sub(1));
		let who = funded::<T>("candidate", 0);
		Supervisors::<T>::do_apply(who.clone(), contribution::<T>(), statement::<T>())
			.expect("funded; qed");
		// Ayes one short of a majority, the rest against but short of half.
		let n = voters.len();
		let ayes = n / 2;
		for voter in voters.iter().take(ayes) {
			Supervisors::<T>::do_vote_admission(voter.clone(), who.clone(), true)
				.expect("short of a majority; qed");
		}
		let last = voters[ayes].clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(last), who.clone(), true);
		assert!(Supervisors::<T>::is_supervisor(&who));
	}

	/// The vote that removes: out of the pool, the motion and its votes cleared.
	#[benchmark]
	fn vote_removal() {
		let all = supervisors::<T>(T::MaxSupervisors::get());
		let target = all[0].clone();
		let voters = &all[1..];
		let n = all.len();
		for voter in voters.iter().take(n / 2) {
			Supervisors::<T>::do_vote_removal(voter.clone(), target.clone(), true)
				.expect("short of a majority; qed");
		}
		let last = voters[n / 2].clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(last), target.clone(), true);
		assert!(!Supervisors::<T>::is_supervisor(&target));
	}

	#[benchmark]
	fn admit() -> Result<(), BenchmarkError> {
		let voters = supervisors::<T>(T::MaxSupervisors::get().saturating_sub(1));
		let who = funded::<T>("candidate", 0);
		Supervisors::<T>::do_apply(who.clone(), contribution::<T>(), statement::<T>())
			.expect("funded; qed");
		undecided_votes::<T>(&who, &voters, voters.len().saturating_sub(1) / 2 * 2);
		let origin =
			T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Supervisors::<T>::is_supervisor(&who));
		Ok(())
	}

	#[benchmark]
	fn remove() -> Result<(), BenchmarkError> {
		let all = supervisors::<T>(T::MaxSupervisors::get());
		let last = all.last().cloned().expect("a full pool; qed");
		let origin =
			T::AdmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, last.clone());
		assert!(!Supervisors::<T>::is_supervisor(&last));
		Ok(())
	}

	#[benchmark]
	fn resign() {
		let all = supervisors::<T>(T::MaxSupervisors::get());
		let last = all.last().cloned().expect("a full pool; qed");
		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()));
		assert!(!Supervisors::<T>::is_supervisor(&last));
	}

	#[benchmark]
	fn withdraw_contribution() {
		let all = supervisors::<T>(1);
		let who = all[0].clone();
		Supervisors::<T>::do_leave(who.clone(), false).expect("a supervisor; qed");
		advance::<T>(10);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Members::<T>::get(&who).is_none());
	}

	#[benchmark]
	fn commit_verdict() {
		let (case, jurors) = drawn_report::<T>();
		let juror = jurors.last().cloned().expect("a full jury; qed");
		let commitment = Supervisors::<T>::commitment(case, 0, &juror, Vote::Aye, &salt());
		#[extrinsic_call]
		_(RawOrigin::Signed(juror), case, commitment);
	}

	#[benchmark]
	fn reveal_verdict() {
		let (case, jurors) = drawn_report::<T>();
		for juror in &jurors {
			let c = Supervisors::<T>::commitment(case, 0, juror, Vote::Aye, &salt());
			Supervisors::<T>::do_commit(juror.clone(), case, c).expect("a juror; qed");
		}
		Supervisors::<T>::do_advance(case).expect("all committed; qed");
		let juror = jurors.last().cloned().expect("a full jury; qed");
		#[extrinsic_call]
		_(RawOrigin::Signed(juror), case, Vote::Aye, salt());
	}

	/// Drawing a jury from a full pool.
	#[benchmark]
	fn advance_draw() {
		supervisors::<T>(T::MaxSupervisors::get());
		let provider = funded::<T>("provider", 0);
		let owner = funded::<T>("owner", 0);
		let machine = T::BenchmarkHelper::machine(&provider, &owner);
		let reporter = funded::<T>("reporter", 0);
		Supervisors::<T>::do_report(reporter, machine).expect("funded; qed");
		let case = NextCaseId::<T>::get().saturating_sub(1);
		advance::<T>(2);
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		advance(RawOrigin::Signed(caller), case);
		assert!(Cases::<T>::get(case).is_some_and(|c| !c.seats.is_empty()));
	}

	/// Deciding a confirmed report: the smallest majority reveals, the rest of the jury is
	/// absent and slashed, the majority is paid, the machine slashed (its NFT seized).
	#[benchmark]
	fn advance_decide() {
		let (case, jurors) = drawn_report::<T>();
		let majority = jurors.len() / 2 + 1;
		for juror in jurors.iter().take(majority) {
			let c = Supervisors::<T>::commitment(case, 0, juror, Vote::Aye, &salt());
			Supervisors::<T>::do_commit(juror.clone(), case, c).expect("a juror; qed");
		}
		advance::<T>(11);
		Supervisors::<T>::do_advance(case).expect("the commit period is over; qed");
		for juror in jurors.iter().take(majority) {
			Supervisors::<T>::do_reveal(juror.clone(), case, Vote::Aye, salt())
				.expect("committed; qed");
		}
		advance::<T>(11);
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		advance(RawOrigin::Signed(caller), case);
		assert!(Cases::<T>::get(case).is_none());
	}

	#[benchmark]
	fn report() {
		configure::<T>();
		let provider = funded::<T>("provider", 0);
		let owner = funded::<T>("owner", 0);
		let machine = T::BenchmarkHelper::machine(&provider, &owner);
		let reporter = funded::<T>("reporter", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), machine);
		assert!(OpenReports::<T>::contains_key(machine));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = SupervisorParams {
			min_contribution: contribution::<T>(),
			commit_period: 20u32.into(),
			reveal_period: 20u32.into(),
			resign_delay: 20u32.into(),
			juror_fee: T::Balance::from(1u64),
			incoherence_slash: Perbill::from_percent(5),
			report_bond: T::Balance::from(1u64),
			report_slash: Perbill::from_percent(5),
			dispute_slash: Perbill::from_percent(5),
			max_wait: 50u32.into(),
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params.clone());
		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// Opening a case (what a registration or a dispute adds to its caller's weight).
	#[benchmark]
	fn open_case() {
		let machine = 0;
		#[block]
		{
			<Supervisors<T> as powerverse_primitives::VerificationJury>::verification_requested(
				machine,
			)
			.expect("a new id; qed");
		}
		assert_eq!(NextCaseId::<T>::get(), 1);
	}

	impl_benchmark_test_suite!(Supervisors, crate::mock::ExtBuilder::build(), crate::mock::Test);
}

//! Benchmarks of every call at its worst case (frame-benchmarking v2): queues and lists at or
//! one below their bounds, and every call that can end a failed lease measured on that path:
//! it ends the lease, slashes the machine (whose collateral is mostly a pledged NFT, so the
//! slash seizes the NFT), finalizes, pays and removes the lease in one call.

use super::*;
use crate::Pallet as Market;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Mutate, MutateHold},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use powerverse_primitives::{JobId, JobRequirements, LeaseId, MachineId, Verdict};
use sp_runtime::{traits::Zero, Perbill, Saturating};

fn plenty<T: Config>() -> T::Balance {
	T::Balance::from(1_000_000_000_000_000_000u64)
}

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, plenty::<T>());
	who
}

/// A 10% fee and a 20% offline slash, so every payment moves PEC to the treasury too.
fn set_params<T: Config>() {
	Params::<T>::put(MarketParams {
		protocol_fee: Perbill::from_percent(10),
		offline_slash: Perbill::from_percent(20),
	});
}

/// Every requirement is checked (cores, RAM, region); the benchmark machines meet them.
fn requirements() -> JobRequirements {
	JobRequirements { min_cores: 1, min_ram_gib: 1, region: Some(*b"DE"), ..Default::default() }
}

fn spec<T: Config>() -> JobSpecOf<T> {
	let bytes = vec![b'x'; T::MaxJobSpecLen::get() as usize];
	BoundedVec::try_from(bytes).expect("exactly the bound; qed")
}

const HOURS: u32 = 10;

fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

fn advance<T: Config>(blocks: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(now::<T>().saturating_add(blocks));
}

fn hours<T: Config>(n: u32) -> BlockNumberFor<T> {
	T::BlocksPerHour::get().saturating_mul(n.into())
}

/// Fills the job queue of level 0 to its bound with an expired job at its head (so `post_job`
/// drops it, the worst path), and the customer's job and lease lists to one below their bounds,
/// with ids that never collide with real ones.
fn fill_indexes<T: Config>(customer: &T::AccountId) {
	let fake = |n: u32| -> alloc::vec::Vec<u64> {
		(0..n.saturating_sub(1)).map(|i| u64::MAX - u64::from(i)).collect()
	};
	let expired = posted::<T>(&funded::<T>("early customer"));
	advance::<T>(T::JobLifetime::get());
	let mut queue = vec![expired];
	queue.extend(fake(T::MaxOpenJobsPerLevel::get()));
	OpenJobs::<T>::insert(0, BoundedVec::try_from(queue).expect("at the bound; qed"));
	CustomerJobs::<T>::insert(
		customer,
		BoundedVec::try_from(fake(T::MaxJobsPerCustomer::get())).expect("below bound; qed"),
	);
	CustomerLeases::<T>::insert(
		customer,
		BoundedVec::try_from(fake(T::MaxLeasesPerCustomer::get())).expect("below bound; qed"),
	);
}

/// A provider's machine (NFT held by another account) and a funded customer with full lists.
fn setup<T: Config>() -> (T::AccountId, MachineId) {
	set_params::<T>();
	let provider = funded::<T>("provider");
	let owner = funded::<T>("owner");
	let customer = funded::<T>("customer");
	T::Currency::set_balance(&T::TreasuryAccount::get(), plenty::<T>());
	let machine = T::BenchmarkHelper::machine(&provider, &owner);
	fill_indexes::<T>(&customer);
	T::BenchmarkHelper::heartbeat(machine);
	(customer, machine)
}

/// Removes the expired job at the queue's head, leaving the queue one below its bound.
fn drop_expired_head<T: Config>() {
	let head = OpenJobs::<T>::get(0).first().copied().expect("filled queue; qed");
	Market::<T>::do_cancel_job(account("anyone", 0, 0), head).expect("expired job; qed");
}

fn posted<T: Config>(customer: &T::AccountId) -> JobId {
	Market::<T>::do_post_job(
		customer.clone(),
		requirements(),
		plenty::<T>() / 1_000_000u64.into(),
		HOURS,
		spec::<T>(),
	)
	.expect("funded customer, valid job; qed")
	.0
}

fn rented<T: Config>(customer: &T::AccountId, machine: MachineId) -> LeaseId {
	Market::<T>::do_rent_machine(customer.clone(), machine, HOURS, plenty::<T>(), spec::<T>())
		.expect("idle machine, funded customer; qed")
}

/// A lease whose machine beats for `alive_for`, then falls silent until the lease has just
/// failed (its downtime past the grace period), so it is still inside its challenge window.
fn failed_lease<T: Config>(
	customer: &T::AccountId,
	machine: MachineId,
	alive_for: BlockNumberFor<T>,
) -> LeaseId {
	let lease = lease_run::<T>(customer, machine, alive_for, 0u32.into());
	let record = Leases::<T>::get(lease).expect("just started; qed");
	let mut guard = 0u32;
	while !Market::<T>::has_failed(&record) && guard < 1_000_000 {
		advance::<T>(1u32.into());
		guard += 1;
	}
	lease
}

/// A lease whose machine beats for `alive_for` (every half grace period, so it is never down),
/// then stays silent for `silent_for`.
fn lease_run<T: Config>(
	customer: &T::AccountId,
	machine: MachineId,
	alive_for: BlockNumberFor<T>,
	silent_for: BlockNumberFor<T>,
) -> LeaseId {
	let lease = rented::<T>(customer, machine);
	let step = (T::OfflineGracePeriod::get() / 2u32.into()).max(1u32.into());
	let until = now::<T>().saturating_add(alive_for);
	while now::<T>() < until {
		advance::<T>(step.min(until.saturating_sub(now::<T>())));
		T::BenchmarkHelper::heartbeat(machine);
	}
	advance::<T>(silent_for);
	lease
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn post_job() {
		let (customer, _) = setup::<T>();
		let price = plenty::<T>() / 1_000_000u64.into();
		#[extrinsic_call]
		_(RawOrigin::Signed(customer), requirements(), price, T::MaxHours::get(), spec::<T>());
		assert_eq!(OpenJobs::<T>::get(0).len() as u32, T::MaxOpenJobsPerLevel::get());
		assert!(!Jobs::<T>::contains_key(0), "the expired head was dropped");
	}

	/// The usual path: the queue has room, nothing expires.
	#[benchmark]
	fn post_job_no_expiry() {
		let (customer, _) = setup::<T>();
		drop_expired_head::<T>();
		let price = plenty::<T>() / 1_000_000u64.into();
		#[extrinsic_call]
		post_job(
			RawOrigin::Signed(customer),
			requirements(),
			price,
			T::MaxHours::get(),
			spec::<T>(),
		);
		assert_eq!(OpenJobs::<T>::get(0).len() as u32, T::MaxOpenJobsPerLevel::get());
	}

	#[benchmark]
	fn cancel_job() {
		let (customer, _) = setup::<T>();
		drop_expired_head::<T>();
		let job = posted::<T>(&customer);
		#[extrinsic_call]
		_(RawOrigin::Signed(customer), job);
		assert!(!Jobs::<T>::contains_key(job));
	}

	#[benchmark]
	fn accept_job() {
		let (customer, machine) = setup::<T>();
		drop_expired_head::<T>();
		let job = posted::<T>(&customer);
		let provider: T::AccountId = account("provider", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), job, machine);
		assert!(ActiveLease::<T>::contains_key(machine));
	}

	#[benchmark]
	fn rent_machine() {
		let (customer, machine) = setup::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(customer), machine, T::MaxHours::get(), plenty::<T>(), spec::<T>());
		assert!(ActiveLease::<T>::contains_key(machine));
	}

	/// A machine that died after an hour: ends, refunds, slashes (seizing the pledged NFT).
	#[benchmark]
	fn end_lease() {
		let (customer, machine) = setup::<T>();
		let lease = failed_lease::<T>(&customer, machine, hours::<T>(1));
		#[extrinsic_call]
		_(RawOrigin::Signed(customer), lease);
		assert!(!ActiveLease::<T>::contains_key(machine));
	}

	/// A machine that died half-way, touched after the challenge window: ends, refunds,
	/// slashes (renter first, reporter paid), finalizes, pays out and removes the lease.
	#[benchmark]
	fn close_lease() {
		let (customer, machine) = setup::<T>();
		let silent = hours::<T>(HOURS).saturating_add(T::ChallengePeriod::get());
		let lease = lease_run::<T>(&customer, machine, hours::<T>(HOURS / 2), silent);
		let reporter = funded::<T>("reporter");
		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), lease);
		assert!(!Leases::<T>::contains_key(lease));
	}

	/// A machine that died half-way, claimed after the challenge window: ends, refunds,
	/// slashes (seizing the pledged NFT), finalizes, pays all and removes.
	#[benchmark]
	fn claim_earnings() {
		let (customer, machine) = setup::<T>();
		let silent = hours::<T>(HOURS).saturating_add(T::ChallengePeriod::get());
		let lease = lease_run::<T>(&customer, machine, hours::<T>(HOURS / 2), silent);
		let owner: T::AccountId = account("owner", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), lease);
		assert!(!Leases::<T>::contains_key(lease));
	}

	/// The usual claim: a running lease of a healthy machine pays what it accrued so far, claimed
	/// by the machine's provider key on the owner's behalf (one read more than the owner's).
	#[benchmark]
	fn claim_earnings_running() {
		let (customer, machine) = setup::<T>();
		let lease = lease_run::<T>(&customer, machine, hours::<T>(HOURS / 2), 0u32.into());
		let provider: T::AccountId = account("provider", 0, 0);
		#[extrinsic_call]
		claim_earnings(RawOrigin::Signed(provider), lease);
		assert!(Leases::<T>::get(lease).is_some_and(|l| l.status == LeaseStatus::Active));
		assert!(Leases::<T>::get(lease).is_some_and(|l| !l.paid.is_zero()));
	}

	/// A machine that died after an hour: ends, slashes (seizing the pledged NFT), records.
	#[benchmark]
	fn submit_result() {
		let (customer, machine) = setup::<T>();
		let lease = failed_lease::<T>(&customer, machine, hours::<T>(1));
		let provider: T::AccountId = account("provider", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), lease, [7u8; 32]);
		assert!(Leases::<T>::get(lease).is_some_and(|l| l.result.is_some()));
	}

	/// A machine that died after an hour: ends, slashes (seizing the pledged NFT), finalizes,
	/// pays all and removes.
	#[benchmark]
	fn confirm_result() {
		let (customer, machine) = setup::<T>();
		let lease = failed_lease::<T>(&customer, machine, hours::<T>(1));
		#[extrinsic_call]
		_(RawOrigin::Signed(customer), lease);
		assert!(!Leases::<T>::contains_key(lease));
	}

	/// A machine that died after an hour: ends, slashes (seizing the pledged NFT), holds the
	/// deposit and hands the dispute to the jury.
	#[benchmark]
	fn open_dispute() {
		let (customer, machine) = setup::<T>();
		let lease = failed_lease::<T>(&customer, machine, hours::<T>(1));
		#[extrinsic_call]
		_(RawOrigin::Signed(customer), lease);
		assert!(Leases::<T>::get(lease).is_some_and(|l| l.status == LeaseStatus::Disputed));
	}

	/// Refunds half, slashes with the customer compensated first (seizing the pledged NFT),
	/// settles the deposit, pays the rest and removes.
	#[benchmark]
	fn resolve_dispute() -> Result<(), BenchmarkError> {
		let (customer, machine) = setup::<T>();
		let lease = lease_run::<T>(&customer, machine, hours::<T>(HOURS / 2), 1u32.into());
		Market::<T>::do_claim_earnings(account("owner", 0, 0), lease).expect("accrued; qed");
		advance::<T>(hours::<T>(1));
		T::BenchmarkHelper::heartbeat(machine);
		Market::<T>::do_open_dispute(customer, lease).expect("running lease; qed");
		let origin =
			T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let verdict =
			Verdict { refund: Perbill::from_percent(50), slash: Perbill::from_percent(10) };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lease, verdict);
		assert!(!Leases::<T>::contains_key(lease));
		Ok(())
	}

	#[benchmark]
	fn list_machine() {
		let (_, machine) = setup::<T>();
		let provider: T::AccountId = account("provider", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), machine);
		assert!(Offers::<T>::contains_key(machine));
	}

	#[benchmark]
	fn delist_machine() {
		let (_, machine) = setup::<T>();
		let provider: T::AccountId = account("provider", 0, 0);
		Market::<T>::do_list_machine(provider.clone(), machine).expect("verified; qed");
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), machine);
		assert!(!Offers::<T>::contains_key(machine));
	}

	/// The NFT holder (checked after the provider and operator) sets a stable price on a listed
	/// machine, which moves it between the offer indexes (also the bound of `PriceObserver`).
	#[benchmark]
	fn set_stable_price() {
		let (_, machine) = setup::<T>();
		let provider: T::AccountId = account("provider", 0, 0);
		Market::<T>::do_list_machine(provider.clone(), machine).expect("verified; qed");
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), machine, Some(T::Balance::from(2_000_000u64)));
		assert!(StablePrices::<T>::contains_key(machine));
		assert_eq!(Offers::<T>::get(machine).map(|o| o.unit), Some(PriceUnit::Stable));
	}

	#[benchmark]
	fn claim_unclaimed() {
		let who = funded::<T>("beneficiary");
		let treasury = T::TreasuryAccount::get();
		T::Currency::set_balance(&treasury, plenty::<T>());
		let amount = T::Balance::from(1_000u64);
		T::Currency::hold(&HoldReason::Unclaimed.into(), &treasury, amount)
			.expect("funded treasury; qed");
		Unclaimed::<T>::insert(&who, amount);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Unclaimed::<T>::contains_key(&who));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = MarketParams {
			protocol_fee: Perbill::from_percent(5),
			offline_slash: Perbill::from_percent(30),
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);
		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	impl_benchmark_test_suite!(Market, crate::mock::ExtBuilder::build(), crate::mock::Test);
}

//! The logic behind the calls, the queries behind the runtime API, and the primitives traits
//! this pallet implements.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{
	defensive, ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use powerverse_primitives::{
	ComputeInspect, ComputeLeasing, CustomerBenefits, DisputeJury, DisputeResolution, JobId,
	JobRequirements, JudgementGuard, LeaseId, MachineCollateral, MachineId, MachineListing,
	MachineSlashing, MachineState, PecPrice, PriceObserver, PriceUnavailable, PriorityLevel,
	RequirementMiss, RetirementGuard, RewardsObserver, RunningLease, SlashReason, Verdict,
};
use sp_runtime::{
	traits::{CheckedAdd, CheckedMul, Saturating, UniqueSaturatedInto, Zero},
	ArithmeticError, DispatchError, Perbill,
};

impl<T: Config> Pallet<T> {
	fn hold_reason() -> T::RuntimeHoldReason {
		HoldReason::Escrow.into()
	}

	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// `price × hours`, the budget of a job or lease.
	pub fn budget(price: T::Balance, hours: u32) -> Result<T::Balance, DispatchError> {
		price
			.checked_mul(&T::Balance::from(u64::from(hours)))
			.ok_or_else(|| Error::<T>::BudgetOverflow.into())
	}

	fn check_hours(hours: u32) -> DispatchResult {
		ensure!(hours > 0, Error::<T>::ZeroHours);
		ensure!(hours <= T::MaxHours::get(), Error::<T>::TooManyHours);
		Ok(())
	}

	fn check_requirements(requirements: &JobRequirements) -> DispatchResult {
		if let Some(model) = &requirements.gpu_model {
			ensure!(!model.is_empty(), Error::<T>::EmptyGpuModel);
		}
		if let Some(region) = requirements.region {
			ensure!(region.iter().all(|c| c.is_ascii_uppercase()), Error::<T>::InvalidRegion);
		}
		Ok(())
	}

	/// Holds `amount` from `who` as escrow.
	fn hold_escrow(who: &T::AccountId, amount: T::Balance) -> DispatchResult {
		let free = T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
		ensure!(free >= amount, Error::<T>::InsufficientBalance);
		T::Currency::hold(&Self::hold_reason(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Ok(())
	}

	/// Releases `amount` of `who`'s escrow back to them.
	fn release_escrow(who: &T::AccountId, amount: T::Balance) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::release(&Self::hold_reason(), who, amount, Precision::Exact)?;
		Ok(())
	}

	/// The machine's view (one decode of its record), or `UnknownMachine`.
	fn view_of(machine: MachineId) -> Result<MachineViewOf<T>, DispatchError> {
		T::Compute::view(machine).ok_or_else(|| Error::<T>::UnknownMachine.into())
	}

	/// Fails unless `who` is `machine`'s provider or operator.
	fn ensure_operator(who: &T::AccountId, machine: MachineId) -> DispatchResult {
		Self::ensure_operator_of(who, &Self::view_of(machine)?)
	}

	fn ensure_operator_of(who: &T::AccountId, view: &MachineViewOf<T>) -> DispatchResult {
		ensure!(*who == view.provider || *who == view.operator, Error::<T>::NotMachineOperator);
		Ok(())
	}

	/// Whether a lease may start on `machine` now; the error says why not.
	pub fn ensure_leasable(machine: MachineId) -> DispatchResult {
		Self::ensure_leasable_view(machine, &Self::view_of(machine)?)
	}

	fn ensure_leasable_view(machine: MachineId, view: &MachineViewOf<T>) -> DispatchResult {
		match view.state {
			MachineState::Retired => return Err(Error::<T>::UnknownMachine.into()),
			MachineState::PendingVerification | MachineState::Rejected => {
				return Err(Error::<T>::MachineNotVerified.into())
			},
			MachineState::Leased => return Err(Error::<T>::MachineLeased.into()),
			MachineState::Maintenance => return Err(Error::<T>::MachineInMaintenance.into()),
			MachineState::Offline => return Err(Error::<T>::MachineOffline.into()),
			MachineState::Idle => {},
		}
		ensure!(!ActiveLease::<T>::contains_key(machine), Error::<T>::MachineLeased);
		ensure!(
			T::Collateral::is_sufficiently_collateralized(machine),
			Error::<T>::InsufficientCollateral
		);
		Ok(())
	}

	/// Whether `machine` meets `requirements`; the error names the first one it misses.
	pub fn ensure_meets(machine: MachineId, requirements: &JobRequirements) -> DispatchResult {
		let spec = T::Compute::spec(machine).ok_or(Error::<T>::UnknownMachine)?;
		requirements.check(&spec, T::Compute::country(machine)).map_err(|miss| {
			match miss {
				RequirementMiss::Gpus => Error::<T>::NotEnoughGpus,
				RequirementMiss::Cores => Error::<T>::NotEnoughCores,
				RequirementMiss::Ram => Error::<T>::NotEnoughRam,
				RequirementMiss::Region => Error::<T>::WrongRegion,
			}
			.into()
		})
	}

	/// The machine's price per hour in PEC now, never zero: its stable price (also returned)
	/// converted at the oracle's average if it has one, else its posted PEC price. Quotes, job
	/// matching and lease starts all price with it.
	pub fn price_now(
		machine: MachineId,
	) -> Result<(T::Balance, Option<T::Balance>), DispatchError> {
		Self::price_of(machine, || T::Compute::price_per_hour(machine))
	}

	/// [`Self::price_now`] with the posted PEC price from `posted` (read only if needed).
	fn price_of(
		machine: MachineId,
		posted: impl FnOnce() -> Option<T::Balance>,
	) -> Result<(T::Balance, Option<T::Balance>), DispatchError> {
		let stable = StablePrices::<T>::get(machine);
		let price = match stable {
			Some(stable) => T::Price::stable_to_pec(stable).map_err(|e| match e {
				PriceUnavailable::NoPrice => Error::<T>::NoStablePrice,
				PriceUnavailable::Stale => Error::<T>::StablePriceStale,
				PriceUnavailable::ZeroPrice => Error::<T>::ZeroPrice,
			})?,
			None => posted().ok_or(Error::<T>::UnknownMachine)?,
		};
		ensure!(!price.is_zero(), Error::<T>::ZeroPrice);
		Ok((price, stable))
	}

	/// The price a lease starting now pays per hour ([`Self::price_now`]), with the conversion
	/// of a stable price recorded in an event.
	fn posted_price(
		machine: MachineId,
		view: &MachineViewOf<T>,
	) -> Result<T::Balance, DispatchError> {
		let (pec, stable) = Self::price_of(machine, || Some(view.price_per_hour))?;
		if let Some(stable) = stable {
			Self::deposit_event(Event::StablePriceConverted { machine, stable, pec });
		}
		Ok(pec)
	}

	pub(crate) fn do_set_stable_price(
		who: T::AccountId,
		machine: MachineId,
		per_hour: Option<T::Balance>,
	) -> DispatchResult {
		let gone = matches!(T::Compute::state(machine), None | Some(MachineState::Retired));
		if !(gone && per_hour.is_none()) {
			Self::ensure_lister(&who, machine)?;
		}
		match per_hour {
			Some(price) => {
				ensure!(!price.is_zero(), Error::<T>::ZeroPrice);
				StablePrices::<T>::insert(machine, price);
			},
			None => StablePrices::<T>::remove(machine),
		}
		Self::reindex_offer(machine);
		Self::deposit_event(Event::StablePriceSet { machine, per_hour });
		Ok(())
	}

	/// The customer's priority level, capped to `MaxPriorityLevel`.
	pub fn priority_of(who: &T::AccountId) -> PriorityLevel {
		T::Benefits::priority(who).min(T::MaxPriorityLevel::get())
	}

	pub(crate) fn do_post_job(
		who: T::AccountId,
		requirements: JobRequirements,
		max_price_per_hour: T::Balance,
		hours: u32,
		spec: JobSpecOf<T>,
	) -> Result<(JobId, bool), DispatchError> {
		Self::check_hours(hours)?;
		ensure!(!max_price_per_hour.is_zero(), Error::<T>::ZeroPrice);
		ensure!(!spec.is_empty(), Error::<T>::EmptyJobSpec);
		Self::check_requirements(&requirements)?;
		let escrow = Self::budget(max_price_per_hour, hours)?;
		ensure!(escrow >= T::MinJobBudget::get(), Error::<T>::BudgetTooSmall);
		let priority = Self::priority_of(&who);
		let job = NextJobId::<T>::get();
		NextJobId::<T>::put(job.checked_add(1).ok_or(ArithmeticError::Overflow)?);
		// A full queue makes room by dropping its oldest job if that one has expired (O(1)).
		let mut dropped_expired = false;
		if OpenJobs::<T>::decode_len(priority).unwrap_or(0)
			>= T::MaxOpenJobsPerLevel::get() as usize
		{
			if let Some(oldest) = OpenJobs::<T>::get(priority).first().copied() {
				if Jobs::<T>::get(oldest).is_some_and(|j| Self::now() >= j.expires_at) {
					Self::expire_job(oldest)?;
					dropped_expired = true;
				}
			}
		}
		OpenJobs::<T>::try_mutate(priority, |queue| queue.try_push(job))
			.map_err(|_| Error::<T>::TooManyOpenJobs)?;
		CustomerJobs::<T>::try_mutate(&who, |jobs| jobs.try_push(job))
			.map_err(|_| Error::<T>::TooManyJobsOfCustomer)?;
		Self::hold_escrow(&who, escrow)?;
		let fee = T::JobPostingFee::get();
		if !fee.is_zero() {
			T::Currency::transfer(&who, &T::TreasuryAccount::get(), fee, Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		let posted_at = Self::now();
		Jobs::<T>::insert(
			job,
			Job {
				customer: who.clone(),
				requirements,
				max_price_per_hour,
				hours,
				spec,
				escrow,
				priority,
				posted_at,
				expires_at: posted_at.saturating_add(T::JobLifetime::get()),
			},
		);
		Self::deposit_event(Event::JobPosted { job, customer: who, priority, escrow });
		Ok((job, dropped_expired))
	}

	/// An open job, or the error saying why there is none.
	fn open_job(job: JobId) -> Result<JobOf<T>, DispatchError> {
		Jobs::<T>::get(job).ok_or_else(|| {
			if job < NextJobId::<T>::get() {
				Error::<T>::JobNotOpen.into()
			} else {
				Error::<T>::UnknownJob.into()
			}
		})
	}

	/// Takes a job off the queues and the job map.
	fn remove_job(id: JobId, job: &JobOf<T>) {
		OpenJobs::<T>::mutate(job.priority, |queue| queue.retain(|j| *j != id));
		CustomerJobs::<T>::mutate_exists(&job.customer, |jobs| remove_id(jobs, id));
		Jobs::<T>::remove(id);
	}

	pub(crate) fn do_cancel_job(who: T::AccountId, id: JobId) -> DispatchResult {
		let job = Self::open_job(id)?;
		if Self::now() >= job.expires_at {
			return Self::expire_job(id);
		}
		ensure!(job.customer == who, Error::<T>::JobNotExpired);
		Self::remove_job(id, &job);
		Self::release_escrow(&who, job.escrow)?;
		Self::deposit_event(Event::JobCancelled { job: id, refunded: job.escrow });
		Ok(())
	}

	/// Removes an open job (expired, as the caller checked) and returns its escrow.
	fn expire_job(id: JobId) -> DispatchResult {
		let job = Self::open_job(id)?;
		Self::remove_job(id, &job);
		Self::release_escrow(&job.customer, job.escrow)?;
		Self::deposit_event(Event::JobExpired { job: id, refunded: job.escrow });
		Ok(())
	}

	pub(crate) fn do_accept_job(
		who: T::AccountId,
		id: JobId,
		machine: MachineId,
	) -> Result<LeaseId, DispatchError> {
		let job = Self::open_job(id)?;
		ensure!(Self::now() < job.expires_at, Error::<T>::JobExpired);
		let view = Self::view_of(machine)?;
		Self::ensure_operator_of(&who, &view)?;
		Self::ensure_leasable_view(machine, &view)?;
		Self::ensure_meets(machine, &job.requirements)?;
		let price = Self::posted_price(machine, &view)?;
		ensure!(price <= job.max_price_per_hour, Error::<T>::PriceAboveMaximum);
		let budget = Self::budget(price, job.hours)?;
		let released = job.escrow.saturating_sub(budget);
		Self::remove_job(id, &job);
		Self::release_escrow(&job.customer, released)?;
		let lease = Self::start_lease(
			job.customer,
			machine,
			&view,
			Some(id),
			price,
			job.hours,
			job.spec,
			budget,
		)?;
		Self::deposit_event(Event::JobAccepted { job: id, machine, lease, released });
		Ok(lease)
	}

	pub(crate) fn do_rent_machine(
		who: T::AccountId,
		machine: MachineId,
		hours: u32,
		max_price_per_hour: T::Balance,
		spec: JobSpecOf<T>,
	) -> Result<LeaseId, DispatchError> {
		Self::check_hours(hours)?;
		ensure!(!spec.is_empty(), Error::<T>::EmptyJobSpec);
		let view = Self::view_of(machine)?;
		Self::ensure_leasable_view(machine, &view)?;
		let price = Self::posted_price(machine, &view)?;
		ensure!(price <= max_price_per_hour, Error::<T>::PriceAboveLimit);
		let budget = Self::budget(price, hours)?;
		Self::hold_escrow(&who, budget)?;
		Self::start_lease(who, machine, &view, None, price, hours, spec, budget)
	}

	/// Starts a lease whose `budget` is already held from `customer`.
	#[allow(clippy::too_many_arguments)]
	fn start_lease(
		customer: T::AccountId,
		machine: MachineId,
		view: &MachineViewOf<T>,
		job: Option<JobId>,
		price_per_hour: T::Balance,
		hours: u32,
		spec: JobSpecOf<T>,
		budget: T::Balance,
	) -> Result<LeaseId, DispatchError> {
		let id = NextLeaseId::<T>::get();
		NextLeaseId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
		CustomerLeases::<T>::try_mutate(&customer, |leases| leases.try_push(id))
			.map_err(|_| Error::<T>::TooManyLeasesOfCustomer)?;
		MachineLeases::<T>::insert(machine, id, ());
		let beneficiary = T::Compute::beneficiary(machine).ok_or(Error::<T>::UnknownMachine)?;
		let provider = view.provider.clone();
		let start = Self::now();
		let length =
			T::BlocksPerHour::get().checked_mul(&hours.into()).ok_or(ArithmeticError::Overflow)?;
		let end = start.checked_add(&length).ok_or(ArithmeticError::Overflow)?;
		// Announced maintenance is not downtime: it must not fall inside a lease.
		if let Some((from, to)) = view.maintenance {
			ensure!(to <= start || from >= end, Error::<T>::MaintenanceDuringLease);
		}
		T::Compute::mark_leased(machine, end)?;
		ActiveLease::<T>::insert(machine, id);
		Leases::<T>::insert(
			id,
			Lease {
				customer: customer.clone(),
				machine,
				job,
				beneficiary,
				provider,
				price_per_hour,
				hours,
				spec,
				start,
				end,
				ended_at: None,
				end_reason: None,
				challenge_deadline: None,
				paid: Zero::zero(),
				held: budget,
				result: None,
				status: LeaseStatus::Active,
				fee_discount: T::Benefits::fee_discount_over(
					&customer,
					start.unique_saturated_into(),
					end.unique_saturated_into(),
				),
				down_blocks: Zero::zero(),
				compensated: Zero::zero(),
				dispute_deposit: Zero::zero(),
				dispute_deadline: None,
			},
		);
		// Re-weighed with the lease in place (its fee caps the lease bonus).
		T::Rewards::availability_changed(machine);
		Self::deposit_event(Event::LeaseStarted {
			lease: id,
			machine,
			customer,
			price_per_hour,
			hours,
			end,
		});
		Ok(id)
	}

	/// Blocks `lease`'s machine was down during the lease, up to block `at`: counted from the
	/// machine's downtime record while it runs, fixed once it ended.
	pub fn down_blocks_at(lease: &LeaseOf<T>, at: BlockNumberFor<T>) -> BlockNumberFor<T> {
		if lease.status != LeaseStatus::Active {
			return lease.down_blocks;
		}
		T::Compute::lease_downtime_at(lease.machine, at).unwrap_or_default()
	}

	/// What `lease` has accrued by block `at`: price × blocks the machine was up ÷ blocks per
	/// hour, counted from the start (so rounding never accumulates) and never more than its
	/// budget. Blocks the machine was down are never paid for.
	pub fn accrued_at(lease: &LeaseOf<T>, at: BlockNumberFor<T>) -> T::Balance {
		let stop = at.min(lease.ended_at.unwrap_or(lease.end)).min(lease.end);
		if stop <= lease.start {
			return Zero::zero();
		}
		let down = Self::down_blocks_at(lease, stop);
		let blocks: u128 =
			stop.saturating_sub(lease.start).saturating_sub(down).unique_saturated_into();
		let per_hour: u128 = T::BlocksPerHour::get().unique_saturated_into();
		let price: u128 = lease.price_per_hour.try_into().unwrap_or(u128::MAX);
		let accrued = price.saturating_mul(blocks) / per_hour.max(1);
		let accrued = T::Balance::try_from(accrued)
			.unwrap_or_else(|_| sp_runtime::traits::Bounded::max_value());
		accrued.min(lease.paid.saturating_add(lease.held))
	}

	/// The last block a running lease's machine has proven it was up: its last heartbeat (or the
	/// lease's start). Owners claim a running lease's accrual only up to here, so a machine that
	/// goes silent and then fails has never been paid for its silence.
	pub fn proven_until(lease: &LeaseOf<T>) -> BlockNumberFor<T> {
		let last = T::Compute::last_heartbeat(lease.machine).unwrap_or(lease.start);
		Self::now().min(last.max(lease.start))
	}

	/// Whether a running lease's machine has failed: its downtime since the lease started
	/// (recorded by heartbeats, plus the silence since the last one) exceeds
	/// `OfflineGracePeriod`, however long ago that happened and whoever looks.
	pub fn has_failed(lease: &LeaseOf<T>) -> bool {
		let at = Self::now().min(lease.end);
		Self::down_blocks_at(lease, at) > T::OfflineGracePeriod::get()
	}

	/// Where and why a running lease is over, if it is. A failed machine's lease ends at its
	/// last heartbeat (the silence after it is never paid for, whenever it is noticed); an
	/// expired one at its scheduled end.
	fn due_end(lease: &LeaseOf<T>) -> Option<(BlockNumberFor<T>, EndReason)> {
		let now = Self::now();
		if Self::has_failed(lease) {
			let last = T::Compute::last_heartbeat(lease.machine).unwrap_or(lease.start);
			Some((last.max(lease.start).min(lease.end).min(now), EndReason::ProviderFailed))
		} else if now >= lease.end {
			Some((lease.end, EndReason::Expired))
		} else {
			None
		}
	}

	/// Brings a running lease up to date: ends it if its machine failed or its time is up.
	/// `reporter` (if not a party to the lease) earns the reporter's share of a failure slash.
	fn refresh(
		id: LeaseId,
		lease: &mut LeaseOf<T>,
		reporter: Option<&T::AccountId>,
	) -> DispatchResult {
		if lease.status != LeaseStatus::Active {
			return Ok(());
		}
		if let Some((at, reason)) = Self::due_end(lease) {
			Self::end_at(id, lease, at, reason)?;
			if reason == EndReason::ProviderFailed {
				Self::slash_failed(id, lease, reporter)?;
			}
		}
		Ok(())
	}

	/// Ends a running lease at `at`: the budget not yet accrued goes back to the customer, the
	/// machine is free again, and the challenge window starts.
	fn end_at(
		id: LeaseId,
		lease: &mut LeaseOf<T>,
		at: BlockNumberFor<T>,
		reason: EndReason,
	) -> DispatchResult {
		let accrued = Self::accrued_at(lease, at);
		let down_blocks = Self::down_blocks_at(lease, at.min(lease.end));
		let unpaid = accrued.saturating_sub(lease.paid);
		let refunded = lease.held.saturating_sub(unpaid);
		Self::release_escrow(&lease.customer, refunded)?;
		lease.held = unpaid;
		lease.down_blocks = down_blocks;
		lease.ended_at = Some(at.min(lease.end));
		lease.end_reason = Some(reason);
		lease.status = LeaseStatus::Ended;
		lease.challenge_deadline = Some(at.saturating_add(T::ChallengePeriod::get()));
		ActiveLease::<T>::remove(lease.machine);
		if T::Compute::mark_idle(lease.machine).is_err() {
			defensive!("a machine with a running lease is marked leased");
		}
		T::Rewards::availability_changed(lease.machine);
		Self::deposit_event(Event::LeaseEnded { lease: id, reason, at, refunded });
		Ok(())
	}

	/// Slashes the machine of a failed lease; the customer is compensated first for what they
	/// paid for the interrupted job (recorded, so a dispute cannot pay it twice). A machine
	/// without collateral is slashed nothing; a slash that fails fails the whole call.
	fn slash_failed(
		id: LeaseId,
		lease: &mut LeaseOf<T>,
		reporter: Option<&T::AccountId>,
	) -> DispatchResult {
		let reporter = reporter
			.filter(|r| **r != lease.customer && **r != lease.beneficiary && **r != lease.provider)
			.cloned();
		let loss = lease.paid.saturating_add(lease.held);
		let harmed = (!loss.is_zero()).then(|| (lease.customer.clone(), loss));
		let outcome = T::Slashing::slash(
			lease.machine,
			Params::<T>::get().offline_slash,
			SlashReason::OfflineWhileLeased,
			harmed,
			reporter,
			&[],
		)?;
		lease.compensated = lease.compensated.saturating_add(outcome.to_harmed);
		Self::deposit_event(Event::ProviderSlashed {
			lease: id,
			machine: lease.machine,
			slashed: outcome.slashed,
		});
		Ok(())
	}

	/// Marks an ended lease final once its challenge window has passed.
	fn finalize_if_due(id: LeaseId, lease: &mut LeaseOf<T>) {
		if lease.status == LeaseStatus::Ended
			&& lease.challenge_deadline.map_or(true, |deadline| Self::now() > deadline)
		{
			Self::finalize(id, lease);
		}
	}

	fn finalize(id: LeaseId, lease: &mut LeaseOf<T>) {
		lease.status = LeaseStatus::Finalized;
		Self::deposit_event(Event::LeaseFinalized { lease: id });
	}

	/// The protocol fee rate of `lease`: the market's, less the customer's tier discount.
	pub fn fee_rate(lease: &LeaseOf<T>) -> Perbill {
		(Perbill::one().saturating_sub(lease.fee_discount)) * Params::<T>::get().protocol_fee
	}

	/// Pays `amount` of the lease's held budget: the fee (after the customer's discount) to the
	/// treasury, the rest to the beneficiary.
	fn pay(id: LeaseId, lease: &mut LeaseOf<T>, amount: T::Balance) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		let rate = Self::fee_rate(&lease);
		let fee = rate * amount;
		let to_owner = amount.saturating_sub(fee);
		let treasury = T::TreasuryAccount::get();
		let paid = frame_support::storage::with_storage_layer(|| {
			Self::pay_from_escrow(&lease.customer, &lease.beneficiary, to_owner)
		});
		let mut paid_to_owner = to_owner;
		if paid.is_err() {
			paid_to_owner = Zero::zero();
			// The beneficiary's account cannot take it yet (below the existential deposit):
			// kept for it on the treasury account, never spendable by governance.
			Self::pay_from_escrow(&lease.customer, &treasury, to_owner)?;
			T::Currency::hold(&HoldReason::Unclaimed.into(), &treasury, to_owner)?;
			Unclaimed::<T>::mutate(&lease.beneficiary, |kept| {
				kept.get_or_insert_with(Zero::zero).saturating_accrue(to_owner)
			});
			Self::deposit_event(Event::EarningsDeferred {
				lease: id,
				to: lease.beneficiary.clone(),
				amount: to_owner,
			});
		}
		Self::pay_from_escrow(&lease.customer, &treasury, fee)?;
		lease.paid = lease.paid.saturating_add(amount);
		lease.held = lease.held.saturating_sub(amount);
		Self::deposit_event(Event::EarningsPaid {
			lease: id,
			to: lease.beneficiary.clone(),
			amount: paid_to_owner,
			fee,
		});
		Ok(())
	}

	/// Moves `value` of `customer`'s escrow into `dest`'s free balance.
	fn pay_from_escrow(
		customer: &T::AccountId,
		dest: &T::AccountId,
		value: T::Balance,
	) -> DispatchResult {
		if value.is_zero() {
			return Ok(());
		}
		// `Force`: the escrow is owed. A freeze the customer takes later (a vote lock) must not
		// be able to block paying for compute already delivered.
		T::Currency::transfer_on_hold(
			&Self::hold_reason(),
			customer,
			dest,
			value,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		Ok(())
	}

	pub(crate) fn do_claim_unclaimed(who: T::AccountId) -> DispatchResult {
		let amount = Unclaimed::<T>::get(&who).ok_or(Error::<T>::NothingUnclaimed)?;
		T::Currency::transfer_on_hold(
			&HoldReason::Unclaimed.into(),
			&T::TreasuryAccount::get(),
			&who,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)
		.map_err(|_| Error::<T>::BelowExistentialDeposit)?;
		Unclaimed::<T>::remove(&who);
		Self::deposit_event(Event::UnclaimedPaid { who, amount });
		Ok(())
	}

	/// Pays out whatever a final lease still holds and removes it; otherwise stores it.
	fn store(id: LeaseId, mut lease: LeaseOf<T>) -> DispatchResult {
		if lease.status != LeaseStatus::Finalized {
			Leases::<T>::insert(id, lease);
			return Ok(());
		}
		let rest = lease.held;
		Self::pay(id, &mut lease, rest)?;
		Leases::<T>::remove(id);
		MachineLeases::<T>::remove(lease.machine, id);
		CustomerLeases::<T>::mutate_exists(&lease.customer, |leases| remove_id(leases, id));
		Self::deposit_event(Event::LeaseSettled { lease: id });
		Ok(())
	}

	pub(crate) fn do_end_lease(who: T::AccountId, id: LeaseId) -> DispatchResult {
		let mut lease = Leases::<T>::get(id).ok_or(Error::<T>::UnknownLease)?;
		ensure!(lease.customer == who, Error::<T>::NotLeaseCustomer);
		ensure!(lease.status == LeaseStatus::Active, Error::<T>::LeaseNotActive);
		// A lease that expired or failed ends at that point, not now.
		Self::refresh(id, &mut lease, None)?;
		if lease.status == LeaseStatus::Active {
			Self::end_at(id, &mut lease, Self::now(), EndReason::EndedByCustomer)?;
		}
		Self::store(id, lease)
	}

	pub(crate) fn do_close_lease(who: T::AccountId, id: LeaseId) -> DispatchResult {
		let mut lease = Leases::<T>::get(id).ok_or(Error::<T>::UnknownLease)?;
		if lease.status == LeaseStatus::Disputed {
			// No verdict in time: the default verdict (the lease stands, deposit returned).
			let overdue = lease.dispute_deadline.is_some_and(|deadline| Self::now() > deadline);
			ensure!(overdue, Error::<T>::DisputePending);
			return Self::settle_dispute(id, lease, Verdict::default_verdict(), &[], true);
		}
		let was_active = lease.status == LeaseStatus::Active;
		Self::refresh(id, &mut lease, Some(&who))?;
		Self::finalize_if_due(id, &mut lease);
		match lease.status {
			LeaseStatus::Active => return Err(Error::<T>::LeaseStillRunning.into()),
			LeaseStatus::Ended if !was_active => return Err(Error::<T>::ChallengeWindowOpen.into()),
			LeaseStatus::Disputed => return Err(Error::<T>::LeaseDisputed.into()),
			LeaseStatus::Ended | LeaseStatus::Finalized => {},
		}
		Self::store(id, lease)
	}

	/// Pays `who` what lease `id` owes them now; `true` on the light path: the lease still
	/// runs and the payment went straight to the beneficiary (nothing ended, slashed, settled
	/// or kept as unclaimed).
	pub(crate) fn do_claim_earnings(who: T::AccountId, id: LeaseId) -> Result<bool, DispatchError> {
		let mut lease = Leases::<T>::get(id).ok_or(Error::<T>::UnknownLease)?;
		// The owner, or the machine's provider or operator (the provider agent's hot key):
		// whoever asks, the earnings go to the owner.
		if lease.beneficiary != who {
			let view = T::Compute::view(lease.machine).ok_or(Error::<T>::NotBeneficiary)?;
			ensure!(who == view.provider || who == view.operator, Error::<T>::NotBeneficiary);
		}
		let was_running = lease.status == LeaseStatus::Active;
		// Earnings the beneficiary cannot take yet are kept for it (`pay`'s heavier path).
		let kept_before = Unclaimed::<T>::get(&lease.beneficiary);
		Self::refresh(id, &mut lease, None)?;
		Self::finalize_if_due(id, &mut lease);
		match lease.status {
			LeaseStatus::Active => {
				let due =
					Self::accrued_at(&lease, Self::proven_until(&lease)).saturating_sub(lease.paid);
				ensure!(!due.is_zero(), Error::<T>::NothingToClaim);
				Self::pay(id, &mut lease, due)?;
			},
			LeaseStatus::Ended => return Err(Error::<T>::ChallengeWindowOpen.into()),
			LeaseStatus::Disputed => return Err(Error::<T>::LeaseDisputed.into()),
			LeaseStatus::Finalized => ensure!(!lease.held.is_zero(), Error::<T>::NothingToClaim),
		}
		let deferred = Unclaimed::<T>::get(&lease.beneficiary) != kept_before;
		let still_running = was_running && lease.status == LeaseStatus::Active && !deferred;
		Self::store(id, lease)?;
		Ok(still_running)
	}

	pub(crate) fn do_submit_result(
		who: T::AccountId,
		id: LeaseId,
		result: ResultHash,
	) -> DispatchResult {
		let mut lease = Leases::<T>::get(id).ok_or(Error::<T>::UnknownLease)?;
		let operator = T::Compute::operator(lease.machine);
		ensure!(
			who == lease.provider || Some(&who) == operator.as_ref(),
			Error::<T>::NotLeaseProvider
		);
		ensure!(lease.result.is_none(), Error::<T>::ResultAlreadySubmitted);
		Self::refresh(id, &mut lease, None)?;
		let now = Self::now();
		match lease.status {
			LeaseStatus::Active => {},
			LeaseStatus::Ended => {
				let deadline = lease.challenge_deadline.unwrap_or(now);
				ensure!(now <= deadline, Error::<T>::ChallengeWindowClosed);
				// The customer gets a full window to check a result that arrives late.
				lease.challenge_deadline =
					Some(deadline.max(now.saturating_add(T::ChallengePeriod::get())));
			},
			LeaseStatus::Disputed => return Err(Error::<T>::LeaseDisputed.into()),
			LeaseStatus::Finalized => return Err(Error::<T>::ChallengeWindowClosed.into()),
		}
		lease.result = Some(result);
		Self::deposit_event(Event::ResultSubmitted { lease: id, result });
		Self::store(id, lease)
	}

	pub(crate) fn do_confirm_result(who: T::AccountId, id: LeaseId) -> DispatchResult {
		let mut lease = Leases::<T>::get(id).ok_or(Error::<T>::UnknownLease)?;
		ensure!(lease.customer == who, Error::<T>::NotLeaseCustomer);
		Self::refresh(id, &mut lease, None)?;
		match lease.status {
			LeaseStatus::Active => return Err(Error::<T>::LeaseNotEnded.into()),
			LeaseStatus::Disputed => return Err(Error::<T>::LeaseDisputed.into()),
			LeaseStatus::Ended => Self::finalize(id, &mut lease),
			LeaseStatus::Finalized => {},
		}
		Self::store(id, lease)
	}

	pub(crate) fn do_open_dispute(who: T::AccountId, id: LeaseId) -> DispatchResult {
		let mut lease = Leases::<T>::get(id).ok_or(Error::<T>::UnknownLease)?;
		ensure!(lease.customer == who, Error::<T>::NotLeaseCustomer);
		Self::refresh(id, &mut lease, None)?;
		let now = Self::now();
		match lease.status {
			LeaseStatus::Active => Self::end_at(id, &mut lease, now, EndReason::EndedByCustomer)?,
			LeaseStatus::Ended => ensure!(
				lease.challenge_deadline.is_some_and(|deadline| now <= deadline),
				Error::<T>::ChallengeWindowClosed
			),
			LeaseStatus::Disputed => return Err(Error::<T>::LeaseDisputed.into()),
			LeaseStatus::Finalized => return Err(Error::<T>::ChallengeWindowClosed.into()),
		}
		// A lease that cost nothing (ended in the block it started) gives nothing to decide and
		// would only freeze the machine's collateral for the dispute period.
		ensure!(!lease.paid.saturating_add(lease.held).is_zero(), Error::<T>::NothingToDispute);
		let deposit = T::DisputeDeposit::get();
		if !deposit.is_zero() {
			T::Currency::hold(&HoldReason::DisputeDeposit.into(), &who, deposit)
				.map_err(|_| Error::<T>::InsufficientDeposit)?;
			TotalDisputeDeposits::<T>::mutate(|t| *t = t.saturating_add(deposit));
		}
		let deadline = now.saturating_add(T::DisputePeriod::get());
		lease.status = LeaseStatus::Disputed;
		lease.dispute_deposit = deposit;
		lease.dispute_deadline = Some(deadline);
		OpenDisputes::<T>::mutate(lease.machine, |n| *n = n.saturating_add(1));
		T::Jury::dispute_opened(id, lease.machine, &lease.customer, &lease.provider)?;
		Self::deposit_event(Event::DisputeOpened {
			lease: id,
			held: lease.held,
			deposit,
			deadline,
		});
		Self::store(id, lease)
	}

	pub(crate) fn do_resolve_dispute(
		id: LeaseId,
		verdict: Verdict,
		jurors: &[T::AccountId],
	) -> DispatchResult {
		ensure!(jurors.len() <= T::MaxJurors::get() as usize, Error::<T>::TooManyJurors);
		let lease = Leases::<T>::get(id).ok_or(Error::<T>::UnknownLease)?;
		ensure!(lease.status == LeaseStatus::Disputed, Error::<T>::LeaseNotDisputed);
		Self::settle_dispute(id, lease, verdict, jurors, false)
	}

	/// Applies `verdict` to a disputed lease: refunds the customer's due share of the whole
	/// payment (less what a failure slash already paid them) from the held payment, then from
	/// the collateral by slashing; settles the deposit; finalizes and pays out the rest.
	fn settle_dispute(
		id: LeaseId,
		mut lease: LeaseOf<T>,
		verdict: Verdict,
		jurors: &[T::AccountId],
		by_default: bool,
	) -> DispatchResult {
		// The verdict refunds `refund` of the held payment, and says the customer deserved
		// `refund` of the whole lease payment: what the held part does not cover comes out of
		// the collateral, customer first. One failure is compensated once: what a failure
		// slash already paid the customer counts.
		let total = lease.paid.saturating_add(lease.held);
		let due = (verdict.refund * total).saturating_sub(lease.compensated);
		let refunded = (verdict.refund * lease.held).min(due);
		Self::release_escrow(&lease.customer, refunded)?;
		lease.held = lease.held.saturating_sub(refunded);
		let loss = due.saturating_sub(refunded);
		let slashed = if verdict.slash.is_zero() {
			Zero::zero()
		} else {
			let harmed = (!loss.is_zero()).then(|| (lease.customer.clone(), loss));
			let outcome = T::Slashing::slash(
				lease.machine,
				verdict.slash,
				SlashReason::LostDispute,
				harmed,
				None,
				jurors,
			)?;
			lease.compensated = lease.compensated.saturating_add(outcome.to_harmed);
			outcome.slashed
		};
		let upheld = !verdict.refund.is_zero() || !verdict.slash.is_zero();
		let deposit_returned = upheld || by_default;
		let deposit = core::mem::take(&mut lease.dispute_deposit);
		if !deposit.is_zero() {
			let reason = HoldReason::DisputeDeposit.into();
			if deposit_returned {
				T::Currency::release(&reason, &lease.customer, deposit, Precision::Exact)?;
			} else {
				T::Currency::transfer_on_hold(
					&reason,
					&lease.customer,
					&T::TreasuryAccount::get(),
					deposit,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Force,
				)?;
			}
			TotalDisputeDeposits::<T>::mutate(|t| *t = t.saturating_sub(deposit));
		}
		lease.dispute_deadline = None;
		OpenDisputes::<T>::mutate_exists(lease.machine, |n| {
			*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
		});
		Self::deposit_event(Event::DisputeResolved {
			lease: id,
			verdict,
			refunded,
			slashed,
			deposit_returned,
			by_default,
		});
		Self::finalize(id, &mut lease);
		Self::store(id, lease)
	}

	/// The machine's provider, operator, or the holder of its NFT (who earns its leases).
	fn ensure_lister(who: &T::AccountId, machine: MachineId) -> DispatchResult {
		if T::Compute::beneficiary(machine).as_ref() == Some(who) {
			return Ok(());
		}
		Self::ensure_operator(who, machine)
	}

	pub(crate) fn do_list_machine(who: T::AccountId, machine: MachineId) -> DispatchResult {
		Self::ensure_lister(&who, machine)?;
		ensure!(T::Compute::is_verified(machine), Error::<T>::MachineNotVerified);
		ensure!(!Offers::<T>::contains_key(machine), Error::<T>::AlreadyListed);
		ensure!(Offers::<T>::count() < T::MaxOffers::get(), Error::<T>::TooManyOffers);
		let offer = Self::offer_of(machine).ok_or(Error::<T>::UnknownMachine)?;
		Offers::<T>::insert(machine, offer);
		OffersByPrice::<T>::insert(offer.unit, offer.key, ());
		T::Rewards::availability_changed(machine);
		Self::deposit_event(Event::MachineListed { machine });
		Ok(())
	}

	pub(crate) fn do_delist_machine(who: T::AccountId, machine: MachineId) -> DispatchResult {
		let offer = Offers::<T>::get(machine).ok_or(Error::<T>::NotListed)?;
		let gone = matches!(T::Compute::state(machine), None | Some(MachineState::Retired));
		if !gone {
			Self::ensure_lister(&who, machine)?;
		}
		Offers::<T>::remove(machine);
		OffersByPrice::<T>::remove(offer.unit, offer.key);
		T::Rewards::availability_changed(machine);
		Self::deposit_event(Event::MachineDelisted { machine });
		Ok(())
	}

	// ---- Queries (runtime API) ----

	/// Where a listed machine belongs in the offer index: its stable price if it has one, else
	/// its posted PEC price (`None` for an unknown machine).
	pub(crate) fn offer_of(machine: MachineId) -> Option<Offer> {
		let (unit, price) = match StablePrices::<T>::get(machine) {
			Some(stable) => (PriceUnit::Stable, stable),
			None => (PriceUnit::Pec, T::Compute::price_per_hour(machine)?),
		};
		Some(Offer { unit, key: OfferKey::new(price.unique_saturated_into(), machine) })
	}

	/// Moves a listed machine to its current price in the offer index (nothing if unlisted, or
	/// if the machine is gone: its entry stays until it is delisted, and quotes skip it).
	pub(crate) fn reindex_offer(machine: MachineId) {
		let (Some(old), Some(new)) = (Offers::<T>::get(machine), Self::offer_of(machine)) else {
			return;
		};
		if old != new {
			OffersByPrice::<T>::remove(old.unit, old.key);
			OffersByPrice::<T>::insert(new.unit, new.key, ());
			Offers::<T>::insert(machine, new);
		}
	}

	/// Open jobs `machine` can serve at its posted price, highest priority first and oldest
	/// first within a level, from `cursor` (where the previous page stopped) on: at most
	/// `limit` jobs, looking at most `budget` queued ids (each costs a job read). Returns the
	/// jobs and where to continue (`None` once every queue is walked), so a page may be short
	/// and still have a next one.
	pub fn open_jobs_page(
		machine: MachineId,
		cursor: Option<JobCursor>,
		limit: u32,
		budget: u32,
	) -> (Vec<(JobId, JobOf<T>)>, Option<JobCursor>) {
		let (Some(spec), Ok((price, _))) = (T::Compute::spec(machine), Self::price_now(machine))
		else {
			return (Vec::new(), None);
		};
		let country = T::Compute::country(machine);
		let top = T::MaxPriorityLevel::get();
		let first = cursor.map_or(top, |c| c.level.min(top));
		let mut out = Vec::new();
		let mut seen = 0u32;
		let mut at = cursor;
		for level in (0..=first).rev() {
			let queue = OpenJobs::<T>::get(level);
			let from = match cursor {
				Some(c) if c.level == level => queue.partition_point(|id| *id <= c.after),
				_ => 0,
			};
			for &id in queue.iter().skip(from) {
				if out.len() as u32 >= limit || seen >= budget {
					return (out, at);
				}
				seen = seen.saturating_add(1);
				at = Some(JobCursor { level, after: id });
				let Some(job) = Jobs::<T>::get(id) else { continue };
				if price <= job.max_price_per_hour && job.requirements.check(&spec, country).is_ok()
				{
					out.push((id, job));
				}
			}
		}
		(out, None)
	}

	/// The listed machines that could start a lease for `requirements` now, cheapest first
	/// (PEC-priced and stable-priced merged by their PEC price now, ties by machine id), from
	/// `cursor` on: at most `limit`, looking at most `budget` offers. Returns the quotes and
	/// where to continue (`None` once every offer is walked).
	pub fn quote_page(
		requirements: &JobRequirements,
		cursor: Option<QuoteCursor>,
		limit: u32,
		budget: u32,
	) -> (Vec<(MachineId, T::Balance)>, Option<QuoteCursor>) {
		let from = |unit, after: Option<OfferKey>| match after {
			Some(key) => OffersByPrice::<T>::iter_key_prefix_from(
				unit,
				OffersByPrice::<T>::hashed_key_for(unit, key),
			),
			None => OffersByPrice::<T>::iter_key_prefix(unit),
		};
		let mut at = cursor.unwrap_or_default();
		let mut pec = from(PriceUnit::Pec, at.pec).peekable();
		let mut stable = from(PriceUnit::Stable, at.stable).peekable();
		// Stable prices in PEC now; while the oracle has no price, stable offers wait.
		let to_pec = |key: &OfferKey| -> Option<u128> {
			let stable = T::Balance::try_from(key.price()).ok()?;
			T::Price::stable_to_pec(stable).ok().map(|p| p.unique_saturated_into())
		};
		let mut out = Vec::new();
		let mut seen = 0u32;
		loop {
			let p = pec.peek().map(|k| (k.price(), k.machine()));
			let s = stable.peek().and_then(|k| to_pec(k).map(|price| (price, k.machine())));
			let take_pec = match (p, s) {
				(None, None) => return (out, None),
				(Some(_), None) => true,
				(None, Some(_)) => false,
				(Some(p), Some(s)) => p <= s,
			};
			if out.len() as u32 >= limit || seen >= budget {
				return (out, Some(at));
			}
			seen = seen.saturating_add(1);
			let key = if take_pec { pec.next() } else { stable.next() };
			let Some(key) = key else { return (out, None) };
			if take_pec {
				at.pec = Some(key);
			} else {
				at.stable = Some(key);
			}
			let machine = key.machine();
			if Self::ensure_leasable(machine).is_err()
				|| Self::ensure_meets(machine, requirements).is_err()
			{
				continue;
			}
			if let Ok((price, _)) = Self::price_now(machine) {
				out.push((machine, price));
			}
		}
	}

	/// A lease as it would be if touched now: (accrued so far, claimable by its beneficiary).
	pub fn lease_amounts(id: LeaseId) -> Option<(T::Balance, T::Balance)> {
		let mut lease = Leases::<T>::get(id)?;
		let now = Self::now();
		// What `refresh` would record, without moving money.
		if lease.status == LeaseStatus::Active {
			if let Some((at, _)) = Self::due_end(&lease) {
				lease.down_blocks = Self::down_blocks_at(&lease, at);
				lease.ended_at = Some(at);
				lease.status = LeaseStatus::Ended;
				lease.challenge_deadline = Some(at.saturating_add(T::ChallengePeriod::get()));
			}
		}
		let accrued = Self::accrued_at(&lease, now);
		let unpaid = accrued.saturating_sub(lease.paid);
		let claimable = match lease.status {
			LeaseStatus::Active => {
				Self::accrued_at(&lease, Self::proven_until(&lease)).saturating_sub(lease.paid)
			},
			LeaseStatus::Ended if lease.challenge_deadline.is_some_and(|d| now > d) => unpaid,
			LeaseStatus::Finalized => lease.held,
			LeaseStatus::Ended | LeaseStatus::Disputed => Zero::zero(),
		};
		Some((accrued, claimable))
	}

	/// Checks the pallet's invariants: each customer's escrow hold equals their open jobs'
	/// budgets plus their leases' held amounts, a machine has at most one running lease, and the
	/// indexes agree with the records.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		let mut owed: BTreeMap<T::AccountId, T::Balance> = BTreeMap::new();
		for (id, job) in Jobs::<T>::iter() {
			let e = owed.entry(job.customer.clone()).or_default();
			*e = e.saturating_add(job.escrow);
			ensure!(OpenJobs::<T>::get(job.priority).contains(&id), "job missing from its queue");
			ensure!(CustomerJobs::<T>::get(&job.customer).contains(&id), "job missing from index");
		}
		let mut running = 0u32;
		let mut disputes = 0u32;
		let mut deposits = T::Balance::zero();
		let mut deposits_of: BTreeMap<T::AccountId, T::Balance> = BTreeMap::new();
		let mut per_machine_disputes: BTreeMap<MachineId, u32> = BTreeMap::new();
		let mut per_machine_leases: BTreeMap<MachineId, u32> = BTreeMap::new();
		for (id, lease) in Leases::<T>::iter() {
			let e = owed.entry(lease.customer.clone()).or_default();
			*e = e.saturating_add(lease.held);
			if lease.status == LeaseStatus::Active {
				running += 1;
				ensure!(
					ActiveLease::<T>::get(lease.machine) == Some(id),
					"running lease unindexed"
				);
			}
			ensure!(MachineLeases::<T>::contains_key(lease.machine, id), "lease missing (machine)");
			*per_machine_leases.entry(lease.machine).or_default() += 1;
			if lease.status == LeaseStatus::Disputed {
				disputes += 1;
				deposits = deposits.saturating_add(lease.dispute_deposit);
				ensure!(lease.dispute_deadline.is_some(), "a dispute without a deadline");
				let d = deposits_of.entry(lease.customer.clone()).or_default();
				*d = d.saturating_add(lease.dispute_deposit);
				*per_machine_disputes.entry(lease.machine).or_default() += 1;
			} else {
				ensure!(lease.dispute_deposit.is_zero(), "a deposit without a dispute");
			}
			ensure!(
				CustomerLeases::<T>::get(&lease.customer).contains(&id),
				"lease missing (cust)"
			);
		}
		ensure!(ActiveLease::<T>::iter().count() as u32 == running, "stale running-lease entry");
		ensure!(
			MachineLeases::<T>::iter().count() == Leases::<T>::iter().count(),
			"machine index holds exactly the unsettled leases"
		);
		ensure!(
			OpenDisputes::<T>::iter_values().sum::<u32>() == disputes,
			"open dispute counts add up"
		);
		ensure!(TotalDisputeDeposits::<T>::get() == deposits, "dispute deposits add up");
		for (machine, count) in per_machine_leases {
			ensure!(
				MachineLeases::<T>::iter_key_prefix(machine).count() as u32 == count,
				"a machine's lease index"
			);
		}
		for (machine, count) in OpenDisputes::<T>::iter() {
			ensure!(per_machine_disputes.get(&machine) == Some(&count), "a machine's disputes");
		}
		for (who, amount) in deposits_of {
			let reason = HoldReason::DisputeDeposit.into();
			ensure!(
				T::Currency::balance_on_hold(&reason, &who) == amount,
				"a customer's deposit hold differs from their disputes"
			);
		}
		for (who, amount) in owed {
			ensure!(
				T::Currency::balance_on_hold(&Self::hold_reason(), &who) == amount,
				"a customer's escrow hold differs from their jobs and leases"
			);
		}
		let queued: usize = OpenJobs::<T>::iter_values().map(|q| q.len()).sum();
		ensure!(queued == Jobs::<T>::iter().count(), "queues hold unknown jobs");
		ensure!(Offers::<T>::count() <= T::MaxOffers::get(), "too many offers");
		// `iter` skips values that do not decode (e.g. listings still in an older layout when a
		// migration did not run): the counter still counts them.
		ensure!(
			Offers::<T>::iter_values().count() as u32 == Offers::<T>::count(),
			"a listing does not decode as an Offer (a missed migration?)"
		);
		let mut indexed = 0u32;
		for (machine, offer) in Offers::<T>::iter() {
			ensure!(offer.key.machine() == machine, "an offer's key names another machine");
			ensure!(
				OffersByPrice::<T>::contains_key(offer.unit, offer.key),
				"a listed machine is missing from the price index"
			);
			if let Some(now) = Self::offer_of(machine) {
				ensure!(now == offer, "a listed machine is indexed at a stale price");
			}
			indexed = indexed.saturating_add(1);
		}
		ensure!(
			OffersByPrice::<T>::iter_keys().count() as u32 == indexed,
			"the price index holds machines that are not listed"
		);
		let kept =
			Unclaimed::<T>::iter_values().fold(T::Balance::zero(), |a, b| a.saturating_add(b));
		ensure!(
			T::Currency::balance_on_hold(&HoldReason::Unclaimed.into(), &T::TreasuryAccount::get())
				== kept,
			"unclaimed earnings are held on the treasury"
		);
		Ok(())
	}
}

/// Removes `id` from an optional index list, dropping the list when it empties.
fn remove_id<S: Get<u32>>(list: &mut Option<BoundedVec<u64, S>>, id: u64) {
	if let Some(ids) = list {
		ids.retain(|i| *i != id);
		if ids.is_empty() {
			*list = None;
		}
	}
}

impl<T: Config> RetirementGuard for Pallet<T> {
	fn ensure_can_retire(machine: MachineId) -> Result<(), DispatchError> {
		ensure!(
			MachineLeases::<T>::iter_key_prefix(machine).next().is_none(),
			Error::<T>::MachineHasLeases
		);
		ensure!(!Offers::<T>::contains_key(machine), Error::<T>::MachineListedForRent);
		Ok(())
	}
}

impl<T: Config> DisputeResolution<T::AccountId> for Pallet<T> {
	fn resolve(lease: LeaseId, verdict: Verdict, jurors: &[T::AccountId]) -> DispatchResult {
		Self::do_resolve_dispute(lease, verdict, jurors)
	}
	fn resolve_weight() -> Weight {
		use crate::WeightInfo;
		// Benchmarked on its worst path in the runtime: a slash that seizes a pledged NFT.
		T::WeightInfo::resolve_dispute()
	}
	fn dispute_open(lease: LeaseId) -> bool {
		Leases::<T>::get(lease).is_some_and(|l| l.status == LeaseStatus::Disputed)
	}
}

impl<T: Config> PriceObserver for Pallet<T> {
	fn price_changed(machine: MachineId) {
		Self::reindex_offer(machine)
	}
	fn price_changed_weight() -> Weight {
		use crate::WeightInfo;
		// `set_stable_price` on a listed machine: the lister check, the stable price and the
		// same re-index, so an upper bound of the re-index alone.
		T::WeightInfo::set_stable_price()
	}
}

impl<T: Config> MachineListing<T::Balance, BlockNumberFor<T>> for Pallet<T> {
	fn is_listed(machine: MachineId) -> bool {
		Offers::<T>::contains_key(machine)
	}

	fn running_lease(machine: MachineId) -> Option<RunningLease<T::Balance, BlockNumberFor<T>>> {
		let lease = Leases::<T>::get(ActiveLease::<T>::get(machine)?)?;
		let customer = Some(&lease.customer);
		let self_rented = customer == T::Compute::provider(machine).as_ref()
			|| customer == T::Compute::operator(machine).as_ref()
			|| customer == T::Compute::beneficiary(machine).as_ref();
		let rate = Self::fee_rate(&lease);
		Some(RunningLease {
			fee_per_hour: rate * lease.price_per_hour,
			blocks_per_hour: T::BlocksPerHour::get(),
			until: lease.end,
			self_rented,
		})
	}
}

impl<T: Config> JudgementGuard for Pallet<T> {
	fn under_judgement(machine: MachineId) -> bool {
		OpenDisputes::<T>::get(machine) > 0
	}
}

//! The queries behind `PowerVerseApi` (and so behind the `powerverse_*` RPC). Every list is
//! clamped to `MAX_PAGE`; the market's bounded indexes keep matching and quoting from walking
//! every job or machine.

use alloc::vec::Vec;
use pallet_market::{ActiveLease, CustomerJobs, CustomerLeases, Leases, MachineLeases, Offers};
use powerverse_primitives::{ComputeInspect, MachineCollateral};
use powerverse_runtime_api::{
	AccountSummary, JobInfo, JobRequirements, LeaseId, LeaseInfo, MachineId, MachineInfo, Quote,
	MAX_PAGE,
};

use crate::{
	configs::ComputeCollection, AccountId, Balance, BlockNumber, Compute, ComputeStaking, Market,
	Runtime,
};

fn clamp(limit: u32) -> usize {
	limit.min(MAX_PAGE) as usize
}

pub fn machine(id: MachineId) -> Option<MachineInfo<AccountId, Balance, BlockNumber>> {
	Some(MachineInfo {
		id,
		provider: Compute::provider(id)?,
		operator: Compute::operator(id)?,
		owner: Compute::beneficiary(id)?,
		spec: Compute::spec(id)?,
		score: Compute::score(id)?,
		state: Compute::state(id)?,
		verified: Compute::is_verified(id),
		online: Compute::is_online(id),
		price_per_hour: Compute::price_per_hour(id)?,
		last_heartbeat: Compute::last_heartbeat(id)?,
		country: Compute::country(id),
		collateral: ComputeStaking::effective_collateral(id),
		minimum_collateral: ComputeStaking::minimum_collateral(id),
		sufficiently_collateralized: ComputeStaking::is_sufficiently_collateralized(id),
		active_lease: ActiveLease::<Runtime>::get(id),
		listed: Offers::<Runtime>::contains_key(id),
	})
}

/// A provider's machines, at most `limit`, in storage order from the cursor `after` (the last
/// id of the previous page): O(limit) reads, whatever the provider holds.
pub fn machines_by_provider(
	provider: AccountId,
	after: Option<MachineId>,
	limit: u32,
) -> Vec<MachineId> {
	use pallet_compute::MachinesByProvider;
	let take = clamp(limit);
	match after {
		Some(after) => {
			let from = MachinesByProvider::<Runtime>::hashed_key_for(&provider, after);
			MachinesByProvider::<Runtime>::iter_key_prefix_from(provider, from).take(take).collect()
		},
		None => MachinesByProvider::<Runtime>::iter_key_prefix(provider).take(take).collect(),
	}
}

/// The account's items in the compute collection, paged like [`machines_by_provider`]: O(limit)
/// however many NFTs it holds.
pub fn machines_by_owner(owner: AccountId, after: Option<MachineId>, limit: u32) -> Vec<MachineId> {
	use pallet_nfts::Account;
	let take = clamp(limit);
	let collection = ComputeCollection::get();
	match after {
		Some(after) => {
			let from = Account::<Runtime>::hashed_key_for((owner.clone(), collection, after));
			Account::<Runtime>::iter_key_prefix_from((owner, collection), from).take(take).collect()
		},
		None => Account::<Runtime>::iter_key_prefix((owner, collection)).take(take).collect(),
	}
}

pub fn open_jobs_for_machine(
	machine: MachineId,
	skip: u32,
	limit: u32,
) -> Vec<JobInfo<AccountId, Balance, BlockNumber>> {
	Market::open_jobs_for(machine, skip, limit.min(MAX_PAGE))
		.into_iter()
		.map(|(id, job)| JobInfo {
			id,
			customer: job.customer,
			requirements: job.requirements,
			max_price_per_hour: job.max_price_per_hour,
			hours: job.hours,
			spec: job.spec.into_inner(),
			escrow: job.escrow,
			priority: job.priority,
			posted_at: job.posted_at,
		})
		.collect()
}

pub fn quote(requirements: JobRequirements, limit: u32) -> Vec<Quote<Balance>> {
	Market::quote(&requirements, limit.min(MAX_PAGE))
		.into_iter()
		.map(|(machine, price_per_hour)| Quote {
			machine,
			price_per_hour,
			score: Compute::score(machine).unwrap_or_default(),
		})
		.collect()
}

pub fn lease(id: LeaseId) -> Option<LeaseInfo<AccountId, Balance, BlockNumber>> {
	let lease = Leases::<Runtime>::get(id)?;
	let (accrued, claimable) = Market::lease_amounts(id)?;
	Some(LeaseInfo {
		id,
		customer: lease.customer,
		machine: lease.machine,
		job: lease.job,
		beneficiary: lease.beneficiary,
		provider: lease.provider,
		price_per_hour: lease.price_per_hour,
		hours: lease.hours,
		spec: lease.spec.into_inner(),
		start: lease.start,
		end: lease.end,
		ended_at: lease.ended_at,
		end_reason: lease.end_reason,
		challenge_deadline: lease.challenge_deadline,
		status: lease.status,
		result: lease.result,
		paid: lease.paid,
		held: lease.held,
		accrued,
		claimable,
	})
}

/// Earnings are found through the machines the account provides or owns (their unsettled
/// leases); the first `MAX_PAGE` machines of each kind and `MAX_PAGE` leases of each machine
/// are walked.
pub fn account(who: AccountId) -> AccountSummary<Balance> {
	let mut machines = machines_by_provider(who.clone(), None, MAX_PAGE);
	machines.extend(machines_by_owner(who.clone(), None, MAX_PAGE));
	machines.sort_unstable();
	machines.dedup();
	let mut earnings = Vec::new();
	let mut claimable: Balance = 0;
	for machine in machines {
		for id in MachineLeases::<Runtime>::iter_key_prefix(machine).take(MAX_PAGE as usize) {
			let Some(lease) = Leases::<Runtime>::get(id) else { continue };
			if lease.beneficiary != who {
				continue;
			}
			let amount = Market::lease_amounts(id).map(|(_, c)| c).unwrap_or_default();
			claimable = claimable.saturating_add(amount);
			earnings.push((id, amount));
		}
	}
	AccountSummary {
		open_jobs: CustomerJobs::<Runtime>::get(&who).into_inner(),
		leases: CustomerLeases::<Runtime>::get(&who).into_inner(),
		earnings,
		claimable,
	}
}

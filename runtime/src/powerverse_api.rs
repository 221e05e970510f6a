//! The queries behind `PowerVerseApi` (and so behind the `powerverse_*` RPC). Every list is
//! clamped to `MAX_PAGE`; the market's bounded indexes keep matching and quoting from walking
//! every job or machine.

use alloc::vec::Vec;
use pallet_market::{ActiveLease, CustomerJobs, CustomerLeases, Leases, MachineLeases, Offers};
use powerverse_primitives::{ComputeInspect, MachineCollateral};
use powerverse_runtime_api::{
	AccountSummary, Earning, EarningsCursor, JobCursor, JobId, JobInfo, JobRequirements, LeaseId,
	LeaseInfo, MachineId, MachineInfo, Page, Quote, QuoteCursor, MAX_PAGE,
};

use crate::{
	configs::ComputeCollection, AccountId, Balance, BlockNumber, Compute, ComputeStaking, Market,
	Runtime,
};

/// A page size of 1..=`MAX_PAGE` (0 would return a cursor that never moves).
fn clamp(limit: u32) -> usize {
	limit.clamp(1, MAX_PAGE) as usize
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

/// How many entries a page may look at: four per item asked for (matches are rarer than
/// entries when filters apply), at least 32. Bounds every page's reads whatever the lists hold.
fn budget(limit: u32) -> u32 {
	limit.saturating_mul(4).max(32)
}

fn job_info(
	id: JobId,
	job: pallet_market::JobOf<Runtime>,
) -> JobInfo<AccountId, Balance, BlockNumber> {
	JobInfo {
		id,
		customer: job.customer,
		requirements: job.requirements,
		max_price_per_hour: job.max_price_per_hour,
		hours: job.hours,
		spec: job.spec.into_inner(),
		escrow: job.escrow,
		priority: job.priority,
		posted_at: job.posted_at,
	}
}

pub fn open_jobs_page(
	machine: MachineId,
	cursor: Option<JobCursor>,
	limit: u32,
) -> Page<JobInfo<AccountId, Balance, BlockNumber>, JobCursor> {
	let limit = clamp(limit) as u32;
	let (jobs, next) = Market::open_jobs_page(machine, cursor, limit, budget(limit));
	Page { items: jobs.into_iter().map(|(id, job)| job_info(id, job)).collect(), next }
}

/// Every queued job, the bound of the version-1 walks.
fn all_queued() -> u32 {
	use frame_support::traits::Get;
	let top: u8 = <Runtime as pallet_market::Config>::MaxPriorityLevel::get();
	let levels = u32::from(top) + 1;
	levels.saturating_mul(<Runtime as pallet_market::Config>::MaxOpenJobsPerLevel::get())
}

/// The version-1 method, as it answered before pages: `skip` matches skipped, walking every
/// queue at most once (bounded by the queues' capacity, not by `limit`).
pub fn open_jobs_for_machine(
	machine: MachineId,
	skip: u32,
	limit: u32,
) -> Vec<JobInfo<AccountId, Balance, BlockNumber>> {
	let take = clamp(limit) as u32;
	let (jobs, _) = Market::open_jobs_page(machine, None, skip.saturating_add(take), all_queued());
	jobs.into_iter().skip(skip as usize).map(|(id, job)| job_info(id, job)).collect()
}

pub fn quote_page(
	requirements: JobRequirements,
	cursor: Option<QuoteCursor>,
	limit: u32,
) -> Page<Quote<Balance>, QuoteCursor> {
	let limit = clamp(limit) as u32;
	let (found, next) = Market::quote_page(&requirements, cursor, limit, budget(limit));
	Page { items: found.into_iter().map(|(m, price)| quote_of(m, price)).collect(), next }
}

/// The version-1 method, as it answered before pages: walks the rent list (at most
/// `MaxOffers`) until `limit` quotes are found.
pub fn quote(requirements: JobRequirements, limit: u32) -> Vec<Quote<Balance>> {
	use frame_support::traits::Get;
	let limit = clamp(limit) as u32;
	let offers = <Runtime as pallet_market::Config>::MaxOffers::get();
	let (found, _) = Market::quote_page(&requirements, None, limit, offers);
	found.into_iter().map(|(machine, price)| quote_of(machine, price)).collect()
}

fn quote_of(machine: MachineId, price_per_hour: Balance) -> Quote<Balance> {
	Quote { machine, price_per_hour, score: Compute::score(machine).unwrap_or_default() }
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

/// The machines `who` provides (`owned == false`) or whose NFT it holds, from `after` on.
fn machines_of(
	who: &AccountId,
	owned: bool,
	after: Option<MachineId>,
	limit: u32,
) -> Vec<MachineId> {
	if owned {
		machines_by_owner(who.clone(), after, limit)
	} else {
		machines_by_provider(who.clone(), after, limit)
	}
}

/// Earnings are found through the machines the account provides, then those whose NFT it holds
/// (skipping ones it also provides), walking each machine's unsettled leases. A page looks at
/// most `budget(limit)` machines and leases together; the cursor names the machine to resume
/// at and the last lease looked at in it.
pub fn earnings(
	who: AccountId,
	cursor: Option<EarningsCursor>,
	limit: u32,
) -> Page<Earning<Balance>, EarningsCursor> {
	let limit = clamp(limit);
	let mut left = budget(limit as u32);
	let mut items = Vec::new();
	for owned in [false, true] {
		if cursor.is_some_and(|c| c.owned && !owned) {
			continue;
		}
		let mut resume = cursor.filter(|c| c.owned == owned);
		// The cursor's machine first (listing starts after it), then the rest in order.
		let mut pending: Vec<MachineId> = resume.map(|c| c.machine).into_iter().collect();
		let mut after_machine = resume.map(|c| c.machine);
		loop {
			if pending.is_empty() {
				pending = machines_of(&who, owned, after_machine, 16);
				pending.reverse();
			}
			let Some(machine) = pending.pop() else { break };
			after_machine = Some(machine);
			let from_lease = resume.take().and_then(|c| c.lease);
			if items.len() >= limit || left == 0 {
				let next = EarningsCursor { owned, machine, lease: from_lease };
				return Page { items, next: Some(next) };
			}
			left = left.saturating_sub(1);
			if owned && Compute::provider(machine).as_ref() == Some(&who) {
				continue;
			}
			let leases = match from_lease {
				Some(l) => MachineLeases::<Runtime>::iter_key_prefix_from(
					machine,
					MachineLeases::<Runtime>::hashed_key_for(machine, l),
				),
				None => MachineLeases::<Runtime>::iter_key_prefix(machine),
			};
			let mut last = from_lease;
			for id in leases {
				if items.len() >= limit || left == 0 {
					let next = EarningsCursor { owned, machine, lease: last };
					return Page { items, next: Some(next) };
				}
				left = left.saturating_sub(1);
				last = Some(id);
				let Some(lease) = Leases::<Runtime>::get(id) else { continue };
				if lease.beneficiary == who {
					let claimable = Market::lease_amounts(id).map(|(_, c)| c).unwrap_or_default();
					items.push(Earning { lease: id, machine, claimable });
				}
			}
		}
	}
	Page { items, next: None }
}

/// Open jobs and leases (bounded per customer) and the first page of earnings.
pub fn account(who: AccountId) -> AccountSummary<Balance> {
	let page = earnings(who.clone(), None, MAX_PAGE);
	let claimable = page.items.iter().fold(0, |sum: Balance, e| sum.saturating_add(e.claimable));
	AccountSummary {
		open_jobs: CustomerJobs::<Runtime>::get(&who).into_inner(),
		leases: CustomerLeases::<Runtime>::get(&who).into_inner(),
		earnings: page.items.into_iter().map(|e| (e.lease, e.claimable)).collect(),
		claimable,
	}
}

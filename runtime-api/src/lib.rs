//! # PowerVerse runtime API
//!
//! What the node's `powerverse_*` JSON-RPC methods (and any client calling `state_call`) ask the
//! runtime. Every list is bounded: callers pass a page size of at most [`MAX_PAGE`] and the
//! runtime clamps to it. New domains (supervisor tasks, loyalty tiers) join as methods of a new
//! API version, so existing clients keep working.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, Encode};
pub use pallet_compute_staking::{NotEarning, StakeStatus};
pub use pallet_market::{EndReason, JobCursor, LeaseStatus, QuoteCursor};
pub use pallet_price_oracle::PriceInfo;
pub use pallet_supervisors::{CaseId, JuryTask, Record, SupervisorStatus};
pub use pallet_tiers::{Tier, TierStatus};
pub use powerverse_primitives::PriceUnavailable;
pub use powerverse_primitives::{
	ComputeScore, CountryCode, JobId, JobRequirements, LeaseId, MachineId, MachineSpec,
	MachineState, PriorityLevel,
};
use scale_info::TypeInfo;

/// The largest page any list returns.
pub const MAX_PAGE: u32 = 100;

/// A machine with its live state.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct MachineInfo<AccountId, Balance, BlockNumber> {
	pub id: MachineId,
	pub provider: AccountId,
	pub operator: AccountId,
	/// Owner of the compute NFT: who earns from the machine.
	pub owner: AccountId,
	pub spec: MachineSpec,
	pub score: ComputeScore,
	/// Offline and maintenance derived at the queried block.
	pub state: MachineState,
	pub verified: bool,
	pub online: bool,
	pub price_per_hour: Balance,
	pub last_heartbeat: BlockNumber,
	pub country: Option<CountryCode>,
	/// PEC bond plus the pledged NFT's value.
	pub collateral: Balance,
	pub minimum_collateral: Balance,
	pub sufficiently_collateralized: bool,
	/// The running lease, if any.
	pub active_lease: Option<LeaseId>,
	/// Whether it is on the rent list that quotes walk.
	pub listed: bool,
}

/// An open job.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct JobInfo<AccountId, Balance, BlockNumber> {
	pub id: JobId,
	pub customer: AccountId,
	pub requirements: JobRequirements,
	pub max_price_per_hour: Balance,
	pub hours: u32,
	pub spec: Vec<u8>,
	pub escrow: Balance,
	pub priority: PriorityLevel,
	pub posted_at: BlockNumber,
}

/// A machine that could start a lease now, at its posted price.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Quote<Balance> {
	pub machine: MachineId,
	pub price_per_hour: Balance,
	pub score: ComputeScore,
}

/// A lease with what it has accrued and what its beneficiary could claim now.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct LeaseInfo<AccountId, Balance, BlockNumber> {
	pub id: LeaseId,
	pub customer: AccountId,
	pub machine: MachineId,
	pub job: Option<JobId>,
	pub beneficiary: AccountId,
	pub provider: AccountId,
	pub price_per_hour: Balance,
	pub hours: u32,
	pub spec: Vec<u8>,
	pub start: BlockNumber,
	pub end: BlockNumber,
	pub ended_at: Option<BlockNumber>,
	pub end_reason: Option<EndReason>,
	pub challenge_deadline: Option<BlockNumber>,
	pub status: LeaseStatus,
	pub result: Option<[u8; 32]>,
	pub paid: Balance,
	pub held: Balance,
	/// Accrued so far (payment stops at the end or at a failure).
	pub accrued: Balance,
	/// What a claim (or settlement) would pay the beneficiary now, before the fee.
	pub claimable: Balance,
}

/// An account's place in the market.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct AccountSummary<Balance> {
	/// Open jobs it posted.
	pub open_jobs: Vec<JobId>,
	/// Unsettled leases it pays for.
	pub leases: Vec<LeaseId>,
	/// Unsettled leases of machines it owns or provides that pay it: (lease, claimable now).
	pub earnings: Vec<(LeaseId, Balance)>,
	/// Sum of `earnings`' claimable amounts.
	pub claimable: Balance,
}

/// One page of a list and where the next one starts (`None`: the list is walked). Pages may be
/// short — each call looks at a bounded number of entries — so follow `next`, not the length.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Page<Item, Cursor> {
	pub items: Vec<Item>,
	pub next: Option<Cursor>,
}

/// Where a page of an account's earnings stopped: the machine to resume at (`owned`: among the
/// machines whose NFT it holds, walked after those it provides) and the last lease already
/// looked at in it (`None`: from its first).
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct EarningsCursor {
	pub owned: bool,
	pub machine: MachineId,
	pub lease: Option<LeaseId>,
}

/// An unsettled lease that pays the account, with what a claim would pay it now.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Earning<Balance> {
	pub lease: LeaseId,
	pub machine: MachineId,
	pub claimable: Balance,
}

sp_api::decl_runtime_apis! {
	/// Machines, jobs, quotes, leases and earnings; from version 2, staked NFTs; from version
	/// 3, supervisors; 4, tiers; 5, the PEC price; 6, cursor pages for jobs, quotes and earnings.
	pub trait PowerVerseApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// A machine by id with its live state.
		fn machine(id: MachineId) -> Option<MachineInfo<AccountId, Balance, BlockNumber>>;
		/// Machine ids of `provider` after the cursor `after` (storage order), at most `limit`.
		fn machines_by_provider(provider: AccountId, after: Option<MachineId>, limit: u32) -> Vec<MachineId>;
		/// Machine ids whose NFT `owner` holds, after the cursor `after` (storage order), at most `limit`.
		fn machines_by_owner(owner: AccountId, after: Option<MachineId>, limit: u32) -> Vec<MachineId>;
		/// Open jobs `machine` can serve at its price, highest priority first, skipping `skip`
		/// (walks the queues up to their capacity; `open_jobs_page` is O(limit)).
		fn open_jobs_for_machine(machine: MachineId, skip: u32, limit: u32) -> Vec<JobInfo<AccountId, Balance, BlockNumber>>;
		/// The cheapest listed machines that could start a lease for `requirements` now (walks
		/// the price index up to `MaxOffers`; `quote_page` is O(limit)).
		fn quote(requirements: JobRequirements, limit: u32) -> Vec<Quote<Balance>>;
		/// A lease by id (settled leases are gone).
		fn lease(id: LeaseId) -> Option<LeaseInfo<AccountId, Balance, BlockNumber>>;
		/// An account's open jobs, leases and the first page of its earnings (`earnings` pages
		/// through all of them).
		fn account(who: AccountId) -> AccountSummary<Balance>;
		/// A staked compute NFT: its weight in the reward pool, what a claim pays now, and why
		/// it earns nothing if it does not.
		#[api_version(2)]
		fn stake(machine: MachineId) -> Option<StakeStatus<AccountId, Balance>>;
		/// A supervisor: contribution, record (cases, with and against the majority, missed
		/// reveals) and its tasks (jury seats and what each needs now).
		#[api_version(3)]
		fn supervisor(who: AccountId) -> Option<SupervisorStatus<Balance, BlockNumber>>;

		/// An account's loyalty tier, its frozen PEC and what it gives now.
		#[api_version(4)]
		fn tier(who: AccountId) -> Option<TierStatus<Balance, BlockNumber>>;

		/// The oracle's PEC price in the stable asset (`None` while no pool is tracked).
		#[api_version(5)]
		fn pec_price() -> Option<PriceInfo<u32, BlockNumber>>;

		/// Open jobs `machine` can serve at its price, highest priority first, from `cursor`
		/// (the previous page's `next`): at most `limit`, looking at most a bounded number of
		/// queued jobs, so O(limit) whatever the queues hold.
		#[api_version(6)]
		fn open_jobs_page(machine: MachineId, cursor: Option<JobCursor>, limit: u32) -> Page<JobInfo<AccountId, Balance, BlockNumber>, JobCursor>;

		/// The listed machines that could start a lease for `requirements` now, cheapest first
		/// (from a price-ordered index), from `cursor`: O(limit) however many are listed.
		#[api_version(6)]
		fn quote_page(requirements: JobRequirements, cursor: Option<QuoteCursor>, limit: u32) -> Page<Quote<Balance>, QuoteCursor>;

		/// Unsettled leases that pay `who` (of machines it provides, then of machines whose NFT
		/// it holds), from `cursor`: O(limit) however many machines and leases it has.
		#[api_version(6)]
		fn earnings(who: AccountId, cursor: Option<EarningsCursor>, limit: u32) -> Page<Earning<Balance>, EarningsCursor>;
	}
}

//! Records and aliases of the market pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug;
use frame_support::{pallet_prelude::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use powerverse_primitives::{JobId, JobRequirements, MachineId, PriorityLevel};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

use crate::Config;

/// The account type of a runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// The PEC balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as frame_support::traits::fungible::Inspect<AccountIdOf<T>>>::Balance;
/// Where a job's spec lives (a URL, a CID or a hash; possibly encrypted to the provider).
pub type JobSpecOf<T> = BoundedVec<u8, <T as Config>::MaxJobSpecLen>;
/// A job of a runtime.
pub type JobOf<T> =
	Job<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxJobSpecLen>;
/// A lease of a runtime.
pub type LeaseOf<T> =
	Lease<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxJobSpecLen>;
/// What the market reads of a machine (one decode of its record).
pub type MachineViewOf<T> = powerverse_primitives::MachineView<
	<T as frame_system::Config>::AccountId,
	<T as crate::Config>::Balance,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;

/// A 32-byte hash of a job's result (what the provider delivered).
pub type ResultHash = [u8; 32];

/// Governance-set parameters (`set_params`).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct MarketParams {
	/// Share of every lease payment that goes to the treasury (before the customer's tier
	/// discount). At most [`crate::MAX_PROTOCOL_FEE`].
	pub protocol_fee: Perbill,
	/// Share of a machine's collateral slashed when it goes offline while leased.
	pub offline_slash: Perbill,
}

/// An open job order: the customer's requirements and escrowed budget.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxSpec))]
pub struct Job<AccountId, Balance, BlockNumber, MaxSpec: Get<u32>> {
	/// Who posted the job and pays for it.
	pub customer: AccountId,
	/// What a machine needs to serve it.
	pub requirements: JobRequirements,
	/// The most the customer pays per hour.
	pub max_price_per_hour: Balance,
	/// How many hours the lease runs.
	pub hours: u32,
	/// Where the job spec lives.
	pub spec: BoundedVec<u8, MaxSpec>,
	/// PEC held from the customer: `max_price_per_hour × hours`.
	pub escrow: Balance,
	/// The customer's priority level when the job was posted.
	pub priority: PriorityLevel,
	/// Block of posting.
	pub posted_at: BlockNumber,
	/// First block at which the job is expired (`posted_at + JobLifetime`).
	pub expires_at: BlockNumber,
}

/// Where a lease is in its life.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum LeaseStatus {
	/// The machine is working for the customer; payment accrues every block.
	Active,
	/// The lease ended; the customer may confirm or dispute until the challenge deadline.
	Ended,
	/// The customer disputed it; the held payment waits for a verdict.
	Disputed,
	/// Nothing can be disputed any more; the rest of the payment goes to the owner.
	Finalized,
}

/// Why a lease ended.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum EndReason {
	/// It ran for all its hours.
	Expired,
	/// The customer ended it early (or opened a dispute while it ran).
	EndedByCustomer,
	/// The machine was offline longer than the grace period.
	ProviderFailed,
}

/// A lease: a machine working for a customer at an agreed price.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxSpec))]
pub struct Lease<AccountId, Balance, BlockNumber, MaxSpec: Get<u32>> {
	/// Who pays.
	pub customer: AccountId,
	/// The machine.
	pub machine: MachineId,
	/// The job it came from (`None` for a direct rental).
	pub job: Option<JobId>,
	/// Who earns: the owner of the machine's NFT when the lease started (the NFT is locked
	/// while the lease runs).
	pub beneficiary: AccountId,
	/// The machine's provider (answers disputes).
	pub provider: AccountId,
	/// Agreed price per hour.
	pub price_per_hour: Balance,
	/// Booked hours.
	pub hours: u32,
	/// Where the job spec lives.
	pub spec: BoundedVec<u8, MaxSpec>,
	/// First block of the lease.
	pub start: BlockNumber,
	/// Scheduled last block (exclusive): `start + hours × blocks per hour`.
	pub end: BlockNumber,
	/// Block at which it actually ended (payment stops accruing there).
	pub ended_at: Option<BlockNumber>,
	/// Why it ended.
	pub end_reason: Option<EndReason>,
	/// Last block at which the customer may dispute.
	pub challenge_deadline: Option<BlockNumber>,
	/// Paid out so far (to the owner and the treasury together).
	pub paid: Balance,
	/// Still held from the customer for this lease.
	pub held: Balance,
	/// The provider's result hash.
	pub result: Option<ResultHash>,
	/// Where it is in its life.
	pub status: LeaseStatus,
	/// The customer's fee discount, fixed when the lease started.
	pub fee_discount: Perbill,
	/// Blocks the machine was down during the lease, fixed when it ended (never paid for).
	pub down_blocks: BlockNumber,
	/// Paid to the customer out of the machine's collateral for this lease already (a failure
	/// slash): a later dispute refunds only what this does not cover.
	pub compensated: Balance,
	/// The customer's dispute deposit, while a dispute is open.
	pub dispute_deposit: Balance,
	/// Last block for a verdict on an open dispute.
	pub dispute_deadline: Option<BlockNumber>,
}

/// The unit a listed machine is priced in, which decides the price index it sits in.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
pub enum PriceUnit {
	/// Its posted PEC price per hour.
	Pec,
	/// Its stable-asset price per hour (converted to PEC when quoted; the conversion keeps the
	/// order).
	Stable,
}

/// A key of the offer index: the price per hour then the machine id, both big-endian, so the
/// index (stored under the identity hasher) iterates cheapest first, ties by machine id.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
pub struct OfferKey {
	price: [u8; 16],
	machine: [u8; 8],
}

impl OfferKey {
	pub fn new(price: u128, machine: MachineId) -> Self {
		Self { price: price.to_be_bytes(), machine: machine.to_be_bytes() }
	}
	pub fn price(&self) -> u128 {
		u128::from_be_bytes(self.price)
	}
	pub fn machine(&self) -> MachineId {
		MachineId::from_be_bytes(self.machine)
	}
}

/// A listed machine's place in the offer index.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Offer {
	pub unit: PriceUnit,
	pub key: OfferKey,
}

/// Where a page of open jobs for a machine stopped: the priority level being walked and the
/// last job id looked at in it (queues are oldest first, so ids only grow along a level).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct JobCursor {
	pub level: PriorityLevel,
	pub after: JobId,
}

/// Where a page of quotes stopped: the last key looked at in each offer index.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct QuoteCursor {
	pub pec: Option<OfferKey>,
	pub stable: Option<OfferKey>,
}

//! # PowerVerse primitives
//!
//! Shared types and the traits through which PowerVerse pallets talk to each other. A pallet's
//! `Config` names these traits; the runtime wires one pallet's implementation into another's
//! `Config`, so no pallet reads another's storage. Every trait has a `()` implementation for
//! mocks.
//!
//! | trait | implemented by | used by |
//! |---|---|---|
//! | [`ComputeInspect`] | compute | staking, market, supervisors, RPC |
//! | [`ComputeNftLocks`] | compute | staking (stake/pledge), market (lease) |
//! | [`ComputeLeasing`] | compute | market |
//! | [`MachineVerification`] | compute | supervisors (until then a privileged origin) |
//! | [`ComputeNftSeizure`] | compute | staking (slash beyond the bond) |
//! | [`MachineCollateral`] | staking | market (a lease needs enough collateral) |
//! | [`MachineSlashing`] | staking | market, supervisors |
//! | [`RetirementGuard`] | staking, market | compute (a machine with obligations cannot retire) |
//! | [`CustomerBenefits`] | tiers | market (priority, fee discount), supervisors (dispute priority) |
//! | [`DisputeJury`] | supervisors | market (a dispute needs a jury) |
//! | [`JudgementGuard`] | market (open disputes), supervisors (open reports) | staking, compute (nothing escapes a pending judgement) |
//! | [`MachineListing`] | market (rent list) | staking (only listed machines earn) |
//! | [`RewardsObserver`] | staking | market (listing and lease changes re-weigh a stake) |
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug;
use frame_support::weights::Weight;
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::{DispatchError, DispatchResult};

/// A machine's id. It is also the item id of its compute NFT.
pub type MachineId = u64;

/// A machine's compute score in score points (see docs/economics.md).
pub type ComputeScore = u64;

/// A job order's id in the market.
pub type JobId = u64;

/// A lease's id in the market.
pub type LeaseId = u64;

/// A customer's priority level: 0 is the base level every customer has; higher levels' jobs
/// are served first.
pub type PriorityLevel = u8;

/// ISO 3166-1 alpha-2 country code, upper case (`DE`, `US`, `SG`).
pub type CountryCode = [u8; 2];

/// Longest hardware model name in bytes (`"NVIDIA H100 80GB HBM3"` is 21).
pub const MAX_MODEL_NAME_LEN: u32 = 64;
/// Most distinct GPU entries (model, VRAM, count) in one machine spec.
pub const MAX_GPU_KINDS: u32 = 8;

/// A hardware model name as it appears in the model table, e.g. `H100` or `RTX 4090`.
pub type ModelName = BoundedVec<u8, ConstU32<MAX_MODEL_NAME_LEN>>;

/// One kind of GPU in a machine.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct GpuSpec {
	/// Model name, e.g. `H100`.
	pub model: ModelName,
	/// Memory per GPU in GiB.
	pub vram_gib: u32,
	/// How many GPUs of this model the machine has.
	pub count: u32,
}

/// A machine's hardware, as the provider declares it and verification checks it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct MachineSpec {
	/// CPU model, e.g. `AMD EPYC 9654`.
	pub cpu_model: ModelName,
	/// Physical CPU cores.
	pub cores: u32,
	/// Hardware threads (>= cores).
	pub threads: u32,
	/// Memory in GiB.
	pub ram_gib: u32,
	/// Disk in GiB.
	pub storage_gib: u32,
	/// Network bandwidth in Mbit/s.
	pub bandwidth_mbps: u32,
	/// GPUs, one entry per model.
	pub gpus: BoundedVec<GpuSpec, ConstU32<MAX_GPU_KINDS>>,
}

impl MachineSpec {
	/// Total number of GPUs across entries (saturating).
	pub fn gpu_count(&self) -> u32 {
		self.gpus.iter().fold(0u32, |acc, g| acc.saturating_add(g.count))
	}

	/// The smallest per-GPU VRAM among the machine's GPUs (`None` without GPUs).
	pub fn min_vram_gib(&self) -> Option<u32> {
		self.gpus.iter().map(|g| g.vram_gib).min()
	}
}

/// A machine's state as other pallets and clients see it. `Offline` and `Maintenance` are
/// derived on read from the last heartbeat and the announced window; nothing walks machines.
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
pub enum MachineState {
	/// Registered, waiting for verification.
	PendingVerification,
	/// Verification failed; the provider may retire it.
	Rejected,
	/// Verified, online and free to lease.
	Idle,
	/// Verified and running a lease.
	Leased,
	/// Verified but its last heartbeat is too old.
	Offline,
	/// Inside a maintenance window announced in advance (not downtime).
	Maintenance,
	/// Retired; its NFT is burned.
	Retired,
}

/// Why a compute NFT is locked. Locks stack: the NFT moves only when none is held.
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
pub enum NftLockReason {
	/// The machine runs a lease: its revenue must reach the owner who let it.
	Lease,
	/// The NFT is staked in the reward pool.
	Stake,
	/// The NFT is pledged as collateral.
	Pledge,
}

impl NftLockReason {
	/// The bit this reason sets in [`NftLocks`].
	pub const fn bit(self) -> u8 {
		match self {
			Self::Lease => 0b001,
			Self::Stake => 0b010,
			Self::Pledge => 0b100,
		}
	}
}

/// The set of locks held on one compute NFT.
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
pub struct NftLocks(pub u8);

impl NftLocks {
	/// Whether `reason` is held.
	pub fn has(&self, reason: NftLockReason) -> bool {
		self.0 & reason.bit() != 0
	}
	/// Whether any lock is held.
	pub fn any(&self) -> bool {
		self.0 != 0
	}
	/// Adds `reason`.
	pub fn insert(&mut self, reason: NftLockReason) {
		self.0 |= reason.bit();
	}
	/// Removes `reason`.
	pub fn remove(&mut self, reason: NftLockReason) {
		self.0 &= !reason.bit();
	}
}

/// What other pallets read of a machine, from one decode of its record: a call that needs
/// several of these asks for the view once instead of each method decoding the record again.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MachineView<AccountId, Balance, BlockNumber> {
	/// The state at the current block (offline/maintenance derived).
	pub state: MachineState,
	/// The provider account.
	pub provider: AccountId,
	/// The operator (hot) key.
	pub operator: AccountId,
	/// The posted price per hour in PEC.
	pub price_per_hour: Balance,
	/// The compute score.
	pub score: ComputeScore,
	/// The block of the last heartbeat.
	pub last_heartbeat: BlockNumber,
	/// The announced maintenance window `[start, end)`, if any.
	pub maintenance: Option<(BlockNumber, BlockNumber)>,
}

/// Read access to the compute registry.
pub trait ComputeInspect<AccountId, Balance, BlockNumber> {
	/// The machine's state, keys, price, score, heartbeat and maintenance window in one read.
	fn view(machine: MachineId) -> Option<MachineView<AccountId, Balance, BlockNumber>>;
	/// The machine's hardware spec.
	fn spec(machine: MachineId) -> Option<MachineSpec>;
	/// The machine's compute score.
	fn score(machine: MachineId) -> Option<ComputeScore>;
	/// The machine's current state (offline/maintenance derived at the current block).
	fn state(machine: MachineId) -> Option<MachineState>;
	/// Who operates the machine (the provider account).
	fn provider(machine: MachineId) -> Option<AccountId>;
	/// Who earns from the machine: the current owner of its compute NFT.
	fn beneficiary(machine: MachineId) -> Option<AccountId>;
	/// The posted price per hour in PEC.
	fn price_per_hour(machine: MachineId) -> Option<Balance>;
	/// The block of the machine's last heartbeat.
	fn last_heartbeat(machine: MachineId) -> Option<BlockNumber>;
	/// Whether the machine is verified (not pending, rejected or retired).
	fn is_verified(machine: MachineId) -> bool;
	/// Whether the machine's last heartbeat is recent enough.
	fn is_online(machine: MachineId) -> bool;
	/// Whether an announced maintenance window covers the current block.
	fn in_maintenance(machine: MachineId) -> bool;
	/// Cumulative (uptime, downtime) blocks, accrued at each heartbeat.
	fn uptime(machine: MachineId) -> Option<(BlockNumber, BlockNumber)>;
	/// Downtime blocks of the machine's current (or last) lease up to block `at`, never counting
	/// past the lease's scheduled end: what the heartbeats recorded during the lease plus the
	/// silence since the last one beyond the heartbeat timeout, announced maintenance excluded.
	/// `None` for an unknown machine.
	fn lease_downtime_at(machine: MachineId, at: BlockNumber) -> Option<BlockNumber>;
	/// Cumulative (up, down, maintenance) blocks as of now: what the heartbeats recorded plus
	/// the gap since the last one, split the same way. The three always add up to the blocks
	/// since registration, so a silence is counted even before the next heartbeat.
	fn availability_now(machine: MachineId) -> Option<(BlockNumber, BlockNumber, BlockNumber)>;
	/// The announced maintenance window `[start, end)`, if any.
	fn maintenance(machine: MachineId) -> Option<(BlockNumber, BlockNumber)>;
	/// The machine's operator (hot) key, allowed to send heartbeats and accept jobs.
	fn operator(machine: MachineId) -> Option<AccountId>;
	/// The country of the machine's provider.
	fn country(machine: MachineId) -> Option<CountryCode>;
}

/// What a job needs from a machine. Zero minimums and `None` mean "any".
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct JobRequirements {
	/// Fewest GPUs (of the required model, if one is named).
	pub min_gpus: u32,
	/// GPU model every counted GPU must be, e.g. `H100`.
	pub gpu_model: Option<ModelName>,
	/// Least memory per counted GPU, in GiB.
	pub min_vram_gib: u32,
	/// Fewest physical CPU cores.
	pub min_cores: u32,
	/// Least RAM in GiB.
	pub min_ram_gib: u32,
	/// Country the provider must be in.
	pub region: Option<CountryCode>,
}

/// The first requirement a machine fails.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RequirementMiss {
	/// Too few GPUs of the model (and VRAM) asked for.
	Gpus,
	/// Too few CPU cores.
	Cores,
	/// Too little RAM.
	Ram,
	/// The provider is in another country.
	Region,
}

impl JobRequirements {
	/// GPUs in `spec` that count towards `min_gpus`: of the named model (if any) and with at
	/// least `min_vram_gib` each.
	pub fn matching_gpus(&self, spec: &MachineSpec) -> u32 {
		spec.gpus
			.iter()
			.filter(|g| self.gpu_model.as_ref().map_or(true, |m| *m == g.model))
			.filter(|g| g.vram_gib >= self.min_vram_gib)
			.fold(0u32, |acc, g| acc.saturating_add(g.count))
	}

	/// `Ok` when a machine with `spec` whose provider is in `country` meets every requirement.
	pub fn check(
		&self,
		spec: &MachineSpec,
		country: Option<CountryCode>,
	) -> Result<(), RequirementMiss> {
		let needs_gpu = self.min_gpus > 0 || self.gpu_model.is_some() || self.min_vram_gib > 0;
		if needs_gpu && self.matching_gpus(spec) < self.min_gpus.max(1) {
			return Err(RequirementMiss::Gpus);
		}
		if spec.cores < self.min_cores {
			return Err(RequirementMiss::Cores);
		}
		if spec.ram_gib < self.min_ram_gib {
			return Err(RequirementMiss::Ram);
		}
		if let Some(region) = self.region {
			if country != Some(region) {
				return Err(RequirementMiss::Region);
			}
		}
		Ok(())
	}
}

/// What a customer's membership gives in the market (the loyalty-tier pallet provides it;
/// until then `()` gives every customer the base level and no discount).
pub trait CustomerBenefits<AccountId> {
	/// The customer's priority level; higher levels' jobs are listed and served first.
	fn priority(who: &AccountId) -> PriorityLevel;
	/// The share of the market's protocol fee the customer is spared now.
	fn fee_discount(who: &AccountId) -> sp_runtime::Perbill;
	/// The discount averaged over blocks `[from, to)`: the benefit ends with the membership's
	/// term, so a lease running past it is discounted only for the part the term covers.
	fn fee_discount_over(who: &AccountId, from: u64, to: u64) -> sp_runtime::Perbill;
	/// Weight of one `priority` plus one `fee_discount` call (the market adds it to its calls).
	fn weight() -> Weight;
}

impl<A> CustomerBenefits<A> for () {
	fn priority(_: &A) -> PriorityLevel {
		0
	}
	fn fee_discount(_: &A) -> sp_runtime::Perbill {
		sp_runtime::Perbill::zero()
	}
	fn fee_discount_over(_: &A, _: u64, _: u64) -> sp_runtime::Perbill {
		sp_runtime::Perbill::zero()
	}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// Handing a market dispute to a jury (the supervisor DAO provides it; until then `()` does
/// nothing and a privileged origin gives the verdict).
pub trait DisputeJury<AccountId> {
	/// A dispute about `lease` on `machine` between `customer` and the machine's `provider`
	/// was opened. Neither party (nor the machine's operator or NFT holder) may judge it.
	fn dispute_opened(
		lease: LeaseId,
		machine: MachineId,
		customer: &AccountId,
		provider: &AccountId,
	) -> DispatchResult;
	/// Weight of `dispute_opened` (the market adds it to `open_dispute`).
	fn dispute_opened_weight() -> Weight;
}

impl<A> DisputeJury<A> for () {
	fn dispute_opened(_: LeaseId, _: MachineId, _: &A, _: &A) -> DispatchResult {
		Ok(())
	}
	fn dispute_opened_weight() -> Weight {
		Weight::zero()
	}
}

/// Asking for a machine's verification by a jury (the compute pallet calls it when a machine
/// registers; the supervisor DAO implements it).
pub trait VerificationJury {
	/// `machine` awaits verification.
	fn verification_requested(machine: MachineId) -> DispatchResult;
	/// Weight of `verification_requested`.
	fn verification_requested_weight() -> Weight;
}

impl VerificationJury for () {
	fn verification_requested(_: MachineId) -> DispatchResult {
		Ok(())
	}
	fn verification_requested_weight() -> Weight {
		Weight::zero()
	}
}

/// A running lease as the staking pallet weighs it for the lease bonus.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct RunningLease<Balance, BlockNumber> {
	/// The protocol fee the lease pays per hour (after the customer's tier discount): the
	/// lease bonus is capped at it, so renting a machine to oneself never earns more bonus
	/// than it costs.
	pub fee_per_hour: Balance,
	/// Blocks per hour.
	pub blocks_per_hour: BlockNumber,
	/// Last block the lease runs (paid or not, it earns no bonus after it).
	pub until: BlockNumber,
	/// The customer is the machine's provider, operator or NFT holder: renting one's own
	/// machine earns no bonus.
	pub self_rented: bool,
}

/// Whether a machine is offered to customers (the market's rent list) and what it is leased
/// for. Staking rewards only machines customers can rent, with a bonus for real leases.
pub trait MachineListing<Balance, BlockNumber> {
	/// `true` while `machine` is listed for rent.
	fn is_listed(machine: MachineId) -> bool;
	/// `machine`'s running lease, if any.
	fn running_lease(machine: MachineId) -> Option<RunningLease<Balance, BlockNumber>>;
}

impl<B, N> MachineListing<B, N> for () {
	fn is_listed(_: MachineId) -> bool {
		true
	}
	fn running_lease(_: MachineId) -> Option<RunningLease<B, N>> {
		None
	}
}

/// Told when something a machine's staking reward depends on changed in another pallet (it was
/// listed or delisted, a lease started or ended): the staking pallet settles the stake under
/// the old state and re-weighs it.
pub trait RewardsObserver {
	/// `machine`'s availability may have changed.
	fn availability_changed(machine: MachineId);
	/// Weight of `availability_changed` at its worst, for callers whose own benchmark does
	/// not include it.
	fn availability_changed_weight() -> Weight;
}

impl RewardsObserver for () {
	fn availability_changed(_: MachineId) {}
	fn availability_changed_weight() -> Weight {
		Weight::zero()
	}
}

/// Told when a machine's posted price changed in the compute pallet, so that the market moves a
/// listed machine to its new place in the price-ordered offer index.
pub trait PriceObserver {
	/// `machine`'s posted PEC price changed.
	fn price_changed(machine: MachineId);
	/// Weight of `price_changed` at its worst (a listed machine re-indexed).
	fn price_changed_weight() -> Weight;
}

impl PriceObserver for () {
	fn price_changed(_: MachineId) {}
	fn price_changed_weight() -> Weight {
		Weight::zero()
	}
}

/// Whether a judgement (a market dispute, a supervisor report) is pending on a machine. While
/// one is, the machine's bond, unbonding chunks, pledged or staked NFT and the machine itself
/// stay where a verdict can reach them: no withdraw, unpledge, unstake or retirement.
pub trait JudgementGuard {
	/// `true` while a dispute or report on `machine` is open.
	fn under_judgement(machine: MachineId) -> bool;
}

impl JudgementGuard for () {
	fn under_judgement(_: MachineId) -> bool {
		false
	}
}

/// Either guard's pending judgement counts (the runtime combines market and supervisors).
impl<A: JudgementGuard, B: JudgementGuard> JudgementGuard for (A, B) {
	fn under_judgement(machine: MachineId) -> bool {
		A::under_judgement(machine) || B::under_judgement(machine)
	}
}

/// A jury's verdict on a disputed lease.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Verdict {
	/// Share of the lease's whole payment the customer deserves back. That share of the still
	/// held payment is refunded at once (the rest of it goes to the machine's owner); what it
	/// does not cover of the share of the whole payment is paid from the `slash`, customer
	/// first — so with `slash` zero only the held share comes back. What a failure slash
	/// already paid the customer for this lease counts against it.
	pub refund: sp_runtime::Perbill,
	/// Share of the machine's collateral slashed (`LostDispute`), renter compensated first.
	pub slash: sp_runtime::Perbill,
}

impl Verdict {
	/// The verdict a dispute gets when no jury decides in time: no fault found, nothing
	/// refunded or slashed (the lease stands as delivered).
	pub fn default_verdict() -> Self {
		Self { refund: sp_runtime::Perbill::zero(), slash: sp_runtime::Perbill::zero() }
	}
}

/// Applying a verdict to a disputed lease (the market implements it; the supervisor DAO calls
/// it once a jury has decided).
pub trait DisputeResolution<AccountId> {
	/// Settles the dispute on `lease` by `verdict`; `jurors` share the slash's juror part.
	fn resolve(lease: LeaseId, verdict: Verdict, jurors: &[AccountId]) -> DispatchResult;
	/// Weight of `resolve` on its worst path (a slash that seizes a pledged NFT).
	fn resolve_weight() -> Weight;
	/// Whether `lease` is still disputed and awaiting a verdict.
	fn dispute_open(lease: LeaseId) -> bool;
}

/// Locking a compute NFT so it cannot be transferred, sold or burned.
pub trait ComputeNftLocks {
	/// Takes the lock `reason` on the machine's NFT. Fails if the machine is unknown or retired,
	/// or if `reason` is already held.
	fn lock(machine: MachineId, reason: NftLockReason) -> DispatchResult;
	/// Releases the lock `reason`. Fails if it is not held.
	fn unlock(machine: MachineId, reason: NftLockReason) -> DispatchResult;
	/// The locks currently held.
	fn locks(machine: MachineId) -> NftLocks;
	/// Every machine whose NFT holds `reason`. Iterates every machine: for `try_state` and
	/// tests only, never for a call.
	fn locked_with(reason: NftLockReason) -> alloc::vec::Vec<MachineId>;
}

/// Taking a compute NFT away from its owner (a slash that goes beyond the PEC bond).
pub trait ComputeNftSeizure<AccountId> {
	/// Releases the stake and pledge locks of `machine`'s NFT and transfers it to `to`.
	fn seize(machine: MachineId, to: &AccountId) -> DispatchResult;
}

impl<A> ComputeNftSeizure<A> for () {
	fn seize(_: MachineId, _: &A) -> DispatchResult {
		Ok(())
	}
}

/// Why a machine's collateral is slashed. The fraction for each reason is in
/// docs/economics.md; callers pass it.
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
pub enum SlashReason {
	/// The machine went offline while leased, for longer than the grace period.
	OfflineWhileLeased,
	/// The machine failed verification.
	FailedVerification,
	/// The provider lost a dispute.
	LostDispute,
	/// The provider left a machine whose NFT someone else holds silent for longer than the
	/// abandonment period; the bond goes to the holder.
	Abandoned,
	/// A supervisor jury confirmed a report against the machine.
	ConfirmedReport,
}

/// What a slash took and where it went.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct SlashOutcome<Balance> {
	/// PEC taken from the machine's bond.
	pub slashed: Balance,
	/// Paid to the harmed renter.
	pub to_harmed: Balance,
	/// Paid to the reporter.
	pub to_reporter: Balance,
	/// Paid to the jurors, all together.
	pub to_jurors: Balance,
	/// Paid to the treasury.
	pub to_treasury: Balance,
	/// Whether the pledged NFT was seized.
	pub nft_seized: bool,
	/// Whether the pledged NFT is due to be seized as soon as its running lease ends (a leased
	/// NFT never changes owner; the claim is kept, not dropped).
	pub seizure_pending: bool,
}

/// A machine's collateral, as the market sees it.
pub trait MachineCollateral<Balance> {
	/// Collateral counted for the machine: active PEC bond plus the pledged NFT's value.
	fn effective_collateral(machine: MachineId) -> Balance;
	/// The minimum collateral the machine's compute score requires.
	fn minimum_collateral(machine: MachineId) -> Balance;
	/// Whether effective collateral is at least the minimum (a lease may start).
	fn is_sufficiently_collateralized(machine: MachineId) -> bool;
}

/// Slashing a machine's collateral (the market and the supervisor DAO call this).
pub trait MachineSlashing<AccountId, Balance> {
	/// Slashes `fraction` of `machine`'s collateral for `reason`. Never takes more than is
	/// bonded or pledged. Pays `harmed` (renter, loss) first, up to the loss, then the
	/// reporter's and jurors' shares, then the treasury. All or nothing: on `Err` nothing
	/// changed. A machine with nothing to slash gives `Ok` with `slashed` zero.
	fn slash(
		machine: MachineId,
		fraction: sp_runtime::Perbill,
		reason: SlashReason,
		harmed: Option<(AccountId, Balance)>,
		reporter: Option<AccountId>,
		jurors: &[AccountId],
	) -> Result<SlashOutcome<Balance>, DispatchError>;
	/// Most jurors one slash pays (callers must not pass more).
	fn max_jurors() -> u32;
}

impl<B: Default> MachineCollateral<B> for () {
	fn effective_collateral(_: MachineId) -> B {
		B::default()
	}
	fn minimum_collateral(_: MachineId) -> B {
		B::default()
	}
	fn is_sufficiently_collateralized(_: MachineId) -> bool {
		true
	}
}

impl<A, B: Default> MachineSlashing<A, B> for () {
	fn slash(
		_: MachineId,
		_: sp_runtime::Perbill,
		_: SlashReason,
		_: Option<(A, B)>,
		_: Option<A>,
		_: &[A],
	) -> Result<SlashOutcome<B>, DispatchError> {
		Ok(SlashOutcome::default())
	}
	fn max_jurors() -> u32 {
		u32::MAX
	}
}

/// Marking machines leased or idle (the market does this on lease start and end).
pub trait ComputeLeasing<BlockNumber> {
	/// Marks an idle, verified machine leased until block `until` (the lease's scheduled end)
	/// and locks its NFT ([`NftLockReason::Lease`]); starts counting the lease's downtime.
	fn mark_leased(machine: MachineId, until: BlockNumber) -> DispatchResult;
	/// Marks a leased machine idle again and releases the lease lock.
	fn mark_idle(machine: MachineId) -> DispatchResult;
}

/// Who decided a machine's verification.
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
pub enum Reviewer {
	/// Governance (`VerifierOrigin`), overriding or standing in for a jury.
	Governance,
	/// The supervisor jury of this case.
	Jury(u64),
}

/// Recording the outcome of a machine's verification, and sending a verified machine back to
/// it (the supervisor DAO calls this; every verdict names who reached it).
pub trait MachineVerification {
	/// Records that `machine`, awaiting verification, passed (`approved`) or failed it.
	fn record_verification(machine: MachineId, approved: bool, by: Reviewer) -> DispatchResult;
	/// Sends a verified, idle machine back to verification (a confirmed report): it cannot be
	/// leased, listed or earn staking rewards until a new verdict; a new review is requested.
	fn revoke_verification(machine: MachineId, by: Reviewer) -> DispatchResult;
}

/// Whether other pallets still hold obligations on a machine (bonded collateral, a lease,
/// unpaid earnings). The compute pallet refuses to retire a machine while any does.
pub trait RetirementGuard {
	/// `Ok` when nothing is owed on `machine`; otherwise the error that explains what is.
	fn ensure_can_retire(machine: MachineId) -> Result<(), DispatchError>;
}

impl RetirementGuard for () {
	fn ensure_can_retire(_: MachineId) -> Result<(), DispatchError> {
		Ok(())
	}
}

/// Both guards must agree (the runtime combines staking and market).
impl<A: RetirementGuard, B: RetirementGuard> RetirementGuard for (A, B) {
	fn ensure_can_retire(machine: MachineId) -> Result<(), DispatchError> {
		A::ensure_can_retire(machine)?;
		B::ensure_can_retire(machine)
	}
}

impl<A, B, N> ComputeInspect<A, B, N> for () {
	fn view(_: MachineId) -> Option<MachineView<A, B, N>> {
		None
	}
	fn spec(_: MachineId) -> Option<MachineSpec> {
		None
	}
	fn score(_: MachineId) -> Option<ComputeScore> {
		None
	}
	fn state(_: MachineId) -> Option<MachineState> {
		None
	}
	fn provider(_: MachineId) -> Option<A> {
		None
	}
	fn beneficiary(_: MachineId) -> Option<A> {
		None
	}
	fn price_per_hour(_: MachineId) -> Option<B> {
		None
	}
	fn last_heartbeat(_: MachineId) -> Option<N> {
		None
	}
	fn is_verified(_: MachineId) -> bool {
		false
	}
	fn is_online(_: MachineId) -> bool {
		false
	}
	fn in_maintenance(_: MachineId) -> bool {
		false
	}
	fn uptime(_: MachineId) -> Option<(N, N)> {
		None
	}
	fn lease_downtime_at(_: MachineId, _: N) -> Option<N> {
		None
	}
	fn maintenance(_: MachineId) -> Option<(N, N)> {
		None
	}
	fn availability_now(_: MachineId) -> Option<(N, N, N)> {
		None
	}
	fn operator(_: MachineId) -> Option<A> {
		None
	}
	fn country(_: MachineId) -> Option<CountryCode> {
		None
	}
}

impl ComputeNftLocks for () {
	fn lock(_: MachineId, _: NftLockReason) -> DispatchResult {
		Ok(())
	}
	fn unlock(_: MachineId, _: NftLockReason) -> DispatchResult {
		Ok(())
	}
	fn locks(_: MachineId) -> NftLocks {
		NftLocks::default()
	}
	fn locked_with(_: NftLockReason) -> alloc::vec::Vec<MachineId> {
		alloc::vec::Vec::new()
	}
}

impl<N> ComputeLeasing<N> for () {
	fn mark_leased(_: MachineId, _: N) -> DispatchResult {
		Ok(())
	}
	fn mark_idle(_: MachineId) -> DispatchResult {
		Ok(())
	}
}

impl MachineVerification for () {
	fn record_verification(_: MachineId, _: bool, _: Reviewer) -> DispatchResult {
		Ok(())
	}
	fn revoke_verification(_: MachineId, _: Reviewer) -> DispatchResult {
		Ok(())
	}
}

#[cfg(test)]
mod tests;

/// The reserves of the DEX pool of PEC against `asset`: `(PEC, asset)`, or `None` without a
/// pool (the runtime reads pallet-asset-conversion).
pub trait PoolReserves<AssetId, Balance> {
	fn reserves(asset: &AssetId) -> Option<(Balance, Balance)>;
	/// Weight of one `reserves` call.
	fn weight() -> Weight;
}

/// Why the oracle gives no price.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum PriceUnavailable {
	/// No pool is tracked, or it never had enough liquidity.
	NoPrice,
	/// The pool's liquidity has been below the minimum (or the pool gone) for longer than the
	/// oracle's staleness limit.
	Stale,
	/// The average rounds to zero.
	ZeroPrice,
}

/// The PEC price in the stable asset, averaged over time (the price oracle provides it; the
/// market converts stable-priced offers with it).
pub trait PecPrice<Balance> {
	/// PEC (in plancks) worth `stable` units of the stable asset at the time-weighted average
	/// price, rounded down.
	fn stable_to_pec(stable: Balance) -> Result<Balance, PriceUnavailable>;
	/// Weight of one `stable_to_pec`.
	fn weight() -> Weight;
}

impl<B> PecPrice<B> for () {
	fn stable_to_pec(_: B) -> Result<B, PriceUnavailable> {
		Err(PriceUnavailable::NoPrice)
	}
	fn weight() -> Weight {
		Weight::zero()
	}
}

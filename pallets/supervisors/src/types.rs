//! Supervisors, applications, cases and the parameters governance sets.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug;
use frame_support::{pallet_prelude::ConstU32, traits::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use powerverse_primitives::{LeaseId, MachineId};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
pub type BalanceOf<T> = <T as crate::Config>::Balance;
pub type ParamsOf<T> = SupervisorParams<BalanceOf<T>, BlockNumberFor<T>>;
pub type SupervisorOf<T> = Supervisor<BalanceOf<T>, BlockNumberFor<T>>;
pub type ApplicationOf<T> =
	Application<BalanceOf<T>, BlockNumberFor<T>, <T as crate::Config>::MaxStatementLen>;
pub type CaseOf<T> =
	Case<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>, <T as crate::Config>::JurySize>;
pub type Statement<T> = BoundedVec<u8, <T as crate::Config>::MaxStatementLen>;

/// Case ids, in opening order.
pub type CaseId = u64;

/// The hash a juror commits: `blake2_256(SCALE(case, round, juror, vote, salt))`.
pub type Commitment = [u8; 32];

/// Parameters governance sets (`set_params`).
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
	serde::Serialize,
	serde::Deserialize,
)]
pub struct SupervisorParams<Balance, BlockNumber> {
	/// The least PEC an applicant puts behind its judgement (held, slashable).
	pub min_contribution: Balance,
	/// Blocks jurors have to commit once drawn.
	pub commit_period: BlockNumber,
	/// Blocks jurors have to reveal after the commit period.
	pub reveal_period: BlockNumber,
	/// Blocks between resigning (or removal) and the contribution being released.
	pub resign_delay: BlockNumber,
	/// Paid from the treasury to every juror who revealed with the majority, whatever the
	/// verdict: no verdict is cheaper for a jury to reach than another.
	pub juror_fee: Balance,
	/// Share of its contribution a juror loses for not revealing, or for voting against the
	/// majority; shared by the majority.
	pub incoherence_slash: Perbill,
	/// Held from a reporter until its report is judged: back if confirmed or undecided, to the
	/// treasury if rejected.
	pub report_bond: Balance,
	/// Share of a machine's collateral a confirmed report slashes (reporter and jurors paid
	/// from it).
	pub report_slash: Perbill,
	/// Share of a machine's collateral an upheld dispute slashes; the customer is refunded
	/// the whole lease, from the held payment first and then from the slash.
	pub dispute_slash: Perbill,
	/// Blocks a case may wait for enough eligible supervisors to draw a jury; after that the
	/// next `advance` ends it undecided (a report's bond comes back, the machine is free).
	pub max_wait: BlockNumber,
}

/// An admitted supervisor.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Supervisor<Balance, BlockNumber> {
	/// PEC held behind its judgement.
	pub contribution: Balance,
	/// Block of admission.
	pub since: BlockNumber,
	/// Set by `resign` or `remove`: no longer drawn; the contribution is released
	/// `resign_delay` later, once no jury duty is open.
	pub leaving_since: Option<BlockNumber>,
	/// Juries it sits on that have not been decided.
	pub open_duties: u32,
	/// Its record.
	pub record: Record,
}

/// What a supervisor has judged.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Record {
	/// Juries it sat on to a decision or a redraw.
	pub cases: u32,
	/// Reveals with the majority.
	pub with_majority: u32,
	/// Reveals against the majority.
	pub against_majority: u32,
	/// Drawn and did not reveal in time.
	pub missed: u32,
}

/// A pending application.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxLen))]
pub struct Application<Balance, BlockNumber, MaxLen: Get<u32>> {
	/// PEC held behind it.
	pub contribution: Balance,
	/// Why the applicant should judge machines (bounded).
	pub statement: BoundedVec<u8, MaxLen>,
	/// Block of application.
	pub applied_at: BlockNumber,
	/// Supervisors for.
	pub ayes: u32,
	/// Supervisors against.
	pub nays: u32,
}

/// How a juror votes. What `Aye` means depends on the case: approve the machine, uphold the
/// customer's dispute, confirm the report.
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
pub enum Vote {
	Aye,
	Nay,
}

/// What a jury decides.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum CaseKind<AccountId, Balance> {
	/// Whether a newly registered machine is what it claims.
	Verification { machine: MachineId },
	/// A customer's dispute of a lease.
	Dispute { lease: LeaseId, machine: MachineId, customer: AccountId, provider: AccountId },
	/// A PEC holder's report that a machine misbehaves.
	Report { machine: MachineId, reporter: AccountId, bond: Balance },
}

impl<A, B> CaseKind<A, B> {
	/// The machine judged.
	pub fn machine(&self) -> MachineId {
		match self {
			Self::Verification { machine }
			| Self::Dispute { machine, .. }
			| Self::Report { machine, .. } => *machine,
		}
	}
}

/// Where a case stands. Every deadline is acted on lazily, by anyone's `advance`.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Phase<BlockNumber> {
	/// Waiting to draw a jury, since `since` (the case or the round opened): from the hash of
	/// block `anchor` (the block after `since`, fixed then), once enough supervisors are
	/// eligible, or undecided after `max_wait`.
	Drawing { since: BlockNumber, anchor: BlockNumber },
	/// Jurors commit until `until`.
	Commit { until: BlockNumber },
	/// Jurors reveal until `until`.
	Reveal { until: BlockNumber },
}

/// One juror's seat.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Seat<AccountId> {
	pub juror: AccountId,
	pub commitment: Option<Commitment>,
	pub vote: Option<Vote>,
}

/// A case a jury decides.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(JurySize))]
pub struct Case<AccountId, Balance, BlockNumber, JurySize: Get<u32>> {
	pub kind: CaseKind<AccountId, Balance>,
	/// Block it opened.
	pub opened_at: BlockNumber,
	/// 0 for the first jury, then one more per redraw.
	pub round: u32,
	pub phase: Phase<BlockNumber>,
	pub seats: BoundedVec<Seat<AccountId>, JurySize>,
	/// Jurors of the previous round who did not reveal: not drawn again for this case.
	pub skip: BoundedVec<AccountId, JurySize>,
	/// The priority level of a dispute's customer (its loyalty tier; 0 for other cases): a
	/// priority case's commit and reveal phases are shorter, so its verdict comes sooner.
	pub priority: powerverse_primitives::PriorityLevel,
}

/// How a case ended.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
	/// A majority of the whole jury revealed `Aye`.
	Aye,
	/// A majority of the whole jury revealed `Nay`.
	Nay,
	/// No majority after the last redraw, or no jury could be drawn in `max_wait`: nothing is
	/// applied (the machine stays pending, the dispute falls to the market's default verdict,
	/// the report bond comes back).
	Undecided,
	/// Nothing left to judge (the machine retired, the dispute was settled by governance or by
	/// default, the reported machine is gone): closed without fees or slashes.
	Moot,
}

/// Bound of a statement in bytes, for `MaxStatementLen` defaults.
pub type DefaultMaxStatementLen = ConstU32<512>;

/// What a juror must do on a case now.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum JuryTask {
	/// Commit its vote (the commit period is open, it has not committed).
	Commit,
	/// Reveal its vote (the reveal period is open, it committed and has not revealed).
	Reveal,
	/// Nothing until the next phase.
	Wait,
}

/// A supervisor as the `powerverse_supervisor` RPC shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct SupervisorStatus<Balance, BlockNumber> {
	/// PEC held behind its judgement now.
	pub contribution: Balance,
	/// Block of admission.
	pub since: BlockNumber,
	/// Set once it resigned or was removed.
	pub leaving_since: Option<BlockNumber>,
	/// Whether juries are drawn from it.
	pub in_pool: bool,
	/// Its record.
	pub record: Record,
	/// Its undecided jury seats and what each needs from it now (at most 100).
	pub tasks: alloc::vec::Vec<(CaseId, JuryTask)>,
}

//! Records of the tiers pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use powerverse_primitives::PriorityLevel;
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// A loyalty tier. Ordered: `Bronze < Silver < Gold`.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Tier {
	Bronze,
	Silver,
	Gold,
}

/// What it takes to hold a tier and what it gives.
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
pub struct TierTerms<Balance, BlockNumber> {
	/// Least PEC frozen.
	pub min_amount: Balance,
	/// How long the PEC stays frozen from the (last) lock or extension.
	pub term: BlockNumber,
	/// Share of the market's protocol fee the member is spared.
	pub fee_discount: Perbill,
	/// The member's priority level: its jobs are matched first and its disputes judged sooner.
	pub priority: PriorityLevel,
}

/// The terms of the three tiers.
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
pub struct TierParams<Balance, BlockNumber> {
	pub bronze: TierTerms<Balance, BlockNumber>,
	pub silver: TierTerms<Balance, BlockNumber>,
	pub gold: TierTerms<Balance, BlockNumber>,
}

impl<Balance, BlockNumber> TierParams<Balance, BlockNumber> {
	/// The terms of `tier`.
	pub fn terms(&self, tier: Tier) -> &TierTerms<Balance, BlockNumber> {
		match tier {
			Tier::Bronze => &self.bronze,
			Tier::Silver => &self.silver,
			Tier::Gold => &self.gold,
		}
	}
}

/// An account's membership: PEC frozen until `until`.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Membership<Balance, BlockNumber> {
	pub tier: Tier,
	/// PEC frozen under `FreezeReason::Membership`.
	pub amount: Balance,
	/// The tier's benefits last until this block; the PEC may be unlocked from it on.
	pub until: BlockNumber,
}

/// An account's tier as clients see it (`powerverse_tier`).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct TierStatus<Balance, BlockNumber> {
	pub tier: Tier,
	/// PEC frozen.
	pub amount: Balance,
	/// The benefits last until this block; the PEC may be unlocked from it on.
	pub until: BlockNumber,
	/// Whether the term still runs (benefits apply).
	pub active: bool,
	/// The benefits now (none once the term ended).
	pub fee_discount: Perbill,
	pub priority: PriorityLevel,
}

/// Longest pallet or call name a gate names, in bytes.
pub type MaxNameLen = ConstU32<64>;
/// A pallet's or a call's name as the metadata spells it (`Market`, `rent_machine`).
pub type Name = BoundedVec<u8, MaxNameLen>;

/// An early-access gate: until `until`, only members of `min_tier` or higher may send the call.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Gate<BlockNumber> {
	pub min_tier: Tier,
	pub until: BlockNumber,
}

/// The tiers' terms in a runtime's types.
pub type TierParamsOf<T> =
	TierParams<<T as crate::Config>::Balance, frame_system::pallet_prelude::BlockNumberFor<T>>;
/// A membership in a runtime's types.
pub type MembershipOf<T> =
	Membership<<T as crate::Config>::Balance, frame_system::pallet_prelude::BlockNumberFor<T>>;
/// A tier's terms in a runtime's types.
pub type TierTermsOf<T> =
	TierTerms<<T as crate::Config>::Balance, frame_system::pallet_prelude::BlockNumberFor<T>>;

//! Records and aliases of the staking pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug;
use frame_support::{pallet_prelude::Get, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::{FixedU128, Perbill};

use crate::Config;

/// The account type of a runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// The PEC balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as frame_support::traits::fungible::Inspect<AccountIdOf<T>>>::Balance;
/// A machine bond of a runtime.
pub type BondOf<T> =
	Bond<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxUnbondingChunks>;
/// An NFT stake of a runtime.
pub type StakeOf<T> = Stake<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>>;
/// The reward pool of a runtime.
pub type PoolOf<T> = RewardPool<BlockNumberFor<T>>;
pub type EffectiveSharesOf<T> = EffectiveShares<BalanceOf<T>, BlockNumberFor<T>>;
/// Governance parameters of a runtime.
pub type ParamsOf<T> = StakingParams<BalanceOf<T>, BlockNumberFor<T>>;

/// Governance-set parameters (`set_params`).
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
#[serde(default)]
pub struct StakingParams<Balance, BlockNumber> {
	/// Minimum collateral of every machine ...
	pub min_collateral_base: Balance,
	/// ... plus this much per compute-score point.
	pub min_collateral_per_point: Balance,
	/// Blocks between `unbond` and the funds becoming withdrawable.
	pub unbonding_delay: BlockNumber,
	/// Blocks between `unstake_nft` and `withdraw_nft`.
	pub unstake_cooldown: BlockNumber,
	/// PEC issued to the reward pool per era (minted only when claimed).
	pub era_reward: Balance,
	/// Value of a pledged NFT per compute-score point, before the haircut.
	pub pledge_value_per_point: Balance,
	/// Share of the score-implied value a pledged NFT does NOT count for.
	pub pledge_haircut: Perbill,
	/// Share of a slash (after the harmed renter) paid to the reporter.
	pub reporter_share: Perbill,
	/// Share of a slash (after the harmed renter) paid to the jurors together.
	pub juror_share: Perbill,
	/// Blocks between starting and completing `unpledge_nft`; the NFT stays seizable (and
	/// stops counting as collateral) meanwhile. At least `MinUnpledgeDelay`.
	pub unpledge_delay: BlockNumber,
	/// Blocks a machine whose NFT someone else holds may stay silent before the holder may
	/// claim its provider's bond (`claim_abandonment`). Zero disables the claim.
	pub abandonment_period: BlockNumber,
	/// Blocks of announced maintenance per era that count as available for rewards; more is
	/// counted as downtime.
	pub maintenance_allowance: BlockNumber,
	/// Extra reward weight of a staked NFT while its machine runs a lease (50% = 1.5× shares).
	pub lease_bonus: Perbill,
	/// A slash seizes a pledged NFT only when what it could not take from the PEC bond (the
	/// shortfall) is at least this share of the slash; a smaller shortfall is waived.
	pub seize_threshold: Perbill,
	/// Blocks the holder has to pay a material shortfall in PEC (`cover_shortfall`) before
	/// anyone may seize the pledged NFT (`execute_seizure`).
	pub seize_grace: BlockNumber,
}

/// One unbonding chunk: released after `unlock_at`.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct UnbondChunk<Balance, BlockNumber> {
	/// Amount, still held and slashable until withdrawn.
	pub amount: Balance,
	/// First block at which it can be withdrawn.
	pub unlock_at: BlockNumber,
}

/// PEC bonded to one machine.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxChunks))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Bond<AccountId, Balance, BlockNumber, MaxChunks: Get<u32>> {
	/// Whose PEC is held (the machine's provider at first bond).
	pub owner: AccountId,
	/// Counted as collateral.
	pub active: Balance,
	/// Leaving after the unbonding delay; still held and slashable.
	pub unbonding: BoundedVec<UnbondChunk<Balance, BlockNumber>, MaxChunks>,
}

impl<AccountId, Balance, BlockNumber, MaxChunks> Bond<AccountId, Balance, BlockNumber, MaxChunks>
where
	Balance: sp_runtime::Saturating + Copy,
	MaxChunks: Get<u32>,
{
	/// Active plus unbonding: everything held for this machine.
	pub fn total(&self) -> Balance {
		self.unbonding.iter().fold(self.active, |acc, c| acc.saturating_add(c.amount))
	}
}

/// A compute NFT staked in the reward pool.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Stake<AccountId, Balance, BlockNumber> {
	/// The NFT owner who staked it; rewards go to them.
	pub staker: AccountId,
	/// Base weight: the machine's compute score at staking time.
	pub shares: u128,
	/// Weight counted in the pool now: `shares` (plus the lease bonus while leased) while the
	/// machine is available to customers — verified, collateralized, listed, online — else zero.
	pub effective_shares: u128,
	/// The lease bonus part of `effective_shares`.
	pub bonus_shares: u128,
	/// Last block of the lease the bonus is for: the bonus accrues no further, even if nobody
	/// has touched the stake since.
	pub bonus_until: BlockNumber,
	/// The protocol fee that lease pays per hour, and blocks per hour: the bonus paid for a
	/// period is at most the fee paid over it.
	pub bonus_cap: (Balance, BlockNumber),
	/// The pool's reward per share when this stake last settled.
	pub reward_per_share_paid: FixedU128,
	/// The machine's cumulative (uptime, downtime, maintenance) when this stake last settled.
	pub uptime_mark: (BlockNumber, BlockNumber, BlockNumber),
	/// Block of the last settlement.
	pub settled_at: BlockNumber,
	/// Rewards settled and not yet paid (minted on claim; kept if the staker's account cannot
	/// take them yet, below the existential deposit).
	pub pending: Balance,
	/// What downtime cost the stake since its last claim (never minted; reported by
	/// `RewardsClaimed`).
	pub forfeited: Balance,
	/// Whether the NFT is pledged as collateral.
	pub pledged: bool,
	/// Set by `unstake_nft`: the stake earns nothing more and waits for the cooldown.
	pub unstaking_since: Option<BlockNumber>,
	/// Set by the first `unpledge_nft`: the pledge no longer counts as collateral and may be
	/// released from this block on; until then a slash can still seize it.
	pub unpledge_at: Option<BlockNumber>,
	/// A slash is to seize this NFT (`execute_seizure`, once `seizure_due` has passed and the
	/// machine is not leased) unless the holder pays `shortfall` first (`cover_shortfall`). It
	/// earns nothing and cannot leave meanwhile.
	pub seizure_pending: bool,
	/// What the holder may pay instead of losing the NFT.
	pub shortfall: Balance,
	/// First block the seizure may be executed.
	pub seizure_due: BlockNumber,
}

/// A holder's claim that a sold machine was abandoned, decided after `abandonment_period`.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct AbandonmentClaim<AccountId, BlockNumber> {
	/// The NFT holder who started it.
	pub claimant: AccountId,
	/// Block it started.
	pub started_at: BlockNumber,
	/// The machine's cumulative downtime then.
	pub downtime_mark: BlockNumber,
}

/// The reward pool's accumulator: `era_reward` flows in evenly, `era_reward / EraLength` per
/// block, shared by the effective shares of the moment.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct RewardPool<BlockNumber> {
	/// Sum of the effective shares of earning stakes.
	pub total_shares: u128,
	/// PEC (plancks) earned per effective share since genesis.
	pub reward_per_share: FixedU128,
	/// The block up to which the flow is in `reward_per_share`.
	pub last_update: BlockNumber,
}

/// Who a slash payment went to.
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
pub enum Payee {
	/// The renter the slashed provider harmed.
	Harmed,
	/// Whoever reported the fault.
	Reporter,
	/// A juror of the dispute or verification.
	Juror,
	/// The treasury.
	Treasury,
}

/// Why a staked NFT earns nothing now (the `powerverse_stake` RPC lists them).
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum NotEarning {
	/// `unstake_nft` was called: the stake waits for its cooldown.
	Unstaking,
	/// A slash is to seize the NFT unless the holder covers the shortfall.
	SeizurePending,
	/// The machine is not (or no longer) verified.
	NotVerified,
	/// The machine's collateral (PEC bond plus pledge) is below its minimum.
	Undercollateralized,
	/// The machine is not on the market's rent list.
	NotListed,
	/// The machine has missed its heartbeats.
	Offline,
}

/// The weight a stake counts in the reward pool, as `effective_shares_of` decides it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct EffectiveShares<Balance, BlockNumber> {
	/// Base shares plus the bonus.
	pub total: u128,
	/// The lease bonus part.
	pub bonus: u128,
	/// Last block of the lease the bonus is for.
	pub until: BlockNumber,
	/// The lease's protocol fee per hour, and blocks per hour.
	pub cap: (Balance, BlockNumber),
}

impl<Balance: Default, BlockNumber: Default> Default for EffectiveShares<Balance, BlockNumber> {
	fn default() -> Self {
		Self { total: 0, bonus: 0, until: Default::default(), cap: Default::default() }
	}
}

/// A stake as the `powerverse_stake` RPC shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct StakeStatus<AccountId, Balance> {
	/// Who staked the NFT and is paid its rewards.
	pub staker: AccountId,
	/// Base weight (the machine's compute score at staking time).
	pub shares: u128,
	/// Weight counted in the pool now (base plus lease bonus, or zero).
	pub effective_shares: u128,
	/// The lease bonus part of `effective_shares`.
	pub bonus_shares: u128,
	/// What `claim_rewards` would pay now.
	pub claimable: Balance,
	/// Why the stake earns nothing, if it does not; empty while it earns. A stake whose
	/// `effective_shares` disagree with this awaits a re-weigh (`refresh_stake`).
	pub not_earning: alloc::vec::Vec<NotEarning>,
	/// Whether the NFT is pledged as collateral.
	pub pledged: bool,
	/// A seizure is pending unless the holder pays this (`cover_shortfall`).
	pub shortfall: Option<Balance>,
}

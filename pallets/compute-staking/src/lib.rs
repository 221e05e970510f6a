#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;
// The test runtime (`powerverse_test_runtime::construct_test_runtime!`) names every pallet by
// its crate name, this one included.
#[cfg(test)]
extern crate self as pallet_compute_staking;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
/// The test runtime of the real pallets, shared by every PowerVerse pallet's tests.
#[cfg(test)]
pub(crate) mod mock {
	powerverse_test_runtime::construct_test_runtime!();
}
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, tokens::Balance as BalanceTrait},
	};
	use frame_system::pallet_prelude::*;
	use powerverse_primitives::{
		ComputeInspect, ComputeNftLocks, ComputeNftSeizure, JudgementGuard, MachineId,
		MachineListing, SlashReason,
	};
	use sp_runtime::{traits::Zero, Perbill};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds PEC.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Collateral bonded to a machine (active or unbonding).
		Collateral,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// $PEC: held as collateral, minted as rewards, moved by slashes.
		type Currency: fungible::Inspect<Self::AccountId, Balance = Self::Balance>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The PEC balance type.
		type Balance: BalanceTrait + MaxEncodedLen + From<u64> + TryInto<u128> + TryFrom<u128>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The compute registry: scores, states, NFT owners, locks and seizure.
		type Compute: ComputeInspect<Self::AccountId, Self::Balance, BlockNumberFor<Self>>
			+ ComputeNftLocks
			+ ComputeNftSeizure<Self::AccountId>;

		/// The market's rent list and running leases: only listed machines earn staking
		/// rewards, with a bonus while leased at arm's length.
		type Listing: MachineListing<Self::Balance, BlockNumberFor<Self>>;

		/// Receives slashes (after the harmed renter, reporter and jurors) and seized NFTs.
		type TreasuryAccount: Get<Self::AccountId>;

		/// Pending judgements (market disputes, supervisor reports): while one is open on a
		/// machine, its bond, unbonding chunks and NFT stay where a verdict can reach them.
		type Judgement: JudgementGuard;

		/// The shortest `unpledge_delay` and `unbonding_delay` governance may set: at least the
		/// longest time a lease can still be disputed after it ended (two market challenge
		/// periods, as a late result restarts the window) plus the offline grace period, so a
		/// pledge or an unbonding chunk outlives every dispute about a lease it backed.
		#[pallet::constant]
		type MinUnpledgeDelay: Get<BlockNumberFor<Self>>;

		/// Sets the parameters (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// May slash directly (governance, until the market and the supervisor DAO slash
		/// through `MachineSlashing`).
		type SlashOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Blocks per reward era.
		#[pallet::constant]
		type EraLength: Get<BlockNumberFor<Self>>;

		/// Most unbonding chunks per machine.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// Most jurors paid by one slash.
		#[pallet::constant]
		type MaxJurors: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates machines for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// What the benchmarks need from the compute registry.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// A verified, online machine of `provider` whose NFT `owner` holds.
		fn machine(provider: &AccountId, owner: &AccountId) -> MachineId;
		/// Marks the machine leased (or idle).
		fn set_leased(machine: MachineId, leased: bool);
		/// Records a heartbeat of the machine now (so it has uptime to be rewarded for).
		fn heartbeat(machine: MachineId);
		/// Lists the machine for rent (so its staked NFT earns).
		fn list(machine: MachineId);
	}

	/// Governance parameters.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, ValueQuery>;

	/// PEC bonded to each machine.
	#[pallet::storage]
	pub type Bonds<T: Config> = StorageMap<_, Twox64Concat, MachineId, BondOf<T>>;

	/// Sum of every bond, active and unbonding: equals the PEC held for `Collateral`.
	#[pallet::storage]
	pub type TotalBonded<T: Config> = StorageValue<_, T::Balance, ValueQuery>;

	/// Staked compute NFTs by machine.
	#[pallet::storage]
	pub type Stakes<T: Config> = StorageMap<_, Twox64Concat, MachineId, StakeOf<T>>;

	/// The reward pool accumulator.
	#[pallet::storage]
	pub type Pool<T: Config> = StorageValue<_, PoolOf<T>, ValueQuery>;

	/// Rewards owed to accounts whose stake is gone but that could not take them yet (an
	/// account below the existential deposit): minted by `claim_unclaimed`.
	#[pallet::storage]
	pub type Unclaimed<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, T::Balance>;

	/// Open abandonment claims, one per machine at most.
	#[pallet::storage]
	pub type AbandonmentClaims<T: Config> =
		StorageMap<_, Twox64Concat, MachineId, AbandonmentClaim<T::AccountId, BlockNumberFor<T>>>;

	/// PEC minted as staking rewards since genesis: the only issuance this pallet makes.
	#[pallet::storage]
	pub type TotalRewardsMinted<T: Config> = StorageValue<_, T::Balance, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial parameters.
		pub params: ParamsOf<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// A pledge must outlive the leases it backs whatever the genesis says.
			let mut params = self.params.clone();
			params.unpledge_delay = params.unpledge_delay.max(T::MinUnpledgeDelay::get());
			params.unbonding_delay = params.unbonding_delay.max(T::MinUnpledgeDelay::get());
			Params::<T>::put(params);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// PEC was bonded to a machine.
		Bonded { machine: MachineId, who: T::AccountId, amount: T::Balance },
		/// PEC started unbonding; withdrawable from `unlock_at`.
		Unbonding { machine: MachineId, amount: T::Balance, unlock_at: BlockNumberFor<T> },
		/// Unbonded PEC was released to its owner.
		Withdrawn { machine: MachineId, who: T::AccountId, amount: T::Balance },
		/// A compute NFT was staked.
		NftStaked { machine: MachineId, staker: T::AccountId, shares: u128 },
		/// A staked NFT stopped earning; withdrawable after the cooldown.
		UnstakeStarted { machine: MachineId, withdrawable_at: BlockNumberFor<T> },
		/// A staked NFT was unlocked and returned to its owner's control.
		NftWithdrawn { machine: MachineId, staker: T::AccountId },
		/// Rewards were minted to a staker; `forfeited` is what downtime cost (never minted).
		RewardsClaimed {
			machine: MachineId,
			staker: T::AccountId,
			amount: T::Balance,
			forfeited: T::Balance,
		},
		/// A staked NFT was pledged as collateral.
		NftPledged { machine: MachineId },
		/// A pledge was released.
		NftUnpledged { machine: MachineId },
		/// A machine was slashed.
		Slashed { machine: MachineId, reason: SlashReason, fraction: Perbill, amount: T::Balance },
		/// One payment out of a slash.
		SlashPaid { machine: MachineId, payee: Payee, to: T::AccountId, amount: T::Balance },
		/// A pledged NFT was seized to the treasury by a slash beyond the PEC bond.
		PledgeSeized { machine: MachineId, staker: T::AccountId },
		/// A slash is to seize a pledged NFT: from `due` (and once its machine's lease has
		/// ended) anyone may `execute_seizure`, unless the holder pays `shortfall` first
		/// (`cover_shortfall`). Meanwhile it earns nothing and cannot leave.
		SeizurePending {
			machine: MachineId,
			staker: T::AccountId,
			shortfall: T::Balance,
			due: BlockNumberFor<T>,
		},
		/// The holder paid the shortfall in PEC; the NFT stays theirs.
		ShortfallCovered { machine: MachineId, staker: T::AccountId, amount: T::Balance },
		/// A slash exceeded the PEC bond by less than the seize threshold: the rest is waived.
		ShortfallWaived { machine: MachineId, shortfall: T::Balance },
		/// Rewards the staker's account could not take yet were kept (`pending` or `Unclaimed`).
		RewardsDeferred { who: T::AccountId, amount: T::Balance },
		/// Rewards kept in `Unclaimed` were minted to their account.
		UnclaimedPaid { who: T::AccountId, amount: T::Balance },
		/// Unpledging started; the pledge no longer counts as collateral and can be released
		/// from `release_at`.
		UnpledgeStarted { machine: MachineId, release_at: BlockNumberFor<T> },
		/// The holder of a silent machine's NFT claimed it was abandoned; decided from
		/// `decide_at` by the machine's downtime meanwhile.
		AbandonmentClaimStarted {
			machine: MachineId,
			holder: T::AccountId,
			decide_at: BlockNumberFor<T>,
		},
		/// The holder of an abandoned machine's NFT was paid its provider's bond.
		AbandonmentClaimed { machine: MachineId, holder: T::AccountId, amount: T::Balance },
		/// An abandonment claim failed: the machine was up more than a tenth of the period.
		AbandonmentClaimVoided { machine: MachineId, holder: T::AccountId },
		/// Parameters changed.
		ParamsSet { params: ParamsOf<T> },
		/// A stake was re-weighed by `refresh_stake`: `effective_shares` count in the pool now.
		StakeRefreshed { machine: MachineId, effective_shares: u128 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Zero amount.
		ZeroAmount,
		/// The machine does not exist or is retired.
		UnknownMachine,
		/// Only the machine's provider may bond to it.
		NotMachineProvider,
		/// The bond belongs to another account.
		NotBondOwner,
		/// More than the account's free (reducible) balance.
		InsufficientFreeBalance,
		/// The machine has no bond.
		NoBond,
		/// More than the active bond.
		NotEnoughBonded,
		/// The machine is leased and the bond would fall below its minimum collateral.
		BelowMinimumWhileLeased,
		/// `MaxUnbondingChunks` chunks are already unbonding.
		TooManyUnbondingChunks,
		/// No unbonding chunk has reached its unlock block.
		NothingToWithdraw,
		/// Only the NFT's owner may stake it.
		NotNftOwner,
		/// The machine is not verified.
		MachineNotVerified,
		/// The NFT is already staked.
		AlreadyStaked,
		/// The NFT is not staked.
		NotStaked,
		/// Only the staker may do this.
		NotStaker,
		/// The stake is already leaving.
		AlreadyUnstaking,
		/// `withdraw_nft` needs `unstake_nft` first.
		NotUnstaking,
		/// The unstake cooldown has not passed.
		CooldownNotOver,
		/// Nothing has accrued since the last claim.
		NothingToClaim,
		/// The NFT is pledged: unpledge it first.
		Pledged,
		/// The NFT is already pledged.
		AlreadyPledged,
		/// The NFT is not pledged.
		NotPledged,
		/// Too many jurors for one slash.
		TooManyJurors,
		/// There is nothing to slash.
		NothingToSlash,
		/// The machine still has bonded PEC: unbond and withdraw it first.
		BondOutstanding,
		/// The machine's NFT is staked: unstake it first.
		NftStaked,
		/// Arithmetic overflow.
		Overflow,
		/// A dispute or report on the machine is open: its collateral and NFT stay until the
		/// verdict.
		UnderJudgement,
		/// The NFT is due to be seized; it cannot leave.
		SeizurePending,
		/// No seizure is pending on this machine.
		NoSeizurePending,
		/// The machine is still leased; the seizure happens when the lease ends.
		MachineStillLeased,
		/// The unpledge delay has not passed yet.
		UnpledgeDelayNotOver,
		/// `unpledge_delay` is below `MinUnpledgeDelay`.
		UnpledgeDelayTooShort,
		/// `unbonding_delay` is below `MinUnpledgeDelay`: unbonding PEC must outlive every
		/// dispute about a lease it backed too.
		UnbondingDelayTooShort,
		/// The NFT is held by someone other than the bond's owner, and the bond would fall
		/// below the machine's minimum collateral: the holder relies on it.
		BelowMinimumWhileSold,
		/// Only the holder of the machine's NFT may claim an abandoned machine's bond.
		NotNftHolder,
		/// The stake already counts what its machine's availability says it should.
		AlreadyUpToDate,
		/// The holder is the provider: there is nobody to compensate.
		HolderIsProvider,
		/// The machine is online, or the abandonment claim is off (`abandonment_period` zero).
		NotAbandoned,
		/// The abandonment claim is decided only once `abandonment_period` has passed.
		AbandonmentPeriodNotOver,
		/// The machine is leased: its renter is settled first (`market.close_lease`).
		MachineLeased,
		/// The holder's grace period to cover the shortfall has not passed.
		SeizureNotDue,
		/// The shortfall is more than the holder's free balance.
		CannotCoverShortfall,
		/// The account cannot take the rewards yet (below the existential deposit).
		BelowExistentialDeposit,
		/// No rewards are kept for this account.
		NothingUnclaimed,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Bonds `amount` PEC of the caller to `machine` as collateral (held under
		/// `Collateral`). Tops up an existing bond.
		///
		/// Origin: signed, the machine's provider (or the bond's owner). Emits `Bonded`. O(1).
		#[pallet::call_index(0)]
		pub fn bond(
			origin: OriginFor<T>,
			machine: MachineId,
			amount: T::Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond(who, machine, amount)
		}

		/// Moves `amount` of the active bond into the unbonding queue; it stays held (and
		/// slashable) for `unbonding_delay` blocks. While the machine is leased the remaining
		/// collateral must stay at or above its minimum.
		///
		/// Origin: signed, the bond's owner. Emits `Unbonding`. O(1).
		#[pallet::call_index(1)]
		pub fn unbond(
			origin: OriginFor<T>,
			machine: MachineId,
			amount: T::Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who, machine, amount)
		}

		/// Releases every unbonding chunk of `machine` whose delay has passed.
		///
		/// Origin: signed, the bond's owner. Emits `Withdrawn`. O(MaxUnbondingChunks).
		#[pallet::call_index(2)]
		pub fn withdraw_unbonded(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(who, machine)
		}

		/// Stakes the caller's compute NFT of a verified machine into the reward pool (the NFT
		/// is locked). Shares = the machine's compute score.
		///
		/// Origin: signed, the NFT's owner. Emits `NftStaked`. O(1).
		#[pallet::call_index(3)]
		pub fn stake_nft(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_stake_nft(who, machine)
		}

		/// Stops a stake earning (paying out what has accrued) and starts the cooldown.
		///
		/// Origin: signed, the staker. Emits `UnstakeStarted` (and `RewardsClaimed`). O(1).
		#[pallet::call_index(4)]
		pub fn unstake_nft(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unstake_nft(who, machine)
		}

		/// Unlocks the NFT once the cooldown has passed.
		///
		/// Origin: signed, the staker. Emits `NftWithdrawn`. O(1).
		#[pallet::call_index(5)]
		pub fn withdraw_nft(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_nft(who, machine)
		}

		/// Mints the rewards accrued since the last claim: shares × reward-per-share growth ×
		/// the machine's uptime ratio over the period. O(1) via the pool accumulator.
		///
		/// Origin: signed, the staker. Emits `RewardsClaimed`. O(1).
		#[pallet::call_index(6)]
		pub fn claim_rewards(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(&who, machine, true).map(|_| ())
		}

		/// Pledges a staked NFT as collateral of its machine: it counts for its score-implied
		/// value minus the haircut, and a slash whose shortfall beyond the PEC bond seizes it.
		///
		/// Origin: signed, the staker. Emits `NftPledged`. O(1).
		#[pallet::call_index(7)]
		pub fn pledge_nft(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_pledge_nft(who, machine)
		}

		/// Releases a pledge in two steps. The first call starts the `unpledge_delay` (refused
		/// while the machine is leased and would fall below its minimum collateral without the
		/// pledge): from then on the pledge no longer counts as collateral but a slash can still
		/// seize it. A second call after the delay releases it. Both are refused while a dispute
		/// or report on the machine is open.
		///
		/// Origin: signed, the staker. Emits `UnpledgeStarted`, then `NftUnpledged`. O(1).
		#[pallet::call_index(8)]
		pub fn unpledge_nft(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unpledge_nft(who, machine)
		}

		/// Sets every parameter.
		///
		/// Origin: `AdminOrigin`. Emits `ParamsSet`. O(1).
		#[pallet::call_index(9)]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(
				params.unpledge_delay >= T::MinUnpledgeDelay::get(),
				Error::<T>::UnpledgeDelayTooShort
			);
			ensure!(
				params.unbonding_delay >= T::MinUnpledgeDelay::get(),
				Error::<T>::UnbondingDelayTooShort
			);
			// The blocks up to now are paid at the old rate.
			Pool::<T>::put(Self::pool_now());
			Params::<T>::put(params.clone());
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}

		/// Slashes `fraction` of `machine`'s collateral for `reason`, paying `harmed` first (up
		/// to `loss`), then `reporter`, then the treasury. The market and the supervisor DAO
		/// use the `MachineSlashing` trait instead.
		///
		/// Origin: `SlashOrigin`. Emits `Slashed`, `SlashPaid`, maybe `PledgeSeized`. O(1).
		#[pallet::call_index(10)]
		pub fn slash(
			origin: OriginFor<T>,
			machine: MachineId,
			fraction: Perbill,
			reason: SlashReason,
			harmed: Option<(T::AccountId, T::Balance)>,
			reporter: Option<T::AccountId>,
		) -> DispatchResult {
			T::SlashOrigin::ensure_origin(origin)?;
			let outcome = Self::do_slash(machine, fraction, reason, harmed, reporter, &[])?;
			ensure!(
				!outcome.slashed.is_zero() || outcome.nft_seized || outcome.seizure_pending,
				Error::<T>::NothingToSlash
			);
			Ok(())
		}

		/// Completes a pending seizure once the machine's lease has ended: the NFT moves to the
		/// treasury.
		///
		/// Origin: signed, anyone. Emits `PledgeSeized`. O(1).
		#[pallet::call_index(11)]
		pub fn execute_seizure(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_execute_seizure(machine)
		}

		/// What a provider that walks away from a machine it sold owes the NFT's holder: its
		/// whole bond (active and unbonding). In two calls: the first, while the machine is
		/// offline, opens a claim; the second, `abandonment_period` blocks later, decides it by
		/// the machine's downtime meanwhile — at least nine tenths of the period down pays the
		/// holder the bond, less voids the claim (a heartbeat now and then does not keep a dead
		/// machine's bond away from its holder; a machine that came back is not abandoned).
		///
		/// Origin: signed, the NFT's holder, who must not be the provider. The machine must not
		/// be leased or under judgement. Emits `AbandonmentClaimStarted`, then `Slashed`,
		/// `SlashPaid`, `AbandonmentClaimed` or `AbandonmentClaimVoided`. O(1).
		#[pallet::call_index(12)]
		pub fn claim_abandonment(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_abandonment(who, machine)
		}

		/// Pays the shortfall of a pending seizure in PEC (to the treasury) instead of losing
		/// the pledged NFT; the stake earns again.
		///
		/// Origin: signed, the staker. Emits `ShortfallCovered`. O(1).
		#[pallet::call_index(13)]
		pub fn cover_shortfall(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cover_shortfall(who, machine)
		}

		/// Mints the rewards kept for the caller because its account could not take them when
		/// its stake left (below the existential deposit).
		///
		/// Origin: signed. Emits `UnclaimedPaid`. O(1).
		#[pallet::call_index(14)]
		pub fn claim_unclaimed(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_unclaimed(who)
		}

		/// Brings `machine`'s stake up to date with its machine: settles what it earned and
		/// re-weighs it (a machine that went offline, or whose lease ran out without anyone
		/// closing it, stops diluting the other stakers; one that came back earns again).
		///
		/// Origin: signed, anyone. Fails with `AlreadyUpToDate`, changing nothing, if the
		/// stake's weight would not change. Emits `StakeRefreshed`. O(1).
		#[pallet::call_index(15)]
		pub fn refresh_stake(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_refresh_stake(machine)
		}
	}
}

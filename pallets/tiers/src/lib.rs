#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;
// The test runtime (`powerverse_test_runtime::construct_test_runtime!`) names every pallet by
// its crate name, this one included.
#[cfg(test)]
extern crate self as pallet_tiers;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod extension;
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

pub use extension::{CheckEarlyAccess, EARLY_ACCESS_DENIED};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, tokens::Balance as BalanceTrait, Contains},
	};
	use frame_system::pallet_prelude::*;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet freezes PEC.
	#[pallet::composite_enum]
	pub enum FreezeReason {
		/// PEC locked for a loyalty tier.
		Membership,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// $PEC: a member's PEC is frozen (it stays in the account, may still vote, cannot be
		/// spent).
		type Currency: fungible::Inspect<Self::AccountId, Balance = Self::Balance>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateFreeze<Self::AccountId, Id = Self::RuntimeFreezeReason>;

		/// The PEC balance type.
		type Balance: BalanceTrait
			+ MaxEncodedLen
			+ From<u64>
			+ serde::Serialize
			+ for<'a> serde::Deserialize<'a>;

		/// The overarching freeze reason.
		type RuntimeFreezeReason: From<FreezeReason>;

		/// Sets the tiers' terms and the early-access gates (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Most early-access gates at once.
		#[pallet::constant]
		type MaxGates: Get<u32>;

		/// The calls governance may gate, by (pallet name, call name): customer-facing entry
		/// points, never what protects holders' PEC (voting, heartbeats, jury duty, unlocking,
		/// transfers), which a gate could otherwise block.
		type Gateable: Contains<(Name, Name)>;

		/// The longest a gate may last, in blocks.
		#[pallet::constant]
		type MaxGateDuration: Get<BlockNumberFor<Self>>;

		type WeightInfo: WeightInfo;

		/// A call the benchmarks may gate (one `Gateable` accepts).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkGate: Get<(Name, Name)>;
	}

	/// What each tier takes and gives.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, TierParamsOf<T>, ValueQuery>;

	/// Members: the tier, the PEC frozen for it and until when.
	#[pallet::storage]
	pub type Members<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, MembershipOf<T>, OptionQuery>;

	/// Early-access gates by (pallet name, call name).
	#[pallet::storage]
	pub type EarlyAccess<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, (Name, Name), Gate<BlockNumberFor<T>>, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The tiers' terms.
		pub params: TierParamsOf<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// All-zero terms (the default) leave tiers closed until governance sets them.
			assert!(
				self.params == Default::default() || Pallet::<T>::params_valid(&self.params),
				"tier params must rise with the tier"
			);
			Params::<T>::put(&self.params);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` holds `tier` with `amount` PEC frozen until `until` (a first lock, an upgrade
		/// or a top-up).
		Locked { who: T::AccountId, tier: Tier, amount: T::Balance, until: BlockNumberFor<T> },
		/// `who`'s membership runs for another term, until `until`.
		Extended { who: T::AccountId, until: BlockNumberFor<T> },
		/// `who`'s PEC was unfrozen and its membership ended.
		Unlocked { who: T::AccountId, amount: T::Balance },
		/// The tiers' terms changed.
		ParamsSet { params: TierParamsOf<T> },
		/// A call is reserved for `min_tier` and above until `until`.
		EarlyAccessSet { pallet: Name, call: Name, min_tier: Tier, until: BlockNumberFor<T> },
		/// A call's gate was removed.
		EarlyAccessCleared { pallet: Name, call: Name },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is below the tier's minimum.
		BelowTierMinimum,
		/// The account's balance does not cover the amount.
		InsufficientBalance,
		/// The account holds a higher tier; a membership only rises (unlock first to go lower).
		LowerTier,
		/// The amount is below what the membership already freezes.
		AmountDecreased,
		/// The lock changes nothing (same tier, same amount, no later end).
		NothingChanged,
		/// The account is not a member.
		NotMember,
		/// The membership's term has not ended.
		StillLocked,
		/// The terms do not rise with the tier (amount, term, discount, priority) or a term is
		/// zero.
		InvalidParams,
		/// A gate must end in the future.
		GateInPast,
		/// There are already `MaxGates` gates.
		TooManyGates,
		/// No gate for this call.
		NoSuchGate,
		/// The gate has not ended; only governance may remove it early.
		GateStillOpen,
		/// A name is empty.
		EmptyName,
		/// The runtime does not let this call be gated (`Gateable`).
		NotGateable,
		/// The gate would last longer than `MaxGateDuration`.
		GateTooLong,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Freezes `amount` PEC of the caller to hold `tier` for the tier's term from now.
		///
		/// A member may upgrade (a higher tier) or top up (more PEC) the same way; a membership
		/// never goes down (`LowerTier`, `AmountDecreased`) and its end never moves earlier.
		/// The PEC stays in the account (it may also vote) but cannot be spent.
		///
		/// Origin: signed. Emits `Locked`. O(1).
		#[pallet::call_index(0)]
		pub fn lock(origin: OriginFor<T>, tier: Tier, amount: T::Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_lock(who, tier, amount)
		}

		/// Runs the caller's membership for another term of its tier from now.
		///
		/// Origin: signed (a member). Emits `Extended`. O(1).
		#[pallet::call_index(1)]
		pub fn extend(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_extend(who)
		}

		/// Unfreezes the caller's PEC once its term has ended, ending the membership.
		///
		/// Origin: signed (a member). Emits `Unlocked`. O(1).
		#[pallet::call_index(2)]
		pub fn unlock(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unlock(who)
		}

		/// Sets the tiers' terms. Members keep their tier and end; the benefits follow the new
		/// terms at once.
		///
		/// Origin: `AdminOrigin`. Emits `ParamsSet`. O(1).
		#[pallet::call_index(3)]
		pub fn set_params(origin: OriginFor<T>, params: TierParamsOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(Self::params_valid(&params), Error::<T>::InvalidParams);
			Params::<T>::put(&params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}

		/// Reserves the call `pallet.call` (names as in the metadata, e.g. `Market`,
		/// `rent_machine`) for signed senders of `min_tier` or higher until block `until`.
		/// Replaces an existing gate of the same call.
		///
		/// Origin: `AdminOrigin`. Emits `EarlyAccessSet`. O(1).
		#[pallet::call_index(4)]
		pub fn set_early_access(
			origin: OriginFor<T>,
			pallet: Name,
			call: Name,
			min_tier: Tier,
			until: BlockNumberFor<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_early_access(pallet, call, min_tier, until)
		}

		/// Removes the gate of `pallet.call`: governance at any time, anyone once it has ended
		/// (to free its slot).
		///
		/// Origin: `AdminOrigin`, or signed for an ended gate. Emits `EarlyAccessCleared`. O(1).
		#[pallet::call_index(5)]
		pub fn clear_early_access(
			origin: OriginFor<T>,
			pallet: Name,
			call: Name,
		) -> DispatchResult {
			let privileged = T::AdminOrigin::try_origin(origin)
				.map(|_| true)
				.or_else(|origin| ensure_signed(origin).map(|_| false))?;
			Self::do_clear_early_access(pallet, call, privileged)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
#[cfg(test)]
mod mock;
#[cfg(feature = "runtime-benchmarks")]
pub mod session_benchmarking;
#[cfg(test)]
mod tests;
pub mod weights;

pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, tokens::Balance as BalanceTrait, ValidatorRegistration},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Saturating;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds PEC.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A candidate's or validator's bond, until it is released after leaving.
		ValidatorBond,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// $PEC: bonds are held.
		type Currency: fungible::Inspect<Self::AccountId, Balance = Self::Balance>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The PEC balance type.
		type Balance: BalanceTrait + MaxEncodedLen + From<u64>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Whether an account has registered session keys (pallet-session).
		type KeysRegistered: ValidatorRegistration<Self::AccountId>;

		/// Approves, removes and slashes validators, sets the bond and the session length
		/// (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Receives slashed bonds.
		type TreasuryAccount: Get<Self::AccountId>;

		/// Most validators.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// Fewest validators: nobody leaves (or is removed) below it.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// Most pending candidates.
		#[pallet::constant]
		type MaxCandidates: Get<u32>;

		/// Shortest session governance may set, in blocks.
		#[pallet::constant]
		type MinSessionLength: Get<BlockNumberFor<Self>>;

		type WeightInfo: WeightInfo;

		/// Registers session keys for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// What the benchmarks need from the runtime.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// Gives `who` session keys, as `session.setKeys` would.
		fn register_keys(who: &AccountId);
	}

	/// The validator set: authors and finalizers from the session after next once changed.
	#[pallet::storage]
	pub type ValidatorSet<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Bond held from each validator and candidate.
	#[pallet::storage]
	pub type Bonds<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::Balance, OptionQuery>;

	/// Candidates awaiting governance's approval.
	#[pallet::storage]
	pub type Candidates<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, BlockNumberFor<T>, OptionQuery>;

	/// Former validators' bonds and the block from which they may be withdrawn.
	#[pallet::storage]
	pub type Unbonding<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (T::Balance, BlockNumberFor<T>), OptionQuery>;

	/// The bond a candidate holds, the session length and the bond's delay after leaving.
	#[pallet::storage]
	pub type Params<T: Config> =
		StorageValue<_, ValidatorParams<T::Balance, BlockNumberFor<T>>, ValueQuery>;

	/// Whether the set changed since the session manager last handed it to pallet-session.
	#[pallet::storage]
	pub type SetChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// The block the current session started.
	#[pallet::storage]
	pub type SessionStart<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The validator set's terms.
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
	pub struct ValidatorParams<Balance, BlockNumber> {
		/// PEC a candidate holds from applying until its bond is withdrawn.
		pub bond: Balance,
		/// Blocks per session (a new set takes effect at the start of the session after next).
		pub session_length: BlockNumber,
		/// Blocks after leaving before the bond may be withdrawn (covers the two sessions in
		/// which a leaver may still author, plus time for governance to act on misbehaviour).
		pub bond_delay: BlockNumber,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The initial validators; each must hold `params.bond` (held at genesis). Their
		/// session keys go in pallet-session's genesis.
		pub validators: Vec<T::AccountId>,
		pub params: ValidatorParams<T::Balance, BlockNumberFor<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			use frame_support::traits::fungible::MutateHold;
			Params::<T>::put(&self.params);
			let set: BoundedVec<_, _> =
				self.validators.clone().try_into().expect("genesis validators fit MaxValidators");
			for who in set.iter() {
				T::Currency::hold(&HoldReason::ValidatorBond.into(), who, self.params.bond)
					.expect("a genesis validator holds the bond");
				Bonds::<T>::insert(who, self.params.bond);
			}
			ValidatorSet::<T>::put(set);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` applied to validate, holding `bond`.
		Applied { who: T::AccountId, bond: T::Balance },
		/// `who` withdrew its application; its bond was released.
		ApplicationWithdrawn { who: T::AccountId },
		/// Governance approved `who`: it validates from the session after next.
		Approved { who: T::AccountId },
		/// Governance rejected `who`'s application; its bond was released.
		Rejected { who: T::AccountId },
		/// `who` left the set (by itself, or removed by governance); it stops validating at
		/// the session after next and may withdraw its bond from `unlock_at`.
		Left { who: T::AccountId, removed: bool, unlock_at: BlockNumberFor<T> },
		/// A former validator's bond was released.
		BondWithdrawn { who: T::AccountId, amount: T::Balance },
		/// `amount` of `who`'s bond was slashed to the treasury.
		BondSlashed { who: T::AccountId, amount: T::Balance },
		/// The terms changed.
		ParamsSet { params: ValidatorParams<T::Balance, BlockNumberFor<T>> },
		/// A new set was handed to pallet-session for session `session`.
		NewSetPlanned { session: u32, validators: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account has no session keys: `author_rotateKeys` then `session.setKeys` first.
		NoSessionKeys,
		/// The account already validates.
		AlreadyValidator,
		/// The account already applied.
		AlreadyCandidate,
		/// The account has not applied.
		NotCandidate,
		/// The account does not validate.
		NotValidator,
		/// There are already `MaxCandidates` candidates.
		TooManyCandidates,
		/// The set is full (`MaxValidators`).
		TooManyValidators,
		/// The set would fall below `MinValidators`.
		TooFewValidators,
		/// The account cannot hold the bond.
		InsufficientBond,
		/// No bond to withdraw.
		NothingToWithdraw,
		/// The bond is still locked after leaving.
		BondStillLocked,
		/// A session shorter than `MinSessionLength`, a zero bond, or a bond delay shorter than
		/// two sessions (a leaver may author until the session after next).
		InvalidParams,
		/// The account holds no validator bond.
		NothingToSlash,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Applies to validate: holds the bond; the account's session keys must be registered
		/// (`author_rotateKeys` on its node, then `session.setKeys`).
		///
		/// Origin: signed. Emits `Applied`. O(1).
		#[pallet::call_index(0)]
		pub fn apply(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_apply(who)
		}

		/// Withdraws the caller's pending application and releases its bond.
		///
		/// Origin: signed (a candidate). Emits `ApplicationWithdrawn`. O(1).
		#[pallet::call_index(1)]
		pub fn withdraw_application(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_application(who)
		}

		/// Approves candidate `who`: it joins the set, which takes effect at the start of the
		/// session after next.
		///
		/// Origin: `AdminOrigin`. Emits `Approved`. O(MaxValidators).
		#[pallet::call_index(2)]
		pub fn approve(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_approve(who)
		}

		/// Rejects candidate `who` and releases its bond.
		///
		/// Origin: `AdminOrigin`. Emits `Rejected`. O(1).
		#[pallet::call_index(3)]
		pub fn reject(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_reject(who)
		}

		/// Leaves the set at the next session boundary (it validates until the session after
		/// next starts); the bond may be withdrawn `bond_delay` blocks from now.
		///
		/// Origin: signed (a validator). Emits `Left`. O(MaxValidators).
		#[pallet::call_index(4)]
		pub fn leave(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_leave(who, false)
		}

		/// Removes validator `who` (e.g. one that stopped authoring), as `leave` would.
		///
		/// Origin: `AdminOrigin`. Emits `Left { removed: true }`. O(MaxValidators).
		#[pallet::call_index(5)]
		pub fn remove(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_leave(who, true)
		}

		/// Releases the caller's bond once `bond_delay` has passed since it left.
		///
		/// Origin: signed (a former validator). Emits `BondWithdrawn`. O(1).
		#[pallet::call_index(6)]
		pub fn withdraw_bond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_bond(who)
		}

		/// Sets the bond, the session length and the bond delay. Validators and candidates
		/// keep the bond they hold.
		///
		/// Origin: `AdminOrigin`. Emits `ParamsSet`. O(1).
		#[pallet::call_index(7)]
		pub fn set_params(
			origin: OriginFor<T>,
			params: ValidatorParams<T::Balance, BlockNumberFor<T>>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(
				params.session_length >= T::MinSessionLength::get()
					&& !params.bond.is_zero()
					&& params.bond_delay
						>= params.session_length.saturating_add(params.session_length),
				Error::<T>::InvalidParams
			);
			Params::<T>::put(&params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}

		/// Slashes `fraction` of `who`'s bond to the treasury: a validator's or candidate's, or
		/// a former validator's while it waits to be withdrawn (misbehaviour found after it
		/// left).
		///
		/// Origin: `AdminOrigin`. Emits `BondSlashed`. O(1).
		#[pallet::call_index(8)]
		pub fn slash_bond(
			origin: OriginFor<T>,
			who: T::AccountId,
			fraction: sp_runtime::Perbill,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_slash_bond(who, fraction)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinValidators::get() >= 1, "a chain needs a validator");
			assert!(T::MinValidators::get() <= T::MaxValidators::get());
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

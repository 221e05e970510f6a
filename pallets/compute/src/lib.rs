#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;
// The test runtime (`powerverse_test_runtime::construct_test_runtime!`) names every pallet by
// its crate name, this one included.
#[cfg(test)]
extern crate self as pallet_compute;

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
		traits::{
			fungible,
			tokens::nonfungibles_v2::{
				Create, Inspect as NftInspect, Mutate as NftMutate, Transfer as NftTransfer,
			},
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use powerverse_primitives::{
		ComputeScore, JudgementGuard, MachineCollateral, MachineId, MachineSpec, ModelName,
		NftLockReason, PriceObserver, RetirementGuard, Reviewer, RewardsObserver, VerificationJury,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// $PEC: prices are quoted in its balance type.
		type Currency: fungible::Inspect<Self::AccountId> + fungible::Mutate<Self::AccountId>;

		/// Collection id type of the NFT pallet.
		type CollectionId: Parameter + MaxEncodedLen + Copy + PartialEq;

		/// pallet-nfts, used through its public traits: mint, burn and attributes of compute NFTs.
		type Nfts: NftInspect<Self::AccountId, CollectionId = Self::CollectionId, ItemId = MachineId>
			+ NftMutate<Self::AccountId, pallet_nfts::ItemConfig>
			+ NftTransfer<Self::AccountId>
			+ Create<Self::AccountId, CollectionConfigOf<Self>>;

		/// The "PowerVerse Compute" collection; created at genesis, owned by the pallet account.
		#[pallet::constant]
		type ComputeCollection: Get<Self::CollectionId>;

		/// Derives the pallet account that owns the compute collection.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Edits the hardware model table and the model policy (governance).
		type HardwareOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Records verification results until the supervisor DAO does it through
		/// [`powerverse_primitives::MachineVerification`].
		type VerifierOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Other pallets' obligations on a machine (collateral, leases) that block retirement.
		type RetirementGuard: RetirementGuard;

		/// Pending judgements (disputes, reports): a machine under one cannot retire.
		type Judgement: JudgementGuard;

		/// Machines' collateral: heartbeats are free only for a verified machine whose
		/// collateral is at its minimum.
		type Collateral: MachineCollateral<BalanceOf<Self>>;

		/// Told when a machine comes back from offline, so its stake earns again at once.
		type Rewards: RewardsObserver;

		/// Told when a machine's price changes (the market re-indexes a listed machine).
		type PriceObserver: PriceObserver;

		/// Asked to verify every newly registered machine (the supervisor DAO's juries).
		type VerificationJury: VerificationJury;

		/// Most machines one provider may have live.
		#[pallet::constant]
		type MaxMachinesPerProvider: Get<u32>;

		/// A machine is online while its last heartbeat is at most this many blocks old.
		#[pallet::constant]
		type HeartbeatTimeout: Get<BlockNumberFor<Self>>;

		/// Heartbeats closer together than this are refused (they would only cost block space).
		#[pallet::constant]
		type MinHeartbeatInterval: Get<BlockNumberFor<Self>>;

		/// Maintenance must be announced at least this many blocks ahead.
		#[pallet::constant]
		type MinMaintenanceNotice: Get<BlockNumberFor<Self>>;

		/// Longest maintenance window.
		#[pallet::constant]
		type MaxMaintenanceDuration: Get<BlockNumberFor<Self>>;

		/// Most CPU cores a spec may declare.
		#[pallet::constant]
		type MaxCores: Get<u32>;

		/// Most RAM, in GiB, a spec may declare.
		#[pallet::constant]
		type MaxRamGib: Get<u32>;

		/// Most VRAM per GPU, in GiB.
		#[pallet::constant]
		type MaxVramGib: Get<u32>;

		/// Most GPUs in one machine, all entries together.
		#[pallet::constant]
		type MaxGpusPerMachine: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Providers by account.
	#[pallet::storage]
	pub type Providers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ProviderOf<T>>;

	/// Machines by id (= compute NFT item id). Retired machines stay, marked `Retired`.
	#[pallet::storage]
	pub type Machines<T: Config> = StorageMap<_, Twox64Concat, MachineId, MachineOf<T>>;

	/// Live (not retired) machines of each provider; at most `MaxMachinesPerProvider` each.
	#[pallet::storage]
	pub type MachinesByProvider<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, MachineId, ()>;

	/// Machines registered with a fingerprint of their host (`register_fingerprinted_machine`),
	/// per provider: how the provider agent finds a machine it already registered instead of
	/// paying for a duplicate. Removed when the machine retires.
	#[pallet::storage]
	pub type MachineByFingerprint<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		Fingerprint,
		MachineId,
	>;

	/// The fingerprint a machine was registered with.
	#[pallet::storage]
	pub type FingerprintOf<T: Config> = StorageMap<_, Twox64Concat, MachineId, Fingerprint>;

	/// The id the next registered machine gets.
	#[pallet::storage]
	pub type NextMachineId<T: Config> = StorageValue<_, MachineId, ValueQuery>;

	/// Hardware model table: baseline score per GPU or per CPU core.
	#[pallet::storage]
	pub type HardwareModels<T: Config> = StorageMap<_, Blake2_128Concat, ModelName, HardwareModel>;

	/// When true, a spec naming a GPU or CPU model missing from the table is refused.
	#[pallet::storage]
	pub type RequireKnownModels<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Per-core score of a CPU model missing from the table.
	#[pallet::storage]
	pub type DefaultCpuCoreScore<T: Config> = StorageValue<_, u32, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial hardware model table: (model name, class, score).
		pub hardware_models: alloc::vec::Vec<(alloc::vec::Vec<u8>, HardwareClass, u32)>,
		/// Per-core score of CPU models not in the table.
		pub default_cpu_core_score: u32,
		/// Whether unknown models are refused.
		pub require_known_models: bool,
		/// Create the compute collection (its deposit is paid from the pallet account).
		pub create_collection: bool,
		/// Minted to the pallet account at genesis if it holds less (plancks): enough for the
		/// collection deposit, so a network's genesis need not list the pallet account among
		/// its endowments.
		pub pallet_account_endowment: u128,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (name, class, score) in &self.hardware_models {
				let name: ModelName =
					name.clone().try_into().expect("genesis model names fit ModelName; qed");
				HardwareModels::<T>::insert(name, HardwareModel { class: *class, score: *score });
			}
			DefaultCpuCoreScore::<T>::put(self.default_cpu_core_score);
			RequireKnownModels::<T>::put(self.require_known_models);
			use frame_support::traits::fungible::{Inspect as _, Mutate as _};
			use sp_runtime::traits::{Saturating as _, UniqueSaturatedInto as _};
			let account = Pallet::<T>::account_id();
			let endowment: BalanceOf<T> = self.pallet_account_endowment.unique_saturated_into();
			let held = T::Currency::balance(&account);
			if held < endowment {
				T::Currency::mint_into(&account, endowment.saturating_sub(held))
					.expect("minting to the pallet account at genesis; qed");
			}
			if self.create_collection {
				Pallet::<T>::create_compute_collection()
					.expect("the pallet account is endowed with the collection deposit and genesis creates no collection before it; qed");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider registered.
		ProviderRegistered { provider: T::AccountId },
		/// A provider changed its profile.
		ProviderUpdated { provider: T::AccountId },
		/// A provider deregistered.
		ProviderDeregistered { provider: T::AccountId },
		/// A machine was registered and its compute NFT minted to the provider.
		MachineRegistered {
			machine: MachineId,
			provider: T::AccountId,
			operator: T::AccountId,
			score: ComputeScore,
			price_per_hour: BalanceOf<T>,
		},
		/// A machine's posted price changed.
		PriceUpdated { machine: MachineId, price_per_hour: BalanceOf<T> },
		/// A machine's operator (heartbeat) key changed.
		OperatorChanged { machine: MachineId, operator: T::AccountId },
		/// A heartbeat was recorded.
		HeartbeatReceived { machine: MachineId, uptime_blocks: BlockNumberFor<T> },
		/// A maintenance window was announced.
		MaintenanceScheduled {
			machine: MachineId,
			starts_at: BlockNumberFor<T>,
			ends_at: BlockNumberFor<T>,
		},
		/// A maintenance window was ended or cancelled.
		MaintenanceEnded { machine: MachineId },
		/// A machine passed verification.
		MachineVerified { machine: MachineId, by: Reviewer },
		/// A machine failed verification.
		MachineRejected { machine: MachineId, by: Reviewer },
		/// A verified machine was sent back to verification (a confirmed report); a new review
		/// is requested.
		VerificationRevoked { machine: MachineId, by: Reviewer },
		/// A machine was retired and its NFT burned.
		MachineRetired { machine: MachineId },
		/// A machine started a lease.
		MachineLeased { machine: MachineId },
		/// A machine's lease ended; it is idle again.
		MachineReleased { machine: MachineId },
		/// A lock was taken on a compute NFT.
		NftLocked { machine: MachineId, reason: NftLockReason },
		/// A lock on a compute NFT was released.
		NftUnlocked { machine: MachineId, reason: NftLockReason },
		/// A compute NFT was seized by a slash and transferred to `to`.
		NftSeized { machine: MachineId, to: T::AccountId },
		/// A hardware model entry was set.
		HardwareModelSet { model: ModelName, class: HardwareClass, score: u32 },
		/// A hardware model entry was removed.
		HardwareModelRemoved { model: ModelName },
		/// The model policy changed.
		ModelPolicySet { require_known_models: bool, default_cpu_core_score: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// This account already is a provider.
		ProviderAlreadyRegistered,
		/// This account is not a provider.
		NotAProvider,
		/// The provider still has machines that are not retired.
		ProviderHasLiveMachines,
		/// The provider has `MaxMachinesPerProvider` live machines.
		TooManyMachines,
		/// Display name is empty.
		EmptyDisplayName,
		/// Operator/ISP is empty.
		EmptyOperatorName,
		/// City is empty.
		EmptyCity,
		/// Country is not an upper-case ISO 3166-1 alpha-2 code.
		InvalidCountryCode,
		/// Contact URL does not start with `https://` or `http://`.
		InvalidContactUrl,
		/// The x25519 key is all zeroes.
		InvalidEncryptionKey,
		/// CPU model is empty.
		EmptyCpuModel,
		/// Zero CPU cores.
		ZeroCores,
		/// More cores than `MaxCores`.
		TooManyCores,
		/// Fewer threads than cores.
		ThreadsBelowCores,
		/// More than 8 threads per core.
		TooManyThreads,
		/// Zero RAM.
		ZeroRam,
		/// More RAM than `MaxRamGib`.
		TooMuchRam,
		/// Zero storage.
		ZeroStorage,
		/// Zero bandwidth.
		ZeroBandwidth,
		/// A GPU entry has an empty model name.
		EmptyGpuModel,
		/// A GPU entry has zero VRAM.
		ZeroVram,
		/// A GPU entry has more VRAM than `MaxVramGib`.
		TooMuchVram,
		/// A GPU entry has count zero.
		ZeroGpuCount,
		/// More GPUs in total than `MaxGpusPerMachine`.
		TooManyGpus,
		/// The same GPU model and VRAM appear in two entries.
		DuplicateGpuEntry,
		/// A GPU model is not in the model table, and the table is required.
		UnknownGpuModel,
		/// The CPU model is not in the model table, and the table is required.
		UnknownCpuModel,
		/// The table lists the model with the other class (a CPU named as a GPU or vice versa).
		WrongHardwareClass,
		/// A price of zero.
		ZeroPrice,
		/// Machine ids are exhausted.
		MachineIdOverflow,
		/// No machine with this id.
		MachineNotFound,
		/// Only the machine's provider may do this.
		NotMachineProvider,
		/// Only the machine's operator key (or its provider) may send heartbeats.
		NotMachineOperator,
		/// The machine is retired.
		MachineRetired,
		/// The provider already registered a live machine with this fingerprint (its id is in
		/// `MachineByFingerprint`).
		FingerprintRegistered,
		/// The machine is not waiting for verification.
		NotPendingVerification,
		/// The machine is not verified.
		NotVerified,
		/// The machine is leased.
		MachineLeased,
		/// The machine is not leased.
		NotLeased,
		/// The machine is not online.
		MachineOffline,
		/// The machine is in maintenance.
		InMaintenance,
		/// The machine's NFT is locked (leased, staked or pledged).
		NftLocked,
		/// This lock is already held.
		LockAlreadyHeld,
		/// This lock is not held.
		LockNotHeld,
		/// The lease lock is taken and released only with the lease (`ComputeLeasing`).
		LeaseLockIsManaged,
		/// The last heartbeat is more recent than `MinHeartbeatInterval`.
		HeartbeatTooSoon,
		/// The window starts sooner than `MinMaintenanceNotice`.
		MaintenanceNoticeTooShort,
		/// The window is longer than `MaxMaintenanceDuration`.
		MaintenanceTooLong,
		/// A window of zero blocks.
		ZeroMaintenanceDuration,
		/// No maintenance window is announced.
		NoMaintenanceScheduled,
		/// A hardware model baseline of zero.
		ZeroBaselineScore,
		/// The model name is empty.
		EmptyModelName,
		/// The model is not in the table.
		UnknownHardwareModel,
		/// The compute NFT collection does not exist.
		CollectionMissing,
		/// Only the holder of the machine's compute NFT may retire it (and burn the NFT).
		NotNftHolder,
		/// A dispute or report on the machine is open: it stays until the verdict.
		UnderJudgement,
		/// Creating the compute collection would give it another id than `ComputeCollection`
		/// (other collections exist already).
		CollectionIdTaken,
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
		/// Registers the caller as a compute provider with `profile`.
		///
		/// Origin: signed, not yet a provider. Emits `ProviderRegistered`. O(1).
		#[pallet::call_index(0)]
		pub fn register_provider(origin: OriginFor<T>, profile: ProviderProfile) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_provider(who, profile)
		}

		/// Replaces the caller's provider profile.
		///
		/// Origin: signed provider. Emits `ProviderUpdated`. O(1).
		#[pallet::call_index(1)]
		pub fn update_provider(origin: OriginFor<T>, profile: ProviderProfile) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_provider(who, profile)
		}

		/// Removes the caller's provider record. Only without live (non-retired) machines.
		///
		/// Origin: signed provider. Emits `ProviderDeregistered`. O(1).
		#[pallet::call_index(2)]
		pub fn deregister_provider(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister_provider(who)
		}

		/// Registers a machine with hardware `spec`, heartbeat key `operator` and posted
		/// `price_per_hour` (PEC plancks), and mints its compute NFT to the caller. The machine
		/// waits for verification by a supervisor jury (`VerificationJury`). The caller pays
		/// pallet-nfts' item deposit.
		///
		/// Origin: signed provider. Emits `MachineRegistered`. O(GPU entries).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::register_machine()
			.saturating_add(T::VerificationJury::verification_requested_weight()))]
		pub fn register_machine(
			origin: OriginFor<T>,
			spec: MachineSpec,
			operator: T::AccountId,
			price_per_hour: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_machine(who, spec, operator, price_per_hour).map(|_| ())
		}

		/// [`Self::register_machine`] for a machine identified by `fingerprint`, a hash of its
		/// host (the provider agent's: machine-id and GPU UUIDs, never the raw ids): recorded in
		/// `MachineByFingerprint` and as the NFT's `fingerprint` attribute, so re-running the
		/// onboarding finds this machine. Refused (`FingerprintRegistered`) while the provider
		/// has a live machine with the same fingerprint; freed when that machine retires.
		///
		/// Origin: signed provider. Emits `MachineRegistered`. O(GPU entries).
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::register_fingerprinted_machine()
			.saturating_add(T::VerificationJury::verification_requested_weight()))]
		pub fn register_fingerprinted_machine(
			origin: OriginFor<T>,
			spec: MachineSpec,
			operator: T::AccountId,
			price_per_hour: BalanceOf<T>,
			fingerprint: Fingerprint,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				!MachineByFingerprint::<T>::contains_key(&who, fingerprint),
				Error::<T>::FingerprintRegistered
			);
			let machine = Self::do_register_machine(who.clone(), spec, operator, price_per_hour)?;
			Self::record_fingerprint(&who, machine, fingerprint)
		}

		/// Sets `machine`'s posted price per hour. Running leases keep their agreed price.
		///
		/// Origin: signed, the machine's provider. Emits `PriceUpdated`. O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(
			T::WeightInfo::update_price().saturating_add(T::PriceObserver::price_changed_weight())
		)]
		pub fn update_price(
			origin: OriginFor<T>,
			machine: MachineId,
			price_per_hour: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_price(who, machine, price_per_hour)
		}

		/// Replaces `machine`'s operator (heartbeat) key.
		///
		/// Origin: signed, the machine's provider. Emits `OperatorChanged`. O(1).
		#[pallet::call_index(5)]
		pub fn set_operator(
			origin: OriginFor<T>,
			machine: MachineId,
			operator: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_operator(who, machine, operator)
		}

		/// Records that `machine` is alive. Accrues uptime since the last heartbeat (and
		/// downtime beyond `HeartbeatTimeout`, except inside announced maintenance).
		/// Free when accepted for a verified machine whose collateral is at its minimum; paid
		/// otherwise. Refused (and charged) when sooner than `MinHeartbeatInterval`, so a
		/// machine gets at most one free heartbeat per interval.
		///
		/// Origin: signed, the machine's operator or provider. Emits `HeartbeatReceived`. O(1).
		/// Weighs the re-weighing of the machine's stake only when it comes back from a
		/// silence past the timeout (the rest of the declared weight is returned).
		#[pallet::call_index(6)]
		#[pallet::weight(
			T::WeightInfo::heartbeat().saturating_add(T::Rewards::availability_changed_weight())
		)]
		pub fn heartbeat(origin: OriginFor<T>, machine: MachineId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (free, back_from_silence) = Self::do_heartbeat(who, machine)?;
			let actual = if back_from_silence {
				T::WeightInfo::heartbeat().saturating_add(T::Rewards::availability_changed_weight())
			} else {
				T::WeightInfo::heartbeat()
			};
			Ok(frame_support::dispatch::PostDispatchInfo {
				actual_weight: Some(actual),
				pays_fee: if free { Pays::No } else { Pays::Yes },
			})
		}

		/// Announces maintenance of `machine` for `duration` blocks from `starts_at`, at least
		/// `MinMaintenanceNotice` ahead. Replaces an announcement that has not started; a
		/// running window must be ended first (`InMaintenance`). Time inside the
		/// window is not downtime; the market does not lease the machine in it.
		///
		/// Origin: signed, the machine's provider. Emits `MaintenanceScheduled`. O(1).
		#[pallet::call_index(7)]
		pub fn set_maintenance(
			origin: OriginFor<T>,
			machine: MachineId,
			starts_at: BlockNumberFor<T>,
			duration: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_maintenance(who, machine, starts_at, duration)
		}

		/// Ends (or cancels) `machine`'s maintenance window now.
		///
		/// Origin: signed, the machine's provider. Emits `MaintenanceEnded`. O(1).
		#[pallet::call_index(8)]
		pub fn end_maintenance(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_end_maintenance(who, machine)
		}

		/// Retires `machine` and burns its NFT, once nothing is owed on it: not leased, NFT not
		/// locked, no open dispute or report, and no other pallet's obligation
		/// (`RetirementGuard`: bond, stake, leases, listing). Clears the NFT attributes this
		/// pallet wrote and removes the machine record; the NFT's item deposit goes back to
		/// whoever paid it (the provider).
		///
		/// Origin: signed, the holder of the machine's compute NFT: only the holder's own act
		/// destroys it. A provider that sold (or lost to a seizure) the NFT cannot retire the
		/// machine (`NotNftHolder`); see docs/provider.md for what it owes the holder.
		/// Emits `MachineRetired`. O(1).
		#[pallet::call_index(9)]
		pub fn retire_machine(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_retire_machine(who, machine)
		}

		/// Records the verification result of a pending machine.
		///
		/// Origin: `VerifierOrigin` (the supervisor DAO uses the `MachineVerification` trait
		/// instead). Emits `MachineVerified` or `MachineRejected`. O(1).
		#[pallet::call_index(10)]
		pub fn verify_machine(
			origin: OriginFor<T>,
			machine: MachineId,
			approved: bool,
		) -> DispatchResult {
			T::VerifierOrigin::ensure_origin(origin)?;
			Self::do_record_verification(machine, approved, Reviewer::Governance)
		}

		/// Sets the baseline `score` of hardware `model` (per GPU, or per core for a CPU).
		/// Applies to machines registered afterwards.
		///
		/// Origin: `HardwareOrigin`. Emits `HardwareModelSet`. O(1).
		#[pallet::call_index(11)]
		pub fn set_hardware_model(
			origin: OriginFor<T>,
			model: ModelName,
			class: HardwareClass,
			score: u32,
		) -> DispatchResult {
			T::HardwareOrigin::ensure_origin(origin)?;
			Self::do_set_hardware_model(model, class, score)
		}

		/// Removes hardware `model` from the table.
		///
		/// Origin: `HardwareOrigin`. Emits `HardwareModelRemoved`. O(1).
		#[pallet::call_index(12)]
		pub fn remove_hardware_model(origin: OriginFor<T>, model: ModelName) -> DispatchResult {
			T::HardwareOrigin::ensure_origin(origin)?;
			Self::do_remove_hardware_model(model)
		}

		/// Sets whether unknown models are refused and the per-core score of unknown CPUs.
		///
		/// Origin: `HardwareOrigin`. Emits `ModelPolicySet`. O(1).
		#[pallet::call_index(13)]
		pub fn set_model_policy(
			origin: OriginFor<T>,
			require_known_models: bool,
			default_cpu_core_score: u32,
		) -> DispatchResult {
			T::HardwareOrigin::ensure_origin(origin)?;
			RequireKnownModels::<T>::put(require_known_models);
			DefaultCpuCoreScore::<T>::put(default_cpu_core_score);
			Self::deposit_event(Event::ModelPolicySet {
				require_known_models,
				default_cpu_core_score,
			});
			Ok(())
		}
	}
}

//! The logic behind the calls, and the primitives traits this pallet implements.

use crate::{pallet::*, types::*};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		tokens::nonfungibles_v2::{Create, Inspect as NftInspect, Mutate as NftMutate, Transfer},
		Locker,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use powerverse_primitives::{
	ComputeInspect, ComputeLeasing, ComputeNftLocks, ComputeNftSeizure, ComputeScore, CountryCode,
	JudgementGuard, MachineCollateral, MachineId, MachineSpec, MachineState, MachineVerification,
	MachineView, ModelName, NftLockReason, NftLocks, PriceObserver, RetirementGuard, Reviewer,
	RewardsObserver, VerificationJury,
};
use sp_runtime::{
	traits::{AccountIdConversion, Saturating, Zero},
	DispatchError,
};

/// RAM contributes one score point per this many GiB.
pub const RAM_GIB_PER_POINT: u32 = 4;
/// Threads per core above which a spec is implausible.
pub const MAX_THREADS_PER_CORE: u32 = 8;
/// The fixed attribute keys of a compute NFT (besides one `gpu.<i>` per GPU entry).
pub const SPEC_ATTRIBUTE_KEYS: [&str; 8] = [
	"cpu_model",
	"cores",
	"threads",
	"ram_gib",
	"storage_gib",
	"bandwidth_mbps",
	"gpu_count",
	"score",
];
/// The NFT attribute holding the fingerprint of a machine registered with one.
pub const FINGERPRINT_ATTRIBUTE: &str = "fingerprint";

impl<T: Config> Pallet<T> {
	/// The account that owns the compute collection.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Creates the "PowerVerse Compute" collection, owned and administered by the pallet
	/// account; only the issuer (the pallet) mints. The pallet account pays the deposit.
	pub fn create_compute_collection() -> DispatchResult {
		let owner = Self::account_id();
		let config = pallet_nfts::CollectionConfig {
			settings: pallet_nfts::CollectionSettings::all_enabled(),
			max_supply: None,
			mint_settings: pallet_nfts::MintSettings {
				mint_type: pallet_nfts::MintType::Issuer,
				..Default::default()
			},
		};
		// Created as the next collection, so pallet-nfts' counter moves past it (a collection
		// created at a chosen id leaves the counter behind, and the next collection collides).
		frame_support::storage::with_storage_layer(|| {
			let created = T::Nfts::create_collection(&owner, &owner, &config)?;
			ensure!(created == T::ComputeCollection::get(), Error::<T>::CollectionIdTaken);
			Ok(())
		})
	}

	pub(crate) fn do_register_provider(
		who: T::AccountId,
		profile: ProviderProfile,
	) -> DispatchResult {
		ensure!(!Providers::<T>::contains_key(&who), Error::<T>::ProviderAlreadyRegistered);
		Self::validate_profile(&profile)?;
		let now = frame_system::Pallet::<T>::block_number();
		Providers::<T>::insert(&who, Provider { profile, live_machines: 0, registered_at: now });
		Self::deposit_event(Event::ProviderRegistered { provider: who });
		Ok(())
	}

	pub(crate) fn do_update_provider(
		who: T::AccountId,
		profile: ProviderProfile,
	) -> DispatchResult {
		Self::validate_profile(&profile)?;
		Providers::<T>::try_mutate(&who, |maybe| -> DispatchResult {
			let provider = maybe.as_mut().ok_or(Error::<T>::NotAProvider)?;
			provider.profile = profile;
			Ok(())
		})?;
		Self::deposit_event(Event::ProviderUpdated { provider: who });
		Ok(())
	}

	pub(crate) fn do_deregister_provider(who: T::AccountId) -> DispatchResult {
		let provider = Providers::<T>::get(&who).ok_or(Error::<T>::NotAProvider)?;
		ensure!(provider.live_machines == 0, Error::<T>::ProviderHasLiveMachines);
		Providers::<T>::remove(&who);
		Self::deposit_event(Event::ProviderDeregistered { provider: who });
		Ok(())
	}

	pub(crate) fn do_register_machine(
		who: T::AccountId,
		spec: MachineSpec,
		operator: T::AccountId,
		price_per_hour: BalanceOf<T>,
	) -> Result<MachineId, DispatchError> {
		let mut provider = Providers::<T>::get(&who).ok_or(Error::<T>::NotAProvider)?;
		ensure!(
			provider.live_machines < T::MaxMachinesPerProvider::get(),
			Error::<T>::TooManyMachines
		);
		ensure!(!price_per_hour.is_zero(), Error::<T>::ZeroPrice);
		let score = Self::validate_spec_and_score(&spec)?;
		let machine = NextMachineId::<T>::get();
		let next = machine.checked_add(1).ok_or(Error::<T>::MachineIdOverflow)?;
		let collection = T::ComputeCollection::get();
		ensure!(T::Nfts::collection_owner(&collection).is_some(), Error::<T>::CollectionMissing);

		// The provider pays the item deposit (returned when the NFT is burned at retirement).
		T::Nfts::mint_into(
			&collection,
			&machine,
			&who,
			&pallet_nfts::ItemConfig::default(),
			false,
		)?;
		Self::write_spec_attributes(machine, &spec, score)?;

		let now = frame_system::Pallet::<T>::block_number();
		Machines::<T>::insert(
			machine,
			Machine {
				provider: who.clone(),
				operator: operator.clone(),
				spec,
				score,
				price_per_hour,
				status: MachineStatus::PendingVerification,
				locks: NftLocks::default(),
				registered_at: now,
				last_heartbeat: now,
				uptime_blocks: Zero::zero(),
				downtime_blocks: Zero::zero(),
				maintenance_blocks: Zero::zero(),
				maintenance: None,
				lease_until: None,
				lease_downtime: Zero::zero(),
				reviewed_by: None,
			},
		);
		MachinesByProvider::<T>::insert(&who, machine, ());
		provider.live_machines = provider.live_machines.saturating_add(1);
		Providers::<T>::insert(&who, provider);
		NextMachineId::<T>::put(next);
		// A jury of supervisors is asked to verify it.
		T::VerificationJury::verification_requested(machine)?;
		Self::deposit_event(Event::MachineRegistered {
			machine,
			provider: who,
			operator,
			score,
			price_per_hour,
		});
		Ok(machine)
	}

	/// Records `fingerprint` for the provider's new `machine`: the index and the NFT attribute.
	pub(crate) fn record_fingerprint(
		provider: &T::AccountId,
		machine: MachineId,
		fingerprint: Fingerprint,
	) -> DispatchResult {
		T::Nfts::set_attribute(
			&T::ComputeCollection::get(),
			&machine,
			FINGERPRINT_ATTRIBUTE.as_bytes(),
			&fingerprint,
		)?;
		MachineByFingerprint::<T>::insert(provider, fingerprint, machine);
		FingerprintOf::<T>::insert(machine, fingerprint);
		Ok(())
	}

	pub(crate) fn do_update_price(
		who: T::AccountId,
		machine: MachineId,
		price_per_hour: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!price_per_hour.is_zero(), Error::<T>::ZeroPrice);
		Self::mutate_own_machine(&who, machine, |m| {
			m.price_per_hour = price_per_hour;
			Ok(())
		})?;
		T::PriceObserver::price_changed(machine);
		Self::deposit_event(Event::PriceUpdated { machine, price_per_hour });
		Ok(())
	}

	pub(crate) fn do_set_operator(
		who: T::AccountId,
		machine: MachineId,
		operator: T::AccountId,
	) -> DispatchResult {
		Self::mutate_own_machine(&who, machine, |m| {
			m.operator = operator.clone();
			Ok(())
		})?;
		Self::deposit_event(Event::OperatorChanged { machine, operator });
		Ok(())
	}

	/// Records a heartbeat; returns whether it is free: the machine is verified and its
	/// collateral is at its minimum (anything else pays the transaction fee).
	pub(crate) fn do_heartbeat(
		who: T::AccountId,
		machine: MachineId,
	) -> Result<(bool, bool), DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let (uptime, verified, was_down) = Machines::<T>::try_mutate(machine, |maybe| {
			let m = maybe.as_mut().ok_or(Error::<T>::MachineNotFound)?;
			ensure!(m.status != MachineStatus::Retired, Error::<T>::MachineRetired);
			ensure!(m.operator == who || m.provider == who, Error::<T>::NotMachineOperator);
			let gap = now.saturating_sub(m.last_heartbeat);
			ensure!(gap >= T::MinHeartbeatInterval::get(), Error::<T>::HeartbeatTooSoon);
			let (up, down, maintenance) = Self::split_gap(m.last_heartbeat, now, m.maintenance);
			m.uptime_blocks.saturating_accrue(up);
			m.downtime_blocks.saturating_accrue(down);
			m.maintenance_blocks.saturating_accrue(maintenance);
			// The part of the gap inside the lease counts against the lease.
			m.lease_downtime.saturating_accrue(Self::lease_gap_downtime(m, now));
			m.last_heartbeat = now;
			// A window that is over is forgotten.
			if m.maintenance.is_some_and(|w| w.ends_at <= now) {
				m.maintenance = None;
			}
			let verified = matches!(m.status, MachineStatus::Active | MachineStatus::Leased);
			Ok::<_, DispatchError>((m.uptime_blocks, verified, gap > T::HeartbeatTimeout::get()))
		})?;
		// Back from a silence past the timeout (offline, or maintenance): its stake, if any,
		// earns again from now.
		if was_down {
			T::Rewards::availability_changed(machine);
		}
		Self::deposit_event(Event::HeartbeatReceived { machine, uptime_blocks: uptime });
		Ok((verified && T::Collateral::is_sufficiently_collateralized(machine), was_down))
	}

	/// Downtime of the lease in the silence from the last heartbeat to `at`, counted no further
	/// than the lease's end: zero unless leased.
	pub(crate) fn lease_gap_downtime(m: &MachineOf<T>, at: BlockNumberFor<T>) -> BlockNumberFor<T> {
		match m.lease_until {
			Some(until) if at.min(until) > m.last_heartbeat => {
				Self::split_gap(m.last_heartbeat, at.min(until), m.maintenance).1
			},
			_ => Zero::zero(),
		}
	}

	/// Splits the blocks between two heartbeats into (online, offline, maintenance) blocks. The
	/// first `HeartbeatTimeout` blocks count online; the rest count offline, except those inside
	/// the maintenance window.
	pub(crate) fn split_gap(
		from: BlockNumberFor<T>,
		to: BlockNumberFor<T>,
		window: Option<MaintenanceWindow<BlockNumberFor<T>>>,
	) -> (BlockNumberFor<T>, BlockNumberFor<T>, BlockNumberFor<T>) {
		let gap = to.saturating_sub(from);
		let up = gap.min(T::HeartbeatTimeout::get());
		let offline_from = from.saturating_add(up);
		let silent = to.saturating_sub(offline_from);
		let maintenance = match window {
			Some(w) => to.min(w.ends_at).saturating_sub(offline_from.max(w.starts_at)),
			None => Zero::zero(),
		};
		(up, silent.saturating_sub(maintenance), maintenance)
	}

	pub(crate) fn do_set_maintenance(
		who: T::AccountId,
		machine: MachineId,
		starts_at: BlockNumberFor<T>,
		duration: BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(!duration.is_zero(), Error::<T>::ZeroMaintenanceDuration);
		ensure!(duration <= T::MaxMaintenanceDuration::get(), Error::<T>::MaintenanceTooLong);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			starts_at >= now.saturating_add(T::MinMaintenanceNotice::get()),
			Error::<T>::MaintenanceNoticeTooShort
		);
		let ends_at = starts_at.saturating_add(duration);
		Self::mutate_own_machine(&who, machine, |m| {
			ensure!(m.status != MachineStatus::Leased, Error::<T>::MachineLeased);
			// A running window is ended first (`end_maintenance`), so it is never lost.
			ensure!(!Self::window_covers(m, now), Error::<T>::InMaintenance);
			m.maintenance = Some(MaintenanceWindow { starts_at, ends_at });
			Ok(())
		})?;
		Self::deposit_event(Event::MaintenanceScheduled { machine, starts_at, ends_at });
		Ok(())
	}

	pub(crate) fn do_end_maintenance(who: T::AccountId, machine: MachineId) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		Self::mutate_own_machine(&who, machine, |m| {
			let window = m.maintenance.ok_or(Error::<T>::NoMaintenanceScheduled)?;
			if window.starts_at < now {
				// Keep the elapsed part so the next heartbeat does not count it as downtime, but
				// never stretch a window that already ended.
				let ends_at = window.ends_at.min(now);
				m.maintenance = Some(MaintenanceWindow { starts_at: window.starts_at, ends_at });
			} else {
				m.maintenance = None;
			}
			Ok(())
		})?;
		Self::deposit_event(Event::MaintenanceEnded { machine });
		Ok(())
	}

	pub(crate) fn do_retire_machine(who: T::AccountId, machine: MachineId) -> DispatchResult {
		let m = Machines::<T>::get(machine).ok_or(Error::<T>::MachineNotFound)?;
		ensure!(m.status != MachineStatus::Retired, Error::<T>::MachineRetired);
		let collection = T::ComputeCollection::get();
		// Only the holder destroys its NFT: a provider that sold it (or lost it to a seizure)
		// cannot burn the buyer's value.
		let holder = T::Nfts::owner(&collection, &machine).ok_or(Error::<T>::MachineNotFound)?;
		ensure!(holder == who, Error::<T>::NotNftHolder);
		ensure!(m.status != MachineStatus::Leased, Error::<T>::MachineLeased);
		ensure!(!m.locks.any(), Error::<T>::NftLocked);
		ensure!(!T::Judgement::under_judgement(machine), Error::<T>::UnderJudgement);
		T::RetirementGuard::ensure_can_retire(machine)?;

		// No residue: the attributes this pallet wrote, the NFT, the machine record.
		Self::clear_spec_attributes(machine, &m.spec)?;
		if let Some(fingerprint) = FingerprintOf::<T>::take(machine) {
			T::Nfts::clear_attribute(&collection, &machine, FINGERPRINT_ATTRIBUTE.as_bytes())?;
			MachineByFingerprint::<T>::remove(&m.provider, fingerprint);
		}
		T::Nfts::burn(&collection, &machine, Some(&who))?;
		Machines::<T>::remove(machine);
		MachinesByProvider::<T>::remove(&m.provider, machine);
		Providers::<T>::mutate(&m.provider, |maybe| {
			if let Some(p) = maybe {
				p.live_machines = p.live_machines.saturating_sub(1);
			}
		});
		Self::deposit_event(Event::MachineRetired { machine });
		Ok(())
	}

	pub(crate) fn do_record_verification(
		machine: MachineId,
		approved: bool,
		by: Reviewer,
	) -> DispatchResult {
		Machines::<T>::try_mutate(machine, |maybe| -> DispatchResult {
			let m = maybe.as_mut().ok_or(Error::<T>::MachineNotFound)?;
			ensure!(
				m.status == MachineStatus::PendingVerification,
				Error::<T>::NotPendingVerification
			);
			m.status = if approved { MachineStatus::Active } else { MachineStatus::Rejected };
			m.reviewed_by = Some(by);
			Ok(())
		})?;
		if approved {
			Self::deposit_event(Event::MachineVerified { machine, by });
		} else {
			Self::deposit_event(Event::MachineRejected { machine, by });
		}
		Ok(())
	}

	pub(crate) fn do_revoke_verification(machine: MachineId, by: Reviewer) -> DispatchResult {
		Machines::<T>::try_mutate(machine, |maybe| -> DispatchResult {
			let m = maybe.as_mut().ok_or(Error::<T>::MachineNotFound)?;
			// A leased machine finishes its lease first (it is not yanked from a customer);
			// its stake already earns nothing once verification is revoked.
			ensure!(m.status == MachineStatus::Active, Error::<T>::NotVerified);
			m.status = MachineStatus::PendingVerification;
			m.reviewed_by = Some(by);
			Ok(())
		})?;
		T::VerificationJury::verification_requested(machine)?;
		Self::deposit_event(Event::VerificationRevoked { machine, by });
		Ok(())
	}

	pub(crate) fn do_set_hardware_model(
		model: ModelName,
		class: HardwareClass,
		score: u32,
	) -> DispatchResult {
		ensure!(!model.is_empty(), Error::<T>::EmptyModelName);
		ensure!(score > 0, Error::<T>::ZeroBaselineScore);
		HardwareModels::<T>::insert(&model, HardwareModel { class, score });
		Self::deposit_event(Event::HardwareModelSet { model, class, score });
		Ok(())
	}

	pub(crate) fn do_remove_hardware_model(model: ModelName) -> DispatchResult {
		ensure!(HardwareModels::<T>::contains_key(&model), Error::<T>::UnknownHardwareModel);
		HardwareModels::<T>::remove(&model);
		Self::deposit_event(Event::HardwareModelRemoved { model });
		Ok(())
	}

	/// Mutates a machine of `who` that is not retired.
	fn mutate_own_machine(
		who: &T::AccountId,
		machine: MachineId,
		f: impl FnOnce(&mut MachineOf<T>) -> DispatchResult,
	) -> DispatchResult {
		Machines::<T>::try_mutate(machine, |maybe| {
			let m = maybe.as_mut().ok_or(Error::<T>::MachineNotFound)?;
			ensure!(&m.provider == who, Error::<T>::NotMachineProvider);
			ensure!(m.status != MachineStatus::Retired, Error::<T>::MachineRetired);
			f(m)
		})
	}

	fn validate_profile(profile: &ProviderProfile) -> DispatchResult {
		ensure!(!is_blank(&profile.display_name), Error::<T>::EmptyDisplayName);
		ensure!(!is_blank(&profile.operator), Error::<T>::EmptyOperatorName);
		ensure!(!is_blank(&profile.city), Error::<T>::EmptyCity);
		ensure!(
			profile.country.iter().all(|c| c.is_ascii_uppercase()),
			Error::<T>::InvalidCountryCode
		);
		let url = profile.contact_url.as_slice();
		let has_host = |prefix: &[u8]| url.starts_with(prefix) && url.len() > prefix.len();
		ensure!(has_host(b"https://") || has_host(b"http://"), Error::<T>::InvalidContactUrl);
		ensure!(profile.encryption_key != [0u8; 32], Error::<T>::InvalidEncryptionKey);
		Ok(())
	}

	/// Checks `spec` for impossible values and computes its compute score:
	///
	/// `score = Σ gpu.count × gpu_baseline(model) + cores × cpu_core_baseline(cpu_model)
	///          + ram_gib / RAM_GIB_PER_POINT`
	///
	/// Unknown GPU models score 0 and unknown CPUs use `DefaultCpuCoreScore`, unless
	/// `RequireKnownModels` refuses them.
	pub fn validate_spec_and_score(spec: &MachineSpec) -> Result<ComputeScore, DispatchError> {
		ensure!(!is_blank(&spec.cpu_model), Error::<T>::EmptyCpuModel);
		ensure!(spec.cores > 0, Error::<T>::ZeroCores);
		ensure!(spec.cores <= T::MaxCores::get(), Error::<T>::TooManyCores);
		ensure!(spec.threads >= spec.cores, Error::<T>::ThreadsBelowCores);
		ensure!(
			spec.threads <= spec.cores.saturating_mul(MAX_THREADS_PER_CORE),
			Error::<T>::TooManyThreads
		);
		ensure!(spec.ram_gib > 0, Error::<T>::ZeroRam);
		ensure!(spec.ram_gib <= T::MaxRamGib::get(), Error::<T>::TooMuchRam);
		ensure!(spec.storage_gib > 0, Error::<T>::ZeroStorage);
		ensure!(spec.bandwidth_mbps > 0, Error::<T>::ZeroBandwidth);

		let require_known = RequireKnownModels::<T>::get();
		let mut score: ComputeScore = 0;
		for (i, gpu) in spec.gpus.iter().enumerate() {
			ensure!(!is_blank(&gpu.model), Error::<T>::EmptyGpuModel);
			ensure!(gpu.vram_gib > 0, Error::<T>::ZeroVram);
			ensure!(gpu.vram_gib <= T::MaxVramGib::get(), Error::<T>::TooMuchVram);
			ensure!(gpu.count > 0, Error::<T>::ZeroGpuCount);
			let duplicate = spec
				.gpus
				.iter()
				.skip(i + 1)
				.any(|other| other.model == gpu.model && other.vram_gib == gpu.vram_gib);
			ensure!(!duplicate, Error::<T>::DuplicateGpuEntry);
			let baseline = match HardwareModels::<T>::get(&gpu.model) {
				Some(HardwareModel { class: HardwareClass::Gpu, score }) => score,
				Some(_) => return Err(Error::<T>::WrongHardwareClass.into()),
				None if require_known => return Err(Error::<T>::UnknownGpuModel.into()),
				None => 0,
			};
			score = score.saturating_add(u64::from(gpu.count).saturating_mul(baseline.into()));
		}
		ensure!(spec.gpu_count() <= T::MaxGpusPerMachine::get(), Error::<T>::TooManyGpus);

		let core_score = match HardwareModels::<T>::get(&spec.cpu_model) {
			Some(HardwareModel { class: HardwareClass::Cpu, score }) => score,
			Some(_) => return Err(Error::<T>::WrongHardwareClass.into()),
			None if require_known => return Err(Error::<T>::UnknownCpuModel.into()),
			None => DefaultCpuCoreScore::<T>::get(),
		};
		score = score.saturating_add(u64::from(spec.cores).saturating_mul(core_score.into()));
		score = score.saturating_add(u64::from(spec.ram_gib / RAM_GIB_PER_POINT));
		Ok(score)
	}

	/// Mirrors the spec into the NFT's pallet-namespace attributes, as readable text: `cpu_model`,
	/// `cores`, `threads`, `ram_gib`, `storage_gib`, `bandwidth_mbps`, `gpu_count`, `gpu.<i>`
	/// (e.g. `4x H100 80GiB`) and `score`.
	/// Removes every attribute [`Self::write_spec_attributes`] wrote (retirement leaves no
	/// residue in pallet-nfts).
	fn clear_spec_attributes(machine: MachineId, spec: &MachineSpec) -> DispatchResult {
		use alloc::format;
		let collection = T::ComputeCollection::get();
		for key in SPEC_ATTRIBUTE_KEYS {
			T::Nfts::clear_attribute(&collection, &machine, key.as_bytes())?;
		}
		for i in 0..spec.gpus.len() {
			T::Nfts::clear_attribute(&collection, &machine, format!("gpu.{i}").as_bytes())?;
		}
		Ok(())
	}

	fn write_spec_attributes(
		machine: MachineId,
		spec: &MachineSpec,
		score: ComputeScore,
	) -> DispatchResult {
		use alloc::format;
		let collection = T::ComputeCollection::get();
		let set = |key: &str, value: &[u8]| {
			T::Nfts::set_attribute(&collection, &machine, key.as_bytes(), value)
		};
		set("cpu_model", &spec.cpu_model)?;
		set("cores", format!("{}", spec.cores).as_bytes())?;
		set("threads", format!("{}", spec.threads).as_bytes())?;
		set("ram_gib", format!("{}", spec.ram_gib).as_bytes())?;
		set("storage_gib", format!("{}", spec.storage_gib).as_bytes())?;
		set("bandwidth_mbps", format!("{}", spec.bandwidth_mbps).as_bytes())?;
		// One attribute per GPU entry keeps every value far below pallet-nfts' ValueLimit.
		set("gpu_count", format!("{}", spec.gpu_count()).as_bytes())?;
		for (i, g) in spec.gpus.iter().enumerate() {
			let value = format!(
				"{}x {} {}GiB",
				g.count,
				core::str::from_utf8(&g.model).unwrap_or("?"),
				g.vram_gib
			);
			set(&format!("gpu.{i}"), value.as_bytes())?;
		}
		set("score", format!("{score}").as_bytes())?;
		Ok(())
	}

	/// The machine's state at the current block.
	pub fn machine_state(m: &MachineOf<T>) -> MachineState {
		let now = frame_system::Pallet::<T>::block_number();
		match m.status {
			MachineStatus::PendingVerification => MachineState::PendingVerification,
			MachineStatus::Rejected => MachineState::Rejected,
			MachineStatus::Retired => MachineState::Retired,
			MachineStatus::Leased => MachineState::Leased,
			MachineStatus::Active if Self::window_covers(m, now) => MachineState::Maintenance,
			MachineStatus::Active if !Self::online_at(m, now) => MachineState::Offline,
			MachineStatus::Active => MachineState::Idle,
		}
	}

	fn online_at(m: &MachineOf<T>, now: BlockNumberFor<T>) -> bool {
		m.status != MachineStatus::Retired
			&& now.saturating_sub(m.last_heartbeat) <= T::HeartbeatTimeout::get()
	}

	fn window_covers(m: &MachineOf<T>, now: BlockNumberFor<T>) -> bool {
		m.maintenance.is_some_and(|w| w.starts_at <= now && now < w.ends_at)
	}

	/// For other pallets' benchmarks: a verified machine of `provider` (registered as a provider
	/// if needed, funded for the deposits) whose NFT `owner` holds.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn benchmark_machine(provider: &T::AccountId, owner: &T::AccountId) -> MachineId {
		use frame_support::traits::fungible::Mutate;
		if T::Nfts::collection_owner(&T::ComputeCollection::get()).is_none() {
			let plenty: BalanceOf<T> = 1_000_000_000u32.into();
			T::Currency::set_balance(
				&Self::account_id(),
				plenty.saturating_mul(1_000_000u32.into()),
			);
			Self::create_compute_collection()
				.expect("funded pallet account, no collection before it; qed");
		}
		if !Providers::<T>::contains_key(provider) {
			let text = |s: &[u8]| -> ShortText { s.to_vec().try_into().expect("short; qed") };
			let profile = ProviderProfile {
				display_name: text(b"bench"),
				operator: text(b"bench"),
				city: text(b"bench"),
				country: *b"DE",
				contact_url: b"https://bench".to_vec().try_into().expect("short; qed"),
				encryption_key: [1; 32],
			};
			Self::do_register_provider(provider.clone(), profile).expect("new provider; qed");
		}
		let spec = MachineSpec {
			cpu_model: b"bench cpu".to_vec().try_into().expect("short; qed"),
			cores: 32,
			threads: 64,
			ram_gib: 256,
			storage_gib: 1_000,
			bandwidth_mbps: 1_000,
			gpus: Default::default(),
		};
		let machine =
			Self::do_register_machine(provider.clone(), spec, provider.clone(), 1_000u32.into())
				.expect("valid machine of a funded provider; qed");
		Self::do_record_verification(machine, true, Reviewer::Governance)
			.expect("pending machine; qed");
		if owner != provider {
			T::Nfts::transfer(&T::ComputeCollection::get(), &machine, owner)
				.expect("unlocked NFT; qed");
		}
		machine
	}

	/// Checks the pallet's invariants (run by `try_state` and by the tests).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let collection = T::ComputeCollection::get();
		let mut live_by_provider = alloc::collections::BTreeMap::<T::AccountId, u32>::new();
		for (id, m) in Machines::<T>::iter() {
			ensure!(id < NextMachineId::<T>::get(), "machine id at or above NextMachineId");
			ensure!(
				m.locks.has(NftLockReason::Lease) == (m.status == MachineStatus::Leased),
				"the lease lock is held exactly while leased"
			);
			let has_nft = T::Nfts::owner(&collection, &id).is_some();
			if m.status == MachineStatus::Retired {
				ensure!(!has_nft, "a retired machine has no NFT");
				ensure!(!m.locks.any(), "a retired machine holds no locks");
				ensure!(
					!MachinesByProvider::<T>::contains_key(&m.provider, id),
					"retired machines leave the provider index"
				);
			} else {
				ensure!(has_nft, "a live machine has its NFT");
				ensure!(
					MachinesByProvider::<T>::contains_key(&m.provider, id),
					"live machines are in the provider index"
				);
				*live_by_provider.entry(m.provider.clone()).or_default() += 1;
			}
		}
		for (who, p) in Providers::<T>::iter() {
			let live = live_by_provider.remove(&who).unwrap_or(0);
			ensure!(p.live_machines == live, "provider live machine count matches");
			ensure!(
				p.live_machines <= T::MaxMachinesPerProvider::get(),
				"provider within MaxMachinesPerProvider"
			);
		}
		ensure!(live_by_provider.is_empty(), "every live machine belongs to a provider");
		ensure!(
			MachinesByProvider::<T>::iter().count()
				== Machines::<T>::iter()
					.filter(|(_, m)| m.status != MachineStatus::Retired)
					.count(),
			"provider index holds exactly the live machines"
		);
		for (provider, fingerprint, id) in MachineByFingerprint::<T>::iter() {
			ensure!(FingerprintOf::<T>::get(id) == Some(fingerprint), "fingerprint index agrees");
			ensure!(
				Machines::<T>::get(id).is_some_and(|m| m.provider == provider),
				"a fingerprint belongs to its provider's live machine"
			);
		}
		ensure!(
			FingerprintOf::<T>::iter().count() == MachineByFingerprint::<T>::iter().count(),
			"every recorded fingerprint is indexed"
		);
		Ok(())
	}
}

fn is_blank(bytes: &[u8]) -> bool {
	bytes.iter().all(|b| b.is_ascii_whitespace())
}

/// pallet-nfts asks this before any transfer, sale or burn of an item.
impl<T: Config> Locker<T::CollectionId, MachineId> for Pallet<T> {
	fn is_locked(collection: T::CollectionId, item: MachineId) -> bool {
		collection == T::ComputeCollection::get()
			&& Machines::<T>::get(item).is_some_and(|m| m.locks.any())
	}
}

impl<T: Config> ComputeInspect<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
	fn view(
		machine: MachineId,
	) -> Option<MachineView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let m = Machines::<T>::get(machine)?;
		Some(MachineView {
			state: Self::machine_state(&m),
			maintenance: m.maintenance.map(|w| (w.starts_at, w.ends_at)),
			provider: m.provider,
			operator: m.operator,
			price_per_hour: m.price_per_hour,
			score: m.score,
			last_heartbeat: m.last_heartbeat,
		})
	}
	fn spec(machine: MachineId) -> Option<MachineSpec> {
		Machines::<T>::get(machine).map(|m| m.spec)
	}
	fn score(machine: MachineId) -> Option<ComputeScore> {
		Machines::<T>::get(machine).map(|m| m.score)
	}
	fn state(machine: MachineId) -> Option<MachineState> {
		Machines::<T>::get(machine).map(|m| Self::machine_state(&m))
	}
	fn provider(machine: MachineId) -> Option<T::AccountId> {
		Machines::<T>::get(machine).map(|m| m.provider)
	}
	fn beneficiary(machine: MachineId) -> Option<T::AccountId> {
		let m = Machines::<T>::get(machine)?;
		if m.status == MachineStatus::Retired {
			return None;
		}
		// The NFT owner earns; should the NFT be gone, the provider does.
		T::Nfts::owner(&T::ComputeCollection::get(), &machine).or(Some(m.provider))
	}
	fn price_per_hour(machine: MachineId) -> Option<BalanceOf<T>> {
		Machines::<T>::get(machine).map(|m| m.price_per_hour)
	}
	fn last_heartbeat(machine: MachineId) -> Option<BlockNumberFor<T>> {
		Machines::<T>::get(machine).map(|m| m.last_heartbeat)
	}
	fn is_verified(machine: MachineId) -> bool {
		Machines::<T>::get(machine)
			.is_some_and(|m| matches!(m.status, MachineStatus::Active | MachineStatus::Leased))
	}
	fn is_online(machine: MachineId) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		Machines::<T>::get(machine).is_some_and(|m| Self::online_at(&m, now))
	}
	fn in_maintenance(machine: MachineId) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		Machines::<T>::get(machine).is_some_and(|m| Self::window_covers(&m, now))
	}
	fn uptime(machine: MachineId) -> Option<(BlockNumberFor<T>, BlockNumberFor<T>)> {
		Machines::<T>::get(machine).map(|m| (m.uptime_blocks, m.downtime_blocks))
	}
	fn lease_downtime_at(machine: MachineId, at: BlockNumberFor<T>) -> Option<BlockNumberFor<T>> {
		let m = Machines::<T>::get(machine)?;
		Some(m.lease_downtime.saturating_add(Self::lease_gap_downtime(&m, at)))
	}
	fn availability_now(
		machine: MachineId,
	) -> Option<(BlockNumberFor<T>, BlockNumberFor<T>, BlockNumberFor<T>)> {
		let m = Machines::<T>::get(machine)?;
		let now = frame_system::Pallet::<T>::block_number();
		// The gap since the last heartbeat, split as the next heartbeat will record it.
		let (up, down, maintenance) = Self::split_gap(m.last_heartbeat, now, m.maintenance);
		Some((
			m.uptime_blocks.saturating_add(up),
			m.downtime_blocks.saturating_add(down),
			m.maintenance_blocks.saturating_add(maintenance),
		))
	}
	fn maintenance(machine: MachineId) -> Option<(BlockNumberFor<T>, BlockNumberFor<T>)> {
		Machines::<T>::get(machine)?.maintenance.map(|w| (w.starts_at, w.ends_at))
	}
	fn operator(machine: MachineId) -> Option<T::AccountId> {
		Machines::<T>::get(machine).map(|m| m.operator)
	}
	fn country(machine: MachineId) -> Option<CountryCode> {
		let provider = Machines::<T>::get(machine)?.provider;
		Providers::<T>::get(provider).map(|p| p.profile.country)
	}
}

impl<T: Config> ComputeNftSeizure<T::AccountId> for Pallet<T> {
	fn seize(machine: MachineId, to: &T::AccountId) -> DispatchResult {
		Machines::<T>::try_mutate(machine, |maybe| -> DispatchResult {
			let m = maybe.as_mut().ok_or(Error::<T>::MachineNotFound)?;
			ensure!(m.status != MachineStatus::Retired, Error::<T>::MachineRetired);
			ensure!(!m.locks.has(NftLockReason::Lease), Error::<T>::MachineLeased);
			m.locks.remove(NftLockReason::Stake);
			m.locks.remove(NftLockReason::Pledge);
			Ok(())
		})?;
		T::Nfts::transfer(&T::ComputeCollection::get(), &machine, to)?;
		Self::deposit_event(Event::NftSeized { machine, to: to.clone() });
		Ok(())
	}
}

impl<T: Config> ComputeNftLocks for Pallet<T> {
	fn lock(machine: MachineId, reason: NftLockReason) -> DispatchResult {
		ensure!(reason != NftLockReason::Lease, Error::<T>::LeaseLockIsManaged);
		Machines::<T>::try_mutate(machine, |maybe| -> DispatchResult {
			let m = maybe.as_mut().ok_or(Error::<T>::MachineNotFound)?;
			ensure!(m.status != MachineStatus::Retired, Error::<T>::MachineRetired);
			ensure!(!m.locks.has(reason), Error::<T>::LockAlreadyHeld);
			m.locks.insert(reason);
			Ok(())
		})?;
		Self::deposit_event(Event::NftLocked { machine, reason });
		Ok(())
	}

	fn unlock(machine: MachineId, reason: NftLockReason) -> DispatchResult {
		ensure!(reason != NftLockReason::Lease, Error::<T>::LeaseLockIsManaged);
		Machines::<T>::try_mutate(machine, |maybe| -> DispatchResult {
			let m = maybe.as_mut().ok_or(Error::<T>::MachineNotFound)?;
			ensure!(m.locks.has(reason), Error::<T>::LockNotHeld);
			m.locks.remove(reason);
			Ok(())
		})?;
		Self::deposit_event(Event::NftUnlocked { machine, reason });
		Ok(())
	}

	fn locks(machine: MachineId) -> NftLocks {
		Machines::<T>::get(machine).map(|m| m.locks).unwrap_or_default()
	}

	fn locked_with(reason: NftLockReason) -> alloc::vec::Vec<MachineId> {
		Machines::<T>::iter().filter(|(_, m)| m.locks.has(reason)).map(|(id, _)| id).collect()
	}
}

impl<T: Config> ComputeLeasing<BlockNumberFor<T>> for Pallet<T> {
	fn mark_leased(machine: MachineId, until: BlockNumberFor<T>) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		Machines::<T>::try_mutate(machine, |maybe| -> DispatchResult {
			let m = maybe.as_mut().ok_or(Error::<T>::MachineNotFound)?;
			match m.status {
				MachineStatus::Active => {},
				MachineStatus::Leased => return Err(Error::<T>::MachineLeased.into()),
				MachineStatus::Retired => return Err(Error::<T>::MachineRetired.into()),
				_ => return Err(Error::<T>::NotVerified.into()),
			}
			ensure!(!Self::window_covers(m, now), Error::<T>::InMaintenance);
			ensure!(Self::online_at(m, now), Error::<T>::MachineOffline);
			m.status = MachineStatus::Leased;
			m.locks.insert(NftLockReason::Lease);
			m.lease_until = Some(until);
			m.lease_downtime = Zero::zero();
			Ok(())
		})?;
		Self::deposit_event(Event::MachineLeased { machine });
		Ok(())
	}

	fn mark_idle(machine: MachineId) -> DispatchResult {
		Machines::<T>::try_mutate(machine, |maybe| -> DispatchResult {
			let m = maybe.as_mut().ok_or(Error::<T>::MachineNotFound)?;
			ensure!(m.status == MachineStatus::Leased, Error::<T>::NotLeased);
			m.status = MachineStatus::Active;
			m.locks.remove(NftLockReason::Lease);
			m.lease_until = None;
			Ok(())
		})?;
		Self::deposit_event(Event::MachineReleased { machine });
		Ok(())
	}
}

impl<T: Config> MachineVerification for Pallet<T> {
	fn record_verification(machine: MachineId, approved: bool, by: Reviewer) -> DispatchResult {
		Self::do_record_verification(machine, approved, by)
	}
	fn revoke_verification(machine: MachineId, by: Reviewer) -> DispatchResult {
		Self::do_revoke_verification(machine, by)
	}
}

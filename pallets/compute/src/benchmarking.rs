//! Benchmarks of every call at its worst case (frame-benchmarking v2).

use super::*;
use crate::Pallet as Compute;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::Mutate as _, tokens::nonfungibles_v2::Inspect as _, EnsureOrigin, Get,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use powerverse_primitives::{
	GpuSpec, MachineId, MachineSpec, ModelName, Reviewer, MAX_GPU_KINDS, MAX_MODEL_NAME_LEN,
};
use sp_runtime::Saturating;

const SEED: u32 = 0;

fn full_text<const N: u32>(
	fill: u8,
) -> frame_support::BoundedVec<u8, frame_support::pallet_prelude::ConstU32<N>> {
	vec![fill; N as usize].try_into().expect("exactly N bytes; qed")
}

/// A profile with every string at its maximum length.
fn max_profile() -> ProviderProfile {
	let mut url = vec![b'a'; MAX_URL_LEN as usize];
	url[..8].copy_from_slice(b"https://");
	ProviderProfile {
		display_name: full_text::<MAX_NAME_LEN>(b'n'),
		operator: full_text::<MAX_NAME_LEN>(b'o'),
		city: full_text::<MAX_NAME_LEN>(b'c'),
		country: *b"DE",
		contact_url: url.try_into().expect("MAX_URL_LEN bytes; qed"),
		encryption_key: [9u8; 32],
	}
}

fn model(i: u8) -> ModelName {
	let mut name = vec![b'G'; MAX_MODEL_NAME_LEN as usize];
	name[0] = b'0' + i;
	name.try_into().expect("MAX_MODEL_NAME_LEN bytes; qed")
}

/// The worst-case spec: `MAX_GPU_KINDS` GPU entries with maximal names, all in the model
/// table, and a known CPU, under `RequireKnownModels`.
fn max_spec<T: Config>() -> MachineSpec {
	let cpu: ModelName = vec![b'C'; MAX_MODEL_NAME_LEN as usize].try_into().expect("fits; qed");
	HardwareModels::<T>::insert(&cpu, HardwareModel { class: HardwareClass::Cpu, score: 10 });
	let per_kind = (T::MaxGpusPerMachine::get() / MAX_GPU_KINDS).max(1);
	let gpus: vec::Vec<GpuSpec> = (0..MAX_GPU_KINDS as u8)
		.map(|i| {
			HardwareModels::<T>::insert(
				model(i),
				HardwareModel { class: HardwareClass::Gpu, score: 1_000 },
			);
			GpuSpec { model: model(i), vram_gib: T::MaxVramGib::get(), count: per_kind }
		})
		.collect();
	RequireKnownModels::<T>::put(true);
	let cores = T::MaxCores::get();
	MachineSpec {
		cpu_model: cpu,
		cores,
		threads: cores.saturating_mul(2),
		ram_gib: T::MaxRamGib::get(),
		storage_gib: u32::MAX,
		bandwidth_mbps: u32::MAX,
		gpus: gpus.try_into().expect("MAX_GPU_KINDS entries; qed"),
	}
}

/// 10^15 plancks: 1000 PEC in the runtime, far above any deposit.
fn plenty<T: Config>() -> BalanceOf<T> {
	let billion: BalanceOf<T> = 1_000_000_000u32.into();
	billion.saturating_mul(1_000_000u32.into())
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, plenty::<T>());
	who
}

fn ensure_collection<T: Config>() {
	if T::Nfts::collection_owner(&T::ComputeCollection::get()).is_none() {
		let pallet = Compute::<T>::account_id();
		T::Currency::set_balance(&pallet, plenty::<T>());
		Compute::<T>::create_compute_collection()
			.expect("funded pallet account, no collection before it; qed");
	}
}

fn provider<T: Config>() -> T::AccountId {
	ensure_collection::<T>();
	let who = funded::<T>("provider", 0);
	Compute::<T>::do_register_provider(who.clone(), max_profile()).expect("new provider; qed");
	who
}

fn machine<T: Config>(who: &T::AccountId) -> MachineId {
	Compute::<T>::do_register_machine(who.clone(), max_spec::<T>(), who.clone(), 1_000u32.into())
		.expect("valid machine; qed")
}

fn verified_machine<T: Config>(who: &T::AccountId) -> MachineId {
	let id = machine::<T>(who);
	Compute::<T>::do_record_verification(id, true, Reviewer::Governance)
		.expect("pending machine; qed");
	id
}

fn set_block<T: Config>(n: u32) {
	frame_system::Pallet::<T>::set_block_number(n.into());
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_provider() {
		let who = funded::<T>("provider", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), max_profile());
		assert!(Providers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn update_provider() {
		let who = provider::<T>();
		let mut profile = max_profile();
		profile.country = *b"SG";
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), profile.clone());
		assert_eq!(Providers::<T>::get(&who).map(|p| p.profile), Some(profile));
	}

	#[benchmark]
	fn deregister_provider() {
		let who = provider::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Providers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn register_machine() {
		let who = provider::<T>();
		let spec = max_spec::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), spec, who.clone(), 1_000u32.into());
		assert!(Machines::<T>::contains_key(0));
	}

	#[benchmark]
	fn register_fingerprinted_machine() {
		let who = provider::<T>();
		let spec = max_spec::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), spec, who.clone(), 1_000u32.into(), [7u8; 32]);
		assert_eq!(MachineByFingerprint::<T>::get(&who, [7u8; 32]), Some(0));
	}

	#[benchmark]
	fn update_price() {
		let who = provider::<T>();
		let id = machine::<T>(&who);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, 2_000u32.into());
		assert_eq!(Machines::<T>::get(id).map(|m| m.price_per_hour), Some(2_000u32.into()));
	}

	#[benchmark]
	fn set_operator() {
		let who = provider::<T>();
		let id = machine::<T>(&who);
		let operator: T::AccountId = account("operator", 1, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, operator.clone());
		assert_eq!(Machines::<T>::get(id).map(|m| m.operator), Some(operator));
	}

	#[benchmark]
	fn heartbeat() {
		let who = provider::<T>();
		let id = verified_machine::<T>(&who);
		// Worst case: a long gap that overlaps a finished maintenance window.
		let notice: u32 = T::MinMaintenanceNotice::get().try_into().unwrap_or(u32::MAX);
		Compute::<T>::do_set_maintenance(who.clone(), id, (notice + 2).into(), 10u32.into())
			.expect("valid window; qed");
		set_block::<T>(notice.saturating_add(1_000));
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id);
		assert_eq!(
			Machines::<T>::get(id).map(|m| m.last_heartbeat),
			Some(notice.saturating_add(1_000).into())
		);
	}

	#[benchmark]
	fn set_maintenance() {
		let who = provider::<T>();
		let id = verified_machine::<T>(&who);
		// Margin: the harness may move the block number between setup and the call.
		let starts_at = frame_system::Pallet::<T>::block_number()
			+ T::MinMaintenanceNotice::get()
			+ 10u32.into();
		let duration: BlockNumberFor<T> = T::MaxMaintenanceDuration::get();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, starts_at, duration);
		assert!(Machines::<T>::get(id).is_some_and(|m| m.maintenance.is_some()));
	}

	#[benchmark]
	fn end_maintenance() {
		let who = provider::<T>();
		let id = verified_machine::<T>(&who);
		let starts_at = frame_system::Pallet::<T>::block_number() + T::MinMaintenanceNotice::get();
		Compute::<T>::do_set_maintenance(who.clone(), id, starts_at, 10u32.into())
			.expect("valid window; qed");
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id);
		assert!(Machines::<T>::get(id).is_some_and(|m| m.maintenance.is_none()));
	}

	#[benchmark]
	fn retire_machine() {
		let who = provider::<T>();
		let id = verified_machine::<T>(&who);
		// Worst case: registered with a fingerprint (its index and attribute are removed too).
		Compute::<T>::record_fingerprint(&who, id, [3u8; 32]).expect("a fresh machine; qed");
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id);
		assert!(T::Nfts::owner(&T::ComputeCollection::get(), &id).is_none());
		assert!(FingerprintOf::<T>::get(id).is_none());
	}

	#[benchmark]
	fn verify_machine() -> Result<(), BenchmarkError> {
		let who = provider::<T>();
		let id = machine::<T>(&who);
		let origin =
			T::VerifierOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, true);
		assert_eq!(Machines::<T>::get(id).map(|m| m.status), Some(MachineStatus::Active));
		Ok(())
	}

	#[benchmark]
	fn set_hardware_model() -> Result<(), BenchmarkError> {
		let origin =
			T::HardwareOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, model(1), HardwareClass::Gpu, 700);
		assert!(HardwareModels::<T>::contains_key(model(1)));
		Ok(())
	}

	#[benchmark]
	fn remove_hardware_model() -> Result<(), BenchmarkError> {
		HardwareModels::<T>::insert(
			model(1),
			HardwareModel { class: HardwareClass::Gpu, score: 1 },
		);
		let origin =
			T::HardwareOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, model(1));
		assert!(!HardwareModels::<T>::contains_key(model(1)));
		Ok(())
	}

	#[benchmark]
	fn set_model_policy() -> Result<(), BenchmarkError> {
		let origin =
			T::HardwareOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, true, 7);
		assert!(RequireKnownModels::<T>::get());
		Ok(())
	}

	impl_benchmark_test_suite!(Compute, crate::mock::ExtBuilder::build(), crate::mock::Test);
}

//! Tests of the shared types.

use super::*;

#[test]
fn nft_locks_stack_and_release_independently() {
	let mut locks = NftLocks::default();
	assert!(!locks.any());
	locks.insert(NftLockReason::Lease);
	locks.insert(NftLockReason::Stake);
	assert!(locks.has(NftLockReason::Lease) && locks.has(NftLockReason::Stake));
	assert!(!locks.has(NftLockReason::Pledge));
	locks.remove(NftLockReason::Lease);
	assert!(locks.any() && !locks.has(NftLockReason::Lease));
	locks.remove(NftLockReason::Stake);
	assert!(!locks.any());
}

fn name(s: &str) -> ModelName {
	ModelName::try_from(s.as_bytes().to_vec()).unwrap()
}

fn mixed_spec() -> MachineSpec {
	MachineSpec {
		cpu_model: name("EPYC"),
		cores: 32,
		threads: 64,
		ram_gib: 256,
		storage_gib: 2000,
		bandwidth_mbps: 1000,
		gpus: vec![
			GpuSpec { model: name("H100"), vram_gib: 80, count: 4 },
			GpuSpec { model: name("RTX 4090"), vram_gib: 24, count: 2 },
		]
		.try_into()
		.unwrap(),
	}
}

#[test]
fn spec_totals_gpus_and_finds_smallest_vram() {
	let spec = mixed_spec();
	assert_eq!(spec.gpu_count(), 6);
	assert_eq!(spec.min_vram_gib(), Some(24));
}

#[test]
fn requirements_count_only_gpus_of_the_model_and_vram_asked_for() {
	let spec = mixed_spec();
	let any = JobRequirements::default();
	assert_eq!(any.check(&spec, None), Ok(()));
	let h100x4 =
		JobRequirements { min_gpus: 4, gpu_model: Some(name("H100")), ..Default::default() };
	assert_eq!(h100x4.check(&spec, None), Ok(()));
	let h100x5 = JobRequirements { min_gpus: 5, ..h100x4.clone() };
	assert_eq!(h100x5.check(&spec, None), Err(RequirementMiss::Gpus));
	// Six GPUs in all, but only four have 40 GiB or more.
	let big = JobRequirements { min_gpus: 6, min_vram_gib: 40, ..Default::default() };
	assert_eq!(big.check(&spec, None), Err(RequirementMiss::Gpus));
	let a100 = JobRequirements { gpu_model: Some(name("A100")), ..Default::default() };
	assert_eq!(a100.check(&spec, None), Err(RequirementMiss::Gpus));
	let cpu = JobRequirements { min_cores: 33, ..Default::default() };
	assert_eq!(cpu.check(&spec, None), Err(RequirementMiss::Cores));
	let ram = JobRequirements { min_ram_gib: 257, ..Default::default() };
	assert_eq!(ram.check(&spec, None), Err(RequirementMiss::Ram));
	let de = JobRequirements { region: Some(*b"DE"), ..Default::default() };
	assert_eq!(de.check(&spec, Some(*b"DE")), Ok(()));
	assert_eq!(de.check(&spec, Some(*b"US")), Err(RequirementMiss::Region));
	assert_eq!(de.check(&spec, None), Err(RequirementMiss::Region));
}

#[test]
fn retirement_guards_combine() {
	struct No;
	impl RetirementGuard for No {
		fn ensure_can_retire(_: MachineId) -> Result<(), DispatchError> {
			Err(DispatchError::Other("owed"))
		}
	}
	assert!(<((), ()) as RetirementGuard>::ensure_can_retire(1).is_ok());
	assert!(<((), No) as RetirementGuard>::ensure_can_retire(1).is_err());
	assert!(<(No, ()) as RetirementGuard>::ensure_can_retire(1).is_err());
}

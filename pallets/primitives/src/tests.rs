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

#[test]
fn spec_totals_gpus_and_finds_smallest_vram() {
	let name = |s: &str| ModelName::try_from(s.as_bytes().to_vec()).unwrap();
	let spec = MachineSpec {
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
	};
	assert_eq!(spec.gpu_count(), 6);
	assert_eq!(spec.min_vram_gib(), Some(24));
}

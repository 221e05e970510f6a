//! Mock runtime: System, Balances, Nfts (with this pallet as its `Locker`) and Compute.

use crate as pallet_compute;
use crate::HardwareClass;
use frame_support::{
	derive_impl, parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32, ConstU64},
	PalletId,
};
use frame_system::EnsureRoot;
use pallet_nfts::PalletFeatures;
use powerverse_primitives::{GpuSpec, MachineSpec, ModelName};
use sp_runtime::{
	traits::{IdentifyAccount, IdentityLookup, Verify},
	BuildStorage, MultiSignature,
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Nfts: pallet_nfts,
		Compute: pallet_compute,
	}
);

pub type Signature = MultiSignature;
pub type AccountPublic = <Signature as Verify>::Signer;
pub type AccountId = <AccountPublic as IdentifyAccount>::AccountId;
pub type Balance = u64;

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type AccountId = AccountId;
	type Lookup = IdentityLookup<Self::AccountId>;
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<1>;
}

parameter_types! {
	pub storage Features: PalletFeatures = PalletFeatures::all_enabled();
}

pub const COLLECTION_DEPOSIT: Balance = 100;
pub const ITEM_DEPOSIT: Balance = 10;

impl pallet_nfts::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type CollectionId = u32;
	type ItemId = u64;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<frame_system::EnsureNever<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Locker = Compute;
	type CollectionDeposit = ConstU64<COLLECTION_DEPOSIT>;
	type ItemDeposit = ConstU64<ITEM_DEPOSIT>;
	type MetadataDepositBase = ConstU64<1>;
	type AttributeDepositBase = ConstU64<1>;
	type DepositPerByte = ConstU64<1>;
	type StringLimit = ConstU32<256>;
	type KeyLimit = ConstU32<64>;
	type ValueLimit = ConstU32<256>;
	type ApprovalsLimit = ConstU32<10>;
	type ItemAttributesApprovalsLimit = ConstU32<10>;
	type MaxTips = ConstU32<10>;
	type MaxDeadlineDuration = ConstU64<10000>;
	type MaxAttributesPerCall = ConstU32<10>;
	type Features = Features;
	type OffchainSignature = Signature;
	type OffchainPublic = AccountPublic;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type Helper = ();
	type BlockNumberProvider = System;
}

pub const COLLECTION: u32 = 0;
pub const HEARTBEAT_TIMEOUT: u64 = 10;
pub const MIN_HEARTBEAT_INTERVAL: u64 = 2;
pub const MIN_MAINTENANCE_NOTICE: u64 = 5;
pub const MAX_MAINTENANCE: u64 = 100;
pub const MAX_MACHINES: u32 = 3;

parameter_types! {
	pub const ComputeCollection: u32 = COLLECTION;
	pub const ComputePalletId: PalletId = PalletId(*b"pv/cmpte");
}

impl pallet_compute::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type CollectionId = u32;
	type Nfts = Nfts;
	type ComputeCollection = ComputeCollection;
	type PalletId = ComputePalletId;
	type HardwareOrigin = EnsureRoot<AccountId>;
	type VerifierOrigin = EnsureRoot<AccountId>;
	type RetirementGuard = ();
	type MaxMachinesPerProvider = ConstU32<MAX_MACHINES>;
	type HeartbeatTimeout = ConstU64<HEARTBEAT_TIMEOUT>;
	type MinHeartbeatInterval = ConstU64<MIN_HEARTBEAT_INTERVAL>;
	type MinMaintenanceNotice = ConstU64<MIN_MAINTENANCE_NOTICE>;
	type MaxMaintenanceDuration = ConstU64<MAX_MAINTENANCE>;
	type MaxCores = ConstU32<512>;
	type MaxRamGib = ConstU32<16384>;
	type MaxVramGib = ConstU32<192>;
	type MaxGpusPerMachine = ConstU32<16>;
	type WeightInfo = ();
}

pub fn account(n: u8) -> AccountId {
	AccountId::new([n; 32])
}
pub fn alice() -> AccountId {
	account(1)
}
pub fn bob() -> AccountId {
	account(2)
}
pub fn charlie() -> AccountId {
	account(3)
}
/// Funded with nothing.
pub fn pauper() -> AccountId {
	account(99)
}

pub const ENDOWMENT: Balance = 1_000_000;

pub fn name(s: &str) -> ModelName {
	ModelName::try_from(s.as_bytes().to_vec()).expect("short name")
}

pub fn profile() -> crate::ProviderProfile {
	crate::ProviderProfile {
		display_name: b"Frankfurt GPU Co".to_vec().try_into().unwrap(),
		operator: b"Hetzner".to_vec().try_into().unwrap(),
		city: b"Frankfurt".to_vec().try_into().unwrap(),
		country: *b"DE",
		contact_url: b"https://gpu.example.com".to_vec().try_into().unwrap(),
		encryption_key: [7u8; 32],
	}
}

/// 4x H100 80 GiB + 2x RTX 4090 24 GiB on a 64-core EPYC with 512 GiB RAM.
pub fn gpu_spec() -> MachineSpec {
	MachineSpec {
		cpu_model: name("AMD EPYC 9654"),
		cores: 64,
		threads: 128,
		ram_gib: 512,
		storage_gib: 8000,
		bandwidth_mbps: 10_000,
		gpus: vec![
			GpuSpec { model: name("H100"), vram_gib: 80, count: 4 },
			GpuSpec { model: name("RTX 4090"), vram_gib: 24, count: 2 },
		]
		.try_into()
		.unwrap(),
	}
}

/// 4·1000 + 2·330 + 64·8 + 512/4.
pub const GPU_SPEC_SCORE: u64 = 4 * 1000 + 2 * 330 + 64 * 8 + 512 / 4;

pub fn cpu_only_spec() -> MachineSpec {
	MachineSpec {
		cpu_model: name("Intel Xeon"),
		cores: 16,
		threads: 32,
		ram_gib: 64,
		storage_gib: 1000,
		bandwidth_mbps: 1000,
		gpus: Default::default(),
	}
}

pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut balances: Vec<(AccountId, Balance)> =
			(1..=10u8).map(|n| (account(n), ENDOWMENT)).collect();
		balances.push((crate::Pallet::<Test>::account_id(), COLLECTION_DEPOSIT + 1));
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_compute::GenesisConfig::<Test> {
			hardware_models: vec![
				(b"H100".to_vec(), HardwareClass::Gpu, 1000),
				(b"A100".to_vec(), HardwareClass::Gpu, 600),
				(b"RTX 4090".to_vec(), HardwareClass::Gpu, 330),
				(b"AMD EPYC 9654".to_vec(), HardwareClass::Cpu, 8),
			],
			default_cpu_core_score: 4,
			require_known_models: false,
			create_collection: true,
			_config: Default::default(),
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's invariants and that no PEC was created or
	/// destroyed.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			let issuance = pallet_balances::TotalIssuance::<Test>::get();
			test();
			check_invariants(issuance);
		})
	}
}

pub fn check_invariants(issuance: Balance) {
	crate::Pallet::<Test>::do_try_state().expect("compute invariants hold");
	assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance, "PEC is conserved");
	let sum: Balance = frame_system::Account::<Test>::iter()
		.map(|(_, info)| info.data.free + info.data.reserved)
		.sum();
	assert_eq!(sum, issuance, "balances add up to the total issuance");
}

pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

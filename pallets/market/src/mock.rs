//! Mock runtime: System, Balances and Market, with an in-memory compute registry, collateral,
//! slashing, tiers and jury standing in for the other pallets behind the primitives traits.

use crate as pallet_market;
use crate::MarketParams;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, ConstU8},
};
use frame_system::EnsureRoot;
use powerverse_primitives::{
	ComputeInspect, ComputeLeasing, ComputeScore, CountryCode, CustomerBenefits, DisputeJury,
	GpuSpec, LeaseId, MachineCollateral, MachineId, MachineSlashing, MachineSpec, MachineState,
	ModelName, PriorityLevel, SlashOutcome, SlashReason,
};
use sp_runtime::{BuildStorage, DispatchError, DispatchResult, Perbill};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Market: pallet_market,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<1>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// Blocks a machine may go without a heartbeat and still be online.
pub const HEARTBEAT_TIMEOUT: u64 = 5;
/// Blocks per hour in the mock (prices are per hour).
pub const HOUR: u64 = 10;
pub const GRACE: u64 = 8;
pub const CHALLENGE: u64 = 20;
pub const MAX_OPEN_PER_LEVEL: u32 = 4;
pub const MAX_JOBS_PER_CUSTOMER: u32 = 3;
pub const MAX_LEASES_PER_MACHINE: u32 = 2;
pub const MAX_OFFERS: u32 = 3;

/// A machine of the in-memory registry.
#[derive(Clone, Debug)]
pub struct MockMachine {
	pub provider: AccountId,
	pub operator: AccountId,
	pub owner: AccountId,
	pub spec: MachineSpec,
	pub price: Balance,
	pub country: CountryCode,
	pub verified: bool,
	pub retired: bool,
	pub last_heartbeat: u64,
	pub collateralized: bool,
}

/// A recorded slash.
#[derive(Clone, Debug, PartialEq)]
pub struct SlashCall {
	pub machine: MachineId,
	pub fraction: Perbill,
	pub reason: SlashReason,
	pub harmed: Option<(AccountId, Balance)>,
	pub reporter: Option<AccountId>,
	pub jurors: Vec<AccountId>,
}

thread_local! {
	pub static MACHINES: RefCell<BTreeMap<MachineId, MockMachine>> = RefCell::new(BTreeMap::new());
	pub static SLASHES: RefCell<Vec<SlashCall>> = RefCell::new(Vec::new());
	pub static TIERS: RefCell<BTreeMap<AccountId, (PriorityLevel, Perbill)>> = RefCell::new(BTreeMap::new());
	pub static DISPUTES: RefCell<Vec<LeaseId>> = RefCell::new(Vec::new());
}

pub fn model(name: &str) -> ModelName {
	ModelName::try_from(name.as_bytes().to_vec()).expect("short name")
}

/// A 32-core, 256 GiB machine with `gpus` H100s of 80 GiB.
pub fn h100_spec(gpus: u32) -> MachineSpec {
	MachineSpec {
		cpu_model: model("EPYC 9654"),
		cores: 32,
		threads: 64,
		ram_gib: 256,
		storage_gib: 4_000,
		bandwidth_mbps: 10_000,
		gpus: if gpus == 0 {
			Default::default()
		} else {
			vec![GpuSpec { model: model("H100"), vram_gib: 80, count: gpus }].try_into().unwrap()
		},
	}
}

/// Adds a verified, online, collateralized machine with `gpus` H100s at `price` per hour.
pub fn add_machine(id: MachineId, provider: AccountId, gpus: u32, price: Balance) {
	let now = System::block_number();
	MACHINES.with(|m| {
		m.borrow_mut().insert(
			id,
			MockMachine {
				provider,
				operator: OPERATOR,
				owner: provider,
				spec: h100_spec(gpus),
				price,
				country: *b"DE",
				verified: true,
				retired: false,
				last_heartbeat: now,
				collateralized: true,
			},
		)
	});
}

pub fn with_machine<R>(id: MachineId, f: impl FnOnce(&mut MockMachine) -> R) -> R {
	MACHINES.with(|m| f(m.borrow_mut().get_mut(&id).expect("mock machine exists")))
}

fn get(id: MachineId) -> Option<MockMachine> {
	MACHINES.with(|m| m.borrow().get(&id).cloned()).filter(|m| !m.retired)
}

/// Whether the machine is leased. Kept in storage (not in the thread-local registry) so a
/// failed call's rollback covers it, as it covers pallet-compute's storage in the runtime.
pub fn is_leased(id: MachineId) -> bool {
	frame_support::storage::unhashed::get_or_default(&leased_key(id))
}

fn set_leased(id: MachineId, leased: bool) {
	frame_support::storage::unhashed::put(&leased_key(id), &leased);
}

fn leased_key(id: MachineId) -> Vec<u8> {
	let mut key = b"mock/leased/".to_vec();
	key.extend_from_slice(&id.to_le_bytes());
	key
}

pub fn heartbeat(id: MachineId) {
	let now = System::block_number();
	with_machine(id, |m| m.last_heartbeat = now);
}

pub fn set_tier(who: AccountId, priority: PriorityLevel, discount: Perbill) {
	TIERS.with(|t| t.borrow_mut().insert(who, (priority, discount)));
}

pub fn slashes() -> Vec<SlashCall> {
	SLASHES.with(|s| s.borrow().clone())
}

pub fn disputes() -> Vec<LeaseId> {
	DISPUTES.with(|d| d.borrow().clone())
}

pub struct MockCompute;

impl ComputeInspect<AccountId, Balance, u64> for MockCompute {
	fn spec(id: MachineId) -> Option<MachineSpec> {
		get(id).map(|m| m.spec)
	}
	fn score(id: MachineId) -> Option<ComputeScore> {
		get(id).map(|m| u64::from(m.spec.gpu_count()) * 1_000)
	}
	fn state(id: MachineId) -> Option<MachineState> {
		let m = MACHINES.with(|m| m.borrow().get(&id).cloned())?;
		Some(if m.retired {
			MachineState::Retired
		} else if !m.verified {
			MachineState::PendingVerification
		} else if is_leased(id) {
			MachineState::Leased
		} else if !Self::is_online(id) {
			MachineState::Offline
		} else {
			MachineState::Idle
		})
	}
	fn provider(id: MachineId) -> Option<AccountId> {
		get(id).map(|m| m.provider)
	}
	fn beneficiary(id: MachineId) -> Option<AccountId> {
		get(id).map(|m| m.owner)
	}
	fn price_per_hour(id: MachineId) -> Option<Balance> {
		get(id).map(|m| m.price)
	}
	fn last_heartbeat(id: MachineId) -> Option<u64> {
		get(id).map(|m| m.last_heartbeat)
	}
	fn is_verified(id: MachineId) -> bool {
		get(id).is_some_and(|m| m.verified)
	}
	fn is_online(id: MachineId) -> bool {
		get(id).is_some_and(|m| System::block_number() <= m.last_heartbeat + HEARTBEAT_TIMEOUT)
	}
	fn in_maintenance(_: MachineId) -> bool {
		false
	}
	fn uptime(_: MachineId) -> Option<(u64, u64)> {
		None
	}
	fn operator(id: MachineId) -> Option<AccountId> {
		get(id).map(|m| m.operator)
	}
	fn country(id: MachineId) -> Option<CountryCode> {
		get(id).map(|m| m.country)
	}
}

impl ComputeLeasing for MockCompute {
	fn mark_leased(id: MachineId) -> DispatchResult {
		get(id).ok_or(DispatchError::Other("no machine"))?;
		if is_leased(id) {
			return Err(DispatchError::Other("already leased"));
		}
		set_leased(id, true);
		Ok(())
	}
	fn mark_idle(id: MachineId) -> DispatchResult {
		get(id).ok_or(DispatchError::Other("no machine"))?;
		if !is_leased(id) {
			return Err(DispatchError::Other("not leased"));
		}
		set_leased(id, false);
		Ok(())
	}
}

impl MachineCollateral<Balance> for MockCompute {
	fn effective_collateral(_: MachineId) -> Balance {
		0
	}
	fn minimum_collateral(_: MachineId) -> Balance {
		0
	}
	fn is_sufficiently_collateralized(id: MachineId) -> bool {
		get(id).is_some_and(|m| m.collateralized)
	}
}

/// Records slashes; reports `fraction × 1000` as slashed without moving PEC (the staking
/// pallet's own tests cover the payout).
impl MachineSlashing<AccountId, Balance> for MockCompute {
	fn slash(
		machine: MachineId,
		fraction: Perbill,
		reason: SlashReason,
		harmed: Option<(AccountId, Balance)>,
		reporter: Option<AccountId>,
		jurors: &[AccountId],
	) -> Result<SlashOutcome<Balance>, DispatchError> {
		SLASHES.with(|s| {
			s.borrow_mut().push(SlashCall {
				machine,
				fraction,
				reason,
				harmed,
				reporter,
				jurors: jurors.to_vec(),
			})
		});
		Ok(SlashOutcome { slashed: fraction * 1_000u64, ..Default::default() })
	}
}

impl CustomerBenefits<AccountId> for MockCompute {
	fn priority(who: &AccountId) -> PriorityLevel {
		TIERS.with(|t| t.borrow().get(who).map(|t| t.0).unwrap_or(0))
	}
	fn fee_discount(who: &AccountId) -> Perbill {
		TIERS.with(|t| t.borrow().get(who).map(|t| t.1).unwrap_or_default())
	}
}

impl DisputeJury<AccountId> for MockCompute {
	fn dispute_opened(lease: LeaseId, _: &AccountId, _: &AccountId) -> DispatchResult {
		DISPUTES.with(|d| d.borrow_mut().push(lease));
		Ok(())
	}
}

pub const TREASURY: AccountId = 1000;

parameter_types! {
	pub const Treasury: AccountId = TREASURY;
}

impl pallet_market::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Balance = Balance;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Compute = MockCompute;
	type Collateral = MockCompute;
	type Slashing = MockCompute;
	type Benefits = MockCompute;
	type Jury = MockCompute;
	type TreasuryAccount = Treasury;
	type AdminOrigin = EnsureRoot<AccountId>;
	type DisputeOrigin = EnsureRoot<AccountId>;
	type BlocksPerHour = ConstU64<HOUR>;
	type MaxHours = ConstU32<100>;
	type MaxJobSpecLen = ConstU32<32>;
	type MaxPriorityLevel = ConstU8<3>;
	type MaxOpenJobsPerLevel = ConstU32<MAX_OPEN_PER_LEVEL>;
	type MaxJobsPerCustomer = ConstU32<MAX_JOBS_PER_CUSTOMER>;
	type MaxLeasesPerCustomer = ConstU32<3>;
	type MaxLeasesPerMachine = ConstU32<MAX_LEASES_PER_MACHINE>;
	type MaxOffers = ConstU32<MAX_OFFERS>;
	type OfflineGracePeriod = ConstU64<GRACE>;
	type ChallengePeriod = ConstU64<CHALLENGE>;
	type MaxJurors = ConstU32<5>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockCompute;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockCompute {
	fn machine(provider: &AccountId, owner: &AccountId) -> MachineId {
		let id = MACHINES.with(|m| m.borrow().len() as MachineId);
		add_machine(id, *provider, 8, 10);
		with_machine(id, |m| {
			m.owner = *owner;
			m.operator = *provider;
		});
		id
	}
	fn heartbeat(machine: MachineId) {
		heartbeat(machine);
	}
}

pub const PROVIDER: AccountId = 1;
pub const OWNER: AccountId = 2;
pub const CUSTOMER: AccountId = 3;
pub const OPERATOR: AccountId = 4;
pub const STRANGER: AccountId = 5;
pub const POOR: AccountId = 6;
pub const ENDOWMENT: Balance = 1_000_000;

/// 10% protocol fee, 20% offline slash.
pub fn params() -> MarketParams {
	MarketParams {
		protocol_fee: Perbill::from_percent(10),
		offline_slash: Perbill::from_percent(20),
	}
}

pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> sp_io::TestExternalities {
		MACHINES.with(|m| m.borrow_mut().clear());
		SLASHES.with(|s| s.borrow_mut().clear());
		TIERS.with(|t| t.borrow_mut().clear());
		DISPUTES.with(|d| d.borrow_mut().clear());
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: vec![
				(PROVIDER, ENDOWMENT),
				(OWNER, ENDOWMENT),
				(CUSTOMER, ENDOWMENT),
				(OPERATOR, ENDOWMENT),
				(STRANGER, ENDOWMENT),
				(POOR, 100),
				(TREASURY, ENDOWMENT),
			],
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_market::GenesisConfig::<Test> { params: params(), _phantom: Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the invariants: escrow sums (`try_state`) and PEC conserved
	/// (the market never mints or burns).
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			let issuance = pallet_balances::TotalIssuance::<Test>::get();
			test();
			check_invariants(issuance);
		})
	}
}

pub fn check_invariants(issuance_at_start: Balance) {
	crate::Pallet::<Test>::do_try_state().expect("market invariants hold");
	assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance_at_start, "PEC conserved");
	let accounts: Balance = [PROVIDER, OWNER, CUSTOMER, OPERATOR, STRANGER, POOR, TREASURY]
		.iter()
		.map(|a| Balances::total_balance(a))
		.sum();
	assert_eq!(accounts, issuance_at_start, "every planck is in some account");
}

pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

use frame_support::traits::fungible::Inspect as _;

//! Mock runtime: System, Balances and ComputeStaking, with an in-memory compute registry
//! standing in for pallet-compute behind the primitives traits.

use crate as pallet_compute_staking;
use crate::StakingParams;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use powerverse_primitives::{
	ComputeInspect, ComputeNftLocks, ComputeNftSeizure, ComputeScore, MachineId, MachineSpec,
	MachineState, NftLockReason, NftLocks,
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
		Staking: pallet_compute_staking,
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

/// A machine of the in-memory registry.
#[derive(Clone, Debug)]
pub struct MockMachine {
	pub provider: AccountId,
	pub owner: AccountId,
	pub score: ComputeScore,
	pub state: MachineState,
	pub online: bool,
	pub uptime: (u64, u64),
	pub locks: NftLocks,
}

thread_local! {
	pub static MACHINES: RefCell<BTreeMap<MachineId, MockMachine>> = RefCell::new(BTreeMap::new());
}

pub fn add_machine(id: MachineId, provider: AccountId, score: ComputeScore) {
	MACHINES.with(|m| {
		m.borrow_mut().insert(
			id,
			MockMachine {
				provider,
				owner: provider,
				score,
				state: MachineState::Idle,
				online: true,
				uptime: (0, 0),
				locks: NftLocks::default(),
			},
		)
	});
}

pub fn with_machine<R>(id: MachineId, f: impl FnOnce(&mut MockMachine) -> R) -> R {
	MACHINES.with(|m| f(m.borrow_mut().get_mut(&id).expect("mock machine exists")))
}

pub struct MockCompute;

impl ComputeInspect<AccountId, Balance, u64> for MockCompute {
	fn spec(_: MachineId) -> Option<MachineSpec> {
		None
	}
	fn score(id: MachineId) -> Option<ComputeScore> {
		MACHINES.with(|m| m.borrow().get(&id).map(|m| m.score))
	}
	fn state(id: MachineId) -> Option<MachineState> {
		MACHINES.with(|m| m.borrow().get(&id).map(|m| m.state))
	}
	fn provider(id: MachineId) -> Option<AccountId> {
		MACHINES.with(|m| m.borrow().get(&id).map(|m| m.provider))
	}
	fn beneficiary(id: MachineId) -> Option<AccountId> {
		MACHINES.with(|m| m.borrow().get(&id).map(|m| m.owner))
	}
	fn price_per_hour(_: MachineId) -> Option<Balance> {
		None
	}
	fn last_heartbeat(_: MachineId) -> Option<u64> {
		None
	}
	fn is_verified(id: MachineId) -> bool {
		Self::state(id).is_some_and(|s| {
			!matches!(
				s,
				MachineState::PendingVerification | MachineState::Rejected | MachineState::Retired
			)
		})
	}
	fn is_online(id: MachineId) -> bool {
		MACHINES.with(|m| m.borrow().get(&id).is_some_and(|m| m.online))
	}
	fn in_maintenance(_: MachineId) -> bool {
		false
	}
	fn uptime(id: MachineId) -> Option<(u64, u64)> {
		MACHINES.with(|m| m.borrow().get(&id).map(|m| m.uptime))
	}
	fn operator(id: MachineId) -> Option<AccountId> {
		Self::provider(id)
	}
	fn country(_: MachineId) -> Option<powerverse_primitives::CountryCode> {
		None
	}
}

impl ComputeNftLocks for MockCompute {
	fn lock(id: MachineId, reason: NftLockReason) -> DispatchResult {
		MACHINES.with(|m| {
			let mut m = m.borrow_mut();
			let m = m.get_mut(&id).ok_or(DispatchError::Other("no machine"))?;
			if m.locks.has(reason) {
				return Err(DispatchError::Other("lock held"));
			}
			m.locks.insert(reason);
			Ok(())
		})
	}
	fn unlock(id: MachineId, reason: NftLockReason) -> DispatchResult {
		MACHINES.with(|m| {
			let mut m = m.borrow_mut();
			let m = m.get_mut(&id).ok_or(DispatchError::Other("no machine"))?;
			if !m.locks.has(reason) {
				return Err(DispatchError::Other("lock not held"));
			}
			m.locks.remove(reason);
			Ok(())
		})
	}
	fn locks(id: MachineId) -> NftLocks {
		MACHINES.with(|m| m.borrow().get(&id).map(|m| m.locks).unwrap_or_default())
	}
}

impl ComputeNftSeizure<AccountId> for MockCompute {
	fn seize(id: MachineId, to: &AccountId) -> DispatchResult {
		with_machine(id, |m| {
			m.locks.remove(NftLockReason::Stake);
			m.locks.remove(NftLockReason::Pledge);
			m.owner = *to;
		});
		Ok(())
	}
}

pub const TREASURY: AccountId = 1000;
pub const ERA: u64 = 10;
pub const MAX_CHUNKS: u32 = 3;

parameter_types! {
	pub const Treasury: AccountId = TREASURY;
}

impl pallet_compute_staking::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Balance = Balance;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Compute = MockCompute;
	type TreasuryAccount = Treasury;
	type AdminOrigin = EnsureRoot<AccountId>;
	type SlashOrigin = EnsureRoot<AccountId>;
	type EraLength = ConstU64<ERA>;
	type MaxUnbondingChunks = ConstU32<MAX_CHUNKS>;
	type MaxJurors = ConstU32<5>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockCompute;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockCompute {
	fn machine(provider: &AccountId, owner: &AccountId) -> MachineId {
		let id = MACHINES.with(|m| m.borrow().len() as MachineId);
		add_machine(id, *provider, 5_000);
		with_machine(id, |m| m.owner = *owner);
		id
	}
	fn set_leased(machine: MachineId, leased: bool) {
		with_machine(machine, |m| {
			m.state = if leased { MachineState::Leased } else { MachineState::Idle }
		});
	}
	fn heartbeat(machine: MachineId) {
		with_machine(machine, |m| m.uptime.0 += 100);
	}
}

pub const PROVIDER: AccountId = 1;
pub const OWNER: AccountId = 2;
pub const RENTER: AccountId = 3;
pub const REPORTER: AccountId = 4;
pub const ENDOWMENT: Balance = 1_000_000;
pub const ERA_REWARD: Balance = 10_000;

pub fn params() -> StakingParams<Balance, u64> {
	StakingParams {
		min_collateral_base: 100,
		min_collateral_per_point: 1,
		unbonding_delay: 20,
		unstake_cooldown: 5,
		era_reward: ERA_REWARD,
		pledge_value_per_point: 2,
		pledge_haircut: Perbill::from_percent(50),
		reporter_share: Perbill::from_percent(10),
		juror_share: Perbill::from_percent(10),
	}
}

pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> sp_io::TestExternalities {
		MACHINES.with(|m| m.borrow_mut().clear());
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: vec![
				(PROVIDER, ENDOWMENT),
				(OWNER, ENDOWMENT),
				(RENTER, ENDOWMENT),
				(TREASURY, ENDOWMENT),
			],
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_compute_staking::GenesisConfig::<Test> { params: params() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the invariants: collateral held == sum of bonds, pool shares,
	/// and total issuance changed only by minted rewards.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			let issuance = pallet_balances::TotalIssuance::<Test>::get();
			test();
			check_invariants(issuance);
		})
	}
}

pub fn check_invariants(issuance_at_start: Balance) {
	crate::Pallet::<Test>::do_try_state().expect("staking invariants hold");
	assert_eq!(
		pallet_balances::TotalIssuance::<Test>::get(),
		issuance_at_start + crate::TotalRewardsMinted::<Test>::get(),
		"issuance changes only by minted rewards"
	);
}

pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

impl MockCompute {
	pub fn locks_of(id: MachineId) -> NftLocks {
		<Self as ComputeNftLocks>::locks(id)
	}
	pub fn beneficiary_of(id: MachineId) -> AccountId {
		with_machine(id, |m| m.owner)
	}
}

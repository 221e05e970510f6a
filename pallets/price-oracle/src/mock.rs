//! System and this pallet over a pool whose reserves the tests set (the oracle's only seam is
//! `PoolReserves`; the runtime's tests read the real pallet-asset-conversion pool).

use crate as pallet_price_oracle;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, weights::Weight};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;
use std::cell::RefCell;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Oracle: pallet_price_oracle,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

thread_local! {
	static RESERVES: RefCell<Option<(u128, u128)>> = const { RefCell::new(None) };
}

/// Sets the pool of asset 1: `pec` plancks against `stable` units (`None`: no pool).
pub fn set_pool(reserves: Option<(u128, u128)>) {
	RESERVES.with(|r| *r.borrow_mut() = reserves);
}

pub struct Pool;
impl powerverse_primitives::PoolReserves<u32, u128> for Pool {
	fn reserves(asset: &u32) -> Option<(u128, u128)> {
		if *asset == STABLE {
			RESERVES.with(|r| *r.borrow())
		} else {
			None
		}
	}
	fn weight() -> Weight {
		Weight::zero()
	}
}

pub const STABLE: u32 = 1;
pub const PEC: u128 = 1_000_000_000_000;
pub const WINDOW: u64 = 100;
pub const STALENESS: u64 = 50;

parameter_types! {
	pub const Window: u64 = WINDOW;
	pub const MaxStaleness: u64 = STALENESS;
	pub const MinLiquidity: u128 = 1_000 * PEC;
	pub const PecUnit: u128 = PEC;
	pub const MaxChange: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(2);
}

impl pallet_price_oracle::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Balance = u128;
	type AssetId = u32;
	type Pools = Pool;
	type AdminOrigin = EnsureRoot<u64>;
	type Window = Window;
	type Checkpoints = ConstU32<10>;
	type MaxStaleness = MaxStaleness;
	type MinLiquidity = MinLiquidity;
	type MaxChangePerBlock = MaxChange;
	type PecUnit = PecUnit;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = PoolHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct PoolHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_price_oracle::BenchmarkHelper<u32> for PoolHelper {
	fn pool() -> u32 {
		set_pool(Some((10_000 * PEC, 20_000 * 1_000_000)));
		STABLE
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	set_pool(None);
	let t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs the oracle's hook for every block up to `n`.
pub fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Oracle::on_initialize(next);
	}
}

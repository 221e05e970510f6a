//! A test runtime of System, Balances, the real pallet-session and this pallet as its session
//! manager, with `u64` accounts and `UintAuthorityId` session keys.

use crate as pallet_validators;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use sp_runtime::{
	testing::UintAuthorityId,
	traits::{ConvertInto, OpaqueKeys},
	BuildStorage, KeyTypeId,
};
use std::cell::RefCell;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Validators: pallet_validators,
		Session: pallet_session,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	/// The authorities pallet-session last handed to the consensus engines.
	pub static AUTHORITIES: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

pub struct TestSessionHandler;
impl pallet_session::SessionHandler<u64> for TestSessionHandler {
	const KEY_TYPE_IDS: &'static [KeyTypeId] = &[sp_runtime::key_types::DUMMY];
	fn on_genesis_session<K: OpaqueKeys>(validators: &[(u64, K)]) {
		AUTHORITIES.with(|a| *a.borrow_mut() = validators.iter().map(|v| v.0).collect());
	}
	fn on_new_session<K: OpaqueKeys>(_: bool, validators: &[(u64, K)], _: &[(u64, K)]) {
		AUTHORITIES.with(|a| *a.borrow_mut() = validators.iter().map(|v| v.0).collect());
	}
	fn on_disabled(_: u32) {}
}

pub fn authorities() -> Vec<u64> {
	AUTHORITIES.with(|a| a.borrow().clone())
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = u64;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Validators;
	type NextSessionRotation = Validators;
	type SessionManager = Validators;
	type SessionHandler = TestSessionHandler;
	type Keys = UintAuthorityId;
	type DisablingStrategy = ();
	type WeightInfo = ();
	type Currency = Balances;
	/// A deposit, as on the chain: registering keys holds it (the session benchmarks run that).
	type KeyDeposit = ConstU64<5>;
}

parameter_types! {
	pub const MinSession: u64 = 5;
	pub const TreasuryAccount: u64 = 99;
}

impl pallet_validators::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Balance = u64;
	type RuntimeHoldReason = RuntimeHoldReason;
	type KeysRegistered = Session;
	type AdminOrigin = EnsureRoot<u64>;
	type TreasuryAccount = TreasuryAccount;
	type MaxValidators = ConstU32<5>;
	type MinValidators = ConstU32<2>;
	type MaxCandidates = ConstU32<2>;
	type MinSessionLength = MinSession;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = KeysHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct KeysHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_validators::BenchmarkHelper<u64> for KeysHelper {
	fn register_keys(who: &u64) {
		pallet_session::Pallet::<Test>::set_keys(
			RuntimeOrigin::signed(*who),
			UintAuthorityId(*who),
			vec![],
		)
		.expect("keys of a funded account");
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::session_benchmarking::Config for Test {
	/// Fresh keys on every call, as `author_rotateKeys` makes them.
	fn generate_session_keys_and_proof(_owner: u64) -> (UintAuthorityId, Vec<u8>) {
		thread_local!(static NEXT: RefCell<u64> = const { RefCell::new(1_000) });
		let id = NEXT.with(|n| {
			*n.borrow_mut() += 1;
			*n.borrow()
		});
		(UintAuthorityId(id), Vec::new())
	}
}

pub const BOND: u64 = 1_000;
pub const SESSION: u64 = 10;
pub const BOND_DELAY: u64 = 30;
/// Accounts 1–3 validate from genesis; 4, 5 and 6 have session keys but do not validate; 7
/// has no keys; 8 has keys and too little PEC for the bond.
pub const GENESIS: [u64; 3] = [1, 2, 3];

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=7).map(|a| (a, 10_000)).chain([(8, 500), (99, 1)]).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_validators::GenesisConfig::<Test> {
		validators: GENESIS.to_vec(),
		params: pallet_validators::ValidatorParams {
			bond: BOND,
			session_length: SESSION,
			bond_delay: BOND_DELAY,
		},
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let keys = |a: u64| (a, a, UintAuthorityId(a));
	pallet_session::GenesisConfig::<Test> {
		keys: GENESIS.iter().map(|a| keys(*a)).collect(),
		non_authority_keys: [4, 5, 6, 8].iter().map(|a| keys(*a)).collect(),
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to `n`, with pallet-session's hook rotating sessions as in a chain.
pub fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Session::on_initialize(next);
	}
}

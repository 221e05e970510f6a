use frame_support::traits::{tokens::imbalance::ResolveTo, ConstU128, ConstU32, VariantCountOf};

use crate::{
	Balance, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, System,
	EXISTENTIAL_DEPOSIT,
};

/// $PEC. PowerVerse pallets hold collateral and escrow with fungible holds (one
/// `RuntimeHoldReason` per purpose); pallet-nfts still takes its storage deposits as reserves.
impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	/// Dust of reaped accounts goes to the treasury: total issuance moves only by the rewards
	/// staking mints (runtime test `dust_goes_to_the_treasury`).
	type DustRemoval = ResolveTo<super::transaction_payment::TreasuryAccount, crate::Balances>;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

//! The treasury (pallet-treasury on the account every fee, protocol fee and slash remainder
//! already goes to). It spends only what a `treasurer` (or root) referendum approves; nothing
//! is burned.

use frame_support::{
	parameter_types,
	traits::{
		tokens::{pay::PayFromAccount, UnityAssetBalanceConversion},
		EitherOfDiverse,
	},
};
use frame_system::EnsureRoot;
use sp_runtime::{traits::AccountIdLookup, Permill};

use super::{
	governance::{Scaled, Treasurer, TreasurySpender},
	transaction_payment::{TreasuryAccount, TreasuryPalletId},
};
use crate::{AccountId, Balances, Runtime, RuntimeEvent, System, DAYS};

parameter_types! {
	pub const Burn: Permill = Permill::zero();
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = EitherOfDiverse<EnsureRoot<AccountId>, Treasurer>;
	type RuntimeEvent = RuntimeEvent;
	/// Approved spends are paid out each week (the `spend` path pays on claim at once).
	type SpendPeriod = Scaled<{ 7 * DAYS }>;
	type Burn = Burn;
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = frame_support::traits::ConstU32<100>;
	type SpendOrigin = TreasurySpender;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = AccountIdLookup<AccountId, ()>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	/// An approved spend must be claimed within 30 days.
	type PayoutPeriod = Scaled<{ 30 * DAYS }>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type BlockNumberProvider = System;
}

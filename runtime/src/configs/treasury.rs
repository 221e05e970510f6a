//! The treasury (pallet-treasury on the account every fee, protocol fee and slash remainder
//! already goes to). It spends only what a `treasurer` (or root) referendum approves; nothing
//! is burned.

use frame_support::{
	parameter_types,
	traits::{
		tokens::{pay::PayFromAccount, Pay, PaymentStatus, UnityAssetBalanceConversion},
		EitherOfDiverse,
	},
};
use frame_system::EnsureRoot;
use sp_runtime::{traits::AccountIdLookup, DispatchError, Permill};

use super::{
	governance::{Scaled, Treasurer, TreasurySpender},
	transaction_payment::{TreasuryAccount, TreasuryPalletId},
};
use crate::{AccountId, Balance, Balances, Runtime, RuntimeEvent, System, DAYS};

parameter_types! {
	pub const Burn: Permill = Permill::zero();
}

/// Pays approved spends from the treasury account, exactly as `PayFromAccount` (a transfer that
/// may empty the pot). Its benchmark preparation also gives the beneficiary the existential
/// deposit: pallet-treasury's `payout` and `check_status` benchmarks pay 100 planck to a fresh
/// account, below PEC's existential deposit, which a real transfer refuses (`PayoutError`).
pub struct TreasuryPaymaster;
type FromTreasury = PayFromAccount<Balances, TreasuryAccount>;

impl Pay for TreasuryPaymaster {
	type Balance = Balance;
	type Beneficiary = AccountId;
	type AssetKind = ();
	type Id = ();
	type Error = DispatchError;
	fn pay(who: &AccountId, asset_kind: (), amount: Balance) -> Result<(), DispatchError> {
		FromTreasury::pay(who, asset_kind, amount)
	}
	fn check_payment(id: ()) -> PaymentStatus {
		FromTreasury::check_payment(id)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn ensure_successful(who: &AccountId, asset_kind: (), amount: Balance) {
		use frame_support::traits::fungible::{Inspect, Mutate};
		FromTreasury::ensure_successful(who, asset_kind, amount);
		let needed = <Balances as Inspect<_>>::minimum_balance();
		if <Balances as Inspect<_>>::balance(who) < needed
			&& <Balances as Mutate<_>>::mint_into(who, needed).is_err()
		{
			frame_support::defensive!(
				"benchmark: could not give the beneficiary the existential deposit"
			);
		}
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn ensure_concluded(id: ()) {
		FromTreasury::ensure_concluded(id)
	}
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
	type WeightInfo = crate::weights::pallet_treasury::WeightInfo<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = frame_support::traits::ConstU32<100>;
	type SpendOrigin = TreasurySpender;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = AccountIdLookup<AccountId, ()>;
	type Paymaster = TreasuryPaymaster;
	type BalanceConverter = UnityAssetBalanceConversion;
	/// An approved spend must be claimed within 30 days.
	type PayoutPeriod = Scaled<{ 30 * DAYS }>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type BlockNumberProvider = System;
}

use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU8},
	weights::ConstantMultiplier,
	PalletId,
};
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use sp_runtime::{traits::AccountIdConversion, FixedPointNumber, Perquintill};

use crate::{AccountId, Balance, Balances, Runtime, RuntimeEvent, MICRO_PEC};

parameter_types! {
	/// The PowerVerse treasury. Transaction fees go here (nothing is burned), and later protocol
	/// fees and slashes. Governance spends from it.
	pub const TreasuryPalletId: PalletId = PalletId(*b"pv/trsry");
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();

	/// One micro-PEC per byte of extrinsic.
	pub const TransactionByteFee: Balance = MICRO_PEC;

	/// Fee multiplier: Polkadot's slow-adjusting fee. Blocks fuller than 25% raise fees, emptier
	/// ones lower them, within [MinimumMultiplier, MaximumMultiplier].
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 1_000_000);
	pub MinimumMultiplier: Multiplier = Multiplier::saturating_from_rational(1, 10u128);
	pub MaximumMultiplier: Multiplier = Multiplier::saturating_from_integer(100);
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees (and tips) are paid in PEC and credited to the treasury account.
	type OnChargeTransaction = FungibleAdapter<Balances, ResolveTo<TreasuryAccount, Balances>>;
	type OperationalFeeMultiplier = ConstU8<5>;
	/// One planck per unit of ref-time weight: a full second of execution costs 1 PEC, a PEC
	/// transfer a few ten-thousandths of a PEC.
	type WeightToFee = frame_support::weights::IdentityFee<Balance>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = TargetedFeeAdjustment<
		Self,
		TargetBlockFullness,
		AdjustmentVariable,
		MinimumMultiplier,
		MaximumMultiplier,
	>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

/// pallet-transaction-payment's benchmark of its `ChargeTransactionPayment` extension. The
/// runtime charges fees through pallet-asset-conversion-tx-payment (PEC or an asset), whose
/// measured weights price the extension actually used; this pallet's `WeightInfo` is not
/// consulted by this runtime's extensions, and is measured here so nothing stock is left unpriced.
#[cfg(feature = "runtime-benchmarks")]
impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

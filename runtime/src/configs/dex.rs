//! The on-chain DEX: stock pallet-assets (the stable asset, created by governance), pallet-assets
//! again for the pools' LP tokens, pallet-asset-conversion with PEC as the native side
//! (`NativeOrWithId`), and our price oracle over the PEC/stable pool.

// `ord_parameter_types!` expands to `vec!`, which a no_std crate must import.
use alloc::vec;
use frame_support::{
	ord_parameter_types, parameter_types,
	traits::{
		fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
		tokens::imbalance::ResolveAssetTo,
		AsEnsureOriginWithArg, ConstU128, ConstU32,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureNever, EnsureSignedBy};
use pallet_asset_conversion::{AccountIdConverter, Ascending, Chain, WithFirstAsset};
use pallet_asset_conversion_tx_payment::SwapAssetAdapter;
use sp_runtime::{traits::AccountIdConversion, Perbill, Permill};

use super::{
	governance::{ParamsOrigin, ScaledAtLeast},
	transaction_payment::TreasuryAccount,
};
use crate::{
	AccountId, AssetConversion, Assets, Balance, Balances, PoolAssets, Runtime, RuntimeEvent,
	HOURS, MINUTES, PEC,
};

/// An asset id of pallet-assets.
pub type AssetId = u32;
/// PEC or an asset, as the DEX names them.
pub type AssetKind = NativeOrWithId<AssetId>;

parameter_types! {
	/// 100 PEC to create an asset (governance creates the stable asset with `forceCreate`).
	pub const AssetDeposit: Balance = 100 * PEC;
	pub const AssetAccountDeposit: Balance = PEC / 100;
	pub const ApprovalDeposit: Balance = PEC / 100;
	pub const MetadataDepositBase: Balance = PEC;
	pub const MetadataDepositPerByte: Balance = PEC / 100;
}

/// Assets on the chain; the stable asset PEC trades against is one of them.
impl pallet_assets::Config<pallet_assets::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = AssetId;
	type AssetIdParameter = codec::Compact<AssetId>;
	type ReserveData = ();
	type Currency = Balances;
	/// Only governance creates assets (`forceCreate` on the parameters track or root).
	type CreateOrigin = AsEnsureOriginWithArg<EnsureNever<AccountId>>;
	type ForceOrigin = ParamsOrigin;
	type AssetDeposit = AssetDeposit;
	type AssetAccountDeposit = AssetAccountDeposit;
	type MetadataDepositBase = MetadataDepositBase;
	type MetadataDepositPerByte = MetadataDepositPerByte;
	type ApprovalDeposit = ApprovalDeposit;
	type StringLimit = ConstU32<50>;
	type Holder = ();
	type Freezer = ();
	type Extra = ();
	type WeightInfo = crate::weights::pallet_assets::WeightInfo<Runtime>;
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

parameter_types! {
	pub const AssetConversionPalletId: PalletId = PalletId(*b"py/ascon");
	pub const Native: AssetKind = NativeOrWithId::Native;
	/// 0.3% of every swap to the liquidity providers (governance may set a pool's own fee, up to
	/// 10%, with `assetConversion.setPoolFee`).
	pub const LpFee: Permill = Permill::from_parts(3_000);
	pub const MaxSwapFee: Permill = Permill::from_percent(10);
	pub const LiquidityWithdrawalFee: Permill = Permill::zero();
}

ord_parameter_types! {
	pub const AssetConversionOrigin: AccountId =
		AccountIdConversion::<AccountId>::into_account_truncating(&AssetConversionPalletId::get());
}

/// LP tokens of the pools: created by pallet-asset-conversion only.
impl pallet_assets::Config<pallet_assets::Instance2> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = AssetId;
	type AssetIdParameter = codec::Compact<AssetId>;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSignedBy<AssetConversionOrigin, AccountId>>;
	type ForceOrigin = frame_system::EnsureRoot<AccountId>;
	type AssetDeposit = ConstU128<0>;
	/// An LP-token account or approval a user creates (`touch`, `approveTransfer`) holds the
	/// same deposits as the stable asset's: storage is never free.
	type AssetAccountDeposit = AssetAccountDeposit;
	type MetadataDepositBase = ConstU128<0>;
	type MetadataDepositPerByte = ConstU128<0>;
	type ApprovalDeposit = ApprovalDeposit;
	type StringLimit = ConstU32<50>;
	type Holder = ();
	type Freezer = ();
	type Extra = ();
	type WeightInfo = crate::weights::pallet_assets::WeightInfo<Runtime>;
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

pub type NativeAndAssets = UnionOf<Balances, Assets, NativeFromLeft, AssetKind, AccountId>;
pub type PoolIdToAccountId = AccountIdConverter<AssetConversionPalletId, (AssetKind, AssetKind)>;

impl pallet_asset_conversion::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type HigherPrecisionBalance = sp_core::U256;
	type AssetKind = AssetKind;
	type Assets = NativeAndAssets;
	type PoolId = (AssetKind, AssetKind);
	type PoolLocator = Chain<
		WithFirstAsset<Native, AccountId, AssetKind, PoolIdToAccountId>,
		Ascending<AccountId, AssetKind, PoolIdToAccountId>,
	>;
	type PoolAssetId = AssetId;
	type PoolAssets = PoolAssets;
	/// 10 PEC to create a pool, to the treasury (a pool is a storage item anyone may add).
	type PoolSetupFee = ConstU128<{ 10 * PEC }>;
	type PoolSetupFeeAsset = Native;
	type PoolSetupFeeTarget = ResolveAssetTo<TreasuryAccount, NativeAndAssets>;
	type PalletId = AssetConversionPalletId;
	type WeightInfo = crate::weights::pallet_asset_conversion::WeightInfo<Runtime>;
	type LPFee = LpFee;
	type AdminOrigin = ParamsOrigin;
	type MaxSwapFee = MaxSwapFee;
	type LiquidityWithdrawalFee = LiquidityWithdrawalFee;
	type MaxSwapPathLength = ConstU32<3>;
	/// LP tokens minted to nobody on a pool's first liquidity (PEC has 12 decimals).
	type MintMinLiquidity = ConstU128<100>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_asset_conversion::NativeOrWithIdFactory<AssetId>;
}

/// The reserves of the pool of PEC against an asset, for the oracle.
pub struct DexPools;
impl powerverse_primitives::PoolReserves<AssetId, Balance> for DexPools {
	fn reserves(asset: &AssetId) -> Option<(Balance, Balance)> {
		AssetConversion::get_reserves(NativeOrWithId::Native, NativeOrWithId::WithId(*asset)).ok()
	}
	fn weight() -> Weight {
		// The pool record and the pool account's two balances.
		<Runtime as frame_system::Config>::DbWeight::get().reads(3)
	}
}

parameter_types! {
	/// A pool with less than 10,000 PEC is not observed.
	pub const OracleMinLiquidity: Balance = 10_000 * PEC;
	pub const PecUnit: Balance = PEC;
	pub const OracleMaxChange: Perbill = Perbill::from_percent(2);
}

impl pallet_price_oracle::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type AssetId = AssetId;
	type Pools = DexPools;
	type AdminOrigin = ParamsOrigin;
	/// The average covers an hour (on test networks the hour divided by their time divisor, but
	/// at least 24 blocks: a dev chain has a price 12 blocks after its pool is deep enough).
	type Window = ScaledAtLeast<HOURS, 24>;
	/// One checkpoint every 5 minutes.
	type Checkpoints = ConstU32<12>;
	/// Stale after 10 minutes without a pool holding `MinLiquidity` (test networks: scaled,
	/// at least 10 blocks).
	type MaxStaleness = ScaledAtLeast<{ 10 * MINUTES }, 10>;
	type MinLiquidity = OracleMinLiquidity;
	/// The recorded price moves at most 2% a block: a one-block push of the pool adds at most
	/// 2% / 600 to the hour's average; a real move of 2× shows fully within 35 blocks.
	type MaxChangePerBlock = OracleMaxChange;
	type PecUnit = PecUnit;
	type WeightInfo = pallet_price_oracle::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchPool;
}

/// The fee payment of `ChargeAssetTxPayment`: a transaction may name an asset (the stable asset)
/// to pay its fee in; the fee is swapped to PEC through the asset's pool with PEC and credited to
/// the treasury like any other fee (tips too). No pool, or one too thin, and the transaction is
/// invalid (`Payment`) and never enters a block. A fee the call did not use is swapped back when
/// it can be (a refund too small to quote stays with the treasury).
impl pallet_asset_conversion_tx_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AssetId = AssetKind;
	type OnChargeAssetTransaction = SwapAssetAdapter<
		Native,
		NativeAndAssets,
		AssetConversion,
		ResolveAssetTo<TreasuryAccount, NativeAndAssets>,
	>;
	type WeightInfo = crate::weights::pallet_asset_conversion_tx_payment::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchPool;
}

/// Pools for the benchmarks (oracle, fee payment): asset `asset` (created by root unless a
/// preset already has it) with 1,000,000 PEC of it minted, in a pool of 100,000 PEC against
/// 200,000 units.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchPool;
#[cfg(feature = "runtime-benchmarks")]
impl BenchPool {
	fn make(asset: AssetId) {
		use crate::RuntimeOrigin;
		use alloc::boxed::Box;
		use frame_support::traits::{
			fungible::Mutate as _,
			fungibles::{Inspect, Mutate},
		};
		let owner: AccountId = frame_benchmarking::account("pool", 0, 0);
		let signed = || RuntimeOrigin::signed(owner.clone());
		Balances::mint_into(&owner, 1_000_000 * PEC).expect("benchmark funds; qed");
		if !<Assets as Inspect<AccountId>>::asset_exists(asset) {
			Assets::force_create(
				RuntimeOrigin::root(),
				asset.into(),
				owner.clone().into(),
				true,
				1,
			)
			.expect("a new asset; qed");
		}
		<Assets as Mutate<AccountId>>::mint_into(asset, &owner, 1_000_000 * PEC)
			.expect("the asset exists; qed");
		let (native, stable) =
			(Box::new(NativeOrWithId::Native), Box::new(NativeOrWithId::WithId(asset)));
		if AssetConversion::get_reserves(NativeOrWithId::Native, NativeOrWithId::WithId(asset))
			.is_err()
		{
			AssetConversion::create_pool(signed(), native.clone(), stable.clone())
				.expect("a new pool; qed");
		}
		AssetConversion::add_liquidity(
			signed(),
			native,
			stable,
			100_000 * PEC,
			200_000 * PEC,
			1,
			1,
			owner.clone(),
		)
		.expect("funded; qed");
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_price_oracle::BenchmarkHelper<AssetId> for BenchPool {
	fn pool() -> AssetId {
		Self::make(1);
		1
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_asset_conversion_tx_payment::BenchmarkHelperTrait<AccountId, AssetKind, AssetKind>
	for BenchPool
{
	fn create_asset_id_parameter(id: u32) -> (AssetKind, AssetKind) {
		(NativeOrWithId::WithId(id), NativeOrWithId::WithId(id))
	}

	fn setup_balances_and_pool(asset: AssetKind, account: AccountId) {
		use frame_support::traits::{fungible::Mutate as _, fungibles::Mutate};
		let NativeOrWithId::WithId(id) = asset else { return };
		Self::make(id);
		Balances::mint_into(&account, 1_000 * PEC).expect("benchmark funds; qed");
		<Assets as Mutate<AccountId>>::mint_into(id, &account, 1_000 * PEC)
			.expect("the asset exists; qed");
	}
}

use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use pallet_nfts::PalletFeatures;
use sp_runtime::traits::Verify;

use crate::{
	deposit, AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeEvent, Signature, System,
	DAYS,
};

/// Collection ids. The "PowerVerse Compute" collection of compute-power NFTs is collection 0.
pub type ComputeCollectionId = u32;
/// Item ids: for compute NFTs the item id is the machine id.
pub type NftItemId = u64;

parameter_types! {
	pub const CollectionDeposit: Balance = deposit(1, 0) * 100;
	pub const ItemDeposit: Balance = deposit(1, 0) / 10;
	pub const MetadataDepositBase: Balance = deposit(1, 129);
	pub const AttributeDepositBase: Balance = deposit(1, 0) / 10;
	pub const DepositPerByte: Balance = deposit(0, 1);
	pub const MaxDeadlineDuration: BlockNumber = 12 * 30 * DAYS;
	pub Features: PalletFeatures = PalletFeatures::all_enabled();
}

/// Compute-power NFTs. Nobody can create a collection with a signed origin (`create` is refused
/// by the call filter and by `CreateOrigin`): the compute collection is created at genesis and
/// further collections need Root (`force_create`).
/// Trading (`set_price`/`buy_item`), transfers and approvals work as in stock pallet-nfts; the
/// compute pallet's `Locker` stops leased, staked or pledged NFTs from moving, and the runtime's
/// call filter stops owners from burning a compute NFT outside `retire_machine`.
impl pallet_nfts::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type CollectionId = ComputeCollectionId;
	type ItemId = NftItemId;
	type Currency = Balances;
	type ForceOrigin = EnsureRoot<AccountId>;
	type CreateOrigin = frame_system::EnsureNever<AccountId>;
	/// A leased, staked or pledged compute NFT cannot move or burn.
	type Locker = crate::Compute;
	type CollectionDeposit = CollectionDeposit;
	type ItemDeposit = ItemDeposit;
	type MetadataDepositBase = MetadataDepositBase;
	type AttributeDepositBase = AttributeDepositBase;
	type DepositPerByte = DepositPerByte;
	type StringLimit = ConstU32<256>;
	type KeyLimit = ConstU32<64>;
	type ValueLimit = ConstU32<256>;
	type ApprovalsLimit = ConstU32<20>;
	type ItemAttributesApprovalsLimit = ConstU32<30>;
	type MaxTips = ConstU32<10>;
	type MaxDeadlineDuration = MaxDeadlineDuration;
	type MaxAttributesPerCall = ConstU32<16>;
	type Features = Features;
	type OffchainSignature = Signature;
	type OffchainPublic = <Signature as Verify>::Signer;
	#[cfg(feature = "runtime-benchmarks")]
	type Helper = ();
	/// Measured on this runtime with collection 0 (see `BENCHMARK_PRESET`): transfers and burns
	/// include the compute pallet's lock check. `create` weighs nothing: the runtime's call filter
	/// refuses it before the pallet runs (`ComputeNftCallFilter`).
	type WeightInfo = crate::weights::pallet_nfts::WeightInfo<Runtime>;
	type BlockNumberProvider = System;
}

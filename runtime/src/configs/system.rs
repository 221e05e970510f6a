use frame_support::dispatch::DispatchClass;
use frame_support::{
	derive_impl, parameter_types,
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use sp_runtime::Perbill;
use sp_version::RuntimeVersion;

use crate::{
	AccountId, Balance, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, RuntimeTask, SS58_PREFIX, VERSION,
};

/// Share of a block's weight and length that normal (user) transactions may fill; the rest is
/// reserved for operational ones.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Two seconds of execution per block: a third of the 6 s slot, leaving time to import and
/// gossip.
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX);
/// Maximum block size in bytes.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	/// Block hashes kept for `CheckEra` mortality: four hours of blocks.
	pub const BlockHashCount: BlockNumber = 4 * crate::HOURS;
	pub const Version: RuntimeVersion = VERSION;
	/// The base weights of a block and of an extrinsic are this runtime's own measurements
	/// (`runtime/src/weights/{block,extrinsic}_weights.rs`, `benchmark overhead` + 10%).
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(crate::weights::block_weights::BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = crate::weights::extrinsic_weights::ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			weights.reserved =
				Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(frame_support::dispatch::DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores state in ParityDB (RocksDB is not built): a read and a write cost what
	/// `benchmark storage` measured on a state of 100,000 accounts (99th percentile + 10%,
	/// `runtime/src/weights/paritydb_weights.rs`).
	type DbWeight = crate::weights::paritydb_weights::constants::ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = frame_support::traits::ConstU32<16>;
	/// Compute NFTs are burned only by `retire_machine`.
	type BaseCallFilter = ComputeNftCallFilter;
	/// The prelude's `()` weights price storage for RocksDB; these price it with `DbWeight`.
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
}

/// Refuses pallet-nfts `burn` of a compute NFT: a machine's NFT disappears only when the compute
/// pallet retires the machine (which checks nothing is owed on it). Refuses pallet-nfts `create`
/// too: no signed origin may create a collection (`CreateOrigin` is `EnsureNever`; Root uses
/// `force_create`), and refusing it here stops it before the pallet reads anything, which is what
/// its zero weight assumes (Root's dispatches skip the filter: privileged, they pay one read
/// more). Every other call passes.
pub struct ComputeNftCallFilter;

impl frame_support::traits::Contains<crate::RuntimeCall> for ComputeNftCallFilter {
	fn contains(call: &crate::RuntimeCall) -> bool {
		!matches!(
			call,
			crate::RuntimeCall::Nfts(pallet_nfts::Call::burn { collection, .. })
				if *collection == super::ComputeCollection::get()
		) && !matches!(call, crate::RuntimeCall::Nfts(pallet_nfts::Call::create { .. }))
	}
}

//! # PowerVerse runtime
//!
//! The state-transition function of PowerVerse Chain: $PEC (pallet-balances), fees in PEC
//! (pallet-transaction-payment), Aura block production, GRANDPA finality, compute-power NFTs
//! (pallet-nfts) and, as they land, the PowerVerse pallets of the compute marketplace.
//!
//! Every pallet's configuration lives in its own file under [`configs`]; runtime APIs live in
//! [`apis`]; genesis presets (`development`, `local_testnet`) in [`genesis_config_presets`].
#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`-style macros expand to deep types.
#![recursion_limit = "256"]

#[cfg(all(feature = "std", not(feature = "try-runtime")))]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));
// A try-runtime build's wasm has its own name (see build.rs).
#[cfg(all(feature = "std", feature = "try-runtime"))]
include!(concat!(env!("OUT_DIR"), "/powerverse_runtime.try-runtime"));

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod migrations;
mod powerverse_api;
#[cfg(test)]
mod tests;
pub mod weights;

extern crate alloc;

use alloc::vec::Vec;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types: what the node needs to know about blocks without knowing the runtime's
/// extrinsic format, so it keeps syncing across runtime upgrades.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The keys a validator registers: Aura for authoring, GRANDPA for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. Bump `spec_version` on every runtime upgrade and
/// `transaction_version` whenever call indices or extrinsic formats change.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("powerverse"),
	impl_name: alloc::borrow::Cow::Borrowed("powerverse-node"),
	authoring_version: 1,
	spec_version: 102,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// Time. Block time is ONE constant; every duration expressed in blocks derives from it.
pub mod time {
	use super::BlockNumber;

	/// Target block time in milliseconds. Aura slots have this length. Changing it on a live
	/// chain needs a coordinated migration of the slot duration; on a new chain it is free.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6_000;
	/// Aura slot duration (one block per slot).
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

	/// Blocks per minute, hour and day at [`MILLI_SECS_PER_BLOCK`].
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	pub const HOURS: BlockNumber = MINUTES * 60;
	pub const DAYS: BlockNumber = HOURS * 24;
}
pub use time::*;

/// $PEC, the native token. 12 decimals: 1 PEC = 10^12 plancks.
pub mod currency {
	use super::Balance;

	/// Number of decimals of $PEC, reported as `tokenDecimals` in the chain properties.
	pub const DECIMALS: u8 = 12;
	/// Ticker reported as `tokenSymbol`.
	pub const SYMBOL: &str = "PEC";
	/// One PEC in plancks.
	pub const PEC: Balance = 1_000_000_000_000;
	/// 0.001 PEC.
	pub const MILLI_PEC: Balance = PEC / 1_000;
	/// 0.000001 PEC.
	pub const MICRO_PEC: Balance = PEC / 1_000_000;
	/// Existential deposit: 0.01 PEC. Accounts below it are reaped; it keeps dust accounts
	/// from bloating state while costing well under one cent of a compute-hour.
	pub const EXISTENTIAL_DEPOSIT: Balance = 10 * MILLI_PEC;

	/// Storage deposit: a base per item plus a price per byte, used for NFT deposits.
	pub const fn deposit(items: u32, bytes: u32) -> Balance {
		(items as Balance) * 100 * MILLI_PEC + (bytes as Balance) * 100 * MICRO_PEC
	}
}
pub use currency::*;

/// SS58 address format reported as `ss58Format`. 42 is the generic Substrate prefix, so dev
/// keys, subkey and polkadot.js show the familiar `5...` addresses.
pub const SS58_PREFIX: u16 = 42;

/// Alias to 512-bit hash when used in the context of a transaction signature on the chain.
pub type Signature = MultiSignature;
/// An account: the public key of the signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account, in plancks.
pub type Balance = u128;
/// Index of a transaction in the chain.
pub type Nonce = u32;
/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;
/// An index to a block.
pub type BlockNumber = u32;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A Block signed with a Justification.
pub type SignedBlock = generic::SignedBlock<Block>;
/// BlockId type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions every signed extrinsic carries.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_tiers::CheckEarlyAccess<Runtime>,
	pallet_asset_conversion_tx_payment::ChargeAssetTxPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations run on runtime upgrade: the market's guarded by its storage version (it runs once,
/// when the on-chain version is the one it upgrades from), the collection counter's by its own
/// condition (it writes once, on chains started before spec 102).
type Migrations =
	(pallet_market::migrations::v2::MigrateToV2<Runtime>, migrations::AdvanceNextCollectionId);

/// Executive: dispatches to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	// The validator set before the session pallet, and both before the consensus pallets, so
	// the genesis bonds exist when the first set is planned and a new set reaches Aura and
	// GRANDPA in the block its session starts.
	#[runtime::pallet_index(7)]
	pub type Validators = pallet_validators;

	#[runtime::pallet_index(8)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	/// The development preset's key only; no other network has one (docs/governance.md).
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(10)]
	pub type Nfts = pallet_nfts;

	#[runtime::pallet_index(20)]
	pub type Compute = pallet_compute;

	#[runtime::pallet_index(21)]
	pub type ComputeStaking = pallet_compute_staking;

	#[runtime::pallet_index(22)]
	pub type Market = pallet_market;

	#[runtime::pallet_index(23)]
	pub type Supervisors = pallet_supervisors;

	#[runtime::pallet_index(24)]
	pub type Tiers = pallet_tiers;

	// PEC-holder governance (configs/governance.rs, configs/treasury.rs).
	#[runtime::pallet_index(30)]
	pub type Preimage = pallet_preimage;

	#[runtime::pallet_index(31)]
	pub type Scheduler = pallet_scheduler;

	#[runtime::pallet_index(32)]
	pub type Referenda = pallet_referenda;

	#[runtime::pallet_index(33)]
	pub type ConvictionVoting = pallet_conviction_voting;

	#[runtime::pallet_index(34)]
	pub type Origins = configs::governance::origins;

	#[runtime::pallet_index(35)]
	pub type Treasury = pallet_treasury;

	// The DEX (configs/dex.rs).
	#[runtime::pallet_index(40)]
	pub type Assets = pallet_assets<Instance1>;

	#[runtime::pallet_index(41)]
	pub type PoolAssets = pallet_assets<Instance2>;

	#[runtime::pallet_index(42)]
	pub type AssetConversion = pallet_asset_conversion;

	#[runtime::pallet_index(43)]
	pub type PriceOracle = pallet_price_oracle;

	#[runtime::pallet_index(44)]
	pub type AssetTxPayment = pallet_asset_conversion_tx_payment;
}

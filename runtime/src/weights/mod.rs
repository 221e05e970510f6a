//! Weights this runtime measures (see `scripts/benchmark.sh`): the base weights of a block and of an
//! extrinsic (`benchmark overhead`), ParityDB's read/write cost (`benchmark storage`), and stock
//! pallets whose shipped weights do not fit it. PowerVerse pallets keep theirs in `pallets/<name>/src/weights.rs`.

pub mod block_weights;
pub mod extrinsic_weights;
// Generated with doc comments on struct-expression fields.
#[allow(unused_doc_comments)]
pub mod paritydb_weights;

pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_asset_conversion;
pub mod pallet_asset_conversion_tx_payment;
pub mod pallet_assets;
pub mod pallet_balances;
pub mod pallet_conviction_voting;
pub mod pallet_grandpa;
pub mod pallet_nfts;
pub mod pallet_preimage;
pub mod pallet_referenda;
pub mod pallet_scheduler;
pub mod pallet_session;
pub mod pallet_sudo;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_treasury;

//! Weights this runtime generates for stock pallets whose own weights do not fit it (see
//! `scripts/benchmark.sh`). PowerVerse pallets keep theirs in `pallets/<name>/src/weights.rs`.

pub mod pallet_asset_conversion;
pub mod pallet_asset_conversion_tx_payment;
pub mod pallet_assets;
pub mod pallet_grandpa;

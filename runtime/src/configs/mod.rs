//! Pallet configurations, one file per pallet.

mod aura;
mod balances;
mod compute;
pub(crate) mod compute_staking;
pub mod dex;
pub mod governance;
mod grandpa;
pub(crate) mod market;
mod nfts;
mod session;
mod sudo;
mod supervisors;
mod system;
mod tiers;
mod timestamp;
mod transaction_payment;
mod treasury;

pub use compute::{ComputeCollection, ComputePalletId};
pub use compute_staking::EraLength;
pub use dex::{AssetId, AssetKind};
pub use grandpa::GrandpaWeight;
pub use market::{ChallengePeriod, OfflineGracePeriod};
pub use nfts::{ComputeCollectionId, NftItemId};
pub use system::{BlockHashCount, RuntimeBlockWeights};
pub use transaction_payment::TreasuryAccount;

//! Pallet configurations, one file per pallet.

mod aura;
mod balances;
mod compute;
pub(crate) mod compute_staking;
mod grandpa;
pub(crate) mod market;
mod nfts;
mod sudo;
mod supervisors;
mod system;
mod timestamp;
mod transaction_payment;

pub use compute::{ComputeCollection, ComputePalletId};
pub use compute_staking::EraLength;
pub use grandpa::GrandpaWeight;
pub use market::{ChallengePeriod, OfflineGracePeriod};
pub use nfts::{ComputeCollectionId, NftItemId};
pub use system::{BlockHashCount, RuntimeBlockWeights};
pub use transaction_payment::TreasuryAccount;

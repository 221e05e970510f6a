//! Pallet configurations, one file per pallet.

mod aura;
mod balances;
mod compute;
mod grandpa;
mod nfts;
mod sudo;
mod system;
mod timestamp;
mod transaction_payment;

pub use compute::{ComputeCollection, ComputePalletId};
pub use nfts::{ComputeCollectionId, NftItemId};
pub use system::{BlockHashCount, RuntimeBlockWeights};
pub use transaction_payment::TreasuryAccount;

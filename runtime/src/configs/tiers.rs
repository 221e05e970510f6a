//! Loyalty tiers: PEC frozen for a term; the market reads the benefits (`Benefits = Tiers`).

use frame_support::traits::ConstU32;

use super::governance::ParamsOrigin;
use crate::{Balance, Balances, Runtime, RuntimeEvent, RuntimeFreezeReason};

impl pallet_tiers::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Balance = Balance;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type AdminOrigin = ParamsOrigin;
	/// Calls gated at once (each check is one storage read per transaction).
	type MaxGates = ConstU32<16>;
	type WeightInfo = pallet_tiers::weights::SubstrateWeight<Runtime>;
}

//! Loyalty tiers: PEC frozen for a term; the market reads the benefits (`Benefits = Tiers`).

use frame_support::traits::{ConstU32, Contains};
use pallet_tiers::Name;

use super::governance::{ParamsOrigin, Scaled};
use crate::{Balance, Balances, Runtime, RuntimeEvent, RuntimeFreezeReason, DAYS};

/// The calls governance may reserve for a tier: the customer's ways into the market. A runtime
/// upgrade that adds a feature adds its entry calls here; nothing that protects a holder's PEC
/// (votes, heartbeats, jury duty, claims, unlocking, transfers) is ever gateable.
pub struct GateableCalls;
impl Contains<(Name, Name)> for GateableCalls {
	fn contains((pallet, call): &(Name, Name)) -> bool {
		matches!(
			(pallet.as_slice(), call.as_slice()),
			(b"Market", b"post_job") | (b"Market", b"rent_machine")
		)
	}
}

#[cfg(feature = "runtime-benchmarks")]
frame_support::parameter_types! {
	pub BenchmarkGate: (Name, Name) = (
		b"Market".to_vec().try_into().expect("short; qed"),
		b"rent_machine".to_vec().try_into().expect("short; qed"),
	);
}

impl pallet_tiers::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Balance = Balance;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type AdminOrigin = ParamsOrigin;
	/// Calls gated at once (each check is one storage read per transaction).
	type MaxGates = ConstU32<16>;
	type Gateable = GateableCalls;
	/// A gate lasts at most 90 days.
	type MaxGateDuration = Scaled<{ 90 * DAYS }>;
	type WeightInfo = pallet_tiers::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkGate = BenchmarkGate;
}

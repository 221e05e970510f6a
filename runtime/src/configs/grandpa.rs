use frame_support::{
	traits::{ConstU32, ConstU64},
	weights::Weight,
};

use super::aura::MaxAuthorities;
use crate::{
	weights::pallet_grandpa::{SubstrateWeight as Measured, WeightInfo as _},
	Runtime, RuntimeEvent,
};

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = GrandpaWeight;
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	/// No session/historical pallet yet, so equivocations cannot be proven on chain.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

/// GRANDPA's call weights from this runtime's own benchmarks (`runtime/src/weights/pallet_grandpa.rs`,
/// priced with ParityDB), instead of the pallet's `()` weights, which assume RocksDB.
pub struct GrandpaWeight;

impl pallet_grandpa::WeightInfo for GrandpaWeight {
	/// With `KeyOwnerProof = Void` no `report_equivocation` call can be decoded, so this weight is
	/// never charged; it is the measured proof check, the part of the call that exists without a
	/// session pallet. Membership-proof and offence costs join it when that pallet does.
	fn report_equivocation(_validator_count: u32, _max_nominators_per_validator: u32) -> Weight {
		Measured::<Runtime>::check_equivocation_proof(1)
	}

	fn note_stalled() -> Weight {
		Measured::<Runtime>::note_stalled()
	}
}

use frame_support::traits::{ConstU32, ConstU64};

use super::aura::MaxAuthorities;
use crate::{Runtime, RuntimeEvent};

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// pallet-grandpa ships its benchmarked weights as the `()` implementation
	/// (`default_weights.rs`); it has no `SubstrateWeight` to name instead.
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	/// No session/historical pallet yet, so equivocations cannot be proven on chain.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

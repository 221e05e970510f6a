use crate::{Runtime, RuntimeCall, RuntimeEvent};

/// Sudo has a key only on the `development` preset's chain (Alice). Every other network, the
/// local testnet included, is governed by referenda over PEC votes (configs/governance.rs,
/// docs/governance.md); the pallet stays so a development chain can act as Root in one call.
impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = crate::weights::pallet_sudo::WeightInfo<Runtime>;
}

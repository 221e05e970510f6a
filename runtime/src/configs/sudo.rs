use crate::{Runtime, RuntimeCall, RuntimeEvent};

/// Sudo exists for development and test networks: the `development` and `local_testnet`
/// presets make Alice the key. Governance (referenda over PEC votes) replaces it before any
/// public network; see docs/governance.md.
impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

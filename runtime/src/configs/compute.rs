use super::governance::{ParamsOrigin, SupervisionOrigin};
use frame_support::{parameter_types, traits::ConstU32, PalletId};

use super::nfts::ComputeCollectionId;
use crate::{Balances, BlockNumber, Nfts, Runtime, RuntimeEvent, DAYS, HOURS, MINUTES};

parameter_types! {
	/// The "PowerVerse Compute" collection is collection 0.
	pub const ComputeCollection: ComputeCollectionId = 0;
	/// Owns the compute collection. Endowed at genesis with the collection deposit.
	pub const ComputePalletId: PalletId = PalletId(*b"pv/cmpte");
	/// Online while the last heartbeat is at most 15 minutes old (agents beat every 5).
	pub const HeartbeatTimeout: BlockNumber = 15 * MINUTES;
	/// At most one (free) heartbeat per minute.
	pub const MinHeartbeatInterval: BlockNumber = MINUTES;
	/// Maintenance is announced at least an hour ahead ...
	pub const MinMaintenanceNotice: BlockNumber = HOURS;
	/// ... and lasts at most two days.
	pub const MaxMaintenanceDuration: BlockNumber = 2 * DAYS;
}

impl pallet_compute::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type CollectionId = ComputeCollectionId;
	type Nfts = Nfts;
	type ComputeCollection = ComputeCollection;
	type PalletId = ComputePalletId;
	/// The `parameters` referendum track (or root) edits the hardware model table.
	type HardwareOrigin = ParamsOrigin;
	/// The `supervision` track (or root) may verify or reject a machine directly; juries do it
	/// through `MachineVerification`.
	type VerifierOrigin = SupervisionOrigin;
	/// A machine with bonded PEC, a staked NFT, an unsettled lease or a rent offer cannot retire.
	type RetirementGuard = (crate::ComputeStaking, crate::Market);
	type Judgement = (crate::Market, crate::Supervisors);
	type Collateral = crate::ComputeStaking;
	type Rewards = crate::ComputeStaking;
	type PriceObserver = crate::Market;
	type VerificationJury = crate::Supervisors;
	type MaxMachinesPerProvider = ConstU32<1_000>;
	type HeartbeatTimeout = HeartbeatTimeout;
	type MinHeartbeatInterval = MinHeartbeatInterval;
	type MinMaintenanceNotice = MinMaintenanceNotice;
	type MaxMaintenanceDuration = MaxMaintenanceDuration;
	type MaxCores = ConstU32<1_024>;
	type MaxRamGib = ConstU32<65_536>;
	type MaxVramGib = ConstU32<512>;
	type MaxGpusPerMachine = ConstU32<64>;
	type WeightInfo = pallet_compute::weights::SubstrateWeight<Runtime>;
}

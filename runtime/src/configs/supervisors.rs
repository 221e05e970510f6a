use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::traits::{BlakeTwo256, Hash as _};

use super::transaction_payment::TreasuryAccount;
use crate::{
	AccountId, Balance, Balances, BlockNumber, Compute, ComputeStaking, Hash, Market, Runtime,
	RuntimeEvent, RuntimeHoldReason, System,
};

parameter_types! {
	/// Supervisors at once: a draw walks them all (O(100)).
	pub const MaxSupervisors: u32 = 100;
}

/// Jury seeds from the parent block's hash, first known at the parent block. Aura gives no VRF;
/// the threat model (the author of the seeding block can grind its hash) and the stock fix
/// (BABE's `RandomnessFromOneEpochAgo`, a consensus change) are in pallets/supervisors/README.md.
pub struct ParentHashRandomness;

impl frame_support::traits::Randomness<Hash, BlockNumber> for ParentHashRandomness {
	fn random(subject: &[u8]) -> (Hash, BlockNumber) {
		let parent = System::parent_hash();
		let known_since = System::block_number().saturating_sub(1);
		(BlakeTwo256::hash_of(&(subject, parent)), known_since)
	}
}

impl pallet_supervisors::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Balance = Balance;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Compute = Compute;
	type Verification = Compute;
	type Disputes = Market;
	type Slashing = ComputeStaking;
	type Randomness = ParentHashRandomness;
	// Governance: root until the referendum tracks exist (a PEC holders' track then).
	type AdmissionOrigin = EnsureRoot<AccountId>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type TreasuryAccount = TreasuryAccount;
	type MaxSupervisors = MaxSupervisors;
	type MaxApplications = ConstU32<50>;
	// Five jurors, at most two redraws.
	type JurySize = ConstU32<5>;
	type MaxRedraws = ConstU32<2>;
	type MaxStatementLen = ConstU32<512>;
	type WeightInfo = pallet_supervisors::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SupervisorsBenchmarkHelper;
}

/// Machines for the supervisor benchmarks: the market's (a slash of them seizes the NFT).
#[cfg(feature = "runtime-benchmarks")]
pub struct SupervisorsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_supervisors::BenchmarkHelper<AccountId> for SupervisorsBenchmarkHelper {
	fn machine(provider: &AccountId, owner: &AccountId) -> powerverse_primitives::MachineId {
		<super::market::MarketBenchmarkHelper as pallet_market::BenchmarkHelper<AccountId>>::machine(
			provider, owner,
		)
	}
}

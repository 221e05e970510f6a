use super::governance::{ParamsOrigin, SupervisionOrigin};
use frame_support::{parameter_types, traits::ConstU32};

use super::transaction_payment::TreasuryAccount;
use crate::{
	Balance, Balances, Compute, ComputeStaking, Market, Runtime, RuntimeEvent, RuntimeHoldReason,
};

parameter_types! {
	/// Supervisors at once: a draw walks them all (O(100)).
	pub const MaxSupervisors: u32 = 100;
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
	/// Loyalty tiers: higher tiers' disputes are judged in shorter phases.
	type Benefits = crate::Tiers;
	/// The `supervision` referendum track (or root) admits and removes supervisors directly.
	type AdmissionOrigin = SupervisionOrigin;
	/// The `parameters` track (or root) sets the parameters.
	type AdminOrigin = ParamsOrigin;
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
impl pallet_supervisors::BenchmarkHelper<crate::AccountId> for SupervisorsBenchmarkHelper {
	fn machine(
		provider: &crate::AccountId,
		owner: &crate::AccountId,
	) -> powerverse_primitives::MachineId {
		<super::market::MarketBenchmarkHelper as pallet_market::BenchmarkHelper<crate::AccountId>>::machine(
			provider, owner,
		)
	}
}

use super::governance::{ParamsOrigin, SupervisionOrigin};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU8},
};

use super::transaction_payment::TreasuryAccount;
use crate::{
	Balance, Balances, BlockNumber, Compute, ComputeStaking, Runtime, RuntimeEvent,
	RuntimeHoldReason, DAYS, HOURS, MINUTES, PEC,
};

parameter_types! {
	/// Prices are per hour; payment accrues per block.
	pub const BlocksPerHour: BlockNumber = HOURS;
	/// A leased machine may miss heartbeats for 30 minutes (twice the online timeout) before its
	/// lease fails.
	pub const OfflineGracePeriod: BlockNumber = 30 * MINUTES;
	/// A customer has a day after a lease ends (or its result arrives) to dispute it.
	pub const ChallengePeriod: BlockNumber = DAYS;
	/// An open job waits a day for a machine.
	pub const JobLifetime: BlockNumber = DAYS;
	/// A dispute waits up to a week for its verdict.
	pub const DisputePeriod: BlockNumber = 7 * DAYS;
	/// The smallest job budget: 10 PEC.
	pub const MinJobBudget: Balance = 10 * PEC;
	/// Paid to the treasury per posted job: keeping 512 queue slots full for a day costs
	/// 512 × 2 PEC = 1,024 PEC (docs/economics.md).
	pub const JobPostingFee: Balance = 2 * PEC;
	/// Held while a dispute is open: 20 PEC.
	pub const DisputeDeposit: Balance = 20 * PEC;
}

impl pallet_market::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Balance = Balance;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Compute = Compute;
	type Collateral = ComputeStaking;
	type Slashing = ComputeStaking;
	/// Loyalty tiers: a member's fee discount and priority level.
	type Benefits = crate::Tiers;
	/// Stable-priced offers convert at the oracle's average.
	type Price = crate::PriceOracle;
	/// Supervisor juries decide disputes.
	type Jury = crate::Supervisors;
	type Rewards = ComputeStaking;
	type TreasuryAccount = TreasuryAccount;
	/// The `parameters` referendum track (or root) sets the fee.
	type AdminOrigin = ParamsOrigin;
	/// The `supervision` track (or root) may decide a dispute a jury left undecided.
	type DisputeOrigin = SupervisionOrigin;
	type BlocksPerHour = BlocksPerHour;
	/// Leases of up to 90 days.
	type MaxHours = ConstU32<{ 90 * 24 }>;
	type MaxJobSpecLen = ConstU32<256>;
	/// Base, Bronze, Silver, Gold.
	type MaxPriorityLevel = ConstU8<3>;
	type MaxOpenJobsPerLevel = ConstU32<512>;
	type MaxJobsPerCustomer = ConstU32<32>;
	type MaxLeasesPerCustomer = ConstU32<64>;
	type MinJobBudget = MinJobBudget;
	type JobPostingFee = JobPostingFee;
	type JobLifetime = JobLifetime;
	type DisputeDeposit = DisputeDeposit;
	type DisputePeriod = DisputePeriod;
	type MaxOffers = ConstU32<10_000>;
	type OfflineGracePeriod = OfflineGracePeriod;
	type ChallengePeriod = ChallengePeriod;
	type MaxJurors = ConstU32<16>;
	type WeightInfo = pallet_market::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MarketBenchmarkHelper;
}

/// Machines for the market benchmarks, built in the real compute and staking pallets: the
/// NFT (held by `owner`) is staked and pledged and the bond is a planck, so every call that may
/// slash reaches its worst path, the seizure of the pledged NFT.
#[cfg(feature = "runtime-benchmarks")]
pub struct MarketBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_market::BenchmarkHelper<crate::AccountId> for MarketBenchmarkHelper {
	fn machine(
		provider: &crate::AccountId,
		owner: &crate::AccountId,
	) -> powerverse_primitives::MachineId {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::set_balance(provider, 1_000_000 * crate::PEC);
		let machine = pallet_compute::Pallet::<Runtime>::benchmark_machine(provider, owner);
		ComputeStaking::benchmark_pledge_and_bond(machine, provider, owner);
		machine
	}
	fn heartbeat(machine: powerverse_primitives::MachineId) {
		use powerverse_primitives::ComputeInspect;
		let provider = Compute::provider(machine).expect("benchmark machine exists; qed");
		Compute::heartbeat(crate::RuntimeOrigin::signed(provider), machine)
			.expect("the benchmark advanced past the heartbeat interval; qed");
	}
}

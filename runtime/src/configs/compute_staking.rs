use super::governance::ParamsOrigin;
use frame_support::{parameter_types, traits::ConstU32};

use super::transaction_payment::TreasuryAccount;
use crate::{
	Balance, Balances, BlockNumber, Compute, Runtime, RuntimeEvent, RuntimeHoldReason, DAYS,
};

parameter_types! {
	/// One reward era per day.
	pub const EraLength: BlockNumber = DAYS;
	/// A pledge (and an unbonding chunk) outlives every dispute about a lease it backed: a lease
	/// can be disputed until two challenge periods after its end (a late result restarts the
	/// window), and a failure is recognized up to the offline grace period later.
	pub const MinUnpledgeDelay: BlockNumber =
		2 * super::market::ChallengePeriod::get() + super::market::OfflineGracePeriod::get();
}

impl pallet_compute_staking::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Balance = Balance;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Compute = Compute;
	/// Only machines on the market's rent list earn staking rewards.
	type Listing = crate::Market;
	type TreasuryAccount = TreasuryAccount;
	/// Open market disputes keep a machine's collateral and NFT in place until the verdict.
	type Judgement = (crate::Market, crate::Supervisors);
	type MinUnpledgeDelay = MinUnpledgeDelay;
	/// The `parameters` referendum track (or root) sets the parameters.
	type AdminOrigin = ParamsOrigin;
	/// Only the `root` track slashes directly (its call names who is paid: the most demanding
	/// track); the market and the juries slash through `MachineSlashing`.
	type SlashOrigin = frame_system::EnsureRoot<crate::AccountId>;
	type EraLength = EraLength;
	type MaxUnbondingChunks = ConstU32<16>;
	type MaxJurors = ConstU32<16>;
	type WeightInfo = pallet_compute_staking::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ComputeBenchmarkHelper;
}

/// Machines for the staking benchmarks, from the real compute pallet.
#[cfg(feature = "runtime-benchmarks")]
pub struct ComputeBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_compute_staking::BenchmarkHelper<crate::AccountId> for ComputeBenchmarkHelper {
	fn machine(
		provider: &crate::AccountId,
		owner: &crate::AccountId,
	) -> powerverse_primitives::MachineId {
		pallet_compute::Pallet::<Runtime>::benchmark_machine(provider, owner)
	}
	fn set_leased(machine: powerverse_primitives::MachineId, leased: bool) {
		use powerverse_primitives::ComputeLeasing;
		let result = if leased {
			Compute::mark_leased(machine, BlockNumber::MAX)
		} else {
			Compute::mark_idle(machine)
		};
		result.expect("benchmark machine is verified and online; qed");
	}
	fn heartbeat(machine: powerverse_primitives::MachineId) {
		use powerverse_primitives::ComputeInspect;
		let provider = Compute::provider(machine).expect("benchmark machine exists; qed");
		Compute::heartbeat(crate::RuntimeOrigin::signed(provider), machine)
			.expect("the benchmark advanced past the heartbeat interval; qed");
	}
	fn list(machine: powerverse_primitives::MachineId) {
		use powerverse_primitives::ComputeInspect;
		let provider = Compute::provider(machine).expect("benchmark machine exists; qed");
		crate::Market::list_machine(crate::RuntimeOrigin::signed(provider), machine)
			.expect("verified machine of its provider; qed");
	}
}

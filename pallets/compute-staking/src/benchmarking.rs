//! Benchmarks of every call at its worst case (frame-benchmarking v2).

use super::*;
use crate::Pallet as Staking;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use powerverse_primitives::{MachineId, SlashReason};
use sp_runtime::{traits::Zero, Perbill, Saturating};

fn plenty<T: Config>() -> T::Balance {
	T::Balance::from(1_000_000_000_000_000u64)
}

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, plenty::<T>());
	who
}

/// Parameters under which every check runs: a non-zero minimum, delays, rewards and shares.
fn set_params<T: Config>() {
	Params::<T>::put(StakingParams {
		min_collateral_base: 1_000u64.into(),
		min_collateral_per_point: 1u64.into(),
		unbonding_delay: 10u32.into(),
		unstake_cooldown: 10u32.into(),
		era_reward: 1_000_000_000u64.into(),
		pledge_value_per_point: 2u64.into(),
		pledge_haircut: Perbill::from_percent(50),
		reporter_share: Perbill::from_percent(10),
		juror_share: Perbill::from_percent(10),
		unpledge_delay: T::MinUnpledgeDelay::get(),
		abandonment_period: 10u32.into(),
		maintenance_allowance: 10u32.into(),
		lease_bonus: Perbill::from_percent(50),
		seize_threshold: Perbill::from_percent(10),
		seize_grace: 10u32.into(),
	});
}

/// A verified machine of `provider` whose NFT `owner` holds.
fn machine<T: Config>(provider: &T::AccountId, owner: &T::AccountId) -> MachineId {
	set_params::<T>();
	T::BenchmarkHelper::machine(provider, owner)
}

fn bonded<T: Config>(provider: &T::AccountId, machine: MachineId) {
	Staking::<T>::do_bond(provider.clone(), machine, T::Balance::from(1_000_000_000u64))
		.expect("funded provider; qed");
}

fn staked<T: Config>(owner: &T::AccountId, machine: MachineId) {
	Staking::<T>::do_stake_nft(owner.clone(), machine).expect("verified machine; qed");
}

/// Makes `machine` available to customers (bonded at its minimum, listed), so its NFT earns.
fn available<T: Config>(provider: &T::AccountId, machine: MachineId) {
	let minimum = Staking::<T>::minimum_for(machine);
	Staking::<T>::do_bond(provider.clone(), machine, minimum).expect("funded provider; qed");
	T::BenchmarkHelper::list(machine);
}

fn advance<T: Config>(blocks: BlockNumberFor<T>) {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(blocks));
}

fn advance_eras<T: Config>(eras: u32) {
	advance::<T>(T::EraLength::get().saturating_mul(eras.into()));
}

/// A machine whose NFT `owner` stakes and pledges behind a one-planck bond, slashed in full:
/// its seizure is pending (`leased` keeps the machine leased through the slash).
fn pending_seizure<T: Config>(
	provider: &T::AccountId,
	owner: &T::AccountId,
	leased: bool,
) -> MachineId {
	let id = machine::<T>(provider, owner);
	Staking::<T>::do_bond(provider.clone(), id, 1u64.into()).expect("funded; qed");
	staked::<T>(owner, id);
	Staking::<T>::do_pledge_nft(owner.clone(), id).expect("staked; qed");
	if leased {
		T::BenchmarkHelper::set_leased(id, true);
	}
	let outcome =
		Staking::<T>::do_slash(id, Perbill::one(), SlashReason::LostDispute, None, None, &[])
			.expect("bonded and pledged; qed");
	assert!(outcome.seizure_pending);
	id
}

/// Fills the unbonding queue to one below its limit.
fn unbonding_chunks<T: Config>(provider: &T::AccountId, machine: MachineId, chunks: u32) {
	for _ in 0..chunks {
		Staking::<T>::do_unbond(provider.clone(), machine, 1u64.into()).expect("bonded; qed");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Staked: the bond change settles and re-weighs the stake.
	#[benchmark]
	fn bond() {
		let provider = funded::<T>("provider");
		let id = machine::<T>(&provider, &provider);
		bonded::<T>(&provider, id);
		staked::<T>(&provider, id);
		T::BenchmarkHelper::list(id);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id, T::Balance::from(1_000u64));
		assert!(Bonds::<T>::get(id).is_some());
	}

	/// Leased, sold and staked: both minimum-collateral checks run and the stake re-weighs.
	#[benchmark]
	fn unbond() {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let id = machine::<T>(&provider, &owner);
		bonded::<T>(&provider, id);
		staked::<T>(&owner, id);
		T::BenchmarkHelper::list(id);
		unbonding_chunks::<T>(&provider, id, T::MaxUnbondingChunks::get().saturating_sub(1));
		T::BenchmarkHelper::set_leased(id, true);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id, T::Balance::from(1u64));
		assert_eq!(
			Bonds::<T>::get(id).map(|b| b.unbonding.len() as u32),
			Some(T::MaxUnbondingChunks::get())
		);
	}

	#[benchmark]
	fn withdraw_unbonded() {
		let provider = funded::<T>("provider");
		let id = machine::<T>(&provider, &provider);
		bonded::<T>(&provider, id);
		unbonding_chunks::<T>(&provider, id, T::MaxUnbondingChunks::get());
		advance_eras::<T>(1);
		advance::<T>(100u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id);
		assert_eq!(Bonds::<T>::get(id).map(|b| b.unbonding.len()), Some(0));
	}

	#[benchmark]
	fn stake_nft() {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let id = machine::<T>(&provider, &owner);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(Stakes::<T>::contains_key(id));
	}

	#[benchmark]
	fn unstake_nft() {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let id = machine::<T>(&provider, &owner);
		available::<T>(&provider, id);
		staked::<T>(&owner, id);
		advance_eras::<T>(2);
		T::BenchmarkHelper::heartbeat(id);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(Stakes::<T>::get(id).is_some_and(|s| s.unstaking_since.is_some()));
	}

	#[benchmark]
	fn withdraw_nft() {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let id = machine::<T>(&provider, &owner);
		staked::<T>(&owner, id);
		Staking::<T>::do_unstake_nft(owner.clone(), id).expect("staked; qed");
		advance_eras::<T>(2);
		advance::<T>(100u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(!Stakes::<T>::contains_key(id));
	}

	#[benchmark]
	fn claim_rewards() {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let id = machine::<T>(&provider, &owner);
		available::<T>(&provider, id);
		staked::<T>(&owner, id);
		advance_eras::<T>(3);
		T::BenchmarkHelper::heartbeat(id);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(!TotalRewardsMinted::<T>::get().is_zero());
	}

	#[benchmark]
	fn pledge_nft() {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let id = machine::<T>(&provider, &owner);
		staked::<T>(&owner, id);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(Stakes::<T>::get(id).is_some_and(|s| s.pledged));
	}

	#[benchmark]
	fn unpledge_nft() {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let id = machine::<T>(&provider, &owner);
		bonded::<T>(&provider, id);
		staked::<T>(&owner, id);
		Staking::<T>::do_pledge_nft(owner.clone(), id).expect("staked; qed");
		T::BenchmarkHelper::set_leased(id, true);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(Stakes::<T>::get(id).is_some_and(|s| s.pledged && s.unpledge_at.is_some()));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = ParamsOf::<T> {
			unpledge_delay: T::MinUnpledgeDelay::get(),
			unbonding_delay: T::MinUnpledgeDelay::get(),
			..Default::default()
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params.clone());
		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// Worst case: a full unbonding queue drained newest first, a harmed renter, a reporter,
	/// and a pledged NFT seized beyond the bond.
	#[benchmark]
	fn slash() -> Result<(), BenchmarkError> {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let renter = funded::<T>("renter");
		let reporter: T::AccountId = account("reporter", 0, 0);
		let id = machine::<T>(&provider, &owner);
		bonded::<T>(&provider, id);
		unbonding_chunks::<T>(&provider, id, T::MaxUnbondingChunks::get());
		staked::<T>(&owner, id);
		Staking::<T>::do_pledge_nft(owner.clone(), id).expect("staked; qed");
		// No grace and no threshold: the NFT is seized within the slash, the heaviest path.
		Params::<T>::mutate(|p| {
			p.seize_grace = 0u32.into();
			p.seize_threshold = Perbill::zero();
		});
		let origin =
			T::SlashOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			id,
			Perbill::one(),
			SlashReason::LostDispute,
			Some((renter, T::Balance::from(1_000u64))),
			Some(reporter),
		);
		assert!(!Stakes::<T>::contains_key(id));
		Ok(())
	}

	/// A seizure kept while the machine was leased, completed after the lease.
	#[benchmark]
	fn execute_seizure() {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let id = pending_seizure::<T>(&provider, &owner, true);
		T::BenchmarkHelper::set_leased(id, false);
		advance::<T>(Params::<T>::get().seize_grace);
		let anyone = funded::<T>("anyone");
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), id);
		assert!(!Stakes::<T>::contains_key(id));
	}

	/// A full unbonding queue paid to the holder.
	#[benchmark]
	fn claim_abandonment() {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let id = machine::<T>(&provider, &owner);
		bonded::<T>(&provider, id);
		unbonding_chunks::<T>(&provider, id, T::MaxUnbondingChunks::get());
		// Silent long enough to be offline; the claim opens, and is decided a period later.
		advance_eras::<T>(1);
		advance::<T>(100u32.into());
		Staking::<T>::do_claim_abandonment(owner.clone(), id).expect("silent machine; qed");
		advance::<T>(Params::<T>::get().abandonment_period);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(!Bonds::<T>::contains_key(id));
	}

	/// A material shortfall paid by the holder: the stake is settled and re-weighed.
	#[benchmark]
	fn cover_shortfall() {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let id = pending_seizure::<T>(&provider, &owner, false);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(Stakes::<T>::get(id).is_some_and(|s| !s.seizure_pending));
	}

	#[benchmark]
	fn claim_unclaimed() {
		let who: T::AccountId = account("leaver", 0, 0);
		Unclaimed::<T>::insert(&who, plenty::<T>());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Unclaimed::<T>::contains_key(&who));
	}

	/// An earning stake whose machine went offline: settled and re-weighed to nothing.
	#[benchmark]
	fn refresh_stake() {
		let provider = funded::<T>("provider");
		let owner = funded::<T>("owner");
		let id = machine::<T>(&provider, &owner);
		available::<T>(&provider, id);
		staked::<T>(&owner, id);
		assert!(Stakes::<T>::get(id).is_some_and(|s| s.effective_shares > 0));
		// Silent for two eras: past any heartbeat timeout.
		advance_eras::<T>(2);
		let caller = funded::<T>("caller");
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);
		assert!(Stakes::<T>::get(id).is_some_and(|s| s.effective_shares == 0));
	}

	impl_benchmark_test_suite!(Staking, crate::mock::ExtBuilder::build(), crate::mock::Test);
}

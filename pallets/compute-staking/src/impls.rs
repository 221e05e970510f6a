//! The logic behind the calls, and the primitives traits this pallet implements.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use powerverse_primitives::{
	ComputeInspect, ComputeNftLocks, ComputeNftSeizure, JudgementGuard, MachineCollateral,
	MachineId, MachineListing, MachineSlashing, MachineState, NftLockReason, RetirementGuard,
	RewardsObserver, SlashOutcome, SlashReason,
};
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto, Zero},
	DispatchError, FixedPointNumber, FixedU128, Perbill,
};

impl<T: Config> Pallet<T> {
	fn hold_reason() -> T::RuntimeHoldReason {
		HoldReason::Collateral.into()
	}

	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// The current era: block number / `EraLength`.
	pub fn current_era() -> u32 {
		let length = T::EraLength::get();
		if length.is_zero() {
			return 0;
		}
		(Self::now() / length).unique_saturated_into()
	}

	/// The pool brought up to now: `era_reward / EraLength` per block since its last update,
	/// shared by the effective shares of that time. Blocks with no effective shares pay nobody
	/// (their reward is never minted). Staking just before an era ends earns only the blocks
	/// staked.
	pub fn pool_now() -> PoolOf<T> {
		let mut pool = Pool::<T>::get();
		let now = Self::now();
		if now > pool.last_update {
			if pool.total_shares > 0 {
				let blocks: u128 = now.saturating_sub(pool.last_update).unique_saturated_into();
				let length: u128 = T::EraLength::get().unique_saturated_into();
				let reward: u128 = Params::<T>::get().era_reward.try_into().unwrap_or(u128::MAX);
				let per_share = FixedU128::checked_from_rational(
					reward.saturating_mul(blocks),
					length.max(1).saturating_mul(pool.total_shares),
				)
				.unwrap_or_default();
				pool.reward_per_share = pool.reward_per_share.saturating_add(per_share);
			}
			pool.last_update = now;
		}
		pool
	}

	/// `machine`'s stake as it stands now, with what a claim would pay and why it earns
	/// nothing if it does not (for the runtime API).
	pub fn stake_status(machine: MachineId) -> Option<StakeStatus<T::AccountId, T::Balance>> {
		let stake = Stakes::<T>::get(machine)?;
		let (reward, _) = Self::accrued(machine, &stake, &Self::pool_now());
		Some(StakeStatus {
			staker: stake.staker.clone(),
			shares: stake.shares,
			effective_shares: stake.effective_shares,
			bonus_shares: stake.bonus_shares,
			claimable: stake.pending.saturating_add(reward),
			not_earning: Self::not_earning(machine, &stake),
			pledged: stake.pledged,
			shortfall: stake.seizure_pending.then_some(stake.shortfall),
		})
	}

	/// Why `stake` earns nothing now, if it does not: it must not be leaving or due for
	/// seizure, and its machine must be available to customers — verified, collateralized at
	/// its minimum, listed for rent and online.
	pub fn not_earning(machine: MachineId, stake: &StakeOf<T>) -> Vec<NotEarning> {
		let mut why = Vec::new();
		if stake.unstaking_since.is_some() {
			why.push(NotEarning::Unstaking);
		}
		if stake.seizure_pending {
			why.push(NotEarning::SeizurePending);
		}
		if !T::Compute::is_verified(machine) {
			why.push(NotEarning::NotVerified);
		}
		if Self::effective_collateral(machine) < Self::minimum_for(machine) {
			why.push(NotEarning::Undercollateralized);
		}
		if !T::Listing::is_listed(machine) {
			why.push(NotEarning::NotListed);
		}
		// Silent past the heartbeat timeout outside announced maintenance (a leased machine
		// included: its state stays `Leased` until the market ends the lease).
		if !T::Compute::is_online(machine) && !T::Compute::in_maintenance(machine) {
			why.push(NotEarning::Offline);
		}
		why
	}

	/// The weight `stake` should count in a pool of `pool_total` shares now: its base shares
	/// while it earns at all (`not_earning` is empty), plus `lease_bonus` of them while its
	/// machine runs a lease that pays a protocol fee and whose customer is not the machine's
	/// provider, operator or NFT holder — but no more bonus weight than the lease's fee buys at
	/// the pool's current rate, so a lease at a token price does not dilute the other stakers.
	pub fn effective_shares_of(
		machine: MachineId,
		stake: &StakeOf<T>,
		pool_total: u128,
	) -> EffectiveSharesOf<T> {
		if !Self::not_earning(machine, stake).is_empty() {
			return EffectiveSharesOf::<T>::default();
		}
		let mut weight = EffectiveShares { total: stake.shares, ..Default::default() };
		match T::Listing::running_lease(machine) {
			Some(lease)
				if !lease.self_rented
					&& lease.until > Self::now()
					&& !lease.fee_per_hour.is_zero() =>
			{
				let params = Params::<T>::get();
				// Reward per share per block is era_reward ÷ (EraLength × total shares): the
				// weight whose reward equals the fee is fee per block × EraLength × total ÷
				// era_reward, with the total counted without this stake's bonus.
				let others =
					pool_total.saturating_sub(stake.effective_shares).saturating_add(stake.shares);
				let fee: u128 = lease.fee_per_hour.try_into().unwrap_or(u128::MAX);
				let per_hour: u128 = lease.blocks_per_hour.unique_saturated_into();
				let length: u128 = T::EraLength::get().unique_saturated_into();
				let reward: u128 = params.era_reward.try_into().unwrap_or(u128::MAX);
				let affordable = fee.saturating_mul(length).saturating_mul(others)
					/ per_hour.max(1).saturating_mul(reward).max(1);
				weight.bonus = (params.lease_bonus * stake.shares).min(affordable);
				weight.total.saturating_accrue(weight.bonus);
				weight.until = lease.until;
				weight.cap = (lease.fee_per_hour, lease.blocks_per_hour);
			},
			_ => {},
		}
		weight
	}

	/// The machine's cumulative (uptime, downtime, maintenance) blocks as of now, the silence
	/// since its last heartbeat included: a machine that stops beating stops earning at once,
	/// not at its next heartbeat.
	fn marks(machine: MachineId) -> (BlockNumberFor<T>, BlockNumberFor<T>, BlockNumberFor<T>) {
		T::Compute::availability_now(machine).unwrap_or_default()
	}

	/// (reward, forfeited) `stake` earned from `pool` since it last settled: effective shares ×
	/// growth of reward-per-share, scaled by the machine's availability ratio over the period.
	pub fn accrued(
		machine: MachineId,
		stake: &StakeOf<T>,
		pool: &PoolOf<T>,
	) -> (T::Balance, T::Balance) {
		let growth = pool.reward_per_share.saturating_sub(stake.reward_per_share_paid);
		let base = stake.effective_shares.saturating_sub(stake.bonus_shares);
		let gross =
			growth.saturating_mul_int(base).saturating_add(Self::bonus_reward(stake, growth));
		let gross: T::Balance = T::Balance::try_from(gross)
			.unwrap_or_else(|_| sp_runtime::traits::Bounded::max_value());
		let ratio = Self::availability_ratio(machine, stake);
		let net = ratio * gross;
		(net, gross.saturating_sub(net))
	}

	/// The lease bonus `stake` earned since it last settled, before the availability ratio:
	/// its bonus shares × the pool's `growth`, only for the part of the period up to the
	/// lease's end (a lease nobody closed earns no bonus past it), and at most the protocol fee
	/// the lease paid over that part (so a lease to oneself never pays for itself). What the
	/// pool set aside beyond that is never minted.
	fn bonus_reward(stake: &StakeOf<T>, growth: FixedU128) -> u128 {
		if stake.bonus_shares == 0 {
			return 0;
		}
		let now = Self::now();
		let elapsed: u128 = now.saturating_sub(stake.settled_at).unique_saturated_into();
		let within: u128 =
			now.min(stake.bonus_until).saturating_sub(stake.settled_at).unique_saturated_into();
		let earned = Perbill::from_rational(within, elapsed.max(1))
			* growth.saturating_mul_int(stake.bonus_shares);
		let (fee_per_hour, per_hour) = stake.bonus_cap;
		let fee_per_hour: u128 = fee_per_hour.try_into().unwrap_or(u128::MAX);
		let per_hour: u128 = per_hour.unique_saturated_into();
		let fee_paid = fee_per_hour.saturating_mul(within) / per_hour.max(1);
		earned.min(fee_paid)
	}

	/// Share of the blocks since `stake` last settled that the machine was available: up, or
	/// in announced maintenance within `maintenance_allowance` per era. Maintenance beyond the
	/// allowance counts as down, so back-to-back windows do not keep a machine "available".
	fn availability_ratio(machine: MachineId, stake: &StakeOf<T>) -> Perbill {
		let (up, down, maint) = Self::marks(machine);
		let d_up: u128 = up.saturating_sub(stake.uptime_mark.0).unique_saturated_into();
		let d_down: u128 = down.saturating_sub(stake.uptime_mark.1).unique_saturated_into();
		let d_maint: u128 = maint.saturating_sub(stake.uptime_mark.2).unique_saturated_into();
		let elapsed: u128 = Self::now().saturating_sub(stake.settled_at).unique_saturated_into();
		let length: u128 = T::EraLength::get().unique_saturated_into();
		let per_era: u128 = Params::<T>::get().maintenance_allowance.unique_saturated_into();
		let allowance = per_era.saturating_mul(elapsed) / length.max(1);
		let counted = d_maint.min(allowance);
		match d_up.saturating_add(d_down).saturating_add(d_maint) {
			// No block passed since the last settlement: nothing accrued either.
			0 => Perbill::zero(),
			total => Perbill::from_rational(d_up.saturating_add(counted), total),
		}
	}

	/// Settles `stake` up to now under the weight it had (into `pending`), then re-weighs it by
	/// the machine's availability now. Returns (reward, forfeited) of the period.
	fn settle(
		machine: MachineId,
		stake: &mut StakeOf<T>,
		pool: &mut PoolOf<T>,
	) -> (T::Balance, T::Balance) {
		let (reward, forfeited) = Self::accrued(machine, stake, pool);
		stake.pending.saturating_accrue(reward);
		stake.forfeited.saturating_accrue(forfeited);
		stake.reward_per_share_paid = pool.reward_per_share;
		stake.uptime_mark = Self::marks(machine);
		stake.settled_at = Self::now();
		let weight = Self::effective_shares_of(machine, stake, pool.total_shares);
		pool.total_shares =
			pool.total_shares.saturating_sub(stake.effective_shares).saturating_add(weight.total);
		stake.effective_shares = weight.total;
		stake.bonus_shares = weight.bonus;
		stake.bonus_until = weight.until;
		stake.bonus_cap = weight.cap;
		(reward, forfeited)
	}

	/// Settles and re-weighs `machine`'s stake, if it has one: called after anything its
	/// availability depends on changed (collateral here; listing and leases in the market,
	/// through `RewardsObserver`).
	pub fn refresh(machine: MachineId) {
		if let Some(mut stake) = Stakes::<T>::get(machine) {
			let mut pool = Self::pool_now();
			Self::settle(machine, &mut stake, &mut pool);
			Stakes::<T>::insert(machine, stake);
			Pool::<T>::put(pool);
		}
	}

	/// Mints `amount` to `who`, or nothing (an `Err`, no change) if the account cannot take it
	/// yet: a new account below the existential deposit.
	fn mint_reward(who: &T::AccountId, amount: T::Balance) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		frame_support::storage::with_storage_layer(|| {
			T::Currency::mint_into(who, amount).map_err(|_| Error::<T>::BelowExistentialDeposit)?;
			TotalRewardsMinted::<T>::mutate(|m| m.saturating_accrue(amount));
			Ok(())
		})
	}

	/// Minimum collateral of `machine`: base + per-point × compute score.
	pub fn minimum_for(machine: MachineId) -> T::Balance {
		let params = Params::<T>::get();
		let score = T::Compute::score(machine).unwrap_or_default();
		params
			.min_collateral_base
			.saturating_add(params.min_collateral_per_point.saturating_mul(T::Balance::from(score)))
	}

	/// Collateral value of `machine`'s pledged NFT (score × value per point × (1 − haircut)),
	/// counted towards its minimum collateral: zero once unpledging started or a seizure is
	/// pending.
	pub fn pledge_value(machine: MachineId) -> T::Balance {
		match Stakes::<T>::get(machine) {
			Some(s) if s.pledged && s.unpledge_at.is_none() && !s.seizure_pending => {
				Self::nft_value(machine)
			},
			_ => Zero::zero(),
		}
	}

	/// Value of `machine`'s pledged NFT that a slash can reach: a pledge being released is
	/// still seizable until released, and one already due for seizure still answers for a
	/// further slash (its shortfall grows, up to the NFT's value).
	pub fn slashable_pledge_value(machine: MachineId) -> T::Balance {
		match Stakes::<T>::get(machine) {
			Some(s) if s.pledged => Self::nft_value(machine),
			_ => Zero::zero(),
		}
	}

	fn nft_value(machine: MachineId) -> T::Balance {
		let params = Params::<T>::get();
		let score = T::Compute::score(machine).unwrap_or_default();
		let value = params.pledge_value_per_point.saturating_mul(T::Balance::from(score));
		(Perbill::one() - params.pledge_haircut) * value
	}

	fn active_bond(machine: MachineId) -> T::Balance {
		Bonds::<T>::get(machine).map(|b| b.active).unwrap_or_default()
	}

	fn is_leased(machine: MachineId) -> bool {
		T::Compute::state(machine) == Some(MachineState::Leased)
	}

	pub(crate) fn do_bond(
		who: T::AccountId,
		machine: MachineId,
		amount: T::Balance,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let provider = T::Compute::provider(machine).ok_or(Error::<T>::UnknownMachine)?;
		ensure!(
			!matches!(T::Compute::state(machine), None | Some(MachineState::Retired)),
			Error::<T>::UnknownMachine
		);
		let mut bond = match Bonds::<T>::get(machine) {
			Some(bond) => {
				ensure!(bond.owner == who, Error::<T>::NotBondOwner);
				bond
			},
			None => {
				ensure!(provider == who, Error::<T>::NotMachineProvider);
				Bond { owner: who.clone(), active: Zero::zero(), unbonding: Default::default() }
			},
		};
		let free = T::Currency::reducible_balance(&who, Preservation::Preserve, Fortitude::Polite);
		ensure!(free >= amount, Error::<T>::InsufficientFreeBalance);
		T::Currency::hold(&Self::hold_reason(), &who, amount)?;
		bond.active = bond.active.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		Bonds::<T>::insert(machine, bond);
		TotalBonded::<T>::mutate(|t| t.saturating_accrue(amount));
		Self::refresh(machine);
		Self::deposit_event(Event::Bonded { machine, who, amount });
		Ok(())
	}

	pub(crate) fn do_unbond(
		who: T::AccountId,
		machine: MachineId,
		amount: T::Balance,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut bond = Bonds::<T>::get(machine).ok_or(Error::<T>::NoBond)?;
		ensure!(bond.owner == who, Error::<T>::NotBondOwner);
		ensure!(amount <= bond.active, Error::<T>::NotEnoughBonded);
		let remaining = bond.active.saturating_sub(amount);
		let minimum = Self::minimum_for(machine);
		if Self::is_leased(machine) {
			ensure!(
				remaining.saturating_add(Self::pledge_value(machine)) >= minimum,
				Error::<T>::BelowMinimumWhileLeased
			);
		}
		// Whoever bought the machine's NFT relies on its collateral: the provider keeps the
		// minimum bonded in PEC — the holder's own pledge does not count, or the provider could
		// leave the holder's NFT as the only thing a slash can take — until it holds the NFT
		// again or the holder claims an abandonment.
		if T::Compute::beneficiary(machine).is_some_and(|holder| holder != bond.owner) {
			ensure!(remaining >= minimum, Error::<T>::BelowMinimumWhileSold);
		}
		let unlock_at = Self::now().saturating_add(Params::<T>::get().unbonding_delay);
		bond.unbonding
			.try_push(UnbondChunk { amount, unlock_at })
			.map_err(|_| Error::<T>::TooManyUnbondingChunks)?;
		bond.active = remaining;
		Bonds::<T>::insert(machine, bond);
		Self::refresh(machine);
		Self::deposit_event(Event::Unbonding { machine, amount, unlock_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_unbonded(who: T::AccountId, machine: MachineId) -> DispatchResult {
		let mut bond = Bonds::<T>::get(machine).ok_or(Error::<T>::NoBond)?;
		ensure!(bond.owner == who, Error::<T>::NotBondOwner);
		ensure!(!T::Judgement::under_judgement(machine), Error::<T>::UnderJudgement);
		let now = Self::now();
		let mut amount = T::Balance::zero();
		bond.unbonding.retain(|chunk| {
			if chunk.unlock_at <= now {
				amount.saturating_accrue(chunk.amount);
				false
			} else {
				true
			}
		});
		ensure!(!amount.is_zero(), Error::<T>::NothingToWithdraw);
		T::Currency::release(&Self::hold_reason(), &who, amount, Precision::Exact)?;
		TotalBonded::<T>::mutate(|t| t.saturating_reduce(amount));
		if bond.active.is_zero() && bond.unbonding.is_empty() {
			Bonds::<T>::remove(machine);
		} else {
			Bonds::<T>::insert(machine, bond);
		}
		Self::deposit_event(Event::Withdrawn { machine, who, amount });
		Ok(())
	}

	pub(crate) fn do_stake_nft(who: T::AccountId, machine: MachineId) -> DispatchResult {
		ensure!(!Stakes::<T>::contains_key(machine), Error::<T>::AlreadyStaked);
		let owner = T::Compute::beneficiary(machine).ok_or(Error::<T>::UnknownMachine)?;
		ensure!(owner == who, Error::<T>::NotNftOwner);
		ensure!(T::Compute::is_verified(machine), Error::<T>::MachineNotVerified);
		let shares = u128::from(T::Compute::score(machine).unwrap_or_default()).max(1);
		T::Compute::lock(machine, NftLockReason::Stake)?;
		// The pool is brought up to now first: the new stake earns only from this block on.
		let mut pool = Self::pool_now();
		let mut stake = Stake {
			staker: who.clone(),
			shares,
			effective_shares: 0,
			bonus_shares: 0,
			bonus_until: Zero::zero(),
			bonus_cap: (Zero::zero(), Zero::zero()),
			reward_per_share_paid: pool.reward_per_share,
			uptime_mark: Self::marks(machine),
			settled_at: Self::now(),
			pending: Zero::zero(),
			forfeited: Zero::zero(),
			pledged: false,
			unstaking_since: None,
			unpledge_at: None,
			seizure_pending: false,
			shortfall: Zero::zero(),
			seizure_due: Zero::zero(),
		};
		Self::settle(machine, &mut stake, &mut pool);
		Stakes::<T>::insert(machine, stake);
		Pool::<T>::put(pool);
		Self::deposit_event(Event::NftStaked { machine, staker: who, shares });
		Ok(())
	}

	/// Settles `machine`'s stake and pays what it has pending to the staker. With
	/// `require_some`, nothing to pay is an error (`NothingToClaim`) and an account that
	/// cannot take it yet too (`BelowExistentialDeposit`); without, such rewards stay pending
	/// (`RewardsDeferred`).
	pub(crate) fn do_claim(
		who: &T::AccountId,
		machine: MachineId,
		require_some: bool,
	) -> Result<T::Balance, DispatchError> {
		let mut stake = Stakes::<T>::get(machine).ok_or(Error::<T>::NotStaked)?;
		ensure!(&stake.staker == who, Error::<T>::NotStaker);
		let mut pool = Self::pool_now();
		Self::settle(machine, &mut stake, &mut pool);
		let forfeited = core::mem::take(&mut stake.forfeited);
		let amount = stake.pending;
		ensure!(!require_some || !amount.is_zero(), Error::<T>::NothingToClaim);
		let paid = match Self::mint_reward(who, amount) {
			Ok(()) => {
				stake.pending = Zero::zero();
				amount
			},
			Err(e) if require_some => return Err(e),
			Err(_) => {
				Self::deposit_event(Event::RewardsDeferred { who: who.clone(), amount });
				Zero::zero()
			},
		};
		Stakes::<T>::insert(machine, stake);
		Pool::<T>::put(pool);
		if !paid.is_zero() || !forfeited.is_zero() {
			Self::deposit_event(Event::RewardsClaimed {
				machine,
				staker: who.clone(),
				amount: paid,
				forfeited,
			});
		}
		Ok(paid)
	}

	pub(crate) fn do_claim_unclaimed(who: T::AccountId) -> DispatchResult {
		let amount = Unclaimed::<T>::get(&who).ok_or(Error::<T>::NothingUnclaimed)?;
		Self::mint_reward(&who, amount)?;
		Unclaimed::<T>::remove(&who);
		Self::deposit_event(Event::UnclaimedPaid { who, amount });
		Ok(())
	}

	pub(crate) fn do_unstake_nft(who: T::AccountId, machine: MachineId) -> DispatchResult {
		let stake = Stakes::<T>::get(machine).ok_or(Error::<T>::NotStaked)?;
		ensure!(stake.staker == who, Error::<T>::NotStaker);
		ensure!(stake.unstaking_since.is_none(), Error::<T>::AlreadyUnstaking);
		ensure!(!stake.pledged, Error::<T>::Pledged);
		ensure!(!T::Judgement::under_judgement(machine), Error::<T>::UnderJudgement);
		let now = Self::now();
		// Pay what accrued (kept pending if the account cannot take it yet), then stop earning.
		Self::do_claim(&who, machine, false)?;
		Stakes::<T>::mutate(machine, |s| {
			if let Some(s) = s {
				s.unstaking_since = Some(now);
			}
		});
		Self::refresh(machine);
		let withdrawable_at = now.saturating_add(Params::<T>::get().unstake_cooldown);
		Self::deposit_event(Event::UnstakeStarted { machine, withdrawable_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_nft(who: T::AccountId, machine: MachineId) -> DispatchResult {
		let stake = Stakes::<T>::get(machine).ok_or(Error::<T>::NotStaked)?;
		ensure!(stake.staker == who, Error::<T>::NotStaker);
		ensure!(!stake.seizure_pending, Error::<T>::SeizurePending);
		let since = stake.unstaking_since.ok_or(Error::<T>::NotUnstaking)?;
		ensure!(!T::Judgement::under_judgement(machine), Error::<T>::UnderJudgement);
		ensure!(
			Self::now() >= since.saturating_add(Params::<T>::get().unstake_cooldown),
			Error::<T>::CooldownNotOver
		);
		T::Compute::unlock(machine, NftLockReason::Stake)?;
		Stakes::<T>::remove(machine);
		Self::keep_or_pay(&who, stake.pending);
		Self::deposit_event(Event::NftWithdrawn { machine, staker: who });
		Ok(())
	}

	/// Pays a leaving stake's pending rewards, or keeps them in `Unclaimed` for the account.
	fn keep_or_pay(who: &T::AccountId, amount: T::Balance) {
		if amount.is_zero() || Self::mint_reward(who, amount).is_ok() {
			return;
		}
		Unclaimed::<T>::mutate(who, |u| u.get_or_insert_with(Zero::zero).saturating_accrue(amount));
		Self::deposit_event(Event::RewardsDeferred { who: who.clone(), amount });
	}

	pub(crate) fn do_pledge_nft(who: T::AccountId, machine: MachineId) -> DispatchResult {
		let mut stake = Stakes::<T>::get(machine).ok_or(Error::<T>::NotStaked)?;
		ensure!(stake.staker == who, Error::<T>::NotStaker);
		ensure!(stake.unstaking_since.is_none(), Error::<T>::AlreadyUnstaking);
		ensure!(!stake.pledged, Error::<T>::AlreadyPledged);
		T::Compute::lock(machine, NftLockReason::Pledge)?;
		stake.pledged = true;
		Stakes::<T>::insert(machine, stake);
		Self::refresh(machine);
		Self::deposit_event(Event::NftPledged { machine });
		Ok(())
	}

	pub(crate) fn do_unpledge_nft(who: T::AccountId, machine: MachineId) -> DispatchResult {
		let mut stake = Stakes::<T>::get(machine).ok_or(Error::<T>::NotStaked)?;
		ensure!(stake.staker == who, Error::<T>::NotStaker);
		ensure!(stake.pledged, Error::<T>::NotPledged);
		ensure!(!stake.seizure_pending, Error::<T>::SeizurePending);
		ensure!(!T::Judgement::under_judgement(machine), Error::<T>::UnderJudgement);
		let now = Self::now();
		match stake.unpledge_at {
			None => {
				if Self::is_leased(machine) {
					ensure!(
						Self::active_bond(machine) >= Self::minimum_for(machine),
						Error::<T>::BelowMinimumWhileLeased
					);
				}
				let release_at = now.saturating_add(Params::<T>::get().unpledge_delay);
				stake.unpledge_at = Some(release_at);
				Stakes::<T>::insert(machine, stake);
				Self::refresh(machine);
				Self::deposit_event(Event::UnpledgeStarted { machine, release_at });
			},
			Some(release_at) => {
				ensure!(now >= release_at, Error::<T>::UnpledgeDelayNotOver);
				T::Compute::unlock(machine, NftLockReason::Pledge)?;
				stake.pledged = false;
				stake.unpledge_at = None;
				Stakes::<T>::insert(machine, stake);
				Self::deposit_event(Event::NftUnpledged { machine });
			},
		}
		Ok(())
	}

	pub(crate) fn do_execute_seizure(machine: MachineId) -> DispatchResult {
		let stake = Stakes::<T>::get(machine).ok_or(Error::<T>::NoSeizurePending)?;
		ensure!(stake.seizure_pending, Error::<T>::NoSeizurePending);
		ensure!(Self::now() >= stake.seizure_due, Error::<T>::SeizureNotDue);
		ensure!(
			!T::Compute::locks(machine).has(NftLockReason::Lease),
			Error::<T>::MachineStillLeased
		);
		let mut outcome = SlashOutcome::default();
		Self::seize_now(machine, stake, &mut outcome)
	}

	pub(crate) fn do_refresh_stake(machine: MachineId) -> DispatchResult {
		let stake = Stakes::<T>::get(machine).ok_or(Error::<T>::NotStaked)?;
		let weight = Self::effective_shares_of(machine, &stake, Self::pool_now().total_shares);
		let bonus_over = stake.bonus_shares > 0 && Self::now() > stake.bonus_until;
		ensure!(
			weight.total != stake.effective_shares
				|| weight.bonus != stake.bonus_shares
				|| bonus_over,
			Error::<T>::AlreadyUpToDate
		);
		Self::refresh(machine);
		Self::deposit_event(Event::StakeRefreshed { machine, effective_shares: weight.total });
		Ok(())
	}

	pub(crate) fn do_cover_shortfall(who: T::AccountId, machine: MachineId) -> DispatchResult {
		let mut stake = Stakes::<T>::get(machine).ok_or(Error::<T>::NotStaked)?;
		ensure!(stake.staker == who, Error::<T>::NotStaker);
		ensure!(stake.seizure_pending, Error::<T>::NoSeizurePending);
		let amount = stake.shortfall;
		let free = T::Currency::reducible_balance(&who, Preservation::Preserve, Fortitude::Polite);
		ensure!(free >= amount, Error::<T>::CannotCoverShortfall);
		// The shortfall stands in for the NFT, which a seizure would give the treasury. Renters
		// are compensated from the PEC bond (first, up to their loss) and never from it: a
		// claim on it would be a queue a provider's own second account could stand first in.
		T::Currency::transfer(&who, &T::TreasuryAccount::get(), amount, Preservation::Preserve)
			.map_err(|_| Error::<T>::CannotCoverShortfall)?;
		let mut pool = Self::pool_now();
		Self::settle(machine, &mut stake, &mut pool);
		stake.seizure_pending = false;
		stake.shortfall = Zero::zero();
		Stakes::<T>::insert(machine, stake);
		Pool::<T>::put(pool);
		// Re-weighed with the seizure gone from storage (collateral counts the pledge again).
		Self::refresh(machine);
		Self::deposit_event(Event::ShortfallCovered { machine, staker: who, amount });
		Ok(())
	}

	pub(crate) fn do_claim_abandonment(who: T::AccountId, machine: MachineId) -> DispatchResult {
		let holder = T::Compute::beneficiary(machine).ok_or(Error::<T>::UnknownMachine)?;
		ensure!(holder == who, Error::<T>::NotNftHolder);
		let provider = T::Compute::provider(machine).ok_or(Error::<T>::UnknownMachine)?;
		ensure!(provider != who, Error::<T>::HolderIsProvider);
		let bond = Bonds::<T>::get(machine).ok_or(Error::<T>::NoBond)?;
		ensure!(!Self::is_leased(machine), Error::<T>::MachineLeased);
		ensure!(!T::Judgement::under_judgement(machine), Error::<T>::UnderJudgement);
		let period = Params::<T>::get().abandonment_period;
		ensure!(!period.is_zero(), Error::<T>::NotAbandoned);
		let now = Self::now();
		let (_, down_now, _) = Self::marks(machine);
		let claim = match AbandonmentClaims::<T>::get(machine) {
			Some(claim) if claim.claimant == who => claim,
			// None yet, or one by a former holder: start (or restart) it.
			_ => {
				ensure!(!T::Compute::is_online(machine), Error::<T>::NotAbandoned);
				AbandonmentClaims::<T>::insert(
					machine,
					AbandonmentClaim {
						claimant: who.clone(),
						started_at: now,
						downtime_mark: down_now,
					},
				);
				let decide_at = now.saturating_add(period);
				Self::deposit_event(Event::AbandonmentClaimStarted {
					machine,
					holder: who,
					decide_at,
				});
				return Ok(());
			},
		};
		let elapsed = now.saturating_sub(claim.started_at);
		ensure!(elapsed >= period, Error::<T>::AbandonmentPeriodNotOver);
		AbandonmentClaims::<T>::remove(machine);
		let down: u128 = down_now.saturating_sub(claim.downtime_mark).unique_saturated_into();
		let elapsed: u128 = elapsed.unique_saturated_into();
		if down.saturating_mul(10) < elapsed.saturating_mul(9) {
			Self::deposit_event(Event::AbandonmentClaimVoided { machine, holder: who });
			return Ok(());
		}
		let amount = bond.total();
		frame_support::storage::with_storage_layer(|| {
			Self::slash_bond_and_pledge(
				machine,
				Perbill::one(),
				false,
				SlashReason::Abandoned,
				Some((who.clone(), amount)),
				None,
				&[],
			)
		})?;
		Self::deposit_event(Event::AbandonmentClaimed { machine, holder: who, amount });
		Ok(())
	}

	/// Slashes `fraction` of the machine's collateral (PEC bond, active then unbonding, plus
	/// the pledged NFT's value), all or nothing: on `Err` no storage changed. PEC goes to
	/// `harmed` up to its loss, then the reporter's and jurors' shares of the rest, then the
	/// treasury. If the slash exceeds the PEC bond and the NFT is pledged, the NFT is seized to
	/// the treasury, or, while its machine is leased (a leased NFT never moves), marked for
	/// seizure when the lease ends. Nothing to slash is `Ok` with `slashed` zero.
	pub(crate) fn do_slash(
		machine: MachineId,
		fraction: Perbill,
		reason: SlashReason,
		harmed: Option<(T::AccountId, T::Balance)>,
		reporter: Option<T::AccountId>,
		jurors: &[T::AccountId],
	) -> Result<SlashOutcome<T::Balance>, DispatchError> {
		frame_support::storage::with_storage_layer(|| {
			Self::slash_bond_and_pledge(machine, fraction, true, reason, harmed, reporter, jurors)
		})
	}

	/// The body of a slash; callers run it in a storage layer. `with_pledge` counts (and may
	/// seize) the pledged NFT.
	fn slash_bond_and_pledge(
		machine: MachineId,
		fraction: Perbill,
		with_pledge: bool,
		reason: SlashReason,
		harmed: Option<(T::AccountId, T::Balance)>,
		reporter: Option<T::AccountId>,
		jurors: &[T::AccountId],
	) -> Result<SlashOutcome<T::Balance>, DispatchError> {
		ensure!(jurors.len() as u32 <= T::MaxJurors::get(), Error::<T>::TooManyJurors);
		// Eras already passed pay the shares they had, before a seizure changes them.
		Pool::<T>::put(Self::pool_now());
		let bond = Bonds::<T>::get(machine);
		let bonded = bond.as_ref().map(|b| b.total()).unwrap_or_default();
		let pledge = if with_pledge { Self::slashable_pledge_value(machine) } else { Zero::zero() };
		let target = fraction * bonded.saturating_add(pledge);
		let mut outcome = SlashOutcome::default();
		if target.is_zero() {
			return Ok(outcome);
		}

		let take = target.min(bonded);
		outcome.slashed = take;
		if let Some(mut bond) = bond {
			// Active first, then the unbonding chunks, newest first.
			let mut left = take;
			let from_active = left.min(bond.active);
			bond.active.saturating_reduce(from_active);
			left.saturating_reduce(from_active);
			while !left.is_zero() {
				let Some(chunk) = bond.unbonding.last_mut() else { break };
				let part = left.min(chunk.amount);
				chunk.amount.saturating_reduce(part);
				left.saturating_reduce(part);
				if chunk.amount.is_zero() {
					bond.unbonding.pop();
				}
			}
			let owner = bond.owner.clone();
			if bond.active.is_zero() && bond.unbonding.is_empty() {
				Bonds::<T>::remove(machine);
			} else {
				Bonds::<T>::insert(machine, bond);
			}
			TotalBonded::<T>::mutate(|t| t.saturating_reduce(take));
			Self::pay_out(machine, &owner, take, harmed, reporter, jurors, &mut outcome)?;
		}
		Self::deposit_event(Event::Slashed { machine, reason, fraction, amount: take });

		if target > bonded && !pledge.is_zero() {
			let params = Params::<T>::get();
			let mut stake = Stakes::<T>::get(machine).ok_or(Error::<T>::NotStaked)?;
			let already = stake.seizure_pending;
			let shortfall = target.saturating_sub(bonded);
			// Proportional: a shortfall that is a small part of the slash (the bond covered
			// nearly all of it) does not cost a whole NFT.
			if !already && shortfall < params.seize_threshold * target {
				Self::deposit_event(Event::ShortfallWaived { machine, shortfall });
			} else {
				// A further slash while a seizure is pending adds to what the holder owes.
				let owed =
					if already { stake.shortfall.saturating_add(shortfall) } else { shortfall }
						.min(pledge);
				let now = Self::now();
				let leased = T::Compute::locks(machine).has(NftLockReason::Lease);
				if params.seize_grace.is_zero() && !leased {
					Self::seize_now(machine, stake, &mut outcome)?;
				} else {
					// The claim is kept: the NFT stops earning and cannot leave; the holder may
					// pay the shortfall within the grace, else anyone seizes it once it is due
					// and the machine's lease (a leased NFT never moves) has ended.
					let mut pool = Self::pool_now();
					Self::settle(machine, &mut stake, &mut pool);
					stake.seizure_pending = true;
					stake.shortfall = owed;
					if !already {
						stake.seizure_due = now.saturating_add(params.seize_grace);
					}
					Self::settle(machine, &mut stake, &mut pool);
					let (staker, due) = (stake.staker.clone(), stake.seizure_due);
					Stakes::<T>::insert(machine, stake);
					Pool::<T>::put(pool);
					outcome.seizure_pending = true;
					Self::deposit_event(Event::SeizurePending {
						machine,
						staker,
						shortfall: owed,
						due,
					});
				}
			}
		}
		Self::refresh(machine);
		Ok(outcome)
	}

	/// Seizes `machine`'s pledged NFT to the treasury now; its pending rewards stay the
	/// staker's (kept in `Unclaimed` if they cannot take them yet).
	fn seize_now(
		machine: MachineId,
		mut stake: StakeOf<T>,
		outcome: &mut SlashOutcome<T::Balance>,
	) -> DispatchResult {
		// What the stake earned up to now stays the staker's.
		let mut pool = Self::pool_now();
		Self::settle(machine, &mut stake, &mut pool);
		pool.total_shares = pool.total_shares.saturating_sub(stake.effective_shares);
		Pool::<T>::put(pool);
		Stakes::<T>::remove(machine);
		T::Compute::seize(machine, &T::TreasuryAccount::get())?;
		Self::keep_or_pay(&stake.staker, stake.pending);
		outcome.nft_seized = true;
		Self::deposit_event(Event::PledgeSeized { machine, staker: stake.staker });
		Ok(())
	}

	fn pay_out(
		machine: MachineId,
		owner: &T::AccountId,
		total: T::Balance,
		harmed: Option<(T::AccountId, T::Balance)>,
		reporter: Option<T::AccountId>,
		jurors: &[T::AccountId],
		outcome: &mut SlashOutcome<T::Balance>,
	) -> DispatchResult {
		let params = Params::<T>::get();
		let mut left = total;
		if let Some((renter, loss)) = harmed {
			let amount = loss.min(left);
			left.saturating_reduce(amount);
			outcome.to_harmed = Self::pay(machine, owner, &renter, amount, Payee::Harmed)?;
		}
		let after_harmed = left;
		if let Some(reporter) = reporter {
			let amount = (params.reporter_share * after_harmed).min(left);
			left.saturating_reduce(amount);
			outcome.to_reporter = Self::pay(machine, owner, &reporter, amount, Payee::Reporter)?;
		}
		if !jurors.is_empty() {
			let pot = (params.juror_share * after_harmed).min(left);
			let each = pot / T::Balance::from(jurors.len() as u64);
			for juror in jurors {
				left.saturating_reduce(each);
				let paid = Self::pay(machine, owner, juror, each, Payee::Juror)?;
				outcome.to_jurors.saturating_accrue(paid);
			}
		}
		outcome.to_treasury =
			Self::pay(machine, owner, &T::TreasuryAccount::get(), left, Payee::Treasury)?;
		// Payments a recipient could not take (below its existential deposit) went to the treasury.
		let paid_elsewhere =
			outcome.to_harmed.saturating_add(outcome.to_reporter).saturating_add(outcome.to_jurors);
		outcome.to_treasury = total.saturating_sub(paid_elsewhere);
		Ok(())
	}

	/// Moves `amount` from `owner`'s collateral hold to `to`; if `to` cannot receive it (a new
	/// account below the existential deposit), the treasury gets it. Returns what `to` got.
	fn pay(
		machine: MachineId,
		owner: &T::AccountId,
		to: &T::AccountId,
		amount: T::Balance,
		payee: Payee,
	) -> Result<T::Balance, DispatchError> {
		if amount.is_zero() {
			return Ok(Zero::zero());
		}
		let moved =
			frame_support::storage::with_storage_layer(|| Self::move_held(owner, to, amount));
		if moved.is_ok() {
			Self::deposit_event(Event::SlashPaid { machine, payee, to: to.clone(), amount });
			return Ok(amount);
		}
		let treasury = T::TreasuryAccount::get();
		Self::move_held(owner, &treasury, amount)?;
		Self::deposit_event(Event::SlashPaid {
			machine,
			payee: Payee::Treasury,
			to: treasury,
			amount,
		});
		Ok(if *to == T::TreasuryAccount::get() { amount } else { Zero::zero() })
	}

	/// Moves exactly `amount` of `owner`'s collateral hold into `to`'s free balance.
	fn move_held(
		owner: &T::AccountId,
		to: &T::AccountId,
		amount: T::Balance,
	) -> Result<T::Balance, DispatchError> {
		T::Currency::transfer_on_hold(
			&Self::hold_reason(),
			owner,
			to,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)
	}

	/// For other pallets' benchmarks: `owner` stakes and pledges `machine`'s NFT, worth twice the
	/// machine's minimum collateral, and `provider` bonds a single planck, so the machine can be
	/// leased and any slash of more than a few parts per thousand reaches (seizes) the NFT: the
	/// worst path of every call that may slash. `provider` must be funded.
	#[cfg(feature = "runtime-benchmarks")]
	pub fn benchmark_pledge_and_bond(
		machine: MachineId,
		provider: &T::AccountId,
		owner: &T::AccountId,
	) {
		let minimum: u128 = Self::minimum_for(machine).try_into().unwrap_or(u128::MAX);
		let score = u128::from(T::Compute::score(machine).unwrap_or_default()).max(1);
		Params::<T>::mutate(|p| {
			p.pledge_haircut = Perbill::from_percent(50);
			p.pledge_value_per_point = T::Balance::try_from(minimum.saturating_mul(4) / score + 1)
				.unwrap_or_else(|_| sp_runtime::traits::Bounded::max_value());
		});
		Self::do_stake_nft(owner.clone(), machine).expect("verified machine of the owner; qed");
		Self::do_pledge_nft(owner.clone(), machine).expect("staked just now; qed");
		Self::do_bond(provider.clone(), machine, T::Balance::from(1u64))
			.expect("funded provider; qed");
	}

	/// Checks the pallet's invariants (run by `try_state` and by the tests).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut per_owner = alloc::collections::BTreeMap::<T::AccountId, T::Balance>::new();
		let mut total = T::Balance::zero();
		for (_, bond) in Bonds::<T>::iter() {
			let sum = bond.total();
			ensure!(!sum.is_zero(), "empty bonds are removed");
			total.saturating_accrue(sum);
			per_owner.entry(bond.owner.clone()).or_default().saturating_accrue(sum);
		}
		ensure!(total == TotalBonded::<T>::get(), "TotalBonded is the sum of the bonds");
		for (owner, sum) in per_owner {
			ensure!(
				T::Currency::balance_on_hold(&Self::hold_reason(), &owner) == sum,
				"collateral held equals the owner's machine bonds"
			);
		}
		let shares: u128 = Stakes::<T>::iter().map(|(_, s)| s.effective_shares).sum();
		ensure!(shares == Pool::<T>::get().total_shares, "pool shares are the stakes' effective");
		for (_, stake) in Stakes::<T>::iter() {
			ensure!(
				stake.effective_shares == 0
					|| (stake.unstaking_since.is_none() && !stake.seizure_pending),
				"a leaving or seized stake earns nothing"
			);
		}
		for (machine, stake) in Stakes::<T>::iter() {
			let locks = T::Compute::locks(machine);
			ensure!(locks.has(NftLockReason::Stake), "a staked NFT holds the stake lock");
			ensure!(locks.has(NftLockReason::Pledge) == stake.pledged, "pledge lock matches");
			ensure!(!stake.seizure_pending || stake.pledged, "an NFT due for seizure is pledged");
		}
		// And the other way: every stake or pledge lock has its record.
		for machine in T::Compute::locked_with(NftLockReason::Stake) {
			ensure!(Stakes::<T>::contains_key(machine), "a stake lock without a stake record");
		}
		for machine in T::Compute::locked_with(NftLockReason::Pledge) {
			ensure!(
				Stakes::<T>::get(machine).is_some_and(|s| s.pledged),
				"a pledge lock without a pledged stake"
			);
		}
		Ok(())
	}
}

impl<T: Config> MachineCollateral<T::Balance> for Pallet<T> {
	fn effective_collateral(machine: MachineId) -> T::Balance {
		Self::active_bond(machine).saturating_add(Self::pledge_value(machine))
	}
	fn minimum_collateral(machine: MachineId) -> T::Balance {
		Self::minimum_for(machine)
	}
	fn is_sufficiently_collateralized(machine: MachineId) -> bool {
		// A machine whose NFT is due for seizure takes no new lease: the seizure happens when
		// the running one ends, and a new one would only postpone it.
		!Stakes::<T>::get(machine).is_some_and(|s| s.seizure_pending)
			&& Self::effective_collateral(machine) >= Self::minimum_for(machine)
	}
}

impl<T: Config> MachineSlashing<T::AccountId, T::Balance> for Pallet<T> {
	fn slash(
		machine: MachineId,
		fraction: Perbill,
		reason: SlashReason,
		harmed: Option<(T::AccountId, T::Balance)>,
		reporter: Option<T::AccountId>,
		jurors: &[T::AccountId],
	) -> Result<SlashOutcome<T::Balance>, DispatchError> {
		Self::do_slash(machine, fraction, reason, harmed, reporter, jurors)
	}
	fn max_jurors() -> u32 {
		T::MaxJurors::get()
	}
}

impl<T: Config> RewardsObserver for Pallet<T> {
	fn availability_changed(machine: MachineId) {
		Self::refresh(machine);
	}
	fn availability_changed_weight() -> Weight {
		<T::WeightInfo as crate::weights::WeightInfo>::refresh_stake()
	}
}

impl<T: Config> RetirementGuard for Pallet<T> {
	fn ensure_can_retire(machine: MachineId) -> Result<(), DispatchError> {
		ensure!(!Bonds::<T>::contains_key(machine), Error::<T>::BondOutstanding);
		ensure!(!Stakes::<T>::contains_key(machine), Error::<T>::NftStaked);
		Ok(())
	}
}

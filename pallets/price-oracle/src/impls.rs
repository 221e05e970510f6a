//! Observation (one pool read per block) and the time-weighted average.

use crate::*;
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use powerverse_primitives::{PecPrice, PoolReserves, PriceUnavailable};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Saturating, UniqueSaturatedInto, Zero},
	FixedPointNumber, Rounding,
};

impl<T: Config> Pallet<T> {
	/// Adds the last price over the blocks since the last update, reads the pool, and records
	/// a checkpoint when one is due. O(1): one pool read, at most 64 checkpoints rewritten.
	pub fn observe(now: BlockNumberFor<T>) -> Weight {
		let Some(asset) = Tracked::<T>::get() else {
			return T::DbWeight::get().reads(1);
		};
		let mut state = State::<T>::get();
		state.cumulative = Self::cumulative_at(&state, now);
		state.last_block = now;
		if let Some(spot) =
			T::Pools::reserves(&asset).and_then(|(pec, stable)| Self::spot(pec, stable))
		{
			if !state.last_price.is_zero()
				&& now.saturating_sub(state.last_observed) > T::MaxStaleness::get()
			{
				// Back after a gap longer than the staleness limit: the history describes a
				// market that has moved since. Warm up again from this observation.
				state = Accumulator { last_block: now, ..Default::default() };
				Checkpoints::<T>::kill();
			}
			state.last_price = Self::bounded(state.last_price, spot);
			state.last_observed = now;
		}
		let cumulative = state.cumulative;
		let observed = !state.last_price.is_zero();
		State::<T>::put(state);
		if observed {
			Checkpoints::<T>::mutate(|points| {
				let due = points
					.last()
					.map_or(true, |(at, _)| now.saturating_sub(*at) >= Self::checkpoint_interval());
				if due {
					if points.len() as u32 >= T::Checkpoints::get() || points.is_full() {
						points.remove(0);
					}
					let _ = points.try_push((now, cumulative)); // room made above
				}
			});
		}
		T::WeightInfo::observe().saturating_add(T::Pools::weight())
	}

	/// The running sum carried to `now` at the last recorded price. Modular: differences over a
	/// window stay exact (see `Accumulator::cumulative`).
	fn cumulative_at(state: &Accumulator<BlockNumberFor<T>>, now: BlockNumberFor<T>) -> u128 {
		let elapsed: u128 = now.saturating_sub(state.last_block).unique_saturated_into();
		state.cumulative.wrapping_add(state.last_price.into_inner().wrapping_mul(elapsed))
	}

	/// `spot`, moved at most `MaxChangePerBlock` from `last` (no bound for a first observation):
	/// pushing the pool far for a block or two barely moves what the oracle records, so the
	/// average can only be moved by holding the pool away from the market for many blocks.
	fn bounded(last: FixedU128, spot: FixedU128) -> FixedU128 {
		if last.is_zero() {
			return spot;
		}
		let step = FixedU128::from_inner(T::MaxChangePerBlock::get().mul_ceil(last.into_inner()));
		spot.max(last.saturating_sub(step)).min(last.saturating_add(step))
	}

	fn checkpoint_interval() -> BlockNumberFor<T> {
		let n: BlockNumberFor<T> = T::Checkpoints::get().max(1).into();
		(T::Window::get() / n).max(1u32.into())
	}

	/// Stable units per PEC in a pool of `pec` plancks and `stable` units, if it holds at least
	/// `MinLiquidity` PEC.
	fn spot(pec: T::Balance, stable: T::Balance) -> Option<FixedU128> {
		let (pec, stable): (u128, u128) = (pec.into(), stable.into());
		if pec == 0 || pec < T::MinLiquidity::get().into() {
			return None;
		}
		let unit: u128 = T::PecUnit::get().into();
		// stable × unit / pec, in 18 decimals.
		let inner = multiply_by_rational_with_rounding(
			stable,
			unit.saturating_mul(FixedU128::DIV),
			pec,
			Rounding::Down,
		)?;
		Some(FixedU128::from_inner(inner))
	}

	/// The time-weighted average over (about) the window, in stable units per PEC.
	pub fn twap() -> Result<FixedU128, PriceUnavailable> {
		Tracked::<T>::get().ok_or(PriceUnavailable::NoPrice)?;
		let state = State::<T>::get();
		if state.last_price.is_zero() {
			return Err(PriceUnavailable::NoPrice);
		}
		let now = frame_system::Pallet::<T>::block_number();
		if now.saturating_sub(state.last_observed) > T::MaxStaleness::get() {
			return Err(PriceUnavailable::Stale);
		}
		// The cumulative as of now (this block's hook may not have run yet in a runtime API call).
		let cumulative = Self::cumulative_at(&state, now);
		let start = now.saturating_sub(T::Window::get());
		let points = Checkpoints::<T>::get();
		// The oldest checkpoint inside the window; it must cover at least half of it.
		let (at, then) =
			points.iter().find(|(at, _)| *at >= start).copied().ok_or(PriceUnavailable::NoPrice)?;
		let span = now.saturating_sub(at);
		if span.saturating_mul(2u32.into()) < T::Window::get() {
			return Err(PriceUnavailable::NoPrice);
		}
		let span: u128 = span.unique_saturated_into();
		let average = cumulative.wrapping_sub(then) / span.max(1);
		if average == 0 {
			return Err(PriceUnavailable::ZeroPrice);
		}
		Ok(FixedU128::from_inner(average))
	}

	/// The oracle's state for clients.
	pub fn price_info() -> Option<PriceInfo<T::AssetId, BlockNumberFor<T>>> {
		let asset = Tracked::<T>::get()?;
		let state = State::<T>::get();
		let twap = Self::twap();
		Some(PriceInfo {
			asset,
			twap: twap.ok(),
			spot: state.last_price,
			window: T::Window::get(),
			last_observed: state.last_observed,
			unavailable: twap.err(),
		})
	}
}

impl<T: Config> PecPrice<T::Balance> for Pallet<T> {
	fn stable_to_pec(stable: T::Balance) -> Result<T::Balance, PriceUnavailable> {
		// The lower of the average and the last (bounded) observation: a customer who pushed
		// the price up to pay fewer PEC must have held it up through both.
		let price = Self::twap()?.min(State::<T>::get().last_price);
		let unit: u128 = T::PecUnit::get().into();
		// stable / price × unit = stable × unit × 10^18 / inner.
		let pec = multiply_by_rational_with_rounding(
			stable.into(),
			unit.saturating_mul(FixedU128::DIV),
			price.into_inner(),
			Rounding::Down,
		)
		.ok_or(PriceUnavailable::ZeroPrice)?;
		T::Balance::try_from(pec).map_err(|_| PriceUnavailable::ZeroPrice)
	}

	fn weight() -> Weight {
		T::WeightInfo::stable_to_pec()
	}
}

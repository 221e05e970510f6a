#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use weights::WeightInfo;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::FixedU128;

/// The running sum of the price over blocks and the last observation.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct Accumulator<BlockNumber> {
	/// Σ price × blocks (the price's inner 18-decimal value), modulo 2^128: the difference
	/// between two values is exact while the true sum over the window stays below 2^128, i.e.
	/// for prices below 2^128 / window ≈ 5.6 × 10^17 stable units per PEC at a 600-block window
	/// (an asset of 6 decimals up to $5.6 × 10^11 per PEC, of 12 decimals up to $560,000).
	pub cumulative: u128,
	/// The price the pool showed at the last observation (stable units per PEC).
	pub last_price: FixedU128,
	/// The block of the last observation with enough liquidity.
	pub last_observed: BlockNumber,
	/// The block `cumulative` runs to.
	pub last_block: BlockNumber,
}

/// What clients see (`powerverse_pecPrice`).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PriceInfo<AssetId, BlockNumber> {
	/// The stable asset the price is in.
	pub asset: AssetId,
	/// Stable units per PEC, averaged over `window` blocks (`None` while warming up or stale).
	pub twap: Option<FixedU128>,
	/// The pool's price at the last observation.
	pub spot: FixedU128,
	/// The blocks the average covers.
	pub window: BlockNumber,
	pub last_observed: BlockNumber,
	/// Why there is no average, if there is none.
	pub unavailable: Option<powerverse_primitives::PriceUnavailable>,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use powerverse_primitives::PoolReserves;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// PEC and stable amounts.
		type Balance: Parameter + MaxEncodedLen + Copy + Into<u128> + TryFrom<u128> + Default;

		/// The DEX's asset ids.
		type AssetId: Parameter + MaxEncodedLen + serde::Serialize + for<'a> serde::Deserialize<'a>;

		/// The pool of PEC against the stable asset.
		type Pools: PoolReserves<Self::AssetId, Self::Balance>;

		/// Chooses the stable asset (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The averaging window, in blocks.
		#[pallet::constant]
		type Window: Get<BlockNumberFor<Self>>;

		/// Checkpoints kept over the window (its resolution: one per `Window / Checkpoints`).
		#[pallet::constant]
		type Checkpoints: Get<u32>;

		/// No price once the last observation with enough liquidity is older than this.
		#[pallet::constant]
		type MaxStaleness: Get<BlockNumberFor<Self>>;

		/// The least PEC in the pool for an observation to count (a thin pool is cheap to move).
		#[pallet::constant]
		type MinLiquidity: Get<Self::Balance>;

		/// The most the recorded price moves from one observation to the next (the pool's price
		/// beyond it is recorded at the bound).
		#[pallet::constant]
		type MaxChangePerBlock: Get<sp_runtime::Perbill>;

		/// Plancks per PEC (prices are stable units per whole PEC).
		#[pallet::constant]
		type PecUnit: Get<Self::Balance>;

		type WeightInfo: WeightInfo;

		/// Creates a pool of PEC against an asset for the benchmarks; returns the asset.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AssetId>;
	}

	/// What the benchmarks need from the runtime.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AssetId> {
		fn pool() -> AssetId;
	}

	/// The stable asset whose pool is observed.
	#[pallet::storage]
	pub type Tracked<T: Config> = StorageValue<_, T::AssetId, OptionQuery>;

	#[pallet::storage]
	pub type State<T: Config> = StorageValue<_, Accumulator<BlockNumberFor<T>>, ValueQuery>;

	/// `(block, cumulative)` every `Window / Checkpoints` blocks, oldest first.
	#[pallet::storage]
	pub type Checkpoints<T: Config> =
		StorageValue<_, BoundedVec<(BlockNumberFor<T>, u128), ConstU32<64>>, ValueQuery>;

	/// The stable asset a network observes from genesis. Its pool need not exist yet: the
	/// oracle has no price until a pool holding `MinLiquidity` PEC is there (test networks
	/// track their test stablecoin this way; a network without one leaves it `None` and
	/// governance calls `track` once the pool is deep enough).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub tracked: Option<T::AssetId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(asset) = &self.tracked {
				Tracked::<T>::put(asset);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The oracle observes the pool of PEC against `asset` from now on (history reset).
		Tracking { asset: T::AssetId },
		/// The oracle stopped observing.
		Untracked,
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The asset has no pool with PEC.
		NoPool,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::observe(now)
		}

		fn integrity_test() {
			assert!(
				T::Checkpoints::get() >= 2 && T::Checkpoints::get() <= 64,
				"2..=64 checkpoints"
			);
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Observes the pool of PEC against `asset` from now on; the average starts over.
		///
		/// Origin: `AdminOrigin`. Emits `Tracking`. O(1).
		#[pallet::call_index(0)]
		pub fn track(origin: OriginFor<T>, asset: T::AssetId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(T::Pools::reserves(&asset).is_some(), Error::<T>::NoPool);
			Tracked::<T>::put(&asset);
			State::<T>::kill();
			Checkpoints::<T>::kill();
			Self::observe(frame_system::Pallet::<T>::block_number());
			Self::deposit_event(Event::Tracking { asset });
			Ok(())
		}

		/// Stops observing: no price until `track` again.
		///
		/// Origin: `AdminOrigin`. Emits `Untracked`. O(1).
		#[pallet::call_index(1)]
		pub fn untrack(origin: OriginFor<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Tracked::<T>::kill();
			State::<T>::kill();
			Checkpoints::<T>::kill();
			Self::deposit_event(Event::Untracked);
			Ok(())
		}
	}
}

mod impls;

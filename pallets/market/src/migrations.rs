//! Storage migrations of the market pallet, each run once by the runtime's `Executive` when
//! the pallet's on-chain storage version is the one it upgrades from.

/// Version 2: each listed machine records its place in the price-ordered offer index
/// (`Offers` held `()`), and the index (`OffersByPrice`) is built, so quotes read O(page)
/// offers instead of walking and sorting every one.
pub mod v2 {
	use crate::pallet::*;
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// The migration without its version guard; use [`MigrateToV2`].
	pub struct UncheckedMigrateToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			// Bounded by `MaxOffers` listings: two reads (the machine's stable and posted
			// price) and two writes (the offer and its index entry) each.
			let mut listed = 0u64;
			Offers::<T>::translate::<(), _>(|machine, ()| {
				listed = listed.saturating_add(1);
				// A machine that no longer exists is delisted (nobody can rent it).
				let offer = Pallet::<T>::offer_of(machine)?;
				OffersByPrice::<T>::insert(offer.unit, offer.key, ());
				Some(offer)
			});
			// Plus the version read and write, and the listing counter.
			T::DbWeight::get().reads_writes(
				listed.saturating_mul(3).saturating_add(2),
				listed.saturating_mul(2).saturating_add(2),
			)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			use codec::Encode;
			Ok(Offers::<T>::count().encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use codec::Decode;
			let before = u32::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			let after = Offers::<T>::count();
			ensure!(after <= before, "the migration listed machines");
			let indexed = OffersByPrice::<T>::iter_keys().count() as u32;
			ensure!(indexed == after, "every listing is indexed once");
			for (machine, offer) in Offers::<T>::iter() {
				ensure!(offer.key.machine() == machine, "an offer's key names another machine");
			}
			Ok(())
		}
	}

	/// Runs [`UncheckedMigrateToV2`] once, when the market's storage version is 1, and sets it
	/// to 2.
	pub type MigrateToV2<T> = VersionedMigration<
		1,
		2,
		UncheckedMigrateToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

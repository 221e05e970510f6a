use frame_support::traits::ConstU64;

use crate::{Aura, Runtime, SLOT_DURATION};

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	/// Half a slot, so Aura's slot duration (`MinimumPeriodTimesTwo`) equals `SLOT_DURATION`.
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}

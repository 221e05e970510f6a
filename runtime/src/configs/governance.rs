//! PEC-holder governance: the origins of the referendum tracks, the tracks themselves, and the
//! stock pallets behind them (pallet-referenda, pallet-conviction-voting, pallet-preimage,
//! pallet-scheduler). docs/governance.md lists the tracks for voters.
//!
//! Every privileged call of the PowerVerse pallets takes Root or the origin of one track:
//!
//! | track | origin | what it may do |
//! |---|---|---|
//! | 0 `root` | Root | runtime upgrades (`system.setCode`), direct slashes (`computeStaking.slash`), anything |
//! | 1 `parameters` | `ParamsAdmin` | compute hardware table, staking/market/supervisor/tier parameters, early-access gates |
//! | 2 `treasurer` | `Treasurer` | treasury spends up to [`MAX_TREASURER_SPEND`] |
//! | 3 `supervision` | `SupervisionAdmin` | admit/remove supervisors, governance verdicts on disputes and verifications |
//! | 4 `validators` | `ValidatorAdmin` | approve/reject/remove validators, slash their bonds, session length and bond |
//!
//! Durations: the figures below are the network's; a chain whose genesis sets
//! `origins.timeDivisor` above 1 (the development and local presets: [`DEV_TIME_DIVISOR`])
//! divides every governance period by it, so a referendum runs in minutes on a test network.

use alloc::borrow::Cow;
use frame_support::{
	parameter_types,
	traits::{fungible::HoldConsideration, EitherOf, EqualPrivilegeOnly, Get, LinearStoragePrice},
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureSigned};
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::{str_array as s, Perbill};

use crate::{
	configs::RuntimeBlockWeights, AccountId, Balance, Balances, BlockNumber, OriginCaller,
	Preimage, Referenda, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin,
	Scheduler, System, Treasury, DAYS, HOURS, MINUTES, PEC,
};

pub use origins::{
	ParamsAdmin, SupervisionAdmin, Treasurer, ValidatorAdmin, DEV_TIME_DIVISOR, MAX_TREASURER_SPEND,
};

/// The origins of the tracks other than root, and the time divisor of test networks.
#[frame_support::pallet]
pub mod origins {
	use frame_support::pallet_prelude::*;

	use crate::{Balance, PEC};

	/// The most one `treasurer` referendum may spend.
	pub const MAX_TREASURER_SPEND: Balance = 1_000_000 * PEC;
	/// What the development and local presets divide governance periods by (a 7-day decision
	/// period lasts 70 blocks, 7 minutes).
	pub const DEV_TIME_DIVISOR: u32 = 1_440;

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origin a referendum of each track dispatches with.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// Track `parameters`.
		ParamsAdmin,
		/// Track `treasurer`.
		Treasurer,
		/// Track `supervision`.
		SupervisionAdmin,
		/// Track `validators`.
		ValidatorAdmin,
	}

	/// Governance periods are divided by this (1, or 0, on a real network).
	#[pallet::storage]
	pub type TimeDivisor<T> = StorageValue<_, u32, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub time_divisor: u32,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			TimeDivisor::<T>::put(self.time_divisor);
		}
	}

	macro_rules! unit_origin {
		($name:ident) => {
			#[doc = concat!("Ensures the origin of the `", stringify!($name), "` track.")]
			pub struct $name;
			impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for $name
			where
				O: Into<Result<Origin, O>>,
			{
				type Success = ();
				fn try_origin(o: O) -> Result<Self::Success, O> {
					o.into().and_then(|o| match o {
						Origin::$name => Ok(()),
						other => Err(O::from(other)),
					})
				}
				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$name))
				}
			}
		};
	}
	unit_origin!(ParamsAdmin);
	unit_origin!(SupervisionAdmin);
	unit_origin!(ValidatorAdmin);

	/// Ensures the `treasurer` track's origin; succeeds with the most it may spend.
	pub struct Treasurer;
	impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for Treasurer
	where
		O: Into<Result<Origin, O>>,
	{
		type Success = Balance;
		fn try_origin(o: O) -> Result<Self::Success, O> {
			o.into().and_then(|o| match o {
				Origin::Treasurer => Ok(MAX_TREASURER_SPEND),
				other => Err(O::from(other)),
			})
		}
		#[cfg(feature = "runtime-benchmarks")]
		fn try_successful_origin() -> Result<O, ()> {
			Ok(O::from(Origin::Treasurer))
		}
	}
}

impl origins::Config for Runtime {}

/// `blocks` on this chain: divided by the genesis' time divisor (never below one block).
pub fn scaled(blocks: BlockNumber) -> BlockNumber {
	let divisor = origins::TimeDivisor::<Runtime>::get().max(1);
	(blocks / divisor).max(1)
}

/// A governance period, scaled by [`scaled`].
pub struct Scaled<const BLOCKS: BlockNumber>;
impl<const BLOCKS: BlockNumber> Get<BlockNumber> for Scaled<BLOCKS> {
	fn get() -> BlockNumber {
		scaled(BLOCKS)
	}
}

/// `BLOCKS` scaled by [`scaled`], but never below `MIN` (periods a test network cannot shrink
/// to a block or two, such as the price oracle's window).
pub struct ScaledAtLeast<const BLOCKS: BlockNumber, const MIN: BlockNumber>;
impl<const BLOCKS: BlockNumber, const MIN: BlockNumber> Get<BlockNumber>
	for ScaledAtLeast<BLOCKS, MIN>
{
	fn get() -> BlockNumber {
		scaled(BLOCKS).max(MIN)
	}
}

/// Root, or the `parameters` track.
pub type ParamsOrigin = EitherOf<EnsureRoot<AccountId>, ParamsAdmin>;
/// Root, or the `supervision` track.
pub type SupervisionOrigin = EitherOf<EnsureRoot<AccountId>, SupervisionAdmin>;
/// Root, or the `validators` track.
pub type ValidatorSetOrigin = EitherOf<EnsureRoot<AccountId>, ValidatorAdmin>;

parameter_types! {
	pub const PreimageBaseDeposit: Balance = PEC;
	pub const PreimageByteDeposit: Balance = crate::MICRO_PEC * 100;
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	/// Scheduled calls (enacted referenda) may use 80% of a block.
	pub MaximumSchedulerWeight: frame_support::weights::Weight =
		Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
	/// 100 PEC to submit a referendum (refundable once it is approved or cancelled; kept if it is
	/// rejected or times out, and slashed to the treasury if it is killed).
	pub const SubmissionDeposit: Balance = 100 * PEC;
	pub const MaxBalance: Balance = Balance::MAX;
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_preimage::WeightInfo<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = frame_support::traits::ConstU32<50>;
	type WeightInfo = crate::weights::pallet_scheduler::WeightInfo<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_conviction_voting::WeightInfo<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	type MaxTurnout = frame_support::traits::TotalIssuanceOf<Balances, AccountId>;
	/// Votes one account may have at once (one per referendum).
	type MaxVotes = frame_support::traits::ConstU32<512>;
	/// A conviction of 1 locks the vote for 7 days after the referendum, 2× → 14, … 6× → 224.
	type VoteLockingPeriod = Scaled<{ 7 * DAYS }>;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_referenda::WeightInfo<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = EnsureSigned<AccountId>;
	type CancelOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	/// Deposits of killed referenda go to the treasury.
	type Slash = Treasury;
	type Votes = Balance;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = frame_support::traits::ConstU32<100>;
	/// A referendum without its decision deposit times out after 14 days.
	type UndecidingTimeout = Scaled<{ 14 * DAYS }>;
	type AlarmInterval = frame_support::traits::ConstU32<1>;
	type Tracks = TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// Treasury spends: up to [`MAX_TREASURER_SPEND`] by the `treasurer` track, anything by root.
pub type TreasurySpender = EitherOf<EnsureRootWithSuccess<AccountId, MaxBalance>, Treasurer>;

/// One track's figures at network speed.
struct TrackSpec {
	id: u16,
	name: [u8; 25],
	max_deciding: u32,
	decision_deposit: Balance,
	prepare: BlockNumber,
	decision: BlockNumber,
	confirm: BlockNumber,
	enactment: BlockNumber,
	/// Approval (aye share of conviction-weighted votes) falls linearly from 100% to this.
	approval_floor: Perbill,
	/// Support (aye PEC, before conviction, of the total issuance) falls linearly from this to
	/// a tenth of it.
	support_ceil: Perbill,
}

const TRACKS: [TrackSpec; 5] = [
	TrackSpec {
		id: 0,
		name: s("root"),
		max_deciding: 1,
		decision_deposit: 50_000 * PEC,
		prepare: 2 * HOURS,
		decision: 14 * DAYS,
		confirm: DAYS,
		enactment: DAYS,
		approval_floor: Perbill::from_percent(60),
		support_ceil: Perbill::from_percent(25),
	},
	TrackSpec {
		id: 1,
		name: s("parameters"),
		max_deciding: 10,
		decision_deposit: 10_000 * PEC,
		prepare: 2 * HOURS,
		decision: 7 * DAYS,
		confirm: DAYS,
		enactment: HOURS,
		approval_floor: Perbill::from_percent(50),
		support_ceil: Perbill::from_percent(10),
	},
	TrackSpec {
		id: 2,
		name: s("treasurer"),
		max_deciding: 10,
		decision_deposit: 5_000 * PEC,
		prepare: 2 * HOURS,
		decision: 14 * DAYS,
		confirm: DAYS,
		enactment: DAYS,
		approval_floor: Perbill::from_percent(50),
		support_ceil: Perbill::from_percent(10),
	},
	TrackSpec {
		id: 3,
		name: s("supervision"),
		max_deciding: 20,
		decision_deposit: 5_000 * PEC,
		prepare: HOURS,
		decision: 7 * DAYS,
		confirm: DAYS,
		enactment: 10 * MINUTES,
		approval_floor: Perbill::from_percent(60),
		support_ceil: Perbill::from_percent(10),
	},
	TrackSpec {
		id: 4,
		name: s("validators"),
		max_deciding: 5,
		decision_deposit: 10_000 * PEC,
		prepare: 2 * HOURS,
		decision: 7 * DAYS,
		confirm: DAYS,
		enactment: HOURS,
		approval_floor: Perbill::from_percent(50),
		support_ceil: Perbill::from_percent(10),
	},
];

/// The referendum tracks ([`TRACKS`], periods scaled by [`scaled`]).
pub struct TracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin = <RuntimeOrigin as frame_support::traits::OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		TRACKS.iter().map(|t| {
			let decision = scaled(t.decision);
			Cow::Owned(Track {
				id: t.id,
				info: TrackInfo {
					name: t.name,
					max_deciding: t.max_deciding,
					decision_deposit: t.decision_deposit,
					prepare_period: scaled(t.prepare),
					decision_period: decision,
					confirm_period: scaled(t.confirm),
					min_enactment_period: scaled(t.enactment),
					min_approval: Curve::LinearDecreasing {
						length: Perbill::one(),
						floor: t.approval_floor,
						ceil: Perbill::one(),
					},
					min_support: Curve::LinearDecreasing {
						length: Perbill::one(),
						floor: Perbill::from_parts(t.support_ceil.deconstruct() / 10),
						ceil: t.support_ceil,
					},
				},
			})
		})
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		match origin {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(0),
			OriginCaller::Origins(origins::Origin::ParamsAdmin) => Ok(1),
			OriginCaller::Origins(origins::Origin::Treasurer) => Ok(2),
			OriginCaller::Origins(origins::Origin::SupervisionAdmin) => Ok(3),
			OriginCaller::Origins(origins::Origin::ValidatorAdmin) => Ok(4),
			_ => Err(()),
		}
	}
}

//! Records and aliases of the compute pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug;
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use powerverse_primitives::{ComputeScore, MachineSpec, NftLocks, Reviewer};
use scale_info::TypeInfo;

use crate::Config;

/// Longest display name, operator/ISP name and city, in bytes.
pub const MAX_NAME_LEN: u32 = 64;
/// Longest contact URL, in bytes.
pub const MAX_URL_LEN: u32 = 128;

/// A short bounded UTF-8 string (names, cities).
pub type ShortText = BoundedVec<u8, ConstU32<MAX_NAME_LEN>>;
/// A bounded URL.
pub type Url = BoundedVec<u8, ConstU32<MAX_URL_LEN>>;

/// The account type of a runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// The PEC balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as frame_support::traits::fungible::Inspect<AccountIdOf<T>>>::Balance;
/// A machine record of a runtime.
pub type MachineOf<T> = Machine<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>>;
/// A provider record of a runtime.
pub type ProviderOf<T> = Provider<BlockNumberFor<T>>;
/// The pallet-nfts collection config type the compute collection is created with.
pub type CollectionConfigOf<T> =
	pallet_nfts::CollectionConfig<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::CollectionId>;

/// What a provider tells customers about itself. Customers encrypt private job specs to
/// `encryption_key`.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct ProviderProfile {
	/// Name shown to customers. Not empty.
	pub display_name: ShortText,
	/// Operator or ISP running the hardware. Not empty.
	pub operator: ShortText,
	/// City of the data centre. Not empty.
	pub city: ShortText,
	/// ISO 3166-1 alpha-2 country code, upper case (`DE`, `US`, `SG`).
	pub country: [u8; 2],
	/// `https://` or `http://` URL where customers reach the provider.
	pub contact_url: Url,
	/// x25519 public key for encrypted job specs. Not all zero.
	pub encryption_key: [u8; 32],
}

/// A registered provider.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Provider<BlockNumber> {
	/// The public profile.
	pub profile: ProviderProfile,
	/// Machines not yet retired.
	pub live_machines: u32,
	/// Block of registration.
	pub registered_at: BlockNumber,
}

/// The stored part of a machine's lifecycle. `Offline` and `Maintenance` are derived from it on
/// read (see [`powerverse_primitives::MachineState`]).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum MachineStatus {
	/// Waiting for verification.
	PendingVerification,
	/// Verification failed.
	Rejected,
	/// Verified and not leased.
	Active,
	/// Verified and running a lease.
	Leased,
	/// Retired; the NFT is burned.
	Retired,
}

/// A maintenance window announced in advance: `[starts_at, ends_at)`.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct MaintenanceWindow<BlockNumber> {
	/// First block of the window.
	pub starts_at: BlockNumber,
	/// First block after the window.
	pub ends_at: BlockNumber,
}

/// Class of a hardware model in the model table.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum HardwareClass {
	/// A GPU: its score is per GPU.
	Gpu,
	/// A CPU: its score is per physical core.
	Cpu,
}

/// An entry of the governance-maintained hardware model table.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct HardwareModel {
	/// GPU or CPU.
	pub class: HardwareClass,
	/// Baseline score per GPU (class `Gpu`) or per core (class `Cpu`).
	pub score: u32,
}

/// A machine.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Machine<AccountId, Balance, BlockNumber> {
	/// The provider that registered and operates it.
	pub provider: AccountId,
	/// Hot key allowed to send heartbeats.
	pub operator: AccountId,
	/// Declared hardware.
	pub spec: MachineSpec,
	/// Compute score from the model table at registration.
	pub score: ComputeScore,
	/// Posted price per hour, in PEC plancks.
	pub price_per_hour: Balance,
	/// Stored lifecycle status.
	pub status: MachineStatus,
	/// Locks held on the compute NFT.
	pub locks: NftLocks,
	/// Block of registration.
	pub registered_at: BlockNumber,
	/// Block of the last heartbeat (registration counts as the first).
	pub last_heartbeat: BlockNumber,
	/// Blocks counted online, accrued at each heartbeat.
	pub uptime_blocks: BlockNumber,
	/// Blocks counted offline outside announced maintenance, accrued at each heartbeat.
	pub downtime_blocks: BlockNumber,
	/// Blocks of announced maintenance beyond the heartbeat timeout, accrued at each heartbeat:
	/// neither up nor down; staking counts them available only within an allowance.
	pub maintenance_blocks: BlockNumber,
	/// The announced maintenance window, if any.
	pub maintenance: Option<MaintenanceWindow<BlockNumber>>,
	/// While leased: the lease's scheduled end (first block after it).
	pub lease_until: Option<BlockNumber>,
	/// Downtime blocks of the current (or last) lease, accrued at each heartbeat and never past
	/// `lease_until`: what the market does not charge for.
	pub lease_downtime: BlockNumber,
	/// Who reached the machine's last verification verdict (or revoked it).
	pub reviewed_by: Option<Reviewer>,
}

/// A hash identifying the host a machine runs on (see `register_fingerprinted_machine`).
pub type Fingerprint = [u8; 32];

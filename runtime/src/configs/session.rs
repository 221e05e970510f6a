//! The validator set: pallet-validators (ours) decides who validates and when a session ends;
//! pallet-session hands each new set to Aura and GRANDPA, from the session after next.

use frame_support::{parameter_types, traits::ConstU32};
use sp_runtime::traits::ConvertInto;

use super::governance::ValidatorSetOrigin;
use crate::{
	AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeEvent, RuntimeHoldReason, Session,
	SessionKeys, MINUTES, PEC,
};

parameter_types! {
	/// Held while an account has session keys registered, so keys cannot bloat state for free.
	pub const KeyDeposit: Balance = PEC;
	/// Governance may not make sessions shorter than a minute (10 blocks).
	pub const MinSessionLength: BlockNumber = MINUTES;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = crate::Validators;
	type NextSessionRotation = crate::Validators;
	type SessionManager = crate::Validators;
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = crate::weights::pallet_session::WeightInfo<Runtime>;
	type Currency = Balances;
	type KeyDeposit = KeyDeposit;
}

impl pallet_validators::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Balance = Balance;
	type RuntimeHoldReason = RuntimeHoldReason;
	type KeysRegistered = Session;
	type AdminOrigin = ValidatorSetOrigin;
	type TreasuryAccount = super::transaction_payment::TreasuryAccount;
	type MaxValidators = super::aura::MaxAuthorities;
	/// Never none; governance decides how many more keep finality through failures.
	type MinValidators = ConstU32<1>;
	type MaxCandidates = ConstU32<32>;
	type MinSessionLength = MinSessionLength;
	type WeightInfo = pallet_validators::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ValidatorsBenchmarkHelper;
}

/// Registers session keys for the validator benchmarks, as `session.setKeys` would.
#[cfg(feature = "runtime-benchmarks")]
pub struct ValidatorsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_validators::BenchmarkHelper<AccountId> for ValidatorsBenchmarkHelper {
	fn register_keys(who: &AccountId) {
		use codec::Decode;
		use sp_runtime::traits::Hash;
		let seed = sp_runtime::traits::BlakeTwo256::hash_of(who);
		let keys =
			SessionKeys::decode(&mut sp_runtime::traits::TrailingZeroInput::new(seed.as_ref()))
				.expect("any bytes decode as keys; qed");
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}

/// Keys and their proof of possession for pallet-session's benchmarks, made in the benchmark's
/// keystore as `author_rotateKeys` makes them on a validator's node.
#[cfg(feature = "runtime-benchmarks")]
impl pallet_validators::session_benchmarking::Config for Runtime {
	fn generate_session_keys_and_proof(owner: AccountId) -> (SessionKeys, alloc::vec::Vec<u8>) {
		use codec::Encode;
		let generated = SessionKeys::generate(&owner.encode(), None);
		(generated.keys, generated.proof.encode())
	}
}

//! `CheckEarlyAccess`: the transaction extension that keeps a gated call to the tiers it is
//! reserved for.

use crate::{Config, Pallet, WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{GetCallMetadata, OriginTrait},
	DefaultNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::{
	impl_tx_ext_default,
	traits::{DispatchInfoOf, TransactionExtension, ValidateResult},
	transaction_validity::InvalidTransaction,
	Weight,
};

/// `InvalidTransaction::Custom` code of a call sent before the sender's tier may send it.
pub const EARLY_ACCESS_DENIED: u8 = 40;

/// Refuses a signed transaction whose call is behind an open early-access gate the sender's
/// tier does not reach. It carries no data (nothing to sign or encode).
///
/// It sees the transaction's own call: a runtime that adds a pallet wrapping calls for signed
/// senders (utility, proxy, multisig) must let the gate see through the wrapper.
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckEarlyAccess<T>(PhantomData<T>);

impl<T> CheckEarlyAccess<T> {
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> core::fmt::Debug for CheckEarlyAccess<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckEarlyAccess")
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckEarlyAccess<T>
where
	T::RuntimeCall: GetCallMetadata,
{
	const IDENTIFIER: &'static str = "CheckEarlyAccess";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	/// Only a call the runtime lets be gated pays for the lookup; every other transaction
	/// passes without touching storage.
	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		let metadata = call.get_call_metadata();
		if Pallet::<T>::gateable(metadata.pallet_name, metadata.function_name) {
			<T as Config>::WeightInfo::check_early_access()
		} else {
			Weight::zero()
		}
	}

	fn validate(
		&self,
		origin: <T as frame_system::Config>::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		if let Some(who) = origin.as_signer() {
			let metadata = call.get_call_metadata();
			if !Pallet::<T>::may_call(who, metadata.pallet_name, metadata.function_name) {
				return Err(InvalidTransaction::Custom(EARLY_ACCESS_DENIED).into());
			}
		}
		Ok((Default::default(), (), origin))
	}

	impl_tx_ext_default!(T::RuntimeCall; prepare);
}

//! The node's JSON-RPC extensions beyond the standard `system_*`, `chain_*`, `state_*` and
//! `author_*` methods that sc-service installs: `system_accountNextIndex` (frame-system RPC) and
//! `payment_queryInfo` / `payment_queryFeeDetails` (transaction-payment RPC), and the
//! `powerverse_*` namespace (crate::powerverse_rpc).
#![warn(missing_docs)]

use std::sync::Arc;

use jsonrpsee::RpcModule;
use powerverse_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Nonce};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// Full client dependencies.
pub struct FullDeps<C, P> {
	/// The client instance to use.
	pub client: Arc<C>,
	/// Transaction pool instance.
	pub pool: Arc<P>,
}

/// Instantiate all full RPC extensions.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: powerverse_runtime_api::PowerVerseApi<Block, AccountId, Balance, BlockNumber>,
	P: TransactionPool + 'static,
{
	use crate::powerverse_rpc::{PowerVerse, PowerVerseApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(PowerVerse::new(client).into_rpc())?;

	Ok(module)
}

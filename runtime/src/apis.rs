//! Runtime APIs: what the node, polkadot.js and the benchmark CLI call into the runtime.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	traits::tokens::nonfungibles_v2::Inspect,
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use powerverse_runtime_api::{
	AccountSummary, JobInfo, JobRequirements, LeaseId, LeaseInfo, MachineId, MachineInfo, Quote,
};
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use super::{
	configs::{ComputeCollectionId, NftItemId},
	AccountId, Aura, Balance, Block, BlockNumber, ComputeStaking, Executive, Grandpa,
	InherentDataExt, Nfts, Nonce, Runtime, RuntimeCall, RuntimeGenesisConfig, SessionKeys, System,
	TransactionPayment, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(id: frame_support::view_functions::ViewFunctionId, input: Vec<u8>) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(
			encoded: Vec<u8>,
		) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			// NOTE: this is the only implementation possible since we've
			// defined our key owner proof type as a bottom type (i.e. a type
			// with no values).
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	/// Quotes and reserves of the DEX's pools (polkadot.js: `api.call.assetConversionApi`).
	impl pallet_asset_conversion::AssetConversionApi<Block, Balance, crate::configs::AssetKind> for Runtime {
		fn quote_price_exact_tokens_for_tokens(
			asset1: crate::configs::AssetKind,
			asset2: crate::configs::AssetKind,
			amount: Balance,
			include_fee: bool,
		) -> Option<Balance> {
			crate::AssetConversion::quote_price_exact_tokens_for_tokens(asset1, asset2, amount, include_fee)
		}

		fn quote_price_tokens_for_exact_tokens(
			asset1: crate::configs::AssetKind,
			asset2: crate::configs::AssetKind,
			amount: Balance,
			include_fee: bool,
		) -> Option<Balance> {
			crate::AssetConversion::quote_price_tokens_for_exact_tokens(asset1, asset2, amount, include_fee)
		}

		fn get_reserves(asset1: crate::configs::AssetKind, asset2: crate::configs::AssetKind) -> Option<(Balance, Balance)> {
			crate::AssetConversion::get_reserves(asset1, asset2).ok()
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[api_version(6)]
	impl powerverse_runtime_api::PowerVerseApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn pec_price() -> Option<powerverse_runtime_api::PriceInfo<u32, BlockNumber>> {
			crate::PriceOracle::price_info()
		}

		fn tier(who: AccountId) -> Option<powerverse_runtime_api::TierStatus<Balance, BlockNumber>> {
			crate::Tiers::status(&who)
		}

		fn supervisor(who: AccountId) -> Option<powerverse_runtime_api::SupervisorStatus<Balance, BlockNumber>> {
			crate::Supervisors::status(&who)
		}

		fn stake(machine: MachineId) -> Option<powerverse_runtime_api::StakeStatus<AccountId, Balance>> {
			ComputeStaking::stake_status(machine)
		}

		fn machine(id: MachineId) -> Option<MachineInfo<AccountId, Balance, BlockNumber>> {
			crate::powerverse_api::machine(id)
		}

		fn machines_by_provider(provider: AccountId, after: Option<MachineId>, limit: u32) -> Vec<MachineId> {
			crate::powerverse_api::machines_by_provider(provider, after, limit)
		}

		fn machines_by_owner(owner: AccountId, after: Option<MachineId>, limit: u32) -> Vec<MachineId> {
			crate::powerverse_api::machines_by_owner(owner, after, limit)
		}

		fn open_jobs_for_machine(machine: MachineId, skip: u32, limit: u32) -> Vec<JobInfo<AccountId, Balance, BlockNumber>> {
			crate::powerverse_api::open_jobs_for_machine(machine, skip, limit)
		}

		fn quote(requirements: JobRequirements, limit: u32) -> Vec<Quote<Balance>> {
			crate::powerverse_api::quote(requirements, limit)
		}

		fn lease(id: LeaseId) -> Option<LeaseInfo<AccountId, Balance, BlockNumber>> {
			crate::powerverse_api::lease(id)
		}

		fn account(who: AccountId) -> AccountSummary<Balance> {
			crate::powerverse_api::account(who)
		}

		fn open_jobs_page(
			machine: MachineId,
			cursor: Option<powerverse_runtime_api::JobCursor>,
			limit: u32,
		) -> powerverse_runtime_api::Page<JobInfo<AccountId, Balance, BlockNumber>, powerverse_runtime_api::JobCursor> {
			crate::powerverse_api::open_jobs_page(machine, cursor, limit)
		}

		fn quote_page(
			requirements: JobRequirements,
			cursor: Option<powerverse_runtime_api::QuoteCursor>,
			limit: u32,
		) -> powerverse_runtime_api::Page<Quote<Balance>, powerverse_runtime_api::QuoteCursor> {
			crate::powerverse_api::quote_page(requirements, cursor, limit)
		}

		fn earnings(
			who: AccountId,
			cursor: Option<powerverse_runtime_api::EarningsCursor>,
			limit: u32,
		) -> powerverse_runtime_api::Page<powerverse_runtime_api::Earning<Balance>, powerverse_runtime_api::EarningsCursor> {
			crate::powerverse_api::earnings(who, cursor, limit)
		}
	}

	impl pallet_nfts_runtime_api::NftsApi<Block, AccountId, ComputeCollectionId, NftItemId> for Runtime {
		fn owner(collection: ComputeCollectionId, item: NftItemId) -> Option<AccountId> {
			<Nfts as Inspect<AccountId>>::owner(&collection, &item)
		}

		fn collection_owner(collection: ComputeCollectionId) -> Option<AccountId> {
			<Nfts as Inspect<AccountId>>::collection_owner(&collection)
		}

		fn attribute(
			collection: ComputeCollectionId,
			item: NftItemId,
			key: Vec<u8>,
		) -> Option<Vec<u8>> {
			<Nfts as Inspect<AccountId>>::attribute(&collection, &item, &key)
		}

		fn custom_attribute(
			account: AccountId,
			collection: ComputeCollectionId,
			item: NftItemId,
			key: Vec<u8>,
		) -> Option<Vec<u8>> {
			<Nfts as Inspect<AccountId>>::custom_attribute(&account, &collection, &item, &key)
		}

		fn system_attribute(
			collection: ComputeCollectionId,
			item: Option<NftItemId>,
			key: Vec<u8>,
		) -> Option<Vec<u8>> {
			<Nfts as Inspect<AccountId>>::system_attribute(&collection, item.as_ref(), &key)
		}

		fn collection_attribute(collection: ComputeCollectionId, key: Vec<u8>) -> Option<Vec<u8>> {
			<Nfts as Inspect<AccountId>>::collection_attribute(&collection, &key)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::{baseline, BenchmarkList};
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use pallet_validators::session_benchmarking::Pallet as SessionBench;
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = AllPalletsWithSystem::storage_info();

			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline, BenchmarkBatch};
			use sp_storage::TrackedStorageKey;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use pallet_validators::session_benchmarking::Pallet as SessionBench;
			use super::*;

			impl frame_system_benchmarking::Config for Runtime {}
			impl baseline::Config for Runtime {}

			use frame_support::traits::WhitelistedStorageKeys;
			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// try-runtime tooling only (never in a block): a failed pre/post check must stop here.
			let weight = Executive::try_runtime_upgrade(checks).expect("try-runtime upgrade checks failed; qed");
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect
		) -> Weight {
			// try-runtime tooling only (never in a block).
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("try-runtime execute_block failed; qed")
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			match id {
				// Not `RuntimeGenesisConfig::default()`: the parameters a network starts with.
				None => crate::genesis_config_presets::default_genesis_json(),
				Some(_) => get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset),
			}
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}

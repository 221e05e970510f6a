//! The runtime's default genesis and its presets.
//!
//! The default genesis (what `GenesisBuilder::get_preset(None)` returns, and what every preset
//! and every network's patch is applied on) is a network without keys: the parameters, the
//! hardware model table, the compute collection, the treasury and compute accounts — and no
//! authorities, no endowments, no sudo key. A network adds its own with the stock
//! `chain-spec-builder create ... patch` (docs/validator.md). The presets `development` (Alice
//! alone authors and finalizes, and holds the sudo key) and `local_testnet` (Alice, Bob,
//! Charlie and Dave as validators, no sudo) fund every well-known dev account and run
//! governance periods [`DEV_TIME_DIVISOR`] times faster.

use crate::{
	configs::governance::DEV_TIME_DIVISOR, AccountId, AssetsConfig, Balance, BalancesConfig,
	BlockNumber, ComputeConfig, ComputeStakingConfig, MarketConfig, OriginsConfig,
	PriceOracleConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys, SudoConfig,
	SupervisorsConfig, TiersConfig, ValidatorsConfig, DAYS, HOURS, MILLI_PEC, MINUTES, PEC,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use pallet_compute::HardwareClass;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Each funded dev account starts with one million PEC.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * PEC;

/// The test stablecoin of the development and local presets: asset 1, "tUSD", 6 decimals,
/// sufficient (an account holding only tUSD exists and can pay its fees in it once a pool is
/// there), owned (and mintable) by Alice. Production networks create their stable asset by
/// governance (`assets.forceCreate`), docs/economics.md.
pub const DEV_STABLE_ASSET: u32 = 1;
/// One tUSD in its smallest units.
pub const DEV_STABLE_UNIT: Balance = 1_000_000;
/// Each funded dev account starts with one million tUSD.
pub const DEV_STABLE_ENDOWMENT: Balance = 1_000_000 * DEV_STABLE_UNIT;

/// The compute pallet's account is endowed with this, enough for the compute collection's
/// pallet-nfts deposit (10 PEC) with room to spare.
pub const COMPUTE_ACCOUNT_ENDOWMENT: Balance = 100 * PEC;

/// The treasury account exists from genesis, so fees and slashes smaller than the existential
/// deposit are credited instead of being dropped.
pub const TREASURY_ENDOWMENT: Balance = PEC;

/// The development and local presets' treasury: 100,000 PEC, so juror fees are paid.
pub const DEV_TREASURY_ENDOWMENT: Balance = 100_000 * PEC;

/// Per-core score of CPUs missing from the model table.
pub const DEFAULT_CPU_CORE_SCORE: u32 = 4;

/// The hardware model table shipped at genesis: baseline score per GPU, or per core for CPUs.
/// Relative to an H100 SXM at 1000 (dense FP16/BF16 tensor throughput and memory, rounded);
/// see docs/economics.md.
pub fn hardware_models() -> Vec<(Vec<u8>, HardwareClass, u32)> {
	let gpu = |name: &str, score| (name.as_bytes().to_vec(), HardwareClass::Gpu, score);
	let cpu = |name: &str, score| (name.as_bytes().to_vec(), HardwareClass::Cpu, score);
	vec![
		gpu("H200", 1150),
		gpu("H100", 1000),
		gpu("A100", 600),
		gpu("L40S", 450),
		gpu("RTX 4090", 330),
		gpu("RTX A6000", 250),
		gpu("RTX 3090", 180),
		cpu("AMD EPYC 9654", 10),
		cpu("Intel Xeon Platinum 8480+", 9),
		cpu("AMD Ryzen 9 7950X", 8),
	]
}

/// Staking parameters at genesis (governance changes them with `computeStaking.setParams`).
/// Market parameters: a 5% protocol fee to the treasury, 10% of collateral slashed when a
/// leased machine goes offline.
pub fn market_params() -> pallet_market::MarketParams {
	pallet_market::MarketParams {
		protocol_fee: sp_runtime::Perbill::from_percent(5),
		offline_slash: sp_runtime::Perbill::from_percent(10),
	}
}

pub fn staking_params() -> pallet_compute_staking::StakingParams<Balance, crate::BlockNumber> {
	pallet_compute_staking::StakingParams {
		min_collateral_base: 100 * PEC,
		min_collateral_per_point: 100 * MILLI_PEC,
		unbonding_delay: 7 * DAYS,
		unstake_cooldown: 2 * DAYS,
		era_reward: 10_000 * PEC,
		pledge_value_per_point: 200 * MILLI_PEC,
		pledge_haircut: sp_runtime::Perbill::from_percent(50),
		reporter_share: sp_runtime::Perbill::from_percent(10),
		juror_share: sp_runtime::Perbill::from_percent(10),
		unpledge_delay: crate::configs::compute_staking::MinUnpledgeDelay::get(),
		abandonment_period: 14 * DAYS,
		// Two hours of announced maintenance a day count as available; a leased machine's NFT
		// weighs 30% more; a slash seizes a pledged NFT only for a shortfall of 10% of the slash
		// or more, after a day in which the holder may pay it in PEC instead.
		maintenance_allowance: 2 * HOURS,
		lease_bonus: sp_runtime::Perbill::from_percent(30),
		seize_threshold: sp_runtime::Perbill::from_percent(10),
		seize_grace: DAYS,
	}
}

/// The name of the local testnet preset, as `--chain local` and `build-spec` use it.
pub const LOCAL_TESTNET_PRESET: &str = sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
/// The name of the development preset (`--dev`).
pub const DEVELOPMENT_PRESET: &str = sp_genesis_builder::DEV_RUNTIME_PRESET;
/// The genesis `scripts/benchmark.sh` measures the governance pallets and pallet-nfts on: the
/// development preset with real (undivided) governance periods, which their benchmarks assume,
/// and no compute collection (pallet-nfts' benchmarks create collection 0 themselves). Not
/// listed in [`preset_names`]: no network starts from it.
pub const BENCHMARK_PRESET: &str = "benchmark";

/// A dev validator: its account (the sr25519 dev key) and its session keys (Aura: the same
/// sr25519 key, GRANDPA: the ed25519 dev key of the same name).
fn authority_keys(who: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AccountId, SessionKeys) {
	let aura: AuraId = who.public().into();
	let grandpa: GrandpaId = grandpa.public().into();
	(who.to_account_id(), SessionKeys { aura, grandpa })
}

/// Loyalty tiers at network speed: Bronze freezes 1,000 PEC for 30 days for a 10% fee
/// discount, Silver 10,000 for 90 days for 25%, Gold 50,000 for 180 days for 50%; priority
/// levels 1, 2 and 3. Test networks divide the terms by `divisor`.
pub fn tier_params(divisor: BlockNumber) -> pallet_tiers::TierParamsOf<crate::Runtime> {
	let terms = |amount: Balance, days: BlockNumber, discount, priority| pallet_tiers::TierTerms {
		min_amount: amount * PEC,
		term: (days * DAYS / divisor).max(1),
		fee_discount: sp_runtime::Perbill::from_percent(discount),
		priority,
	};
	pallet_tiers::TierParams {
		bronze: terms(1_000, 30, 10, 1),
		silver: terms(10_000, 90, 25, 2),
		gold: terms(50_000, 180, 50, 3),
	}
}

/// The validator set's terms: a 10,000 PEC bond, one-hour sessions, the bond back 7 days after
/// leaving. Test networks use one-minute sessions and an hour's delay.
pub fn validator_params(
	test_network: bool,
) -> pallet_validators::ValidatorParams<Balance, BlockNumber> {
	pallet_validators::ValidatorParams {
		bond: 10_000 * PEC,
		session_length: if test_network { MINUTES } else { HOURS },
		bond_delay: if test_network { HOURS } else { 7 * DAYS },
	}
}

/// Every well-known dev account (Alice … Ferdie and their stashes).
pub fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

/// A test network: `validators` validate from genesis (bonded, with their session keys), every
/// dev account is funded, governance runs [`DEV_TIME_DIVISOR`] times faster, and `sudo` (the
/// development preset only) holds the sudo key.
fn testnet_genesis(
	validators: Vec<(AccountId, SessionKeys)>,
	endowed_accounts: Vec<AccountId>,
	sudo: Option<AccountId>,
) -> Value {
	testnet_genesis_with_divisor(validators, endowed_accounts, sudo, DEV_TIME_DIVISOR)
}

fn testnet_genesis_with_divisor(
	validators: Vec<(AccountId, SessionKeys)>,
	endowed_accounts: Vec<AccountId>,
	sudo: Option<AccountId>,
	time_divisor: u32,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.map(|k| (k.clone(), DEV_ENDOWMENT))
				.collect::<Vec<_>>(),
		},
		assets: AssetsConfig {
			assets: vec![(
				DEV_STABLE_ASSET,
				Sr25519Keyring::Alice.to_account_id(),
				true,
				DEV_STABLE_UNIT / 100,
			)],
			metadata: vec![(
				DEV_STABLE_ASSET,
				b"PowerVerse Test Dollar".to_vec(),
				b"tUSD".to_vec(),
				6
			)],
			accounts: endowed_accounts
				.iter()
				.map(|k| (DEV_STABLE_ASSET, k.clone(), DEV_STABLE_ENDOWMENT))
				.collect::<Vec<_>>(),
		},
		// The oracle watches the tUSD pool from genesis: a price once someone creates the pool
		// and adds 10,000 PEC of liquidity.
		price_oracle: PriceOracleConfig { tracked: Some(DEV_STABLE_ASSET) },
		validators: ValidatorsConfig {
			validators: validators.iter().map(|v| v.0.clone()).collect::<Vec<_>>(),
			params: validator_params(true),
		},
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|(account, keys)| (account.clone(), account, keys))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: sudo },
		origins: OriginsConfig { time_divisor },
		tiers: TiersConfig { params: tier_params(time_divisor) },
		// Enough in the treasury for juror fees and slashes to flow on a test network.
		market: MarketConfig { treasury_endowment: DEV_TREASURY_ENDOWMENT },
	})
}

/// Supervisor parameters at genesis (governance changes them with `supervisors.setParams`):
/// 5,000 PEC behind a supervisor's judgement; 12 hours to commit and 12 to reveal; a week's
/// notice to leave; 5 PEC per juror per case from the treasury; 5% of its contribution lost by
/// an absent or minority juror; reports bonded with 100 PEC; a confirmed report slashes 10% of
/// the machine's collateral, an upheld dispute 10%; a case waits up to two days for enough
/// eligible supervisors.
pub fn supervisor_params() -> pallet_supervisors::ParamsOf<crate::Runtime> {
	pallet_supervisors::SupervisorParams {
		min_contribution: 5_000 * PEC,
		commit_period: 12 * HOURS,
		reveal_period: 12 * HOURS,
		resign_delay: 7 * DAYS,
		juror_fee: 5 * PEC,
		incoherence_slash: sp_runtime::Perbill::from_percent(5),
		report_bond: 100 * PEC,
		report_slash: sp_runtime::Perbill::from_percent(10),
		dispute_slash: sp_runtime::Perbill::from_percent(10),
		max_wait: 2 * DAYS,
	}
}

/// The default genesis: a network without keys (see the module documentation).
pub fn default_genesis() -> RuntimeGenesisConfig {
	RuntimeGenesisConfig {
		compute_staking: ComputeStakingConfig { params: staking_params() },
		supervisors: SupervisorsConfig { params: supervisor_params(), ..Default::default() },
		tiers: TiersConfig { params: tier_params(1) },
		validators: ValidatorsConfig { params: validator_params(false), ..Default::default() },
		origins: OriginsConfig { time_divisor: 1, ..Default::default() },
		market: MarketConfig {
			params: market_params(),
			treasury_endowment: TREASURY_ENDOWMENT,
			..Default::default()
		},
		compute: ComputeConfig {
			hardware_models: hardware_models(),
			default_cpu_core_score: DEFAULT_CPU_CORE_SCORE,
			require_known_models: false,
			create_collection: true,
			pallet_account_endowment: COMPUTE_ACCOUNT_ENDOWMENT,
			..Default::default()
		},
		..Default::default()
	}
}

/// The default genesis as JSON, for `GenesisBuilder::get_preset(None)`.
pub fn default_genesis_json() -> Option<Vec<u8>> {
	serde_json::to_string(&default_genesis()).ok().map(|s| s.into_bytes())
}

/// `development`: Alice is the only validator and the sudo key (the one network with one).
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
	)
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate; no sudo key (governance decides).
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority_keys(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			authority_keys(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_accounts(),
		None,
	)
}

/// The JSON patch of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEVELOPMENT_PRESET => development_config_genesis(),
		LOCAL_TESTNET_PRESET => local_config_genesis(),
		BENCHMARK_PRESET => {
			let mut patch = testnet_genesis_with_divisor(
				vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
				dev_accounts(),
				Some(Sr25519Keyring::Alice.to_account_id()),
				1,
			);
			// pallet-nfts' benchmarks create their collection as collection 0: the compute
			// collection's id, so a transfer or burn there pays the compute pallet's lock check
			// (a machine-record read) as a compute NFT's does.
			patch["compute"]["createCollection"] = Value::Bool(false);
			patch
		},
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(|s| s.into_bytes())
}

/// The presets this runtime ships.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEVELOPMENT_PRESET), PresetId::from(LOCAL_TESTNET_PRESET)]
}

//! Chain specifications built from the runtime's genesis presets.

use powerverse_runtime::{
	genesis_config_presets::{DEVELOPMENT_PRESET, LOCAL_TESTNET_PRESET},
	DECIMALS, SS58_PREFIX, SYMBOL, WASM_BINARY,
};
use sc_service::{ChainType, Properties};

/// The chain spec type: generic, genesis built by the runtime from a preset or a JSON patch.
pub type ChainSpec = sc_service::GenericChainSpec;

/// `tokenSymbol` PEC, `tokenDecimals` 12, `ss58Format` 42: what polkadot.js reads to format
/// balances and addresses.
pub fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), SYMBOL.into());
	properties.insert("tokenDecimals".into(), DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime wasm was not built: rebuild without SKIP_WASM_BUILD".to_string()
	})
}

/// `--dev`: Alice alone authors and finalizes.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("PowerVerse Development")
		.with_id("powerverse_dev")
		.with_protocol_id("pvdev")
		.with_chain_type(ChainType::Development)
		.with_properties(properties())
		.with_genesis_config_preset_name(DEVELOPMENT_PRESET)
		.build())
}

/// `--chain local`: Alice, Bob, Charlie and Dave validate.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("PowerVerse Local Testnet")
		.with_id("powerverse_local")
		.with_protocol_id("pvlocal")
		.with_chain_type(ChainType::Local)
		.with_properties(properties())
		.with_genesis_config_preset_name(LOCAL_TESTNET_PRESET)
		.build())
}

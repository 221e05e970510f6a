//! The pallets whose weights the runtime's benchmark CLI generates.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_grandpa, Grandpa]
	[pallet_nfts, Nfts]
	[pallet_compute, Compute]
	[pallet_compute_staking, ComputeStaking]
	[pallet_market, Market]
	[pallet_supervisors, Supervisors]
	[pallet_tiers, Tiers]
	[pallet_validators, Validators]
	[pallet_price_oracle, PriceOracle]
	[pallet_assets, Assets]
	[pallet_asset_conversion, AssetConversion]
	[pallet_asset_conversion_tx_payment, AssetTxPayment]
);

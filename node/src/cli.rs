//! Command-line interface.

use sc_cli::RunCmd;

/// `powerverse-node [SUBCOMMAND] [OPTIONS]`; without a subcommand it runs a node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; none runs the node.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Options of a running node (`--dev`, `--chain`, `--base-path`, ports, ...).
	#[clap(flatten)]
	pub run: RunCmd,
}

/// Subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect, insert keys into a node's keystore.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (JSON) from `dev`, `local` or a file.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// polkadot-sdk's chain-spec builder: create a chain spec from the runtime's default
	/// genesis patched with a network's authorities and endowments, convert it to raw, list
	/// and show presets (docs/validator.md, "A network of your own").
	ChainSpecBuilder(staging_chain_spec_builder::ChainSpecBuilder),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks to a file or stdout.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file or stdin.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: pallet weights, storage, block/extrinsic overhead, machine.
	/// Available when built with `--features runtime-benchmarks`.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}

//! `powerverse-upgrade-check`: try-runtime's `on-runtime-upgrade` check of a new runtime against
//! a chain's state (see the library's documentation and docs/validator.md#checking-a-runtime-upgrade).
//!
//! ```text
//! powerverse-upgrade-check --runtime <try-runtime wasm> --uri ws://127.0.0.1:9944 [--at 0x<hash>] [--save-snapshot chain.snap]
//! powerverse-upgrade-check --runtime <try-runtime wasm> --snapshot chain.snap
//! ```
//! Exit status 0: every check passed (the report is printed); 1: a check failed, or the state
//! could not be had (node unreachable, timeout, damaged snapshot; the reason is printed); 2: bad
//! arguments (also an unreadable runtime file, or a --save-snapshot file that exists).

use clap::Parser;
use powerverse_upgrade_check::{check, load, snapshot, Checks};
use sp_core::H256;
use std::{panic::AssertUnwindSafe, path::PathBuf, process::ExitCode, time::Duration};

#[derive(Parser)]
#[command(
	version,
	about = "Checks a runtime upgrade against a chain's state: migrations with their pre/post checks, try_state of every pallet, weight, idempotency (try-runtime's on-runtime-upgrade)"
)]
struct Args {
	/// The new runtime: a wasm built with the `try-runtime` feature (scripts/upgrade-check.sh
	/// builds it), compressed or not.
	#[arg(long)]
	runtime: PathBuf,
	/// A node's WebSocket RPC to take the state from (ws:// or wss://).
	#[arg(long, conflicts_with = "snapshot", required_unless_present = "snapshot")]
	uri: Option<String>,
	/// With --uri: the block whose state is checked (default: the latest finalized block).
	#[arg(long, requires = "uri")]
	at: Option<H256>,
	/// With --uri: also write the state to this file, for later offline checks.
	#[arg(long, requires = "uri")]
	save_snapshot: Option<PathBuf>,
	/// Check against a snapshot file instead of a live node.
	#[arg(long)]
	snapshot: Option<PathBuf>,
	/// The checks the migrations run: all, pre-and-post, try-state or none.
	#[arg(long, default_value = "all")]
	checks: Checks,
	/// With --uri: give up on the snapshot after this many seconds.
	#[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
	timeout: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
	let args = Args::parse();
	sp_tracing::try_init_simple();
	let code = match std::fs::read(&args.runtime) {
		Ok(code) => code,
		Err(e) => {
			eprintln!("cannot read the runtime {}: {e}", args.runtime.display());
			return ExitCode::from(2);
		},
	};
	if let Some(path) = args.save_snapshot.as_ref().filter(|path| path.exists()) {
		eprintln!(
			"--save-snapshot {}: the file exists; remove it or choose another",
			path.display()
		);
		return ExitCode::from(2);
	}
	let state = match (&args.uri, &args.snapshot) {
		(Some(uri), _) => tokio::time::timeout(
			Duration::from_secs(args.timeout),
			snapshot(uri, args.at, args.save_snapshot.as_deref()),
		)
		.await
		.unwrap_or_else(|_| {
			Err(format!("no snapshot of {uri} after {} s (--timeout)", args.timeout))
		}),
		(None, Some(path)) => load(path).await,
		(None, None) => {
			eprintln!("give --uri (a live node) or --snapshot (a file)");
			return ExitCode::from(2);
		},
	};
	let mut state = match state {
		Ok(state) => state,
		Err(e) => {
			eprintln!("upgrade check: {e}");
			return ExitCode::FAILURE;
		},
	};
	// A damaged state can make the host side panic: that is a failed check, not a crash.
	let checked =
		std::panic::catch_unwind(AssertUnwindSafe(|| check(&mut state, &code, args.checks)))
			.unwrap_or_else(|_| Err("the check panicked (see the message above)".into()));
	match checked {
		Ok(report) => {
			println!("{report}");
			println!("upgrade check passed");
			ExitCode::SUCCESS
		},
		Err(e) => {
			eprintln!("upgrade check FAILED: {e}");
			ExitCode::FAILURE
		},
	}
}

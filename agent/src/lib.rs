//! # PowerVerse provider agent
//!
//! A library and the `powerverse-agent` binary a provider runs on each machine:
//! [`hardware`] detects the host and names its CPU and GPUs as the chain's hardware table does,
//! [`client`] talks to a node over WebSocket (TLS for `wss://`) with subxt, building calls,
//! storage reads and events from the chain's metadata at run time and waiting for finalization,
//! [`keys`] loads keys from files only their owner can read, [`fingerprint`] identifies the host
//! so onboarding is idempotent, and [`daemon`] is `powerverse-agent run`: heartbeats, jobs by
//! policy, results, claims and Prometheus metrics, surviving node restarts. The node's
//! end-to-end tests use the same client.

pub mod client;
pub mod daemon;
pub mod fingerprint;
pub mod hardware;
pub mod keys;

/// The client libraries, for callers (the node's tests) that build on [`client::Chain`].
pub use {subxt, subxt_signer};

/// Everything the agent can fail with, as a message for the operator.
#[derive(Debug)]
pub enum Error {
	/// The RPC endpoint could not be reached (the agent retries these where it loops).
	Unreachable(String),
	/// The node answered with a JSON-RPC error.
	Rpc(String),
	/// The chain rejected or failed the extrinsic.
	Chain(String),
	/// Bad input from the user.
	Input(String),
	/// Timed out waiting.
	Timeout(String),
}

impl std::fmt::Display for Error {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Error::Unreachable(m) => write!(f, "RPC endpoint unreachable: {m}"),
			Error::Rpc(m) => write!(f, "RPC error: {m}"),
			Error::Chain(m) => write!(f, "rejected by the chain: {m}"),
			Error::Input(m) => write!(f, "{m}"),
			Error::Timeout(m) => write!(f, "timed out: {m}"),
		}
	}
}

impl std::error::Error for Error {}

/// The agent's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Plancks per PEC (12 decimals).
pub const PLANCKS_PER_PEC: u128 = 1_000_000_000_000;

/// Parses a PEC amount such as `3`, `2.5` or `0.000001` into plancks.
pub fn parse_pec(s: &str) -> Result<u128> {
	let bad = || Error::Input(format!("{s:?} is not a PEC amount (e.g. 2.5)"));
	let (whole, frac) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
	if whole.is_empty() && frac.is_empty() || frac.len() > 12 {
		return Err(bad());
	}
	let digits = |d: &str| d.chars().all(|c| c.is_ascii_digit());
	if !digits(whole) || !digits(frac) {
		return Err(bad());
	}
	let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
	let frac_plancks: u128 =
		if frac.is_empty() { 0 } else { format!("{frac:0<12}").parse().map_err(|_| bad())? };
	whole.checked_mul(PLANCKS_PER_PEC).and_then(|w| w.checked_add(frac_plancks)).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn pec_amounts_parse_to_plancks() {
		assert_eq!(parse_pec("3").unwrap(), 3 * PLANCKS_PER_PEC);
		assert_eq!(parse_pec("2.5").unwrap(), 2_500_000_000_000);
		assert_eq!(parse_pec("0.000000000001").unwrap(), 1);
		assert_eq!(parse_pec(".5").unwrap(), PLANCKS_PER_PEC / 2);
		for bad in ["", ".", "1.2.3", "-1", "1e3", "0.0000000000001", "abc"] {
			assert!(parse_pec(bad).is_err(), "{bad}");
		}
	}
}

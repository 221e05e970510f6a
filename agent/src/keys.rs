//! Loading the signing key. The secret is never printed, logged or put into an error message.

use crate::{Error, Result};
use sp_core::{sr25519, Pair};
use std::path::Path;

/// An sr25519 key from a secret URI (`//Alice`, a mnemonic, a 0x seed, with optional
/// `//derivation`).
pub fn from_suri(suri: &str) -> Result<sr25519::Pair> {
	sr25519::Pair::from_string(suri.trim(), None).map_err(|_| {
		Error::Input(
			"the secret key is not a valid secret URI, mnemonic or 0x seed (it is not shown)"
				.into(),
		)
	})
}

/// An sr25519 key from a file holding a secret URI (first line; the file should be
/// readable only by the agent's user).
pub fn from_file(path: &Path) -> Result<sr25519::Pair> {
	let text = std::fs::read_to_string(path)
		.map_err(|e| Error::Input(format!("cannot read key file {}: {e}", path.display())))?;
	let line = text.lines().next().unwrap_or("").trim().to_owned();
	if line.is_empty() {
		return Err(Error::Input(format!("key file {} is empty", path.display())));
	}
	from_suri(&line).map_err(|_| {
		Error::Input(format!(
			"key file {} does not hold a valid secret URI, mnemonic or 0x seed (its content is \
			 not shown)",
			path.display()
		))
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	fn message(result: Result<sr25519::Pair>) -> String {
		match result {
			Ok(_) => panic!("expected an error"),
			Err(e) => e.to_string(),
		}
	}

	#[test]
	fn errors_never_contain_the_secret() {
		// Thirteen words: not a mnemonic.
		let secret = "bottom drive obey lake curtain smoke basket hold race lonely fit walk nope";
		let err = message(from_suri(secret));
		assert!(!err.contains("bottom") && !err.contains("nope"), "{err}");
		let dir = std::env::temp_dir().join(format!("pv-agent-key-{}", std::process::id()));
		std::fs::write(&dir, "not a key at all 0xzz").unwrap();
		let err = message(from_file(&dir));
		assert!(!err.contains("not a key"), "{err}");
		std::fs::write(&dir, "//Alice\n").unwrap();
		assert!(from_file(&dir).is_ok());
		std::fs::remove_file(&dir).unwrap();
	}
}

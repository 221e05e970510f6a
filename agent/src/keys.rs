//! Loading signing keys. Keys live in files readable only by the agent's user (like ssh keys);
//! the secret is never printed, logged or put into an error message.
//!
//! Two keys: the provider's **cold** key registers the provider and the machine and bonds
//! collateral (run those commands once, from a workstation or by hand); the machine's **hot**
//! operator key is all the daemon holds — it sends heartbeats, accepts jobs, submits results and
//! claims earnings (which are always paid to the machine's owner, never to the operator).

use crate::{Error, Result};
use std::{path::Path, str::FromStr};
use subxt::utils::AccountId32;
use subxt_signer::{sr25519::Keypair, SecretUri};

/// An sr25519 key from a secret URI (`//Alice`, a mnemonic, a 0x seed, with optional
/// `//derivation`).
pub fn from_suri(suri: &str) -> Result<Keypair> {
	let invalid = || {
		Error::Input(
			"the secret key is not a valid secret URI, mnemonic or 0x seed (it is not shown)"
				.into(),
		)
	};
	let uri = SecretUri::from_str(suri.trim()).map_err(|_| invalid())?;
	Keypair::from_uri(&uri).map_err(|_| invalid())
}

/// Refuses a key file that others may read or write, or that belongs to another user:
/// the same rule ssh applies to private keys.
pub fn check_permissions(path: &Path) -> Result<()> {
	use std::os::unix::fs::{MetadataExt, PermissionsExt};
	let meta = std::fs::metadata(path)
		.map_err(|e| Error::Input(format!("cannot read key file {}: {e}", path.display())))?;
	let mode = meta.permissions().mode() & 0o777;
	if mode & 0o077 != 0 {
		return Err(Error::Input(format!(
			"key file {} is accessible by others (mode {mode:o}): run `chmod 600 {}`",
			path.display(),
			path.display()
		)));
	}
	// SAFETY: geteuid has no preconditions and cannot fail.
	let me = unsafe { libc::geteuid() };
	if meta.uid() != me {
		return Err(Error::Input(format!(
			"key file {} belongs to user {} but the agent runs as user {me}: `chown` it",
			path.display(),
			meta.uid()
		)));
	}
	Ok(())
}

/// An sr25519 key from a file holding a secret URI on its first line. The file must be
/// readable only by its owner, the agent's user ([`check_permissions`]).
pub fn from_file(path: &Path) -> Result<Keypair> {
	check_permissions(path)?;
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

/// The account of a key.
pub fn account_of(key: &Keypair) -> AccountId32 {
	key.public_key().to_account_id()
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::os::unix::fs::PermissionsExt;

	fn message<T>(result: Result<T>) -> String {
		match result {
			Ok(_) => panic!("expected an error"),
			Err(e) => e.to_string(),
		}
	}

	fn key_file(name: &str, content: &str, mode: u32) -> std::path::PathBuf {
		let path = std::env::temp_dir().join(format!("pv-agent-key-{}-{name}", std::process::id()));
		std::fs::write(&path, content).unwrap();
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
		path
	}

	#[test]
	fn errors_never_contain_the_secret() {
		// Thirteen words: not a mnemonic.
		let secret = "bottom drive obey lake curtain smoke basket hold race lonely fit walk nope";
		let err = message(from_suri(secret));
		assert!(!err.contains("bottom") && !err.contains("nope"), "{err}");
		let path = key_file("junk", "not a key at all 0xzz", 0o600);
		let err = message(from_file(&path));
		assert!(!err.contains("not a key"), "{err}");
		std::fs::remove_file(&path).unwrap();
	}

	#[test]
	fn a_key_file_others_can_read_is_refused() {
		let path = key_file("open", "//Alice\n", 0o644);
		let err = message(from_file(&path));
		assert!(
			err.contains("accessible by others (mode 644)") && err.contains("chmod 600"),
			"{err}"
		);
		assert!(!err.contains("Alice"), "{err}");
		for mode in [0o640, 0o604, 0o660, 0o606] {
			std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
			assert!(from_file(&path).is_err(), "mode {mode:o}");
		}
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
		let alice = from_file(&path).unwrap();
		assert_eq!(
			account_of(&alice).to_string(),
			"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
		);
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
		assert!(from_file(&path).is_ok());
		std::fs::remove_file(&path).unwrap();
	}
}

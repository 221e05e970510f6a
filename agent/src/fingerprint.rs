//! A machine's fingerprint: what makes `onboard` idempotent. It is the BLAKE2-256 hash of the
//! host's machine-id (systemd's `/etc/machine-id`) and an optional salt, keyed by the
//! provider's account and a domain tag — so the machine-id itself never leaves the host
//! (machine-id(5) asks not to expose it) and two providers never share one. GPU UUIDs are left
//! out on purpose: a re-run after a GPU swap, or with the driver down, must find the same
//! machine rather than pay for a duplicate.
//! The chain stores it with the machine (`Compute.MachineByFingerprint`) when it is registered
//! with `register_fingerprinted_machine`; a second `onboard` from the same host finds it there.

use crate::hardware::HostSpec;
use subxt::utils::AccountId32;

const DOMAIN: &[u8] = b"powerverse/machine-fingerprint/v1";

/// The fingerprint of a host from its parts.
pub fn compute(
	provider: &AccountId32,
	machine_id: &str,
	gpu_uuids: &[String],
	salt: &str,
) -> [u8; 32] {
	let mut uuids: Vec<&str> =
		gpu_uuids.iter().map(|u| u.trim()).filter(|u| !u.is_empty()).collect();
	uuids.sort_unstable();
	uuids.dedup();
	let mut input = Vec::with_capacity(256);
	input.extend_from_slice(DOMAIN);
	input.extend_from_slice(&provider.0);
	// Length-prefixed parts: no two different inputs concatenate to the same bytes.
	for part in [machine_id.trim(), salt].into_iter().chain(uuids) {
		input.extend_from_slice(&(part.len() as u32).to_le_bytes());
		input.extend_from_slice(part.as_bytes());
	}
	sp_crypto_hashing::blake2_256(&input)
}

/// This host's machine-id (`/etc/machine-id`, or D-Bus's copy).
pub fn machine_id() -> Result<String, String> {
	for path in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
		if let Ok(id) = std::fs::read_to_string(path) {
			let id = id.trim().to_owned();
			if !id.is_empty() {
				return Ok(id);
			}
		}
	}
	Err("this host has no machine-id (/etc/machine-id): create one with `systemd-machine-id-setup`, \
	     or pass --fingerprint-salt with a value unique to this machine"
		.into())
}

/// The fingerprint of this host, registered by `provider` (`host` is the spec being onboarded;
/// only this host's machine-id and `salt` enter the hash).
pub fn of_this_host(
	provider: &AccountId32,
	host: &HostSpec,
	salt: &str,
) -> Result<[u8; 32], String> {
	let id = match machine_id() {
		Ok(id) => id,
		Err(_) if !salt.is_empty() => String::new(),
		Err(e) => return Err(e),
	};
	let _ = host;
	Ok(compute(provider, &id, &[], salt))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_fingerprint_depends_on_every_part_but_not_on_gpu_order() {
		let alice = AccountId32([1; 32]);
		let bob = AccountId32([2; 32]);
		let gpus = vec!["GPU-b".to_string(), "GPU-a".to_string()];
		let base = compute(&alice, "abc", &gpus, "");
		assert_eq!(base, compute(&alice, "abc\n", &["GPU-a".into(), "GPU-b".into()], ""));
		assert_ne!(base, compute(&bob, "abc", &gpus, ""));
		assert_ne!(base, compute(&alice, "abd", &gpus, ""));
		assert_ne!(base, compute(&alice, "abc", &gpus[..1], ""));
		assert_ne!(base, compute(&alice, "abc", &gpus, "rack-2"));
		// Parts are length-prefixed: moving bytes between them changes the hash.
		assert_ne!(
			compute(&alice, "ab", &["cGPU".into()], ""),
			compute(&alice, "abc", &["GPU".into()], "")
		);
	}
}

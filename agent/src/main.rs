//! `powerverse-agent`: run it on a provider's machine.
//!
//! ```text
//! powerverse-agent detect
//! powerverse-agent onboard --url http://127.0.0.1:9944 --key-file ~/.powerverse/key \
//!     --price 2.5 --name "Berlin GPU" --operator-name Hetzner --city Berlin --country DE \
//!     --contact-url https://gpu.example --encryption-key 0x<32-byte x25519 public key>
//! powerverse-agent heartbeat --url ... --key-file ... --machine 0
//! powerverse-agent status --url ... --machine 0
//! powerverse-agent watch --url ... --machine 0
//! ```
//! Progress goes to stderr, results (JSON) to stdout. Exit code 1 on any error. The key is
//! never printed.

use clap::{Args, Parser, Subcommand};
use powerverse_agent::{hardware, keys, parse_pec, rpc::Rpc, tx, Error, Result};
use powerverse_runtime::{AccountId, RuntimeCall, RuntimeEvent};
use serde_json::{json, Value};
use sp_core::{sr25519, Pair};
use std::{path::PathBuf, time::Duration};

#[derive(Parser)]
#[command(name = "powerverse-agent", version, about = "PowerVerse provider agent")]
struct Cli {
	#[command(subcommand)]
	command: Cmd,
}

#[derive(Args)]
struct Endpoint {
	/// The node's RPC endpoint (plain HTTP; the WebSocket port serves HTTP too).
	#[arg(long, default_value = "http://127.0.0.1:9944", env = "POWERVERSE_RPC")]
	url: String,
}

#[derive(Args)]
struct Key {
	/// Secret URI of the signing key (`//Alice` on a dev chain). Prefer --key-file.
	#[arg(long, conflicts_with = "key_file", env = "POWERVERSE_SURI", hide_env_values = true)]
	suri: Option<String>,
	/// File whose first line is the secret URI, mnemonic or 0x seed.
	#[arg(long)]
	key_file: Option<PathBuf>,
}

impl Key {
	fn load(&self) -> Result<sr25519::Pair> {
		match (&self.suri, &self.key_file) {
			(Some(suri), _) => keys::from_suri(suri),
			(None, Some(path)) => keys::from_file(path),
			(None, None) => Err(Error::Input("pass --key-file (or --suri)".into())),
		}
	}
}

#[derive(Subcommand)]
enum Cmd {
	/// Print this host's hardware as JSON.
	Detect {
		/// Network bandwidth to report when the link speed cannot be read.
		#[arg(long)]
		bandwidth_mbps: Option<u32>,
	},
	/// Register the provider (if new) and this machine; print the machine id and its NFT.
	Onboard {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		/// A spec JSON file (as `detect` prints) instead of detecting this host.
		#[arg(long)]
		spec: Option<PathBuf>,
		/// Override the detected bandwidth (Mbit/s).
		#[arg(long)]
		bandwidth_mbps: Option<u32>,
		/// Price per hour in PEC, e.g. 2.5.
		#[arg(long)]
		price: String,
		/// Operator (hot) key account allowed to send heartbeats; default: the signer.
		#[arg(long)]
		operator: Option<String>,
		/// Provider profile (needed the first time): display name.
		#[arg(long)]
		name: Option<String>,
		/// Operator or ISP running the hardware.
		#[arg(long)]
		operator_name: Option<String>,
		/// City of the data centre.
		#[arg(long)]
		city: Option<String>,
		/// ISO country code, e.g. DE.
		#[arg(long)]
		country: Option<String>,
		/// https:// URL where customers reach the provider.
		#[arg(long)]
		contact_url: Option<String>,
		/// x25519 public key (0x + 64 hex) customers encrypt job specs to.
		#[arg(long)]
		encryption_key: Option<String>,
		/// Seconds to wait for each inclusion.
		#[arg(long, default_value_t = 60)]
		timeout: u64,
	},
	/// Send heartbeats every --interval seconds, retrying with backoff while the node is down.
	Heartbeat {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		machine: u64,
		/// Seconds between heartbeats (the chain accepts at most one a minute).
		#[arg(long, default_value_t = 300)]
		interval: u64,
		/// Stop after this many heartbeats (default: run forever).
		#[arg(long)]
		count: Option<u64>,
	},
	/// Show the machine, its lease and its owner's earnings.
	Status {
		#[command(flatten)]
		endpoint: Endpoint,
		#[arg(long)]
		machine: u64,
	},
	/// Print each new lease of the machine as a JSON line.
	Watch {
		#[command(flatten)]
		endpoint: Endpoint,
		#[arg(long)]
		machine: u64,
		/// Seconds between polls.
		#[arg(long, default_value_t = 6)]
		poll: u64,
		/// Exit after the first new lease.
		#[arg(long)]
		once: bool,
	},
}

fn main() {
	let cli = Cli::parse();
	match run(cli.command) {
		Ok(()) => {},
		Err(e) => {
			eprintln!("error: {e}");
			std::process::exit(1);
		},
	}
}

fn progress(msg: &str) {
	eprintln!("· {msg}");
}

fn print(value: &Value) {
	println!("{}", serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()));
}

fn run(command: Cmd) -> Result<()> {
	match command {
		Cmd::Detect { bandwidth_mbps } => {
			let mut host = hardware::detect()?;
			if let Some(b) = bandwidth_mbps {
				host.bandwidth_mbps = b;
			}
			print(&serde_json::to_value(&host).map_err(|e| Error::Input(e.to_string()))?);
			Ok(())
		},
		Cmd::Onboard {
			endpoint,
			key,
			spec,
			bandwidth_mbps,
			price,
			operator,
			name,
			operator_name,
			city,
			country,
			contact_url,
			encryption_key,
			timeout,
		} => {
			let pair = key.load()?;
			let rpc = Rpc::new(&endpoint.url)?;
			let price = parse_pec(&price)?;
			let mut host = match spec {
				Some(path) => {
					let text = std::fs::read_to_string(&path).map_err(|e| {
						Error::Input(format!("cannot read spec {}: {e}", path.display()))
					})?;
					serde_json::from_str::<hardware::HostSpec>(&text).map_err(|e| {
						Error::Input(format!("spec {} is not valid: {e}", path.display()))
					})?
				},
				None => hardware::detect()?,
			};
			if let Some(b) = bandwidth_mbps {
				host.bandwidth_mbps = b;
			}
			let machine_spec = host.to_machine_spec()?;
			let who = AccountId::from(pair.public());
			let operator = match operator {
				Some(s) => parse_account(&s)?,
				None => who.clone(),
			};
			rpc.call("system_chain", json!([]))?;
			let timeout = Duration::from_secs(timeout);
			let mut say = |m: &str| progress(m);
			if !provider_registered(&rpc, &who)? {
				let profile =
					profile(name, operator_name, city, country, contact_url, encryption_key)?;
				progress(&format!("registering provider {who}"));
				let call =
					RuntimeCall::Compute(pallet_compute::Call::register_provider { profile });
				tx::submit_and_wait(&rpc, &pair, call, timeout, &mut say)?;
			} else {
				progress(&format!("provider {who} already registered"));
			}
			progress("registering the machine");
			let call = RuntimeCall::Compute(pallet_compute::Call::register_machine {
				spec: machine_spec,
				operator,
				price_per_hour: price,
			});
			let included = tx::submit_and_wait(&rpc, &pair, call, timeout, &mut say)?;
			let (machine, score) = included
				.events
				.iter()
				.find_map(|e| match e {
					RuntimeEvent::Compute(pallet_compute::Event::MachineRegistered {
						machine,
						score,
						..
					}) => Some((*machine, *score)),
					_ => None,
				})
				.ok_or_else(|| Error::Chain("no MachineRegistered event".into()))?;
			print(&json!({
				"machine": machine,
				"score": score,
				"nft": { "collection": 0, "item": machine },
				"block": included.block_number,
				"next": "bond collateral (computeStaking.bond) and wait for verification",
			}));
			Ok(())
		},
		Cmd::Heartbeat { endpoint, key, machine, interval, count } => {
			let pair = key.load()?;
			let rpc = Rpc::new(&endpoint.url)?;
			heartbeat_loop(&rpc, &pair, machine, Duration::from_secs(interval), count)
		},
		Cmd::Status { endpoint, machine } => {
			let rpc = Rpc::new(&endpoint.url)?;
			let info = rpc.call("powerverse_machine", json!([machine]))?;
			let lease = match info["activeLease"].as_u64() {
				Some(id) => rpc.call("powerverse_lease", json!([id]))?,
				None => Value::Null,
			};
			let owner = info["owner"].as_str().unwrap_or_default().to_owned();
			let earnings = rpc.call("powerverse_account", json!([owner]))?;
			print(&json!({ "machine": info, "lease": lease, "ownerEarnings": earnings }));
			Ok(())
		},
		Cmd::Watch { endpoint, machine, poll, once } => {
			let rpc = Rpc::new(&endpoint.url)?;
			let mut last =
				rpc.call("powerverse_machine", json!([machine]))?["activeLease"].as_u64();
			progress(&format!("watching machine {machine} (current lease: {last:?})"));
			loop {
				std::thread::sleep(Duration::from_secs(poll));
				let current = match rpc.call("powerverse_machine", json!([machine])) {
					Ok(info) => info["activeLease"].as_u64(),
					Err(Error::Unreachable(m)) => {
						progress(&format!("node unreachable ({m}); retrying"));
						continue;
					},
					Err(e) => return Err(e),
				};
				if current.is_some() && current != last {
					let lease = rpc.call("powerverse_lease", json!([current]))?;
					println!("{lease}");
					if once {
						return Ok(());
					}
				}
				last = current;
			}
		},
	}
}

fn heartbeat_loop(
	rpc: &Rpc,
	pair: &sr25519::Pair,
	machine: u64,
	interval: Duration,
	count: Option<u64>,
) -> Result<()> {
	let mut sent = 0u64;
	let mut backoff = Duration::from_secs(1);
	loop {
		let call = RuntimeCall::Compute(pallet_compute::Call::heartbeat { machine });
		match tx::submit_and_wait(rpc, pair, call, Duration::from_secs(60), &mut |_| {}) {
			Ok(included) => {
				sent += 1;
				backoff = Duration::from_secs(1);
				progress(&format!(
					"heartbeat {sent} for machine {machine} in block #{}",
					included.block_number
				));
				if count.is_some_and(|c| sent >= c) {
					return Ok(());
				}
				std::thread::sleep(interval);
			},
			Err(Error::Unreachable(m)) | Err(Error::Timeout(m)) => {
				progress(&format!("{m}; retrying in {}s", backoff.as_secs()));
				std::thread::sleep(backoff);
				backoff = (backoff * 2).min(Duration::from_secs(60));
			},
			// At most one heartbeat a minute: right after onboarding, wait for the next slot.
			Err(Error::Chain(m)) if m.ends_with("HeartbeatTooSoon") => {
				let wait = interval.min(Duration::from_secs(60));
				progress(&format!("{m}; next try in {}s", wait.as_secs()));
				std::thread::sleep(wait);
			},
			// The chain refuses this machine's heartbeats (unknown machine, wrong key): stop.
			Err(Error::Chain(m)) => return Err(Error::Chain(m)),
			Err(e) => {
				progress(&format!("{e}; retrying in {}s", interval.as_secs()));
				std::thread::sleep(interval);
			},
		}
	}
}

fn text<B: TryFrom<Vec<u8>>>(v: String, flag: &str) -> Result<B> {
	B::try_from(v.into_bytes()).map_err(|_| Error::Input(format!("--{flag} is too long")))
}

fn parse_account(s: &str) -> Result<AccountId> {
	use sp_core::crypto::Ss58Codec;
	AccountId::from_ss58check(s).map_err(|_| Error::Input(format!("{s:?} is not an SS58 address")))
}

fn provider_registered(rpc: &Rpc, who: &AccountId) -> Result<bool> {
	let key = pallet_compute::Providers::<powerverse_runtime::Runtime>::hashed_key_for(who);
	Ok(rpc.storage(&key, None)?.is_some())
}

fn profile(
	name: Option<String>,
	operator: Option<String>,
	city: Option<String>,
	country: Option<String>,
	contact_url: Option<String>,
	encryption_key: Option<String>,
) -> Result<pallet_compute::ProviderProfile> {
	let need = |v: Option<String>, flag: &str| {
		v.ok_or_else(|| Error::Input(format!("a new provider needs --{flag}")))
	};
	let country = need(country, "country")?;
	let country: [u8; 2] = country
		.as_bytes()
		.try_into()
		.map_err(|_| Error::Input("--country must be a two-letter code such as DE".into()))?;
	let key = need(encryption_key, "encryption-key")?;
	let key: [u8; 32] = powerverse_agent::rpc::from_hex(&key)
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| Error::Input("--encryption-key must be 0x and 64 hex digits".into()))?;
	Ok(pallet_compute::ProviderProfile {
		display_name: text(need(name, "name")?, "name")?,
		operator: text(need(operator, "operator-name")?, "operator-name")?,
		city: text(need(city, "city")?, "city")?,
		country,
		contact_url: text(need(contact_url, "contact-url")?, "contact-url")?,
		encryption_key: key,
	})
}

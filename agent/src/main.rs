//! `powerverse-agent`: a provider's tool and daemon.
//!
//! ```text
//! powerverse-agent detect [--resolve]                    # this host, named as the chain names it
//! powerverse-agent onboard --key-file cold.key --operator 5H… --price 2.5 [profile flags]
//! powerverse-agent bond --key-file cold.key --machine 0 --amount 2000
//! powerverse-agent run --config /etc/powerverse/agent.toml   # the daemon (hot key only)
//! ```
//! Every subcommand prints a short human line, or JSON with `--json`; progress goes to stderr.
//! Exit code 1 on an error, 2 when the daemon meets one it cannot recover from. Keys come
//! from files readable only by their owner; they are never printed.

use clap::{Args, Parser, Subcommand};
use powerverse_agent::{
	client::{arg, transient, Chain, Receipt},
	daemon, fingerprint, hardware, keys, parse_pec, Error, Result, PLANCKS_PER_PEC,
};
use serde_json::{json, Value as Json};
use std::{path::PathBuf, str::FromStr, time::Duration};
use subxt::{
	dynamic::{At, Value},
	utils::AccountId32,
};
use subxt_signer::sr25519::Keypair;
use tracing::info;

#[derive(Parser)]
#[command(name = "powerverse-agent", version, about = "PowerVerse provider agent and daemon")]
struct Cli {
	/// Print results as JSON.
	#[arg(long, global = true)]
	json: bool,
	#[command(subcommand)]
	command: Cmd,
}

#[derive(Args, Clone)]
struct Endpoint {
	/// The node: ws://host:port, or wss://host for TLS (http(s):// URLs are accepted too).
	#[arg(long, default_value = "ws://127.0.0.1:9944", env = "POWERVERSE_RPC")]
	url: String,
	/// Seconds to wait for each extrinsic to be finalized.
	#[arg(long, default_value_t = 90)]
	timeout: u64,
}

#[derive(Args, Clone)]
struct Key {
	/// File holding the signing key (secret URI, mnemonic or 0x seed on its first line), mode
	/// 600. Cold key (provider) for registration, bonding, prices and retirement; the hot
	/// operator key for heartbeats, jobs, results and claims.
	#[arg(long, env = "POWERVERSE_KEY_FILE")]
	key_file: Option<PathBuf>,
}

impl Key {
	fn load(&self) -> Result<Keypair> {
		match (&self.key_file, std::env::var("POWERVERSE_SURI")) {
			(Some(path), _) => keys::from_file(path),
			// Development chains only (e.g. `//Alice` in a test): never pass a secret as a flag.
			(None, Ok(suri)) => keys::from_suri(&suri),
			(None, Err(_)) => Err(Error::Input("pass --key-file FILE (mode 600)".into())),
		}
	}
}

#[derive(Args, Clone)]
struct Profile {
	/// Provider profile (a new provider only): display name.
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
}

#[derive(Subcommand)]
enum Cmd {
	/// Print this host's hardware (`--resolve`: named as the chain's hardware table names it).
	Detect {
		#[command(flatten)]
		endpoint: Endpoint,
		/// Network bandwidth to report when the link speed cannot be read.
		#[arg(long)]
		bandwidth_mbps: Option<u32>,
		/// Match the CPU and GPU names against the chain's table (needs the node).
		#[arg(long)]
		resolve: bool,
	},
	/// Register as a provider (cold key).
	RegisterProvider {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[command(flatten)]
		profile: Profile,
	},
	/// Register this machine and mint its NFT (cold key): idempotent, a re-run finds the
	/// machine registered from this host (its fingerprint) instead of paying for a duplicate.
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
		/// The operator (hot) key's address, which the daemon will hold. Default: the signer
		/// (then the cold key must stay on the machine: not recommended).
		#[arg(long)]
		operator: Option<String>,
		/// Extra input to the machine fingerprint (hosts cloned from one image share a
		/// machine-id: give each a different salt).
		#[arg(long, default_value = "")]
		fingerprint_salt: String,
		#[command(flatten)]
		profile: Profile,
	},
	/// Bond collateral for a machine, or add to its bond (cold key).
	#[command(alias = "top-up")]
	Bond {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		machine: u64,
		/// PEC, e.g. 2000.
		#[arg(long)]
		amount: String,
	},
	/// Start unbonding part of a machine's bond (cold key; withdrawable after the delay).
	Unbond {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		machine: u64,
		#[arg(long)]
		amount: String,
	},
	/// Withdraw unbonded collateral whose delay has passed (cold key).
	Withdraw {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		machine: u64,
	},
	/// List the machine for direct rental.
	List {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		machine: u64,
	},
	/// Take the machine off the rental list.
	Delist {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		machine: u64,
	},
	/// Set the machine's price per hour (cold key).
	Price {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		machine: u64,
		/// PEC per hour.
		#[arg(long)]
		price: String,
	},
	/// Announce maintenance from block --start for --duration blocks, or --end it (cold key).
	Maintenance {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		machine: u64,
		#[arg(long, required_unless_present = "end")]
		start: Option<u32>,
		#[arg(long, required_unless_present = "end")]
		duration: Option<u32>,
		#[arg(long, conflicts_with_all = ["start", "duration"])]
		end: bool,
	},
	/// Set the machine's operator (hot) key (cold key).
	SetOperator {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		machine: u64,
		#[arg(long)]
		operator: String,
	},
	/// List the open jobs the machine could take now.
	Jobs {
		#[command(flatten)]
		endpoint: Endpoint,
		#[arg(long)]
		machine: u64,
	},
	/// Accept an open job with the machine (hot key).
	Accept {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		machine: u64,
		#[arg(long)]
		job: u64,
	},
	/// Submit a lease's result: a 32-byte hash (0x…), or the BLAKE2-256 hash of a file (hot key).
	SubmitResult {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		lease: u64,
		#[arg(long, required_unless_present = "file")]
		hash: Option<String>,
		#[arg(long, conflicts_with = "hash")]
		file: Option<PathBuf>,
	},
	/// Claim a lease's earnings; they are paid to the machine's owner (hot or owner key).
	Claim {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		lease: u64,
	},
	/// Retire the machine and burn its NFT (the NFT holder's key).
	Retire {
		#[command(flatten)]
		endpoint: Endpoint,
		#[command(flatten)]
		key: Key,
		#[arg(long)]
		machine: u64,
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
	/// Print each new lease of the machine.
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
	/// Run the daemon: heartbeats, jobs by policy, results, claims, metrics.
	Run {
		/// The daemon's TOML config (see docs/provider.md).
		#[arg(long)]
		config: PathBuf,
	},
}

fn main() {
	let cli = Cli::parse();
	let daemon = matches!(cli.command, Cmd::Run { .. });
	tracing_subscriber::fmt()
		.with_writer(std::io::stderr)
		.with_target(false)
		.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.init();
	let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
		Ok(r) => r,
		Err(e) => {
			eprintln!("error: cannot start the async runtime: {e}");
			std::process::exit(1);
		},
	};
	let out = Out { json: cli.json };
	match runtime.block_on(run(cli.command, out)) {
		Ok(()) => {},
		Err(e) => {
			eprintln!("error: {e}");
			std::process::exit(if daemon { 2 } else { 1 });
		},
	}
}

/// Where results go: a human line, or JSON with `--json`.
#[derive(Clone, Copy)]
struct Out {
	json: bool,
}

impl Out {
	fn show(&self, human: impl AsRef<str>, json: Json) {
		if self.json {
			println!(
				"{}",
				serde_json::to_string_pretty(&json).unwrap_or_else(|_| json.to_string())
			);
		} else {
			println!("{}", human.as_ref());
		}
	}

	/// A finalized extrinsic: where and what it emitted, plus `extra` fields.
	fn receipt(&self, what: &str, receipt: &Receipt, extra: Json) {
		let events: Vec<String> =
			receipt.events.iter().map(|e| format!("{}.{}", e.pallet, e.name)).collect();
		let mut json = json!({ "call": what, "block": receipt.block, "blockHash": receipt.block_hash, "events": events });
		if let (Some(map), Json::Object(more)) = (json.as_object_mut(), extra) {
			map.extend(more);
		}
		self.show(
			format!("{what} finalized in block #{} ({})", receipt.block, events.join(", ")),
			json,
		);
	}
}

fn progress(msg: &str) {
	eprintln!("· {msg}");
}

fn pec(plancks: u128) -> String {
	let frac = format!("{:012}", plancks % PLANCKS_PER_PEC);
	let frac = frac.trim_end_matches('0');
	if frac.is_empty() {
		format!("{} PEC", plancks / PLANCKS_PER_PEC)
	} else {
		format!("{}.{frac} PEC", plancks / PLANCKS_PER_PEC)
	}
}

fn parse_account(s: &str) -> Result<AccountId32> {
	// The input is not echoed: it may be a secret pasted into the wrong flag.
	AccountId32::from_str(s.trim()).map_err(|_| {
		Error::Input("the account given is not an SS58 address (it is not shown)".into())
	})
}

async fn connect(endpoint: &Endpoint) -> Result<Chain> {
	Chain::connect(&endpoint.url).await
}

/// Signs and submits `pallet.call(args)`, printing the receipt.
async fn send(
	out: Out,
	endpoint: &Endpoint,
	key: &Key,
	pallet: &str,
	call: &str,
	args: Vec<Value>,
	extra: Json,
) -> Result<Receipt> {
	let signer = key.load()?;
	let chain = connect(endpoint).await?;
	let receipt =
		chain.submit(&signer, pallet, call, args, Duration::from_secs(endpoint.timeout)).await?;
	out.receipt(&format!("{pallet}.{call}"), &receipt, extra);
	Ok(receipt)
}

async fn run(command: Cmd, out: Out) -> Result<()> {
	match command {
		Cmd::Detect { endpoint, bandwidth_mbps, resolve } => {
			let host = hardware::detect(bandwidth_mbps).map_err(Error::Input)?;
			let host = if resolve {
				let chain = connect(&endpoint).await?;
				let resolved = hardware::resolve(&host, &hardware_table(&chain).await?);
				for warning in &resolved.unknown {
					progress(&format!("warning: {warning}"));
				}
				resolved.spec
			} else {
				host
			};
			let json = serde_json::to_value(&host).map_err(|e| Error::Input(e.to_string()))?;
			// The spec is data either way: JSON is its human form too.
			out.show(serde_json::to_string_pretty(&json).unwrap_or_default(), json);
			Ok(())
		},
		Cmd::RegisterProvider { endpoint, key, profile } => {
			let value = profile_value(profile)?;
			send(out, &endpoint, &key, "Compute", "register_provider", vec![value], json!({}))
				.await?;
			Ok(())
		},
		Cmd::Onboard {
			endpoint,
			key,
			spec,
			bandwidth_mbps,
			price,
			operator,
			fingerprint_salt,
			profile,
		} => {
			onboard(
				out,
				endpoint,
				key,
				spec,
				bandwidth_mbps,
				price,
				operator,
				fingerprint_salt,
				profile,
			)
			.await
		},
		Cmd::Bond { endpoint, key, machine, amount } => {
			let amount = parse_pec(&amount)?;
			send(
				out,
				&endpoint,
				&key,
				"ComputeStaking",
				"bond",
				vec![arg::u(machine), arg::u(amount)],
				json!({ "machine": machine, "amount": amount.to_string() }),
			)
			.await?;
			Ok(())
		},
		Cmd::Unbond { endpoint, key, machine, amount } => {
			let amount = parse_pec(&amount)?;
			let receipt = send(
				out,
				&endpoint,
				&key,
				"ComputeStaking",
				"unbond",
				vec![arg::u(machine), arg::u(amount)],
				json!({ "machine": machine, "amount": amount.to_string() }),
			)
			.await?;
			if let Some(at) =
				receipt.event("ComputeStaking", "Unbonding").and_then(|e| e.u128("unlock_at"))
			{
				progress(&format!("withdrawable from block #{at}"));
			}
			Ok(())
		},
		Cmd::Withdraw { endpoint, key, machine } => {
			machine_call(out, &endpoint, &key, "ComputeStaking", "withdraw_unbonded", machine).await
		},
		Cmd::List { endpoint, key, machine } => {
			machine_call(out, &endpoint, &key, "Market", "list_machine", machine).await
		},
		Cmd::Delist { endpoint, key, machine } => {
			machine_call(out, &endpoint, &key, "Market", "delist_machine", machine).await
		},
		Cmd::Price { endpoint, key, machine, price } => {
			let price = parse_pec(&price)?;
			send(
				out,
				&endpoint,
				&key,
				"Compute",
				"update_price",
				vec![arg::u(machine), arg::u(price)],
				json!({ "machine": machine, "pricePerHour": price.to_string() }),
			)
			.await?;
			Ok(())
		},
		Cmd::Maintenance { endpoint, key, machine, start, duration, end } => {
			if end {
				send(
					out,
					&endpoint,
					&key,
					"Compute",
					"end_maintenance",
					vec![arg::u(machine)],
					json!({ "machine": machine }),
				)
				.await?;
			} else {
				let (Some(start), Some(duration)) = (start, duration) else {
					return Err(Error::Input(
						"pass --start BLOCK --duration BLOCKS, or --end".into(),
					));
				};
				send(
					out,
					&endpoint,
					&key,
					"Compute",
					"set_maintenance",
					vec![arg::u(machine), arg::u(start), arg::u(duration)],
					json!({ "machine": machine, "start": start, "duration": duration }),
				)
				.await?;
			}
			Ok(())
		},
		Cmd::SetOperator { endpoint, key, machine, operator } => {
			let operator = parse_account(&operator)?;
			send(
				out,
				&endpoint,
				&key,
				"Compute",
				"set_operator",
				vec![arg::u(machine), arg::account(&operator)],
				json!({ "machine": machine, "operator": operator.to_string() }),
			)
			.await?;
			Ok(())
		},
		Cmd::Jobs { endpoint, machine } => {
			let chain = connect(&endpoint).await?;
			let items = daemon::open_jobs(&chain, machine).await?;
			let human = items
				.iter()
				.map(|j| {
					format!(
						"job {} · up to {}/h · {} h",
						j["id"],
						pec(j["maxPricePerHour"]
							.as_str()
							.and_then(|p| p.parse().ok())
							.unwrap_or(0)),
						j["hours"]
					)
				})
				.collect::<Vec<_>>()
				.join("\n");
			out.show(
				if human.is_empty() { "no open job fits this machine".into() } else { human },
				json!({ "items": items }),
			);
			Ok(())
		},
		Cmd::Accept { endpoint, key, machine, job } => {
			let receipt = send(
				out,
				&endpoint,
				&key,
				"Market",
				"accept_job",
				vec![arg::u(job), arg::u(machine)],
				json!({ "machine": machine, "job": job }),
			)
			.await?;
			if let Some(lease) =
				receipt.event("Market", "JobAccepted").and_then(|e| e.u128("lease"))
			{
				progress(&format!("lease {lease} started"));
			}
			Ok(())
		},
		Cmd::SubmitResult { endpoint, key, lease, hash, file } => {
			let hash: [u8; 32] = match (hash, file) {
				(Some(h), _) => parse_hash(&h)?,
				(None, Some(path)) => {
					let bytes = std::fs::read(&path).map_err(|e| {
						Error::Input(format!("cannot read {}: {e}", path.display()))
					})?;
					sp_crypto_hashing::blake2_256(&bytes)
				},
				(None, None) => return Err(Error::Input("pass --hash 0x… or --file PATH".into())),
			};
			let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
			send(
				out,
				&endpoint,
				&key,
				"Market",
				"submit_result",
				vec![arg::u(lease), arg::bytes(hash)],
				json!({ "lease": lease, "result": format!("0x{hex}") }),
			)
			.await?;
			Ok(())
		},
		Cmd::Claim { endpoint, key, lease } => {
			let signer = key.load()?;
			let chain = connect(&endpoint).await?;
			let receipt = chain
				.submit(
					&signer,
					"Market",
					"claim_earnings",
					vec![arg::u(lease)],
					Duration::from_secs(endpoint.timeout),
				)
				.await?;
			let (paid, fee) = receipt
				.events
				.iter()
				.filter(|e| e.pallet == "Market" && e.name == "EarningsPaid")
				.fold((0u128, 0u128), |(p, f), e| {
					(p + e.u128("amount").unwrap_or(0), f + e.u128("fee").unwrap_or(0))
				});
			out.receipt(
				"Market.claim_earnings",
				&receipt,
				json!({ "lease": lease, "paid": paid.to_string(), "fee": fee.to_string() }),
			);
			progress(&format!("paid {} to the owner ({} fee)", pec(paid), pec(fee)));
			Ok(())
		},
		Cmd::Retire { endpoint, key, machine } => {
			machine_call(out, &endpoint, &key, "Compute", "retire_machine", machine).await
		},
		Cmd::Heartbeat { endpoint, key, machine, interval, count } => {
			heartbeat_loop(&endpoint, &key.load()?, machine, Duration::from_secs(interval), count)
				.await
		},
		Cmd::Status { endpoint, machine } => {
			let chain = connect(&endpoint).await?;
			let info: Json = chain.rpc("powerverse_machine", vec![machine.into()]).await?;
			let lease = match info["activeLease"].as_u64() {
				Some(id) => chain.rpc("powerverse_lease", vec![id.into()]).await?,
				None => Json::Null,
			};
			let owner = info["owner"].as_str().unwrap_or_default().to_owned();
			let earnings: Json = chain.rpc("powerverse_account", vec![owner.into()]).await?;
			let human = format!(
				"machine {machine}: {} · {} per hour · lease {}",
				info["state"].as_str().unwrap_or("?"),
				pec(info["pricePerHour"].as_str().and_then(|p| p.parse().ok()).unwrap_or(0)),
				lease["id"].as_u64().map_or("none".into(), |l| l.to_string())
			);
			out.show(human, json!({ "machine": info, "lease": lease, "ownerEarnings": earnings }));
			Ok(())
		},
		Cmd::Watch { endpoint, machine, poll, once } => {
			watch(out, &endpoint, machine, poll, once).await
		},
		Cmd::Run { config } => {
			let config = daemon::Config::load(&config)?;
			match daemon::run(config).await? {
				daemon::Stop::Signal => Ok(()),
			}
		},
	}
}

/// `pallet.call(machine)`: the calls whose only argument is the machine.
async fn machine_call(
	out: Out,
	endpoint: &Endpoint,
	key: &Key,
	pallet: &str,
	call: &str,
	machine: u64,
) -> Result<()> {
	let args = vec![arg::u(machine)];
	send(out, endpoint, key, pallet, call, args, json!({ "machine": machine })).await.map(|_| ())
}

fn parse_hash(s: &str) -> Result<[u8; 32]> {
	let bad = || Error::Input(format!("{s:?} is not a 32-byte hash (0x + 64 hex digits)"));
	let hex = s.trim().strip_prefix("0x").ok_or_else(bad)?;
	if hex.len() != 64 {
		return Err(bad());
	}
	let mut out = [0u8; 32];
	for (i, chunk) in hex.as_bytes().chunks(2).enumerate() {
		let text = std::str::from_utf8(chunk).map_err(|_| bad())?;
		out[i] = u8::from_str_radix(text, 16).map_err(|_| bad())?;
	}
	Ok(out)
}

/// The chain's hardware table (`Compute.HardwareModels`).
async fn hardware_table(chain: &Chain) -> Result<Vec<hardware::TableEntry>> {
	let entries = chain.storage_iter("Compute", "HardwareModels", vec![]).await?;
	Ok(entries
		.into_iter()
		.filter_map(|(key, value)| {
			let name = key.first().and_then(powerverse_agent::client::bytes_of)?;
			let class = match value.at("class").and_then(powerverse_agent::client::variant_name)? {
				"Gpu" => hardware::HardwareClass::Gpu,
				_ => hardware::HardwareClass::Cpu,
			};
			Some(hardware::TableEntry { name: String::from_utf8(name).ok()?, class })
		})
		.collect())
}

/// The `MachineSpec` argument of `register_machine`.
fn spec_value(spec: &hardware::HostSpec) -> Value {
	let gpus = spec.gpus.iter().map(|g| {
		arg::record([
			("model", arg::bytes(g.model.as_bytes())),
			("vram_gib", arg::u(g.vram_gib)),
			("count", arg::u(g.count)),
		])
	});
	arg::record([
		("cpu_model", arg::bytes(spec.cpu_model.as_bytes())),
		("cores", arg::u(spec.cores)),
		("threads", arg::u(spec.threads)),
		("ram_gib", arg::u(spec.ram_gib)),
		("storage_gib", arg::u(spec.storage_gib)),
		("bandwidth_mbps", arg::u(spec.bandwidth_mbps)),
		("gpus", Value::unnamed_composite(gpus)),
	])
}

fn profile_value(p: Profile) -> Result<Value> {
	let need = |v: Option<String>, flag: &str| {
		v.ok_or_else(|| Error::Input(format!("a new provider needs --{flag}")))
	};
	let country = need(p.country, "country")?;
	if country.len() != 2 || !country.bytes().all(|c| c.is_ascii_uppercase()) {
		return Err(Error::Input("--country must be a two-letter code such as DE".into()));
	}
	let key = need(p.encryption_key, "encryption-key")?;
	let key = parse_hash(&key)
		.map_err(|_| Error::Input("--encryption-key must be 0x and 64 hex digits".into()))?;
	Ok(arg::record([
		("display_name", arg::bytes(need(p.name, "name")?)),
		("operator", arg::bytes(need(p.operator_name, "operator-name")?)),
		("city", arg::bytes(need(p.city, "city")?)),
		("country", arg::bytes(country)),
		("contact_url", arg::bytes(need(p.contact_url, "contact-url")?)),
		("encryption_key", arg::bytes(key)),
	]))
}

#[allow(clippy::too_many_arguments)]
async fn onboard(
	out: Out,
	endpoint: Endpoint,
	key: Key,
	spec: Option<PathBuf>,
	bandwidth_mbps: Option<u32>,
	price: String,
	operator: Option<String>,
	salt: String,
	profile: Profile,
) -> Result<()> {
	let signer = key.load()?;
	let who = keys::account_of(&signer);
	let price = parse_pec(&price)?;
	let mut host = match &spec {
		Some(path) => {
			let text = std::fs::read_to_string(path)
				.map_err(|e| Error::Input(format!("cannot read spec {}: {e}", path.display())))?;
			serde_json::from_str::<hardware::HostSpec>(&text)
				.map_err(|e| Error::Input(format!("spec {} is not valid: {e}", path.display())))?
		},
		None => hardware::detect(bandwidth_mbps).map_err(Error::Input)?,
	};
	if let Some(b) = bandwidth_mbps {
		host.bandwidth_mbps = b;
	}
	let operator = match operator {
		Some(s) => parse_account(&s)?,
		None => {
			progress(
				"warning: no --operator: the signing (cold) key will also operate the machine",
			);
			who.clone()
		},
	};
	let chain = connect(&endpoint).await?;
	let timeout = Duration::from_secs(endpoint.timeout);
	// Named as the chain names hardware; unknown models are reported before any fee is paid.
	let resolved = hardware::resolve(&host, &hardware_table(&chain).await?);
	for warning in &resolved.unknown {
		progress(&format!("warning: {warning}"));
	}
	let require_known = chain
		.storage("Compute", "RequireKnownModels", vec![])
		.await?
		.and_then(|v| v.as_bool())
		.unwrap_or(false);
	if require_known && !resolved.unknown.is_empty() {
		return Err(Error::Input(
			"this chain only registers hardware in its table (RequireKnownModels): nothing was \
			 submitted"
				.into(),
		));
	}
	let host = resolved.spec;
	host.validate().map_err(Error::Input)?;
	// Idempotent: a machine registered from this host before is found, not registered again.
	let fp = fingerprint::of_this_host(&who, &host, &salt).map_err(Error::Input)?;
	let existing = chain
		.storage("Compute", "MachineByFingerprint", vec![arg::account(&who), arg::bytes(fp)])
		.await?
		.and_then(|v| v.as_u128());
	if let Some(machine) = existing {
		let machine = u64::try_from(machine).unwrap_or(u64::MAX);
		info!(machine, "this host is already registered");
		out.show(
			format!("machine {machine} is already registered from this host (fingerprint): nothing submitted"),
			json!({ "machine": machine, "nft": { "collection": 0, "item": machine }, "alreadyRegistered": true }),
		);
		return Ok(());
	}
	let registered =
		chain.storage("Compute", "Providers", vec![arg::account(&who)]).await?.is_some();
	if registered {
		progress(&format!("provider {who} already registered"));
	} else {
		let profile = profile_value(profile)?;
		progress(&format!("registering provider {who}"));
		chain.submit(&signer, "Compute", "register_provider", vec![profile], timeout).await?;
	}
	progress("registering the machine");
	let receipt = chain
		.submit(
			&signer,
			"Compute",
			"register_fingerprinted_machine",
			vec![spec_value(&host), arg::account(&operator), arg::u(price), arg::bytes(fp)],
			timeout,
		)
		.await?;
	let event = receipt
		.event("Compute", "MachineRegistered")
		.ok_or_else(|| Error::Chain("no MachineRegistered event".into()))?;
	let machine = event.u128("machine").unwrap_or_default();
	let score = event.u128("score").unwrap_or_default();
	out.show(
		format!("machine {machine} registered (score {score}) in block #{}; next: bond collateral and wait for verification", receipt.block),
		json!({
			"machine": machine,
			"score": score,
			"nft": { "collection": 0, "item": machine },
			"block": receipt.block,
			"operator": operator.to_string(),
			"next": "bond collateral (powerverse-agent bond) and wait for verification",
		}),
	);
	Ok(())
}

async fn heartbeat_loop(
	endpoint: &Endpoint,
	signer: &Keypair,
	machine: u64,
	interval: Duration,
	count: Option<u64>,
) -> Result<()> {
	let mut sent = 0u64;
	let mut backoff = Duration::from_secs(1);
	let mut chain: Option<Chain> = None;
	loop {
		let result = match &chain {
			Some(c) => {
				c.submit(
					signer,
					"Compute",
					"heartbeat",
					vec![arg::u(machine)],
					Duration::from_secs(endpoint.timeout),
				)
				.await
			},
			None => match Chain::connect(&endpoint.url).await {
				Ok(c) => {
					chain = Some(c);
					continue;
				},
				Err(e) => Err(e),
			},
		};
		match result {
			Ok(receipt) => {
				sent += 1;
				backoff = Duration::from_secs(1);
				progress(&format!(
					"heartbeat {sent} for machine {machine} included in block #{} (finalized)",
					receipt.block
				));
				if count.is_some_and(|c| sent >= c) {
					return Ok(());
				}
				tokio::time::sleep(interval).await;
			},
			Err(e) if transient(&e) => {
				progress(&format!("{e}; retrying in {}s", backoff.as_secs()));
				chain = None;
				tokio::time::sleep(backoff).await;
				backoff = (backoff * 2).min(Duration::from_secs(60));
			},
			// At most one heartbeat a minute: right after onboarding, wait for the next slot.
			Err(Error::Chain(m)) if m.ends_with("HeartbeatTooSoon") => {
				let wait = interval.min(Duration::from_secs(60));
				progress(&format!("{m}; next try in {}s", wait.as_secs()));
				tokio::time::sleep(wait).await;
			},
			// The chain refuses this machine's heartbeats (unknown machine, wrong key): stop.
			Err(e) => return Err(e),
		}
	}
}

async fn watch(out: Out, endpoint: &Endpoint, machine: u64, poll: u64, once: bool) -> Result<()> {
	let chain = connect(endpoint).await?;
	let info: Json = chain.rpc("powerverse_machine", vec![machine.into()]).await?;
	let mut last = info["activeLease"].as_u64();
	progress(&format!("watching machine {machine} (current lease: {last:?})"));
	let mut chain = Some(chain);
	loop {
		tokio::time::sleep(Duration::from_secs(poll)).await;
		let c = match &chain {
			Some(c) => c.clone(),
			None => match Chain::connect(&endpoint.url).await {
				Ok(c) => {
					chain = Some(c.clone());
					c
				},
				Err(e) => {
					progress(&format!("{e}; retrying"));
					continue;
				},
			},
		};
		let current = match c.rpc::<Json>("powerverse_machine", vec![machine.into()]).await {
			Ok(info) => info["activeLease"].as_u64(),
			Err(e) if transient(&e) => {
				progress(&format!("node unreachable ({e}); retrying"));
				chain = None;
				continue;
			},
			Err(e) => return Err(e),
		};
		if let Some(id) = current.filter(|_| current != last) {
			let lease: Json = c.rpc("powerverse_lease", vec![id.into()]).await?;
			out.show(lease.to_string(), lease.clone());
			if once {
				return Ok(());
			}
		}
		last = current;
	}
}

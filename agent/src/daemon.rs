//! `powerverse-agent run --config agent.toml`: the daemon a provider leaves running on each
//! machine. It holds only the machine's **operator** (hot) key and
//! - sends a heartbeat every `heartbeat.interval_secs` (never sooner than the chain allows),
//! - watches the machine's lease and the open jobs it could serve,
//! - accepts a job that matches its policy (price floor, GPU models, length) while idle,
//! - runs the configured result command for a job's lease and submits the result's hash,
//! - claims the running lease's earnings on a schedule (paid to the machine's owner),
//! - exposes Prometheus metrics and logs with timestamps (tracing).
//!
//! A lost node or network is retried with exponential backoff (1 s doubling to 60 s, with
//! jitter) and never ends the daemon; only what cannot recover does (exit code 2): a bad config,
//! an unsafe or invalid key, a machine that does not exist, is retired, or whose operator is
//! another key.

use crate::{
	client::{arg, transient, Chain, Receipt},
	keys, parse_pec, Error, Result, PLANCKS_PER_PEC,
};
use prometheus::{IntCounter, IntGauge, Registry};
use serde::Deserialize;
use serde_json::Value as Json;
use std::{
	collections::{BTreeMap, BTreeSet},
	net::SocketAddr,
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use subxt::utils::AccountId32;
use subxt_signer::sr25519::Keypair;
use tracing::{error, info, warn};

/// The daemon's configuration file (TOML). Unknown keys are refused, so a typo is caught at
/// start instead of silently ignored.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Config {
	/// The node's endpoint: `ws://host:port`, or `wss://host` for TLS.
	pub url: String,
	/// File holding the machine's operator (hot) key; mode 600, owned by the agent's user.
	pub operator_key_file: PathBuf,
	/// The machine this daemon runs.
	pub machine: u64,
	#[serde(default)]
	pub heartbeat: HeartbeatConfig,
	#[serde(default)]
	pub jobs: JobsConfig,
	#[serde(default)]
	pub results: ResultsConfig,
	#[serde(default)]
	pub claims: ClaimsConfig,
	#[serde(default)]
	pub metrics: MetricsConfig,
}

/// `[heartbeat]`
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatConfig {
	/// Seconds between heartbeats (default 300; the chain counts a machine offline after its
	/// `HeartbeatTimeout`, 15 minutes on mainnet settings).
	#[serde(default = "default_heartbeat")]
	pub interval_secs: u64,
}

impl Default for HeartbeatConfig {
	fn default() -> Self {
		Self { interval_secs: default_heartbeat() }
	}
}

/// `[jobs]`: which open jobs the daemon accepts while the machine is idle.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct JobsConfig {
	/// Accept jobs at all (default false: the machine only serves direct rentals).
	#[serde(default)]
	pub accept: bool,
	/// Skip jobs whose maximum price per hour is below this (PEC, e.g. "1.5"). The lease is
	/// always at the machine's posted price.
	#[serde(default)]
	pub min_price_per_hour: Option<String>,
	/// Accept only jobs that name one of these GPU models (the chain's table names, e.g.
	/// "H100"); empty: any job, including CPU-only ones.
	#[serde(default)]
	pub gpu_models: Vec<String>,
	/// Skip jobs longer than this many hours (default: any).
	#[serde(default)]
	pub max_hours: Option<u32>,
	/// Seconds between looks at the open jobs (default 12).
	#[serde(default = "default_poll")]
	pub poll_secs: u64,
}

impl Default for JobsConfig {
	fn default() -> Self {
		Self {
			accept: false,
			min_price_per_hour: None,
			gpu_models: vec![],
			max_hours: None,
			poll_secs: default_poll(),
		}
	}
}

/// `[results]`: what produces a lease's result.
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct ResultsConfig {
	/// A program run once per lease (through `sh -c`) with `POWERVERSE_LEASE`,
	/// `POWERVERSE_JOB_SPEC` (the customer's spec: a URL, CID or hash) and `POWERVERSE_MACHINE` set; its
	/// standard output is the result, and its BLAKE2-256 hash is submitted on chain. Unset:
	/// results are not submitted by the daemon.
	#[serde(default)]
	pub command: Option<String>,
}

/// `[claims]`
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ClaimsConfig {
	/// Seconds between claims of the running lease's earnings (default 3600; 0: never).
	#[serde(default = "default_claims")]
	pub every_secs: u64,
}

impl Default for ClaimsConfig {
	fn default() -> Self {
		Self { every_secs: default_claims() }
	}
}

/// `[metrics]`
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
	/// Where Prometheus scrapes (default 127.0.0.1:9616; "" turns the endpoint off).
	#[serde(default = "default_metrics")]
	pub listen: String,
}

impl Default for MetricsConfig {
	fn default() -> Self {
		Self { listen: default_metrics() }
	}
}

fn default_heartbeat() -> u64 {
	300
}
fn default_poll() -> u64 {
	12
}
fn default_claims() -> u64 {
	3600
}
fn default_metrics() -> String {
	"127.0.0.1:9616".into()
}

impl Config {
	/// Reads and checks `path`. Every problem is reported with the key to fix.
	pub fn load(path: &Path) -> Result<Self> {
		let text = std::fs::read_to_string(path)
			.map_err(|e| Error::Input(format!("cannot read config {}: {e}", path.display())))?;
		Self::parse(&text).map_err(|e| Error::Input(format!("config {}: {e}", path.display())))
	}

	/// Parses and checks a config's text.
	pub fn parse(text: &str) -> std::result::Result<Self, String> {
		let config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
		crate::client::ws_url(&config.url).map_err(|e| format!("url: {e}"))?;
		if config.heartbeat.interval_secs == 0 {
			return Err("heartbeat.interval_secs must be at least 1".into());
		}
		if config.jobs.poll_secs == 0 {
			return Err("jobs.poll_secs must be at least 1".into());
		}
		if let Some(p) = &config.jobs.min_price_per_hour {
			parse_pec(p).map_err(|e| format!("jobs.min_price_per_hour: {e}"))?;
		}
		if !config.metrics.listen.is_empty() {
			config.metrics.listen.parse::<SocketAddr>().map_err(|_| {
				format!("metrics.listen {:?} is not host:port", config.metrics.listen)
			})?;
		}
		Ok(config)
	}

	fn price_floor(&self) -> u128 {
		self.jobs.min_price_per_hour.as_deref().and_then(|p| parse_pec(p).ok()).unwrap_or(0)
	}
}

/// The daemon's Prometheus metrics.
#[derive(Clone)]
pub struct Metrics {
	pub heartbeats_sent: IntCounter,
	pub heartbeats_failed: IntCounter,
	pub jobs_accepted: IntCounter,
	pub leases_started: IntCounter,
	pub lease_active: IntGauge,
	pub results_submitted: IntCounter,
	pub earnings_claimed_plancks: IntCounter,
	pub reconnects: IntCounter,
	pub last_heartbeat_block: IntGauge,
}

impl Metrics {
	/// Registers the metrics in `registry`.
	pub fn new(registry: &Registry) -> Result<Self> {
		let counter = |name: &str, help: &str| -> Result<IntCounter> {
			let c = IntCounter::new(format!("powerverse_agent_{name}"), help)
				.map_err(|e| Error::Input(e.to_string()))?;
			registry.register(Box::new(c.clone())).map_err(|e| Error::Input(e.to_string()))?;
			Ok(c)
		};
		let gauge = |name: &str, help: &str| -> Result<IntGauge> {
			let g = IntGauge::new(format!("powerverse_agent_{name}"), help)
				.map_err(|e| Error::Input(e.to_string()))?;
			registry.register(Box::new(g.clone())).map_err(|e| Error::Input(e.to_string()))?;
			Ok(g)
		};
		Ok(Self {
			heartbeats_sent: counter("heartbeats_sent_total", "Heartbeats finalized on chain")?,
			heartbeats_failed: counter("heartbeats_failed_total", "Heartbeats that failed or could not be sent")?,
			jobs_accepted: counter("jobs_accepted_total", "Open jobs this daemon accepted")?,
			leases_started: counter("leases_started_total", "Leases seen starting on the machine")?,
			lease_active: gauge("lease_active", "1 while the machine has a running lease")?,
			results_submitted: counter("results_submitted_total", "Lease results submitted")?,
			earnings_claimed_plancks: counter(
				"earnings_claimed_plancks_total",
				"Earnings paid to the machine's owner by this daemon's claims (plancks, after the fee)",
			)?,
			reconnects: counter("reconnects_total", "Connections (re)established to the node")?,
			last_heartbeat_block: gauge("last_heartbeat_block", "Block of the last finalized heartbeat")?,
		})
	}
}

/// Exit status of a daemon that stopped on its own.
pub enum Stop {
	/// SIGINT/SIGTERM.
	Signal,
}

/// Waits before retrying: 1 s, 2 s, 4 s … 60 s, ±20% jitter.
struct Backoff {
	next: Duration,
}

impl Backoff {
	fn new() -> Self {
		Self { next: Duration::from_secs(1) }
	}
	fn reset(&mut self) {
		self.next = Duration::from_secs(1);
	}
	fn step(&mut self) -> Duration {
		let base = self.next;
		self.next = (self.next * 2).min(Duration::from_secs(60));
		let nanos = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.subsec_nanos())
			.unwrap_or(0);
		// ±20%, from the clock's sub-second noise: enough to spread a fleet's retries.
		let jitter = f64::from(nanos % 401) / 1000.0 - 0.2;
		base.mul_f64(1.0 + jitter)
	}
}

/// What the daemon remembers between rounds.
#[derive(Default)]
struct State {
	/// When the next heartbeat is due (`None`: now).
	next_heartbeat: Option<Instant>,
	last_jobs_look: Option<Instant>,
	last_claim: Option<Instant>,
	known_lease: Option<u64>,
	results_done: BTreeSet<u64>,
	/// Result commands running (one per lease), in the background: a long job never delays
	/// a heartbeat.
	results_running: BTreeMap<u64, tokio::task::JoinHandle<std::io::Result<std::process::Output>>>,
	/// Leases that ended, by the block after which their challenge window is over: then the
	/// daemon closes them, which pays the rest to the owner and settles them.
	ended: BTreeMap<u64, u64>,
}

/// Runs until a signal (Ok) or an error nothing can recover from (Err).
pub async fn run(config: Config) -> Result<Stop> {
	let key = keys::from_file(&config.operator_key_file)?;
	let me = keys::account_of(&key);
	let registry = Registry::new();
	let metrics = Metrics::new(&registry)?;
	if !config.metrics.listen.is_empty() {
		let addr: SocketAddr = config.metrics.listen.parse().map_err(|_| {
			Error::Input(format!("metrics.listen {:?} is not host:port", config.metrics.listen))
		})?;
		let registry = registry.clone();
		tokio::spawn(async move {
			if let Err(e) = substrate_prometheus_endpoint::init_prometheus(addr, registry).await {
				error!("metrics endpoint on {addr} stopped: {e}");
			}
		});
		info!("metrics on http://{addr}/metrics");
	}
	info!(machine = config.machine, operator = %me, url = %config.url, "agent daemon starting");
	let mut backoff = Backoff::new();
	let mut state = State::default();
	let mut checked = false;
	loop {
		let chain = tokio::select! {
			c = Chain::connect(&config.url) => c,
			_ = shutdown() => return Ok(Stop::Signal),
		};
		let chain = match chain {
			Ok(c) => c,
			Err(e) if transient(&e) => {
				let wait = backoff.step();
				warn!("{e}; retrying in {}s", secs(wait));
				tokio::select! {
					_ = tokio::time::sleep(wait) => continue,
					_ = shutdown() => return Ok(Stop::Signal),
				}
			},
			Err(e) => return Err(e),
		};
		metrics.reconnects.inc();
		info!("connected to {}", chain.url());
		if !checked {
			match check_machine(&chain, config.machine, &me).await {
				Ok(()) => checked = true,
				Err(e @ Error::Input(_)) => return Err(e),
				Err(e) => {
					let wait = backoff.step();
					warn!("{e}; retrying in {}s", secs(wait));
					tokio::select! {
						_ = tokio::time::sleep(wait) => continue,
						_ = shutdown() => return Ok(Stop::Signal),
					}
				},
			}
		}
		backoff.reset();
		// Rounds until the connection fails; then reconnect.
		let outcome = tokio::select! {
			r = rounds(&chain, &config, &key, &me, &metrics, &mut state) => r,
			_ = shutdown() => return Ok(Stop::Signal),
		};
		match outcome {
			// The network, or an error answer of the node (its RPC or runtime failing): both
			// may recover, so retry. Only what the operator must fix (`Input`) stops the daemon.
			Err(e) if transient(&e) || matches!(e, Error::Rpc(_)) => {
				let wait = backoff.step();
				warn!("{e}; reconnecting in {}s", secs(wait));
				tokio::select! {
					_ = tokio::time::sleep(wait) => {},
					_ = shutdown() => return Ok(Stop::Signal),
				}
			},
			Err(e) => return Err(e),
			Ok(()) => {},
		}
	}
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown() {
	let term = async {
		match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
			Ok(mut s) => {
				s.recv().await;
			},
			Err(_) => std::future::pending::<()>().await,
		}
	};
	tokio::select! {
		_ = tokio::signal::ctrl_c() => {},
		_ = term => {},
	}
	info!("stopping on signal");
}

/// The machine exists, is not retired and `me` may operate it: fatal otherwise.
async fn check_machine(chain: &Chain, machine: u64, me: &AccountId32) -> Result<()> {
	let record: Json = match chain.rpc("powerverse_machine", vec![machine.into()]).await {
		Ok(record) => record,
		Err(Error::Rpc(e)) if e.ends_with("(1001)") => {
			return Err(Error::Input(format!(
				"machine {machine} does not exist on this chain (or is retired): check `machine` in the config"
			)))
		},
		Err(Error::Rpc(e)) if e.ends_with("(-32601)") => {
			return Err(Error::Input(format!(
				"{} does not serve the powerverse_* RPC ({e}): point `url` at a PowerVerse node",
				chain.url()
			)))
		},
		Err(e) => return Err(e),
	};
	let me = me.to_string();
	let operator = record["operator"].as_str().unwrap_or_default();
	let provider = record["provider"].as_str().unwrap_or_default();
	if me != operator && me != provider {
		return Err(Error::Input(format!(
			"the key in operator_key_file is {me}, but machine {machine}'s operator is {operator}: \
			 point operator_key_file at the operator key, or set it with `powerverse-agent \
			 set-operator` (cold key)"
		)));
	}
	Ok(())
}

/// One connection's life: a round every few seconds until a transient error.
async fn rounds(
	chain: &Chain,
	config: &Config,
	key: &Keypair,
	me: &AccountId32,
	metrics: &Metrics,
	state: &mut State,
) -> Result<()> {
	let heartbeat_every = Duration::from_secs(config.heartbeat.interval_secs);
	let jobs_every = Duration::from_secs(config.jobs.poll_secs);
	let claim_every = Duration::from_secs(config.claims.every_secs);
	let machine = config.machine;
	let due = |last: Option<Instant>, every: Duration| last.map_or(true, |t| t.elapsed() >= every);
	loop {
		let record: Json = match chain.rpc("powerverse_machine", vec![machine.into()]).await {
			Ok(record) => record,
			Err(Error::Rpc(e)) if e.ends_with("(1001)") => {
				return Err(Error::Input(format!("machine {machine} is gone (retired)")))
			},
			Err(e) => return Err(e),
		};
		// Only the machine's operator (or its provider) key may run it; a `set-operator` since
		// the start stops the daemon instead of paying for refused heartbeats.
		let me_text = me.to_string();
		if record["operator"].as_str() != Some(me_text.as_str())
			&& record["provider"].as_str() != Some(me_text.as_str())
		{
			return Err(Error::Input(format!(
				"machine {machine}'s operator is now {}, not this daemon's key {me_text}: point \
				 operator_key_file at the new operator key",
				record["operator"].as_str().unwrap_or("?")
			)));
		}
		if state.next_heartbeat.map_or(true, |at| Instant::now() >= at) {
			match chain.submit(key, "Compute", "heartbeat", vec![arg::u(machine)], timeout()).await
			{
				Ok(receipt) => {
					metrics.heartbeats_sent.inc();
					metrics
						.last_heartbeat_block
						.set(i64::try_from(receipt.block).unwrap_or(i64::MAX));
					info!(block = receipt.block, "heartbeat finalized");
					state.next_heartbeat = Some(Instant::now() + heartbeat_every);
				},
				// Sooner than the chain allows after the last one (e.g. right after onboarding):
				// try again in half a minute.
				Err(Error::Chain(e)) if e.contains("HeartbeatTooSoon") => {
					state.next_heartbeat = Some(Instant::now() + Duration::from_secs(30));
				},
				// The machine got another operator key: this daemon's key is not it any more.
				Err(Error::Chain(e)) if e.contains("NotMachineOperator") => {
					metrics.heartbeats_failed.inc();
					return Err(Error::Input(format!(
						"machine {machine} no longer accepts this key's heartbeats ({e}): its \
						 operator was changed; point operator_key_file at the new operator key"
					)));
				},
				Err(e) => {
					metrics.heartbeats_failed.inc();
					if transient(&e) {
						return Err(e);
					}
					warn!("heartbeat failed: {e}");
					// Try again soon rather than a whole interval later.
					state.next_heartbeat =
						Some(Instant::now() + jobs_every.max(Duration::from_secs(30)));
				},
			}
		}
		let lease = record["activeLease"].as_u64();
		metrics.lease_active.set(i64::from(lease.is_some()));
		if lease != state.known_lease {
			if let Some(id) = lease {
				metrics.leases_started.inc();
				info!(lease = id, "lease started");
			}
			state.known_lease = lease;
		}
		finish_results(chain, key, metrics, state).await?;
		let best = best_number(chain).await?;
		if let Some(id) = lease {
			let record: Json = chain.rpc("powerverse_lease", vec![id.into()]).await?;
			if config.results.command.is_some()
				&& !state.results_done.contains(&id)
				&& !state.results_running.contains_key(&id)
			{
				start_result(config, id, &record, state);
			}
			let end = record["end"].as_u64().unwrap_or(u64::MAX);
			if best >= end {
				// Over: close it (anyone may), which frees the machine for the next job.
				close(chain, key, id, state).await?;
			} else if config.claims.every_secs > 0 && due(state.last_claim, claim_every) {
				let claimable: u128 =
					record["claimable"].as_str().and_then(|c| c.parse().ok()).unwrap_or(0);
				// Nothing to claim until a heartbeat proves more time: no fee for nothing.
				if claimable > 0 {
					claim(chain, key, id, metrics).await?;
				}
				state.last_claim = Some(Instant::now());
			}
		}
		let settle: Vec<u64> =
			state.ended.iter().filter(|(_, until)| best > **until).map(|(id, _)| *id).collect();
		for id in settle {
			close(chain, key, id, state).await?;
		}
		// Jobs only while the machine could start one: no fee for accepts the chain must refuse.
		let ready = record["state"] == "Idle"
			&& record["verified"] == true
			&& record["sufficientlyCollateralized"] == true;
		if lease.is_none() && ready && config.jobs.accept && due(state.last_jobs_look, jobs_every) {
			state.last_jobs_look = Some(Instant::now());
			accept_matching_job(chain, config, key, metrics).await?;
		}
		tokio::time::sleep(Duration::from_secs(config.jobs.poll_secs.min(6).max(1))).await;
	}
}

/// Whole seconds, rounded, at least 1 (for log lines).
fn secs(d: Duration) -> u64 {
	(d.as_secs_f64().round() as u64).max(1)
}

fn timeout() -> Duration {
	Duration::from_secs(90)
}

/// Whether an open job (as `powerverse_openJobsForMachine` lists it) fits the policy.
pub fn job_matches(job: &Json, config: &Config) -> bool {
	let max_price: u128 = job["maxPricePerHour"].as_str().and_then(|p| p.parse().ok()).unwrap_or(0);
	if max_price < config.price_floor() {
		return false;
	}
	if let Some(limit) = config.jobs.max_hours {
		if job["hours"].as_u64().map_or(true, |h| h > u64::from(limit)) {
			return false;
		}
	}
	if !config.jobs.gpu_models.is_empty() {
		let wanted = job["requirements"]["gpuModel"].as_str();
		if !wanted.is_some_and(|m| config.jobs.gpu_models.iter().any(|g| g == m)) {
			return false;
		}
	}
	true
}

async fn accept_matching_job(
	chain: &Chain,
	config: &Config,
	key: &Keypair,
	metrics: &Metrics,
) -> Result<()> {
	// Page by page until a job is taken or the queues are walked: a page looks at a bounded
	// number of queued jobs, so jobs this machine cannot serve never hide the ones behind them.
	let mut cursor = Json::Null;
	for _ in 0..MAX_JOB_PAGES {
		let page = open_jobs_page(chain, config.machine, cursor).await?;
		if try_jobs(chain, config, key, metrics, &page).await? {
			return Ok(());
		}
		cursor = page["next"].clone();
		if cursor.is_null() {
			break;
		}
	}
	Ok(())
}

/// More pages than the queues can fill (4 levels × 512 jobs, 80 looked at per page).
const MAX_JOB_PAGES: usize = 32;

/// One page of the open jobs `machine` can serve (`cursor`: null or the previous `next`).
pub async fn open_jobs_page(chain: &Chain, machine: u64, cursor: Json) -> Result<Json> {
	chain.rpc("powerverse_openJobsForMachine", vec![machine.into(), cursor, 20.into()]).await
}

/// Every open job `machine` can serve, following the pages.
pub async fn open_jobs(chain: &Chain, machine: u64) -> Result<Vec<Json>> {
	let (mut jobs, mut cursor) = (Vec::new(), Json::Null);
	for _ in 0..MAX_JOB_PAGES {
		let page = open_jobs_page(chain, machine, cursor).await?;
		jobs.extend(page["items"].as_array().cloned().unwrap_or_default());
		cursor = page["next"].clone();
		if cursor.is_null() {
			break;
		}
	}
	Ok(jobs)
}

/// Accepts the first job of `page` that fits the policy; whether one was taken.
async fn try_jobs(
	chain: &Chain,
	config: &Config,
	key: &Keypair,
	metrics: &Metrics,
	page: &Json,
) -> Result<bool> {
	let Some(jobs) = page["items"].as_array() else { return Ok(false) };
	for job in jobs.iter().filter(|j| job_matches(j, config)) {
		let Some(id) = job["id"].as_u64() else { continue };
		match chain
			.submit(
				key,
				"Market",
				"accept_job",
				vec![arg::u(id), arg::u(config.machine)],
				timeout(),
			)
			.await
		{
			Ok(receipt) => {
				metrics.jobs_accepted.inc();
				let lease = receipt.event("Market", "JobAccepted").and_then(|e| e.u128("lease"));
				info!(job = id, lease = ?lease, block = receipt.block, "job accepted");
				return Ok(true);
			},
			Err(e) if transient(&e) => return Err(e),
			// Taken by another machine, expired, or this job's terms: try the next one.
			Err(Error::Chain(e))
				if [
					"JobNotOpen",
					"JobExpired",
					"UnknownJob",
					"PriceAboveMaximum",
					"NotEnough",
					"WrongRegion",
				]
				.iter()
				.any(|k| e.contains(k)) =>
			{
				warn!(job = id, "not accepted: {e}")
			},
			// The machine itself cannot take jobs now: stop until the next look.
			Err(e) => {
				warn!(job = id, "not accepted: {e}; looking again later");
				return Ok(true);
			},
		}
	}
	Ok(false)
}

/// Starts the result command of `lease` in the background (once).
fn start_result(config: &Config, lease: u64, record: &Json, state: &mut State) {
	let Some(command) = config.results.command.as_deref() else { return };
	if !record["result"].is_null() {
		state.results_done.insert(lease);
		return;
	}
	info!(lease, "running the result command");
	let mut child = tokio::process::Command::new("sh");
	child
		.arg("-c")
		.arg(command)
		.env("POWERVERSE_LEASE", lease.to_string())
		.env("POWERVERSE_MACHINE", config.machine.to_string())
		.env("POWERVERSE_JOB_SPEC", record["spec"].as_str().unwrap_or_default())
		.kill_on_drop(true);
	state.results_running.insert(lease, tokio::spawn(async move { child.output().await }));
}

/// Submits the hash of each finished result command's output.
async fn finish_results(
	chain: &Chain,
	key: &Keypair,
	metrics: &Metrics,
	state: &mut State,
) -> Result<()> {
	let finished: Vec<u64> =
		state.results_running.iter().filter(|(_, h)| h.is_finished()).map(|(l, _)| *l).collect();
	for lease in finished {
		let Some(handle) = state.results_running.remove(&lease) else { continue };
		let output = match handle.await {
			Ok(Ok(o)) if o.status.success() => o.stdout,
			Ok(Ok(o)) => {
				warn!(lease, status = %o.status, "the result command failed; not submitting a result");
				state.results_done.insert(lease);
				continue;
			},
			Ok(Err(e)) => {
				warn!(lease, "cannot run the result command: {e}");
				state.results_done.insert(lease);
				continue;
			},
			Err(e) => {
				warn!(lease, "the result command's task failed: {e}");
				state.results_done.insert(lease);
				continue;
			},
		};
		let hash = sp_crypto_hashing::blake2_256(&output);
		match chain
			.submit(
				key,
				"Market",
				"submit_result",
				vec![arg::u(lease), arg::bytes(hash)],
				timeout(),
			)
			.await
		{
			Ok(receipt) => {
				metrics.results_submitted.inc();
				info!(lease, block = receipt.block, result = %format!("0x{}", hex(&hash)), "result submitted");
			},
			Err(e) if transient(&e) => {
				// Not known to be on chain: submit it again after reconnecting.
				state
					.results_running
					.insert(lease, tokio::spawn(async move { Ok(fake_success(output)) }));
				return Err(e);
			},
			Err(e) => warn!(lease, "result not submitted: {e}"),
		}
		state.results_done.insert(lease);
	}
	Ok(())
}

/// A finished command's output, for a submission to retry.
fn fake_success(stdout: Vec<u8>) -> std::process::Output {
	use std::os::unix::process::ExitStatusExt;
	std::process::Output { status: std::process::ExitStatus::from_raw(0), stdout, stderr: vec![] }
}

/// Closes `lease`: ends it if it is over (the machine is free again) and, after its challenge
/// window, pays the rest to the owner and settles it.
async fn close(chain: &Chain, key: &Keypair, lease: u64, state: &mut State) -> Result<()> {
	match chain.submit(key, "Market", "close_lease", vec![arg::u(lease)], timeout()).await {
		Ok(receipt) => {
			if receipt.event("Market", "LeaseSettled").is_some() {
				info!(lease, block = receipt.block, "lease settled");
				state.ended.remove(&lease);
			} else {
				let record: Json = chain.rpc("powerverse_lease", vec![lease.into()]).await?;
				let until = record["challengeDeadline"].as_u64().unwrap_or(0);
				info!(
					lease,
					block = receipt.block,
					until,
					"lease ended; settling after its challenge window"
				);
				state.ended.insert(lease, until);
			}
			Ok(())
		},
		Err(e) if transient(&e) => Err(e),
		// Someone else closed or settled it, or it is disputed: nothing more to do here.
		Err(e) => {
			warn!(lease, "not closed: {e}");
			state.ended.remove(&lease);
			Ok(())
		},
	}
}

/// The best block's number.
async fn best_number(chain: &Chain) -> Result<u64> {
	let header: Json = chain.rpc("chain_getHeader", vec![]).await?;
	header["number"]
		.as_str()
		.and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
		.ok_or_else(|| Error::Rpc("chain_getHeader: no block number".into()))
}

async fn claim(chain: &Chain, key: &Keypair, lease: u64, metrics: &Metrics) -> Result<()> {
	match chain.submit(key, "Market", "claim_earnings", vec![arg::u(lease)], timeout()).await {
		Ok(receipt) => {
			let paid: u128 = receipt
				.events
				.iter()
				.filter(|e| e.pallet == "Market" && e.name == "EarningsPaid")
				.filter_map(|e| e.u128("amount"))
				.sum();
			metrics.earnings_claimed_plancks.inc_by(u64::try_from(paid).unwrap_or(u64::MAX));
			info!(
				lease,
				block = receipt.block,
				plancks = paid,
				"earnings claimed ({}.{:012} PEC to the owner)",
				paid / PLANCKS_PER_PEC,
				paid % PLANCKS_PER_PEC
			);
			Ok(())
		},
		Err(Error::Chain(e)) if e.contains("NothingToClaim") => Ok(()),
		Err(e) if transient(&e) => Err(e),
		Err(e) => {
			warn!(lease, "claim failed: {e}");
			Ok(())
		},
	}
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The events of a receipt as JSON lines (`Pallet.Event`).
pub fn event_names(receipt: &Receipt) -> Vec<String> {
	receipt.events.iter().map(|e| format!("{}.{}", e.pallet, e.name)).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	const MINIMAL: &str =
		"url = \"ws://127.0.0.1:9944\"\noperator_key_file = \"/k\"\nmachine = 3\n";

	#[test]
	fn a_minimal_config_takes_the_defaults() {
		let c = Config::parse(MINIMAL).unwrap();
		assert_eq!((c.machine, c.heartbeat.interval_secs, c.claims.every_secs), (3, 300, 3600));
		assert!(!c.jobs.accept);
		assert_eq!(c.metrics.listen, "127.0.0.1:9616");
	}

	#[test]
	fn the_shipped_example_config_parses() {
		let c = Config::parse(include_str!("../agent.example.toml")).unwrap();
		assert_eq!((c.machine, c.claims.every_secs), (0, 3600));
		assert_eq!(c.operator_key_file, PathBuf::from("/etc/powerverse/operator.key"));
	}

	#[test]
	fn malformed_configs_name_what_to_fix() {
		let cases = [
			("machine = 1\n", "url"),
			(&format!("{MINIMAL}colour = 1\n"), "colour"),
			(&format!("{MINIMAL}[heartbeat]\ninterval_secs = 0\n"), "heartbeat.interval_secs"),
			(
				&format!("{MINIMAL}[jobs]\nmin_price_per_hour = \"cheap\"\n"),
				"jobs.min_price_per_hour",
			),
			(&format!("{MINIMAL}[metrics]\nlisten = \"everywhere\"\n"), "metrics.listen"),
			(&MINIMAL.replace("ws://", "ftp://"), "url"),
			(&MINIMAL.replace("machine = 3", "machine = -3"), "machine"),
		];
		for (text, names) in cases {
			let err = Config::parse(text).unwrap_err();
			assert!(err.contains(names), "{names}: {err}");
		}
	}

	#[test]
	fn the_job_policy_filters_price_gpu_and_length() {
		let config = Config::parse(&format!(
			"{MINIMAL}[jobs]\naccept = true\nmin_price_per_hour = \"2\"\ngpu_models = [\"H100\"]\nmax_hours = 4\n"
		))
		.unwrap();
		let job = |price: u128, model: Option<&str>, hours: u64| {
			serde_json::json!({
				"id": 1, "maxPricePerHour": price.to_string(), "hours": hours,
				"requirements": { "gpuModel": model },
			})
		};
		assert!(job_matches(&job(2 * PLANCKS_PER_PEC, Some("H100"), 4), &config));
		assert!(!job_matches(&job(2 * PLANCKS_PER_PEC - 1, Some("H100"), 4), &config));
		assert!(!job_matches(&job(3 * PLANCKS_PER_PEC, Some("H200"), 4), &config));
		assert!(!job_matches(&job(3 * PLANCKS_PER_PEC, None, 4), &config));
		assert!(!job_matches(&job(3 * PLANCKS_PER_PEC, Some("H100"), 5), &config));
	}

	#[test]
	fn backoff_doubles_to_a_minute_with_jitter() {
		let mut b = Backoff::new();
		let waits: Vec<f64> = (0..8).map(|_| b.step().as_secs_f64()).collect();
		for (wait, base) in waits.iter().zip([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]) {
			assert!(*wait >= base * 0.8 && *wait <= base * 1.2, "{wait} vs {base}");
		}
		b.reset();
		assert!(b.step().as_secs_f64() <= 1.2);
	}
}

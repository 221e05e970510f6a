//! The agent binary against a dev node: detection, onboarding this host (twice: one machine),
//! the daemon serving a job end to end (accepts by policy, submits the result, claims earnings
//! checked to the planck) and heartbeating across a node restart, its metrics, and the errors
//! for an unreachable node, bad or world-readable keys, a malformed config and a foreign
//! machine — never printing a key.

use powerverse_agent::{
	client::{arg, Chain},
	keys,
	subxt::dynamic::Value,
};
use serde_json::{json, Value as Json};
use std::{
	io::{BufRead, Read, Write},
	net::TcpListener,
	os::unix::fs::PermissionsExt,
	path::{Path, PathBuf},
	process::{Child, Command, Output, Stdio},
	time::{Duration, Instant},
};

const PEC: u128 = 1_000_000_000_000;

fn agent() -> PathBuf {
	PathBuf::from(env!("CARGO_BIN_EXE_powerverse-agent"))
}

/// The node binary the workspace build put next to the agent.
fn node_binary() -> PathBuf {
	agent().with_file_name("powerverse-node")
}

fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
	tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

/// A dev node on a kept base path and a fixed RPC port (so it can be restarted in place);
/// killed on drop.
struct DevNode {
	child: Option<Child>,
	port: u16,
	base: PathBuf,
}

impl DevNode {
	fn start(base: &Path) -> Self {
		let mut node = Self { child: None, port: free_port(), base: base.to_owned() };
		node.spawn();
		node
	}

	fn spawn(&mut self) {
		let child = Command::new(node_binary())
			.args(["--dev", "--no-telemetry", "--no-prometheus", "--no-mdns"])
			.args(["--base-path", self.base.to_str().unwrap()])
			.args(["--rpc-port", &self.port.to_string(), "--port", &free_port().to_string()])
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			.spawn()
			.expect("node binary built by the workspace");
		self.child = Some(child);
		let start = Instant::now();
		while self.best().map_or(true, |n| n < 1) {
			assert!(start.elapsed() < Duration::from_secs(90), "dev node produced no block");
			std::thread::sleep(Duration::from_millis(500));
		}
	}

	/// Stops the node cleanly (SIGINT) and waits for it.
	fn stop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
			let _ = child.wait();
		}
	}

	fn url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.port)
	}

	fn best(&self) -> Option<u64> {
		let header = self.call("chain_getHeader", json!([])).ok()?;
		u64::from_str_radix(header["number"].as_str()?.trim_start_matches("0x"), 16).ok()
	}

	/// A JSON-RPC call over plain HTTP (the node serves HTTP and WebSocket on one port).
	fn call(&self, method: &str, params: Json) -> Result<Json, String> {
		let body =
			json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
		let mut stream =
			std::net::TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
		write!(
			stream,
			"POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
			self.port,
			body.len()
		)
		.map_err(|e| e.to_string())?;
		let mut response = String::new();
		stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
		let payload = response.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
		let value: Json = serde_json::from_str(payload).map_err(|e| format!("{e}: {payload}"))?;
		match value.get("result") {
			Some(r) => Ok(r.clone()),
			None => Err(value["error"].to_string()),
		}
	}
}

impl Drop for DevNode {
	fn drop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

/// A scratch directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
	fn new(name: &str) -> Self {
		let dir = std::env::temp_dir().join(format!("pv-agent-{name}-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).unwrap();
		Self(dir)
	}
	/// A key file holding `suri`, with `mode`.
	fn key(&self, name: &str, suri: &str, mode: u32) -> String {
		let path = self.0.join(name);
		std::fs::write(&path, format!("{suri}\n")).unwrap();
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
		path.to_str().unwrap().to_owned()
	}
	fn file(&self, name: &str, text: &str) -> String {
		let path = self.0.join(name);
		std::fs::write(&path, text).unwrap();
		path.to_str().unwrap().to_owned()
	}
}

impl Drop for Scratch {
	fn drop(&mut self) {
		let _ = std::fs::remove_dir_all(&self.0);
	}
}

fn run(args: &[&str]) -> Output {
	Command::new(agent()).args(args).env_remove("POWERVERSE_SURI").output().expect("agent runs")
}

fn text(out: &Output) -> String {
	format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn json_of(out: &Output) -> Json {
	assert!(out.status.success(), "{}", text(out));
	serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

fn profile<'a>() -> Vec<&'a str> {
	vec![
		"--name",
		"Berlin GPU",
		"--operator-name",
		"Hetzner",
		"--city",
		"Berlin",
		"--country",
		"DE",
		"--contact-url",
		"https://gpu.example",
		"--encryption-key",
		"0x1111111111111111111111111111111111111111111111111111111111111111",
	]
}

#[test]
fn detect_prints_this_hosts_hardware() {
	let out = run(&["detect", "--bandwidth-mbps", "1000", "--json"]);
	let host = json_of(&out);
	assert!(host["cores"].as_u64().unwrap() >= 1);
	assert!(host["threads"].as_u64() >= host["cores"].as_u64());
	assert!(host["ramGib"].as_u64().unwrap() >= 1);
	assert!(!host["cpuModel"].as_str().unwrap().is_empty());
	assert_eq!(host["bandwidthMbps"], 1000);
	assert!(host["gpus"].is_array());
}

#[test]
fn bad_endpoints_keys_and_configs_are_clear_errors() {
	let dir = Scratch::new("errors");
	let out = run(&["status", "--url", "ws://127.0.0.1:1", "--machine", "0"]);
	assert!(!out.status.success());
	assert!(text(&out).contains("RPC endpoint unreachable"), "{}", text(&out));
	let out = run(&["status", "--url", "ftp://127.0.0.1:1", "--machine", "0"]);
	assert!(text(&out).contains("is not a node endpoint"), "{}", text(&out));

	// A key that is not one; a key file others can read (refused like ssh, before any use).
	let secret = "word ".repeat(11) + "secretword";
	let junk = dir.key("junk", &secret, 0o600);
	let out = run(&[
		"bond",
		"--url",
		"ws://127.0.0.1:1",
		"--key-file",
		&junk,
		"--machine",
		"0",
		"--amount",
		"1",
	]);
	assert!(text(&out).contains("does not hold a valid secret URI"), "{}", text(&out));
	assert!(!text(&out).contains("secretword"), "the key leaked: {}", text(&out));
	let open = dir.key("open", "//Alice", 0o644);
	let out = run(&[
		"bond",
		"--url",
		"ws://127.0.0.1:1",
		"--key-file",
		&open,
		"--machine",
		"0",
		"--amount",
		"1",
	]);
	assert!(!out.status.success());
	assert!(text(&out).contains("accessible by others (mode 644)"), "{}", text(&out));
	assert!(text(&out).contains(&format!("chmod 600 {open}")), "{}", text(&out));

	// Malformed configs: exit 2 with the key to fix; nothing starts.
	for (config, names) in [
		("url = \"ws://127.0.0.1:1\"\nmachine = 0\n", "operator_key_file"),
		("url = \"ws://127.0.0.1:1\"\noperator_key_file = \"k\"\nmachine = 0\nheartbeat = 5\n", "heartbeat"),
		("url = \"ws://127.0.0.1:1\"\noperator_key_file = \"k\"\nmachine = 0\n[jobs]\nmin_price_per_hour = \"lots\"\n", "jobs.min_price_per_hour"),
	] {
		let path = dir.file("bad.toml", config);
		let out = run(&["run", "--config", &path]);
		assert_eq!(out.status.code(), Some(2), "{}", text(&out));
		assert!(text(&out).contains(names), "{names}: {}", text(&out));
	}
	let config = dir.file(
		"open.toml",
		&format!("url = \"ws://127.0.0.1:1\"\noperator_key_file = \"{open}\"\nmachine = 0\n"),
	);
	let out = run(&["run", "--config", &config]);
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	assert!(text(&out).contains("chmod 600"), "{}", text(&out));

	// An unreachable node is transient: the daemon and the heartbeat loop keep retrying with a
	// growing backoff instead of exiting.
	let hot = dir.key("hot", "//Dave", 0o600);
	let config = dir.file("down.toml", &format!("url = \"ws://127.0.0.1:1\"\noperator_key_file = \"{hot}\"\nmachine = 0\n[metrics]\nlisten = \"\"\n"));
	for args in [
		vec!["run", "--config", config.as_str()],
		vec![
			"heartbeat",
			"--url",
			"ws://127.0.0.1:1",
			"--key-file",
			hot.as_str(),
			"--machine",
			"0",
		],
	] {
		let mut child = Command::new(agent())
			.args(&args)
			.stdout(Stdio::null())
			.stderr(Stdio::piped())
			.spawn()
			.unwrap();
		std::thread::sleep(Duration::from_secs(5));
		assert!(child.try_wait().unwrap().is_none(), "{args:?} gave up");
		child.kill().unwrap();
		let out = child.wait_with_output().unwrap();
		let log = String::from_utf8_lossy(&out.stderr);
		assert!(log.contains("retrying in 1s") && log.contains("retrying in 2s"), "{log}");
		assert!(!log.contains("//Dave"), "the key leaked");
	}
}

/// Submits a call signed by a dev key through the agent's client and waits for finality.
fn submit(
	url: &str,
	suri: &str,
	pallet: &str,
	call: &str,
	args: Vec<Value>,
) -> powerverse_agent::client::Receipt {
	block_on(async {
		let chain = Chain::connect(url).await.unwrap();
		let key = keys::from_suri(suri).unwrap();
		chain.submit(&key, pallet, call, args, Duration::from_secs(90)).await.unwrap()
	})
}

/// Lines of the daemon's log (stderr) so far.
fn log_lines(path: &str) -> Vec<String> {
	std::fs::File::open(path)
		.map(|f| std::io::BufReader::new(f).lines().map_while(Result::ok).collect())
		.unwrap_or_default()
}

/// `key=value` from a tracing log line.
fn field(line: &str, key: &str) -> Option<u64> {
	let at = line.find(&format!("{key}="))? + key.len() + 1;
	line[at..].split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

fn wait_for(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
	let start = Instant::now();
	while !check() {
		assert!(start.elapsed() < timeout, "timed out waiting for {what}");
		std::thread::sleep(Duration::from_secs(1));
	}
}

fn metrics(port: u16) -> String {
	let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("metrics endpoint");
	write!(stream, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
		.unwrap();
	let mut response = String::new();
	stream.read_to_string(&mut response).unwrap();
	response
}

fn metric(text: &str, name: &str) -> u64 {
	text.lines()
		.find(|l| l.starts_with(&format!("powerverse_agent_{name} ")))
		.and_then(|l| l.split_whitespace().nth(1))
		.and_then(|v| v.parse().ok())
		.unwrap_or_else(|| panic!("metric {name} missing:\n{text}"))
}

#[test]
fn a_provider_onboards_this_host_and_the_daemon_serves_a_job() {
	let dir = Scratch::new("daemon");
	let mut node = DevNode::start(&dir.0.join("chain"));
	let url = node.url();
	// Charlie is the provider (cold key), Dave the machine's operator (hot key, the daemon's).
	let cold = dir.key("cold", "//Charlie", 0o600);
	let hot = dir.key("hot", "//Dave", 0o600);
	let dave = keys::account_of(&keys::from_suri("//Dave").unwrap()).to_string();
	let charlie = keys::account_of(&keys::from_suri("//Charlie").unwrap());

	// Onboard this host from real detection; a second run finds the same machine.
	let mut args =
		vec!["onboard", "--json", "--url", &url, "--key-file", &cold, "--operator", &dave];
	args.extend(["--price", "3", "--bandwidth-mbps", "1000"]);
	args.extend(profile());
	let first = json_of(&run(&args));
	let machine = first["machine"].as_u64().unwrap();
	assert_eq!(first["nft"], json!({"collection": 0, "item": machine}));
	let again = run(&args);
	assert!(!text(&again).contains("//Charlie"), "the key leaked");
	let again = json_of(&again);
	assert_eq!(
		(again["machine"].as_u64(), again["alreadyRegistered"].as_bool()),
		(Some(machine), Some(true))
	);
	let mine = node.call("powerverse_machinesByProvider", json!([charlie.to_string()])).unwrap();
	assert_eq!(mine["items"], json!([machine]), "one machine, not two");
	let info = node.call("powerverse_machine", json!([machine])).unwrap();
	assert_eq!(info["operator"], dave.as_str());
	assert!(info["spec"]["gpus"].as_array().unwrap().is_empty(), "a CPU-only host");

	// Verification (sudo stands in for the supervisors' jury) and collateral (the cold key).
	let verify = Value::unnamed_variant(
		"Compute",
		[Value::named_variant(
			"verify_machine",
			[("machine", arg::u(machine)), ("approved", Value::bool(true))],
		)],
	);
	let receipt = submit(&url, "//Alice", "Sudo", "sudo", vec![verify]);
	let sudid = receipt.event("Sudo", "Sudid").expect("Sudid");
	assert!(
		format!("{:?}", sudid.fields).contains("Ok"),
		"verification failed: {:?}",
		sudid.fields
	);
	let bonded = json_of(&run(&[
		"bond",
		"--json",
		"--url",
		&url,
		"--key-file",
		&cold,
		"--machine",
		&machine.to_string(),
		"--amount",
		"2000",
	]));
	assert!(
		bonded["events"].as_array().unwrap().contains(&json!("ComputeStaking.Bonded")),
		"{bonded}"
	);

	// From here on Charlie (the owner) only receives: his balance moves by the claims alone.
	let charlie_before = block_on(async {
		Chain::connect(&url).await.unwrap().free_balance(&charlie).await.unwrap()
	});

	// A daemon for someone else's machine would refuse to start: exit 2, naming the fix.
	let metrics_port = free_port();
	let config_text = |key: &str, machine: u64| {
		format!(
			"url = \"{url}\"\noperator_key_file = \"{key}\"\nmachine = {machine}\n\
			 [heartbeat]\ninterval_secs = 60\n\
			 [jobs]\naccept = true\nmin_price_per_hour = \"12\"\nmax_hours = 2\npoll_secs = 3\n\
			 [results]\ncommand = \"echo result-of-$POWERVERSE_LEASE\"\n\
			 [claims]\nevery_secs = 5\n\
			 [metrics]\nlisten = \"127.0.0.1:{metrics_port}\"\n"
		)
	};
	let ferdie = dir.key("ferdie", "//Ferdie", 0o600);
	let foreign = dir.file("foreign.toml", &config_text(&ferdie, machine));
	let out = run(&["run", "--config", &foreign]);
	assert_eq!(out.status.code(), Some(2), "{}", text(&out));
	assert!(
		text(&out).contains("operator is") && text(&out).contains("operator_key_file"),
		"{}",
		text(&out)
	);

	// The daemon, with the hot key only.
	let config = dir.file("agent.toml", &config_text(&hot, machine));
	let log = dir.0.join("daemon.log").to_str().unwrap().to_owned();
	let mut daemon = Command::new(agent())
		.args(["run", "--config", &config])
		.env("RUST_LOG", "info")
		.stdout(Stdio::null())
		.stderr(std::fs::File::create(&log).unwrap())
		.spawn()
		.unwrap();
	let daemon_log = || log_lines(&log).join("\n");
	wait_for("the first heartbeat", Duration::from_secs(90), || {
		daemon_log().contains("heartbeat finalized")
	});

	// A customer posts a job below the policy's price floor (skipped), then one that fits.
	let requirements = || {
		arg::record([
			("min_gpus", arg::u(0u32)),
			("gpu_model", arg::none()),
			("min_vram_gib", arg::u(0u32)),
			("min_cores", arg::u(1u32)),
			("min_ram_gib", arg::u(0u32)),
			("region", arg::none()),
		])
	};
	let post = |max_price: u128| {
		let receipt = submit(
			&url,
			"//Bob",
			"Market",
			"post_job",
			vec![requirements(), arg::u(max_price), arg::u(1u32), arg::bytes(b"ipfs://job")],
		);
		receipt.event("Market", "JobPosted").and_then(|e| e.u128("job")).unwrap() as u64
	};
	// (A job's budget is at least 10 PEC; the floor is 12 PEC per hour.)
	let cheap = post(10 * PEC);
	let job = post(15 * PEC);
	wait_for("the job to be accepted", Duration::from_secs(60), || {
		daemon_log().contains("job accepted")
	});
	let info = node.call("powerverse_machine", json!([machine])).unwrap();
	let lease = info["activeLease"].as_u64().expect("a running lease");
	let record = node.call("powerverse_lease", json!([lease])).unwrap();
	assert_eq!(record["job"].as_u64(), Some(job), "the fitting job, not the cheap one ({cheap})");
	assert_eq!(record["pricePerHour"], (3 * PEC).to_string(), "at the machine's price");
	let start = record["start"].as_u64().unwrap();

	// The result: the hash of the command's output.
	let expected = sp_crypto_hashing::blake2_256(format!("result-of-{lease}\n").as_bytes());
	let expected = format!("0x{}", expected.iter().map(|b| format!("{b:02x}")).collect::<String>());
	wait_for("the result", Duration::from_secs(60), || daemon_log().contains("result submitted"));
	let record = node.call("powerverse_lease", json!([lease])).unwrap();
	assert_eq!(record["result"], expected.as_str());

	// The node restarts (same database and port) while the lease runs: the daemon reconnects
	// and keeps beating.
	let beats_before = log_lines(&log).iter().filter(|l| l.contains("heartbeat finalized")).count();
	node.stop();
	std::thread::sleep(Duration::from_secs(3));
	node.spawn();
	wait_for("a heartbeat after the restart", Duration::from_secs(180), || {
		log_lines(&log).iter().filter(|l| l.contains("heartbeat finalized")).count() > beats_before
	});
	let log_text = daemon_log();
	assert!(log_text.contains("reconnecting in") || log_text.contains("retrying in"), "{log_text}");

	// Earnings: claimed by the daemon once a heartbeat proves time of the lease; paid to the
	// owner (Charlie) to the planck: price × (heartbeat block − start) / 600 blocks per hour.
	wait_for("a claim that pays", Duration::from_secs(150), || {
		daemon_log().contains("earnings claimed")
	});
	let record = node.call("powerverse_lease", json!([lease])).unwrap();
	let paid: u128 = record["paid"].as_str().unwrap().parse().unwrap();
	assert!(paid > 0);
	let beats: Vec<u64> = log_lines(&log)
		.iter()
		.filter(|l| l.contains("heartbeat finalized"))
		.filter_map(|l| field(l, "block"))
		.collect();
	assert!(
		beats.iter().any(|&hb| hb > start && paid * 600 == 3 * PEC * u128::from(hb - start)),
		"paid {paid} is not 3 PEC × (a heartbeat block {beats:?} − start {start}) / 600"
	);
	let charlie_after = block_on(async {
		Chain::connect(&url).await.unwrap().free_balance(&charlie).await.unwrap()
	});
	let claimed: u128 = log_lines(&log)
		.iter()
		.filter(|l| l.contains("earnings claimed"))
		.filter_map(|l| l.split("plancks=").nth(1)?.split_whitespace().next()?.parse::<u128>().ok())
		.sum();
	assert_eq!(
		charlie_after - charlie_before,
		claimed,
		"the owner got exactly what the daemon claimed"
	);
	assert!(
		claimed < paid && claimed * 100 >= paid * 94,
		"paid {paid} minus a 5% fee, got {claimed}"
	);

	let scraped = metrics(metrics_port);
	assert!(metric(&scraped, "heartbeats_sent_total") >= 2, "{scraped}");
	assert_eq!(metric(&scraped, "jobs_accepted_total"), 1);
	assert_eq!(metric(&scraped, "results_submitted_total"), 1);
	assert!(metric(&scraped, "earnings_claimed_plancks_total") > 0);
	assert!(metric(&scraped, "reconnects_total") >= 2);
	assert_eq!(metric(&scraped, "lease_active"), 1);

	// SIGTERM: a clean stop.
	let _ = Command::new("kill").args(["-TERM", &daemon.id().to_string()]).status();
	let status = daemon.wait().unwrap();
	assert_eq!(status.code(), Some(0), "{}", daemon_log());
	assert!(!daemon_log().contains("//Dave"), "the key leaked");
}

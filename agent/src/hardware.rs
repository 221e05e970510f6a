//! Detecting this host's hardware: CPU from /proc/cpuinfo, RAM from /proc/meminfo, disks from
//! `df`, network speed from /sys/class/net, GPUs from `nvidia-smi` when it is installed. The
//! JSON form ([`HostSpec`]) is what `detect` prints and what `onboard --spec` reads.

use crate::{Error, Result};
use powerverse_primitives::{GpuSpec, MachineSpec, MAX_GPU_KINDS};
use serde::{Deserialize, Serialize};
use std::process::Command;

/// One kind of GPU.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Gpu {
	/// Model as the chain's hardware table names it (`H100`, `RTX 4090`).
	pub model: String,
	/// Memory per GPU in GiB.
	pub vram_gib: u32,
	/// How many.
	pub count: u32,
}

/// A mounted disk.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Disk {
	/// Block device.
	pub device: String,
	/// Where it is mounted.
	pub mount: String,
	/// Size in GiB.
	pub size_gib: u32,
}

/// The host as the agent sees it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HostSpec {
	pub cpu_model: String,
	pub cores: u32,
	pub threads: u32,
	pub ram_gib: u32,
	/// Sum of `disks`.
	pub storage_gib: u32,
	/// Fastest network link in Mbit/s (0 when unknown: pass `--bandwidth-mbps`).
	pub bandwidth_mbps: u32,
	#[serde(default)]
	pub disks: Vec<Disk>,
	#[serde(default)]
	pub gpus: Vec<Gpu>,
}

impl HostSpec {
	/// The on-chain spec. Fails with a clear message where the chain would surely refuse.
	pub fn to_machine_spec(&self) -> Result<MachineSpec> {
		let bounded = |s: &str, what: &str| {
			s.as_bytes()
				.to_vec()
				.try_into()
				.map_err(|_| Error::Input(format!("{what} {s:?} is longer than 64 bytes")))
		};
		if self.bandwidth_mbps == 0 {
			return Err(Error::Input(
				"network bandwidth unknown: pass --bandwidth-mbps (the chain needs it)".into(),
			));
		}
		let gpus = self
			.gpus
			.iter()
			.map(|g| {
				Ok(GpuSpec {
					model: bounded(&g.model, "GPU model")?,
					vram_gib: g.vram_gib,
					count: g.count,
				})
			})
			.collect::<Result<Vec<_>>>()?;
		Ok(MachineSpec {
			cpu_model: bounded(&self.cpu_model, "CPU model")?,
			cores: self.cores,
			threads: self.threads,
			ram_gib: self.ram_gib,
			storage_gib: self.storage_gib,
			bandwidth_mbps: self.bandwidth_mbps,
			gpus: gpus
				.try_into()
				.map_err(|_| Error::Input(format!("more than {MAX_GPU_KINDS} kinds of GPU")))?,
		})
	}
}

/// Detects this host.
pub fn detect() -> Result<HostSpec> {
	let read = |p: &str| {
		std::fs::read_to_string(p).map_err(|e| Error::Input(format!("cannot read {p}: {e}")))
	};
	let (cpu_model, cores, threads) = parse_cpuinfo(&read("/proc/cpuinfo")?);
	let ram_gib = parse_meminfo(&read("/proc/meminfo")?);
	let disks =
		run("df", &["-k", "--output=source,target,size"]).map(|o| parse_df(&o)).unwrap_or_default();
	let storage_gib = disks.iter().fold(0u32, |acc, d| acc.saturating_add(d.size_gib));
	let gpus =
		run("nvidia-smi", &["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"])
			.map(|o| parse_nvidia_smi(&o))
			.unwrap_or_default();
	Ok(HostSpec {
		cpu_model,
		cores,
		threads,
		ram_gib,
		storage_gib,
		bandwidth_mbps: link_speed_mbps(),
		disks,
		gpus,
	})
}

fn run(program: &str, args: &[&str]) -> Option<String> {
	let out = Command::new(program).args(args).output().ok()?;
	out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// (model, physical cores, hardware threads) from /proc/cpuinfo.
pub fn parse_cpuinfo(text: &str) -> (String, u32, u32) {
	let mut model = String::new();
	let mut threads = 0u32;
	let mut cores = std::collections::BTreeSet::new();
	let mut physical = String::new();
	let mut cores_per_socket = std::collections::BTreeMap::new();
	for line in text.lines() {
		let Some((key, value)) = line.split_once(':') else { continue };
		let (key, value) = (key.trim(), value.trim());
		match key {
			"processor" => threads += 1,
			"model name" if model.is_empty() => model = value.to_owned(),
			"physical id" => physical = value.to_owned(),
			"core id" => {
				cores.insert((physical.clone(), value.to_owned()));
			},
			"cpu cores" => {
				cores_per_socket.insert(physical.clone(), value.parse::<u32>().unwrap_or(0));
			},
			_ => {},
		}
	}
	let mut core_count = cores.len() as u32;
	if core_count == 0 {
		core_count = cores_per_socket.values().sum();
	}
	if core_count == 0 {
		core_count = threads;
	}
	(model, core_count, threads.max(core_count))
}

/// RAM in GiB (rounded to nearest) from /proc/meminfo.
pub fn parse_meminfo(text: &str) -> u32 {
	let kib: u64 = text
		.lines()
		.find_map(|l| l.strip_prefix("MemTotal:"))
		.and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
		.unwrap_or(0);
	((kib + 512 * 1024) / (1024 * 1024)) as u32
}

/// Real block devices (`/dev/...`) from `df -k --output=source,target,size`, each once.
pub fn parse_df(text: &str) -> Vec<Disk> {
	let mut seen = std::collections::BTreeSet::new();
	text.lines()
		.skip(1)
		.filter_map(|line| {
			let mut parts = line.split_whitespace();
			let (device, mount, kib) = (parts.next()?, parts.next()?, parts.next()?);
			if !device.starts_with("/dev/") || device.starts_with("/dev/loop") {
				return None;
			}
			if !seen.insert(device.to_owned()) {
				return None;
			}
			let kib: u64 = kib.parse().ok()?;
			Some(Disk {
				device: device.to_owned(),
				mount: mount.to_owned(),
				size_gib: (kib / (1024 * 1024)) as u32,
			})
		})
		.collect()
}

/// GPUs grouped by (model, VRAM) from `nvidia-smi --query-gpu=name,memory.total
/// --format=csv,noheader,nounits` (memory in MiB).
pub fn parse_nvidia_smi(text: &str) -> Vec<Gpu> {
	let mut gpus: Vec<Gpu> = Vec::new();
	for line in text.lines() {
		let Some((name, mib)) = line.rsplit_once(',') else { continue };
		let Ok(mib) = mib.trim().parse::<u64>() else { continue };
		let model = table_model_name(name.trim());
		let vram_gib = ((mib + 512) / 1024) as u32;
		match gpus.iter_mut().find(|g| g.model == model && g.vram_gib == vram_gib) {
			Some(g) => g.count += 1,
			None => gpus.push(Gpu { model, vram_gib, count: 1 }),
		}
	}
	gpus
}

/// Maps nvidia-smi's name (`NVIDIA H100 80GB HBM3`, `NVIDIA GeForce RTX 4090`) to the model
/// names of the chain's hardware table (docs/economics.md); unknown models keep their name
/// without the vendor prefix.
pub fn table_model_name(name: &str) -> String {
	const KNOWN: [&str; 7] = ["H200", "H100", "A100", "L40S", "RTX 4090", "RTX A6000", "RTX 3090"];
	let upper = name.to_ascii_uppercase();
	if let Some(known) = KNOWN.iter().find(|k| upper.contains(*k)) {
		return (*known).to_owned();
	}
	name.trim_start_matches("NVIDIA ").trim_start_matches("GeForce ").to_owned()
}

fn link_speed_mbps() -> u32 {
	let Ok(entries) = std::fs::read_dir("/sys/class/net") else { return 0 };
	entries
		.filter_map(|e| e.ok())
		.filter(|e| e.file_name() != "lo")
		.filter_map(|e| std::fs::read_to_string(e.path().join("speed")).ok())
		.filter_map(|s| s.trim().parse::<i64>().ok())
		.filter(|s| *s > 0)
		.max()
		.unwrap_or(0) as u32
}

#[cfg(test)]
mod tests {
	use super::*;

	const CPUINFO: &str = "processor\t: 0\nmodel name\t: AMD EPYC 9654 96-Core Processor\nphysical id\t: 0\ncore id\t: 0\ncpu cores\t: 2\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 9654 96-Core Processor\nphysical id\t: 0\ncore id\t: 0\n\nprocessor\t: 2\nphysical id\t: 0\ncore id\t: 1\n\nprocessor\t: 3\nphysical id\t: 0\ncore id\t: 1\n";

	#[test]
	fn cpu_cores_and_threads_are_counted_from_cpuinfo() {
		assert_eq!(parse_cpuinfo(CPUINFO), ("AMD EPYC 9654 96-Core Processor".into(), 2, 4));
		// Virtual machines without core ids: one core per processor.
		assert_eq!(parse_cpuinfo("processor : 0\nprocessor : 1\n"), (String::new(), 2, 2));
	}

	#[test]
	fn ram_rounds_to_gib() {
		assert_eq!(parse_meminfo("MemTotal:       24576000 kB\nMemFree: 1 kB\n"), 23);
		assert_eq!(parse_meminfo("nothing"), 0);
	}

	#[test]
	fn only_real_disks_count_once() {
		let df = "Filesystem Mounted 1K-blocks\n/dev/vda / 264241152\ntmpfs /run 1000\n/dev/vda /var/lib/docker 264241152\n/dev/nvme0n1p1 /data 2147483648\n/dev/loop3 /snap/x 100\n";
		let disks = parse_df(df);
		assert_eq!(disks.iter().map(|d| d.size_gib).collect::<Vec<_>>(), vec![252, 2048]);
	}

	#[test]
	fn nvidia_smi_gpus_are_grouped_under_table_names() {
		let out = "NVIDIA H100 80GB HBM3, 81559\nNVIDIA H100 80GB HBM3, 81559\nNVIDIA GeForce RTX 4090, 24564\nTesla T4, 15360\n";
		assert_eq!(
			parse_nvidia_smi(out),
			vec![
				Gpu { model: "H100".into(), vram_gib: 80, count: 2 },
				Gpu { model: "RTX 4090".into(), vram_gib: 24, count: 1 },
				Gpu { model: "Tesla T4".into(), vram_gib: 15, count: 1 },
			]
		);
		assert!(parse_nvidia_smi("").is_empty());
	}

	#[test]
	fn a_spec_without_bandwidth_is_refused_before_the_chain_sees_it() {
		let mut host = HostSpec {
			cpu_model: "EPYC".into(),
			cores: 4,
			threads: 8,
			ram_gib: 16,
			storage_gib: 100,
			bandwidth_mbps: 0,
			disks: vec![],
			gpus: vec![Gpu { model: "H100".into(), vram_gib: 80, count: 8 }],
		};
		assert!(host.to_machine_spec().unwrap_err().to_string().contains("--bandwidth-mbps"));
		host.bandwidth_mbps = 1000;
		let spec = host.to_machine_spec().unwrap();
		assert_eq!((spec.gpu_count(), spec.cores), (8, 4));
	}
}

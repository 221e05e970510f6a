//! Detecting this host's hardware and naming it the way the chain's hardware table does.
//!
//! [`detect`] reads CPU, RAM and disks through `sysinfo`, the link speed from `/sys/class/net`
//! and the GPUs through NVML, falling back to `nvidia-smi`; names stay raw there. [`resolve`]
//! maps them onto the table the caller read from the chain, on whole words, so that `GH200`
//! never passes for `H200` nor `RTX 3090 Ti` for `RTX 3090`. The JSON form ([`HostSpec`]) is
//! what `detect` prints and what `onboard --spec` reads.

use serde::{Deserialize, Serialize};
use std::{path::Path, process::Command};
use sysinfo::{CpuRefreshKind, Disks, MemoryRefreshKind, RefreshKind, System};

/// Longest model name the chain stores, in bytes (`MAX_MODEL_NAME_LEN` in the primitives).
pub const MAX_MODEL_NAME_LEN: usize = 64;
/// Most GPU kinds in one machine spec (`MAX_GPU_KINDS` in the primitives).
pub const MAX_GPU_KINDS: usize = 8;

const GIB: u64 = 1 << 30;

/// One kind of GPU: identical cards (same model and memory) grouped.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Gpu {
	/// Model: the driver's name from [`detect`], the table's name after [`resolve`].
	pub model: String,
	/// Memory per GPU in GiB.
	pub vram_gib: u32,
	/// How many.
	pub count: u32,
	/// The driver's name, kept by [`resolve`] (empty from [`detect`]).
	#[serde(default, skip_serializing_if = "String::is_empty")]
	pub model_raw: String,
	/// The cards' UUIDs (`GPU-…`) where the driver reported them.
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	pub uuids: Vec<String>,
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
	/// CPU model: the brand string from [`detect`], the table's name after [`resolve`].
	pub cpu_model: String,
	/// Physical cores.
	pub cores: u32,
	/// Hardware threads (logical CPUs).
	pub threads: u32,
	/// Memory in GiB, rounded to the nearest.
	pub ram_gib: u32,
	/// Sum of `disks`.
	pub storage_gib: u32,
	/// Fastest physical network link in Mbit/s (0 when unknown: pass `--bandwidth-mbps`).
	pub bandwidth_mbps: u32,
	/// Local disks counted in `storage_gib`.
	#[serde(default)]
	pub disks: Vec<Disk>,
	/// GPUs, one entry per kind.
	#[serde(default)]
	pub gpus: Vec<Gpu>,
	/// The CPU's brand string, kept by [`resolve`] (empty from [`detect`]).
	#[serde(default, skip_serializing_if = "String::is_empty")]
	pub cpu_model_raw: String,
}

/// What a hardware table entry describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HardwareClass {
	/// Scored per core.
	Cpu,
	/// Scored per card.
	Gpu,
}

/// One entry of the chain's hardware table, as the caller read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableEntry {
	/// The exact name the chain keys the entry by (`H100`, `AMD EPYC 9654`).
	pub name: String,
	/// CPU or GPU.
	pub class: HardwareClass,
}

/// A host spec with its model names mapped onto the hardware table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
	/// The spec with the table's names where a model matched, the raw names elsewhere.
	pub spec: HostSpec,
	/// One warning per model the table does not know.
	pub unknown: Vec<String>,
}

impl HostSpec {
	/// Refuses, with a clear message, what the chain would surely refuse.
	pub fn validate(&self) -> Result<(), String> {
		let name = |s: &str, what: &str| match s.len() {
			_ if s.trim().is_empty() => Err(format!("{what} is empty: fix it or pass --spec")),
			n if n > MAX_MODEL_NAME_LEN => Err(format!("{what} {s:?} is longer than 64 bytes")),
			_ => Ok(()),
		};
		if self.bandwidth_mbps == 0 {
			let fix = "pass --bandwidth-mbps, or set bandwidthMbps in the --spec file";
			return Err(format!("network bandwidth unknown: {fix}"));
		}
		name(&self.cpu_model, "CPU model")?;
		if self.cores == 0 || self.threads < self.cores || self.ram_gib == 0 {
			let (c, t, r) = (self.cores, self.threads, self.ram_gib);
			return Err(format!("{c} cores, {t} threads and {r} GiB RAM make no machine"));
		}
		if self.storage_gib == 0 {
			return Err("no local disk found: pass --spec with storageGib".into());
		}
		if self.gpus.len() > MAX_GPU_KINDS {
			return Err(format!("more than {MAX_GPU_KINDS} kinds of GPU"));
		}
		for (i, gpu) in self.gpus.iter().enumerate() {
			name(&gpu.model, "GPU model")?;
			let twin = |g: &Gpu| g.model == gpu.model && g.vram_gib == gpu.vram_gib;
			if gpu.vram_gib == 0 || gpu.count == 0 || self.gpus[i + 1..].iter().any(twin) {
				return Err(format!("GPU {:?} has no memory, no cards or two entries", gpu.model));
			}
		}
		Ok(())
	}
}

/// Detects this host; `bandwidth_override` replaces the detected link speed. Fails only when
/// an NVIDIA driver is present but its GPUs cannot be listed: a GPU host must never pass for
/// a CPU-only one.
pub fn detect(bandwidth_override: Option<u32>) -> Result<HostSpec, String> {
	let cpu = CpuRefreshKind::new();
	let ram = MemoryRefreshKind::new().with_ram();
	let system = System::new_with_specifics(RefreshKind::new().with_cpu(cpu).with_memory(ram));
	let first = system.cpus().first();
	let arch = System::cpu_arch().unwrap_or_default();
	let cpu_model =
		cpu_name(first.map_or("", |c| c.brand()), first.map_or("", |c| c.vendor_id()), &arch);
	let threads = match system.cpus().len() {
		0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
		n => n,
	};
	let cores = system.physical_core_count().filter(|&n| n > 0).unwrap_or(threads);
	let disks = collect_disks(Disks::new_with_refreshed_list().list().iter().map(|d| Mount {
		device: d.name().to_string_lossy().into_owned(),
		mount: d.mount_point().to_string_lossy().into_owned(),
		fs: d.file_system().to_string_lossy().into_owned(),
		bytes: d.total_space(),
		removable: d.is_removable(),
	}));
	let driver_present = Path::new("/dev/nvidia0").exists()
		|| Path::new("/proc/driver/nvidia").exists()
		|| on_path("nvidia-smi");
	Ok(HostSpec {
		cpu_model,
		cores: to_u32(cores as u64),
		threads: to_u32(threads.max(cores) as u64),
		ram_gib: to_u32((system.total_memory() + GIB / 2) / GIB),
		storage_gib: disks.iter().fold(0u32, |acc, d| acc.saturating_add(d.size_gib)),
		bandwidth_mbps: bandwidth_override.unwrap_or_else(link_speed_mbps),
		disks,
		gpus: choose_gpus(nvml_gpus(), driver_present, nvidia_smi_gpus)?,
		cpu_model_raw: String::new(),
	})
}

fn to_u32(n: u64) -> u32 {
	u32::try_from(n).unwrap_or(u32::MAX)
}

/// The CPU's name: sysinfo's brand, else its vendor id, else `<arch> CPU`; never empty. (ARM
/// hosts have no `model name` in /proc/cpuinfo; sysinfo names them from the implementer and
/// part numbers, and either may be unknown.)
fn cpu_name(brand: &str, vendor_id: &str, arch: &str) -> String {
	match [brand.trim(), vendor_id.trim()].into_iter().find(|s| !s.is_empty()) {
		Some(name) => name.to_owned(),
		None if arch.trim().is_empty() => "unknown CPU".to_owned(),
		None => format!("{} CPU", arch.trim()),
	}
}

/// A mount as sysinfo lists it.
struct Mount {
	device: String,
	mount: String,
	fs: String,
	bytes: u64,
	removable: bool,
}

/// File systems that are not local disk space (besides `fuse.*`).
const NOT_DISKS: [&str; 15] = [
	"tmpfs", "overlay", "squashfs", "devtmpfs", "ramfs", "proc", "sysfs", "cgroup", "cgroup2",
	"autofs", "iso9660", "nfs", "nfs4", "cifs", "fuse",
];

/// Fixed local block devices, each counted once (the first mount wins), in whole GiB.
fn collect_disks(mounts: impl IntoIterator<Item = Mount>) -> Vec<Disk> {
	let mut disks: Vec<Disk> = Vec::new();
	for m in mounts {
		let pseudo = NOT_DISKS.contains(&m.fs.as_str()) || m.fs.starts_with("fuse.");
		let virtual_device =
			["/dev/loop", "/dev/ram", "/dev/zram"].iter().any(|p| m.device.starts_with(p));
		let counted = disks.iter().any(|d| d.device == m.device);
		if m.removable || pseudo || virtual_device || counted || !m.device.starts_with("/dev/") {
			continue;
		}
		disks.push(Disk { device: m.device, mount: m.mount, size_gib: to_u32(m.bytes / GIB) });
	}
	disks
}

/// The fastest link speed in Mbit/s under /sys/class/net, 0 when none is known.
fn link_speed_mbps() -> u32 {
	let Ok(entries) = std::fs::read_dir("/sys/class/net") else { return 0 };
	fastest_link(entries.filter_map(|e| e.ok()).map(|e| {
		let (name, path) = (e.file_name().to_string_lossy().into_owned(), e.path());
		(name, path.join("device").exists(), std::fs::read_to_string(path.join("speed")).ok())
	}))
}

/// The fastest of `(interface, is physical, its speed file)`, ignoring loopback and virtual
/// interfaces (no `device` link: bridges, veth, tunnels). A speed of `-1` or none counts 0.
fn fastest_link(links: impl IntoIterator<Item = (String, bool, Option<String>)>) -> u32 {
	links
		.into_iter()
		.filter(|(name, physical, _)| *physical && name != "lo")
		.filter_map(|(_, _, speed)| speed?.trim().parse::<i64>().ok())
		.filter(|s| *s > 0)
		.max()
		.map_or(0, |s| to_u32(s.unsigned_abs()))
}

/// One GPU as a driver tool reports it.
struct Device {
	name: String,
	vram_bytes: u64,
	uuid: String,
}

/// Groups identical GPUs (same name and memory) into kinds, in order of first appearance.
fn group_gpus(devices: impl IntoIterator<Item = Device>) -> Vec<Gpu> {
	let mut gpus: Vec<Gpu> = Vec::new();
	for d in devices {
		let vram_gib = to_u32((d.vram_bytes + GIB / 2) / GIB);
		let uuid = Some(d.uuid).filter(|u| !u.is_empty());
		match gpus.iter_mut().find(|g| g.model == d.name && g.vram_gib == vram_gib) {
			Some(g) => {
				g.count = g.count.saturating_add(1);
				g.uuids.extend(uuid);
			},
			None => gpus.push(Gpu {
				model: d.name,
				vram_gib,
				count: 1,
				model_raw: String::new(),
				uuids: uuid.into_iter().collect(),
			}),
		}
	}
	gpus
}

/// NVML's GPUs, else `nvidia-smi`'s where a driver is present. Without a driver there are no
/// GPUs; with one that neither tool can read, detection fails loudly.
fn choose_gpus(
	nvml: Result<Vec<Gpu>, String>,
	driver_present: bool,
	nvidia_smi: impl FnOnce() -> Result<Vec<Gpu>, String>,
) -> Result<Vec<Gpu>, String> {
	let nvml_error = match nvml {
		Ok(gpus) => return Ok(gpus),
		Err(_) if !driver_present => return Ok(Vec::new()),
		Err(e) => e,
	};
	nvidia_smi().map_err(|smi_error| {
		format!(
			"an NVIDIA driver is present but neither NVML nor nvidia-smi could list the GPUs: \
			 NVML: {nvml_error}; nvidia-smi: {smi_error}; fix the driver or pass --spec"
		)
	})
}

/// The GPUs as NVML lists them.
fn nvml_gpus() -> Result<Vec<Gpu>, String> {
	use nvml_wrapper::{error::NvmlError, Nvml};
	let nvml = Nvml::init().map_err(|e| match e {
		NvmlError::LibloadingError(_) | NvmlError::LibraryNotFound => {
			format!("the NVML library (libnvidia-ml.so.1) is not installed: {e}")
		},
		e => format!("NVML failed to start: {e}"),
	})?;
	let count = nvml.device_count().map_err(|e| format!("cannot count the GPUs: {e}"))?;
	let devices = (0..count)
		.map(|i| -> Result<Device, String> {
			let fail = |what: &str, e: NvmlError| format!("cannot read the {what} of GPU {i}: {e}");
			let device = nvml.device_by_index(i).map_err(|e| fail("handle", e))?;
			Ok(Device {
				name: device.name().map_err(|e| fail("name", e))?,
				vram_bytes: device.memory_info().map_err(|e| fail("memory", e))?.total,
				uuid: device.uuid().unwrap_or_default(),
			})
		})
		.collect::<Result<Vec<_>, String>>()?;
	Ok(group_gpus(devices))
}

/// The GPUs as `nvidia-smi` lists them.
fn nvidia_smi_gpus() -> Result<Vec<Gpu>, String> {
	let out = Command::new("nvidia-smi")
		.args(["--query-gpu=name,memory.total,uuid", "--format=csv,noheader,nounits"])
		.output()
		.map_err(|e| format!("cannot run nvidia-smi: {e}"))?;
	let stdout = String::from_utf8_lossy(&out.stdout);
	if !out.status.success() {
		let stderr = String::from_utf8_lossy(&out.stderr);
		let said = stderr.lines().chain(stdout.lines()).find(|l| !l.trim().is_empty());
		return Err(format!("nvidia-smi failed ({}): {}", out.status, said.unwrap_or("").trim()));
	}
	parse_nvidia_smi(&stdout)
}

/// GPUs grouped by (name, memory) from `nvidia-smi --query-gpu=name,memory.total,uuid
/// --format=csv,noheader,nounits` (memory in MiB). A line that is not such a row, or no row
/// at all, is an error: a driver printing garbage must not pass for a CPU-only host.
pub fn parse_nvidia_smi(text: &str) -> Result<Vec<Gpu>, String> {
	let devices = text
		.lines()
		.map(str::trim)
		.filter(|l| !l.is_empty())
		.map(|line| -> Result<Device, String> {
			let garbage = || format!("unexpected nvidia-smi output {line:?}");
			let mut fields = line.rsplitn(3, ',').map(str::trim);
			let (Some(uuid), Some(mib), Some(name)) = (fields.next(), fields.next(), fields.next())
			else {
				return Err(garbage());
			};
			let mib: u64 = mib.parse().map_err(|_| garbage())?;
			if name.is_empty() || mib == 0 {
				return Err(garbage());
			}
			let uuid = if uuid.starts_with('[') { String::new() } else { uuid.to_owned() };
			Ok(Device { name: name.to_owned(), vram_bytes: mib.saturating_mul(1 << 20), uuid })
		})
		.collect::<Result<Vec<_>, String>>()?;
	if devices.is_empty() {
		return Err("nvidia-smi listed no GPUs".into());
	}
	Ok(group_gpus(devices))
}

fn on_path(program: &str) -> bool {
	std::env::var_os("PATH")
		.is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// The CPU's name without trademarks, frequency, core count and filler words:
/// `Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz` → `Intel Xeon E5-2680 v4`,
/// `AMD EPYC 9654 96-Core Processor` → `AMD EPYC 9654`.
pub fn normalise_cpu(raw: &str) -> String {
	let mut text = raw.to_owned();
	for mark in ["(R)", "(r)", "(TM)", "(tm)", "(Tm)", "®", "™"] {
		text = text.replace(mark, " ");
	}
	let text = text.split_once('@').map_or(text.as_str(), |(name, _frequency)| name);
	let mut words: Vec<&str> = text.split_whitespace().collect();
	// "AMD Ryzen 7 5800H with Radeon Graphics"
	if let Some(i) = words.iter().position(|w| w.eq_ignore_ascii_case("with")) {
		words.truncate(i);
	}
	// "12th Gen Intel(R) Core(TM) i7-12700K"
	if words.len() > 2 && is_ordinal(words[0]) && words[1].eq_ignore_ascii_case("Gen") {
		words = words[2..].to_vec();
	}
	words.retain(|w| {
		let w = w.to_ascii_lowercase();
		w != "cpu" && w != "processor" && !(w.len() > 5 && w.ends_with("-core"))
	});
	match words.join(" ") {
		name if name.is_empty() => raw.split_whitespace().collect::<Vec<_>>().join(" "),
		name => name,
	}
}

fn is_ordinal(word: &str) -> bool {
	let w = word.to_ascii_lowercase();
	["st", "nd", "rd", "th"].iter().filter_map(|suffix| w.strip_suffix(suffix)).any(is_number)
}

fn is_number(s: &str) -> bool {
	!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Leading words of NVIDIA's names that are branding, not model.
const GPU_BRANDS: [&str; 4] = ["NVIDIA", "GeForce", "Tesla", "Quadro"];

/// The GPU's name without brand words, keeping product lines such as `RTX`:
/// `NVIDIA GeForce RTX 4090` → `RTX 4090`, `NVIDIA H100 80GB HBM3` → `H100 80GB HBM3`,
/// `NVIDIA RTX 6000 Ada Generation` → `RTX 6000 Ada`.
pub fn normalise_gpu(raw: &str) -> String {
	let mut words: Vec<&str> = raw.split_whitespace().collect();
	while words.len() > 1 && GPU_BRANDS.iter().any(|b| words[0].eq_ignore_ascii_case(b)) {
		words.remove(0);
	}
	if words.len() > 1 && words.last().is_some_and(|w| w.eq_ignore_ascii_case("Generation")) {
		words.pop();
	}
	words.join(" ")
}

/// Words of a name: split on whitespace and `-` (NVML says `A100-SXM4-80GB`).
fn words(name: &str) -> Vec<&str> {
	name.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect()
}

/// Whether a word only qualifies memory or form factor (`80GB`, `HBM3e`, `SXM4`, `PCIe`, `NVL`)
/// rather than naming another model (`Ti`, `D`, `SUPER`, `S`, a number).
fn is_qualifier(word: &str) -> bool {
	let w = word.to_ascii_uppercase();
	let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
	match (w.strip_suffix("GB"), w.strip_prefix("HBM"), w.strip_prefix("SXM")) {
		(Some(size), _, _) => is_number(size),
		(_, Some(generation), _) => digits(generation.strip_suffix('E').unwrap_or(generation)),
		(_, _, Some(version)) => digits(version),
		_ => matches!(w.as_str(), "PCIE" | "NVL" | "NVLINK"),
	}
}

/// The name of the table entry of `class` that `raw` is, if any. Both names are normalised
/// and split into words; the entry's words must equal the first words of `raw`'s (ignoring
/// case) and any further words may only be memory or form-factor qualifiers. Where several
/// entries match, the one with the most words wins (`H100 NVL` over `H100`).
pub fn match_model(raw: &str, class: HardwareClass, table: &[TableEntry]) -> Option<String> {
	let normalise = |s: &str| match class {
		HardwareClass::Cpu => normalise_cpu(s),
		HardwareClass::Gpu => normalise_gpu(s),
	};
	let name = normalise(raw);
	let name = words(&name);
	let mut best: Option<(usize, &TableEntry)> = None;
	for entry in table.iter().filter(|e| e.class == class) {
		let entry_name = normalise(&entry.name);
		let entry_words = words(&entry_name);
		let n = entry_words.len();
		let matches = n > 0
			&& n <= name.len()
			&& entry_words.iter().zip(&name).all(|(a, b)| a.eq_ignore_ascii_case(b))
			&& name[n..].iter().all(|w| is_qualifier(w));
		if matches && best.is_none_or(|(longest, _)| n > longest) {
			best = Some((n, entry));
		}
	}
	best.map(|(_, entry)| entry.name.clone())
}

/// `host` with its CPU and GPU models replaced by the table's names where they match, GPU
/// kinds that now share name and memory merged, and a warning for each unknown model.
pub fn resolve(host: &HostSpec, table: &[TableEntry]) -> Resolved {
	let raw_or = |raw: &str, model: &str| (if raw.is_empty() { model } else { raw }).to_owned();
	let mut unknown = Vec::new();
	let mut spec = host.clone();
	spec.cpu_model_raw = raw_or(&host.cpu_model_raw, &host.cpu_model);
	let cpu = match_model(&spec.cpu_model_raw, HardwareClass::Cpu, table);
	spec.cpu_model = cpu.unwrap_or_else(|| {
		unknown.push(format!(
			"CPU {:?} (raw {:?}) is not in the chain's hardware table: it scores the chain's \
			 default per-core score",
			normalise_cpu(&spec.cpu_model_raw),
			spec.cpu_model_raw
		));
		spec.cpu_model_raw.clone()
	});
	spec.gpus = Vec::new();
	for gpu in &host.gpus {
		let raw = raw_or(&gpu.model_raw, &gpu.model);
		let model = match_model(&raw, HardwareClass::Gpu, table).unwrap_or_else(|| {
			let warning = format!(
				"GPU {:?} (raw {raw:?}) is not in the chain's hardware table: it scores 0",
				normalise_gpu(&raw)
			);
			if !unknown.contains(&warning) {
				unknown.push(warning);
			}
			raw.clone()
		});
		match spec.gpus.iter_mut().find(|g| g.model == model && g.vram_gib == gpu.vram_gib) {
			Some(g) => {
				g.count = g.count.saturating_add(gpu.count);
				g.uuids.extend(gpu.uuids.iter().cloned());
			},
			None => spec.gpus.push(Gpu { model, model_raw: raw, ..gpu.clone() }),
		}
	}
	Resolved { spec, unknown }
}

#[cfg(test)]
mod tests {
	use super::HardwareClass::{Cpu, Gpu as G};
	use super::*;

	fn table() -> Vec<TableEntry> {
		let gpus = ["H100", "H100 NVL", "H200", "GH200", "A100", "L40", "RTX 4090", "RTX 3090"];
		let cpus = ["AMD EPYC 9654", "Intel Xeon Platinum 8480+"];
		let entry = |class| move |name: &&str| TableEntry { name: name.to_string(), class };
		gpus.iter().map(entry(G)).chain(cpus.iter().map(entry(Cpu))).collect()
	}

	fn gpu(model: &str, vram_gib: u32, count: u32, uuids: &[&str]) -> Gpu {
		let uuids = uuids.iter().map(|u| u.to_string()).collect();
		Gpu { model: model.into(), vram_gib, count, model_raw: String::new(), uuids }
	}

	fn host(cpu: &str, gpus: Vec<Gpu>) -> HostSpec {
		// A spec as older agents wrote it: the optional fields are absent.
		let json = r#"{"cpuModel":"","cores":4,"threads":8,"ramGib":16,"storageGib":100,
			"bandwidthMbps":1000}"#;
		let mut host: HostSpec = serde_json::from_str(json).unwrap();
		(host.cpu_model, host.gpus) = (cpu.to_owned(), gpus);
		host
	}

	#[test]
	fn names_lose_branding_frequency_and_filler() {
		for (raw, cpu) in [
			("AMD EPYC 9654 96-Core Processor", "AMD EPYC 9654"),
			("Intel(R) Xeon(R) Platinum 8480+", "Intel Xeon Platinum 8480+"),
			("AMD Ryzen 9 7950X 16-Core Processor", "AMD Ryzen 9 7950X"),
			("Intel(R) Xeon(R) Processor", "Intel Xeon"),
			("Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", "Intel Xeon E5-2680 v4"),
			("12th Gen Intel(R) Core(TM) i7-12700K", "Intel Core i7-12700K"),
			("AMD Ryzen 7 5800H with Radeon Graphics", "AMD Ryzen 7 5800H"),
		] {
			assert_eq!(normalise_cpu(raw), cpu, "{raw}");
		}
		for (raw, gpu) in [
			("NVIDIA H100 80GB HBM3", "H100 80GB HBM3"),
			("NVIDIA GeForce RTX 4090", "RTX 4090"),
			("NVIDIA GH200 480GB", "GH200 480GB"),
			("NVIDIA RTX A6000", "RTX A6000"),
			("Tesla T4", "T4"),
			("NVIDIA RTX 6000 Ada Generation", "RTX 6000 Ada"),
		] {
			assert_eq!(normalise_gpu(raw), gpu, "{raw}");
		}
	}

	#[test]
	fn models_match_on_whole_words_with_qualifiers() {
		let t = table();
		for (raw, name) in [
			("NVIDIA H100 80GB HBM3", "H100"),
			("NVIDIA H100 PCIe", "H100"),
			("NVIDIA H100 NVL", "H100 NVL"),
			("NVIDIA A100-SXM4-80GB", "A100"),
			("NVIDIA H200 141GB HBM3e", "H200"),
			("NVIDIA GH200 480GB", "GH200"),
			("nvidia geforce rtx 4090", "RTX 4090"),
		] {
			assert_eq!(match_model(raw, G, &t).as_deref(), Some(name), "{raw}");
		}
		let epyc = match_model("AMD EPYC 9654 96-Core Processor", Cpu, &t);
		assert_eq!(epyc.as_deref(), Some("AMD EPYC 9654"));
		let xeon = match_model("Intel(R) Xeon(R) Platinum 8480+", Cpu, &t);
		assert_eq!(xeon.as_deref(), Some("Intel Xeon Platinum 8480+"));
	}

	#[test]
	fn substrings_variants_and_other_classes_do_not_match() {
		let t = table();
		let one = |name: &str| vec![TableEntry { name: name.into(), class: G }];
		assert_eq!(match_model("NVIDIA GH200 480GB", G, &one("H200")), None);
		assert_eq!(match_model("NVIDIA L40S", G, &one("L40")), None);
		assert_eq!(match_model("NVIDIA L40", G, &one("L40S")), None);
		assert_eq!(match_model("NVIDIA L40S", G, &one("L40S")).as_deref(), Some("L40S"));
		for raw in ["NVIDIA GeForce RTX 3090 Ti", "NVIDIA GeForce RTX 4090 D", "RTX 4090 SUPER"] {
			assert_eq!(match_model(raw, G, &t), None, "{raw}");
		}
		assert_eq!(match_model("NVIDIA H1000", G, &t), None);
		assert_eq!(match_model("AMD EPYC 9654P", Cpu, &t), None);
		assert_eq!(match_model("NVIDIA H100 80GB HBM3", Cpu, &t), None);
		assert_eq!(match_model("AMD EPYC 9654 96-Core Processor", G, &t), None);
	}

	#[test]
	fn cpu_name_falls_back_to_vendor_then_arch() {
		let epyc = "AMD EPYC 9654 96-Core Processor";
		assert_eq!(cpu_name(epyc, "AuthenticAMD", "x86_64"), epyc);
		assert_eq!(cpu_name("Neoverse-V2", "ARM", "aarch64"), "Neoverse-V2");
		assert_eq!(cpu_name("", "ARM", "aarch64"), "ARM");
		assert_eq!(cpu_name("  ", "", "aarch64"), "aarch64 CPU");
		assert_eq!(cpu_name("", "", ""), "unknown CPU");
	}

	#[test]
	fn identical_gpus_are_grouped_with_their_uuids() {
		let d = |name: &str, mib: u64, uuid: &str| Device {
			name: name.into(),
			vram_bytes: mib << 20,
			uuid: uuid.into(),
		};
		let gpus = group_gpus([
			d("NVIDIA H100 80GB HBM3", 81559, "GPU-a"),
			d("NVIDIA GeForce RTX 4090", 24564, "GPU-b"),
			d("NVIDIA H100 80GB HBM3", 81559, "GPU-c"),
			d("NVIDIA H100 80GB HBM3", 40960, ""),
		]);
		let h100 = "NVIDIA H100 80GB HBM3";
		let expected = vec![
			gpu(h100, 80, 2, &["GPU-a", "GPU-c"]),
			gpu("NVIDIA GeForce RTX 4090", 24, 1, &["GPU-b"]),
			gpu(h100, 40, 1, &[]),
		];
		assert_eq!(gpus, expected);
	}

	#[test]
	fn nvidia_smi_rows_parse_and_garbage_fails() {
		let out = "NVIDIA H100 80GB HBM3, 81559, GPU-1\nNVIDIA H100 80GB HBM3, 81559, GPU-2\n\n\
		           Tesla T4, 15360, [N/A]\n";
		let expected = vec![
			gpu("NVIDIA H100 80GB HBM3", 80, 2, &["GPU-1", "GPU-2"]),
			gpu("Tesla T4", 15, 1, &[]),
		];
		assert_eq!(parse_nvidia_smi(out), Ok(expected));
		let failed = "NVIDIA-SMI has failed because it couldn't communicate with the driver.";
		let mixed = format!("NVIDIA H100, 81559, GPU-1\n{failed}");
		let rows = ["NVIDIA H100, [N/A], GPU-1", "H100, 81559", ", 1, GPU-1", "", mixed.as_str()];
		for garbage in rows.into_iter().chain([failed]) {
			assert!(parse_nvidia_smi(garbage).is_err(), "{garbage:?}");
		}
	}

	#[test]
	fn a_present_driver_that_lists_nothing_fails_loudly() {
		let h100 = || Ok(vec![gpu("NVIDIA H100", 80, 1, &[])]);
		let nvml_missing = || Err("NVML library not installed".to_owned());
		assert_eq!(choose_gpus(h100(), true, || unreachable!()), h100());
		assert_eq!(choose_gpus(nvml_missing(), false, || unreachable!()), Ok(vec![]));
		assert_eq!(choose_gpus(nvml_missing(), true, h100), h100());
		let error = choose_gpus(nvml_missing(), true, || Err("exit 9".into())).unwrap_err();
		assert!(error.starts_with("an NVIDIA driver is present"), "{error}");
		assert!(error.contains("NVML library not installed") && error.contains("exit 9"));
		assert!(error.ends_with("fix the driver or pass --spec"), "{error}");
	}

	#[test]
	fn only_fixed_local_disks_and_physical_links_count() {
		let m = |device: &str, fs: &str, gib: u64, removable: bool| Mount {
			device: device.into(),
			mount: format!("/mnt{gib}"),
			fs: fs.into(),
			bytes: gib * GIB + 5,
			removable,
		};
		let disks = collect_disks([
			m("/dev/vda1", "ext4", 252, false),
			m("overlay", "overlay", 252, false),
			m("tmpfs", "tmpfs", 8, false),
			m("/dev/vda1", "ext4", 252, false), // a bind mount of the same device
			m("/dev/nvme0n1p1", "xfs", 2048, false),
			m("/dev/loop3", "squashfs", 1, false),
			m("/dev/sdb1", "vfat", 64, true),
		]);
		let found: Vec<_> = disks.iter().map(|d| (d.device.as_str(), d.size_gib)).collect();
		assert_eq!(found, vec![("/dev/vda1", 252), ("/dev/nvme0n1p1", 2048)]);
		let l = |name: &str, physical: bool, speed: Option<&str>| {
			(name.to_owned(), physical, speed.map(String::from))
		};
		let ignored = [l("lo", true, Some("100000")), l("docker0", false, Some("10000"))];
		let unknown = [l("en3", true, Some("-1\n")), l("en4", true, Some("?")), l("w", true, None)];
		let known = [l("eno1", true, Some("1000\n")), l("eno2", true, Some("25000\n"))];
		assert_eq!(fastest_link(ignored.iter().chain(&unknown).chain(&known).cloned()), 25000);
		assert_eq!(fastest_link(ignored.iter().chain(&unknown).cloned()), 0);
	}

	#[test]
	fn resolve_uses_table_names_merges_kinds_and_lists_unknown_models() {
		let detected = host(
			"Intel(R) Xeon(R) Processor",
			vec![
				gpu("NVIDIA H100 80GB HBM3", 80, 2, &["GPU-a", "GPU-b"]),
				gpu("NVIDIA H100 PCIe", 80, 1, &["GPU-c"]),
				gpu("NVIDIA L40S", 48, 1, &[]),
			],
		);
		let Resolved { spec, unknown } = resolve(&detected, &table());
		assert_eq!(spec.cpu_model, "Intel(R) Xeon(R) Processor");
		let mut h100 = gpu("H100", 80, 3, &["GPU-a", "GPU-b", "GPU-c"]);
		h100.model_raw = "NVIDIA H100 80GB HBM3".into();
		let mut l40s = gpu("NVIDIA L40S", 48, 1, &[]);
		l40s.model_raw = "NVIDIA L40S".into();
		assert_eq!(spec.gpus, vec![h100, l40s]);
		let expected = [
			"CPU \"Intel Xeon\" (raw \"Intel(R) Xeon(R) Processor\") is not in the chain's \
			 hardware table: it scores the chain's default per-core score",
			"GPU \"L40S\" (raw \"NVIDIA L40S\") is not in the chain's hardware table: it scores 0",
		];
		assert_eq!(unknown, expected);
		let known = resolve(&host("AMD EPYC 9654 96-Core Processor", vec![]), &table());
		assert_eq!(known.spec.cpu_model, "AMD EPYC 9654");
		assert_eq!(known.spec.cpu_model_raw, "AMD EPYC 9654 96-Core Processor");
		assert!(known.unknown.is_empty());
		assert_eq!(resolve(&known.spec, &table()), known);
	}

	#[test]
	fn validate_refuses_what_the_chain_would() {
		let ok = host("AMD EPYC 9654", vec![gpu("H100", 80, 8, &[])]);
		assert_eq!(ok.validate(), Ok(()));
		let fails = |change: fn(&mut HostSpec), needle: &str| {
			let mut h = ok.clone();
			change(&mut h);
			let error = h.validate().unwrap_err();
			assert!(error.contains(needle), "{error}");
		};
		fails(
			|h| h.bandwidth_mbps = 0,
			"pass --bandwidth-mbps, or set bandwidthMbps in the --spec file",
		);
		fails(|h| h.cpu_model = " ".into(), "CPU model is empty");
		fails(|h| h.cpu_model = "x".repeat(65), "longer than 64 bytes");
		fails(|h| h.gpus[0].model = "x".repeat(65), "longer than 64 bytes");
		fails(|h| h.ram_gib = 0, "RAM");
		fails(|h| h.storage_gib = 0, "storageGib");
		fails(|h| h.gpus = vec![gpu("H100", 80, 1, &[]); 9], "more than 8 kinds");
		fails(|h| h.gpus.push(gpu("H100", 80, 1, &[])), "two entries");
		let out = serde_json::to_value(&ok).unwrap();
		assert!(out.get("cpuModelRaw").is_none() && out["gpus"][0].get("uuids").is_none());
	}

	#[test]
	fn this_host_is_detected() {
		let host = detect(Some(1000)).unwrap();
		assert!(host.cores > 0 && host.threads >= host.cores, "{host:?}");
		assert_eq!(host.bandwidth_mbps, 1000);
		assert!(!host.cpu_model.is_empty());
	}
}

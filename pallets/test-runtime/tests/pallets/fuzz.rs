//! Runtime fuzzing over the real pallets: arbitrary bytes become a sequence of our pallets'
//! calls — decoded as SCALE `RuntimeCall`s exactly as the runtime decodes an extrinsic's call —
//! from several accounts (and root), across block boundaries. The driver ([`run`]) checks:
//! - no call, weight function or block boundary panics;
//! - a refused call changes nothing (same storage root, no event);
//! - after every block, every pallet's `try_state` and PEC conservation (`check_invariants`,
//!   the supervisors' `try_state` too).
//!
//! Input format, repeated until the bytes run out: one op byte, then
//! - `0xF0..=0xFF`: a block boundary, `(op & 0x0F) + 1` blocks pass;
//! - `0xEF`: a root call, its SCALE encoding follows;
//! - anything else: a signed call from `PEOPLE[op % PEOPLE.len()]`, its encoding follows.
//!
//! Two ways to run it:
//! - `fuzz_smoke` (this file, in `scripts/test.sh`): the seed corpus and a bounded number of
//!   mutations of it (`FUZZ_EXECS`, default 5,000), printing executions per second;
//! - coverage-guided, for hours: `scripts/fuzz.sh` (cargo-fuzz / libFuzzer, `fuzz/`), which
//!   includes this file as its target.

use crate::*;
use codec::{Decode, DecodeLimit, Encode};
use frame_support::{
	dispatch::GetDispatchInfo,
	traits::{OnFinalize, OnInitialize, UnfilteredDispatchable},
};
use powerverse_primitives::{JobRequirements, Verdict};
use sp_runtime::Perbill;

/// Who signs: providers, the operator key, holders, customers, strangers, the poor and two
/// endowed would-be supervisors (`SUPERVISORS[0..2]`).
pub const PEOPLE: [AccountId; 10] = [
	PROVIDER,
	OWNER,
	CUSTOMER,
	OPERATOR,
	STRANGER,
	PROVIDER2,
	CUSTOMER2,
	POOR,
	account(21),
	account(22),
];

/// The op byte of a root call.
pub const ROOT: u8 = 0xEF;

/// How deep nested calls may go (the runtime's extrinsic limit).
const MAX_DEPTH: u32 = 256;

/// Whether the fuzzer may send `call` from `root`: every call of our pallets, and plain
/// transfers from signed accounts (root's balance calls change issuance by design).
fn allowed(call: &RuntimeCall, root: bool) -> bool {
	use pallet_balances::Call as B;
	match call {
		RuntimeCall::Compute(_)
		| RuntimeCall::Staking(_)
		| RuntimeCall::Market(_)
		| RuntimeCall::Supervisors(_)
		| RuntimeCall::Tiers(_) => true,
		RuntimeCall::Balances(
			B::transfer_allow_death { .. } | B::transfer_keep_alive { .. } | B::transfer_all { .. },
		) => !root,
		_ => false,
	}
}

/// Machine 0: 4 × H100 at 100/hour, its NFT sold to OWNER. Machine 1: 1 × H100 at 30/hour of
/// PROVIDER2. Both verified, bonded at their minimum and online; the operator key is OPERATOR.
/// The oracle prices the stable asset at 3 PEC, so stable-priced machines can be rented.
fn setup() {
	set_stable_price(Ok((3, 1)));
	let m0 = machine(&PROVIDER, 4, 100);
	sell(m0, &OWNER);
	let m1 = machine(&PROVIDER2, 1, 30);
	assert_eq!((m0, m1), (0, 1));
}

fn block_boundary(blocks: u64, issuance: Balance) {
	let now = System::block_number();
	<AllPalletsWithoutSystem as OnFinalize<u64>>::on_finalize(now);
	advance(blocks);
	<AllPalletsWithoutSystem as OnInitialize<u64>>::on_initialize(System::block_number());
	check_invariants(issuance);
	pallet_supervisors::Pallet::<Test>::do_try_state().expect("supervisor invariants hold");
}

/// What one input did: calls dispatched and how many of them succeeded.
#[derive(Default, Debug)]
pub struct Stats {
	pub calls: u32,
	pub ok: u32,
	/// The first refused calls with their errors (at most 4).
	pub refused: Vec<String>,
}

/// Runs one input (see the module docs). Panics on any broken rule.
pub fn run(data: &[u8]) -> Stats {
	let mut stats = Stats::default();
	ExtBuilder::build().execute_with(|| {
		let issuance = pallet_balances::TotalIssuance::<Test>::get();
		setup();
		let mut input = data;
		while let Some((&op, rest)) = input.split_first() {
			input = rest;
			if op >= 0xF0 {
				block_boundary(u64::from(op & 0x0F) + 1, issuance);
				continue;
			}
			let Ok(call) = RuntimeCall::decode_with_depth_limit(MAX_DEPTH, &mut input) else {
				break;
			};
			let root = op == ROOT;
			if !allowed(&call, root) {
				continue;
			}
			let origin = if root {
				RuntimeOrigin::root()
			} else {
				origin(&PEOPLE[usize::from(op) % PEOPLE.len()])
			};
			let _ = call.get_dispatch_info();
			let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
			let events = System::event_count();
			stats.calls += 1;
			let result = call.clone().dispatch_bypass_filter(origin);
			stats.ok += u32::from(result.is_ok());
			if let Err(e) = result {
				if stats.refused.len() < 4 {
					stats.refused.push(format!("{:?}: {:?}", call, e.error));
				}
				assert_eq!(
					before,
					sp_io::storage::root(sp_runtime::StateVersion::V1),
					"{call:?} failed with {e:?} but changed storage"
				);
				assert_eq!(events, System::event_count(), "{call:?} failed but emitted events");
			}
		}
		block_boundary(1, issuance);
	});
	stats
}

fn signed(who: &AccountId, call: impl Into<RuntimeCall>) -> Vec<u8> {
	let index = PEOPLE.iter().position(|p| p == who).expect("one of PEOPLE") as u8;
	let mut out = vec![index];
	call.into().encode_to(&mut out);
	out
}

fn root(call: impl Into<RuntimeCall>) -> Vec<u8> {
	let mut out = vec![ROOT];
	call.into().encode_to(&mut out);
	out
}

fn blocks(n: u8) -> Vec<u8> {
	vec![0xF0 | (n.clamp(1, 16) - 1)]
}

fn beat(machine: u64) -> Vec<u8> {
	signed(&OPERATOR, pallet_compute::Call::<Test>::heartbeat { machine })
}

/// The seed corpus: the market's life cycles, disputes, staking, tiers, supervisors and price
/// changes, each a valid sequence the mutations start from.
pub fn seeds() -> Vec<Vec<u8>> {
	use pallet_compute::Call as C;
	use pallet_compute_staking::Call as S;
	use pallet_market::Call as M;
	let post = |gpus, price, hours| M::<Test>::post_job {
		requirements: JobRequirements { min_gpus: gpus, ..Default::default() },
		max_price_per_hour: price,
		hours,
		spec: job_spec(),
	};
	let rent = |machine, hours, max| M::<Test>::rent_machine {
		machine,
		hours,
		max_price_per_hour: max,
		spec: job_spec(),
	};
	let lifecycle = [
		signed(&CUSTOMER, post(1, 500, 2)),
		signed(&OPERATOR, M::<Test>::accept_job { job: 0, machine: 0 }),
		blocks(10),
		beat(0),
		signed(&OWNER, M::<Test>::claim_earnings { lease: 0 }),
		signed(&OPERATOR, M::<Test>::submit_result { lease: 0, result: [7; 32] }),
		signed(&CUSTOMER, M::<Test>::end_lease { lease: 0 }),
		signed(&CUSTOMER, M::<Test>::confirm_result { lease: 0 }),
		blocks(16),
		signed(&STRANGER, M::<Test>::close_lease { lease: 0 }),
	];
	let dispute = [
		signed(&CUSTOMER2, rent(1, 3, 1_000)),
		blocks(4),
		beat(1),
		signed(&CUSTOMER2, M::<Test>::open_dispute { lease: 0 }),
		root(M::<Test>::resolve_dispute {
			lease: 0,
			verdict: Verdict {
				refund: Perbill::from_percent(50),
				slash: Perbill::from_percent(20),
			},
		}),
		blocks(16),
		signed(&PROVIDER2, S::<Test>::withdraw_unbonded { machine: 1 }),
	];
	// Staking earns while the machine is listed and beating; unbonded PEC waits its delay.
	let staking = [
		signed(&OPERATOR, M::<Test>::list_machine { machine: 0 }),
		signed(&OWNER, S::<Test>::stake_nft { machine: 0 }),
		blocks(8),
		beat(0),
		blocks(8),
		beat(0),
		signed(&OWNER, S::<Test>::claim_rewards { machine: 0 }),
		signed(&PROVIDER, S::<Test>::bond { machine: 0, amount: 500 }),
		signed(&PROVIDER, S::<Test>::unbond { machine: 0, amount: 200 }),
		signed(&OWNER, S::<Test>::unstake_nft { machine: 0 }),
		blocks(16),
		blocks(16),
		blocks(16),
		signed(&PROVIDER, S::<Test>::withdraw_unbonded { machine: 0 }),
	];
	let offers = [
		signed(&OPERATOR, M::<Test>::list_machine { machine: 0 }),
		signed(&PROVIDER, C::<Test>::update_price { machine: 0, price_per_hour: 40 }),
		signed(&OWNER, M::<Test>::set_stable_price { machine: 0, per_hour: Some(20) }),
		signed(&CUSTOMER, rent(0, 1, 300)),
		blocks(3),
		signed(&OPERATOR, M::<Test>::delist_machine { machine: 0 }),
		signed(&PROVIDER2, M::<Test>::list_machine { machine: 1 }),
		signed(&PROVIDER2, C::<Test>::update_price { machine: 1, price_per_hour: 25 }),
		signed(&PROVIDER2, C::<Test>::set_maintenance { machine: 1, starts_at: 30, duration: 30 }),
	];
	let people = [
		signed(
			&CUSTOMER,
			pallet_tiers::Call::<Test>::lock { tier: pallet_tiers::Tier::Silver, amount: 50_000 },
		),
		signed(&CUSTOMER, post(2, 120, 1)),
		signed(
			&account(21),
			pallet_supervisors::Call::<Test>::apply {
				contribution: 10_000,
				statement: b"verifier".to_vec().try_into().expect("short; qed"),
			},
		),
		signed(
			&POOR,
			pallet_balances::Call::<Test>::transfer_allow_death { dest: STRANGER, value: 60 },
		),
		blocks(16),
		signed(&CUSTOMER, pallet_tiers::Call::<Test>::unlock {}),
		signed(&CUSTOMER, M::<Test>::cancel_job { job: 0 }),
	];
	[&lifecycle[..], &dispute[..], &staking[..], &offers[..], &people[..]]
		.iter()
		.map(|steps| steps.concat())
		.collect()
}

/// A small xorshift generator: the smoke run is the same on every machine.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0
	}
	fn below(&mut self, n: usize) -> usize {
		(self.next() % n.max(1) as u64) as usize
	}
}

/// One to four byte-level mutations of `input`, splicing from `other`: what a fuzzer without
/// coverage does, enough to walk the decoder and the failure paths around every seed.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
	let mut out = input.to_vec();
	for _ in 0..=rng.below(4) {
		let at = rng.below(out.len() + 1);
		match rng.below(6) {
			0 if !out.is_empty() => {
				let i = rng.below(out.len());
				out[i] ^= 1 << rng.below(8);
			},
			1 if !out.is_empty() => {
				let i = rng.below(out.len());
				out[i] = [0, 1, 0xFF, 0x7F, 0x80, 0xF0, ROOT][rng.below(7)];
			},
			2 => out.insert(at, rng.next() as u8),
			3 if !out.is_empty() => {
				let end = (at + 1 + rng.below(16)).min(out.len());
				out.drain(at.min(end)..end);
			},
			4 if !other.is_empty() => {
				let from = rng.below(other.len());
				let to = (from + 1 + rng.below(64)).min(other.len());
				out.splice(at..at, other[from..to].iter().copied());
			},
			_ => out.insert(at, 0xF0 | rng.below(16) as u8),
		}
	}
	out
}

#[test]
fn seeds_decode_into_calls_of_our_pallets() {
	for seed in seeds() {
		let mut input = &seed[..];
		let mut calls = 0;
		while let Some((&op, rest)) = input.split_first() {
			input = rest;
			if op < 0xF0 {
				let call = RuntimeCall::decode(&mut input).expect("a seed encodes calls");
				assert!(allowed(&call, op == ROOT), "{call:?}");
				calls += 1;
			}
		}
		assert!(calls >= 5);
		// The seeds are valid stories: (nearly) every call succeeds, so mutations start deep.
		let stats = run(&seed);
		assert_eq!(stats.calls, calls);
		assert!(stats.ok + 1 >= stats.calls, "a seed's calls fail: {stats:?}");
	}
}

/// The bounded fuzzing run of `scripts/test.sh`: every seed, then `FUZZ_EXECS` (default 5,000)
/// mutated inputs. Prints executions per second and the corpus size.
#[test]
fn fuzz_smoke() {
	let execs: usize =
		std::env::var("FUZZ_EXECS").ok().and_then(|v| v.parse().ok()).unwrap_or(5_000);
	let corpus = seeds();
	let started = std::time::Instant::now();
	for seed in &corpus {
		run(seed);
	}
	let mut rng = Rng(0x5eed_cafe_f00d_0001);
	let (mut calls, mut ok) = (0u64, 0u64);
	for _ in 0..execs {
		let input = &corpus[rng.below(corpus.len())];
		let other = &corpus[rng.below(corpus.len())];
		let stats = run(&mutate(&mut rng, input, other));
		calls += u64::from(stats.calls);
		ok += u64::from(stats.ok);
	}
	let secs = started.elapsed().as_secs_f64();
	let total = corpus.len() + execs;
	println!(
		"fuzz smoke: {total} inputs ({} seeds, {} bytes) in {secs:.1} s = {:.0} execs/s; \
		 {calls} calls dispatched, {ok} succeeded",
		corpus.len(),
		corpus.iter().map(Vec::len).sum::<usize>(),
		total as f64 / secs
	);
}

/// Writes the seed corpus to `fuzz/corpus/calls/` (committed; `scripts/fuzz.sh` starts from it):
/// `cargo test -p powerverse-test-runtime --test pallets write_seed_corpus -- --ignored`.
#[test]
#[ignore]
fn write_seed_corpus() {
	let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/calls");
	std::fs::create_dir_all(&dir).expect("a writable checkout");
	for (i, seed) in seeds().iter().enumerate() {
		std::fs::write(dir.join(format!("seed-{i}")), seed).expect("a writable checkout");
	}
}

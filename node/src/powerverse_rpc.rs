//! The `powerverse_*` JSON-RPC namespace: machines, jobs, quotes, leases and earnings, answered
//! by the runtime's `PowerVerseApi` at the best (or a given) block.
//!
//! Conventions: accounts are SS58 strings (or 0x-prefixed hex), PEC amounts are decimal strings
//! of plancks (12 decimals; JavaScript numbers cannot hold them), ids and blocks are numbers,
//! byte strings are UTF-8 where they are text and 0x-hex where they are not. Lists take a
//! `limit` of 1..=100 and answer `{ "items": [...], "next": cursor-or-null }` (an object, so
//! polkadot.js's `Json` type keeps the array); pass `next` back unchanged for the following
//! page (machine lists: the last id; jobs, quotes, earnings: an opaque 0x-hex cursor). Every
//! page reads O(limit) storage entries; machine-list pages have a `next` only when full, while
//! job, quote and earnings pages look at a bounded number of entries and so may be short and
//! still have a `next`. Bad parameters and unknown ids are JSON-RPC
//! errors. Reference and
//! polkadot.js examples: docs/api.md.

use std::sync::Arc;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::error::{ErrorObject, ErrorObjectOwned},
};
use powerverse_runtime::{opaque::Block, AccountId, Balance, BlockNumber};
use powerverse_runtime_api::{
	AccountSummary, JobInfo, JobRequirements, LeaseInfo, MachineInfo, MachineSpec,
	PowerVerseApi as PowerVerseRuntimeApi, PriceInfo, Quote, StakeStatus, SupervisorStatus,
	TierStatus, MAX_PAGE,
};
use serde::Deserialize;
use serde_json::{json, Value};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::crypto::{Ss58AddressFormat, Ss58Codec};
use sp_runtime::codec::{Decode, DecodeAll, Encode};
use sp_runtime::traits::Block as BlockT;

/// Invalid method parameters (JSON-RPC standard code).
pub const INVALID_PARAMS: i32 = -32602;
/// The runtime API call failed.
pub const RUNTIME_ERROR: i32 = 1000;
/// No machine with this id.
pub const UNKNOWN_MACHINE: i32 = 1001;
/// No unsettled lease with this id.
pub const UNKNOWN_LEASE: i32 = 1002;
/// No staked NFT for this machine.
pub const NOT_STAKED: i32 = 1003;
/// The account is not a supervisor.
pub const NOT_SUPERVISOR: i32 = 1004;
/// The account holds no loyalty tier.
pub const NOT_MEMBER: i32 = 1005;
/// No pool is tracked by the price oracle.
pub const NO_PRICE: i32 = 1006;

/// PowerVerse's SS58 prefix (the generic Substrate one).
const SS58_PREFIX: u16 = 42;

/// A job's requirements as JSON: every field optional (zero / any).
#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequirementsParam {
	/// Fewest GPUs of the model and VRAM asked for.
	pub min_gpus: Option<u32>,
	/// GPU model, e.g. "H100".
	pub gpu_model: Option<String>,
	/// Least VRAM per GPU in GiB.
	pub min_vram_gib: Option<u32>,
	/// Fewest CPU cores.
	pub min_cores: Option<u32>,
	/// Least RAM in GiB.
	pub min_ram_gib: Option<u32>,
	/// Upper-case country code, e.g. "DE".
	pub region: Option<String>,
}

/// The `powerverse_*` methods. Each calls the runtime (like `state_call`), so each is marked
/// `blocking`: jsonrpsee runs it on a blocking thread instead of the connection's async task,
/// and a slow call cannot stall the node's other RPC traffic.
#[rpc(server)]
pub trait PowerVerseApi<BlockHash> {
	/// A machine by id with its live state.
	#[method(name = "powerverse_machine", blocking)]
	fn machine(&self, id: u64, at: Option<BlockHash>) -> RpcResult<Value>;

	/// Machine ids of a provider in storage order after the cursor `after` (the previous page's
	/// last id), at most `limit` (default 100), O(limit):
	/// `{ items, next }`.
	#[method(name = "powerverse_machinesByProvider", blocking)]
	fn machines_by_provider(
		&self,
		provider: String,
		after: Option<u64>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// Machine ids whose compute NFT an account holds.
	#[method(name = "powerverse_machinesByOwner", blocking)]
	fn machines_by_owner(
		&self,
		owner: String,
		after: Option<u64>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// Open jobs a machine can serve at its price, highest priority first, from `cursor` (null
	/// or the previous page's `next`). A page looks at a bounded number of queued jobs, so it
	/// may be short and still have a `next`.
	#[method(name = "powerverse_openJobsForMachine", blocking)]
	fn open_jobs_for_machine(
		&self,
		machine: u64,
		cursor: Option<Value>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// The cheapest listed machines that could start a lease for the requirements now, from
	/// `cursor`, read from the price-ordered offer index (pages as above).
	#[method(name = "powerverse_quote", blocking)]
	fn quote(
		&self,
		requirements: RequirementsParam,
		cursor: Option<Value>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// Unsettled leases that pay the account, with what a claim pays now, from `cursor`
	/// (pages as above).
	#[method(name = "powerverse_earnings", blocking)]
	fn earnings(
		&self,
		who: String,
		cursor: Option<Value>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// An unsettled lease with accrued and claimable amounts.
	#[method(name = "powerverse_lease", blocking)]
	fn lease(&self, id: u64, at: Option<BlockHash>) -> RpcResult<Value>;

	/// An account's open jobs, leases and the first page of its earnings.
	#[method(name = "powerverse_account", blocking)]
	fn account(&self, who: String, at: Option<BlockHash>) -> RpcResult<Value>;

	/// A machine's staked NFT: its weight in the reward pool, what a claim pays now, and why
	/// it earns nothing if it does not (`notEarning`).
	#[method(name = "powerverse_stake", blocking)]
	fn stake(&self, machine: u64, at: Option<BlockHash>) -> RpcResult<Value>;

	/// A supervisor: contribution, record and tasks (jury seats and what each needs now).
	#[method(name = "powerverse_supervisor", blocking)]
	fn supervisor(&self, who: String, at: Option<BlockHash>) -> RpcResult<Value>;

	/// An account's loyalty tier: PEC frozen, until when, and the benefits it gives now.
	#[method(name = "powerverse_tier", blocking)]
	fn tier(&self, who: String, at: Option<BlockHash>) -> RpcResult<Value>;

	/// PEC's price in the stable asset: the oracle's time-weighted average over its window, the
	/// pool's last price, and why there is no average if there is none.
	#[method(name = "powerverse_pecPrice", blocking)]
	fn pec_price(&self, at: Option<BlockHash>) -> RpcResult<Value>;
}

/// Serves `PowerVerseApiServer` from a client.
pub struct PowerVerse<C> {
	client: Arc<C>,
}

impl<C> PowerVerse<C> {
	/// A server answering from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

fn error(code: i32, message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObject::owned(code, message.into(), None::<()>)
}

/// A cursor at a block whose runtime predates cursor pages.
fn unpaged() -> ErrorObjectOwned {
	error(RUNTIME_ERROR, "the runtime at this block has no cursor pages (PowerVerseApi version 6)")
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	error(RUNTIME_ERROR, format!("runtime API call failed: {e}"))
}

/// `limit` defaults to `MAX_PAGE` and must be 1..=MAX_PAGE.
fn page_limit(limit: Option<u32>) -> RpcResult<u32> {
	match limit {
		None => Ok(MAX_PAGE),
		Some(l) if (1..=MAX_PAGE).contains(&l) => Ok(l),
		Some(l) => Err(error(INVALID_PARAMS, format!("limit must be 1..={MAX_PAGE}, got {l}"))),
	}
}

/// A page cursor as given: none (the first page), a cursor, or a number from a client of the
/// version before cursors (open jobs: how many matches to skip; quote: the page size).
enum CursorArg<C> {
	Start,
	At(C),
	Legacy(u32),
}

/// The refusal of something that is not a page cursor (`shown`: what the client sent).
fn bad_cursor(shown: impl std::fmt::Display) -> ErrorObjectOwned {
	error(
		INVALID_PARAMS,
		format!("cursor {shown} is not a page cursor: pass null or the previous page's `next`"),
	)
}

/// A page cursor: null, or the `next` a previous page answered (0x-hex of its SCALE encoding).
fn parse_cursor<C: Decode>(cursor: Option<Value>) -> RpcResult<CursorArg<C>> {
	let text = match cursor {
		None | Some(Value::Null) => return Ok(CursorArg::Start),
		Some(Value::Number(n)) => {
			return n
				.as_u64()
				.and_then(|n| u32::try_from(n).ok())
				.map(CursorArg::Legacy)
				.ok_or_else(|| bad_cursor(n))
		},
		Some(Value::String(text)) => text,
		Some(other) => return Err(bad_cursor(other)),
	};
	text.strip_prefix("0x")
		.and_then(|hex| sp_core::bytes::from_hex(hex).ok())
		.and_then(|bytes| C::decode_all(&mut &bytes[..]).ok())
		.map(CursorArg::At)
		.ok_or_else(|| bad_cursor(format!("{text:?}")))
}

/// A page of items with its cursor (0x-hex) or null once the list is walked.
fn cursor_page<I, C: Encode>(items: &[I], next: Option<C>, item: impl Fn(&I) -> Value) -> Value {
	json!({
		"items": items.iter().map(item).collect::<Vec<_>>(),
		"next": next.map(|c| hex(&c.encode())),
	})
}

/// Parses an SS58 address or 0x-prefixed 32-byte hex public key.
pub fn parse_account(s: &str) -> RpcResult<AccountId> {
	if let Some(hex) = s.strip_prefix("0x") {
		let bytes = sp_core::bytes::from_hex(hex)
			.ok()
			.filter(|b| b.len() == 32)
			.ok_or_else(|| error(INVALID_PARAMS, format!("{s:?} is not 32 bytes of hex")))?;
		let mut raw = [0u8; 32];
		raw.copy_from_slice(&bytes);
		return Ok(AccountId::new(raw));
	}
	AccountId::from_ss58check(s)
		.map_err(|e| error(INVALID_PARAMS, format!("{s:?} is not an SS58 address: {e:?}")))
}

fn hex(bytes: &[u8]) -> String {
	sp_core::bytes::to_hex(bytes, false)
}

fn account_json(a: &AccountId) -> Value {
	Value::String(a.to_ss58check_with_version(Ss58AddressFormat::custom(SS58_PREFIX)))
}

/// A page of ids; `next` is the `after` cursor of the following page when this one is full.
fn id_page(ids: Vec<u64>, limit: u32) -> Value {
	let next = if ids.len() as u32 == limit { ids.last().copied() } else { None };
	json!({ "items": ids, "next": next })
}

fn balance(b: Balance) -> Value {
	Value::String(b.to_string())
}

fn text(bytes: &[u8]) -> Value {
	match std::str::from_utf8(bytes) {
		Ok(s) => Value::String(s.to_owned()),
		Err(_) => Value::String(hex(bytes)),
	}
}

fn spec_json(spec: &MachineSpec) -> Value {
	json!({
		"cpuModel": text(&spec.cpu_model),
		"cores": spec.cores,
		"threads": spec.threads,
		"ramGib": spec.ram_gib,
		"storageGib": spec.storage_gib,
		"bandwidthMbps": spec.bandwidth_mbps,
		"gpus": spec.gpus.iter().map(|g| json!({
			"model": text(&g.model), "vramGib": g.vram_gib, "count": g.count,
		})).collect::<Vec<_>>(),
	})
}

fn requirements_json(r: &JobRequirements) -> Value {
	json!({
		"minGpus": r.min_gpus,
		"gpuModel": r.gpu_model.as_ref().map(|m| text(m)),
		"minVramGib": r.min_vram_gib,
		"minCores": r.min_cores,
		"minRamGib": r.min_ram_gib,
		"region": r.region.map(|c| text(&c)),
	})
}

/// Checks and converts JSON requirements.
pub fn parse_requirements(p: RequirementsParam) -> RpcResult<JobRequirements> {
	let gpu_model = match p.gpu_model {
		None => None,
		Some(m) if m.is_empty() => return Err(error(INVALID_PARAMS, "gpuModel is empty")),
		Some(m) => Some(
			m.into_bytes()
				.try_into()
				.map_err(|_| error(INVALID_PARAMS, "gpuModel is longer than 64 bytes"))?,
		),
	};
	let region = match p.region {
		None => None,
		Some(r) => {
			let b = r.as_bytes();
			if b.len() != 2 || !b.iter().all(|c| c.is_ascii_uppercase()) {
				return Err(error(
					INVALID_PARAMS,
					format!("region must be an upper-case two-letter country code, got {r:?}"),
				));
			}
			Some([b[0], b[1]])
		},
	};
	Ok(JobRequirements {
		min_gpus: p.min_gpus.unwrap_or(0),
		gpu_model,
		min_vram_gib: p.min_vram_gib.unwrap_or(0),
		min_cores: p.min_cores.unwrap_or(0),
		min_ram_gib: p.min_ram_gib.unwrap_or(0),
		region,
	})
}

fn machine_json(m: &MachineInfo<AccountId, Balance, BlockNumber>) -> Value {
	json!({
		"id": m.id,
		"provider": account_json(&m.provider),
		"operator": account_json(&m.operator),
		"owner": account_json(&m.owner),
		"spec": spec_json(&m.spec),
		"score": m.score,
		"state": format!("{:?}", m.state),
		"verified": m.verified,
		"online": m.online,
		"pricePerHour": balance(m.price_per_hour),
		"lastHeartbeat": m.last_heartbeat,
		"country": m.country.map(|c| text(&c)),
		"collateral": balance(m.collateral),
		"minimumCollateral": balance(m.minimum_collateral),
		"sufficientlyCollateralized": m.sufficiently_collateralized,
		"activeLease": m.active_lease,
		"listed": m.listed,
	})
}

fn job_json(j: &JobInfo<AccountId, Balance, BlockNumber>) -> Value {
	json!({
		"id": j.id,
		"customer": account_json(&j.customer),
		"requirements": requirements_json(&j.requirements),
		"maxPricePerHour": balance(j.max_price_per_hour),
		"hours": j.hours,
		"spec": text(&j.spec),
		"escrow": balance(j.escrow),
		"priority": j.priority,
		"postedAt": j.posted_at,
	})
}

fn quote_json(q: &Quote<Balance>) -> Value {
	json!({ "machine": q.machine, "pricePerHour": balance(q.price_per_hour), "score": q.score })
}

fn lease_json(l: &LeaseInfo<AccountId, Balance, BlockNumber>) -> Value {
	json!({
		"id": l.id,
		"customer": account_json(&l.customer),
		"machine": l.machine,
		"job": l.job,
		"beneficiary": account_json(&l.beneficiary),
		"provider": account_json(&l.provider),
		"pricePerHour": balance(l.price_per_hour),
		"hours": l.hours,
		"spec": text(&l.spec),
		"start": l.start,
		"end": l.end,
		"endedAt": l.ended_at,
		"endReason": l.end_reason.map(|r| format!("{r:?}")),
		"challengeDeadline": l.challenge_deadline,
		"status": format!("{:?}", l.status),
		"result": l.result.map(|r| hex(&r)),
		"paid": balance(l.paid),
		"held": balance(l.held),
		"accrued": balance(l.accrued),
		"claimable": balance(l.claimable),
	})
}

fn stake_json(machine: u64, s: &StakeStatus<AccountId, Balance>) -> Value {
	json!({
		"machine": machine,
		"staker": account_json(&s.staker),
		"shares": s.shares.to_string(),
		"effectiveShares": s.effective_shares.to_string(),
		"bonusShares": s.bonus_shares.to_string(),
		"claimable": balance(s.claimable),
		"earning": s.not_earning.is_empty() && s.effective_shares > 0,
		"notEarning": s.not_earning.iter().map(|r| format!("{r:?}")).collect::<Vec<_>>(),
		"pledged": s.pledged,
		"shortfall": s.shortfall.map(balance),
	})
}

fn supervisor_json(who: &AccountId, s: &SupervisorStatus<Balance, BlockNumber>) -> Value {
	json!({
		"account": account_json(who),
		"contribution": balance(s.contribution),
		"since": s.since,
		"leavingSince": s.leaving_since,
		"inPool": s.in_pool,
		"record": {
			"cases": s.record.cases,
			"withMajority": s.record.with_majority,
			"againstMajority": s.record.against_majority,
			"missed": s.record.missed,
		},
		"tasks": s.tasks.iter().map(|(case, task)| json!({ "case": case, "task": format!("{task:?}") })).collect::<Vec<_>>(),
	})
}

fn tier_json(who: &AccountId, t: &TierStatus<Balance, BlockNumber>) -> Value {
	json!({
		"account": account_json(who),
		"tier": format!("{:?}", t.tier),
		"amount": balance(t.amount),
		"until": t.until,
		"active": t.active,
		"feeDiscountPerbill": t.fee_discount.deconstruct(),
		"priority": t.priority,
	})
}

fn price_json(p: &PriceInfo<u32, BlockNumber>) -> Value {
	// Stable units per PEC, as a decimal string with 18 fractional digits.
	let fixed = |f: sp_runtime::FixedU128| {
		let inner = f.into_inner();
		format!("{}.{:018}", inner / 1_000_000_000_000_000_000, inner % 1_000_000_000_000_000_000)
	};
	json!({
		"asset": p.asset,
		"twap": p.twap.map(fixed),
		"spot": fixed(p.spot),
		"window": p.window,
		"lastObserved": p.last_observed,
		"unavailable": p.unavailable.map(|u| format!("{u:?}")),
	})
}

fn account_summary_json(a: &AccountSummary<Balance>) -> Value {
	json!({
		"openJobs": a.open_jobs,
		"leases": a.leases,
		"earnings": a.earnings.iter().map(|(lease, claimable)| json!({
			"lease": lease, "claimable": balance(*claimable),
		})).collect::<Vec<_>>(),
		"claimable": balance(a.claimable),
	})
}

impl<C> PowerVerse<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: PowerVerseRuntimeApi<Block, AccountId, Balance, BlockNumber>,
{
	fn at(&self, at: Option<<Block as BlockT>::Hash>) -> <Block as BlockT>::Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}

	/// Whether the runtime at `hash` has cursor pages (`PowerVerseApi` version 6).
	fn paged(&self, hash: <Block as BlockT>::Hash) -> RpcResult<bool> {
		use sp_api::ApiExt;
		let version = self
			.client
			.runtime_api()
			.api_version::<dyn PowerVerseRuntimeApi<Block, AccountId, Balance, BlockNumber>>(hash)
			.map_err(runtime_error)?;
		Ok(version.is_some_and(|v| v >= 6))
	}
}

impl<C> PowerVerseApiServer<<Block as BlockT>::Hash> for PowerVerse<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: PowerVerseRuntimeApi<Block, AccountId, Balance, BlockNumber>,
{
	fn machine(&self, id: u64, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let info = self.client.runtime_api().machine(self.at(at), id).map_err(runtime_error)?;
		info.map(|m| machine_json(&m))
			.ok_or_else(|| error(UNKNOWN_MACHINE, format!("machine {id} not found")))
	}

	fn machines_by_provider(
		&self,
		provider: String,
		after: Option<u64>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		let provider = parse_account(&provider)?;
		let limit = page_limit(limit)?;
		let ids = self
			.client
			.runtime_api()
			.machines_by_provider(self.at(at), provider, after, limit)
			.map_err(runtime_error)?;
		Ok(id_page(ids, limit))
	}

	fn machines_by_owner(
		&self,
		owner: String,
		after: Option<u64>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		let owner = parse_account(&owner)?;
		let limit = page_limit(limit)?;
		let ids = self
			.client
			.runtime_api()
			.machines_by_owner(self.at(at), owner, after, limit)
			.map_err(runtime_error)?;
		Ok(id_page(ids, limit))
	}

	fn open_jobs_for_machine(
		&self,
		machine: u64,
		cursor: Option<Value>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		let cursor = parse_cursor(cursor)?;
		let limit = page_limit(limit)?;
		let hash = self.at(at);
		let api = self.client.runtime_api();
		let paged = self.paged(hash)?;
		if let (CursorArg::Legacy(skip), true) = (&cursor, paged) {
			if *skip > 0 {
				return Err(error(
					INVALID_PARAMS,
					format!(
						"skip {skip} is not supported: pass null, then the previous page's `next`"
					),
				));
			}
		}
		if api.machine(hash, machine).map_err(runtime_error)?.is_none() {
			return Err(error(UNKNOWN_MACHINE, format!("machine {machine} not found")));
		}
		let skip = match (cursor, paged) {
			// Below version 6 only the version-1 walk exists.
			(CursorArg::Legacy(skip), false) => skip,
			(CursorArg::Start, false) => 0,
			(CursorArg::At(_), false) => return Err(unpaged()),
			// Skipping matches cannot be O(limit) (refused above): a client of the version before
			// cursors gets the first page for `0`, all it ever sent first, and follows `next`.
			(cursor, true) => {
				let cursor = match cursor {
					CursorArg::At(c) => Some(c),
					_ => None,
				};
				let page =
					api.open_jobs_page(hash, machine, cursor, limit).map_err(runtime_error)?;
				return Ok(cursor_page(&page.items, page.next, job_json));
			},
		};
		// A client of the version before cursors: `next` is the following `skip`.
		let jobs = api.open_jobs_for_machine(hash, machine, skip, limit).map_err(runtime_error)?;
		let next = (jobs.len() as u32 == limit).then(|| skip.saturating_add(limit));
		Ok(json!({ "items": jobs.iter().map(job_json).collect::<Vec<_>>(), "next": next }))
	}

	fn quote(
		&self,
		requirements: RequirementsParam,
		cursor: Option<Value>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		let requirements = parse_requirements(requirements)?;
		let cursor = parse_cursor(cursor)?;
		let hash = self.at(at);
		let api = self.client.runtime_api();
		let (cursor, limit) = match (cursor, self.paged(hash)?) {
			// `quote(requirements, limit)` of the version before cursors: its first page (and
			// `next`), or the version-1 walk on a runtime without pages.
			(CursorArg::Legacy(limit), true) => (Some(None), page_limit(Some(limit))?),
			(CursorArg::Legacy(limit), false) => (None, page_limit(Some(limit))?),
			(CursorArg::At(_), false) => return Err(unpaged()),
			(CursorArg::Start, false) => (None, page_limit(limit)?),
			(CursorArg::Start, true) => (Some(None), page_limit(limit)?),
			(CursorArg::At(c), true) => (Some(Some(c)), page_limit(limit)?),
		};
		let Some(cursor) = cursor else {
			let quotes = api.quote(hash, requirements, limit).map_err(runtime_error)?;
			return Ok(
				json!({ "items": quotes.iter().map(quote_json).collect::<Vec<_>>(), "next": null }),
			);
		};
		let page = api.quote_page(hash, requirements, cursor, limit).map_err(runtime_error)?;
		Ok(cursor_page(&page.items, page.next, quote_json))
	}

	fn earnings(
		&self,
		who: String,
		cursor: Option<Value>,
		limit: Option<u32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Value> {
		let who = parse_account(&who)?;
		let cursor = match parse_cursor(cursor)? {
			CursorArg::Start => None,
			CursorArg::At(c) => Some(c),
			CursorArg::Legacy(n) => return Err(bad_cursor(n)),
		};
		let limit = page_limit(limit)?;
		let hash = self.at(at);
		if !self.paged(hash)? {
			return Err(unpaged());
		}
		let page =
			self.client.runtime_api().earnings(hash, who, cursor, limit).map_err(runtime_error)?;
		Ok(cursor_page(
			&page.items,
			page.next,
			|e| json!({ "lease": e.lease, "machine": e.machine, "claimable": balance(e.claimable) }),
		))
	}

	fn lease(&self, id: u64, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let info = self.client.runtime_api().lease(self.at(at), id).map_err(runtime_error)?;
		info.map(|l| lease_json(&l)).ok_or_else(|| {
			error(UNKNOWN_LEASE, format!("lease {id} not found (settled leases are removed)"))
		})
	}

	fn account(&self, who: String, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let who = parse_account(&who)?;
		let summary = self.client.runtime_api().account(self.at(at), who).map_err(runtime_error)?;
		Ok(account_summary_json(&summary))
	}

	fn stake(&self, machine: u64, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let info = self.client.runtime_api().stake(self.at(at), machine).map_err(runtime_error)?;
		info.map(|s| stake_json(machine, &s))
			.ok_or_else(|| error(NOT_STAKED, format!("machine {machine}'s NFT is not staked")))
	}

	fn supervisor(&self, who: String, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let account = parse_account(&who)?;
		let info = self
			.client
			.runtime_api()
			.supervisor(self.at(at), account.clone())
			.map_err(runtime_error)?;
		info.map(|s| supervisor_json(&account, &s))
			.ok_or_else(|| error(NOT_SUPERVISOR, format!("{who} is not a supervisor")))
	}

	fn tier(&self, who: String, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let account = parse_account(&who)?;
		let info =
			self.client.runtime_api().tier(self.at(at), account.clone()).map_err(runtime_error)?;
		info.map(|t| tier_json(&account, &t))
			.ok_or_else(|| error(NOT_MEMBER, format!("{who} holds no loyalty tier")))
	}

	fn pec_price(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<Value> {
		let info = self.client.runtime_api().pec_price(self.at(at)).map_err(runtime_error)?;
		info.map(|p| price_json(&p))
			.ok_or_else(|| error(NO_PRICE, "the price oracle tracks no pool".to_string()))
	}
}

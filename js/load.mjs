// PowerVerse load tool: sends transfers and market calls at a chosen rate for a bounded time and
// prints, per call kind, what the chain included per block, throughput and latency, plus block
// fill by weight and the node's proposal times. Run it through scripts/load.sh (docs/performance.md).
//
//   node js/load.mjs --accounts 400 --kinds transfer,post_job --rate 300 --duration 60
//   node js/load.mjs --url ws://127.0.0.1:9951 --node-log /tmp/alice.log ...   (a running chain)
//
// Without --url it writes a chain spec (the development preset plus K endowed accounts), starts
// a dev node on it with a temporary database, and stops it at the end. With --url the chain must
// have K endowed load accounts already (the `spec` command writes such a spec) and a sudo key
// (Alice) to verify machines, or machines verified by other means.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { powerverseTypes } from './powerverse-rpc.js';
import { freePort } from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// polkadot.js logs every refused submission itself; the tool counts and reports them instead.
const consoleError = console.error;
console.error = (...args) => { if (!String(args[0] ?? '').includes('RPC-CORE')) consoleError(...args); };
const PEC = 10n ** 12n;
const KINDS = ['transfer', 'post_job', 'accept_job', 'rent', 'heartbeat', 'claim'];
const ENDOWMENT = 100_000n * PEC;
const USAGE = `usage: load.mjs [run|spec] [options]
  run (default)         load a chain and print figures
  spec --out FILE       write a chain spec with the load accounts endowed, and exit
       [--chain local]  from the 4-validator local preset (default dev) for scripts/local-testnet.sh
options:
  --accounts K          endowed load accounts (default 200; a quarter are providers with a machine)
  --kinds a,b,...       call kinds, any of ${KINDS.join(', ')} (default transfer,post_job)
  --rate R              extrinsics per second submitted, all kinds together (default 200)
  --duration S          seconds of load, then stop (default 60; at most 3600)
  --url ws://...        a running node (default: start a dev node on a generated spec)
  --node-log FILE       that node's log, for proposal times (a node the tool starts: its own)
  --node PATH           the node binary (default $POWERVERSE_NODE or target/release/powerverse-node)
  --json                print the figures as JSON too
  --record FILE         write every included call (kind, extrinsic hash, block hash and number,
                        succeeded) as JSON to FILE (the fault bed checks each is on the final chain)`;

function fail(message) {
  console.error(`load: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { command: 'run', accounts: 200, kinds: ['transfer', 'post_job'], rate: 200, duration: 60, json: false };
  const args = [...argv];
  if (args[0] && !args[0].startsWith('--')) opts.command = args.shift();
  if (!['run', 'spec'].includes(opts.command)) fail(`unknown command "${opts.command}"`);
  const number = (name, value, min, max) => {
    if (value === undefined || !/^\d+$/.test(value)) fail(`${name} needs a whole number, got "${value ?? ''}"`);
    const n = Number(value);
    if (n < min || n > max) fail(`${name} must be ${min}..${max}, got ${n}`);
    return n;
  };
  while (args.length) {
    const flag = args.shift();
    switch (flag) {
      case '--accounts': opts.accounts = number('--accounts', args.shift(), 1, 100_000); break;
      case '--rate': opts.rate = number('--rate', args.shift(), 1, 100_000); break;
      case '--duration': opts.duration = number('--duration', args.shift(), 1, 3600); break;
      case '--kinds': {
        const kinds = (args.shift() ?? '').split(',').filter(Boolean);
        const unknown = kinds.filter((k) => !KINDS.includes(k));
        if (kinds.length === 0) fail('--kinds needs at least one kind');
        if (unknown.length) fail(`unknown call kind(s): ${unknown.join(', ')}`);
        opts.kinds = kinds;
        break;
      }
      case '--url': opts.url = args.shift(); if (!/^wss?:\/\//.test(opts.url ?? '')) fail('--url must start with ws:// or wss://'); break;
      case '--node-log': opts.nodeLog = args.shift(); break;
      case '--node': opts.node = args.shift(); break;
      case '--out': opts.out = args.shift(); break;
      case '--chain': opts.chain = args.shift(); if (!['dev', 'local'].includes(opts.chain)) fail('--chain must be dev or local'); break;
      case '--json': opts.json = true; break;
      case '--record': opts.record = args.shift(); if (!opts.record) fail('--record needs a file'); break;
      case '--help': case '-h': console.log(USAGE); process.exit(0); break;
      default: fail(`unknown option "${flag}"`);
    }
  }
  const needsMachines = opts.kinds.some((k) => k !== 'transfer');
  if (needsMachines && opts.accounts < 4) fail('market kinds need --accounts of at least 4 (a quarter are providers)');
  if (opts.command === 'spec' && !opts.out) fail('spec needs --out FILE');
  opts.node = opts.node ?? process.env.POWERVERSE_NODE ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(here, '..', 'target'), 'release', 'powerverse-node');
  return opts;
}

/** The load accounts: `//load//0` … `//load//K-1`. */
function loadAccounts(keyring, k) {
  // Derived from one base pair: the mnemonic's key stretching runs once, not K times.
  const base = keyring.addFromUri('//load');
  return Array.from({ length: k }, (_, i) => base.derive(`//${i}`));
}

/** The development (or 4-validator local) preset's spec with the load accounts endowed
 *  (100,000 PEC each). */
function writeSpec(nodeBin, accounts, out, chain = 'dev') {
  const spec = JSON.parse(execFileSync(nodeBin, ['build-spec', '--chain', chain], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }));
  const patch = spec.genesis.runtimeGenesis.patch;
  patch.balances.balances.push(...accounts.map((a) => [a.address, Number.MAX_SAFE_INTEGER]));
  // JSON numbers cannot hold 10^17: write the endowment as a literal after serialising.
  const text = JSON.stringify(spec).replaceAll(String(Number.MAX_SAFE_INTEGER), ENDOWMENT.toString());
  fs.writeFileSync(out, text);
}

async function startNode(opts, accounts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pv-load-'));
  const spec = path.join(dir, 'spec.json');
  writeSpec(opts.node, accounts, spec);
  const [rpc, p2p] = [await freePort(), await freePort()];
  const log = path.join(dir, 'node.log');
  const out = fs.openSync(log, 'w');
  const child = spawn(opts.node, ['--chain', spec, '--alice', '--validator', '--force-authoring', '--tmp', '--node-key', '0'.repeat(63) + '1', '--rpc-port', String(rpc),
    '--port', String(p2p), '--no-prometheus', '--no-mdns', '--no-telemetry', '--rpc-max-connections', '1000', '--pool-limit', '100000', '--pool-kbytes', '1000000'],
  { stdio: ['ignore', out, out] });
  child.on('exit', (code) => {
    if (code) console.error(`load: node exited with ${code}:\n${fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}`);
  });
  return { child, url: `ws://127.0.0.1:${rpc}`, log, dir };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Chain {
  constructor(api) {
    this.api = api;
    this.nonces = new Map();
    this.inflight = 0;
  }

  /** The next nonce of `pair`: asked of the node once, then counted here (a promise chain, so
   * concurrent submissions from one account never share a nonce). */
  nonceOf(pair) {
    const prev = this.nonces.get(pair.address)
      ?? this.api.rpc.system.accountNextIndex(pair.address).then((n) => n.toNumber() - 1);
    const next = prev.then((n) => n + 1);
    this.nonces.set(pair.address, next);
    return next;
  }

  /** Signs and submits without a subscription (a node allows 1,024 per connection); `watch`
   * finds it in blocks and finality. Resolves with `record` once finalized or refused. */
  async fire(tx, pair, record) {
    const nonce = await this.nonceOf(pair);
    await tx.signAsync(pair, { nonce, era: 0 });
    const hash = tx.hash.toHex();
    record.hash = hash;
    this.inflight += 1;
    return new Promise((resolve) => {
      record.resolve = resolve;
      this.watching.set(hash, record);
      record.submitted = Date.now();
      this.api.rpc.author.submitExtrinsic(tx).catch((e) => {
        if (!this.watching.delete(hash)) return;
        record.error = e.message.slice(0, 120);
        this.nonces.delete(pair.address);
        this.inflight -= 1;
        resolve(record);
      });
    });
  }

  /** Follows best and finalized blocks for `fire`d extrinsics; `onBlock(hash, header)` too. */
  async watch(onBlock) {
    const { api } = this;
    this.watching = new Map();
    const included = [];
    // A busy node may skip heads in the subscription: blocks in between are fetched by number.
    let last = null;
    const unsubNew = await api.rpc.chain.subscribeNewHeads(async (header) => {
      const number = header.number.toNumber();
      const from = last === null ? number : Math.min(last + 1, number);
      last = Math.max(last ?? number, number);
      for (let n = from; n < number; n += 1) {
        const hash = await api.rpc.chain.getBlockHash(n);
        await this.process(hash.toHex(), await api.rpc.chain.getHeader(hash), included, onBlock);
      }
      await this.process(header.hash.toHex(), header, included, onBlock);
    });
    const unsubFinal = await api.rpc.chain.subscribeFinalizedHeads((header) => {
      const now = Date.now();
      const n = header.number.toNumber();
      for (let i = included.length - 1; i >= 0; i -= 1) {
        const record = included[i];
        if (record.number <= n) {
          record.finalized = now;
          included.splice(i, 1);
          this.inflight -= 1;
          record.resolve(record);
        }
      }
    });
    return () => { unsubNew(); unsubFinal(); };
  }

  /** Marks the watched extrinsics of block `hash` included, with their events. */
  async process(hash, header, included, onBlock) {
    const { api } = this;
    const seen = Date.now();
    const number = header.number.toNumber();
    {
      const [block, events] = await Promise.all([api.rpc.chain.getBlock(hash), api.query.system.events.at(hash)]);
      block.block.extrinsics.forEach((ext, index) => {
        const record = this.watching.get(ext.hash.toHex());
        if (!record) return;
        this.watching.delete(ext.hash.toHex());
        record.inBlock = seen;
        record.block = hash;
        record.number = number;
        record.events = events.filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index);
        record.actual = actualWeight(api, record.events);
        const failed = record.events.find(({ event }) => api.events.system.ExtrinsicFailed.is(event));
        if (failed) {
          const err = failed.event.data[0];
          record.error = err.isModule ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(err.asModule)) : err.toString();
        }
        included.push(record);
      });
      if (onBlock) await onBlock(hash, header);
    }
  }

  /** Submits; `record` gets submitted/inBlock/finalized times, the block hash and errors. */
  async submit(tx, pair, record = {}, untilFinalized = true) {
    const nonce = await this.nonceOf(pair);
    record.submitted = Date.now();
    this.inflight += 1;
    return new Promise((resolve) => {
      let unsub;
      const done = () => { this.inflight -= 1; if (unsub) unsub(); resolve(record); };
      tx.signAndSend(pair, { nonce, era: 0 }, ({ status, events, dispatchError }) => {
        if (status.isInBlock && !record.inBlock) {
          record.inBlock = Date.now();
          record.block = status.asInBlock.toHex();
          record.events = events;
          record.actual = actualWeight(this.api, events);
          if (dispatchError) {
            record.error = dispatchError.isModule
              ? (({ section, name }) => `${section}.${name}`)(this.api.registry.findMetaError(dispatchError.asModule))
              : dispatchError.toString();
          }
          if (!untilFinalized) done();
        } else if (status.isFinalized) {
          record.finalized = Date.now();
          done();
        } else if (status.isDropped || status.isInvalid || status.isUsurped) {
          record.error = record.error ?? status.type;
          done();
        }
      }).then((u) => { unsub = u; }, (e) => { record.error = e.message.slice(0, 120); this.nonces.delete(pair.address); done(); });
    });
  }
}

/** The weight an included extrinsic used after dispatch (its `ExtrinsicSuccess`/`Failed`
 *  event's dispatch info: the call's actual weight, its extensions' and the extrinsic base),
 *  in ps; or null. */
function actualWeight(api, events) {
  for (const { event } of events ?? []) {
    if (api.events.system.ExtrinsicSuccess.is(event)) return event.data[0].weight.refTime.toBigInt();
    if (api.events.system.ExtrinsicFailed.is(event)) return event.data[1].weight.refTime.toBigInt();
  }
  return null;
}

/** Registers, verifies (Alice's sudo), bonds and lists one machine per provider. */
async function setupMachines(chain, providers, alice) {
  const { api } = chain;
  const spec = {
    cpuModel: 'AMD EPYC 9654', cores: 32, threads: 64, ramGib: 256, storageGib: 4000, bandwidthMbps: 10000,
    gpus: [{ model: 'RTX 4090', vramGib: 24, count: 1 }],
  };
  const machines = new Map();
  await Promise.all(providers.map(async (p, i) => {
    const reg = chain.submit(api.tx.compute.registerProvider({
      displayName: `load ${i}`, operator: 'load', city: 'Berlin', country: 'DE', contactUrl: 'https://load.example', encryptionKey: '0x' + '11'.repeat(32),
    }), p, {}, false);
    const m = chain.submit(api.tx.compute.registerMachine(spec, p.address, PEC), p, {}, false);
    const [r1, r2] = await Promise.all([reg, m]);
    if (r1.error || r2.error) throw new Error(`provider ${i}: ${r1.error ?? r2.error}`);
    const ev = r2.events.find(({ event }) => api.events.compute.MachineRegistered.is(event));
    machines.set(p.address, ev.event.data[0].toNumber());
  }));
  await Promise.all(providers.map(async (p) => {
    const id = machines.get(p.address);
    const v = await chain.submit(api.tx.sudo.sudo(api.tx.compute.verifyMachine(id, true)), alice, {}, false);
    if (v.error) throw new Error(`verify ${id}: ${v.error}`);
    const [b, l] = await Promise.all([chain.submit(api.tx.computeStaking.bond(id, 2_000n * PEC), p, {}, false), chain.submit(api.tx.market.listMachine(id), p, {}, false)]);
    if (b.error || l.error) throw new Error(`machine ${id}: ${b.error ?? l.error}`);
  }));
  return machines;
}

async function run(opts) {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const accounts = loadAccounts(keyring, opts.accounts);
  if (opts.command === 'spec') {
    writeSpec(opts.node, accounts, opts.out, opts.chain);
    console.log(`load: wrote ${opts.out} with ${accounts.length} load accounts endowed`);
    return;
  }
  let node;
  if (!opts.url) {
    if (!fs.existsSync(opts.node)) fail(`no node binary at ${opts.node} (build it, or pass --node / --url)`);
    node = await startNode(opts, accounts);
    opts.url = node.url;
    opts.nodeLog = node.log;
  }
  const stopNode = () => { if (node) { node.child.kill('SIGKILL'); fs.rmSync(node.dir, { recursive: true, force: true }); } };
  process.on('SIGINT', () => { stopNode(); process.exit(130); });
  try {
    const api = await connect(opts.url);
    await loadChain(api, opts, keyring, accounts);
    await api.disconnect();
  } finally {
    stopNode();
  }
}

async function connect(url) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const provider = new WsProvider(url, false);
      await provider.connect();
      await new Promise((resolve, reject) => { provider.on('connected', resolve); provider.on('error', reject); setTimeout(() => reject(new Error('timeout')), 2000); });
      return await ApiPromise.create({ provider, types: powerverseTypes, noInitWarn: true });
    } catch (e) {
      if (Date.now() > deadline) fail(`cannot reach ${url}: ${e.message}`);
      await sleep(1000);
    }
  }
}

async function loadChain(api, opts, keyring, accounts) {
  const chain = new Chain(api);
  const alice = keyring.addFromUri('//Alice');
  const market = opts.kinds.some((k) => k !== 'transfer');
  const providers = market ? accounts.slice(0, Math.floor(accounts.length / 4)) : [];
  const customers = accounts.slice(providers.length);
  const missing = (await api.query.system.account(customers[0].address)).data.free.toBigInt() === 0n;
  if (missing) fail(`the load accounts are not endowed on ${opts.url} (start the node on \`load.mjs spec\`'s output)`);

  let machines = new Map();
  if (providers.length) {
    const t = Date.now();
    machines = await setupMachines(chain, providers, alice);
    console.log(`load: ${machines.size} machines registered, verified, bonded and listed in ${Math.round((Date.now() - t) / 1000)} s`);
  }

  // Per-kind state: idle machines for rent/accept, open jobs, leases to claim on.
  const idle = [...providers];
  const jobs = [];
  const leases = [];
  // A machine's registration counts as its first heartbeat: the next is due a minute later.
  const lastBeat = new Map(providers.map((p) => [p.address, Date.now()]));
  const records = Object.fromEntries(opts.kinds.map((k) => [k, []]));
  const leaseOf = (rec) => rec.events?.find(({ event }) => api.events.market.LeaseStarted.is(event))?.event.data[0].toNumber();
  let cursor = 0;
  const next = (list) => list[(cursor++) % list.length];

  const makers = {
    transfer: () => { const from = next(customers); return [api.tx.balances.transferKeepAlive(next(customers).address, PEC), from]; },
    post_job: () => [api.tx.market.postJob({ minGpus: 1, gpuModel: null, minVramGib: 0, minCores: 0, minRamGib: 0, region: null }, 10n * PEC, 1, 'ipfs://load'), next(customers)],
    accept_job: () => {
      const job = jobs.shift();
      const p = idle.shift();
      if (job === undefined || !p) { if (job !== undefined) jobs.unshift(job); if (p) idle.push(p); return null; }
      return [api.tx.market.acceptJob(job, machines.get(p.address)), p, (rec) => { const l = leaseOf(rec); if (l !== undefined) leases.push({ lease: l, provider: p }); else idle.push(p); }];
    },
    rent: () => {
      const p = idle.shift();
      if (!p) return null;
      return [api.tx.market.rentMachine(machines.get(p.address), 1, 10n * PEC, 'ipfs://load'), next(customers), (rec) => { const l = leaseOf(rec); if (l !== undefined) leases.push({ lease: l, provider: p }); else idle.push(p); }];
    },
    heartbeat: () => {
      // At most one heartbeat a minute counts per machine (10 blocks); pick one due.
      const now = Date.now();
      const p = providers.find((q) => (lastBeat.get(q.address) ?? 0) < now - 61_000);
      if (!p) return null;
      lastBeat.set(p.address, now);
      return [api.tx.compute.heartbeat(machines.get(p.address)), p];
    },
    claim: () => { const l = leases.length ? leases[(cursor++) % leases.length] : null; return l ? [api.tx.market.claimEarnings(l.lease), l.provider] : null; },
  };

  // accept_job needs jobs: post one per provider first (not measured).
  if (opts.kinds.includes('accept_job')) {
    const posted = await Promise.all(providers.map((_, i) => chain.submit(makers.post_job()[0], customers[i % customers.length], {}, false)));
    for (const r of posted) {
      const e = r.events?.find(({ event }) => api.events.market.JobPosted.is(event));
      if (e) jobs.push(e.event.data[0].toNumber());
    }
  }
  // claim needs leases: rent a quarter of the machines first (not measured) when rent/accept do not.
  if (opts.kinds.includes('claim') && !opts.kinds.includes('rent') && !opts.kinds.includes('accept_job')) {
    const take = idle.splice(0, Math.max(1, Math.floor(idle.length / 4)));
    const rented = await Promise.all(take.map((p, i) => chain.submit(api.tx.market.rentMachine(machines.get(p.address), 24, 10n * PEC, 'ipfs://load'), customers[i % customers.length], {}, false)));
    rented.forEach((r, i) => { const l = leaseOf(r); if (l !== undefined) leases.push({ lease: l, provider: take[i] }); });
  }

  // Blocks: number, extrinsic count, normal-class weight; proposal times from the node's log.
  const blocks = new Map();
  const maxNormal = api.consts.system.blockWeights.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
  const unsubHeads = await chain.watch(async (hash, header) => {
    const weight = (await api.query.system.blockWeight.at(hash)).normal.refTime.toBigInt();
    blocks.set(hash, { number: header.number.toNumber(), fill: Number(weight) / Number(maxNormal) });
  });

  const startBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  console.log(`load: ${opts.kinds.join(', ')} at ${opts.rate} tx/s for ${opts.duration} s from ${accounts.length} accounts (block ${startBlock})`);
  const started = Date.now();
  const end = started + opts.duration * 1000;
  const pending = [];
  const samples = {};
  let sent = 0;
  let skipped = 0;
  while (Date.now() < end) {
    const due = Math.floor(((Date.now() - started) / 1000) * opts.rate);
    while (sent < due) {
      const kind = opts.kinds[sent % opts.kinds.length];
      sent += 1;
      const made = makers[kind]();
      if (!made) { skipped += 1; continue; }
      const [tx, signer, after] = made;
      if (!samples[kind]) samples[kind] = tx;
      const rec = { kind };
      records[kind].push(rec);
      pending.push(chain.fire(tx, signer, rec).then((r) => { if (after && r.inBlock && !r.error) after(r); else if (after && (r.error || !r.inBlock)) after({}); return r; }));
      if (kind === 'post_job') pending[pending.length - 1].then((r) => {
        const e = r.events?.find(({ event }) => api.events.market.JobPosted.is(event));
        if (e && opts.kinds.includes('accept_job')) jobs.push(e.event.data[0].toNumber());
      });
    }
    await sleep(20);
  }
  console.log(`load: stopped submitting after ${opts.duration} s; waiting up to 60 s for finality of ${chain.inflight} in flight`);
  await Promise.race([Promise.all(pending), sleep(60_000)]);
  unsubHeads();

  // Figures.
  const proposals = proposalTimes(opts.nodeLog);
  // What a block holds on paper: normal-class weight ÷ (the call's weight + the extrinsic base).
  const base = api.consts.system.blockWeights.perClass.normal.baseExtrinsic.refTime.toBigInt();
  const onPaper = {};
  for (const [kind, tx] of Object.entries(samples)) {
    const info = await api._rpcCore.provider.send('payment_queryInfo', [tx.toHex()]);
    const weight = BigInt(info.weight.ref_time ?? info.weight.refTime);
    onPaper[kind] = { weightUs: Number(weight) / 1e6, perBlock: Number(maxNormal / (weight + base)) };
  }
  const numberOf = (hash) => blocks.get(hash)?.number;
  const report = { kinds: {}, blocks: {} };
  for (const kind of opts.kinds) {
    const recs = records[kind];
    // In a block, whether the call succeeded or failed there (both fill the block).
    const included = recs.filter((r) => r.inBlock);
    const failed = recs.filter((r) => r.error);
    const perBlock = new Map();
    for (const r of included) { const n = numberOf(r.block); if (n !== undefined) perBlock.set(n, (perBlock.get(n) ?? 0) + 1); }
    const inBlockMs = included.map((r) => r.inBlock - r.submitted).sort((a, b) => a - b);
    const finalMs = included.filter((r) => r.finalized).map((r) => r.finalized - r.submitted).sort((a, b) => a - b);
    const last = Math.max(0, ...included.map((r) => r.inBlock));
    const span = included.length ? (last - started) / 1000 : null;
    report.kinds[kind] = {
      submitted: recs.length,
      included: included.length,
      succeeded: included.filter((r) => !r.error).length,
      failed: failed.length,
      errors: [...new Set(failed.map((r) => r.error))].slice(0, 5),
      maxPerBlock: perBlock.size ? Math.max(...perBlock.values()) : 0,
      meanPerBlock: perBlock.size ? mean([...perBlock.values()]) : 0,
      txPerSecond: span ? included.length / span : null,
      inBlockMeanMs: mean(inBlockMs), inBlockP95Ms: percentile(inBlockMs, 95),
      finalizedMeanMs: mean(finalMs), finalizedP95Ms: percentile(finalMs, 95),
      weightUs: onPaper[kind]?.weightUs ?? null,
      weightImpliedPerBlock: onPaper[kind]?.perBlock ?? null,
      ...actualFigures(included.filter((r) => !r.error), maxNormal, base),
    };
  }
  const loaded = [...blocks.values()].filter((b) => b.number > startBlock);
  const fills = loaded.map((b) => b.fill);
  const props = loaded.map((b) => proposals.get(b.number)).filter((x) => x !== undefined);
  report.baseExtrinsicUs = Number(base) / 1e6;
  report.blocks = {
    count: loaded.length,
    fillMean: mean(fills), fillMax: fills.length ? Math.max(...fills) : null,
    proposalMeanMs: mean(props), proposalMaxMs: props.length ? Math.max(...props) : null,
    skippedSubmissions: skipped,
  };
  print(report);
  if (opts.json) console.log(JSON.stringify(report));
  if (opts.record) {
    const included = Object.entries(records).flatMap(([kind, recs]) => recs.filter((r) => r.block && r.hash)
      .map((r) => ({ kind, hash: r.hash, block: r.block, number: r.number, ok: !r.error })));
    fs.writeFileSync(opts.record, JSON.stringify(included));
  }
}

/** Mean weight the succeeded calls actually used (after refunds) and how many of them fit
 *  a block by it: the block builder reclaims the unused part of each declared weight. */
function actualFigures(succeeded, maxNormal, base) {
  const weights = succeeded.map((r) => r.actual).filter((w) => w !== null && w !== undefined);
  if (!weights.length) return { actualUs: null, actualPerBlock: null };
  const meanWeight = weights.reduce((a, b) => a + b, 0n) / BigInt(weights.length);
  return { actualUs: Number(meanWeight - base) / 1e6, actualPerBlock: Number(maxNormal / meanWeight) };
}

/** `Prepared block for proposing at N (X ms)` lines of the node's log: block → ms. */
function proposalTimes(file) {
  const times = new Map();
  if (!file || !fs.existsSync(file)) return times;
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/Prepared block for proposing at (\d+) \((\d+) ms\)/g)) {
    times.set(Number(m[1]), Number(m[2]));
  }
  return times;
}

function print(report) {
  const f = (x, d = 0) => (x === null || x === undefined ? '-' : Number(x).toFixed(d));
  console.log('\nkind         submitted included succeeded failed  max/block mean/block   tx/s  inBlock mean/p95 ms  finalized mean/p95 ms');
  for (const [kind, k] of Object.entries(report.kinds)) {
    console.log(`${kind.padEnd(12)} ${String(k.submitted).padStart(9)} ${String(k.included).padStart(8)} ${String(k.succeeded).padStart(9)} ${String(k.failed).padStart(6)} ${String(k.maxPerBlock).padStart(10)} ${f(k.meanPerBlock, 1).padStart(10)} ${f(k.txPerSecond, 1).padStart(6)}  ${`${f(k.inBlockMeanMs)}/${f(k.inBlockP95Ms)}`.padStart(19)}  ${`${f(k.finalizedMeanMs)}/${f(k.finalizedP95Ms)}`.padStart(21)}`);
    if (k.weightUs !== null) console.log(`             weight ${f(k.weightUs, 1)} µs + base ${f(Number(report.baseExtrinsicUs), 1)} µs: ${k.weightImpliedPerBlock} per block on paper`);
    if (k.actualUs !== null) console.log(`             used after dispatch ${f(k.actualUs, 1)} µs + base (mean of the succeeded): ${k.actualPerBlock} per block by used weight`);
    if (k.errors.length) console.log(`             errors: ${k.errors.join('; ')}`);
  }
  const b = report.blocks;
  console.log(`\nblocks: ${b.count}; fill by weight (normal class) mean ${f(b.fillMean * 100, 1)}%, max ${f(b.fillMax * 100, 1)}%; proposal mean ${f(b.proposalMeanMs)} ms, max ${f(b.proposalMaxMs)} ms; submissions skipped (no idle machine, no job, no lease or heartbeat not due): ${b.skippedSubmissions}`);
}

run(parseArgs(process.argv.slice(2))).then(() => process.exit(0), (e) => { console.error(`load: ${e.stack ?? e}`); process.exit(1); });

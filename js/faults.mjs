// PowerVerse fault test bed: four validators of the local network, each in its own Linux network
// namespace (ip netns + veth pairs on one bridge, 10.77.0.0/24, nothing leaves the machine), under
// load (js/load.mjs: transfers and market calls from endowed accounts), while the harness kills,
// partitions and restarts them. Each scenario prints its figures and fails on a broken rule.
//
//   sudo node js/faults.mjs [--scenarios kill,partition,restart] [--load-seconds N]
//   node js/faults.mjs --smoke       (scripts/test.sh: the kill scenario with a short load)
//
// Needs root and iproute2 (`ip`). Run through scripts/faults.sh (docs/validator.md#faults).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { blake2AsHex, cryptoWaitReady, xxhashAsHex } from '@polkadot/util-crypto';
import { powerverseTypes } from './powerverse-rpc.js';
import { nodeBinary, PEC } from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const NAMES = ['alice', 'bob', 'charlie', 'dave'];
const NET = '10.77.0';
const BRIDGE = 'pvfbr0';
const ns = (i) => `pvf${i}`;
const ip = (i) => `${NET}.${i + 1}`;
const url = (i) => `ws://${ip(i)}:9944`;
const SCENARIOS = ['kill', 'partition', 'restart'];
const USAGE = `usage: faults.mjs [--scenarios ${SCENARIOS.join(',')}] [--load-seconds N] [--accounts K] [--smoke]`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// polkadot.js logs each failed RPC itself (nodes are killed on purpose here): keep the output to figures.
const consoleError = console.error;
console.error = (...args) => { if (!/RPC-CORE|API-WS|disconnected|Unable to/.test(args.map(String).join(' '))) consoleError(...args); };

function fail(message) {
  consoleError(`faults: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { scenarios: [...SCENARIOS], loadSeconds: 240, accounts: 40, smoke: false };
  const args = [...argv];
  while (args.length) {
    const flag = args.shift();
    const number = (min, max) => {
      const v = args.shift();
      if (!/^\d+$/.test(v ?? '') || Number(v) < min || Number(v) > max) fail(`${flag} must be ${min}..${max}, got "${v ?? ''}"`);
      return Number(v);
    };
    switch (flag) {
      case '--scenarios': {
        const list = (args.shift() ?? '').split(',').filter(Boolean);
        const unknown = list.filter((s) => !SCENARIOS.includes(s));
        if (!list.length || unknown.length) fail(`unknown scenario(s): ${unknown.join(', ') || '(none given)'}`);
        opts.scenarios = list;
        break;
      }
      case '--load-seconds': opts.loadSeconds = number(30, 3600); break;
      case '--accounts': opts.accounts = number(8, 1000); break;
      case '--smoke': opts.smoke = true; opts.scenarios = ['kill']; opts.loadSeconds = 60; opts.accounts = 16; break;
      case '--help': case '-h': console.log(USAGE); process.exit(0); break;
      default: fail(`unknown option "${flag}"`);
    }
  }
  if (process.getuid?.() !== 0) fail('network namespaces need root (run as root or with sudo)');
  try { execFileSync('ip', ['-V'], { stdio: 'ignore' }); } catch (_) { fail('`ip` (iproute2) is not installed'); }
  return opts;
}

function sh(...args) {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
function shQuiet(...args) {
  try { sh(...args); } catch (_) { /* already gone */ }
}

/** The namespaces, bridge and nodes; removes everything it made, also after a crash of an
 *  earlier run. */
class Bed {
  constructor(dir, spec) {
    this.dir = dir;
    this.spec = spec;
    this.nodes = [];
    this.blackholes = [];
  }

  up() {
    this.down();
    sh('link', 'add', BRIDGE, 'type', 'bridge');
    // Hosts with br_netfilter (e.g. Docker's) send bridged frames through iptables FORWARD,
    // whose policy may drop them: let the bed's own traffic pass while it runs.
    this.forwardRule = false;
    try {
      if (fs.readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').trim() === '1') {
        execFileSync('iptables', ['-I', 'FORWARD', '-i', BRIDGE, '-o', BRIDGE, '-j', 'ACCEPT'], { stdio: 'ignore' });
        this.forwardRule = true;
      }
    } catch (_) { /* no br_netfilter, or no iptables: nothing filters the bridge */ }
    sh('addr', 'add', `${NET}.254/24`, 'dev', BRIDGE);
    sh('link', 'set', BRIDGE, 'up');
    NAMES.forEach((_, i) => {
      sh('netns', 'add', ns(i));
      sh('link', 'add', `pvfh${i}`, 'type', 'veth', 'peer', 'name', `pvfn${i}`);
      sh('link', 'set', `pvfn${i}`, 'netns', ns(i));
      sh('link', 'set', `pvfh${i}`, 'master', BRIDGE, 'up');
      sh('-n', ns(i), 'addr', 'add', `${ip(i)}/24`, 'dev', `pvfn${i}`);
      sh('-n', ns(i), 'link', 'set', `pvfn${i}`, 'up');
      sh('-n', ns(i), 'link', 'set', 'lo', 'up');
      const key = path.join(this.dir, `${NAMES[i]}.node-key`);
      execFileSync(nodeBinary, ['key', 'generate-node-key', '--file', key], { stdio: 'ignore' });
      const peer = execFileSync(nodeBinary, ['key', 'inspect-node-key', '--file', key], { encoding: 'utf8' }).trim();
      this.nodes[i] = { key, peer, child: null, log: path.join(this.dir, `${NAMES[i]}.log`) };
    });
  }

  down() {
    for (const node of this.nodes) if (node?.child) node.child.kill('SIGKILL');
    // Whatever still runs inside a namespace (a crashed earlier run's validators) dies with it.
    NAMES.forEach((_, i) => {
      try {
        for (const pid of execFileSync('ip', ['netns', 'pids', ns(i)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(/\s+/).filter(Boolean)) {
          try { process.kill(Number(pid), 'SIGKILL'); } catch (_) { /* gone */ }
        }
      } catch (_) { /* no such namespace */ }
    });
    if (this.forwardRule) {
      try { execFileSync('iptables', ['-D', 'FORWARD', '-i', BRIDGE, '-o', BRIDGE, '-j', 'ACCEPT'], { stdio: 'ignore' }); } catch (_) { /* gone */ }
      this.forwardRule = false;
    }
    // The host ends first (deleting one end deletes the pair at once; a deleted namespace's
    // devices go away asynchronously in the kernel).
    NAMES.forEach((_, i) => shQuiet('link', 'del', `pvfh${i}`));
    NAMES.forEach((_, i) => shQuiet('netns', 'del', ns(i)));
    shQuiet('link', 'del', BRIDGE);
  }

  /** Starts validator `i` on its kept base path. */
  start(i) {
    const node = this.nodes[i];
    const peers = NAMES.map((_, j) => j).filter((j) => j !== i).map((j) => `/ip4/${ip(j)}/tcp/30333/p2p/${this.nodes[j].peer}`);
    if (node.fd !== undefined) fs.closeSync(node.fd);
    const out = fs.openSync(node.log, 'a');
    node.fd = out;
    node.child = spawn('ip', ['netns', 'exec', ns(i), nodeBinary, '--chain', this.spec, `--${NAMES[i]}`, '--validator',
      '--base-path', path.join(this.dir, NAMES[i]), '--node-key-file', node.key, '--listen-addr', `/ip4/${ip(i)}/tcp/30333`,
      '--bootnodes', ...peers, '--unsafe-rpc-external', '--rpc-methods', 'safe', '--rpc-port', '9944', '--rpc-cors', 'all',
      '--rpc-max-connections', '1000', '--pool-limit', '100000', '--no-mdns', '--no-prometheus', '--no-telemetry'],
    { stdio: ['ignore', out, out] });
    node.started = Date.now();
  }

  /** `kill -9` of validator `i` (`ip netns exec` runs the node in its own process). */
  kill9(i) {
    const node = this.nodes[i];
    node.child.kill('SIGKILL');
    node.child = null;
  }

  /** Drops all traffic between the two groups (routes to the other side's addresses are
   *  blackholed inside each namespace); the harness still reaches every node. */
  partition(a, b) {
    for (const [from, to] of [...a.flatMap((x) => b.map((y) => [x, y])), ...b.flatMap((y) => a.map((x) => [y, x]))]) {
      sh('-n', ns(from), 'route', 'add', 'blackhole', `${ip(to)}/32`);
      this.blackholes.push([from, to]);
    }
  }

  heal() {
    for (const [from, to] of this.blackholes) shQuiet('-n', ns(from), 'route', 'del', 'blackhole', `${ip(to)}/32`);
    this.blackholes = [];
  }
}

/** A JSON-RPC call over HTTP to validator `i`, or undefined if it does not answer. */
async function call(i, method, params = []) {
  try {
    const res = await fetch(`http://${ip(i)}:9944`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      signal: AbortSignal.timeout(5000),
    });
    return (await res.json()).result;
  } catch (_) {
    return undefined;
  }
}

async function heads(i) {
  const [bestHash, fin] = await Promise.all([call(i, 'chain_getBlockHash'), call(i, 'chain_getFinalizedHead')]);
  if (!bestHash || !fin) return undefined;
  const [best, finHeader] = await Promise.all([call(i, 'chain_getHeader', [bestHash]), call(i, 'chain_getHeader', [fin])]);
  if (!best || !finHeader) return undefined;
  return { best: parseInt(best.number, 16), bestHash, finalized: parseInt(finHeader.number, 16), finalizedHash: fin };
}

async function waitUntil(what, ms, check) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return Date.now();
    await sleep(500);
  }
  throw new Error(`${what}: not within ${ms / 1000} s`);
}

/** Samples every live node's finalized head each second: finalized blocks seen (to check none
 *  is ever reverted), the largest finality lag and stalls. */
class Observer {
  constructor(bed) {
    this.bed = bed;
    this.finalized = new Map(); // number -> hash
    this.maxLag = 0;
    this.bestSeen = new Map(); // best block hash seen on any node -> number (this scenario)
    this.highest = 0; // the highest finalized number seen
    this.lastRise = Date.now(); // when the finalized head last went up
    this.longestStall = 0; // ms without the finalized head going up (this scenario)
    this.running = true;
    this.samples = [];
    this.error = null;
    this.loop = this.run().catch((e) => { this.error = e; this.running = false; });
  }
  async run() {
    while (this.running) {
      const t = Date.now();
      const seen = await Promise.all(NAMES.map(async (_, i) => (this.bed.nodes[i].child ? heads(i) : undefined)));
      seen.forEach((h) => {
        if (!h) return;
        this.bestSeen.set(h.bestHash, h.best);
        this.maxLag = Math.max(this.maxLag, h.best - h.finalized);
        const known = this.finalized.get(h.finalized);
        if (known && known !== h.finalizedHash) throw new Error(`two finalized blocks at #${h.finalized}: ${known} and ${h.finalizedHash}`);
        this.finalized.set(h.finalized, h.finalizedHash);
      });
      const top = Math.max(0, ...seen.filter(Boolean).map((h) => h.finalized));
      if (top > this.highest) { this.highest = top; this.lastRise = t; }
      this.longestStall = Math.max(this.longestStall, t - this.lastRise);
      this.samples.push({ t, finalized: top });
      await sleep(Math.max(0, 1000 - (Date.now() - t)));
    }
  }
  /** A scenario starts: its lag, stall and best blocks are counted afresh. */
  beginScenario() {
    this.maxLag = 0;
    this.longestStall = 0;
    this.lastRise = Date.now();
    this.bestSeen = new Map();
  }
  /** Best blocks seen during the scenario, at or below the final finalized height, that are not
   *  on the final chain (asked of node `i`): the blocks reorged away. */
  async reorged(i) {
    const fin = await must(() => heads(i), 'heads');
    let n = 0;
    for (const [hash, number] of this.bestSeen) {
      if (number > fin.finalized) continue;
      if ((await must(() => call(i, 'chain_getBlockHash', [number]), `block hash #${number}`)) !== hash) n += 1;
    }
    return n;
  }
  /** Highest finalized number any live node reports now. */
  top() {
    if (this.error) throw this.error;
    return this.samples.length ? this.samples[this.samples.length - 1].finalized : 0;
  }
  async stop() {
    this.running = false;
    await this.loop;
    if (this.error) throw this.error;
  }
  /** Every finalized block seen is still the block at its height on every live node. */
  async checkNoRevert() {
    for (const i of NAMES.keys()) {
      if (!this.bed.nodes[i].child) continue;
      for (const [n, hash] of this.finalized) {
        const at = await call(i, 'chain_getBlockHash', [n]);
        if (at !== hash) throw new Error(`${NAMES[i]}: finalized #${n} was ${hash}, now ${at}`);
      }
    }
    return this.finalized.size;
  }
}

/** Transfers of distinct amounts to a sink every two seconds through a node no scenario stops
 *  (Bob's); at the end the sink holds exactly what was finalized (no accepted transaction is
 *  lost, also across reorgs: a retracted transfer is watched until it is finalized again). */
class Ledger {
  constructor(keyring) {
    this.from = keyring.addFromUri('//faults//payer');
    this.sink = keyring.addFromUri('//faults//sink');
    this.finalized = 0n;
    this.finalizedCount = 0;
    this.pending = 0;
    this.nonce = null;
    this.sent = 0;
    this.lost = 0;
    this.running = false;
  }
  async start(apis) {
    this.running = true;
    this.apis = apis;
    this.loop = (async () => {
      let k = 0;
      while (this.running) {
        const api = this.apis[k % this.apis.length];
        k += 1;
        const amount = PEC + BigInt(k);
        this.sent += 1;
        this.send(api, amount).catch(() => { this.nonce = null; });
        await sleep(2000);
      }
    })();
  }
  async send(api, amount) {
    // Nonces counted here (asked of the node once, and again after a refusal).
    if (this.nonce === null) this.nonce = (await api.rpc.system.accountNextIndex(this.from.address)).toNumber();
    const nonce = this.nonce;
    this.nonce += 1;
    this.pending += 1;
    return new Promise((resolve) => {
      let unsub;
      const refused = () => { this.nonce = null; this.pending -= 1; if (unsub) unsub(); resolve(); };
      api.tx.balances.transferKeepAlive(this.sink.address, amount).signAndSend(this.from, { nonce }, ({ status }) => {
        if (status.isFinalized) {
          this.finalized += amount;
          this.finalizedCount += 1;
          this.pending -= 1;
          if (unsub) unsub();
          resolve();
        } else if (status.isDropped || status.isInvalid || status.isUsurped) {
          refused();
        }
      }).then((u) => { unsub = u; }, refused);
    });
  }
  async stop() {
    this.running = false;
    await this.loop;
    // The last ones reach finality (or are refused): at most 30 s.
    const deadline = Date.now() + 30_000;
    while (this.pending > 0 && Date.now() < deadline) await sleep(500);
  }
}

async function connect(i) {
  const api = await ApiPromise.create({ provider: new WsProvider(url(i), 1000), types: powerverseTypes, noInitWarn: true, throwOnConnect: false });
  const ready = await Promise.race([api.isReady.then(() => true), sleep(60_000).then(() => false)]);
  if (!ready) throw new Error(`${NAMES[i]}'s RPC not ready within 60 s`);
  return api;
}

/** Σ free + reserved over every account == total issuance, at `hash`. */
async function conserved(api, hash) {
  const at = await api.at(hash);
  const [issuance, accounts] = await Promise.all([at.query.balances.totalIssuance(), at.query.system.account.entries()]);
  const sum = accounts.reduce((s, [, a]) => s + a.data.free.toBigInt() + a.data.reserved.toBigInt(), 0n);
  return { issuance: issuance.toBigInt(), sum, accounts: accounts.length };
}

/** Starts the load tool against validator `i` for `seconds` (it sets up machines first). */
function startLoad(i, opts) {
  const args = [path.join(here, 'load.mjs'), '--url', url(i), '--accounts', String(opts.accounts),
    '--kinds', 'transfer,post_job,accept_job,heartbeat,claim', '--rate', '20', '--duration', String(opts.loadSeconds),
    '--record', opts.recordFile];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, POWERVERSE_NODE: nodeBinary } });
  child.output = '';
  child.stdout.on('data', (d) => { child.output += d; });
  child.stderr.on('data', (d) => { child.output += d; });
  child.done = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return child;
}

const report = [];
function figure(scenario, name, value) {
  report.push({ scenario, name, value });
  console.log(`faults: ${scenario}: ${name} = ${value}`);
}

async function scenarioKill(bed, obs, opts) {
  // kill -9 Alice under load: 3 of 4 keep finalizing; she restarts, catches up and votes again.
  const before = obs.top();
  const killedAt = Date.now();
  bed.kill9(0);
  await waitUntil('finality continues with 3 of 4', 60_000, async () => obs.top() >= before + 3);
  figure('kill', 'finality continued (s after kill -9, 3 more blocks)', ((Date.now() - killedAt) / 1000).toFixed(1));
  await sleep(opts.smoke ? 5_000 : 20_000);
  const restartAt = Date.now();
  bed.start(0);
  await waitUntil('the killed validator restarts from its database and catches up', 120_000, async () => {
    const h = await heads(0);
    return h && h.finalized >= obs.top() - 1;
  });
  figure('kill', 'restart to caught up (s)', ((Date.now() - restartAt) / 1000).toFixed(1));
  // She votes again: with Dave down too, finality needs her (3 of 4).
  bed.kill9(3);
  const mark = obs.top();
  const t = Date.now();
  await waitUntil('finality with the restarted validator voting (Dave down)', 90_000, async () => obs.top() >= mark + 2);
  figure('kill', 'finality with her vote and Dave down (s)', ((Date.now() - t) / 1000).toFixed(1));
  bed.start(3);
  await waitUntil('Dave back', 120_000, async () => (await heads(3))?.finalized >= obs.top() - 1);
}

async function scenarioPartition(bed, obs, api) {
  // 2 | 2: no side has 2/3, finality stops; authoring goes on on both sides; heal: one chain.
  const before = obs.top();
  bed.partition([0, 1], [2, 3]);
  const t0 = Date.now();
  await sleep(30_000);
  const stalled = obs.top();
  const [a, b] = await Promise.all([heads(0), heads(2)]);
  figure('partition', 'finalized during 30 s of partition (blocks)', stalled - before);
  if (stalled > before + 1) throw new Error(`finality went on in a 2|2 partition: #${before} -> #${stalled}`);
  const bestA = await call(0, 'chain_getHeader');
  const bestB = await call(2, 'chain_getHeader');
  figure('partition', 'authoring during partition (best A, best B)', `${a?.best}, ${b?.best}`);
  const forkA = []; const forkB = [];
  for (const [i, list, head] of [[0, forkA, bestA], [2, forkB, bestB]]) {
    let h = head;
    while (h && parseInt(h.number, 16) > stalled) {
      list.push(await call(i, 'chain_getBlockHash', [parseInt(h.number, 16)]));
      h = await call(i, 'chain_getHeader', [h.parentHash]);
    }
  }
  bed.heal();
  const healed = Date.now();
  await waitUntil('finality resumes after the heal', 180_000, async () => obs.top() >= stalled + 2);
  figure('partition', 'heal to finality resumed (s)', ((Date.now() - healed) / 1000).toFixed(1));
  await waitUntil('every node on one finalized chain', 120_000, async () => {
    const hs = await Promise.all(NAMES.map((_, i) => heads(i)));
    if (hs.some((h) => !h)) return false;
    const n = Math.min(...hs.map((h) => h.finalized));
    const hashes = await Promise.all(NAMES.map((_, i) => call(i, 'chain_getBlockHash', [n])));
    return hashes.every((x) => x === hashes[0]);
  });
  const canonical = new Set(await Promise.all([...forkA, ...forkB].map(async (h) => {
    const header = await call(1, 'chain_getHeader', [h]);
    const n = header ? parseInt(header.number, 16) : -1;
    return (await call(1, 'chain_getBlockHash', [n])) === h ? h : null;
  })));
  const reorged = [...forkA, ...forkB].filter((h) => !canonical.has(h)).length;
  figure('partition', 'blocks reorged away (the losing side)', reorged);
  const fin = await call(1, 'chain_getFinalizedHead');
  const c = await conserved(api, fin);
  figure('partition', 'PEC conserved (Σ free+reserved == issuance)', `${c.sum === c.issuance} over ${c.accounts} accounts`);
  if (c.sum !== c.issuance) throw new Error(`Σ free+reserved ${c.sum} != issuance ${c.issuance}`);
  void t0;
}

async function scenarioRestart(bed, obs, api) {
  // Charlie stops mid-lease (and mid-era) and restarts from his kept database: his market
  // state and accruals at a finalized block equal his peers'.
  const leases = (await api.query.market.leases.entries()).map(([k]) => k.args[0].toNumber());
  if (!leases.length) throw new Error('no lease is running: the load made none');
  bed.kill9(2);
  await sleep(15_000);
  const t = Date.now();
  bed.start(2);
  await waitUntil('Charlie catches up', 120_000, async () => (await heads(2))?.finalized >= obs.top() - 1);
  figure('restart', 'restart from the kept database to caught up (s)', ((Date.now() - t) / 1000).toFixed(1));
  const fin = await must(() => call(1, 'chain_getFinalizedHead'), 'finalized head');
  const finNumber = parseInt((await must(() => call(1, 'chain_getHeader', [fin]), 'finalized header')).number, 16);
  await waitUntil('Charlie has finalized the compared block', 60_000, async () => ((await heads(2))?.finalized ?? 0) >= finNumber);
  let compared = 0;
  for (const id of leases.slice(0, 10)) {
    const [mine, theirs] = await Promise.all([call(2, 'powerverse_lease', [id, fin]), call(1, 'powerverse_lease', [id, fin])]);
    if (theirs === undefined) continue; // settled by then: nothing to compare
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) throw new Error(`lease ${id} differs after the restart: ${JSON.stringify(mine)} vs ${JSON.stringify(theirs)}`);
    compared += 1;
  }
  if (compared === 0) throw new Error('no lease left to compare after the restart');
  figure('restart', 'leases compared with a peer at the same finalized block (equal)', compared);
  // Every storage entry of the market, the staking (bonds, stakes, the reward pool and its
  // accruals) and the machines, read from Charlie's restarted database and from Bob's.
  let entries = 0;
  for (const pallet of ['Market', 'ComputeStaking', 'Compute']) {
    const [mine, theirs] = await Promise.all([storageOf(2, pallet, fin), storageOf(1, pallet, fin)]);
    if (mine.size !== theirs.size) throw new Error(`${pallet}: ${mine.size} entries on Charlie, ${theirs.size} on Bob after the restart`);
    for (const [k, v] of theirs) {
      if (mine.get(k) !== v) throw new Error(`${pallet}: ${k} differs on Charlie after the restart`);
    }
    entries += theirs.size;
  }
  figure('restart', 'market, staking and compute storage entries equal to a peer\'s (same finalized block)', entries);
  const header = await call(1, 'chain_getHeader', [fin]);
  const eraLength = api.consts.computeStaking.eraLength.toNumber();
  const n = parseInt(header.number, 16);
  figure('restart', 'era position at the compared block (mid-era: block of the era / era length)', `${n % eraLength} / ${eraLength}`);
}

/** Every storage entry under `pallet`'s prefix on node `i` at block `at`: key -> value. */
async function storageOf(i, pallet, at) {
  const prefix = xxhashAsHex(pallet, 128);
  const keys = [];
  for (let start = null; ;) {
    const page = await call(i, 'state_getKeysPaged', [prefix, 1000, start, at]);
    if (!Array.isArray(page)) throw new Error(`${NAMES[i]}: state_getKeysPaged(${pallet}) failed`);
    keys.push(...page);
    if (page.length < 1000) break;
    start = page[page.length - 1];
  }
  const out = new Map();
  for (let k = 0; k < keys.length; k += 200) {
    const res = await call(i, 'state_queryStorageAt', [keys.slice(k, k + 200), at]);
    if (!Array.isArray(res)) throw new Error(`${NAMES[i]}: state_queryStorageAt(${pallet}) failed`);
    for (const set of res) for (const [key, value] of set.changes) out.set(key, value);
  }
  return out;
}

/** Every call the load tool saw included (its `--record` file) is on the final chain: its block
 *  is the one at its height on node `i`, or, when that block was reorged away, the same
 *  extrinsic is in a later block of the final chain. Returns the counts. */
async function checkIncluded(i, file, api) {
  const calls = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!calls.length) return { included: 0, onFinalChain: 0, reincluded: 0, lost: 0, byKind: {} };
  // Every block a call was seen in is finalized (or replaced by a finalized one) first, so the
  // check reads only the final chain.
  const last = Math.max(...calls.map((c) => c.number));
  await waitUntil('finality passes the load\'s last block', 180_000, async () => ((await heads(i))?.finalized ?? 0) >= last + 2);
  const fin = (await must(() => heads(i), 'heads')).finalized;
  const canonical = new Map(); // number -> hash on the final chain
  const at = async (n) => {
    if (!canonical.has(n)) canonical.set(n, await must(() => call(i, 'chain_getBlockHash', [n]), `block hash #${n}`));
    return canonical.get(n);
  };
  const extrinsicsOf = new Map(); // number -> extrinsic hashes of the final chain's block, in order
  const inBlock = async (n) => {
    if (!extrinsicsOf.has(n)) {
      const hash = await at(n);
      const block = await must(() => call(i, 'chain_getBlock', [hash]), `block #${n}`);
      extrinsicsOf.set(n, block.block.extrinsics.map((x) => blake2AsHex(x, 256)));
    }
    return extrinsicsOf.get(n);
  };
  const counts = { included: calls.length, onFinalChain: 0, reincluded: 0, lost: 0, byKind: {} };
  for (const c of calls) {
    counts.byKind[c.kind] = (counts.byKind[c.kind] ?? 0) + 1;
    if ((await at(c.number)) === c.block) { counts.onFinalChain += 1; continue; }
    // Its block was reorged away: the same extrinsic must be in a later finalized block, with
    // the same outcome (a call that succeeded must succeed again: its effect is there).
    let found = null;
    for (let n = c.number; n <= Math.min(fin, c.number + 60) && !found; n += 1) {
      const index = (await inBlock(n)).indexOf(c.hash);
      if (index >= 0) found = { n, index };
    }
    let effect = Boolean(found);
    if (found && c.ok) {
      const events = await (await api.at(await at(found.n))).query.system.events();
      effect = events.some(({ phase, event }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === found.index
        && api.events.system.ExtrinsicSuccess.is(event));
    }
    if (effect) counts.reincluded += 1; else counts.lost += 1;
  }
  return counts;
}

/** `f()` until it gives a value (3 tries, a second apart); throws naming `what` otherwise. */
async function must(f, what) {
  for (let k = 0; k < 3; k += 1) {
    const v = await f();
    if (v !== undefined && v !== null) return v;
    await sleep(1000);
  }
  throw new Error(`no answer from the node for ${what}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await cryptoWaitReady();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pv-faults-'));
  const spec = path.join(dir, 'spec.json');
  execFileSync(process.execPath, [path.join(here, 'load.mjs'), 'spec', '--chain', 'local', '--accounts', String(opts.accounts), '--out', spec],
    { stdio: 'inherit', env: { ...process.env, POWERVERSE_NODE: nodeBinary } });
  // A test network: Alice holds the sudo key, so the load tool can verify its machines, and the
  // fault ledger's payer is endowed.
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const ledger = new Ledger(keyring);
  let text = fs.readFileSync(spec, 'utf8');
  for (const needle of ['"sudo":{"key":null}', '"balances":{"balances":[']) {
    if (!text.includes(needle)) throw new Error(`the local spec has no ${needle}: the load tool's spec format changed`);
  }
  text = text.replace('"sudo":{"key":null}', `"sudo":{"key":"${alice.address}"}`);
  text = text.replace('"balances":{"balances":[', `"balances":{"balances":[["${ledger.from.address}",1000000000000000],`);
  fs.writeFileSync(spec, text);

  opts.recordFile = path.join(dir, 'load-calls.json');
  const bed = new Bed(dir, spec);
  let load;
  const cleanup = () => { load?.kill('SIGKILL'); bed.down(); };
  process.on('exit', cleanup);
  process.on('SIGINT', () => process.exit(130));
  process.on('SIGTERM', () => process.exit(143));
  process.on('SIGHUP', () => process.exit(129));
  const started = Date.now();
  bed.up();
  NAMES.forEach((_, i) => bed.start(i));
  await waitUntil('the 4 validators finalize', 180_000, async () => ((await heads(1))?.finalized ?? 0) >= 2);
  figure('setup', 'network up and finalizing (s)', ((Date.now() - started) / 1000).toFixed(1));

  const apiB = await connect(1);
  const obs = new Observer(bed);
  load = startLoad(1, opts);
  await ledger.start([apiB]);
  let ok = true;
  try {
    // Let the load tool set up its machines and reach steady load.
    await waitUntil('the load runs', 240_000, async () => {
      if (load.exitCode !== null) throw new Error(`the load tool exited with ${load.exitCode}:\n${load.output.slice(-2000)}`);
      return /machines registered|sending/.test(load.output);
    });
    await sleep(opts.smoke ? 5_000 : 20_000);
    for (const s of opts.scenarios) {
      const t = Date.now();
      obs.beginScenario();
      if (s === 'kill') await scenarioKill(bed, obs, opts);
      if (s === 'partition') await scenarioPartition(bed, obs, apiB);
      if (s === 'restart') await scenarioRestart(bed, obs, apiB);
      // The three figures of every scenario.
      figure(s, 'time to recover finality: longest stall of the finalized head (s)', (obs.longestStall / 1000).toFixed(1));
      figure(s, 'max finality lag (blocks, best - finalized on any node)', obs.maxLag);
      figure(s, 'blocks reorged (best blocks seen, not on the final chain)', await obs.reorged(1));
      figure(s, 'scenario time (s)', ((Date.now() - t) / 1000).toFixed(1));
    }
    await ledger.stop();
    const code = await Promise.race([load.done, sleep((opts.loadSeconds + 300) * 1000).then(() => 'hung')]);
    if (code !== 0) throw new Error(`the load tool exited with ${code}:\n${load.output.slice(-2000)}`);
    const loadFigures = load.output.split('\n').filter((l) => /^(kind|transfer|post_job|accept_job|rent|heartbeat|claim)\b|included per block|block fill/.test(l.trim())).slice(0, 14);
    loadFigures.forEach((l) => console.log(`faults: load: ${l.trim()}`));
    // No accepted transaction lost: every call of the load (transfers and market calls) that was
    // included is on the final chain — in its block, or again after a reorg.
    const inc = await checkIncluded(1, opts.recordFile, apiB);
    figure('all', 'load calls included / in their block on the final chain / included again after a reorg / lost',
      `${inc.included} / ${inc.onFinalChain} / ${inc.reincluded} / ${inc.lost} (${Object.entries(inc.byKind).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    if (inc.lost) throw new Error(`${inc.lost} included load calls are not on the final chain`);
    if (!inc.included) throw new Error('the load tool recorded no included call');
    const fin = await call(1, 'chain_getFinalizedHead');
    const sink = (await (await apiB.at(fin)).query.system.account(ledger.sink.address)).data.free.toBigInt();
    figure('ledger', 'transfers sent / finalized / sink holds exactly the finalized amount', `${ledger.sent} / ${ledger.finalizedCount} / ${ledger.finalized === sink}`);
    if (ledger.finalizedCount < ledger.sent / 2) throw new Error(`only ${ledger.finalizedCount} of ${ledger.sent} transfers were finalized`);
    if (sink !== ledger.finalized) throw new Error(`the sink holds ${sink}, finalized transfers paid ${ledger.finalized}: a transaction was lost`);
    await obs.stop();
    const checked = await obs.checkNoRevert();
    figure('all', 'finalized blocks seen, none reverted', checked);
    const c = await conserved(apiB, fin);
    if (c.sum !== c.issuance) throw new Error(`Σ free+reserved ${c.sum} != issuance ${c.issuance}`);
    figure('all', 'PEC conserved at the end', `${c.accounts} accounts`);
  } catch (e) {
    ok = false;
    consoleError(`faults: FAILED: ${e.message}`);
    for (const [i, n] of NAMES.entries()) {
      consoleError(`--- ${n} (last lines) ---\n${fs.readFileSync(bed.nodes[i].log, 'utf8').split('\n').slice(-8).join('\n')}`);
    }
    load.kill('SIGKILL');
  }
  obs.running = false;
  await apiB.disconnect().catch(() => {});
  figure('all', 'total time (s)', ((Date.now() - started) / 1000).toFixed(1));
  bed.down();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(ok ? 0 : 1);
}

main().catch((e) => { consoleError(`faults: ${e.stack ?? e}`); process.exit(1); });

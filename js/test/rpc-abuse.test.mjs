// RPC abuse on a public node configured as docs/validator.md ("Exposing RPC publicly") says: a
// full node (not a validator) syncing from a dev validator, with `--rpc-external --rpc-methods
// safe`, a per-connection rate limit, request/response size, batch, connection and subscription
// limits. Unsafe methods are refused; oversized requests and batches are refused; malformed JSON
// and SCALE get errors; 1,000 connections holding 16,000 subscriptions and a connection flooding
// calls do not stop the node serving a well-behaved client, whose latency is measured and printed.
//
//   POWERVERSE_NODE=target/release/powerverse-node node --test js/test/rpc-abuse.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { compactAddLength, compactStripLength, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { nodeBinary, freePort, startNode, waitForRpc } from '../support.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'powerverse-rpc-abuse-'));
const nodes = [];
let rpcPort;
let http;
let ws;

// The public node's limits (docs/validator.md).
const RATE_PER_MINUTE = 600;
const MAX_CONNECTIONS = 1200;
const MAX_REQUEST_MB = 1;
const MAX_BATCH = 16;
const MAX_SUBSCRIPTIONS = 64;

before(async () => {
  const keyFile = path.join(dir, 'validator.node-key');
  const peerId = spawnSync(nodeBinary, ['key', 'generate-node-key', '--file', keyFile], { encoding: 'utf8' }).stderr.trim();
  const [vRpc, vP2p, p2p] = [await freePort(), await freePort(), await freePort()];
  rpcPort = await freePort();
  nodes.push(startNode(['--dev', '--base-path', path.join(dir, 'validator'), '--node-key-file', keyFile,
    '--rpc-port', String(vRpc), '--port', String(vP2p), '--no-prometheus', '--no-telemetry', '--no-mdns']));
  nodes.push(startNode(['--chain', 'dev', '--base-path', path.join(dir, 'public'), '--port', String(p2p),
    '--bootnodes', `/ip4/127.0.0.1/tcp/${vP2p}/p2p/${peerId}`,
    '--rpc-external', '--rpc-methods', 'safe', '--rpc-port', String(rpcPort), '--rpc-cors', 'all',
    '--rpc-rate-limit', String(RATE_PER_MINUTE), '--rpc-max-connections', String(MAX_CONNECTIONS),
    '--rpc-max-request-size', String(MAX_REQUEST_MB), '--rpc-max-response-size', '16',
    '--rpc-max-batch-request-len', String(MAX_BATCH), '--rpc-max-subscriptions-per-connection', String(MAX_SUBSCRIPTIONS),
    '--no-prometheus', '--no-telemetry', '--no-mdns']));
  http = `http://127.0.0.1:${rpcPort}`;
  await waitForRpc(http, 120_000);
  ws = await open();
});

after(async () => {
  ws?.close();
  for (const n of nodes) n.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A WebSocket to the public node, resolved once open. */
function open() {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${rpcPort}`);
    socket.pending = new Map();
    socket.next = 1;
    socket.on('message', (data) => {
      for (const msg of [JSON.parse(data)].flat()) {
        const p = socket.pending.get(msg.id);
        if (p) { socket.pending.delete(msg.id); p(msg); }
      }
    });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    // A closed socket fails what it still owes instead of hanging the suite.
    socket.on('close', () => {
      for (const p of socket.pending.values()) p({ error: { code: 0, message: 'socket closed' } });
      socket.pending.clear();
    });
  });
}

/** One call on `socket`; resolves with the whole response (result or error). */
function wsCall(socket, method, params = [], ms = 30_000) {
  const id = socket.next++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.pending.delete(id);
      resolve({ error: { code: 0, message: `no answer to ${method} within ${ms} ms` } });
    }, ms);
    socket.pending.set(id, (msg) => { clearTimeout(timer); resolve(msg); });
    socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  });
}

async function post(body) {
  const res = await fetch(http, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch (_) { json = undefined; }
  return { status: res.status, json, text };
}

/** The well-behaved client's latency: `n` calls of chain_getHeader, `gap` ms apart. */
async function latency(n, gap = 0) {
  const ms = [];
  for (let i = 0; i < n; i += 1) {
    const t = performance.now();
    const r = await wsCall(ws, 'chain_getHeader');
    assert.ok(r.result, `the well-behaved client is served: ${JSON.stringify(r)}`);
    ms.push(performance.now() - t);
    if (gap) await new Promise((res) => setTimeout(res, gap));
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(n / 2)], p95: ms[Math.floor(n * 0.95)], max: ms[n - 1] };
}
const fmt = (l) => `p50 ${l.p50.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms, max ${l.max.toFixed(1)} ms`;

test('unsafe methods are refused on the public node; safe ones answer', async () => {
  // Well-formed parameters, so the refusal is the safety check, not a parameter error.
  const unsafe = [
    ['author_rotateKeys', []],
    ['author_insertKey', ['aura', '//Alice', '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d']],
    ['system_addReservedPeer', ['/ip4/127.0.0.1/tcp/30333/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp']],
    ['offchain_localStorageSet', ['PERSISTENT', '0x00', '0x00']],
  ];
  for (const [method, params] of unsafe) {
    const { json } = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
    assert.match(json.error?.message ?? '', /unsafe/i, `${method} is refused as unsafe: ${JSON.stringify(json)}`);
  }
  const health = (await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }))).json;
  assert.ok(health.result, JSON.stringify(health));
});

test('oversized requests and batches are refused and the node keeps serving', async () => {
  const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: ['x'.repeat(MAX_REQUEST_MB * 1024 * 1024 + 10)] });
  const huge = await post(big);
  assert.ok(huge.status === 413 || huge.json?.error, `an oversized request is refused: ${huge.status} ${huge.text.slice(0, 200)}`);
  const batch = JSON.stringify(Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'system_health', params: [] })));
  const refused = await post(batch);
  assert.ok(!Array.isArray(refused.json) && refused.json?.error, `a batch of ${MAX_BATCH + 1} is refused: ${refused.text.slice(0, 200)}`);
  const fits = await post(JSON.stringify(Array.from({ length: MAX_BATCH }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'system_health', params: [] }))));
  assert.equal(fits.json.length, MAX_BATCH);
  assert.ok((await wsCall(ws, 'system_health')).result);
});

test('malformed JSON and malformed SCALE extrinsics get errors', async () => {
  assert.equal((await post('{"jsonrpc": "2.0", "id": 1, "method": ')).json.error.code, -32700);
  for (const xt of ['0xdeadbeef', '0x', '0x00', `0x${'ff'.repeat(1000)}`]) {
    const r = await wsCall(ws, 'author_submitExtrinsic', [xt]);
    assert.ok(r.error, `${xt.slice(0, 12)} is refused: ${JSON.stringify(r)}`);
  }
  assert.equal((await wsCall(ws, 'powerverse_machine', ['abc'])).error.code, -32602);
  assert.ok((await wsCall(ws, 'chain_getHeader')).result);
});

test('a transfer with a forged signature is refused and changes nothing', async () => {
  await cryptoWaitReady();
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${rpcPort}`), noInitWarn: true });
  try {
    const before = { nonce: (await api.rpc.system.accountNextIndex(alice.address)).toNumber(), account: (await api.query.system.account(alice.address)).toHex() };
    const signed = await api.tx.balances.transferKeepAlive('5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty', 10n ** 12n).signAsync(alice, { era: 0 });
    // The extrinsic without its length prefix: version (0x84), MultiAddress::Id (0x00) and
    // Alice's 32 bytes, the signature's kind (0x01, sr25519), then its 64 bytes: flip one.
    const [, body] = compactStripLength(signed.toU8a());
    assert.equal(body[0], 0x84);
    assert.equal(body[34], 0x01);
    const forged = body.slice();
    forged[40] ^= 0xff;
    const r = await wsCall(ws, 'author_submitExtrinsic', [u8aToHex(compactAddLength(forged))]);
    assert.ok(r.error, `a forged signature is refused: ${JSON.stringify(r)}`);
    assert.equal(r.error.code, 1010, JSON.stringify(r.error));
    assert.match(JSON.stringify(r.error.data), /bad signature/i);
    // Nothing changed: Alice's nonce and account, a block later.
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    while ((await api.rpc.chain.getHeader()).number.toNumber() <= best) await new Promise((res) => setTimeout(res, 1000));
    assert.equal((await api.rpc.system.accountNextIndex(alice.address)).toNumber(), before.nonce);
    assert.equal((await api.query.system.account(alice.address)).toHex(), before.account);
    // The genuine one is accepted: the refusal was the signature's.
    const ok = await wsCall(ws, 'author_submitExtrinsic', [signed.toHex()]);
    assert.ok(ok.result, JSON.stringify(ok));
  } finally {
    await api.disconnect();
  }
});

test('1,000 connections holding 16,000 subscriptions do not stop a well-behaved client', { timeout: 240_000 }, async () => {
  const baseline = await latency(50);
  const sockets = [];
  try {
  const t = Date.now();
  for (let i = 0; i < 1000; i += 50) {
    sockets.push(...await Promise.all(Array.from({ length: 50 }, () => open())));
  }
  let notes = 0;
  let counting = false;
  await Promise.all(sockets.map(async (s) => {
    // New-head notifications only, after every subscription is open (not the subscribe answers
    // nor the current head each subscription gets at once).
    s.on('message', (d) => { if (counting && JSON.parse(d).method === 'chain_newHead') notes += 1; });
    await Promise.all(Array.from({ length: 16 }, () => wsCall(s, 'chain_subscribeNewHeads')));
  }));
  counting = true;
  const opened = (Date.now() - t) / 1000;
  // One connection asking for more subscriptions than allowed is refused past the limit.
  const greedy = await Promise.all(Array.from({ length: MAX_SUBSCRIPTIONS - 16 + 8 }, () => wsCall(sockets[0], 'chain_subscribeNewHeads')));
  assert.ok(greedy.some((r) => r.error), 'subscriptions past the per-connection limit are refused');
  // Two blocks of notifications to every subscription (12 s) while the client works.
  const during = await latency(120, 100);
  console.log(`rpc-abuse: 1,000 connections + 16,000 subscriptions opened in ${opened.toFixed(1)} s, ${notes} new-head notifications in 12 s; well-behaved client: before ${fmt(baseline)}; during ${fmt(during)}`);
  assert.ok(notes >= 16_000, `every subscription gets new heads (${notes} notifications)`);
  assert.ok(during.p50 < 500 && during.p95 < 2000, `the well-behaved client stays served: ${fmt(during)}`);
  } finally {
    for (const s of sockets) s.terminate();
  }
});

test('a connection flooding calls is slowed then refused by the rate limit; others are served', { timeout: 120_000 }, async () => {
  const flooder = await open();
  const t = performance.now();
  const floodDone = Promise.all(Array.from({ length: 1000 }, () => wsCall(flooder, 'system_health')));
  const during = await latency(100, 10);
  const answers = await floodDone;
  const limited = answers.filter((r) => r.error?.code === -32999).length;
  const took = (performance.now() - t) / 1000;
  console.log(`rpc-abuse: 1,000 calls at once on one connection (limit ${RATE_PER_MINUTE}/min): ${answers.length - limited} answered, ${limited} refused (-32999) in ${took.toFixed(1)} s; another client meanwhile ${fmt(during)}`);
  assert.ok(limited > 0, 'calls past the rate limit are refused');
  assert.ok(during.p50 < 500 && during.p95 < 2000, `the other client is served: ${fmt(during)}`);
  flooder.close();
});

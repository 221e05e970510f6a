// Shared by the polkadot.js suites in test/: the node binary under test, free ports, starting a
// node and waiting for its blocks, sending extrinsics and reading their events.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The target directory the scripts build into. */
export const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(here, '..', 'target');

/** The node under test: `POWERVERSE_NODE`, else the release build in the target directory. */
export const nodeBinary = process.env.POWERVERSE_NODE ?? path.join(targetDir, 'release', 'powerverse-node');

export const PEC = 10n ** 12n;

/** A TCP port nothing listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** One JSON-RPC call over HTTP. */
export async function rpc(url, method, params = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return res.json();
}

/** Waits until the node at `url` answers and `pick(body)` of `method` is at least `min`. */
export async function waitFor(url, ms, method, params, pick, min, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const value = pick(await rpc(url, method, params));
      if (value !== undefined && value >= min) return value;
    } catch (_) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`node at ${url}: no ${what} within ${ms} ms`);
}

/** Waits until the node at `url` has produced block 1. */
export function waitForRpc(url, ms) {
  return waitFor(url, ms, 'chain_getHeader', [], (b) => b.result && parseInt(b.result.number, 16), 1, 'block');
}

/** The node's finalized block number. */
export async function finalizedNumber(url) {
  const head = (await rpc(url, 'chain_getFinalizedHead')).result;
  const header = (await rpc(url, 'chain_getHeader', [head])).result;
  return parseInt(header.number, 16);
}

/** Starts the node binary with `args`; keeps the last 4 kB of its log for failures. */
export function startNode(args) {
  const child = spawn(nodeBinary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.log = '';
  child.stderr.on('data', (d) => { child.log = (child.log + d).slice(-4000); });
  child.on('exit', (code) => { if (code) console.error(`node exited with ${code}:\n${child.log}`); });
  return child;
}

/** Signs and sends (with signer `options`, e.g. `{ assetId }`); resolves with
 * { blockHash, events } once in a block, rejects on failure. */
export function send(api, tx, signer, options = {}) {
  return new Promise((resolve, reject) => {
    let unsub;
    tx.signAndSend(signer, options, ({ status, events, dispatchError }) => {
      if (!status.isInBlock) return;
      if (unsub) unsub();
      if (dispatchError) {
        const msg = dispatchError.isModule
          ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(dispatchError.asModule))
          : dispatchError.toString();
        reject(new Error(msg));
      } else {
        resolve({ blockHash: status.asInBlock, events });
      }
    }).then((u) => { unsub = u; }, reject);
  });
}

/** The first `section.method` event of `events`; fails the test if there is none. */
export function event(events, section, method) {
  const found = events.find(({ event }) => event.section === section && event.method === method);
  assert.ok(found, `expected ${section}.${method}`);
  return found.event;
}

// The documentation's polkadot.js snippets run, so a doc change that breaks one fails the suite.
// For every document with ```js blocks (README.md, docs/*.md), its blocks are concatenated in
// order into one ES module (js/doc-snippets.mjs) — what a reader gets by pasting them one after
// another — written next to js/node_modules, pointed at a dev node of its own, and run with
// `node`; it must exit 0. The documents run side by side (each on its own chain, so none can
// take another's nonce or state); they mostly wait for 6-second blocks.
//
//   POWERVERSE_NODE=target/release/powerverse-node node --test js/test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForRpc, startNode } from '../support.mjs';
import { docsWithSnippets, docScript } from '../doc-snippets.mjs';

const jsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
/** A document's snippets take at most about five minutes alone (6 s blocks); side by side with
 * the other documents and suites they may take longer. */
const SCRIPT_TIMEOUT_MS = 600_000;

/** A dev node on free ports; resolves with { node, wsUrl }. */
async function devNode() {
  const port = await freePort();
  const node = startNode(['--dev', '--tmp', '--rpc-port', String(port), '--no-telemetry', '--no-prometheus', '--no-mdns', '--port', String(await freePort())]);
  try {
    await waitForRpc(`http://127.0.0.1:${port}`, 60_000);
  } catch (e) {
    node.kill('SIGKILL');
    throw e;
  }
  return { node, wsUrl: `ws://127.0.0.1:${port}` };
}

/** Runs `file` with node in js/; resolves with { code, signal, stdout, stderr }. */
function runScript(file) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: jsDir, timeout: SCRIPT_TIMEOUT_MS, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const docs = docsWithSnippets();

test('the documentation has polkadot.js snippets to run', () => {
  assert.ok(docs.length > 0, 'no ```js blocks found in README.md or docs/*.md');
});

test('each document\'s js blocks run in order against a dev node of its own', { concurrency: true }, async (t) => {
  await Promise.all(docs.map((doc) => t.test(`${doc.name}: its ${doc.blocks.length} js blocks run in order against a dev node`, { timeout: SCRIPT_TIMEOUT_MS + 120_000 }, async (t) => {
    const { node, wsUrl } = await devNode();
    const file = path.join(jsDir, `.doc-${path.basename(doc.name, '.md')}-${process.pid}.mjs`);
    fs.writeFileSync(file, docScript(doc, wsUrl));
    const started = Date.now();
    let result;
    try {
      result = await runScript(file);
    } finally {
      fs.rmSync(file, { force: true });
      node.kill('SIGKILL');
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    const how = result.signal ? `was killed (${result.signal}${result.signal === 'SIGKILL' ? `, timeout ${SCRIPT_TIMEOUT_MS / 1000} s` : ''})` : `exited with ${result.code}`;
    assert.equal(result.code, 0,
      `${doc.name}: its snippets ${how} after ${seconds} s ` +
      `(blocks start at lines ${doc.blocks.map((b) => b.line).join(', ')}; the script marks each with "// ---- ${doc.name}:<line>")\n` +
      `--- stderr ---\n${result.stderr.slice(-6000)}\n--- stdout ---\n${result.stdout.slice(-2000)}`);
    t.diagnostic(`${doc.name}: ${seconds} s`);
  })));
});

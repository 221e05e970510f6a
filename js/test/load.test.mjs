// The load tool (js/load.mjs, scripts/load.sh): refuses nonsense with a clear message and exit
// code 2, and a short real run against the dev node it starts includes every kind it sends and
// reports blocks, fill and proposal times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from '../support.mjs';

const tool = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'load.mjs');
const load = (args, timeout = 30_000) => spawnSync(process.execPath, [tool, ...args], { encoding: 'utf8', timeout, env: { ...process.env, POWERVERSE_NODE: nodeBinary } });

test('the load tool refuses nonsense before it starts anything', () => {
  for (const [args, message] of [
    [['--accounts', '0'], /--accounts must be 1\.\.100000, got 0/],
    [['--rate', '0'], /--rate must be 1\.\.100000, got 0/],
    [['--duration', 'soon'], /--duration needs a whole number/],
    [['--kinds', 'transfer,mint_money'], /unknown call kind\(s\): mint_money/],
    [['--url', 'http://x'], /--url must start with ws:\/\/ or wss:\/\//],
    [['--frobnicate'], /unknown option "--frobnicate"/],
    [['spec'], /spec needs --out FILE/],
  ]) {
    const r = load(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('a short run includes transfers, jobs and rentals and prints figures', { timeout: 240_000 }, () => {
  const r = load(['--accounts', '24', '--kinds', 'transfer,post_job,rent,heartbeat,claim', '--rate', '20', '--duration', '15', '--json'], 220_000);
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const report = JSON.parse(r.stdout.trim().split('\n').pop());
  // Heartbeats are due a minute after registration and claims need one: a 15 s run sends none
  // (they count as skipped), the others are all included.
  for (const kind of ['transfer', 'post_job', 'rent']) {
    const k = report.kinds[kind];
    assert.ok(k.included > 0 && k.succeeded === k.included, `${kind}: ${JSON.stringify(k)}`);
    assert.ok(k.inBlockMeanMs > 0 && k.finalizedMeanMs >= k.inBlockMeanMs);
  }
  assert.ok(report.blocks.skippedSubmissions > 0);
  assert.equal(report.kinds.transfer.failed, 0, JSON.stringify(report.kinds.transfer.errors));
  assert.ok(report.blocks.count >= 2);
  assert.ok(report.blocks.fillMax > 0 && report.blocks.fillMax <= 1);
  assert.ok(report.blocks.proposalMaxMs !== null, 'proposal times read from the node log');
  assert.match(r.stdout, /kind +submitted included/);
});

// A fifth validator joins the 4-validator local network (the `local_testnet` preset: Alice, Bob,
// Charlie and Dave, no sudo key) through the on-chain path of docs/validator.md ("Joining the
// validator set"): Eve's node generates session keys (author_rotateKeysWithOwner), Eve registers
// them (session.setKeys), applies with the PEC bond (validators.apply), a referendum on the
// `validators` track approves her with conviction-weighted votes, and from the session after next
// Eve's node authors blocks and votes in GRANDPA (finality survives losing Dave, which needs her
// vote: 4 of 5). The local preset divides governance periods by
// 1,440 and has 10-block sessions, so this takes about five minutes.
//
//   POWERVERSE_NODE=target/release/powerverse-node node --test js/test/validator-join.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { PEC, nodeBinary, freePort, finalizedNumber, rpc, send, event, startNode } from '../support.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'powerverse-join-'));
const nodes = [];
const peers = [];
let api;
let eveNode;

function cli(args) {
  const out = spawnSync(nodeBinary, args, { encoding: 'utf8' });
  assert.equal(out.status, 0, `powerverse-node ${args.join(' ')}:\n${out.stderr}`);
  return out;
}

/** Polls `probe` every second until it returns a truthy value; fails after `ms`. */
async function until(ms, what, probe) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

before(async () => {
  for (const name of ['alice', 'bob', 'charlie', 'dave', 'eve']) {
    const nodeKeyFile = path.join(dir, `${name}.node-key`);
    const peerId = cli(['key', 'generate-node-key', '--file', nodeKeyFile]).stderr.trim();
    const p2p = await freePort();
    const rpcPort = await freePort();
    // Alice … Dave run with their well-known keys; Eve's node is a plain validator whose keys
    // come from author_rotateKeysWithOwner into its on-disk keystore.
    const role = name === 'eve' ? ['--validator'] : [`--${name}`];
    const args = ['--chain', 'local', ...role, '--base-path', path.join(dir, name), '--node-key-file', nodeKeyFile,
      '--listen-addr', `/ip4/127.0.0.1/tcp/${p2p}`, '--rpc-port', String(rpcPort),
      '--no-telemetry', '--no-prometheus', '--no-mdns', '--name', name];
    if (peers.length) args.push('--bootnodes', `/ip4/127.0.0.1/tcp/${peers[0].p2p}/p2p/${peers[0].peerId}`);
    peers.push({ name, peerId, p2p, url: `http://127.0.0.1:${rpcPort}`, ws: `ws://127.0.0.1:${rpcPort}` });
    const node = startNode(args);
    nodes.push(node);
    if (name === 'eve') eveNode = peers[peers.length - 1];
  }
});

after(async () => {
  if (api) await api.disconnect();
  for (const n of nodes) n.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a fifth validator joins through session keys, a bond and a referendum, then authors and finalizes', { timeout: 900_000 }, async () => {
  await until(180_000, 'the 4-validator network finalizing', async () => (await finalizedNumber(peers[0].url)) >= 2);
  api = await ApiPromise.create({ provider: new WsProvider(peers[0].ws), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, charlie, eve] = ['//Alice', '//Bob', '//Charlie', '//Eve'].map((u) => keyring.addFromUri(u));
  assert.ok((await api.query.sudo.key()).isNone, 'the local network has no sudo key');
  assert.equal((await api.query.session.validators()).length, 4);

  // No keys yet: the application is refused and nothing is held.
  await assert.rejects(send(api, api.tx.validators.apply(), eve), /validators\.NoSessionKeys/);

  // 1. Keys generated in Eve's node keystore, with the proof that Eve's account owns them.
  const generated = (await rpc(eveNode.url, 'author_rotateKeysWithOwner', [u8aToHex(eve.publicKey)])).result;
  assert.ok(generated?.keys && generated?.proof, 'author_rotateKeysWithOwner returns keys and proof');
  const auraKey = generated.keys.slice(0, 66);
  const grandpaKey = `0x${generated.keys.slice(66, 130)}`;
  await send(api, api.tx.session.setKeys(generated.keys, generated.proof), eve);

  // 2. The application holds the bond.
  const free = (await api.query.system.account(eve.address)).data.free.toBigInt();
  await send(api, api.tx.validators.apply(), eve);
  const bond = (await api.query.validators.params()).bond.toBigInt();
  assert.equal(bond, 10_000n * PEC);
  assert.ok((await api.query.system.account(eve.address)).data.free.toBigInt() <= free - bond);

  // 3. A referendum on the validators track approves her: Bob and Charlie vote aye with 3×
  // conviction (support above the track's 10% of issuance).
  const proposal = api.tx.validators.approve(eve.address);
  const { events } = await send(api, api.tx.referenda.submit({ Origins: 'ValidatorAdmin' }, { Inline: proposal.method.toHex() }, { After: 1 }), alice);
  const index = event(events, 'referenda', 'Submitted').data[0].toNumber();
  await send(api, api.tx.referenda.placeDecisionDeposit(index), alice);
  for (const voter of [bob, charlie]) {
    await send(api, api.tx.convictionVoting.vote(index, { Standard: { vote: { aye: true, conviction: 'Locked3x' }, balance: 900_000n * PEC } }), voter);
  }
  await until(300_000, 'the referendum to be approved and enacted', async () =>
    (await api.query.validators.validatorSet()).some((v) => v.toString() === eve.address));
  assert.ok((await api.query.referenda.referendumInfoFor(index)).unwrap().isApproved);

  // 4. From the session after next, Eve is an Aura authority and authors blocks.
  await until(300_000, 'Eve in the session validators', async () =>
    (await api.query.session.validators()).some((v) => v.toString() === eve.address));
  assert.ok((await api.query.aura.authorities()).some((k) => k.toHex() === auraKey));
  // Eve's node logs each block it seals; one of them must be in the chain, and its Aura slot must
  // belong to Eve's key in the authority set of its parent.
  const authored = await until(240_000, 'a block authored by Eve in the chain', async () => {
    for (const m of nodes[4].log.matchAll(/Pre-sealed block for proposal at (\d+)\. Hash now (0x[0-9a-f]{64})/g)) {
      const [number, hash] = [Number(m[1]), m[2]];
      if ((await api.rpc.chain.getBlockHash(number)).toHex() !== hash) continue;
      const header = await api.rpc.chain.getHeader(hash);
      const preRuntime = header.digest.logs.find((log) => log.isPreRuntime).asPreRuntime;
      const slot = api.createType('u64', preRuntime[1]).toBigInt();
      const authorities = await api.query.aura.authorities.at(header.parentHash);
      assert.equal(authorities[Number(slot % BigInt(authorities.length))].toHex(), auraKey, `block #${number}'s slot is Eve's`);
      return number;
    }
    return 0;
  }).catch((e) => {
    console.error(`Eve's node log:\n${nodes[4].log}`);
    throw e;
  });

  // 5. GRANDPA: Eve's key is in the authority set and her votes count: with Dave's node killed,
  // finality needs 4 of the 5 votes (more than 2/3), so it advances only if Eve votes.
  assert.ok((await api.query.grandpa.authorities()).some(([k]) => k.toHex() === grandpaKey));
  await until(180_000, 'finality past Eve\'s block', async () => (await finalizedNumber(peers[0].url)) >= authored);
  nodes[peers.findIndex((p) => p.name === 'dave')].kill('SIGKILL');
  const before = await finalizedNumber(peers[0].url);
  await until(180_000, 'finality without Dave', async () => (await finalizedNumber(eveNode.url)) >= before + 3);
  console.log(`validator-join: Eve approved by referendum ${index}, authored block #${authored}, finality with 5 validators`);
});

// End-to-end suite through @polkadot/api against a dev node this file starts (and stops):
// chain properties, a transfer, provider and machine registration, the compute NFT and its
// attributes, a job posted, accepted, run and paid (checked to the planck), and the
// powerverse_* RPC through the definitions in ../powerverse-rpc.js.
//
//   POWERVERSE_NODE=target/release/powerverse-node node --test js/test/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { powerverseRpc } from '../powerverse-rpc.js';
import { PEC, freePort, waitForRpc, startNode, send as sendWith, event } from '../support.mjs';

const BLOCKS_PER_HOUR = 600n;
let node;
let api;
let alice, bob, charlie, dave;
let machine;
let lease;

const send = (tx, signer) => sendWith(api, tx, signer);

function feePaid(events, who) {
  const e = events.find(({ event }) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid' && event.data[0].toString() === who);
  assert.ok(e, 'TransactionFeePaid');
  return e.event.data[1].toBigInt() + e.event.data[2].toBigInt();
}

async function free(who, at) {
  const apiAt = at ? await api.at(at) : api;
  return (await apiAt.query.system.account(who)).data.free.toBigInt();
}

async function blockNumber(hash) {
  return (await api.rpc.chain.getHeader(hash)).number.toBigInt();
}

before(async () => {
  const port = await freePort();
  node = startNode(['--dev', '--tmp', '--rpc-port', String(port), '--no-telemetry', '--no-prometheus', '--no-mdns', '--port', String(await freePort())]);
  const url = `http://127.0.0.1:${port}`;
  await waitForRpc(url, 60_000);
  api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${port}`), rpc: powerverseRpc, noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//PowerVerseE2E'].map((s) => keyring.addFromUri(s));
});

after(async () => {
  if (api) await api.disconnect();
  if (node) node.kill('SIGKILL');
});

test('chain properties say PEC with 12 decimals and SS58 prefix 42', { timeout: 180_000 }, async () => {
  const props = await api.rpc.system.properties();
  assert.deepEqual(props.tokenSymbol.unwrap().map((s) => s.toString()), ['PEC']);
  assert.deepEqual(props.tokenDecimals.unwrap().map((d) => d.toNumber()), [12]);
  assert.equal(props.ss58Format.unwrap().toNumber(), 42);
  assert.equal(api.registry.chainTokens[0], 'PEC');
});

test('a transfer arrives to the planck and the sender pays amount plus the reported fee', { timeout: 180_000 }, async () => {
  const amount = 10n * PEC;
  const aliceBefore = await free(alice.address);
  const { blockHash, events } = await send(api.tx.balances.transferKeepAlive(dave.address, amount), alice);
  assert.equal(await free(dave.address, blockHash), amount);
  assert.equal(await free(alice.address, blockHash), aliceBefore - amount - feePaid(events, alice.address));
});

test('a provider registers a machine and its NFT carries the spec', { timeout: 180_000 }, async () => {
  await send(api.tx.compute.registerProvider({
    displayName: 'Berlin GPU', operator: 'Hetzner', city: 'Berlin', country: 'DE',
    contactUrl: 'https://gpu.example', encryptionKey: '0x' + '11'.repeat(32),
  }), charlie);
  const spec = {
    cpuModel: 'AMD EPYC 9654', cores: 96, threads: 192, ramGib: 768, storageGib: 15000, bandwidthMbps: 25000,
    gpus: [{ model: 'H100', vramGib: 80, count: 8 }],
  };
  const { events } = await send(api.tx.compute.registerMachine(spec, charlie.address, 3n * PEC), charlie);
  machine = event(events, 'compute', 'MachineRegistered').data[0].toNumber();

  const item = (await api.query.nfts.item(0, machine)).unwrap();
  assert.equal(item.owner.toString(), charlie.address);
  const attribute = async (key) => {
    const value = await api.query.nfts.attribute(0, machine, 'Pallet', key);
    return new TextDecoder().decode(value.unwrap()[0].toU8a(true));
  };
  assert.equal(await attribute('gpu_count'), '8');
  assert.equal(await attribute('cpu_model'), 'AMD EPYC 9654');
  assert.equal(await attribute('ram_gib'), '768');

  // Verified (by governance on a dev chain), bonded, listed for rent.
  await send(api.tx.sudo.sudo(api.tx.compute.verifyMachine(machine, true)), alice);
  await send(api.tx.computeStaking.bond(machine, 2_000n * PEC), charlie);
  await send(api.tx.market.listMachine(machine), charlie);
  const info = (await api.rpc.powerverse.machine(machine)).toJSON();
  assert.equal(info.state, 'Idle');
  assert.equal(info.owner, charlie.address);
  assert.equal(info.sufficientlyCollateralized, true);
  assert.equal(info.listed, true);
});

test('powerverse_* RPC answers through the shipped definitions and rejects bad input', { timeout: 180_000 }, async () => {
  const quote = (await api.rpc.powerverse.quote({ minGpus: 8, gpuModel: 'H100', region: 'DE' }, null, 5)).toJSON();
  assert.deepEqual(quote.items.map((q) => q.machine), [machine]);
  assert.equal(quote.items[0].pricePerHour, (3n * PEC).toString());
  const none = (await api.rpc.powerverse.quote({ minGpus: 9 }, null, 5)).toJSON();
  assert.deepEqual(none.items, []);
  const mine = (await api.rpc.powerverse.machinesByProvider(charlie.address, null, 10)).toJSON();
  assert.deepEqual(mine, { items: [machine], next: null });
  const page = (await api.rpc.powerverse.machinesByOwner(charlie.address, null, 1)).toJSON();
  assert.deepEqual(page, { items: [machine], next: machine });
  await assert.rejects(api.rpc.powerverse.machine(9999), /machine 9999 not found/);
  await assert.rejects(api.rpc.powerverse.machinesByOwner(charlie.address, null, 1000), /limit must be 1..=100/);
  await assert.rejects(api.rpc.powerverse.quote({ region: 'de' }, null, 5), /region must be an upper-case/);
  await assert.rejects(api.rpc.powerverse.lease(424242), /lease 424242 not found/);
  await assert.rejects(api.rpc.powerverse.account('not-an-address'), /not an SS58 address/);
  await assert.rejects(api.rpc.powerverse.quote({}, '0x12', 5), /not a page cursor/);
  await assert.rejects(api.rpc.powerverse.earnings(charlie.address, 'junk', 5), /not a page cursor/);
});

test('a job is posted, accepted, runs, and its earnings are claimed to the planck', { timeout: 180_000 }, async () => {
  const requirements = { minGpus: 8, gpuModel: 'H100', minVramGib: 80, minCores: 0, minRamGib: 0, region: 'DE' };
  const posted = await send(api.tx.market.postJob(requirements, 6n * PEC, 2, 'ipfs://bafy-job'), bob);
  const job = event(posted.events, 'market', 'JobPosted').data[0].toNumber();
  assert.equal((await api.query.system.account(bob.address)).data.reserved.toBigInt() >= 12n * PEC, true);

  const open = (await api.rpc.powerverse.openJobsForMachine(machine, null, 10)).toJSON();
  assert.ok(open.items.some((j) => j.id === job && j.escrow === (12n * PEC).toString()));

  const bobBefore = await free(bob.address, posted.blockHash);
  const accepted = await send(api.tx.market.acceptJob(job, machine), charlie);
  lease = event(accepted.events, 'market', 'LeaseStarted').data[0].toNumber();
  // (6 − 3) PEC × 2 h released at once.
  assert.equal(await free(bob.address, accepted.blockHash), bobBefore + 6n * PEC);
  const start = await blockNumber(accepted.blockHash);

  // Let a few blocks pass, then the machine proves it is up: a running lease pays its owner up to
  // the machine's last heartbeat (at most one a minute: 10 blocks after the previous one).
  const lastBeat = BigInt((await api.rpc.powerverse.machine(machine)).toJSON().lastHeartbeat);
  while ((await api.rpc.chain.getHeader()).number.toBigInt() < [start + 3n, lastBeat + 10n].reduce((a, b) => (a > b ? a : b))) {
    await new Promise((r) => setTimeout(r, 1000));
  }
  const beat = await send(api.tx.compute.heartbeat(machine), charlie);
  const beatAt = await blockNumber(beat.blockHash);
  assert.equal(feePaid(beat.events, charlie.address), 0n, 'a verified, bonded machine beats for free');
  const charlieBefore = await free(charlie.address);
  const treasury = api.registry.createType('AccountId', '0x' + Buffer.from('modlpv/trsry'.padEnd(32, '\0')).toString('hex')).toString();
  const treasuryBefore = await free(treasury);
  const claimed = await send(api.tx.market.claimEarnings(lease), charlie);
  const at = await blockNumber(claimed.blockHash);
  const paid = event(claimed.events, 'market', 'EarningsPaid');
  const [amount, fee] = [paid.data[2].toBigInt(), paid.data[3].toBigInt()];
  // Accrual is price × blocks ÷ blocks per hour, from the lease's first block to the heartbeat.
  assert.ok(at >= beatAt);
  assert.equal(amount + fee, (3n * PEC * (beatAt - start)) / BLOCKS_PER_HOUR);
  assert.equal(fee, ((amount + fee) * 5n) / 100n);
  const txFee = feePaid(claimed.events, charlie.address);
  assert.equal(await free(charlie.address, claimed.blockHash), charlieBefore + amount - txFee);
  // The treasury gets the protocol fee and the transaction fee.
  assert.equal(await free(treasury, claimed.blockHash), treasuryBefore + fee + txFee);

  const info = (await api.rpc.powerverse.lease(lease)).toJSON();
  assert.equal(info.status, 'Active');
  assert.equal(BigInt(info.paid), amount + fee);
  const earnings = (await api.rpc.powerverse.account(charlie.address)).toJSON();
  assert.deepEqual(earnings.earnings.map((e) => e.lease), [lease]);
  const paged = (await api.rpc.powerverse.earnings(charlie.address, null, 1)).toJSON();
  assert.deepEqual(paged.items.map((e) => [e.lease, e.machine]), [[lease, machine]]);
  assert.equal(paged.items[0].claimable, earnings.earnings[0].claimable);
  // The cursor goes back through the shipped definitions unchanged (Charlie's owned machine is
  // the one he provides: nothing more).
  assert.match(paged.next, /^0x[0-9a-f]+$/);
  assert.deepEqual((await api.rpc.powerverse.earnings(charlie.address, paged.next, 1)).toJSON(), { items: [], next: null });

  // Bob ends early: everything not accrued comes back in the same block.
  const bobBeforeEnd = await free(bob.address, claimed.blockHash);
  const ended = await send(api.tx.market.endLease(lease), bob);
  const endedAt = await blockNumber(ended.blockHash);
  const accrued = (3n * PEC * (endedAt - start)) / BLOCKS_PER_HOUR;
  const refunded = event(ended.events, 'market', 'LeaseEnded').data[3].toBigInt();
  assert.equal(refunded, 6n * PEC - accrued);
  assert.equal(await free(bob.address, ended.blockHash), bobBeforeEnd + refunded - feePaid(ended.events, bob.address));
  assert.equal((await api.rpc.powerverse.machine(machine)).toJSON().state, 'Idle');

  // Bob confirms: the owner gets the rest (less the fee) and the lease is settled.
  const charlieBeforeConfirm = await free(charlie.address, ended.blockHash);
  const confirmed = await send(api.tx.market.confirmResult(lease), bob);
  const rest = event(confirmed.events, 'market', 'EarningsPaid');
  assert.equal(rest.data[2].toBigInt() + rest.data[3].toBigInt(), accrued - (amount + fee));
  assert.equal(await free(charlie.address, confirmed.blockHash), charlieBeforeConfirm + rest.data[2].toBigInt());
  event(confirmed.events, 'market', 'LeaseSettled');
  assert.equal((await api.query.system.account(bob.address)).data.reserved.toBigInt(), 0n);
  await assert.rejects(api.rpc.powerverse.lease(lease), /not found/);
});

test('powerverse_stake shows a staked NFT earning, and why it stops', { timeout: 180_000 }, async () => {
  await assert.rejects(api.rpc.powerverse.stake(machine), /is not staked/);
  // A machine earns only while online: beat if the last heartbeat is too old.
  if (!(await api.rpc.powerverse.machine(machine)).toJSON().online) {
    await send(api.tx.compute.heartbeat(machine), charlie);
  }
  await send(api.tx.computeStaking.stakeNft(machine), charlie);
  let stake = (await api.rpc.powerverse.stake(machine)).toJSON();
  assert.equal(stake.staker, charlie.address);
  assert.equal(stake.earning, true);
  assert.deepEqual(stake.notEarning, []);
  assert.equal(stake.effectiveShares, stake.shares);
  // Off the rent list it earns nothing, and says why.
  await send(api.tx.market.delistMachine(machine), charlie);
  stake = (await api.rpc.powerverse.stake(machine)).toJSON();
  assert.equal(stake.earning, false);
  assert.deepEqual(stake.notEarning, ['NotListed']);
  assert.equal(stake.effectiveShares, '0');
  await send(api.tx.market.listMachine(machine), charlie);
  assert.equal((await api.rpc.powerverse.stake(machine)).toJSON().earning, true);
});

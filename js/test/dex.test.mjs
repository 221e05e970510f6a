// The on-chain DEX from polkadot.js against a dev node this file starts: the preset's test
// stablecoin (tUSD, asset 1), a PEC/tUSD pool with liquidity and LP tokens, swaps exact in and
// exact out checked to the planck against the constant-product formula and the runtime's
// quote, slippage and missing-pool refusals, a fee paid in tUSD, the oracle's average over
// `powerverse_pecPrice`, and a machine priced in tUSD rented at the oracle price with escrow
// and pay checked to the planck.
//
//   POWERVERSE_NODE=target/release/powerverse-node node --test js/test/dex.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { powerverseRpc, powerverseTypes } from '../powerverse-rpc.js';
import { PEC, freePort, waitForRpc, startNode, send as sendWith, event } from '../support.mjs';

const TUSD = 1;
const USD = 1_000_000n; // tUSD has 6 decimals
const BLOCKS_PER_HOUR = 600n;
const NATIVE = 'Native';
const STABLE = { WithId: TUSD };
let node;
let api;
let alice, bob, charlie, dave;

const send = (tx, signer, options) => sendWith(api, tx, signer, options);

async function free(who, at) {
  const apiAt = at ? await api.at(at) : api;
  return (await apiAt.query.system.account(who)).data.free.toBigInt();
}

async function tusd(who, at) {
  const apiAt = at ? await api.at(at) : api;
  const account = await apiAt.query.assets.account(TUSD, who);
  return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
}

async function reserves(at) {
  const apiAt = at ? await api.at(at) : api;
  const r = await apiAt.call.assetConversionApi.getReserves(NATIVE, STABLE);
  const [pec, stable] = r.unwrap();
  return [pec.toBigInt(), stable.toBigInt()];
}

/** pallet-asset-conversion's output for `amountIn` at a 0.3% fee. */
function amountOut(amountIn, reserveIn, reserveOut) {
  const withFee = amountIn * 997_000n;
  return (withFee * reserveOut) / (reserveIn * 1_000_000n + withFee);
}

/** ... and the input it asks for `amountOut`. */
function amountIn(amountOut, reserveIn, reserveOut) {
  return (reserveIn * amountOut * 1_000_000n) / ((reserveOut - amountOut) * 997_000n) + 1n;
}

const blockNumber = async (hash) => (await api.rpc.chain.getHeader(hash)).number.toBigInt();

before(async () => {
  const port = await freePort();
  node = startNode(['--dev', '--tmp', '--rpc-port', String(port), '--no-telemetry', '--no-prometheus', '--no-mdns', '--port', String(await freePort())]);
  await waitForRpc(`http://127.0.0.1:${port}`, 60_000);
  api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${port}`), rpc: powerverseRpc, types: powerverseTypes, noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((s) => keyring.addFromUri(s));
});

after(async () => {
  if (api) await api.disconnect();
  if (node) node.kill('SIGKILL');
});

test('the dev chain has a test stablecoin and the oracle waits for its pool', { timeout: 60_000 }, async () => {
  const meta = await api.query.assets.metadata(TUSD);
  assert.equal(meta.symbol.toUtf8(), 'tUSD');
  assert.equal(meta.decimals.toNumber(), 6);
  assert.equal(await tusd(bob.address), 1_000_000n * USD);
  // Only governance creates assets.
  await assert.rejects(send(api.tx.assets.create(2, alice.address, 1), alice), /BadOrigin/);
  const price = (await api.rpc.powerverse.pecPrice()).toJSON();
  assert.equal(price.asset, TUSD);
  assert.equal(price.twap, null);
  assert.equal(price.unavailable, 'NoPrice');
});

test('a pool, liquidity in and out with LP tokens; swaps exact in and out to the planck; refusals', { timeout: 180_000 }, async () => {
  // No pool yet: a swap is refused and nothing moves.
  const bobUsd = await tusd(bob.address);
  await assert.rejects(send(api.tx.assetConversion.swapExactTokensForTokens([NATIVE, STABLE], 10n * PEC, 1, bob.address, false), bob), /assetConversion\.PoolEmpty/);
  assert.equal(await tusd(bob.address), bobUsd);

  const created = await send(api.tx.assetConversion.createPool(NATIVE, STABLE), charlie);
  const lpToken = event(created.events, 'assetConversion', 'PoolCreated').data[3].toNumber();
  // 20,000 PEC against 40,000 tUSD: $2 per PEC.
  const added = await send(api.tx.assetConversion.addLiquidity(NATIVE, STABLE, 20_000n * PEC, 40_000n * USD, 1, 1, charlie.address), charlie);
  const minted = event(added.events, 'assetConversion', 'LiquidityAdded').data[6].toBigInt();
  assert.ok(minted > 0n);
  const lp = await api.query.poolAssets.account(lpToken, charlie.address);
  assert.equal(lp.unwrap().balance.toBigInt(), minted);
  assert.deepEqual(await reserves(added.blockHash), [20_000n * PEC, 40_000n * USD]);

  // Exact in: 100 PEC for what the formula gives, which is also the runtime's quote.
  const [rPec, rUsd] = await reserves();
  const out = amountOut(100n * PEC, rPec, rUsd);
  const quote = await api.call.assetConversionApi.quotePriceExactTokensForTokens(NATIVE, STABLE, 100n * PEC, true);
  assert.equal(quote.unwrap().toBigInt(), out);
  // Asking for one unit more than the pool gives is refused.
  await assert.rejects(send(api.tx.assetConversion.swapExactTokensForTokens([NATIVE, STABLE], 100n * PEC, out + 1n, bob.address, false), bob), /ProvidedMinimumNotSufficientForSwap/);
  const usdBefore = await tusd(bob.address);
  const swapped = await send(api.tx.assetConversion.swapExactTokensForTokens([NATIVE, STABLE], 100n * PEC, out, bob.address, false), bob);
  event(swapped.events, 'assetConversion', 'SwapExecuted');
  assert.equal(await tusd(bob.address, swapped.blockHash), usdBefore + out);
  assert.deepEqual(await reserves(swapped.blockHash), [rPec + 100n * PEC, rUsd - out]);

  // Exact out: 50 PEC for at most what the formula asks; a lower limit is refused.
  const [rPec2, rUsd2] = await reserves();
  const need = amountIn(50n * PEC, rUsd2, rPec2);
  await assert.rejects(send(api.tx.assetConversion.swapTokensForExactTokens([STABLE, NATIVE], 50n * PEC, need - 1n, bob.address, false), bob), /ProvidedMaximumNotSufficientForSwap/);
  const usdBefore2 = await tusd(bob.address);
  const bought = await send(api.tx.assetConversion.swapTokensForExactTokens([STABLE, NATIVE], 50n * PEC, need, bob.address, false), bob);
  assert.equal(await tusd(bob.address, bought.blockHash), usdBefore2 - need);
  assert.deepEqual(await reserves(bought.blockHash), [rPec2 - 50n * PEC, rUsd2 + need]);

  // A tenth of the LP tokens back out: burned, and the pool's share paid in both assets.
  const [rPec3, rUsd3] = await reserves();
  const charlieUsd = await tusd(charlie.address);
  const removed = await send(api.tx.assetConversion.removeLiquidity(NATIVE, STABLE, minted / 10n, 1, 1, charlie.address), charlie);
  const ev = event(removed.events, 'assetConversion', 'LiquidityRemoved');
  const [outPec, outUsd] = [ev.data[3].toBigInt(), ev.data[4].toBigInt()];
  assert.ok(outPec > 0n && outUsd > 0n);
  assert.equal((await (await api.at(removed.blockHash)).query.poolAssets.account(lpToken, charlie.address)).unwrap().balance.toBigInt(), minted - minted / 10n);
  assert.deepEqual(await reserves(removed.blockHash), [rPec3 - outPec, rUsd3 - outUsd]);
  assert.equal(await tusd(charlie.address, removed.blockHash), charlieUsd + outUsd);
});

test('a fee paid in tUSD is swapped through the pool and reaches the treasury as PEC', { timeout: 120_000 }, async () => {
  const treasury = api.registry.createType('AccountId', '0x' + Buffer.from('modlpv/trsry'.padEnd(32, '\0')).toString('hex')).toString();
  const [usdBefore, pecBefore, treasuryBefore] = [await tusd(dave.address), await free(dave.address), await free(treasury)];
  const [rPec, rUsd] = await reserves();
  const { blockHash, events } = await send(api.tx.system.remark('0x00'), dave, { assetId: STABLE });
  const paid = event(events, 'assetTxPayment', 'AssetTxFeePaid');
  assert.equal(paid.data[0].toString(), dave.address);
  const fee = paid.data[1].toBigInt();
  assert.ok(fee > 0n);
  assert.equal(await tusd(dave.address, blockHash), usdBefore - fee);
  assert.equal(await free(dave.address, blockHash), pecBefore, 'no PEC spent');
  const [rPecAfter, rUsdAfter] = await reserves(blockHash);
  assert.equal(rUsdAfter, rUsd + fee);
  assert.equal(await free(treasury, blockHash), treasuryBefore + (rPec - rPecAfter));
});

test('powerverse_pecPrice reports the average once half a window has passed', { timeout: 240_000 }, async () => {
  let price;
  for (let i = 0; i < 60; i += 1) {
    price = (await api.rpc.powerverse.pecPrice()).toJSON();
    if (price.twap !== null) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  assert.ok(price.twap !== null, `no average: ${JSON.stringify(price)}`);
  assert.equal(price.unavailable, null);
  assert.equal(price.window, 24, 'a dev chain averages over 24 blocks');
  // About $2 (in tUSD units per PEC) after the swaps above.
  const [rPec, rUsd] = await reserves();
  const spot = Number(rUsd) / Number(rPec) * 1e12;
  assert.ok(Math.abs(Number(price.twap) - spot) / spot < 0.01, `${price.twap} vs ${spot}`);
  assert.ok(Math.abs(Number(price.twap) - 2 * Number(USD)) / (2 * Number(USD)) < 0.02);
});

test('a machine priced in tUSD is rented at the oracle price: escrow and pay to the planck', { timeout: 240_000 }, async () => {
  await send(api.tx.compute.registerProvider({
    displayName: 'Lisbon GPU', operator: 'Dave', city: 'Lisbon', country: 'PT',
    contactUrl: 'https://gpu.example', encryptionKey: '0x' + '22'.repeat(32),
  }), dave);
  const spec = {
    cpuModel: 'AMD Ryzen 9 7950X', cores: 16, threads: 32, ramGib: 128, storageGib: 4000, bandwidthMbps: 1000,
    gpus: [{ model: 'RTX 4090', vramGib: 24, count: 1 }],
  };
  const registered = await send(api.tx.compute.registerMachine(spec, dave.address, 2n * PEC), dave);
  const machine = event(registered.events, 'compute', 'MachineRegistered').data[0].toNumber();
  await send(api.tx.sudo.sudo(api.tx.compute.verifyMachine(machine, true)), alice);
  await send(api.tx.computeStaking.bond(machine, 2_000n * PEC), dave);
  await send(api.tx.market.listMachine(machine), dave);
  // $3 an hour, in tUSD units.
  await send(api.tx.market.setStablePrice(machine, 3n * USD), dave);

  // A limit below the converted price is refused; then Bob rents for 2 hours.
  await assert.rejects(send(api.tx.market.rentMachine(machine, 2, PEC / 2n, 'ipfs://too-cheap'), bob), /market\.PriceAboveLimit/);
  const bobBefore = (await api.query.system.account(bob.address)).data;
  const rented = await send(api.tx.market.rentMachine(machine, 2, 5n * PEC, 'ipfs://stable-job'), bob);
  const lease = event(rented.events, 'market', 'LeaseStarted').data[0].toNumber();
  const converted = event(rented.events, 'market', 'StablePriceConverted');
  // The oracle's price in the rent's block — the lower of its average and its last recorded
  // price — converts $3 to PEC: 3 × 10^6 × 10^12 × 10^18 / price.
  const { twap, spot } = (await api.rpc.powerverse.pecPrice(rented.blockHash)).toJSON();
  const [a, b] = [BigInt(twap.replace('.', '')), BigInt(spot.replace('.', ''))];
  const inner = a < b ? a : b;
  const price = (3n * USD * PEC * 10n ** 18n) / inner;
  assert.deepEqual(converted.data.map((d) => d.toString()), [String(machine), String(3n * USD), String(price)]);
  const info = (await api.rpc.powerverse.lease(lease)).toJSON();
  assert.equal(BigInt(info.pricePerHour), price);
  assert.equal(BigInt(info.held), 2n * price);
  // Escrow: exactly two hours at that price held from Bob.
  const bobAfter = (await (await api.at(rented.blockHash)).query.system.account(bob.address)).data;
  assert.equal(bobAfter.reserved.toBigInt() - bobBefore.reserved.toBigInt(), 2n * price);
  const start = await blockNumber(rented.blockHash);

  // The machine beats a few blocks later; the owner claims price × blocks ÷ blocks per hour.
  const lastBeat = BigInt((await api.rpc.powerverse.machine(machine)).toJSON().lastHeartbeat);
  while ((await api.rpc.chain.getHeader()).number.toBigInt() < [start + 3n, lastBeat + 10n].reduce((a, b) => (a > b ? a : b))) {
    await new Promise((r) => setTimeout(r, 1000));
  }
  const beat = await send(api.tx.compute.heartbeat(machine), dave);
  const beatAt = await blockNumber(beat.blockHash);
  const claimed = await send(api.tx.market.claimEarnings(lease), dave);
  const paid = event(claimed.events, 'market', 'EarningsPaid');
  const [amount, fee] = [paid.data[2].toBigInt(), paid.data[3].toBigInt()];
  assert.equal(amount + fee, (price * (beatAt - start)) / BLOCKS_PER_HOUR);
  // The 5% protocol fee, rounded to the nearest planck (Perbill, halves down).
  const [q, r] = [((amount + fee) * 5n) / 100n, ((amount + fee) * 5n) % 100n];
  assert.equal(fee, r > 50n ? q + 1n : q);
});

// Confirmation latency: sends one transfer at a time (Alice → Bob, 1 PEC) to a node and prints
// submit→in-block and submit→finalized for each, then the median and p95. docs/performance.md.
//   node js/latency.mjs --url ws://127.0.0.1:9951 --count 10
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { powerverseTypes } from './powerverse-rpc.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const url = arg('--url', 'ws://127.0.0.1:9944');
const count = Number(arg('--count', '10'));
if (!/^wss?:\/\//.test(url) || !Number.isInteger(count) || count < 1 || count > 1000) {
  console.error('usage: latency.mjs [--url ws://host:port] [--count 1..1000]');
  process.exit(2);
}
const api = await ApiPromise.create({ provider: new WsProvider(url), types: powerverseTypes, noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const [alice, bob] = ['//Alice', '//Bob'].map((s) => keyring.addFromUri(s));
const inBlock = [];
const finalized = [];
for (let i = 0; i < count; i += 1) {
  const start = Date.now();
  await new Promise((resolve, reject) => {
    let unsub;
    api.tx.balances.transferKeepAlive(bob.address, 10n ** 12n).signAndSend(alice, ({ status }) => {
      if (status.isInBlock) inBlock.push(Date.now() - start);
      if (status.isFinalized) { finalized.push(Date.now() - start); unsub?.(); resolve(); }
    }).then((u) => { unsub = u; }, reject);
  });
  console.log(`transfer ${i + 1}: in block after ${inBlock[i]} ms, finalized after ${finalized[i]} ms`);
  // Submit at a random point of the slot, as a user would.
  await new Promise((r) => setTimeout(r, 1000 + Math.floor(Math.random() * 6000)));
}
const stat = (xs) => { const s = [...xs].sort((a, b) => a - b); return `median ${s[Math.floor(s.length / 2)]} ms, p95 ${s[Math.min(s.length - 1, Math.floor(0.95 * s.length))]} ms`; };
console.log(`submit→in-block: ${stat(inBlock)}; submit→finalized: ${stat(finalized)} (${count} transfers)`);
await api.disconnect();

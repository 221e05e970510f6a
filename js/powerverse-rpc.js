// polkadot.js RPC definitions for PowerVerse's `powerverse_*` JSON-RPC namespace.
//
// Optional parameters are `Option<…>` so that an explicit `null` reaches the node as null (a
// plain `u64` would turn it into 0).
//   import { ApiPromise, WsProvider } from '@polkadot/api';
//   import { powerverseRpc } from './powerverse-rpc.js';
//   const api = await ApiPromise.create({ provider: new WsProvider('ws://127.0.0.1:9944'), rpc: powerverseRpc });
//   const machine = (await api.rpc.powerverse.machine(0)).toJSON();
//
// Results are JSON: accounts as SS58 strings, PEC amounts as decimal strings of plancks
// (12 decimals), ids and block numbers as numbers. Reference: docs/api.md.

const at = { name: 'at', type: 'Hash', isOptional: true };
const limit = { name: 'limit', type: 'Option<u32>', isOptional: true };
// A page cursor: null for the first page, then the previous page's `next` (0x-hex), unchanged.
// `Bytes`, not `Text`: polkadot.js would turn a 0x string given as Text into the bytes it spells.
const cursor = { name: 'cursor', type: 'Option<Bytes>', isOptional: true };

export const powerverseRpc = {
  powerverse: {
    machine: {
      description: 'A machine by id with its live state (online, leased, collateral, score, owner).',
      params: [{ name: 'id', type: 'u64' }, at],
      type: 'Json',
    },
    machinesByProvider: {
      description: 'Machine ids of a provider in storage order after the cursor `after` (the previous page\'s last id), at most `limit` (1..=100).',
      params: [{ name: 'provider', type: 'Text' }, { name: 'after', type: 'Option<u64>', isOptional: true }, limit, at],
      type: 'Json',
    },
    machinesByOwner: {
      description: 'Machine ids whose compute NFT an account holds, paged like machinesByProvider.',
      params: [{ name: 'owner', type: 'Text' }, { name: 'after', type: 'Option<u64>', isOptional: true }, limit, at],
      type: 'Json',
    },
    openJobsForMachine: {
      description: 'Open jobs a machine can serve at its price, highest priority first, from `cursor` (null or the previous page\'s `next`).',
      params: [{ name: 'machine', type: 'u64' }, cursor, limit, at],
      type: 'Json',
    },
    quote: {
      description: 'The cheapest listed machines that could start a lease for the requirements now, from `cursor`.',
      params: [{ name: 'requirements', type: 'Json' }, cursor, limit, at],
      type: 'Json',
    },
    earnings: {
      description: 'Unsettled leases that pay an account, with what a claim pays now, from `cursor`.',
      params: [{ name: 'who', type: 'Text' }, cursor, limit, at],
      type: 'Json',
    },
    lease: {
      description: 'An unsettled lease with accrued and claimable amounts.',
      params: [{ name: 'id', type: 'u64' }, at],
      type: 'Json',
    },
    account: {
      description: "An account's open jobs, leases and the first page of its earnings (earnings pages through all).",
      params: [{ name: 'who', type: 'Text' }, at],
      type: 'Json',
    },
    supervisor: {
      description: "A supervisor: contribution, record (cases, with/against the majority, missed reveals) and its tasks.",
      params: [{ name: 'who', type: 'Text' }, at],
      type: 'Json',
    },
    pecPrice: {
      description: "PEC's price in the stable asset: the oracle's time-weighted average (twap), the pool's last price (spot), the window and why there is no average (error 1006 when no pool is tracked).",
      params: [at],
      type: 'Json',
    },
    tier: {
      description: "An account's loyalty tier: PEC frozen, until when, and the benefits it gives now (error 1005 for a non-member).",
      params: [{ name: 'who', type: 'Text' }, at],
      type: 'Json',
    },
    stake: {
      description: "A machine's staked NFT: pool weight, claimable reward, and why it earns nothing if it does not.",
      params: [{ name: 'machine', type: 'u64' }, at],
      type: 'Json',
    },
  },
};

/**
 * Types polkadot.js cannot take from the metadata: the `assetId` of the `ChargeAssetTxPayment`
 * transaction extension (the asset a transaction pays its fee in). polkadot.js assumes Asset
 * Hub's XCM location there; on PowerVerse it is the DEX's asset kind, `'Native'` or
 * `{ WithId: id }`. Without this, `signAndSend(pair, { assetId })` encodes a location and the
 * node rejects the transaction as undecodable.
 *   ApiPromise.create({ provider, rpc: powerverseRpc, types: powerverseTypes })
 *   tx.signAndSend(pair, { assetId: { WithId: 1 } })
 */
export const powerverseTypes = {
  TAssetConversion: 'Option<FrameSupportTokensFungibleUnionOfNativeOrWithId>',
};

export default powerverseRpc;

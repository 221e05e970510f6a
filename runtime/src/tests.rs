//! Runtime-level tests: genesis presets, PEC constants, and compute NFTs trading through the
//! real pallet-nfts configuration with the compute pallet as its `Locker` and the call filter.

use crate::{
	configs::{ComputeCollection, TreasuryAccount},
	genesis_config_presets, AccountId, Balances, BuildStorage, Compute, Nfts, OriginCaller,
	Runtime, RuntimeCall, RuntimeGenesisConfig, RuntimeOrigin, System, DAYS, EXISTENTIAL_DEPOSIT,
	HOURS, MILLI_SECS_PER_BLOCK, MINUTES, PEC,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use pallet_compute::ProviderProfile;
use powerverse_primitives::{ComputeInspect, ComputeLeasing, GpuSpec, MachineSpec, ModelName};
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::Dispatchable;

fn ext(preset: &str) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&preset.into()).expect("preset exists");
	ext_of(serde_json::from_slice(&patch).unwrap())
}

/// The runtime's default genesis with `patch` applied, as the node builds it (`get_preset(None)`
/// merged with the patch).
fn ext_of(patch: serde_json::Value) -> sp_io::TestExternalities {
	let default = genesis_config_presets::default_genesis_json().expect("serializes");
	let mut config: serde_json::Value = serde_json::from_slice(&default).unwrap();
	json_merge(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
	let mut ext: sp_io::TestExternalities = config.build_storage().unwrap().into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn json_merge(a: &mut serde_json::Value, b: serde_json::Value) {
	match (a, b) {
		(serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
			for (k, v) in b {
				json_merge(a.entry(k).or_insert(serde_json::Value::Null), v);
			}
		},
		(a, b) => *a = b,
	}
}

fn who(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

fn signed(k: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(who(k))
}

fn name(s: &str) -> ModelName {
	s.as_bytes().to_vec().try_into().unwrap()
}

fn register_verified_machine(provider: Sr25519Keyring) -> u64 {
	assert_ok!(Compute::register_provider(
		signed(provider),
		ProviderProfile {
			display_name: b"Berlin Compute".to_vec().try_into().unwrap(),
			operator: b"Hetzner".to_vec().try_into().unwrap(),
			city: b"Berlin".to_vec().try_into().unwrap(),
			country: *b"DE",
			contact_url: b"https://compute.example".to_vec().try_into().unwrap(),
			encryption_key: [1; 32],
		}
	));
	let id = pallet_compute::NextMachineId::<Runtime>::get();
	assert_ok!(Compute::register_machine(
		signed(provider),
		MachineSpec {
			cpu_model: name("AMD EPYC 9654"),
			cores: 96,
			threads: 192,
			ram_gib: 768,
			storage_gib: 15_000,
			bandwidth_mbps: 25_000,
			gpus: vec![GpuSpec { model: name("H100"), vram_gib: 80, count: 8 }].try_into().unwrap(),
		},
		who(provider),
		3 * PEC,
	));
	assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
	id
}

#[test]
fn block_time_derives_every_duration() {
	assert_eq!(MILLI_SECS_PER_BLOCK, 6_000);
	assert_eq!(MINUTES, 10);
	assert_eq!(HOURS, 600);
	assert_eq!(DAYS, 14_400);
	assert_eq!(EXISTENTIAL_DEPOSIT, PEC / 100);
}

#[test]
fn a_network_from_the_default_genesis_has_its_own_keys_and_no_sudo() {
	let (v1, v2) = (who(Sr25519Keyring::One), who(Sr25519Keyring::Two));
	let keys = |s: Sr25519Keyring, e: sp_keyring::Ed25519Keyring| {
		serde_json::json!({
			"aura": sp_core::crypto::Ss58Codec::to_ss58check(&s.public()),
			"grandpa": sp_core::crypto::Ss58Codec::to_ss58check(&e.public()),
		})
	};
	let patch = serde_json::json!({
		"balances": { "balances": [[v1.to_string(), 20_000 * PEC], [v2.to_string(), 20_000 * PEC]] },
		"validators": { "validators": [v1.to_string(), v2.to_string()] },
		"session": { "keys": [
			[v1.to_string(), v1.to_string(), keys(Sr25519Keyring::One, sp_keyring::Ed25519Keyring::One)],
			[v2.to_string(), v2.to_string(), keys(Sr25519Keyring::Two, sp_keyring::Ed25519Keyring::Two)],
		] },
	});
	ext_of(patch).execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 2);
		assert_eq!(
			pallet_validators::ValidatorSet::<Runtime>::get().to_vec(),
			vec![v1.clone(), v2.clone()]
		);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "no sudo outside the dev presets");
		// Each genesis validator holds the network's bond.
		assert_eq!(Balances::balance(&v1), 10_000 * PEC);
		assert_eq!(
			pallet_validators::Params::<Runtime>::get(),
			genesis_config_presets::validator_params(false)
		);
		assert_eq!(pallet_tiers::Params::<Runtime>::get(), genesis_config_presets::tier_params(1));
		assert_eq!(crate::configs::governance::origins::TimeDivisor::<Runtime>::get(), 1);
		// What a network's patch need not list: the treasury and compute accounts are endowed,
		// the collection exists, the parameters are the genesis ones.
		assert_eq!(
			Balances::balance(&TreasuryAccount::get()),
			genesis_config_presets::TREASURY_ENDOWMENT
		);
		let compute = pallet_compute::Pallet::<Runtime>::account_id();
		assert!(Balances::balance(&compute) > 0);
		assert_eq!(Nfts::collection_owner(ComputeCollection::get()), Some(compute));
		assert_eq!(
			pallet_compute_staking::Params::<Runtime>::get(),
			genesis_config_presets::staking_params()
		);
		assert_eq!(
			pallet_market::Params::<Runtime>::get(),
			genesis_config_presets::market_params()
		);
		// Issuance is the endowments plus what the genesis minted to the two accounts.
		let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
		assert_eq!(
			issuance,
			40_000 * PEC
				+ genesis_config_presets::TREASURY_ENDOWMENT
				+ genesis_config_presets::COMPUTE_ACCOUNT_ENDOWMENT
		);
	});
}

#[test]
fn presets_fund_dev_accounts_and_create_the_compute_collection() {
	for preset in ["development", "local_testnet"] {
		ext(preset).execute_with(|| {
			assert_eq!(
				Balances::balance(&who(Sr25519Keyring::Eve)),
				genesis_config_presets::DEV_ENDOWMENT
			);
			let owner = Nfts::collection_owner(ComputeCollection::get());
			assert_eq!(owner, Some(pallet_compute::Pallet::<Runtime>::account_id()));
			assert!(pallet_compute::HardwareModels::<Runtime>::get(name("H100")).is_some());
		});
	}
	ext("local_testnet").execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "sudo only in the development preset");
		// Validators hold their bond.
		assert_eq!(
			Balances::balance(&who(Sr25519Keyring::Bob)),
			genesis_config_presets::DEV_ENDOWMENT - 10_000 * PEC
		);
	});
	ext("development").execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(who(Sr25519Keyring::Alice)));
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
	});
}

/// The benchmark genesis leaves collection 0 to pallet-nfts' benchmarks, which create it
/// themselves: the id the compute pallet's lock check guards, so their transfers and burns are
/// measured with that check's read.
#[test]
fn benchmark_preset_leaves_the_compute_collection_id_free() {
	ext(genesis_config_presets::BENCHMARK_PRESET).execute_with(|| {
		assert_eq!(Nfts::collection_owner(ComputeCollection::get()), None);
		assert_eq!(pallet_nfts::NextCollectionId::<Runtime>::get(), None);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(who(Sr25519Keyring::Alice)));
	});
	let shipped = genesis_config_presets::preset_names();
	assert!(!shipped.contains(&genesis_config_presets::BENCHMARK_PRESET.into()));
}

/// A collection anyone may mint into with a deposit (pallet-nfts' defaults).
fn collection_config() -> pallet_nfts::CollectionConfigFor<Runtime> {
	pallet_nfts::CollectionConfig {
		settings: pallet_nfts::CollectionSettings::all_enabled(),
		max_supply: None,
		mint_settings: pallet_nfts::MintSettings::default(),
	}
}

/// A chain started before spec 102 has the compute collection but no collection counter past it:
/// Root's `nfts.forceCreate` collides with collection 0 until the upgrade's migration moves the
/// counter; the migration writes once.
#[test]
fn the_upgrade_frees_the_next_collection_id_on_old_chains() {
	use crate::migrations::AdvanceNextCollectionId;
	use frame_support::traits::OnRuntimeUpgrade;
	ext("development").execute_with(|| {
		let alice = who(Sr25519Keyring::Alice);
		// As genesis left it before spec 102.
		pallet_nfts::NextCollectionId::<Runtime>::kill();
		assert_noop!(
			Nfts::force_create(RuntimeOrigin::root(), alice.clone().into(), collection_config()),
			pallet_nfts::Error::<Runtime>::CollectionIdInUse
		);
		AdvanceNextCollectionId::on_runtime_upgrade();
		assert_eq!(
			pallet_nfts::NextCollectionId::<Runtime>::get(),
			Some(ComputeCollection::get() + 1)
		);
		// Once only: a second upgrade changes nothing.
		let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
		AdvanceNextCollectionId::on_runtime_upgrade();
		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		assert_ok!(Nfts::force_create(
			RuntimeOrigin::root(),
			alice.clone().into(),
			collection_config()
		));
		assert_eq!(Nfts::collection_owner(ComputeCollection::get() + 1), Some(alice));
		assert_eq!(
			Nfts::collection_owner(ComputeCollection::get()),
			Some(pallet_compute::Pallet::<Runtime>::account_id())
		);
	});
}

/// `nfts.create` can never succeed (no signed origin may create a collection) and is refused by
/// the call filter, before pallet-nfts reads anything — its weight is zero.
#[test]
fn signed_collection_creation_is_refused_before_the_pallet_runs() {
	ext("development").execute_with(|| {
		let call = RuntimeCall::Nfts(pallet_nfts::Call::create {
			admin: who(Sr25519Keyring::Alice).into(),
			config: collection_config(),
		});
		let next = pallet_nfts::NextCollectionId::<Runtime>::get();
		let err = call.dispatch(signed(Sr25519Keyring::Alice)).unwrap_err();
		assert_eq!(err.error, frame_system::Error::<Runtime>::CallFiltered.into());
		assert_eq!(pallet_nfts::NextCollectionId::<Runtime>::get(), next);
		// Root still creates collections through `force_create`.
		assert_ok!(Nfts::force_create(
			RuntimeOrigin::root(),
			who(Sr25519Keyring::Alice).into(),
			collection_config()
		));
	});
}

#[test]
fn compute_nft_trades_for_pec_and_a_locked_one_does_not_move() {
	ext("development").execute_with(|| {
		let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
		let id = register_verified_machine(alice);
		let collection = ComputeCollection::get();
		assert_eq!(Nfts::owner(collection, id), Some(who(alice)));
		// 8 H100 at 1000, 96 EPYC cores at 10, 768 GiB / 4.
		assert_eq!(Compute::score(id), Some(8 * 1000 + 96 * 10 + 768 / 4));

		let price = 50 * PEC;
		assert_ok!(Nfts::set_price(signed(alice), collection, id, Some(price), None));

		// Leased: the NFT is locked; a purchase fails and nothing moves.
		assert_ok!(Compute::mark_leased(id, 1_000));
		let (alice_before, bob_before) =
			(Balances::balance(&who(alice)), Balances::balance(&who(bob)));
		assert_noop!(
			Nfts::buy_item(signed(bob), collection, id, price),
			pallet_nfts::Error::<Runtime>::ItemLocked
		);
		assert_noop!(
			Nfts::transfer(signed(alice), collection, id, who(bob).into()),
			pallet_nfts::Error::<Runtime>::ItemLocked
		);
		assert_eq!(Nfts::owner(collection, id), Some(who(alice)));
		assert_eq!(Balances::balance(&who(alice)), alice_before);
		assert_eq!(Balances::balance(&who(bob)), bob_before);

		// Idle again: the sale goes through at the asked price and Bob becomes the beneficiary.
		assert_ok!(Compute::mark_idle(id));
		assert_ok!(Nfts::buy_item(signed(bob), collection, id, price));
		assert_eq!(Nfts::owner(collection, id), Some(who(bob)));
		assert_eq!(Balances::balance(&who(bob)), bob_before - price);
		assert_eq!(Balances::balance(&who(alice)), alice_before + price);
		assert_eq!(Compute::beneficiary(id), Some(who(bob)));
		assert_eq!(Compute::provider(id), Some(who(alice)));
	});
}

#[test]
fn owners_cannot_burn_compute_nfts_outside_retirement() {
	ext("development").execute_with(|| {
		let alice = Sr25519Keyring::Alice;
		let id = register_verified_machine(alice);
		let call = RuntimeCall::Nfts(pallet_nfts::Call::burn {
			collection: ComputeCollection::get(),
			item: id,
		});
		let err = call.dispatch(signed(alice)).unwrap_err();
		assert_eq!(err.error, frame_system::Error::<Runtime>::CallFiltered.into());
		assert_eq!(Nfts::owner(ComputeCollection::get(), id), Some(who(alice)));
		// Retiring burns it.
		assert_ok!(Compute::retire_machine(signed(alice), id));
		assert_eq!(Nfts::owner(ComputeCollection::get(), id), None);
	});
}

#[test]
fn nobody_can_create_collections_with_a_signed_origin() {
	ext("development").execute_with(|| {
		let alice = Sr25519Keyring::Alice;
		let call = RuntimeCall::Nfts(pallet_nfts::Call::create {
			admin: who(alice).into(),
			config: Default::default(),
		});
		assert!(call.dispatch(signed(alice)).is_err());
	});
}

#[test]
fn the_treasury_account_is_distinct_and_not_the_compute_account() {
	assert_ne!(TreasuryAccount::get(), pallet_compute::Pallet::<Runtime>::account_id());
}

#[test]
fn collateral_and_staking_work_through_the_runtime() {
	use crate::{configs::EraLength, ComputeStaking};
	use powerverse_primitives::MachineCollateral;
	ext("development").execute_with(|| {
		let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
		let id = register_verified_machine(alice);
		// Minimum: 100 PEC + 0.1 PEC × 9152 points.
		assert_eq!(ComputeStaking::minimum_collateral(id), 100 * PEC + 9152 * PEC / 10);
		assert!(!ComputeStaking::is_sufficiently_collateralized(id));
		assert_ok!(ComputeStaking::bond(signed(alice), id, 1_100 * PEC));
		assert!(ComputeStaking::is_sufficiently_collateralized(id));
		// A bonded machine cannot retire.
		assert_noop!(
			Compute::retire_machine(signed(alice), id),
			pallet_compute_staking::Error::<Runtime>::BondOutstanding
		);
		// Listed for rent, the machine is available to customers and its NFT earns.
		assert_ok!(crate::Market::list_machine(signed(alice), id));
		// Bob buys the NFT and stakes it; a day later he claims the whole era reward: he is the
		// only staker and the machine had no downtime.
		assert_ok!(Nfts::set_price(signed(alice), ComputeCollection::get(), id, Some(PEC), None));
		assert_ok!(Nfts::buy_item(signed(bob), ComputeCollection::get(), id, PEC));
		assert_ok!(ComputeStaking::stake_nft(signed(bob), id));
		// The operator beats every 10 minutes for a day: no downtime.
		for block in (1..=EraLength::get() + 1).step_by(100).skip(1) {
			System::set_block_number(block);
			assert_ok!(Compute::heartbeat(signed(alice), id));
		}
		let issuance = Balances::total_issuance();
		let before = Balances::balance(&who(bob));
		assert_ok!(ComputeStaking::claim_rewards(signed(bob), id));
		let era_reward = genesis_config_presets::staking_params().era_reward;
		let paid = Balances::balance(&who(bob)) - before;
		// The accumulator rounds down (to 10^-18 PEC per share): never more than the era reward.
		assert!(paid <= era_reward && era_reward - paid < 1_000, "paid {paid}");
		assert_eq!(Balances::total_issuance(), issuance + paid);
	});
}

#[test]
fn a_job_runs_through_the_market_with_real_compute_and_collateral() {
	use crate::{powerverse_api, ComputeStaking, Market};
	use pallet_market::LeaseStatus;
	use powerverse_primitives::{JobRequirements, MachineState};
	ext("development").execute_with(|| {
		let (alice, bob, charlie) =
			(Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie);
		let id = register_verified_machine(alice);
		let h100 = || JobRequirements {
			min_gpus: 8,
			gpu_model: Some(name("H100")),
			min_vram_gib: 80,
			region: Some(*b"DE"),
			..Default::default()
		};
		// Listed but not collateralized: no quote, and no lease.
		assert_ok!(Market::list_machine(signed(alice), id));
		assert!(powerverse_api::quote(h100(), 10).is_empty());
		assert_ok!(Market::post_job(
			signed(bob),
			h100(),
			6 * PEC,
			2,
			b"ipfs://job".to_vec().try_into().unwrap()
		));
		assert_noop!(
			Market::accept_job(signed(alice), 0, id),
			pallet_market::Error::<Runtime>::InsufficientCollateral
		);
		assert_ok!(ComputeStaking::bond(signed(alice), id, 1_100 * PEC));
		let quote = powerverse_api::quote(h100(), 10);
		assert_eq!((quote[0].machine, quote[0].price_per_hour), (id, 3 * PEC));
		assert_eq!(powerverse_api::open_jobs_for_machine(id, 0, 10)[0].id, 0);

		// Charlie buys the NFT: he earns from the lease.
		assert_ok!(Nfts::set_price(signed(alice), ComputeCollection::get(), id, Some(PEC), None));
		assert_ok!(Nfts::buy_item(signed(charlie), ComputeCollection::get(), id, PEC));
		let bob_before = Balances::balance(&who(bob));
		assert_ok!(Market::accept_job(signed(alice), 0, id));
		// 2 h × (6 − 3) PEC released at once.
		assert_eq!(Balances::balance(&who(bob)), bob_before + 6 * PEC);
		assert_eq!(Compute::state(id), Some(MachineState::Leased));
		// The leased NFT cannot be sold on.
		assert!(
			Nfts::transfer(signed(charlie), ComputeCollection::get(), id, who(bob).into()).is_err()
		);

		// Half an hour later Charlie claims 1.5 PEC less the 5% fee (the machine beat within
		// every heartbeat timeout, so it was never down).
		System::set_block_number(1 + HOURS / 4);
		assert_ok!(Compute::heartbeat(signed(alice), id));
		System::set_block_number(1 + HOURS / 2);
		assert_ok!(Compute::heartbeat(signed(alice), id));
		let (charlie_before, treasury_before) =
			(Balances::balance(&who(charlie)), Balances::balance(&TreasuryAccount::get()));
		let info = powerverse_api::lease(0).unwrap();
		assert_eq!(info.claimable, 3 * PEC / 2);
		assert_ok!(Market::claim_earnings(signed(charlie), 0));
		assert_eq!(Balances::balance(&who(charlie)), charlie_before + 3 * PEC / 2 * 95 / 100);
		assert_eq!(
			Balances::balance(&TreasuryAccount::get()),
			treasury_before + 3 * PEC / 2 * 5 / 100
		);
		let summary = powerverse_api::account(who(charlie));
		assert_eq!(summary.earnings, vec![(0, 0)]);
		assert_eq!(powerverse_api::account(who(bob)).leases, vec![0]);

		// Only the NFT's holder may retire it, and not while it is leased.
		assert_noop!(
			Compute::retire_machine(signed(alice), id),
			pallet_compute::Error::<Runtime>::NotNftHolder
		);
		assert_noop!(
			Compute::retire_machine(signed(charlie), id),
			pallet_compute::Error::<Runtime>::MachineLeased
		);
		assert!(<Market as powerverse_primitives::RetirementGuard>::ensure_can_retire(id).is_err());

		// Bob ends early after an hour: the second hour is refunded.
		System::set_block_number(1 + 3 * HOURS / 4);
		assert_ok!(Compute::heartbeat(signed(alice), id));
		System::set_block_number(1 + HOURS);
		assert_ok!(Compute::heartbeat(signed(alice), id));
		let bob_before = Balances::balance(&who(bob));
		assert_ok!(Market::end_lease(signed(bob), 0));
		assert_eq!(Balances::balance(&who(bob)), bob_before + 3 * PEC);
		assert_eq!(Compute::state(id), Some(MachineState::Idle));
		assert_eq!(powerverse_api::lease(0).unwrap().status, LeaseStatus::Ended);
		assert_ok!(Market::confirm_result(signed(bob), 0));
		assert!(powerverse_api::lease(0).is_none());
		let escrow = crate::RuntimeHoldReason::Market(pallet_market::HoldReason::Escrow);
		assert_eq!(
			<Balances as frame_support::traits::fungible::InspectHold<_>>::balance_on_hold(
				&escrow,
				&who(bob)
			),
			0
		);
		assert_eq!(powerverse_api::machines_by_owner(who(charlie), None, 10), vec![id]);
		assert_eq!(powerverse_api::machines_by_provider(who(alice), None, 10), vec![id]);
		assert_eq!(
			powerverse_api::machines_by_provider(who(alice), Some(id), 10),
			Vec::<u64>::new()
		);
		let m = powerverse_api::machine(id).unwrap();
		assert!(m.listed && m.sufficiently_collateralized && m.active_lease.is_none());
		assert_eq!(m.owner, who(charlie));
	});
}

/// Earnings, open jobs and quotes page by cursor: chained pages of any size list every item
/// exactly once, the provider phase and the owner phase included, and no page looks at more
/// than its budget.
#[test]
fn earnings_jobs_and_quotes_page_by_cursor() {
	use crate::{powerverse_api, ComputeStaking, Market};
	use powerverse_primitives::JobRequirements;
	ext("development").execute_with(|| {
		System::set_block_number(1);
		let (alice, bob, charlie) =
			(Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie);
		let first = register_verified_machine(alice);
		let spec = pallet_compute::Machines::<Runtime>::get(first).unwrap().spec;
		let mut machines = vec![first];
		for price in [2 * PEC, 5 * PEC] {
			let id = pallet_compute::NextMachineId::<Runtime>::get();
			assert_ok!(Compute::register_machine(signed(alice), spec.clone(), who(alice), price));
			assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
			machines.push(id);
		}
		for &m in &machines {
			assert_ok!(ComputeStaking::bond(signed(alice), m, 1_100 * PEC));
			assert_ok!(Market::list_machine(signed(alice), m));
		}
		// Quotes: cheapest first whatever the page size.
		let any = JobRequirements::default;
		let quoted: Vec<_> =
			powerverse_api::quote_page(any(), None, 10).items.iter().map(|q| q.machine).collect();
		assert_eq!(quoted, vec![machines[1], machines[0], machines[2]]);
		let (mut seen, mut cursor) = (Vec::new(), None);
		loop {
			let page = powerverse_api::quote_page(any(), cursor, 1);
			seen.extend(page.items.iter().map(|q| q.machine));
			cursor = page.next;
			if cursor.is_none() {
				break;
			}
		}
		assert_eq!(seen, quoted);
		// Open jobs: three fit the machines, chained one by one.
		for _ in 0..3 {
			assert_ok!(Market::post_job(
				signed(bob),
				any(),
				10 * PEC,
				1,
				b"ipfs://job".to_vec().try_into().unwrap()
			));
		}
		let (mut jobs, mut cursor) = (Vec::new(), None);
		loop {
			let page = powerverse_api::open_jobs_page(machines[0], cursor, 1);
			jobs.extend(page.items.iter().map(|j| j.id));
			cursor = page.next;
			if cursor.is_none() {
				break;
			}
		}
		assert_eq!(jobs, vec![0, 1, 2]);
		for job in 0..3u64 {
			assert_ok!(Market::cancel_job(signed(bob), job));
		}
		// Charlie buys machine 2's NFT: its leases pay him, the others pay Alice.
		let collection = ComputeCollection::get();
		assert_ok!(Nfts::set_price(signed(alice), collection, machines[2], Some(PEC), None));
		assert_ok!(Nfts::buy_item(signed(charlie), collection, machines[2], PEC));
		// Two unsettled leases per machine (rented, ended, rented again).
		let mut leases = Vec::new();
		for &m in &machines {
			for _ in 0..2 {
				leases.push(pallet_market::NextLeaseId::<Runtime>::get());
				assert_ok!(Market::rent_machine(
					signed(bob),
					m,
					1,
					10 * PEC,
					b"ipfs://job".to_vec().try_into().unwrap()
				));
				if leases.len() % 2 == 1 {
					assert_ok!(Market::end_lease(signed(bob), *leases.last().unwrap()));
				}
			}
		}
		let walk = |account: AccountId, limit: u32| {
			let (mut seen, mut cursor, mut pages) = (Vec::new(), None, 0);
			loop {
				let page = powerverse_api::earnings(account.clone(), cursor, limit);
				assert!(page.items.len() as u32 <= limit);
				seen.extend(page.items.iter().map(|e| (e.machine, e.lease)));
				pages += 1;
				cursor = page.next;
				if cursor.is_none() {
					return (seen, pages);
				}
			}
		};
		let alice_all: Vec<_> =
			leases[..4].iter().enumerate().map(|(i, l)| (machines[i / 2], *l)).collect();
		let charlie_all: Vec<_> = leases[4..].iter().map(|l| (machines[2], *l)).collect();
		for limit in [1, 2, 3, 100] {
			let (mut seen, pages) = walk(who(alice), limit);
			seen.sort_unstable();
			assert_eq!(seen, alice_all, "limit {limit}: every earning once");
			assert!(pages >= 4usize.div_ceil(limit as usize));
			let (mut seen, _) = walk(who(charlie), limit);
			seen.sort_unstable();
			assert_eq!(seen, charlie_all, "limit {limit}: the owner phase");
		}
		assert_eq!(walk(who(bob), 5).0, vec![]);
		// The account summary carries the first page.
		assert_eq!(powerverse_api::account(who(charlie)).earnings.len(), 2);
	});
}

/// Machine lists page by cursor in O(limit) reads: chained pages visit every machine once.
#[test]
fn machine_lists_page_by_cursor() {
	ext("development").execute_with(|| {
		System::set_block_number(1);
		let first = register_verified_machine(Sr25519Keyring::Alice);
		let mut all = vec![first];
		for _ in 0..6 {
			let id = pallet_compute::NextMachineId::<Runtime>::get();
			let spec = pallet_compute::Machines::<Runtime>::get(first).unwrap().spec;
			assert_ok!(Compute::register_machine(
				signed(Sr25519Keyring::Alice),
				spec,
				who(Sr25519Keyring::Alice),
				PEC
			));
			all.push(id);
		}
		for list in
			[crate::powerverse_api::machines_by_provider, crate::powerverse_api::machines_by_owner]
		{
			let (mut seen, mut after) = (Vec::new(), None);
			loop {
				let page = list(who(Sr25519Keyring::Alice), after, 3);
				assert!(page.len() <= 3);
				seen.extend(page.iter().copied());
				if page.len() < 3 {
					break;
				}
				after = page.last().copied();
			}
			seen.sort_unstable();
			assert_eq!(seen, all, "every machine exactly once");
			assert!(list(who(Sr25519Keyring::Bob), None, 3).is_empty());
		}
	});
}

#[test]
fn dust_goes_to_the_treasury_and_issuance_stays() {
	use frame_support::traits::fungible::Inspect;
	ext("development").execute_with(|| {
		let (alice, dave) = (Sr25519Keyring::Alice, Sr25519Keyring::Dave);
		let issuance = Balances::total_issuance();
		let treasury = Balances::balance(&TreasuryAccount::get());
		// Dave sends all but half an existential deposit: his account is reaped and the dust
		// must not vanish from the supply.
		let dust = crate::EXISTENTIAL_DEPOSIT / 2;
		let amount = Balances::balance(&who(dave)) - dust;
		assert_ok!(Balances::transfer_allow_death(signed(dave), who(alice).into(), amount));
		assert_eq!(Balances::balance(&who(dave)), 0);
		assert_eq!(Balances::balance(&TreasuryAccount::get()), treasury + dust);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn stock_pallets_are_charged_weights_priced_for_parity_db() {
	use frame_support::dispatch::GetDispatchInfo;
	use frame_system::{ExtensionsWeightInfo, WeightInfo as _};
	use pallet_grandpa::WeightInfo as _;

	// Storage is priced by this runtime's own ParityDB measurement, not the stock constants.
	type DbWeight = <Runtime as frame_system::Config>::DbWeight;
	let measured = crate::weights::paritydb_weights::constants::ParityDbWeight::get();
	assert_eq!(DbWeight::get(), measured);
	assert_ne!(measured, frame_support::weights::constants::ParityDbWeight::get());
	let write = DbWeight::get().writes(1).ref_time();
	// Block and extrinsic base weights: measured too.
	let limits = crate::configs::RuntimeBlockWeights::get();
	assert_eq!(limits.base_block, crate::weights::block_weights::BlockExecutionWeight::get());
	assert_eq!(
		limits.get(frame_support::dispatch::DispatchClass::Normal).base_extrinsic,
		crate::weights::extrinsic_weights::ExtrinsicBaseWeight::get()
	);
	assert_ne!(limits.base_block, frame_support::weights::constants::BlockExecutionWeight::get());

	// GRANDPA: the runtime's own measurement (runtime/src/weights/pallet_grandpa.rs).
	let stalled = RuntimeCall::Grandpa(pallet_grandpa::Call::note_stalled {
		delay: 10,
		best_finalized_block_number: 1,
	})
	.get_dispatch_info()
	.call_weight;
	assert_eq!(stalled, crate::configs::GrandpaWeight::note_stalled());
	// One write priced for ParityDB on top of the measured execution; the pallet's `()` weights
	// price that write for RocksDB.
	assert!(stalled.ref_time() > write);
	assert!(stalled.ref_time() < <() as pallet_grandpa::WeightInfo>::note_stalled().ref_time());

	// System calls and the transaction extensions every extrinsic pays for.
	let heap = RuntimeCall::System(frame_system::Call::set_heap_pages { pages: 64 })
		.get_dispatch_info()
		.call_weight;
	assert_eq!(heap, crate::weights::frame_system::WeightInfo::<Runtime>::set_heap_pages());
	assert_ne!(heap, frame_system::weights::SubstrateWeight::<Runtime>::set_heap_pages());
	assert!(heap.ref_time() > write);
	type Extensions = <Runtime as frame_system::Config>::ExtensionsWeightInfo;
	let nonce = Extensions::check_nonce();
	assert_eq!(
		nonce,
		crate::weights::frame_system_extensions::WeightInfo::<Runtime>::check_nonce()
	);
	assert_ne!(nonce, frame_system::SubstrateExtensionsWeight::<Runtime>::check_nonce());
	assert!(nonce.ref_time() < <() as ExtensionsWeightInfo>::check_nonce().ref_time());

	// Transfers: pallet-balances measured on this runtime.
	use pallet_balances::WeightInfo as _;
	let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: Sr25519Keyring::Bob.to_account_id().into(),
		value: PEC,
	})
	.get_dispatch_info()
	.call_weight;
	assert_eq!(
		transfer,
		crate::weights::pallet_balances::WeightInfo::<Runtime>::transfer_keep_alive()
	);
	assert_ne!(
		transfer,
		pallet_balances::weights::SubstrateWeight::<Runtime>::transfer_keep_alive()
	);

	// Compute NFTs: a transfer is measured on collection 0 (the benchmark genesis leaves that id
	// to the benchmark), so it pays the compute pallet's lock check — a read of the machine
	// record — which the shipped weights (measured with no locker) leave out.
	use pallet_nfts::WeightInfo as _;
	let nft_transfer = RuntimeCall::Nfts(pallet_nfts::Call::transfer {
		collection: ComputeCollection::get(),
		item: 0,
		dest: Sr25519Keyring::Bob.to_account_id().into(),
	})
	.get_dispatch_info()
	.call_weight;
	assert_eq!(nft_transfer, crate::weights::pallet_nfts::WeightInfo::<Runtime>::transfer());
	let shipped = pallet_nfts::weights::SubstrateWeight::<Runtime>::transfer();
	assert_ne!(nft_transfer, shipped);
	// Every call that consults the lock was measured with its read (the generated file lists the
	// storage each benchmark touched above its function).
	let generated = include_str!("weights/pallet_nfts.rs");
	// A swap moves two NFTs: two checks.
	for (call, reads) in [("transfer", 1), ("burn", 1), ("buy_item", 1), ("claim_swap", 2)] {
		let at = generated.find(&format!("fn {call}(")).expect("a weight for every call");
		let doc = &generated[generated[..at].rfind("}\n").unwrap_or(0)..at];
		let lock_check = format!("`Compute::Machines` (r:{reads} ");
		assert!(doc.contains(&lock_check), "{call}: measured with {reads} lock check(s)");
	}
	// Session keys: a registration verifies a proof of possession of each key (an sr25519 and an
	// ed25519 signature), which Parity's figure, measured with test keys, leaves out.
	use pallet_session::WeightInfo as _;
	let set_keys = RuntimeCall::Session(pallet_session::Call::set_keys {
		keys: crate::SessionKeys {
			aura: sp_consensus_aura::sr25519::AuthorityId::from(
				sp_core::sr25519::Public::from_raw([1; 32]),
			),
			grandpa: sp_consensus_grandpa::AuthorityId::from(sp_core::ed25519::Public::from_raw(
				[1; 32],
			)),
		},
		proof: vec![],
	})
	.get_dispatch_info()
	.call_weight;
	assert_eq!(set_keys, crate::weights::pallet_session::WeightInfo::<Runtime>::set_keys());
	let shipped = pallet_session::weights::SubstrateWeight::<Runtime>::set_keys();
	assert!(set_keys.ref_time() > shipped.ref_time());

	// nfts, session, transaction payment, and governance — preimages, the scheduler, referenda,
	// conviction voting and the treasury — are measured on this runtime (runtime/src/weights/;
	// the benchmark genesis keeps the real track periods), not their shipped RocksDB weights.
	{
		use core::any::TypeId;
		let wired: [(TypeId, TypeId, &str); 8] = [
			(
				TypeId::of::<<Runtime as pallet_nfts::Config>::WeightInfo>(),
				TypeId::of::<crate::weights::pallet_nfts::WeightInfo<Runtime>>(),
				"nfts",
			),
			(
				TypeId::of::<<Runtime as pallet_session::Config>::WeightInfo>(),
				TypeId::of::<crate::weights::pallet_session::WeightInfo<Runtime>>(),
				"session",
			),
			(
				TypeId::of::<<Runtime as pallet_transaction_payment::Config>::WeightInfo>(),
				TypeId::of::<crate::weights::pallet_transaction_payment::WeightInfo<Runtime>>(),
				"transaction payment",
			),
			(
				TypeId::of::<<Runtime as pallet_treasury::Config>::WeightInfo>(),
				TypeId::of::<crate::weights::pallet_treasury::WeightInfo<Runtime>>(),
				"treasury",
			),
			(
				TypeId::of::<<Runtime as pallet_preimage::Config>::WeightInfo>(),
				TypeId::of::<crate::weights::pallet_preimage::WeightInfo<Runtime>>(),
				"preimage",
			),
			(
				TypeId::of::<<Runtime as pallet_scheduler::Config>::WeightInfo>(),
				TypeId::of::<crate::weights::pallet_scheduler::WeightInfo<Runtime>>(),
				"scheduler",
			),
			(
				TypeId::of::<<Runtime as pallet_referenda::Config>::WeightInfo>(),
				TypeId::of::<crate::weights::pallet_referenda::WeightInfo<Runtime>>(),
				"referenda",
			),
			(
				TypeId::of::<<Runtime as pallet_conviction_voting::Config>::WeightInfo>(),
				TypeId::of::<crate::weights::pallet_conviction_voting::WeightInfo<Runtime>>(),
				"conviction voting",
			),
		];
		for (used, measured, pallet) in wired {
			assert_eq!(used, measured, "{pallet} uses this runtime's measured weights");
		}
		use pallet_conviction_voting::WeightInfo as _;
		use pallet_preimage::WeightInfo as _;
		let note = crate::weights::pallet_preimage::WeightInfo::<Runtime>::note_preimage(1024);
		assert_ne!(note, pallet_preimage::weights::SubstrateWeight::<Runtime>::note_preimage(1024));
		assert!(note.ref_time() > write);
		use pallet_treasury::WeightInfo as _;
		let payout = crate::weights::pallet_treasury::WeightInfo::<Runtime>::payout();
		assert_ne!(payout, pallet_treasury::weights::SubstrateWeight::<Runtime>::payout());
		assert!(payout.ref_time() > write);
		let vote = crate::weights::pallet_conviction_voting::WeightInfo::<Runtime>::vote_new();
		assert_ne!(vote, pallet_conviction_voting::weights::SubstrateWeight::<Runtime>::vote_new());
		assert!(vote.ref_time() > write);
	}

	// The DEX: assets, pools and fees paid in an asset, measured on this runtime
	// (runtime/src/weights/), not the pallets' shipped RocksDB weights.
	use frame_support::traits::fungible::NativeOrWithId;
	use pallet_asset_conversion::WeightInfo as _;
	use pallet_asset_conversion_tx_payment::WeightInfo as _;
	use pallet_assets::WeightInfo as _;
	let swap =
		RuntimeCall::AssetConversion(pallet_asset_conversion::Call::swap_exact_tokens_for_tokens {
			path: vec![Box::new(NativeOrWithId::Native), Box::new(NativeOrWithId::WithId(1))],
			amount_in: PEC,
			amount_out_min: 1,
			send_to: Sr25519Keyring::Alice.to_account_id(),
			keep_alive: true,
		})
		.get_dispatch_info()
		.call_weight;
	assert_eq!(swap, crate::weights::pallet_asset_conversion::WeightInfo::<Runtime>::swap_exact_tokens_for_tokens(2));
	assert_ne!(
		swap,
		pallet_asset_conversion::weights::SubstrateWeight::<Runtime>::swap_exact_tokens_for_tokens(
			2
		)
	);
	let transfer = RuntimeCall::Assets(pallet_assets::Call::transfer {
		id: 1u32.into(),
		target: Sr25519Keyring::Bob.to_account_id().into(),
		amount: 1,
	})
	.get_dispatch_info()
	.call_weight;
	assert_eq!(transfer, crate::weights::pallet_assets::WeightInfo::<Runtime>::transfer());
	assert!(transfer.ref_time() < <() as pallet_assets::WeightInfo>::transfer().ref_time());
	let in_asset = pallet_asset_conversion_tx_payment::ChargeAssetTxPayment::<Runtime>::from(
		0,
		Some(NativeOrWithId::WithId(1)),
	);
	let in_pec = pallet_asset_conversion_tx_payment::ChargeAssetTxPayment::<Runtime>::from(0, None);
	use sp_runtime::traits::TransactionExtension;
	let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
	assert_eq!(in_asset.weight(&call), crate::weights::pallet_asset_conversion_tx_payment::WeightInfo::<Runtime>::charge_asset_tx_payment_asset());
	assert_eq!(in_pec.weight(&call), crate::weights::pallet_asset_conversion_tx_payment::WeightInfo::<Runtime>::charge_asset_tx_payment_native());
	// A swap is paid for: a fee in an asset costs several times one in PEC.
	assert!(in_asset.weight(&call).ref_time() > 2 * in_pec.weight(&call).ref_time());
}

/// Runs every pallet's hooks for each block up to `n`, as block production would (the
/// scheduler enacts referenda, referenda advance, sessions rotate).
fn run_to_block(n: crate::BlockNumber) {
	use frame_support::traits::OnInitialize;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<(crate::Session, crate::Scheduler, crate::PriceOracle) as OnInitialize<_>>::on_initialize(
			next,
		);
	}
}

fn origin_of(o: crate::configs::governance::origins::Origin) -> RuntimeOrigin {
	RuntimeOrigin::from(o)
}

#[test]
fn privileged_calls_take_root_or_their_own_track() {
	use crate::configs::governance::origins::Origin;
	use crate::Market;
	ext("development").execute_with(|| {
		let mut params = genesis_config_presets::market_params();
		params.protocol_fee = sp_runtime::Perbill::from_percent(7);
		for wrong in [
			signed(Sr25519Keyring::Alice),
			origin_of(Origin::SupervisionAdmin),
			origin_of(Origin::Treasurer),
		] {
			assert_noop!(
				Market::set_params(wrong, params.clone()),
				sp_runtime::DispatchError::BadOrigin
			);
		}
		assert_ok!(Market::set_params(origin_of(Origin::ParamsAdmin), params.clone()));
		assert_eq!(pallet_market::Params::<Runtime>::get(), params);
		// Validators: the validators track, not the parameters track.
		assert_noop!(
			crate::Validators::reject(origin_of(Origin::ParamsAdmin), who(Sr25519Keyring::Bob)),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			crate::Validators::reject(origin_of(Origin::ValidatorAdmin), who(Sr25519Keyring::Bob)),
			pallet_validators::Error::<Runtime>::NotCandidate
		);
	});
}

#[test]
fn the_treasurer_track_spends_up_to_its_limit() {
	use crate::configs::governance::{origins::Origin, MAX_TREASURER_SPEND};
	ext("development").execute_with(|| {
		let bob = who(Sr25519Keyring::Bob);
		let spend = |origin, amount| {
			crate::Treasury::spend(origin, Box::new(()), amount, Box::new(bob.clone().into()), None)
		};
		assert_noop!(
			spend(origin_of(Origin::Treasurer), MAX_TREASURER_SPEND + 1),
			pallet_treasury::Error::<Runtime>::InsufficientPermission
		);
		assert_noop!(
			spend(origin_of(Origin::ParamsAdmin), PEC),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(spend(origin_of(Origin::Treasurer), 1_000 * PEC));
		let before = Balances::balance(&bob);
		assert_ok!(crate::Treasury::payout(signed(Sr25519Keyring::Eve), 0));
		assert_eq!(Balances::balance(&bob), before + 1_000 * PEC);
	});
}

#[test]
fn a_referendum_passed_by_conviction_votes_changes_a_market_parameter() {
	use crate::{configs::governance::origins::Origin, ConvictionVoting, Market, Referenda};
	use pallet_conviction_voting::{AccountVote, Conviction, Vote};
	ext("development").execute_with(|| {
		let mut params = genesis_config_presets::market_params();
		params.protocol_fee = sp_runtime::Perbill::from_percent(3);
		let call = RuntimeCall::Market(pallet_market::Call::set_params { params: params.clone() });
		let proposal =
			<crate::Preimage as frame_support::traits::StorePreimage>::bound(call).unwrap();
		let (alice, bob, charlie) =
			(Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie);
		// Without the submission deposit: refused, nothing stored.
		let poor = who(Sr25519Keyring::One);
		assert_noop!(
			Referenda::submit(
				RuntimeOrigin::signed(poor),
				Box::new(OriginCaller::Origins(Origin::ParamsAdmin)),
				proposal.clone(),
				frame_support::traits::schedule::DispatchTime::After(1),
			),
			pallet_balances::Error::<Runtime>::InsufficientBalance
		);
		assert_ok!(Referenda::submit(
			signed(alice),
			Box::new(OriginCaller::Origins(Origin::ParamsAdmin)),
			proposal,
			frame_support::traits::schedule::DispatchTime::After(1),
		));
		let index = pallet_referenda::ReferendumCount::<Runtime>::get() - 1;
		assert_ok!(Referenda::place_decision_deposit(signed(alice), index));
		let vote = |aye, conviction, balance| AccountVote::Standard {
			vote: Vote { aye, conviction },
			balance,
		};
		// Voting more than one holds is refused.
		assert_noop!(
			ConvictionVoting::vote(
				signed(bob),
				index,
				AccountVote::Standard {
					vote: Vote { aye: true, conviction: Conviction::None },
					balance: 2_000_000 * PEC
				}
			),
			pallet_conviction_voting::Error::<Runtime>::InsufficientFunds
		);
		// 1.8M PEC aye, with 0.1× conviction (no lock), against 0.9M nay at 1×: the nays would
		// win (0.18M < 0.9M weighted)...
		assert_ok!(ConvictionVoting::vote(
			signed(bob),
			index,
			vote(true, Conviction::None, 900_000 * PEC)
		));
		assert_ok!(ConvictionVoting::vote(
			signed(charlie),
			index,
			vote(true, Conviction::None, 900_000 * PEC)
		));
		assert_ok!(ConvictionVoting::vote(
			signed(alice),
			index,
			vote(false, Conviction::Locked1x, 900_000 * PEC)
		));
		run_to_block(System::block_number() + 20);
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
			Some(pallet_referenda::ReferendumInfo::Ongoing(..))
		));
		// ...until the ayes lock their PEC with 3× conviction (2.7M weighted).
		assert_ok!(ConvictionVoting::vote(
			signed(bob),
			index,
			vote(true, Conviction::Locked3x, 900_000 * PEC)
		));
		assert_ok!(ConvictionVoting::vote(
			signed(charlie),
			index,
			vote(true, Conviction::Locked3x, 900_000 * PEC)
		));
		assert_ne!(pallet_market::Params::<Runtime>::get(), params);
		run_to_block(System::block_number() + 40);
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
			Some(pallet_referenda::ReferendumInfo::Approved(..))
		));
		assert_eq!(pallet_market::Params::<Runtime>::get(), params);
		let _ = Market::set_params; // the call the referendum dispatched
							  // The votes stay locked for the conviction's period.
		assert!(pallet_balances::Locks::<Runtime>::get(who(bob))
			.iter()
			.any(|l| l.amount == 900_000 * PEC));
	});
}

#[test]
fn the_dex_prices_pec_and_a_stable_priced_machine_is_rented_at_the_oracle_price() {
	use crate::{AssetConversion, Assets, Market, PriceOracle};
	use frame_support::traits::{fungible::NativeOrWithId, fungibles::Inspect as _};
	use genesis_config_presets::{DEV_STABLE_ASSET as USD, DEV_STABLE_ENDOWMENT, DEV_STABLE_UNIT};
	const CENT: u128 = DEV_STABLE_UNIT / 100;
	ext("development").execute_with(|| {
		let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
		// The dev preset's test stablecoin: every dev account holds a million tUSD.
		assert_eq!(Assets::balance(USD, who(bob)), DEV_STABLE_ENDOWMENT);
		assert_eq!(<Assets as frame_support::traits::fungibles::metadata::Inspect<_>>::decimals(USD), 6);
		// Only governance creates assets.
		assert_noop!(
			Assets::create(signed(alice), 2u32.into(), who(alice).into(), 1),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), 2u32.into(), who(alice).into(), true, 1));
		assert!(Assets::asset_exists(2));
		let (native, usd) = (Box::new(NativeOrWithId::Native), Box::new(NativeOrWithId::WithId(USD)));
		// Swapping before any pool, or through an empty one: refused.
		assert_noop!(
			AssetConversion::swap_exact_tokens_for_tokens(signed(alice), vec![native.clone(), usd.clone()], PEC, 1, who(alice), false),
			pallet_asset_conversion::Error::<Runtime>::PoolEmpty
		);
		// The oracle has tracked tUSD since genesis, but there is no pool yet.
		assert_eq!(pallet_price_oracle::Tracked::<Runtime>::get(), Some(USD));
		assert_eq!(PriceOracle::twap(), Err(powerverse_primitives::PriceUnavailable::NoPrice));
		assert_ok!(AssetConversion::create_pool(signed(alice), native.clone(), usd.clone()));
		// 100,000 PEC against $200,000: $2 per PEC.
		assert_ok!(AssetConversion::add_liquidity(
			signed(alice), native.clone(), usd.clone(), 100_000 * PEC, 200_000 * 100 * CENT, 1, 1, who(alice)
		));
		// A swap beyond the caller's slippage limit is refused, either way round.
		assert_noop!(
			AssetConversion::swap_exact_tokens_for_tokens(signed(alice), vec![native.clone(), usd.clone()], 10 * PEC, 20 * 100 * CENT, who(alice), false),
			pallet_asset_conversion::Error::<Runtime>::ProvidedMinimumNotSufficientForSwap
		);
		assert_noop!(
			AssetConversion::swap_tokens_for_exact_tokens(signed(alice), vec![usd.clone(), native.clone()], 10 * PEC, 20 * 100 * CENT, who(alice), false),
			pallet_asset_conversion::Error::<Runtime>::ProvidedMaximumNotSufficientForSwap
		);
		assert_ok!(AssetConversion::swap_exact_tokens_for_tokens(signed(alice), vec![native.clone(), usd.clone()], 10 * PEC, 19 * 100 * CENT, who(alice), false));
		// The pool's fee is governance's: 1% instead of 0.3%, at most 10%; quotes follow it.
		let pool = (NativeOrWithId::Native, NativeOrWithId::WithId(USD));
		let fee = sp_runtime::Permill::from_percent(1);
		assert_noop!(AssetConversion::set_pool_fee(signed(alice), pool.clone(), fee), sp_runtime::DispatchError::BadOrigin);
		assert_noop!(
			AssetConversion::set_pool_fee(RuntimeOrigin::root(), pool.clone(), sp_runtime::Permill::from_percent(11)),
			pallet_asset_conversion::Error::<Runtime>::FeeTooHigh
		);
		assert_ok!(AssetConversion::set_pool_fee(RuntimeOrigin::root(), pool.clone(), fee));
		let (r_pec, r_usd) = AssetConversion::get_reserves(pool.0.clone(), pool.1.clone()).unwrap();
		let amount_in = 10 * PEC;
		let u = sp_core::U256::from;
		let with_fee = u(amount_in) * u(990_000u128);
		let expected_out: u128 = (with_fee * u(r_usd) / (u(r_pec) * u(1_000_000u128) + with_fee)).as_u128();
		assert_eq!(AssetConversion::quote_price_exact_tokens_for_tokens(pool.0.clone(), pool.1.clone(), amount_in, true), Some(expected_out));
		// Liquidity comes back out, LP tokens burned, to the planck of the pool's share.
		let lp_token = pallet_asset_conversion::Pools::<Runtime>::get(&pool).unwrap().lp_token;
		let lp = <crate::PoolAssets as frame_support::traits::fungibles::Inspect<_>>::balance(lp_token, &who(alice));
		let usd_before = Assets::balance(USD, who(alice));
		assert_ok!(AssetConversion::remove_liquidity(signed(alice), native.clone(), usd.clone(), lp / 10, 1, 1, who(alice)));
		assert_eq!(<crate::PoolAssets as frame_support::traits::fungibles::Inspect<_>>::balance(lp_token, &who(alice)), lp - lp / 10);
		let (r_pec2, r_usd2) = AssetConversion::get_reserves(pool.0.clone(), pool.1.clone()).unwrap();
		assert!(r_pec2 < r_pec && r_usd2 < r_usd);
		assert_eq!(Assets::balance(USD, who(alice)), usd_before + (r_usd - r_usd2));
		// Tracking is governance's; a dev chain's window is 24 blocks (scaled hour, floored), and
		// there is no average before half of it.
		assert_noop!(PriceOracle::track(signed(alice), USD), sp_runtime::DispatchError::BadOrigin);
		assert_ok!(PriceOracle::track(RuntimeOrigin::root(), USD));
		assert_eq!(<<Runtime as pallet_price_oracle::Config>::Window as frame_support::traits::Get<_>>::get(), 24);
		run_to_block(System::block_number() + 11);
		assert_eq!(PriceOracle::twap(), Err(powerverse_primitives::PriceUnavailable::NoPrice));
		run_to_block(System::block_number() + 30);
		let twap = PriceOracle::twap().expect("a price after 41 blocks");
		let two = sp_runtime::FixedU128::from_u32(2 * 100 * CENT as u32);
		assert!(twap > two * sp_runtime::FixedU128::from_rational(99, 100) && twap < two, "{twap:?}");
		// A machine priced at $3 an hour is rented at the oracle's PEC price.
		let machine = register_verified_machine(bob);
		let minimum = pallet_compute_staking::Pallet::<Runtime>::minimum_for(machine);
		assert_ok!(crate::ComputeStaking::bond(signed(bob), machine, minimum));
		assert_ok!(Market::list_machine(signed(bob), machine));
		assert_ok!(Market::set_stable_price(signed(bob), machine, Some(3 * 100 * CENT)));
		let expected = <PriceOracle as powerverse_primitives::PecPrice<crate::Balance>>::stable_to_pec(3 * 100 * CENT).unwrap();
		let charlie = Sr25519Keyring::Charlie;
		let spec: pallet_market::JobSpecOf<Runtime> = b"ipfs://job".to_vec().try_into().unwrap();
		let lease = pallet_market::NextLeaseId::<Runtime>::get();
		assert_ok!(Market::rent_machine(signed(charlie), machine, 2, expected, spec));
		let record = pallet_market::Leases::<Runtime>::get(lease).unwrap();
		assert_eq!((record.price_per_hour, record.held), (expected, 2 * expected));
		// About 1.5 PEC an hour at $2 per PEC.
		assert!(expected > 3 * PEC / 2 && expected < 3 * PEC / 2 + PEC / 50, "{expected}");
	});
}

/// Signs `call` as `k` with the runtime's extensions, paying the fee in `fee_asset` (PEC when
/// `None`), and applies it as block production would.
fn apply_signed(
	k: Sr25519Keyring,
	call: RuntimeCall,
	fee_asset: Option<crate::configs::AssetKind>,
) -> sp_runtime::ApplyExtrinsicResult {
	let extension: crate::TxExtension = (
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(sp_runtime::generic::Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(System::account_nonce(who(k))),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_tiers::CheckEarlyAccess::<Runtime>::new(),
		pallet_asset_conversion_tx_payment::ChargeAssetTxPayment::<Runtime>::from(0, fee_asset),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	);
	let payload =
		crate::SignedPayload::new(call.clone(), extension.clone()).expect("implicit data");
	let signature = codec::Encode::using_encoded(&payload, |bytes| k.sign(bytes));
	let xt = crate::UncheckedExtrinsic::new_signed(
		call,
		who(k).into(),
		sp_runtime::MultiSignature::Sr25519(signature),
		extension,
	);
	crate::Executive::apply_extrinsic(xt)
}

#[test]
fn fees_are_paid_in_the_stable_asset_through_the_pool_and_reach_the_treasury_as_pec() {
	use crate::{AssetConversion, Assets};
	use frame_support::traits::fungible::NativeOrWithId;
	use genesis_config_presets::{DEV_STABLE_ASSET as USD, DEV_STABLE_UNIT};
	use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};
	ext("development").execute_with(|| {
		let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
		// `One` holds tUSD and no PEC at all (tUSD is sufficient: the account exists).
		let one = Sr25519Keyring::One;
		assert_ok!(Assets::transfer(
			signed(alice),
			USD.into(),
			who(one).into(),
			100 * DEV_STABLE_UNIT
		));
		assert_eq!(Balances::total_balance(&who(one)), 0);
		let pay = || {
			RuntimeCall::Assets(pallet_assets::Call::transfer {
				id: USD.into(),
				target: who(bob).into(),
				amount: DEV_STABLE_UNIT,
			})
		};
		let tusd = Some(NativeOrWithId::WithId(USD));
		let payment = Err(TransactionValidityError::Invalid(InvalidTransaction::Payment));
		// No pool yet: paying in tUSD is invalid, and so is paying in PEC it does not have.
		assert_eq!(apply_signed(one, pay(), tusd.clone()), payment);
		assert_eq!(apply_signed(one, pay(), None), payment);
		// An asset without a pool with PEC, likewise; nothing moved, the nonce is unchanged.
		assert_eq!(apply_signed(one, pay(), Some(NativeOrWithId::WithId(7))), payment);
		assert_eq!(Assets::balance(USD, who(one)), 100 * DEV_STABLE_UNIT);
		assert_eq!(System::account_nonce(who(one)), 0);

		let (native, usd) =
			(Box::new(NativeOrWithId::Native), Box::new(NativeOrWithId::WithId(USD)));
		assert_ok!(AssetConversion::create_pool(signed(alice), native.clone(), usd.clone()));
		assert_ok!(AssetConversion::add_liquidity(
			signed(alice),
			native,
			usd,
			100_000 * PEC,
			200_000 * DEV_STABLE_UNIT,
			1,
			1,
			who(alice)
		));
		let (pool_pec, pool_usd) =
			AssetConversion::get_reserves(NativeOrWithId::Native, NativeOrWithId::WithId(USD))
				.unwrap();
		let treasury = Balances::free_balance(TreasuryAccount::get());
		System::reset_events();
		assert_eq!(apply_signed(one, pay(), tusd), Ok(Ok(())));
		let fee = System::events()
			.into_iter()
			.find_map(|r| match r.event {
				crate::RuntimeEvent::AssetTxPayment(
					pallet_asset_conversion_tx_payment::Event::AssetTxFeePaid {
						who: payer,
						actual_fee,
						asset_id,
						..
					},
				) if payer == who(one) && asset_id == NativeOrWithId::WithId(USD) => Some(actual_fee),
				_ => None,
			})
			.expect("AssetTxFeePaid");
		assert!(fee > 0);
		// One paid the transfer and the fee in tUSD; the pool took the tUSD and gave the treasury
		// exactly the PEC it lost.
		assert_eq!(Assets::balance(USD, who(one)), 99 * DEV_STABLE_UNIT - fee);
		let (pool_pec_after, pool_usd_after) =
			AssetConversion::get_reserves(NativeOrWithId::Native, NativeOrWithId::WithId(USD))
				.unwrap();
		assert_eq!(pool_usd_after, pool_usd + fee);
		let to_treasury = Balances::free_balance(TreasuryAccount::get()) - treasury;
		assert!(to_treasury > 0);
		assert_eq!(pool_pec - pool_pec_after, to_treasury);
		// At about $2 a PEC, the tUSD fee is worth about twice the PEC fee, plus the pool's 0.3%.
		let fee_at_spot = to_treasury * pool_usd / pool_pec;
		assert!(
			fee >= fee_at_spot && fee <= fee_at_spot * 1_010 / 1_000 + 1,
			"{fee} vs {fee_at_spot}"
		);
		assert_eq!(System::account_nonce(who(one)), 1);
		assert_eq!(Balances::total_balance(&who(one)), 0);
	});
}

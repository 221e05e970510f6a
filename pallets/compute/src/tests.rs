//! Unit tests: a success and a failure test for every call, the traits other pallets use, the
//! NFT locks through pallet-nfts, and a property test of random call sequences, on the test
//! runtime of the real pallets (retirement asks the real staking and market pallets).

use crate::{mock::*, Error, Event, HardwareClass, MachineStatus, Machines, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use pallet_nfts::Error as NftError;
use powerverse_primitives::{
	ComputeInspect, ComputeLeasing, ComputeNftLocks, ComputeNftSeizure, GpuSpec, MachineSpec,
	MachineState, MachineVerification, NftLockReason, Reviewer,
};
use sp_runtime::traits::BadOrigin;

fn alice() -> AccountId {
	account(1)
}
fn bob() -> AccountId {
	account(2)
}
fn charlie() -> AccountId {
	account(3)
}
/// Funded with nothing.
fn pauper() -> AccountId {
	PAUPER
}

fn register_provider(who: &AccountId) {
	assert_ok!(Compute::register_provider(origin(who), profile()));
}

/// Registers `who` (if needed) and a GPU machine operated by `charlie`; returns its id.
fn register_machine(who: &AccountId) -> u64 {
	if Providers::<Test>::get(who).is_none() {
		register_provider(who);
	}
	let id = NextMachineId::<Test>::get();
	assert_ok!(Compute::register_machine(origin(who), gpu_spec(), charlie(), 2_000));
	id
}

fn verified_machine(who: &AccountId) -> u64 {
	let id = register_machine(who);
	assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
	id
}

/// A test of the traits other pallets call (`ComputeNftLocks`, `ComputeLeasing`,
/// `ComputeNftSeizure`) on their own: it reaches states the staking and market pallets would
/// never leave behind (a stake lock without a stake), so only compute's own invariants and
/// conservation are checked afterwards. The cross-pallet paths are tested in
/// `powerverse-test-runtime`'s attack and property tests.
fn trait_contract_test(test: impl FnOnce()) {
	ExtBuilder::build().execute_with(|| {
		let issuance = pallet_balances::TotalIssuance::<Test>::get();
		test();
		Compute::do_try_state().expect("compute invariants hold");
		assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance);
	})
}

// ---------------------------------------------------------------- providers

#[test]
fn register_provider_works() {
	ExtBuilder::build_and_execute(|| {
		register_provider(&alice());
		let p = Providers::<Test>::get(alice()).unwrap();
		assert_eq!(p.profile, profile());
		assert_eq!(p.live_machines, 0);
		System::assert_last_event(Event::ProviderRegistered { provider: alice() }.into());
	});
}

#[test]
fn register_provider_twice_fails() {
	ExtBuilder::build_and_execute(|| {
		register_provider(&alice());
		assert_noop!(
			Compute::register_provider(origin(&alice()), profile()),
			Error::<Test>::ProviderAlreadyRegistered
		);
	});
}

#[test]
fn register_provider_rejects_each_bad_profile_field() {
	ExtBuilder::build_and_execute(|| {
		let cases: Vec<(Box<dyn Fn(&mut ProviderProfile)>, Error<Test>)> = vec![
			(Box::new(|p| p.display_name = Default::default()), Error::EmptyDisplayName),
			(
				Box::new(|p| p.display_name = b"   ".to_vec().try_into().unwrap()),
				Error::EmptyDisplayName,
			),
			(Box::new(|p| p.operator = Default::default()), Error::EmptyOperatorName),
			(Box::new(|p| p.city = Default::default()), Error::EmptyCity),
			(Box::new(|p| p.country = *b"de"), Error::InvalidCountryCode),
			(Box::new(|p| p.country = *b"1X"), Error::InvalidCountryCode),
			(
				Box::new(|p| p.contact_url = b"ftp://x".to_vec().try_into().unwrap()),
				Error::InvalidContactUrl,
			),
			(
				Box::new(|p| p.contact_url = b"https://".to_vec().try_into().unwrap()),
				Error::InvalidContactUrl,
			),
			(Box::new(|p| p.encryption_key = [0; 32]), Error::InvalidEncryptionKey),
		];
		for (mutate, error) in cases {
			let mut bad = profile();
			mutate(&mut bad);
			assert_noop!(Compute::register_provider(origin(&alice()), bad), error);
		}
	});
}

#[test]
fn register_provider_needs_a_signed_origin() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(Compute::register_provider(RuntimeOrigin::root(), profile()), BadOrigin);
	});
}

#[test]
fn update_provider_works() {
	ExtBuilder::build_and_execute(|| {
		register_provider(&alice());
		let mut p = profile();
		p.city = b"Singapore".to_vec().try_into().unwrap();
		p.country = *b"SG";
		assert_ok!(Compute::update_provider(origin(&alice()), p.clone()));
		assert_eq!(Providers::<Test>::get(alice()).unwrap().profile, p);
		System::assert_last_event(Event::ProviderUpdated { provider: alice() }.into());
	});
}

#[test]
fn update_provider_fails_for_strangers_and_bad_profiles() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			Compute::update_provider(origin(&bob()), profile()),
			Error::<Test>::NotAProvider
		);
		register_provider(&alice());
		let mut bad = profile();
		bad.country = *b"d1";
		assert_noop!(
			Compute::update_provider(origin(&alice()), bad),
			Error::<Test>::InvalidCountryCode
		);
	});
}

#[test]
fn deregister_provider_works_once_machines_are_retired() {
	ExtBuilder::build_and_execute(|| {
		let id = register_machine(&alice());
		assert_noop!(
			Compute::deregister_provider(origin(&alice())),
			Error::<Test>::ProviderHasLiveMachines
		);
		assert_ok!(Compute::retire_machine(origin(&alice()), id));
		assert_ok!(Compute::deregister_provider(origin(&alice())));
		assert!(Providers::<Test>::get(alice()).is_none());
		System::assert_last_event(Event::ProviderDeregistered { provider: alice() }.into());
	});
}

#[test]
fn deregister_provider_fails_for_non_providers() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(Compute::deregister_provider(origin(&bob())), Error::<Test>::NotAProvider);
	});
}

// ---------------------------------------------------------------- machines

#[test]
fn register_machine_mints_the_nft_with_spec_attributes() {
	ExtBuilder::build_and_execute(|| {
		let id = register_machine(&alice());
		assert_eq!(id, 0);
		let m = Machines::<Test>::get(id).unwrap();
		assert_eq!(m.provider, alice());
		assert_eq!(m.operator, charlie());
		assert_eq!(m.score, GPU_SPEC_SCORE);
		assert_eq!(m.status, MachineStatus::PendingVerification);
		assert_eq!(Nfts::owner(COLLECTION, id), Some(alice()));
		// Attributes live in pallet-nfts' `Pallet` namespace.
		let attr = |k: &str| {
			<Nfts as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::system_attribute(
				&COLLECTION,
				Some(&id),
				k.as_bytes(),
			)
		};
		assert_eq!(attr("cores"), Some(b"64".to_vec()));
		assert_eq!(attr("ram_gib"), Some(b"512".to_vec()));
		assert_eq!(attr("gpu_count"), Some(b"6".to_vec()));
		assert_eq!(attr("gpu.0"), Some(b"4x H100 80GiB".to_vec()));
		assert_eq!(attr("gpu.1"), Some(b"2x RTX 4090 24GiB".to_vec()));
		assert_eq!(attr("cpu_model"), Some(b"AMD EPYC 9654".to_vec()));
		assert_eq!(attr("score"), Some(GPU_SPEC_SCORE.to_string().into_bytes()));
		assert_eq!(Providers::<Test>::get(alice()).unwrap().live_machines, 1);
		assert!(MachinesByProvider::<Test>::contains_key(alice(), id));
		// The provider paid the item deposit.
		assert_eq!(Balances::reserved_balance(&alice()), ITEM_DEPOSIT);
		System::assert_last_event(
			Event::MachineRegistered {
				machine: id,
				provider: alice(),
				operator: charlie(),
				score: GPU_SPEC_SCORE,
				price_per_hour: 2_000,
			}
			.into(),
		);
		let _ = Balances::total_balance_on_hold(&alice());
	});
}

#[test]
fn register_machine_scores_cpu_only_machines_with_the_default_core_score() {
	ExtBuilder::build_and_execute(|| {
		register_provider(&alice());
		assert_ok!(Compute::register_machine(origin(&alice()), cpu_only_spec(), alice(), 100));
		assert_eq!(Machines::<Test>::get(0).unwrap().score, 16 * 4 + 64 / 4);
	});
}

#[test]
fn register_machine_requires_a_provider_and_a_price() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			Compute::register_machine(origin(&bob()), gpu_spec(), bob(), 1),
			Error::<Test>::NotAProvider
		);
		register_provider(&bob());
		assert_noop!(
			Compute::register_machine(origin(&bob()), gpu_spec(), bob(), 0),
			Error::<Test>::ZeroPrice
		);
	});
}

#[test]
fn register_machine_rejects_each_impossible_spec() {
	ExtBuilder::build_and_execute(|| {
		register_provider(&alice());
		let gpu = |model: &str, vram: u32, count: u32| GpuSpec {
			model: name(model),
			vram_gib: vram,
			count,
		};
		let cases: Vec<(Box<dyn Fn(&mut MachineSpec)>, Error<Test>)> = vec![
			(Box::new(|s| s.cpu_model = Default::default()), Error::EmptyCpuModel),
			(Box::new(|s| s.cores = 0), Error::ZeroCores),
			(
				Box::new(|s| {
					s.cores = 513;
					s.threads = 1026
				}),
				Error::TooManyCores,
			),
			(Box::new(|s| s.threads = 63), Error::ThreadsBelowCores),
			(Box::new(|s| s.threads = 64 * 8 + 1), Error::TooManyThreads),
			(Box::new(|s| s.ram_gib = 0), Error::ZeroRam),
			(Box::new(|s| s.ram_gib = 16385), Error::TooMuchRam),
			(Box::new(|s| s.storage_gib = 0), Error::ZeroStorage),
			(Box::new(|s| s.bandwidth_mbps = 0), Error::ZeroBandwidth),
			(
				Box::new(move |s| s.gpus = vec![gpu("", 80, 1)].try_into().unwrap()),
				Error::EmptyGpuModel,
			),
			(
				Box::new(move |s| s.gpus = vec![gpu("H100", 0, 1)].try_into().unwrap()),
				Error::ZeroVram,
			),
			(
				Box::new(move |s| s.gpus = vec![gpu("H100", 193, 1)].try_into().unwrap()),
				Error::TooMuchVram,
			),
			(
				Box::new(move |s| s.gpus = vec![gpu("H100", 80, 0)].try_into().unwrap()),
				Error::ZeroGpuCount,
			),
			(
				Box::new(move |s| s.gpus = vec![gpu("H100", 80, 17)].try_into().unwrap()),
				Error::TooManyGpus,
			),
			(
				Box::new(move |s| {
					s.gpus = vec![gpu("H100", 80, 1), gpu("H100", 80, 2)].try_into().unwrap()
				}),
				Error::DuplicateGpuEntry,
			),
			(
				Box::new(move |s| s.gpus = vec![gpu("AMD EPYC 9654", 80, 1)].try_into().unwrap()),
				Error::WrongHardwareClass,
			),
			(Box::new(|s| s.cpu_model = name("H100")), Error::WrongHardwareClass),
		];
		for (mutate, error) in cases {
			let mut spec = gpu_spec();
			mutate(&mut spec);
			assert_noop!(Compute::register_machine(origin(&alice()), spec, alice(), 1), error);
		}
	});
}

#[test]
fn register_machine_refuses_unknown_models_when_the_table_is_required() {
	ExtBuilder::build_and_execute(|| {
		register_provider(&alice());
		assert_ok!(Compute::set_model_policy(RuntimeOrigin::root(), true, 4));
		let mut spec = gpu_spec();
		spec.gpus =
			vec![GpuSpec { model: name("Voodoo 2"), vram_gib: 1, count: 1 }].try_into().unwrap();
		assert_noop!(
			Compute::register_machine(origin(&alice()), spec, alice(), 1),
			Error::<Test>::UnknownGpuModel
		);
		assert_noop!(
			Compute::register_machine(origin(&alice()), cpu_only_spec(), alice(), 1),
			Error::<Test>::UnknownCpuModel
		);
	});
}

#[test]
fn register_machine_respects_the_per_provider_limit_and_funds() {
	ExtBuilder::build_and_execute(|| {
		for _ in 0..MAX_MACHINES {
			register_machine(&alice());
		}
		assert_noop!(
			Compute::register_machine(origin(&alice()), gpu_spec(), alice(), 1),
			Error::<Test>::TooManyMachines
		);
		// A provider that cannot pay the NFT deposit gets the balances error; nothing changes.
		assert_ok!(Compute::register_provider(origin(&pauper()), profile()));
		assert_noop!(
			Compute::register_machine(origin(&pauper()), gpu_spec(), pauper(), 1),
			pallet_balances::Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn update_price_works() {
	ExtBuilder::build_and_execute(|| {
		let id = register_machine(&alice());
		assert_ok!(Compute::update_price(origin(&alice()), id, 5_000));
		assert_eq!(Machines::<Test>::get(id).unwrap().price_per_hour, 5_000);
		System::assert_last_event(
			Event::PriceUpdated { machine: id, price_per_hour: 5_000 }.into(),
		);
	});
}

#[test]
fn update_price_fails_for_strangers_zero_and_unknown_machines() {
	ExtBuilder::build_and_execute(|| {
		let id = register_machine(&alice());
		assert_noop!(
			Compute::update_price(origin(&bob()), id, 5),
			Error::<Test>::NotMachineProvider
		);
		assert_noop!(Compute::update_price(origin(&alice()), id, 0), Error::<Test>::ZeroPrice);
		assert_noop!(
			Compute::update_price(origin(&alice()), 42, 5),
			Error::<Test>::MachineNotFound
		);
	});
}

#[test]
fn set_operator_works_and_only_for_the_provider() {
	ExtBuilder::build_and_execute(|| {
		let id = register_machine(&alice());
		assert_noop!(
			Compute::set_operator(origin(&charlie()), id, charlie()),
			Error::<Test>::NotMachineProvider
		);
		assert_ok!(Compute::set_operator(origin(&alice()), id, bob()));
		assert_eq!(Machines::<Test>::get(id).unwrap().operator, bob());
		System::assert_last_event(Event::OperatorChanged { machine: id, operator: bob() }.into());
	});
}

// ---------------------------------------------------------------- heartbeats and state

#[test]
fn heartbeat_keeps_a_machine_online_and_accrues_uptime() {
	ExtBuilder::build_and_execute(|| {
		let id = verified_machine(&alice());
		assert_eq!(Compute::state(id), Some(MachineState::Idle));
		run_to_block(1 + HEARTBEAT_TIMEOUT + 1);
		assert_eq!(Compute::state(id), Some(MachineState::Offline));
		assert!(!Compute::is_online(id));
		// The operator key sends it; it is free for a verified machine with its collateral.
		let minimum = pallet_compute_staking::Pallet::<Test>::minimum_for(id);
		assert_ok!(Staking::bond(origin(&alice()), id, minimum));
		let post = Compute::heartbeat(origin(&charlie()), id).unwrap();
		assert_eq!(post.pays_fee, frame_support::dispatch::Pays::No);
		// Back from a silence: charged the stake's re-weighing too.
		let heartbeat = <() as crate::weights::WeightInfo>::heartbeat();
		let reweigh =
			<Staking as powerverse_primitives::RewardsObserver>::availability_changed_weight();
		assert!(reweigh.ref_time() > 0);
		assert_eq!(post.actual_weight, Some(heartbeat.saturating_add(reweigh)));
		assert!(Compute::is_online(id));
		assert_eq!(Compute::state(id), Some(MachineState::Idle));
		let m = Machines::<Test>::get(id).unwrap();
		assert_eq!(m.last_heartbeat, 12);
		assert_eq!(m.uptime_blocks, HEARTBEAT_TIMEOUT);
		assert_eq!(m.downtime_blocks, 1);
		System::assert_last_event(
			Event::HeartbeatReceived { machine: id, uptime_blocks: HEARTBEAT_TIMEOUT }.into(),
		);
		// A heartbeat on time re-weighs nothing and is charged only its own weight.
		run_to_block(12 + MIN_HEARTBEAT_INTERVAL);
		let post = Compute::heartbeat(origin(&charlie()), id).unwrap();
		assert_eq!(post.actual_weight, Some(heartbeat));
	});
}

#[test]
fn heartbeat_fails_for_strangers_too_soon_and_unknown_machines() {
	ExtBuilder::build_and_execute(|| {
		let id = register_machine(&alice());
		run_to_block(5);
		assert_noop!(Compute::heartbeat(origin(&bob()), id), Error::<Test>::NotMachineOperator);
		assert_noop!(Compute::heartbeat(origin(&charlie()), 9), Error::<Test>::MachineNotFound);
		assert_ok!(Compute::heartbeat(origin(&charlie()), id));
		run_to_block(6);
		assert_noop!(Compute::heartbeat(origin(&charlie()), id), Error::<Test>::HeartbeatTooSoon);
	});
}

#[test]
fn announced_maintenance_is_not_downtime() {
	ExtBuilder::build_and_execute(|| {
		let id = verified_machine(&alice());
		assert_ok!(Compute::set_maintenance(origin(&alice()), id, 20, 30));
		System::assert_last_event(
			Event::MaintenanceScheduled { machine: id, starts_at: 20, ends_at: 50 }.into(),
		);
		run_to_block(25);
		assert_eq!(Compute::state(id), Some(MachineState::Maintenance));
		assert!(Compute::in_maintenance(id));
		run_to_block(55);
		assert_ok!(Compute::heartbeat(origin(&charlie()), id));
		let m = Machines::<Test>::get(id).unwrap();
		// Gap 54: 10 online, 44 beyond the timeout, 30 of them inside the window.
		assert_eq!(m.uptime_blocks, 10);
		assert_eq!(m.downtime_blocks, 14);
		assert_eq!(m.maintenance, None, "a finished window is forgotten");
	});
}

#[test]
fn set_maintenance_fails_without_notice_too_long_zero_or_leased() {
	trait_contract_test(|| {
		let id = verified_machine(&alice());
		assert_noop!(
			Compute::set_maintenance(origin(&alice()), id, 3, 10),
			Error::<Test>::MaintenanceNoticeTooShort
		);
		assert_noop!(
			Compute::set_maintenance(origin(&alice()), id, 10, MAX_MAINTENANCE + 1),
			Error::<Test>::MaintenanceTooLong
		);
		assert_noop!(
			Compute::set_maintenance(origin(&alice()), id, 10, 0),
			Error::<Test>::ZeroMaintenanceDuration
		);
		assert_noop!(
			Compute::set_maintenance(origin(&bob()), id, 10, 5),
			Error::<Test>::NotMachineProvider
		);
		assert_ok!(Compute::set_maintenance(origin(&alice()), id, 10, 5));
		run_to_block(11);
		assert_noop!(
			Compute::set_maintenance(origin(&alice()), id, 30, 5),
			Error::<Test>::InMaintenance
		);
		run_to_block(16);
		assert_ok!(Compute::heartbeat(origin(&charlie()), id));
		assert_ok!(Compute::mark_leased(id, 1_000));
		assert_noop!(
			Compute::set_maintenance(origin(&alice()), id, 30, 5),
			Error::<Test>::MachineLeased
		);
	});
}

#[test]
fn ending_a_window_that_already_ended_does_not_stretch_it() {
	ExtBuilder::build_and_execute(|| {
		let id = verified_machine(&alice());
		assert_ok!(Compute::set_maintenance(origin(&alice()), id, 10, 5));
		run_to_block(40);
		assert_ok!(Compute::end_maintenance(origin(&alice()), id));
		let w = Machines::<Test>::get(id).unwrap().maintenance.unwrap();
		assert_eq!((w.starts_at, w.ends_at), (10, 15));
		assert_ok!(Compute::heartbeat(origin(&charlie()), id));
		// Gap 39: 10 online, 29 beyond the timeout, 4 of them (11..15) inside the window.
		let m = Machines::<Test>::get(id).unwrap();
		assert_eq!((m.uptime_blocks, m.downtime_blocks), (10, 25));
	});
}

#[test]
fn end_maintenance_cancels_a_future_window_and_cuts_a_running_one() {
	ExtBuilder::build_and_execute(|| {
		let id = verified_machine(&alice());
		assert_noop!(
			Compute::end_maintenance(origin(&alice()), id),
			Error::<Test>::NoMaintenanceScheduled
		);
		assert_ok!(Compute::set_maintenance(origin(&alice()), id, 10, 20));
		assert_ok!(Compute::end_maintenance(origin(&alice()), id));
		assert_eq!(Machines::<Test>::get(id).unwrap().maintenance, None);
		System::assert_last_event(Event::MaintenanceEnded { machine: id }.into());

		assert_ok!(Compute::set_maintenance(origin(&alice()), id, 10, 20));
		run_to_block(15);
		assert_ok!(Compute::end_maintenance(origin(&alice()), id));
		let w = Machines::<Test>::get(id).unwrap().maintenance.unwrap();
		assert_eq!((w.starts_at, w.ends_at), (10, 15));
		assert_eq!(Compute::state(id), Some(MachineState::Offline));
		assert_noop!(
			Compute::end_maintenance(origin(&bob()), id),
			Error::<Test>::NotMachineProvider
		);
	});
}

// ---------------------------------------------------------------- verification

#[test]
fn verify_machine_approves_and_rejects() {
	ExtBuilder::build_and_execute(|| {
		let a = register_machine(&alice());
		let b = register_machine(&alice());
		assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), a, true));
		System::assert_last_event(
			Event::MachineVerified { machine: a, by: Reviewer::Governance }.into(),
		);
		assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), b, false));
		System::assert_last_event(
			Event::MachineRejected { machine: b, by: Reviewer::Governance }.into(),
		);
		assert_eq!(Machines::<Test>::get(a).unwrap().reviewed_by, Some(Reviewer::Governance));
		assert!(Compute::is_verified(a));
		assert!(!Compute::is_verified(b));
		assert_eq!(Compute::state(b), Some(MachineState::Rejected));
	});
}

#[test]
fn verify_machine_needs_the_verifier_origin_and_a_pending_machine() {
	ExtBuilder::build_and_execute(|| {
		let id = register_machine(&alice());
		assert_noop!(Compute::verify_machine(origin(&alice()), id, true), BadOrigin);
		assert_noop!(
			Compute::verify_machine(RuntimeOrigin::root(), 77, true),
			Error::<Test>::MachineNotFound
		);
		assert_ok!(Compute::record_verification(id, true, Reviewer::Jury(7)));
		assert_noop!(
			Compute::verify_machine(RuntimeOrigin::root(), id, false),
			Error::<Test>::NotPendingVerification
		);
	});
}

// ---------------------------------------------------------------- retirement

/// The provider agent's idempotent onboarding: a fingerprint registers one live machine per
/// provider; the index and the NFT attribute go with the machine at retirement.
#[test]
fn a_fingerprint_registers_one_live_machine_per_provider() {
	ExtBuilder::build_and_execute(|| {
		register_provider(&alice());
		let fp = [9u8; 32];
		let register = |who: &AccountId| {
			Compute::register_fingerprinted_machine(origin(who), gpu_spec(), charlie(), 2_000, fp)
		};
		assert_ok!(register(&alice()));
		let id = 0;
		assert_eq!(MachineByFingerprint::<Test>::get(alice(), fp), Some(id));
		assert_eq!(FingerprintOf::<Test>::get(id), Some(fp));
		let attr = || {
			<Nfts as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::system_attribute(
				&COLLECTION,
				Some(&id),
				b"fingerprint",
			)
		};
		assert_eq!(attr(), Some(fp.to_vec()));
		// A second registration from the same host pays for nothing and changes nothing.
		let next = NextMachineId::<Test>::get();
		let free = Balances::free_balance(&alice());
		assert_noop!(register(&alice()), Error::<Test>::FingerprintRegistered);
		assert_eq!((NextMachineId::<Test>::get(), Balances::free_balance(&alice())), (next, free));
		// Another provider's index is its own (and a non-provider is refused as usual).
		assert_noop!(register(&bob()), Error::<Test>::NotAProvider);
		register_provider(&bob());
		assert_ok!(register(&bob()));
		assert_eq!(MachineByFingerprint::<Test>::get(bob(), fp), Some(1));
		// Retired: no residue, and the host may be registered again.
		assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
		assert_ok!(Compute::retire_machine(origin(&alice()), id));
		assert_eq!(MachineByFingerprint::<Test>::get(alice(), fp), None);
		assert_eq!(FingerprintOf::<Test>::get(id), None);
		assert_eq!(attr(), None);
		assert_ok!(register(&alice()));
		assert_eq!(MachineByFingerprint::<Test>::get(alice(), fp), Some(2));
		// The fingerprint-less call keeps working and records nothing.
		let plain = register_machine(&alice());
		assert_eq!(FingerprintOf::<Test>::get(plain), None);
	});
}

#[test]
fn retire_machine_burns_the_nft_and_returns_the_deposit() {
	ExtBuilder::build_and_execute(|| {
		let id = verified_machine(&alice());
		let free = Balances::free_balance(&alice());
		assert_ok!(Compute::retire_machine(origin(&alice()), id));
		assert_eq!(Nfts::owner(COLLECTION, id), None);
		assert_eq!(Balances::free_balance(&alice()), free + ITEM_DEPOSIT);
		// The record is gone: nothing of the machine is left to read or touch.
		assert_eq!(Compute::state(id), None);
		assert_eq!(Compute::beneficiary(id), None);
		assert!(!Machines::<Test>::contains_key(id));
		assert_eq!(Providers::<Test>::get(alice()).unwrap().live_machines, 0);
		System::assert_last_event(Event::MachineRetired { machine: id }.into());
		assert_noop!(Compute::retire_machine(origin(&alice()), id), Error::<Test>::MachineNotFound);
		assert_noop!(Compute::heartbeat(origin(&charlie()), id), Error::<Test>::MachineNotFound);
		assert_noop!(
			Compute::update_price(origin(&alice()), id, 9),
			Error::<Test>::MachineNotFound
		);
	});
}

#[test]
fn retire_machine_fails_while_leased_locked_or_for_strangers() {
	trait_contract_test(|| {
		let id = verified_machine(&alice());
		assert_noop!(Compute::retire_machine(origin(&bob()), id), Error::<Test>::NotNftHolder);
		assert_ok!(Compute::mark_leased(id, 1_000));
		assert_noop!(Compute::retire_machine(origin(&alice()), id), Error::<Test>::MachineLeased);
		assert_ok!(Compute::mark_idle(id));
		assert_ok!(Compute::lock(id, NftLockReason::Stake));
		assert_noop!(Compute::retire_machine(origin(&alice()), id), Error::<Test>::NftLocked);
	});
}

// ---------------------------------------------------------------- hardware table

#[test]
fn hardware_model_table_is_governed() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			Compute::set_hardware_model(origin(&alice()), name("L40S"), HardwareClass::Gpu, 450),
			BadOrigin
		);
		assert_ok!(Compute::set_hardware_model(
			RuntimeOrigin::root(),
			name("L40S"),
			HardwareClass::Gpu,
			450
		));
		System::assert_last_event(
			Event::HardwareModelSet { model: name("L40S"), class: HardwareClass::Gpu, score: 450 }
				.into(),
		);
		assert_eq!(HardwareModels::<Test>::get(name("L40S")).unwrap().score, 450);
		assert_noop!(
			Compute::set_hardware_model(RuntimeOrigin::root(), name("X"), HardwareClass::Gpu, 0),
			Error::<Test>::ZeroBaselineScore
		);
		assert_noop!(
			Compute::set_hardware_model(RuntimeOrigin::root(), name(""), HardwareClass::Gpu, 1),
			Error::<Test>::EmptyModelName
		);
		assert_ok!(Compute::remove_hardware_model(RuntimeOrigin::root(), name("L40S")));
		System::assert_last_event(Event::HardwareModelRemoved { model: name("L40S") }.into());
		assert_noop!(
			Compute::remove_hardware_model(RuntimeOrigin::root(), name("L40S")),
			Error::<Test>::UnknownHardwareModel
		);
		assert_noop!(Compute::remove_hardware_model(origin(&alice()), name("H100")), BadOrigin);
	});
}

#[test]
fn set_model_policy_works_and_is_governed() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(Compute::set_model_policy(origin(&alice()), true, 1), BadOrigin);
		assert_ok!(Compute::set_model_policy(RuntimeOrigin::root(), true, 9));
		assert!(RequireKnownModels::<Test>::get());
		assert_eq!(DefaultCpuCoreScore::<Test>::get(), 9);
		System::assert_last_event(
			Event::ModelPolicySet { require_known_models: true, default_cpu_core_score: 9 }.into(),
		);
	});
}

// ---------------------------------------------------------------- NFT locks and trading

#[test]
fn unlocked_compute_nfts_trade_and_the_buyer_becomes_beneficiary() {
	ExtBuilder::build_and_execute(|| {
		let id = verified_machine(&alice());
		assert_eq!(Compute::beneficiary(id), Some(alice()));
		assert_ok!(Nfts::set_price(origin(&alice()), COLLECTION, id, Some(5_000), None));
		let (alice_free, bob_free) =
			(Balances::free_balance(&alice()), Balances::free_balance(&bob()));
		assert_ok!(Nfts::buy_item(origin(&bob()), COLLECTION, id, 5_000));
		assert_eq!(Nfts::owner(COLLECTION, id), Some(bob()));
		assert_eq!(Balances::free_balance(&bob()), bob_free - 5_000);
		assert_eq!(Balances::free_balance(&alice()), alice_free + 5_000);
		assert_eq!(Compute::beneficiary(id), Some(bob()));
		// The provider still operates it.
		assert_eq!(Compute::provider(id), Some(alice()));
		assert_ok!(Compute::update_price(origin(&alice()), id, 7));
	});
}

#[test]
fn locked_compute_nfts_cannot_be_transferred_bought_or_burned() {
	trait_contract_test(|| {
		let id = verified_machine(&alice());
		assert_ok!(Nfts::set_price(origin(&alice()), COLLECTION, id, Some(5_000), None));
		let assert_locked = || {
			assert_noop!(
				Nfts::buy_item(origin(&bob()), COLLECTION, id, 5_000),
				NftError::<Test>::ItemLocked
			);
			assert_noop!(
				Nfts::transfer(origin(&alice()), COLLECTION, id, bob()),
				NftError::<Test>::ItemLocked
			);
			assert_noop!(
				Nfts::burn(origin(&alice()), COLLECTION, id),
				NftError::<Test>::ItemLocked
			);
		};
		assert_ok!(Compute::mark_leased(id, 1_000));
		assert_locked();
		assert_ok!(Compute::mark_idle(id));
		for reason in [NftLockReason::Stake, NftLockReason::Pledge] {
			assert_ok!(Compute::lock(id, reason));
			System::assert_last_event(Event::NftLocked { machine: id, reason }.into());
			assert_locked();
			assert_ok!(Compute::unlock(id, reason));
			System::assert_last_event(Event::NftUnlocked { machine: id, reason }.into());
		}
		assert_ok!(Nfts::transfer(origin(&alice()), COLLECTION, id, bob()));
		assert_eq!(Nfts::owner(COLLECTION, id), Some(bob()));
	});
}

#[test]
fn lock_traits_refuse_double_locks_missing_locks_and_retired_machines() {
	trait_contract_test(|| {
		let id = verified_machine(&alice());
		assert_ok!(Compute::lock(id, NftLockReason::Stake));
		assert_noop!(Compute::lock(id, NftLockReason::Stake), Error::<Test>::LockAlreadyHeld);
		assert_noop!(Compute::unlock(id, NftLockReason::Pledge), Error::<Test>::LockNotHeld);
		assert_noop!(Compute::lock(id, NftLockReason::Lease), Error::<Test>::LeaseLockIsManaged);
		assert_noop!(Compute::unlock(id, NftLockReason::Lease), Error::<Test>::LeaseLockIsManaged);
		assert_ok!(Compute::lock(id, NftLockReason::Pledge));
		assert!(
			Compute::locks(id).has(NftLockReason::Stake)
				&& Compute::locks(id).has(NftLockReason::Pledge)
		);
		assert_ok!(Compute::unlock(id, NftLockReason::Stake));
		assert_ok!(Compute::unlock(id, NftLockReason::Pledge));
		assert_noop!(Compute::lock(99, NftLockReason::Stake), Error::<Test>::MachineNotFound);
		assert_ok!(Compute::retire_machine(origin(&alice()), id));
		assert_noop!(Compute::lock(id, NftLockReason::Stake), Error::<Test>::MachineNotFound);
	});
}

#[test]
fn seizure_releases_stake_and_pledge_locks_and_moves_the_nft() {
	trait_contract_test(|| {
		let id = verified_machine(&alice());
		assert_ok!(Compute::lock(id, NftLockReason::Stake));
		assert_ok!(Compute::lock(id, NftLockReason::Pledge));
		assert_ok!(<Compute as ComputeNftSeizure<AccountId>>::seize(id, &bob()));
		assert_eq!(Nfts::owner(COLLECTION, id), Some(bob()));
		assert!(!Compute::locks(id).any());
		System::assert_last_event(Event::NftSeized { machine: id, to: bob() }.into());
		// Never while leased, never a retired machine.
		assert_ok!(Compute::mark_leased(id, 1_000));
		assert_noop!(
			<Compute as ComputeNftSeizure<AccountId>>::seize(id, &alice()),
			Error::<Test>::MachineLeased
		);
		assert_noop!(
			<Compute as ComputeNftSeizure<AccountId>>::seize(77, &alice()),
			Error::<Test>::MachineNotFound
		);
	});
}

#[test]
fn leasing_trait_checks_verification_liveness_and_maintenance() {
	trait_contract_test(|| {
		let id = register_machine(&alice());
		assert_noop!(Compute::mark_leased(id, 1_000), Error::<Test>::NotVerified);
		assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
		assert_ok!(Compute::mark_leased(id, 1_000));
		assert_eq!(Compute::state(id), Some(MachineState::Leased));
		assert!(Compute::locks(id).has(NftLockReason::Lease));
		System::assert_last_event(Event::MachineLeased { machine: id }.into());
		assert_noop!(Compute::mark_leased(id, 1_000), Error::<Test>::MachineLeased);
		assert_ok!(Compute::mark_idle(id));
		System::assert_last_event(Event::MachineReleased { machine: id }.into());
		assert_noop!(Compute::mark_idle(id), Error::<Test>::NotLeased);
		assert!(!Compute::locks(id).any());

		assert_ok!(Compute::set_maintenance(origin(&alice()), id, 6, 10));
		run_to_block(7);
		assert_noop!(Compute::mark_leased(id, 1_000), Error::<Test>::InMaintenance);
		run_to_block(40);
		assert_noop!(Compute::mark_leased(id, 1_000), Error::<Test>::MachineOffline);
	});
}

#[test]
fn inspect_trait_reports_the_machine() {
	ExtBuilder::build_and_execute(|| {
		let id = register_machine(&alice());
		assert_eq!(Compute::spec(id), Some(gpu_spec()));
		assert_eq!(Compute::score(id), Some(GPU_SPEC_SCORE));
		assert_eq!(Compute::provider(id), Some(alice()));
		assert_eq!(Compute::price_per_hour(id), Some(2_000));
		assert_eq!(Compute::last_heartbeat(id), Some(1));
		assert_eq!(Compute::uptime(id), Some((0, 0)));
		assert_eq!(Compute::state(id), Some(MachineState::PendingVerification));
		assert_eq!(Compute::state(5), None);
		assert_eq!(<Compute as ComputeInspect<AccountId, Balance, u64>>::beneficiary(5), None);
	});
}

/// The compute collection is created as any collection is, so the collection after it gets the
/// next id: created at its id without advancing pallet-nfts' counter (before spec 102), it left
/// every later collection — Root's `nfts.forceCreate` — failing with `CollectionIdInUse`.
#[test]
fn the_next_collection_after_the_compute_one_gets_a_free_id() {
	ExtBuilder::build_and_execute(|| {
		assert_eq!(Nfts::collection_owner(COLLECTION), Some(Compute::account_id()));
		assert_eq!(pallet_nfts::NextCollectionId::<Test>::get(), Some(COLLECTION + 1));
		// Creating it again would give it another id: refused, and nothing is created.
		assert_ok!(Balances::transfer_allow_death(
			origin(&alice()),
			Compute::account_id(),
			COLLECTION_DEPOSIT
		));
		assert_noop!(Compute::create_compute_collection(), Error::<Test>::CollectionIdTaken);
		let config = pallet_nfts::CollectionConfig {
			settings: pallet_nfts::CollectionSettings::all_enabled(),
			max_supply: None,
			mint_settings: pallet_nfts::MintSettings::default(),
		};
		assert_ok!(Nfts::force_create(RuntimeOrigin::root(), alice(), config));
		assert_eq!(Nfts::collection_owner(COLLECTION + 1), Some(alice()));
		assert_eq!(Nfts::collection_owner(COLLECTION), Some(Compute::account_id()));
	});
}

// ---------------------------------------------------------------- property test

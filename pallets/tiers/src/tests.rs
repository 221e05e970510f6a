//! Tiers on the test runtime of the real pallets: the freeze through pallet-balances, the
//! benefits as the market applies them, the early-access gate as a transaction sees it.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{DispatchInfo, GetDispatchInfo},
	traits::{
		fungible::{InspectFreeze, Mutate},
		tokens::Preservation,
	},
};
use powerverse_primitives::{CustomerBenefits, MachineId};
use sp_runtime::{
	traits::DispatchTransaction,
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	DispatchError, Perbill,
};

fn frozen(who: &AccountId) -> Balance {
	<Balances as InspectFreeze<AccountId>>::balance_frozen(
		&RuntimeFreezeReason::Tiers(FreezeReason::Membership),
		who,
	)
}

fn member(who: &AccountId) -> MembershipOf<Test> {
	Members::<Test>::get(who).expect("a member")
}

fn name(s: &str) -> Name {
	Name::try_from(s.as_bytes().to_vec()).unwrap()
}

#[test]
fn a_lock_freezes_pec_and_gives_the_tier_its_benefits() {
	ExtBuilder::build_and_execute(|| {
		assert_eq!(Tiers::tier_of(&CUSTOMER), None);
		assert_eq!(<Tiers as CustomerBenefits<AccountId>>::priority(&CUSTOMER), 0);
		assert_ok!(Tiers::lock(origin(&CUSTOMER), Tier::Bronze, 150));
		System::assert_last_event(
			Event::Locked { who: CUSTOMER, tier: Tier::Bronze, amount: 150, until: 101 }.into(),
		);
		assert_eq!(frozen(&CUSTOMER), 150);
		assert_eq!(Tiers::tier_of(&CUSTOMER), Some(Tier::Bronze));
		assert_eq!(<Tiers as CustomerBenefits<AccountId>>::priority(&CUSTOMER), 1);
		assert_eq!(
			<Tiers as CustomerBenefits<AccountId>>::fee_discount(&CUSTOMER),
			Perbill::from_percent(50)
		);
		// The frozen PEC stays in the account but cannot leave it.
		assert_eq!(free(&CUSTOMER), ENDOWMENT);
		assert!(<Balances as Mutate<AccountId>>::transfer(
			&CUSTOMER,
			&STRANGER,
			ENDOWMENT - 100,
			Preservation::Expendable
		)
		.is_err());
		assert_ok!(<Balances as Mutate<AccountId>>::transfer(
			&CUSTOMER,
			&STRANGER,
			ENDOWMENT - 150,
			Preservation::Expendable
		));
	});
}

#[test]
fn bad_locks_are_refused_and_change_nothing() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			Tiers::lock(origin(&CUSTOMER), Tier::Bronze, 99),
			Error::<Test>::BelowTierMinimum
		);
		assert_noop!(
			Tiers::lock(origin(&POOR), Tier::Silver, 200),
			Error::<Test>::InsufficientBalance
		);
		// The existential deposit stays free: POOR holds exactly 100, Bronze's minimum.
		assert_noop!(
			Tiers::lock(origin(&POOR), Tier::Bronze, 100),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Tiers::lock(RuntimeOrigin::root(), Tier::Bronze, 100),
			DispatchError::BadOrigin
		);
		assert_ok!(Tiers::lock(origin(&CUSTOMER), Tier::Silver, 250));
		// A lower tier over a higher one, less PEC than already frozen, nothing new.
		assert_noop!(Tiers::lock(origin(&CUSTOMER), Tier::Bronze, 500), Error::<Test>::LowerTier);
		assert_noop!(
			Tiers::lock(origin(&CUSTOMER), Tier::Silver, 200),
			Error::<Test>::AmountDecreased
		);
		assert_noop!(
			Tiers::lock(origin(&CUSTOMER), Tier::Silver, 250),
			Error::<Test>::NothingChanged
		);
		assert_eq!((member(&CUSTOMER).tier, frozen(&CUSTOMER)), (Tier::Silver, 250));
	});
}

#[test]
fn an_upgrade_raises_the_tier_and_never_shortens_the_term() {
	ExtBuilder::build_and_execute(|| {
		assert_ok!(Tiers::lock(origin(&CUSTOMER), Tier::Gold, 300));
		assert_eq!(member(&CUSTOMER).until, 301);
		run_to_block(50);
		// A top-up of the same tier: the Gold term from now (350) is later than 301.
		assert_ok!(Tiers::lock(origin(&CUSTOMER), Tier::Gold, 400));
		assert_eq!((member(&CUSTOMER).until, frozen(&CUSTOMER)), (350, 400));

		assert_ok!(Tiers::lock(origin(&OWNER), Tier::Bronze, 100));
		run_to_block(60);
		assert_ok!(Tiers::lock(origin(&OWNER), Tier::Silver, 200));
		assert_eq!(
			(member(&OWNER).tier, member(&OWNER).until, frozen(&OWNER)),
			(Tier::Silver, 260, 200)
		);
		assert_eq!(<Tiers as CustomerBenefits<AccountId>>::priority(&OWNER), 2);
	});
}

#[test]
fn extend_renews_the_term_on_todays_terms() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(Tiers::extend(origin(&CUSTOMER)), Error::<Test>::NotMember);
		assert_ok!(Tiers::lock(origin(&CUSTOMER), Tier::Bronze, 100));
		assert_noop!(Tiers::extend(origin(&CUSTOMER)), Error::<Test>::NothingChanged);
		run_to_block(40);
		assert_ok!(Tiers::extend(origin(&CUSTOMER)));
		System::assert_last_event(Event::Extended { who: CUSTOMER, until: 140 }.into());
		// Governance raises Bronze's minimum: a renewal needs a top-up first.
		let mut params = tier_params();
		params.bronze.min_amount = 150;
		assert_ok!(Tiers::set_params(RuntimeOrigin::root(), params));
		run_to_block(60);
		assert_noop!(Tiers::extend(origin(&CUSTOMER)), Error::<Test>::BelowTierMinimum);
		assert_ok!(Tiers::lock(origin(&CUSTOMER), Tier::Bronze, 150));
		assert_eq!(member(&CUSTOMER).until, 160);
	});
}

#[test]
fn benefits_end_with_the_term_and_the_pec_unlocks_only_then() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(Tiers::unlock(origin(&CUSTOMER)), Error::<Test>::NotMember);
		assert_ok!(Tiers::lock(origin(&CUSTOMER), Tier::Bronze, 100));
		run_to_block(100);
		assert_noop!(Tiers::unlock(origin(&CUSTOMER)), Error::<Test>::StillLocked);
		assert_eq!(Tiers::tier_of(&CUSTOMER), Some(Tier::Bronze));
		run_to_block(101);
		// Expired: no benefit, though the PEC stays frozen until unlocked.
		assert_eq!(Tiers::tier_of(&CUSTOMER), None);
		assert_eq!(
			<Tiers as CustomerBenefits<AccountId>>::fee_discount(&CUSTOMER),
			Perbill::zero()
		);
		assert_eq!(frozen(&CUSTOMER), 100);
		assert_ok!(Tiers::unlock(origin(&CUSTOMER)));
		System::assert_last_event(Event::Unlocked { who: CUSTOMER, amount: 100 }.into());
		assert_eq!(frozen(&CUSTOMER), 0);
		assert!(Members::<Test>::get(CUSTOMER).is_none());
		// After unlocking, any tier again.
		assert_ok!(Tiers::lock(origin(&CUSTOMER), Tier::Bronze, 100));
	});
}

#[test]
fn only_governance_sets_terms_and_they_must_rise_with_the_tier() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(Tiers::set_params(origin(&CUSTOMER), tier_params()), DispatchError::BadOrigin);
		let mut params = tier_params();
		params.silver.min_amount = 50;
		assert_noop!(
			Tiers::set_params(RuntimeOrigin::root(), params),
			Error::<Test>::InvalidParams
		);
		let mut params = tier_params();
		params.gold.fee_discount = Perbill::from_percent(10);
		assert_noop!(
			Tiers::set_params(RuntimeOrigin::root(), params),
			Error::<Test>::InvalidParams
		);
		let mut params = tier_params();
		params.bronze.term = 0;
		assert_noop!(
			Tiers::set_params(RuntimeOrigin::root(), params),
			Error::<Test>::InvalidParams
		);
		let mut params = tier_params();
		params.gold.priority = 10;
		assert_ok!(Tiers::set_params(RuntimeOrigin::root(), params.clone()));
		System::assert_last_event(Event::ParamsSet { params }.into());
	});
}

#[test]
fn a_tier_discount_applies_to_a_direct_rental() {
	ExtBuilder::build_and_execute(|| {
		let m = machine(&PROVIDER, 1, 100);
		assert_ok!(Market::list_machine(origin(&PROVIDER), m));
		join_tier(&CUSTOMER, Tier::Bronze);
		let id = rent(&CUSTOMER, m, 1);
		assert_eq!(lease(id).fee_discount, Perbill::from_percent(50));
	});
}

fn rent_call(machine: MachineId) -> RuntimeCall {
	RuntimeCall::Market(pallet_market::Call::rent_machine {
		machine,
		hours: 1,
		max_price_per_hour: 100,
		spec: job_spec(),
	})
}

/// What the transaction pool and block import say of `who` sending `call`.
fn validate(who: &AccountId, call: &RuntimeCall) -> Result<(), TransactionValidityError> {
	let info: DispatchInfo = call.get_dispatch_info();
	CheckEarlyAccess::<Test>::new()
		.validate_only(origin(who), call, &info, 0, TransactionSource::External, 0)
		.map(|_| ())
}

#[test]
fn an_early_access_gate_keeps_a_call_to_its_tiers_until_it_ends() {
	ExtBuilder::build_and_execute(|| {
		let m = machine(&PROVIDER, 1, 100);
		let call = rent_call(m);
		assert_ok!(validate(&CUSTOMER, &call));
		assert_noop!(
			Tiers::set_early_access(
				origin(&CUSTOMER),
				name("Market"),
				name("rent_machine"),
				Tier::Silver,
				50
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Tiers::set_early_access(
				RuntimeOrigin::root(),
				name("Market"),
				name("rent_machine"),
				Tier::Silver,
				1
			),
			Error::<Test>::GateInPast
		);
		assert_noop!(
			Tiers::set_early_access(
				RuntimeOrigin::root(),
				name(""),
				name("rent_machine"),
				Tier::Silver,
				50
			),
			Error::<Test>::EmptyName
		);
		// Only what the runtime lets be gated, and not for longer than MaxGateDuration.
		assert_noop!(
			Tiers::set_early_access(
				RuntimeOrigin::root(),
				name("Tiers"),
				name("unlock"),
				Tier::Gold,
				50
			),
			Error::<Test>::NotGateable
		);
		assert_noop!(
			Tiers::set_early_access(
				RuntimeOrigin::root(),
				name("Market"),
				name("rent_machine"),
				Tier::Silver,
				2 + MAX_GATE_DURATION
			),
			Error::<Test>::GateTooLong
		);
		assert_ok!(Tiers::set_early_access(
			RuntimeOrigin::root(),
			name("Market"),
			name("rent_machine"),
			Tier::Silver,
			50
		));
		let denied =
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(EARLY_ACCESS_DENIED)));
		assert_eq!(validate(&CUSTOMER, &call), denied);
		join_tier(&CUSTOMER, Tier::Bronze);
		assert_eq!(validate(&CUSTOMER, &call), denied);
		join_tier(&STRANGER, Tier::Gold);
		assert_ok!(validate(&STRANGER, &call));
		// Other calls, and unsigned or root origins, are not gated.
		let other = RuntimeCall::Market(pallet_market::Call::list_machine { machine: m });
		assert_ok!(validate(&CUSTOMER, &other));
		assert_ok!(CheckEarlyAccess::<Test>::new().validate_only(
			RuntimeOrigin::root(),
			&call,
			&call.get_dispatch_info(),
			0,
			TransactionSource::External,
			0
		));
		// Anyone may clear it only once it has ended; then everyone may call.
		assert_noop!(
			Tiers::clear_early_access(origin(&CUSTOMER), name("Market"), name("rent_machine")),
			Error::<Test>::GateStillOpen
		);
		run_to_block(50);
		assert_ok!(validate(&CUSTOMER, &call));
		assert_ok!(Tiers::clear_early_access(
			origin(&CUSTOMER),
			name("Market"),
			name("rent_machine")
		));
		System::assert_last_event(
			Event::EarlyAccessCleared { pallet: name("Market"), call: name("rent_machine") }.into(),
		);
		assert_noop!(
			Tiers::clear_early_access(origin(&CUSTOMER), name("Market"), name("rent_machine")),
			Error::<Test>::NoSuchGate
		);
	});
}

#[test]
fn gates_are_bounded_and_governance_removes_them_early() {
	ExtBuilder::build_and_execute(|| {
		for i in 0..MAX_GATES {
			assert_ok!(Tiers::set_early_access(
				RuntimeOrigin::root(),
				name("Market"),
				name(&format!("call_{i}")),
				Tier::Gold,
				10
			));
		}
		assert_noop!(
			Tiers::set_early_access(
				RuntimeOrigin::root(),
				name("Market"),
				name("more"),
				Tier::Gold,
				10
			),
			Error::<Test>::TooManyGates
		);
		// Replacing an existing gate needs no new slot.
		assert_ok!(Tiers::set_early_access(
			RuntimeOrigin::root(),
			name("Market"),
			name("call_0"),
			Tier::Bronze,
			20
		));
		assert_ok!(Tiers::clear_early_access(
			RuntimeOrigin::root(),
			name("Market"),
			name("call_1")
		));
		assert_eq!(EarlyAccess::<Test>::count(), MAX_GATES - 1);
	});
}

#[test]
fn status_reports_the_membership_and_its_benefits_now() {
	ExtBuilder::build_and_execute(|| {
		assert_eq!(Tiers::status(&CUSTOMER), None);
		join_tier(&CUSTOMER, Tier::Silver);
		let status = Tiers::status(&CUSTOMER).unwrap();
		assert_eq!(
			(status.tier, status.amount, status.until, status.active, status.priority),
			(Tier::Silver, 200, 201, true, 2)
		);
		assert_eq!(status.fee_discount, Perbill::from_percent(50));
		run_to_block(201);
		let status = Tiers::status(&CUSTOMER).unwrap();
		assert_eq!(
			(status.active, status.priority, status.fee_discount),
			(false, 0, Perbill::zero())
		);
	});
}

#[test]
fn a_lease_past_the_term_is_discounted_only_for_the_part_the_term_covers() {
	ExtBuilder::build_and_execute(|| {
		join_tier(&CUSTOMER, Tier::Bronze); // 50% until block 101
		let over = |from, to| {
			<Tiers as CustomerBenefits<AccountId>>::fee_discount_over(&CUSTOMER, from, to)
		};
		assert_eq!(over(1, 101), Perbill::from_percent(50));
		// Blocks 91..111: 10 of 20 covered.
		assert_eq!(over(91, 111), Perbill::from_percent(25));
		assert_eq!(over(101, 200), Perbill::zero());
		assert_eq!(
			<Tiers as CustomerBenefits<AccountId>>::fee_discount_over(&STRANGER, 1, 10),
			Perbill::zero()
		);
		// Through the market: a 20-hour rental (200 blocks) from block 1 by a member whose term
		// ends at 101 gets half the discount.
		let m = machine(&PROVIDER, 1, 100);
		assert_ok!(Market::list_machine(origin(&PROVIDER), m));
		let id = rent(&CUSTOMER, m, 20);
		assert_eq!(lease(id).fee_discount, Perbill::from_percent(25));
	});
}

#[test]
fn only_free_pec_backs_a_tier() {
	ExtBuilder::build_and_execute(|| {
		// PROVIDER's collateral is held: it cannot count toward a tier.
		let m = machine(&PROVIDER, 1, 100);
		let held = collateral_held(&PROVIDER);
		assert!(held > 0);
		let free_pec = free(&PROVIDER);
		assert_noop!(
			Tiers::lock(origin(&PROVIDER), Tier::Gold, free_pec + held / 2),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Tiers::lock(origin(&PROVIDER), Tier::Gold, free_pec - EXISTENTIAL_DEPOSIT));
		let _ = m;
	});
}

#[test]
fn only_gateable_calls_pay_for_the_early_access_check() {
	use sp_runtime::traits::TransactionExtension;
	ExtBuilder::build_and_execute(|| {
		let m = machine(&PROVIDER, 1, 100);
		let ext = CheckEarlyAccess::<Test>::new();
		let not_gateable = RuntimeCall::Tiers(crate::Call::unlock {});
		assert_eq!(ext.weight(&not_gateable), frame_support::weights::Weight::zero());
		assert_eq!(ext.weight(&rent_call(m)), <() as crate::WeightInfo>::check_early_access());
	});
}

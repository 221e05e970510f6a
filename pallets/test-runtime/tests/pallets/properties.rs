//! Property test over the real pallets: random sequences of calls from every party — providers,
//! holders, customers, strangers and governance — including the failure paths (machines going
//! silent, disputes and verdicts, governance slashes, NFT sales, unpledges, seizures,
//! abandonment claims, retirements). After every step:
//! - a refused call changed nothing (same storage root, no event);
//! - every invariant holds (`check_invariants`: every pallet's `try_state`, PEC created only
//!   by minted rewards, every planck in some account, locks and records in both directions);
//! - no machine runs two leases, and a machine is leased exactly while it runs one.
//!
//! - staking rewards minted or owed never exceed the schedule (`era_reward` per era).
//!
//! 1,000 cases per run by default; `PROPTEST_CASES=100000` for a long local run (see
//! docs/development.md for its time).

use crate::*;
use frame_support::{
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	traits::UnfilteredDispatchable,
};
use pallet_market::LeaseStatus;
use powerverse_primitives::{JobRequirements, SlashReason, Verdict};
use proptest::prelude::*;
use sp_runtime::{DispatchError, Perbill};

const PEOPLE: [AccountId; 7] = [PROVIDER, OWNER, CUSTOMER, CUSTOMER2, STRANGER, POOR, PROVIDER2];
const MACHINES: u64 = 3;

fn who(n: u8) -> AccountId {
	PEOPLE[(n as usize) % PEOPLE.len()].clone()
}

#[derive(Clone, Debug)]
enum Op {
	Post { who: u8, gpus: u32, price: u64, hours: u32 },
	Cancel { who: u8, job: u8 },
	Accept { job: u8, machine: u8 },
	Rent { who: u8, machine: u8, hours: u32, max: u64 },
	Advance { blocks: u8, beats: u8 },
	End { who: u8, lease: u8 },
	Close { who: u8, lease: u8 },
	Claim { who: u8, lease: u8 },
	Result { lease: u8 },
	Confirm { who: u8, lease: u8 },
	Dispute { who: u8, lease: u8 },
	Resolve { lease: u8, refund: u8, slash: u8 },
	Slash { machine: u8, percent: u8 },
	Sell { who: u8, machine: u8, to: u8 },
	Stake { who: u8, machine: u8 },
	Unstake { who: u8, machine: u8 },
	WithdrawNft { who: u8, machine: u8 },
	Pledge { who: u8, machine: u8 },
	Unpledge { who: u8, machine: u8 },
	ClaimRewards { who: u8, machine: u8 },
	Bond { who: u8, machine: u8, amount: u64 },
	Unbond { who: u8, machine: u8, amount: u64 },
	WithdrawUnbonded { who: u8, machine: u8 },
	ExecuteSeizure { machine: u8 },
	ClaimAbandonment { who: u8, machine: u8 },
	Retire { who: u8, machine: u8 },
	List { machine: u8 },
	Delist { machine: u8 },
	CoverShortfall { who: u8, machine: u8 },
	ClaimUnclaimed { who: u8 },
	ClaimUnclaimedEarnings { who: u8 },
	RefreshStake { machine: u8 },
	HolderList { who: u8, machine: u8 },
}

fn op() -> impl Strategy<Value = Op> {
	let m = || 0u8..MACHINES as u8 + 1; // one id past the last: an unknown machine
	let l = || 0u8..8;
	let w = || any::<u8>();
	prop_oneof![
		(w(), 0u32..6, 0u64..400, 0u32..4).prop_map(|(who, gpus, price, hours)| Op::Post {
			who,
			gpus,
			price,
			hours
		}),
		(w(), l()).prop_map(|(who, job)| Op::Cancel { who, job }),
		(l(), m()).prop_map(|(job, machine)| Op::Accept { job, machine }),
		(w(), m(), 0u32..4, 0u64..400).prop_map(|(who, machine, hours, max)| Op::Rent {
			who,
			machine,
			hours,
			max
		}),
		// Time passes often, with any subset of the machines beating.
		(1u8..40, any::<u8>()).prop_map(|(blocks, beats)| Op::Advance { blocks, beats }),
		(1u8..40, any::<u8>()).prop_map(|(blocks, beats)| Op::Advance { blocks, beats }),
		(1u8..40, any::<u8>()).prop_map(|(blocks, beats)| Op::Advance { blocks, beats }),
		(w(), l()).prop_map(|(who, lease)| Op::End { who, lease }),
		(w(), l()).prop_map(|(who, lease)| Op::Close { who, lease }),
		(w(), l()).prop_map(|(who, lease)| Op::Claim { who, lease }),
		l().prop_map(|lease| Op::Result { lease }),
		(w(), l()).prop_map(|(who, lease)| Op::Confirm { who, lease }),
		(w(), l()).prop_map(|(who, lease)| Op::Dispute { who, lease }),
		(l(), 0u8..=100, 0u8..=100).prop_map(|(lease, refund, slash)| Op::Resolve {
			lease,
			refund,
			slash
		}),
		(m(), 0u8..=100).prop_map(|(machine, percent)| Op::Slash { machine, percent }),
		(w(), m(), w()).prop_map(|(who, machine, to)| Op::Sell { who, machine, to }),
		(w(), m()).prop_map(|(who, machine)| Op::Stake { who, machine }),
		(w(), m()).prop_map(|(who, machine)| Op::Unstake { who, machine }),
		(w(), m()).prop_map(|(who, machine)| Op::WithdrawNft { who, machine }),
		(w(), m()).prop_map(|(who, machine)| Op::Pledge { who, machine }),
		(w(), m()).prop_map(|(who, machine)| Op::Unpledge { who, machine }),
		(w(), m()).prop_map(|(who, machine)| Op::ClaimRewards { who, machine }),
		(w(), m(), 0u64..3_000).prop_map(|(who, machine, amount)| Op::Bond {
			who,
			machine,
			amount
		}),
		(w(), m(), 0u64..3_000).prop_map(|(who, machine, amount)| Op::Unbond {
			who,
			machine,
			amount
		}),
		(w(), m()).prop_map(|(who, machine)| Op::WithdrawUnbonded { who, machine }),
		m().prop_map(|machine| Op::ExecuteSeizure { machine }),
		(w(), m()).prop_map(|(who, machine)| Op::ClaimAbandonment { who, machine }),
		(w(), m()).prop_map(|(who, machine)| Op::Retire { who, machine }),
		m().prop_map(|machine| Op::List { machine }),
		m().prop_map(|machine| Op::Delist { machine }),
		(w(), m()).prop_map(|(who, machine)| Op::CoverShortfall { who, machine }),
		w().prop_map(|who| Op::ClaimUnclaimed { who }),
		w().prop_map(|who| Op::ClaimUnclaimedEarnings { who }),
		m().prop_map(|machine| Op::RefreshStake { machine }),
		(w(), m()).prop_map(|(who, machine)| Op::HolderList { who, machine }),
	]
}

fn dispatch(call: impl Into<RuntimeCall>, origin: RuntimeOrigin) -> Result<(), DispatchError> {
	let call: RuntimeCall = call.into();
	let _ = call.get_dispatch_info();
	call.dispatch_bypass_filter(origin).map(|_: PostDispatchInfo| ()).map_err(|e| e.error)
}

fn apply(op: &Op) -> Result<(), DispatchError> {
	use pallet_compute::Call as C;
	use pallet_compute_staking::Call as S;
	use pallet_market::Call as Mk;
	let signed = |n: u8| origin(&who(n));
	match *op {
		Op::Post { who, gpus, price, hours } => dispatch(
			Mk::post_job {
				requirements: JobRequirements { min_gpus: gpus, ..Default::default() },
				max_price_per_hour: price,
				hours,
				spec: job_spec(),
			},
			signed(who),
		),
		Op::Cancel { who, job } => dispatch(Mk::cancel_job { job: job.into() }, signed(who)),
		Op::Accept { job, machine } => {
			dispatch(Mk::accept_job { job: job.into(), machine: machine.into() }, origin(&OPERATOR))
		},
		Op::Rent { who, machine, hours, max } => dispatch(
			Mk::rent_machine {
				machine: machine.into(),
				hours,
				max_price_per_hour: max,
				spec: job_spec(),
			},
			signed(who),
		),
		Op::Advance { blocks, beats } => {
			advance(blocks.into());
			for m in 0..MACHINES {
				// Each machine beats if its bit is set; a silent machine may fail its lease.
				if beats & (1 << m) != 0 {
					let _ = dispatch(C::heartbeat { machine: m }, origin(&OPERATOR));
				}
			}
			Ok(())
		},
		Op::End { who, lease } => dispatch(Mk::end_lease { lease: lease.into() }, signed(who)),
		Op::Close { who, lease } => dispatch(Mk::close_lease { lease: lease.into() }, signed(who)),
		Op::Claim { who, lease } => {
			dispatch(Mk::claim_earnings { lease: lease.into() }, signed(who))
		},
		Op::Result { lease } => {
			dispatch(Mk::submit_result { lease: lease.into(), result: [9; 32] }, origin(&OPERATOR))
		},
		Op::Confirm { who, lease } => {
			dispatch(Mk::confirm_result { lease: lease.into() }, signed(who))
		},
		Op::Dispute { who, lease } => {
			dispatch(Mk::open_dispute { lease: lease.into() }, signed(who))
		},
		Op::Resolve { lease, refund, slash } => dispatch(
			Mk::resolve_dispute {
				lease: lease.into(),
				verdict: Verdict {
					refund: Perbill::from_percent(refund.into()),
					slash: Perbill::from_percent(slash.into()),
				},
			},
			RuntimeOrigin::root(),
		),
		Op::Slash { machine, percent } => dispatch(
			S::slash {
				machine: machine.into(),
				fraction: Perbill::from_percent(percent.into()),
				reason: SlashReason::LostDispute,
				harmed: Some((CUSTOMER, 100)),
				reporter: Some(STRANGER),
			},
			RuntimeOrigin::root(),
		),
		Op::Sell { who, machine, to } => dispatch(
			pallet_nfts::Call::transfer {
				collection: COLLECTION,
				item: machine.into(),
				dest: self::who(to),
			},
			signed(who),
		),
		Op::Stake { who, machine } => {
			dispatch(S::stake_nft { machine: machine.into() }, signed(who))
		},
		Op::Unstake { who, machine } => {
			dispatch(S::unstake_nft { machine: machine.into() }, signed(who))
		},
		Op::WithdrawNft { who, machine } => {
			dispatch(S::withdraw_nft { machine: machine.into() }, signed(who))
		},
		Op::Pledge { who, machine } => {
			dispatch(S::pledge_nft { machine: machine.into() }, signed(who))
		},
		Op::Unpledge { who, machine } => {
			dispatch(S::unpledge_nft { machine: machine.into() }, signed(who))
		},
		Op::ClaimRewards { who, machine } => {
			dispatch(S::claim_rewards { machine: machine.into() }, signed(who))
		},
		Op::Bond { who, machine, amount } => {
			dispatch(S::bond { machine: machine.into(), amount }, signed(who))
		},
		Op::Unbond { who, machine, amount } => {
			dispatch(S::unbond { machine: machine.into(), amount }, signed(who))
		},
		Op::WithdrawUnbonded { who, machine } => {
			dispatch(S::withdraw_unbonded { machine: machine.into() }, signed(who))
		},
		Op::ExecuteSeizure { machine } => {
			dispatch(S::execute_seizure { machine: machine.into() }, origin(&STRANGER))
		},
		Op::ClaimAbandonment { who, machine } => {
			dispatch(S::claim_abandonment { machine: machine.into() }, signed(who))
		},
		Op::Retire { who, machine } => {
			dispatch(C::retire_machine { machine: machine.into() }, signed(who))
		},
		Op::List { machine } => {
			dispatch(Mk::list_machine { machine: machine.into() }, origin(&OPERATOR))
		},
		Op::Delist { machine } => {
			dispatch(Mk::delist_machine { machine: machine.into() }, origin(&OPERATOR))
		},
		Op::CoverShortfall { who, machine } => {
			dispatch(S::cover_shortfall { machine: machine.into() }, signed(who))
		},
		Op::ClaimUnclaimed { who } => dispatch(S::claim_unclaimed {}, signed(who)),
		Op::ClaimUnclaimedEarnings { who } => dispatch(Mk::claim_unclaimed {}, signed(who)),
		Op::RefreshStake { machine } => {
			dispatch(S::refresh_stake { machine: machine.into() }, origin(&STRANGER))
		},
		Op::HolderList { who, machine } => {
			dispatch(Mk::list_machine { machine: machine.into() }, signed(who))
		},
	}
}

/// Machine 0: 4 × H100 at 100/hour, sold to OWNER, bonded at its minimum. Machine 1: 1 × H100
/// at 30/hour whose collateral is mostly OWNER's pledged NFT. Machine 2: 8 × H100 at 250/hour
/// of PROVIDER2, who keeps the NFT.
fn setup() {
	let m0 = machine(&PROVIDER, 4, 100);
	sell(m0, &OWNER);
	let m1 = register(&PROVIDER, h100_spec(1), 30);
	assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), m1, true));
	sell(m1, &OWNER);
	stake_and_pledge(m1);
	assert_ok!(Staking::bond(origin(&PROVIDER), m1, 100));
	let m2 = machine(&PROVIDER2, 8, 250);
	assert_eq!((m0, m1, m2), (0, 1, 2));
}

fn cases() -> u32 {
	std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000)
}

proptest! {
	#![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

	#[test]
	fn random_sequences_over_the_real_pallets_keep_every_invariant(
		ops in prop::collection::vec(op(), 1..40)
	) {
		ExtBuilder::build().execute_with(|| {
			let issuance = pallet_balances::TotalIssuance::<Test>::get();
			setup();
			for op in &ops {
				let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
				let events = System::event_count();
				let result = apply(op);
				if result.is_err() {
					prop_assert_eq!(
						&before,
						&sp_io::storage::root(sp_runtime::StateVersion::V1),
						"{:?} failed with {:?} but changed storage", op, result
					);
					prop_assert_eq!(events, System::event_count());
				}
				check_invariants(issuance);
				// Rewards never exceed the schedule: minted + settled-but-unpaid ≤ era_reward per
				// EraLength blocks since genesis (the pool starts with the first stake).
				let settled: Balance = pallet_compute_staking::Stakes::<Test>::iter()
					.map(|(_, s)| s.pending)
					.chain(pallet_compute_staking::Unclaimed::<Test>::iter_values())
					.sum();
				let paid = pallet_compute_staking::TotalRewardsMinted::<Test>::get() + settled;
				prop_assert!(paid <= ERA_REWARD * System::block_number() / ERA, "{} over the schedule", paid);
				for m in 0..MACHINES {
					let running = pallet_market::Leases::<Test>::iter()
						.filter(|(_, l)| l.machine == m && l.status == LeaseStatus::Active)
						.count();
					prop_assert!(running <= 1, "machine {} runs {} leases", m, running);
					let leased = pallet_compute::Machines::<Test>::get(m)
						.is_some_and(|x| x.status == pallet_compute::MachineStatus::Leased);
					prop_assert_eq!(running == 1, leased);
				}
			}
			Ok(())
		})?;
	}
}

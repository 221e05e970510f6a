//! # PowerVerse test runtime
//!
//! [`construct_test_runtime!`] defines one runtime of the real pallets — System, Balances, Nfts, Compute, ComputeStaking and
//! Market, wired to each other exactly as `powerverse-runtime` wires them (compute is the NFT
//! `Locker`, staking slashes and seizes through compute, the market leases through compute
//! and slashes through staking, staking and market guard retirement, the market reports open
//! disputes), with its genesis, helpers that drive the real calls, and the cross-pallet
//! invariant check. Every pallet's own tests (`#[cfg(test)] mod mock` in each pallet invokes
//! the macro, so `impl_benchmark_test_suite!` runs the benchmarks on it too), the
//! cross-pallet attack tests and the property tests (`tests/pallets/` here) run on it, as
//! pallet-staking's tests run on real sibling pallets: a seam that fails in the runtime fails
//! in the tests. The supervisor DAO and the loyalty tiers are the real pallets too.
//!
//! It is a macro, not a crate of its own runtime, because a pallet's unit tests and benchmark
//! tests must run on the pallet crate compiled for test (`crate::Pallet`), which a runtime
//! defined in another crate could only name as a second, different copy of the pallet.
//!
//! The invoking crate needs `frame-support`, `frame-system`, `pallet-balances`, `pallet-nfts`,
//! `sp-runtime`, `sp-io`, `sp-core`, `scale-info`, `codec` (parity-scale-codec),
//! `powerverse-primitives` and the three pallets as dependencies (a pallet names itself with
//! `extern crate self as pallet_<name>;`).
//!
//! ```text
//! cargo test --release -p pallet-market                                         # a pallet
//! cargo test --release -p powerverse-test-runtime                               # attacks, properties
//! cargo test --release -p pallet-market --features runtime-benchmarks           # + benchmarks
//! PROPTEST_CASES=100000 cargo test --release -p powerverse-test-runtime properties
//! ```
#![no_std]

/// Defines the test runtime `Test` of the real pallets, its genesis (`ExtBuilder`), the
/// helpers that drive real calls, and `check_invariants`, in the invoking module.
#[macro_export]
macro_rules! construct_test_runtime {
	() => {

		use frame_support::{
			assert_ok, derive_impl, parameter_types,
			traits::{
				fungible::{Inspect, InspectHold},
				AsEnsureOriginWithArg, ConstU32, ConstU64, ConstU8,
			},
			weights::Weight,
			PalletId,
		};
		use frame_system::EnsureRoot;
		use pallet_compute::{HardwareClass, ProviderProfile};
		use pallet_compute_staking::StakingParams;
		use pallet_market::MarketParams;
		use pallet_nfts::PalletFeatures;
		use powerverse_primitives::{
			GpuSpec, LeaseId, MachineId, MachineSpec, ModelName,
			NftLockReason,
		};
		use sp_runtime::{
			traits::{IdentifyAccount, IdentityLookup, Verify},
			BuildStorage, DispatchResult, MultiSignature, Perbill,
		};

		type Block = frame_system::mocking::MockBlock<Test>;

		frame_support::construct_runtime!(
			pub enum Test {
				System: frame_system,
				Balances: pallet_balances,
				Nfts: pallet_nfts,
				Compute: pallet_compute,
				Staking: pallet_compute_staking,
				Market: pallet_market,
				Supervisors: pallet_supervisors,
				Tiers: pallet_tiers,
			}
		);

		pub type Signature = MultiSignature;
		pub type AccountPublic = <Signature as Verify>::Signer;
		pub type AccountId = <AccountPublic as IdentifyAccount>::AccountId;
		pub type Balance = u64;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
		impl frame_system::Config for Test {
			type AccountId = AccountId;
			type Lookup = IdentityLookup<Self::AccountId>;
			type Block = Block;
			type AccountData = pallet_balances::AccountData<Balance>;
		}

		/// Dust of reaped accounts goes to the treasury, as in the runtime: issuance moves only by
		/// minted rewards.
		pub type DustToTreasury = frame_support::traits::tokens::imbalance::ResolveTo<Treasury, Balances>;

		#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
		impl pallet_balances::Config for Test {
			type AccountStore = System;
			type ExistentialDeposit = ConstU64<EXISTENTIAL_DEPOSIT>;
			type RuntimeHoldReason = RuntimeHoldReason;
			type RuntimeFreezeReason = RuntimeFreezeReason;
			type FreezeIdentifier = RuntimeFreezeReason;
			type MaxFreezes = ConstU32<4>;
			type DustRemoval = DustToTreasury;
		}

		parameter_types! {
			pub storage Features: PalletFeatures = PalletFeatures::all_enabled();
		}

		impl pallet_nfts::Config for Test {
			type RuntimeEvent = RuntimeEvent;
			type CollectionId = u32;
			type ItemId = u64;
			type Currency = Balances;
			type CreateOrigin = AsEnsureOriginWithArg<frame_system::EnsureNever<AccountId>>;
			type ForceOrigin = EnsureRoot<AccountId>;
			type Locker = Compute;
			type CollectionDeposit = ConstU64<COLLECTION_DEPOSIT>;
			type ItemDeposit = ConstU64<ITEM_DEPOSIT>;
			type MetadataDepositBase = ConstU64<1>;
			type AttributeDepositBase = ConstU64<1>;
			type DepositPerByte = ConstU64<1>;
			type StringLimit = ConstU32<256>;
			type KeyLimit = ConstU32<64>;
			type ValueLimit = ConstU32<256>;
			type ApprovalsLimit = ConstU32<10>;
			type ItemAttributesApprovalsLimit = ConstU32<10>;
			type MaxTips = ConstU32<10>;
			type MaxDeadlineDuration = ConstU64<10000>;
			type MaxAttributesPerCall = ConstU32<10>;
			type Features = Features;
			type OffchainSignature = Signature;
			type OffchainPublic = AccountPublic;
			type WeightInfo = ();
			#[cfg(feature = "runtime-benchmarks")]
			type Helper = ();
			type BlockNumberProvider = System;
		}

		pub const EXISTENTIAL_DEPOSIT: Balance = 10;
		pub const COLLECTION_DEPOSIT: Balance = 100;
		pub const ITEM_DEPOSIT: Balance = 10;
		pub const COLLECTION: u32 = 0;

		// Compute.
		pub const HEARTBEAT_TIMEOUT: u64 = 10;
		pub const MIN_HEARTBEAT_INTERVAL: u64 = 2;
		pub const MIN_MAINTENANCE_NOTICE: u64 = 5;
		pub const MAX_MAINTENANCE: u64 = 100;
		pub const MAX_MACHINES: u32 = 3;

		// Staking.
		pub const ERA: u64 = 10;
		pub const MAX_CHUNKS: u32 = 3;
		pub const MAX_JURORS: u32 = 5;
		pub const MAX_SUPERVISORS: u32 = 8;
		pub const JURY_SIZE: u32 = 3;
		pub const MAX_REDRAWS: u32 = 1;
		pub const MAX_GATES: u32 = 3;
		pub const MAX_GATE_DURATION: u64 = 1_000;

		// Market.
		/// Blocks per hour (prices are per hour).
		pub const HOUR: u64 = 10;
		pub const GRACE: u64 = 8;
		pub const CHALLENGE: u64 = 20;
		pub const MAX_OPEN_PER_LEVEL: u32 = 4;
		pub const MAX_JOBS_PER_CUSTOMER: u32 = 3;
		pub const MAX_LEASES_PER_CUSTOMER: u32 = 3;
		pub const MAX_OFFERS: u32 = 3;
		pub const MIN_JOB_BUDGET: Balance = 10;
		pub const JOB_POSTING_FEE: Balance = 1;
		pub const JOB_LIFETIME: u64 = 100;
		pub const DISPUTE_DEPOSIT: Balance = 50;
		pub const DISPUTE_PERIOD: u64 = 30;
		/// A pledge outlives every dispute about a lease it backed: two challenge windows (a late
		/// result restarts the window) plus the offline grace.
		pub const MIN_UNPLEDGE_DELAY: u64 = 2 * CHALLENGE + GRACE;

		parameter_types! {
			pub const ComputeCollection: u32 = COLLECTION;
			pub const ComputePalletId: PalletId = PalletId(*b"pv/cmpte");
			pub const Treasury: AccountId = TREASURY;
		}

		impl pallet_compute::Config for Test {
			type RuntimeEvent = RuntimeEvent;
			type Currency = Balances;
			type CollectionId = u32;
			type Nfts = Nfts;
			type ComputeCollection = ComputeCollection;
			type PalletId = ComputePalletId;
			type HardwareOrigin = EnsureRoot<AccountId>;
			type VerifierOrigin = EnsureRoot<AccountId>;
			type RetirementGuard = (Staking, Market);
			type Judgement = Market;
			type Collateral = Staking;
			type Rewards = Staking;
			type PriceObserver = Market;
			type VerificationJury = Supervisors;
			type MaxMachinesPerProvider = ConstU32<MAX_MACHINES>;
			type HeartbeatTimeout = ConstU64<HEARTBEAT_TIMEOUT>;
			type MinHeartbeatInterval = ConstU64<MIN_HEARTBEAT_INTERVAL>;
			type MinMaintenanceNotice = ConstU64<MIN_MAINTENANCE_NOTICE>;
			type MaxMaintenanceDuration = ConstU64<MAX_MAINTENANCE>;
			type MaxCores = ConstU32<512>;
			type MaxRamGib = ConstU32<16384>;
			type MaxVramGib = ConstU32<192>;
			type MaxGpusPerMachine = ConstU32<16>;
			type WeightInfo = ();
		}

		impl pallet_compute_staking::Config for Test {
			type RuntimeEvent = RuntimeEvent;
			type Currency = Balances;
			type Balance = Balance;
			type RuntimeHoldReason = RuntimeHoldReason;
			type Compute = Compute;
			type Listing = Market;
			type TreasuryAccount = Treasury;
			type Judgement = (Market, Supervisors);
			type MinUnpledgeDelay = ConstU64<MIN_UNPLEDGE_DELAY>;
			type AdminOrigin = EnsureRoot<AccountId>;
			type SlashOrigin = EnsureRoot<AccountId>;
			type EraLength = ConstU64<ERA>;
			type MaxUnbondingChunks = ConstU32<MAX_CHUNKS>;
			type MaxJurors = ConstU32<MAX_JURORS>;
			type WeightInfo = ();
			#[cfg(feature = "runtime-benchmarks")]
			type BenchmarkHelper = BenchmarkHelper;
		}

		impl pallet_market::Config for Test {
			type RuntimeEvent = RuntimeEvent;
			type Currency = Balances;
			type Balance = Balance;
			type RuntimeHoldReason = RuntimeHoldReason;
			type Compute = Compute;
			type Collateral = Staking;
			type Slashing = Staking;
			type Benefits = Tiers;
			type Price = StablePrice;
			type Jury = Supervisors;
			type Rewards = Staking;
			type TreasuryAccount = Treasury;
			type AdminOrigin = EnsureRoot<AccountId>;
			type DisputeOrigin = EnsureRoot<AccountId>;
			type BlocksPerHour = ConstU64<HOUR>;
			type MaxHours = ConstU32<100>;
			type MaxJobSpecLen = ConstU32<32>;
			type MaxPriorityLevel = ConstU8<3>;
			type MaxOpenJobsPerLevel = ConstU32<MAX_OPEN_PER_LEVEL>;
			type MaxJobsPerCustomer = ConstU32<MAX_JOBS_PER_CUSTOMER>;
			type MaxLeasesPerCustomer = ConstU32<MAX_LEASES_PER_CUSTOMER>;
			type MinJobBudget = ConstU64<MIN_JOB_BUDGET>;
			type JobPostingFee = ConstU64<JOB_POSTING_FEE>;
			type JobLifetime = ConstU64<JOB_LIFETIME>;
			type DisputeDeposit = ConstU64<DISPUTE_DEPOSIT>;
			type DisputePeriod = ConstU64<DISPUTE_PERIOD>;
			type MaxOffers = ConstU32<MAX_OFFERS>;
			type OfflineGracePeriod = ConstU64<GRACE>;
			type ChallengePeriod = ConstU64<CHALLENGE>;
			type MaxJurors = ConstU32<MAX_JURORS>;
			type WeightInfo = ();
			#[cfg(feature = "runtime-benchmarks")]
			type BenchmarkHelper = BenchmarkHelper;
		}

		impl pallet_supervisors::Config for Test {
			type RuntimeEvent = RuntimeEvent;
			type Benefits = Tiers;
			type Currency = Balances;
			type Balance = Balance;
			type RuntimeHoldReason = RuntimeHoldReason;
			type Compute = Compute;
			type Verification = Compute;
			type Disputes = Market;
			type Slashing = Staking;
			type AdmissionOrigin = EnsureRoot<AccountId>;
			type AdminOrigin = EnsureRoot<AccountId>;
			type TreasuryAccount = Treasury;
			type MaxSupervisors = ConstU32<MAX_SUPERVISORS>;
			type MaxApplications = ConstU32<4>;
			type JurySize = ConstU32<JURY_SIZE>;
			type MaxRedraws = ConstU32<MAX_REDRAWS>;
			type MaxStatementLen = ConstU32<64>;
			type WeightInfo = ();
			#[cfg(feature = "runtime-benchmarks")]
			type BenchmarkHelper = BenchmarkHelper;
		}

		impl pallet_tiers::Config for Test {
			type RuntimeEvent = RuntimeEvent;
			type Currency = Balances;
			type Balance = Balance;
			type RuntimeFreezeReason = RuntimeFreezeReason;
			type AdminOrigin = EnsureRoot<AccountId>;
			type MaxGates = ConstU32<MAX_GATES>;
			type Gateable = MarketCalls;
			type MaxGateDuration = ConstU64<MAX_GATE_DURATION>;
			type WeightInfo = ();
			#[cfg(feature = "runtime-benchmarks")]
			type BenchmarkGate = BenchmarkGate;
		}

		/// Any call of the market may be gated in the tests, nothing else.
		pub struct MarketCalls;
		impl frame_support::traits::Contains<(pallet_tiers::Name, pallet_tiers::Name)> for MarketCalls {
			fn contains(call: &(pallet_tiers::Name, pallet_tiers::Name)) -> bool {
				call.0.as_slice() == b"Market"
			}
		}

		parameter_types! {
			pub BenchmarkGate: (pallet_tiers::Name, pallet_tiers::Name) = (
				b"Market".to_vec().try_into().expect("6 bytes fit a name; qed"),
				b"rent_machine".to_vec().try_into().expect("12 bytes fit a name; qed"),
			);
		}

		/// The tiers' terms in the tests: Bronze, Silver and Gold freeze 100, 200 and 300 for
		/// 100, 200 and 300 blocks, spare half the protocol fee, and give priority 1, 2 and 9
		/// (above the market's `MaxPriorityLevel` of 3, which caps it).
		pub fn tier_params() -> pallet_tiers::TierParamsOf<Test> {
			let terms = |amount, term, priority| pallet_tiers::TierTerms {
				min_amount: amount,
				term,
				fee_discount: Perbill::from_percent(50),
				priority,
			};
			pallet_tiers::TierParams {
				bronze: terms(100, 100, 1),
				silver: terms(200, 200, 2),
				gold: terms(300, 300, 9),
			}
		}

		/// Makes `who` a member of `tier` with the tier's minimum frozen, through the real call.
		pub fn join_tier(who: &AccountId, tier: pallet_tiers::Tier) {
			let amount = tier_params().terms(tier).min_amount;
			assert_ok!(Tiers::lock(RuntimeOrigin::signed(who.clone()), tier, amount));
		}

		thread_local! {
			static PEC_PER_STABLE: ::core::cell::RefCell<Result<(Balance, Balance), powerverse_primitives::PriceUnavailable>> =
				const { ::core::cell::RefCell::new(Err(powerverse_primitives::PriceUnavailable::NoPrice)) };
		}

		/// The price oracle's answer in the tests: `pec` per `stable`, or why there is none. (The
		/// oracle itself runs on a real DEX pool in the runtime's tests.)
		pub struct StablePrice;
		impl powerverse_primitives::PecPrice<Balance> for StablePrice {
			fn stable_to_pec(stable: Balance) -> Result<Balance, powerverse_primitives::PriceUnavailable> {
				PEC_PER_STABLE.with(|p| *p.borrow()).map(|(pec, per)| stable * pec / per)
			}
			fn weight() -> Weight {
				Weight::zero()
			}
		}

		/// Sets the oracle's answer: `pec` PEC for every `per` stable units (or an error).
		pub fn set_stable_price(price: Result<(Balance, Balance), powerverse_primitives::PriceUnavailable>) {
			PEC_PER_STABLE.with(|p| *p.borrow_mut() = price);
		}

		/// Leases whose disputes a supervisor jury has open, in case order.
		pub fn disputes() -> Vec<LeaseId> {
			let mut cases: Vec<_> = pallet_supervisors::Cases::<Test>::iter()
				.filter_map(|(id, case)| match case.kind {
					pallet_supervisors::CaseKind::Dispute { lease, .. } => Some((id, lease)),
					_ => None,
				})
				.collect();
			cases.sort();
			cases.into_iter().map(|(_, lease)| lease).collect()
		}

		// ---- Accounts ----

		pub const fn account(n: u8) -> AccountId {
			AccountId::new([n; 32])
		}
		pub const PROVIDER: AccountId = account(1);
		pub const OWNER: AccountId = account(2);
		pub const CUSTOMER: AccountId = account(3);
		pub const OPERATOR: AccountId = account(4);
		pub const STRANGER: AccountId = account(5);
		pub const PROVIDER2: AccountId = account(6);
		pub const CUSTOMER2: AccountId = account(7);
		/// Holds [`POOR_BALANCE`] only.
		pub const POOR: AccountId = account(8);
		pub const POOR_BALANCE: Balance = 100;
		/// Holds nothing.
		pub const PAUPER: AccountId = account(99);
		pub const TREASURY: AccountId = account(200);
		/// Five endowed accounts that apply to become supervisors in the supervisor tests.
		pub const SUPERVISORS: [AccountId; 5] =
			[account(21), account(22), account(23), account(24), account(25)];
		pub const ENDOWMENT: Balance = 1_000_000;
		/// Every account the genesis endows (the pallet account aside).
		pub const ENDOWED: [AccountId; 8] =
			[PROVIDER, OWNER, CUSTOMER, OPERATOR, STRANGER, PROVIDER2, CUSTOMER2, TREASURY];

		// ---- Genesis ----

		pub fn name(s: &str) -> ModelName {
			ModelName::try_from(s.as_bytes().to_vec()).expect("short name")
		}

		pub fn profile() -> ProviderProfile {
			ProviderProfile {
				display_name: b"Frankfurt GPU Co".to_vec().try_into().expect("short"),
				operator: b"Hetzner".to_vec().try_into().expect("short"),
				city: b"Frankfurt".to_vec().try_into().expect("short"),
				country: *b"DE",
				contact_url: b"https://gpu.example.com".to_vec().try_into().expect("short"),
				encryption_key: [7u8; 32],
			}
		}

		/// A 32-core EPYC with 256 GiB RAM and `gpus` H100s of 80 GiB.
		pub fn h100_spec(gpus: u32) -> MachineSpec {
			MachineSpec {
				cpu_model: name("AMD EPYC 9654"),
				cores: 32,
				threads: 64,
				ram_gib: 256,
				storage_gib: 4_000,
				bandwidth_mbps: 10_000,
				gpus: if gpus == 0 {
					Default::default()
				} else {
					vec![GpuSpec { model: name("H100"), vram_gib: 80, count: gpus }]
						.try_into()
						.expect("one entry")
				},
			}
		}

		/// Score of [`h100_spec`]: gpus × 1000 + 32 cores × 8 + 256 GiB / 4.
		pub const fn h100_score(gpus: u32) -> u64 {
			gpus as u64 * 1000 + 32 * 8 + 256 / 4
		}

		/// 4x H100 80 GiB + 2x RTX 4090 24 GiB on a 64-core EPYC with 512 GiB RAM.
		pub fn gpu_spec() -> MachineSpec {
			MachineSpec {
				cpu_model: name("AMD EPYC 9654"),
				cores: 64,
				threads: 128,
				ram_gib: 512,
				storage_gib: 8000,
				bandwidth_mbps: 10_000,
				gpus: vec![
					GpuSpec { model: name("H100"), vram_gib: 80, count: 4 },
					GpuSpec { model: name("RTX 4090"), vram_gib: 24, count: 2 },
				]
				.try_into()
				.expect("two entries"),
			}
		}

		/// 4·1000 + 2·330 + 64·8 + 512/4.
		pub const GPU_SPEC_SCORE: u64 = 4 * 1000 + 2 * 330 + 64 * 8 + 512 / 4;

		pub fn cpu_only_spec() -> MachineSpec {
			MachineSpec {
				cpu_model: name("Intel Xeon"),
				cores: 16,
				threads: 32,
				ram_gib: 64,
				storage_gib: 1000,
				bandwidth_mbps: 1000,
				gpus: Default::default(),
			}
		}

		/// Minimum collateral: 100 + 1 per score point. A pledged NFT counts 2 per point less 50%.
		pub fn staking_params() -> StakingParams<Balance, u64> {
			StakingParams {
				min_collateral_base: 100,
				min_collateral_per_point: 1,
				unbonding_delay: UNBONDING_DELAY,
				unstake_cooldown: 5,
				era_reward: ERA_REWARD,
				pledge_value_per_point: 2,
				pledge_haircut: Perbill::from_percent(50),
				reporter_share: Perbill::from_percent(10),
				juror_share: Perbill::from_percent(10),
				unpledge_delay: MIN_UNPLEDGE_DELAY,
				abandonment_period: ABANDONMENT_PERIOD,
				maintenance_allowance: MAINTENANCE_ALLOWANCE,
				lease_bonus: Perbill::from_percent(50),
				// Seize at once, whatever the shortfall: the money-path tests' defaults. The
				// proportional rule (threshold and grace) is tested with its own parameters.
				seize_threshold: Perbill::zero(),
				seize_grace: 0,
			}
		}

		pub const ERA_REWARD: Balance = 1_000;

		pub const MIN_CONTRIBUTION: Balance = 1_000;
		pub const JUROR_FEE: Balance = 20;
		pub const REPORT_BOND: Balance = 200;
		pub const COMMIT_PERIOD: u64 = 5;
		pub const REVEAL_PERIOD: u64 = 5;
		pub const RESIGN_DELAY: u64 = 10;
		pub const MAX_WAIT: u64 = 20;

		/// Supervisor parameters of the tests: a 10% slash for absent or minority jurors.
		pub fn supervisor_params() -> pallet_supervisors::ParamsOf<Test> {
			pallet_supervisors::SupervisorParams {
				min_contribution: MIN_CONTRIBUTION,
				commit_period: COMMIT_PERIOD,
				reveal_period: REVEAL_PERIOD,
				resign_delay: RESIGN_DELAY,
				juror_fee: JUROR_FEE,
				incoherence_slash: Perbill::from_percent(10),
				report_bond: REPORT_BOND,
				report_slash: Perbill::from_percent(20),
				dispute_slash: Perbill::from_percent(10),
				max_wait: MAX_WAIT,
			}
		}
		pub const UNBONDING_DELAY: u64 = MIN_UNPLEDGE_DELAY + 2;
		pub const ABANDONMENT_PERIOD: u64 = 200;
		/// Announced maintenance per era (10 blocks) that still counts as available.
		pub const MAINTENANCE_ALLOWANCE: u64 = 2;

		/// 10% protocol fee, 20% offline slash.
		pub fn market_params() -> MarketParams {
			MarketParams {
				protocol_fee: Perbill::from_percent(10),
				offline_slash: Perbill::from_percent(20),
			}
		}

		pub struct ExtBuilder;

		impl ExtBuilder {
			pub fn build() -> sp_io::TestExternalities {
				set_stable_price(Err(powerverse_primitives::PriceUnavailable::NoPrice));
				let mut storage =
					frame_system::GenesisConfig::<Test>::default().build_storage().expect("genesis");
				let mut balances: Vec<(AccountId, Balance)> =
					ENDOWED.iter().map(|a| (a.clone(), ENDOWMENT)).collect();
				balances.push((POOR, POOR_BALANCE));
				balances.extend(SUPERVISORS.iter().map(|s| (s.clone(), ENDOWMENT)));
				balances.push((pallet_compute::Pallet::<Test>::account_id(), COLLECTION_DEPOSIT + EXISTENTIAL_DEPOSIT));
				pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
					.assimilate_storage(&mut storage)
					.expect("balances genesis");
				pallet_compute::GenesisConfig::<Test> {
					hardware_models: vec![
						(b"H100".to_vec(), HardwareClass::Gpu, 1000),
						(b"A100".to_vec(), HardwareClass::Gpu, 600),
						(b"RTX 4090".to_vec(), HardwareClass::Gpu, 330),
						(b"AMD EPYC 9654".to_vec(), HardwareClass::Cpu, 8),
					],
					default_cpu_core_score: 4,
					require_known_models: false,
					create_collection: true,
					// Endowed by the balances genesis above.
					pallet_account_endowment: 0,
					_config: Default::default(),
				}
				.assimilate_storage(&mut storage)
				.expect("compute genesis");
				pallet_compute_staking::GenesisConfig::<Test> { params: staking_params() }
					.assimilate_storage(&mut storage)
					.expect("staking genesis");
				pallet_market::GenesisConfig::<Test> {
					params: market_params(),
					treasury_endowment: 0,
					_phantom: Default::default(),
				}
					.assimilate_storage(&mut storage)
					.expect("market genesis");
				pallet_supervisors::GenesisConfig::<Test> {
					params: supervisor_params(),
					supervisors: vec![],
				}
					.assimilate_storage(&mut storage)
					.expect("supervisors genesis");
				pallet_tiers::GenesisConfig::<Test> { params: tier_params() }
					.assimilate_storage(&mut storage)
					.expect("tiers genesis");
				let mut ext = sp_io::TestExternalities::new(storage);
				ext.execute_with(|| System::set_block_number(1));
				ext
			}

			/// Runs `test`, then checks every invariant ([`check_invariants`]) against the issuance at
			/// the start plus the rewards staking minted meanwhile.
			pub fn build_and_execute(test: impl FnOnce()) {
				Self::build().execute_with(|| {
					let issuance = pallet_balances::TotalIssuance::<Test>::get();
					test();
					check_invariants(issuance);
				})
			}
		}

		/// The invariants of DESIGN.md across the real pallets:
		/// - every pallet's `try_state` (escrow and collateral sums, indexes, both directions of the
		///   stake and pledge locks);
		/// - PEC is created only by minted staking rewards and destroyed by nothing: issuance is the
		///   start plus `TotalRewardsMinted`, and every planck is in some account;
		/// - every pallet hold is backed: escrow + dispute deposits + collateral are on hold;
		/// - a locked NFT's machine is live, and a leased machine has exactly one running lease.
		pub fn check_invariants(issuance_at_start: Balance) {
			pallet_compute::Pallet::<Test>::do_try_state().expect("compute invariants hold");
			pallet_compute_staking::Pallet::<Test>::do_try_state().expect("staking invariants hold");
			pallet_market::Pallet::<Test>::do_try_state().expect("market invariants hold");
			pallet_tiers::Pallet::<Test>::do_try_state().expect("tier invariants hold");
			let minted = pallet_compute_staking::TotalRewardsMinted::<Test>::get();
			let issuance = pallet_balances::TotalIssuance::<Test>::get();
			assert_eq!(issuance, issuance_at_start + minted, "issuance moves only by minted rewards");
			let sum: Balance = frame_system::Account::<Test>::iter()
				.map(|(_, info)| info.data.free + info.data.reserved)
				.sum();
			assert_eq!(sum, issuance, "every planck is in some account");
			for machine in locked_machines() {
				assert!(pallet_compute::Machines::<Test>::contains_key(machine), "locked NFT of a live machine");
			}
			for machine in <Compute as powerverse_primitives::ComputeNftLocks>::locked_with(NftLockReason::Lease) {
				assert!(pallet_market::ActiveLease::<Test>::contains_key(machine), "leased without a lease");
			}
		}

		/// The state an attacker must not be able to change with a refused call: every account's
		/// balances and holds, every NFT's owner and every machine's locks, and the storage root.
		#[derive(Debug, PartialEq, Eq)]
		pub struct Snapshot {
			pub root: Vec<u8>,
			pub accounts: Vec<(AccountId, Balance, Balance)>,
			pub nfts: Vec<(MachineId, Option<AccountId>, u8)>,
		}

		pub fn snapshot() -> Snapshot {
			let accounts = frame_system::Account::<Test>::iter()
				.map(|(who, info)| (who, info.data.free, info.data.reserved))
				.collect();
			let nfts = pallet_compute::Machines::<Test>::iter()
				.map(|(id, m)| (id, Nfts::owner(COLLECTION, id), m.locks.0))
				.collect();
			Snapshot { root: sp_io::storage::root(sp_runtime::StateVersion::V1), accounts, nfts }
		}

		/// Moves to block `n`, recording a hash for every block passed (as a chain would: the
		/// supervisor juries are seeded by them).
		pub fn run_to_block(n: u64) {
			for b in System::block_number()..n {
				let hash = sp_io::hashing::blake2_256(&codec::Encode::encode(&(b"block", b)));
				frame_system::BlockHash::<Test>::insert(b, sp_core::H256::from(hash));
			}
			System::set_block_number(n);
		}

		/// Moves `blocks` ahead.
		pub fn advance(blocks: u64) {
			run_to_block(System::block_number() + blocks);
		}

		// ---- Building blocks on the real pallets ----

		pub fn origin(who: &AccountId) -> RuntimeOrigin {
			RuntimeOrigin::signed(who.clone())
		}

		pub fn free(who: &AccountId) -> Balance {
			Balances::balance(who)
		}

		pub fn escrow_held(who: &AccountId) -> Balance {
			Balances::balance_on_hold(&RuntimeHoldReason::Market(pallet_market::HoldReason::Escrow), who)
		}

		pub fn deposit_held(who: &AccountId) -> Balance {
			Balances::balance_on_hold(
				&RuntimeHoldReason::Market(pallet_market::HoldReason::DisputeDeposit),
				who,
			)
		}

		pub fn collateral_held(who: &AccountId) -> Balance {
			Balances::balance_on_hold(
				&RuntimeHoldReason::Staking(pallet_compute_staking::HoldReason::Collateral),
				who,
			)
		}

		/// The current holder of `machine`'s compute NFT.
		pub fn nft_owner(machine: MachineId) -> Option<AccountId> {
			Nfts::owner(COLLECTION, machine)
		}

		/// Registers `who` as a provider unless it is one.
		pub fn ensure_provider(who: &AccountId) {
			if !pallet_compute::Providers::<Test>::contains_key(who) {
				assert_ok!(Compute::register_provider(origin(who), profile()));
			}
		}

		/// A machine of `provider` with `spec` at `price` per hour, pending verification.
		pub fn register(provider: &AccountId, spec: MachineSpec, price: Balance) -> MachineId {
			ensure_provider(provider);
			let id = pallet_compute::NextMachineId::<Test>::get();
			assert_ok!(Compute::register_machine(origin(provider), spec, OPERATOR, price));
			id
		}

		/// A verified machine of `provider` with `gpus` H100s at `price` per hour, bonded at its
		/// minimum collateral and online now.
		pub fn machine(provider: &AccountId, gpus: u32, price: Balance) -> MachineId {
			let id = register(provider, h100_spec(gpus), price);
			assert_ok!(Compute::verify_machine(RuntimeOrigin::root(), id, true));
			let minimum = pallet_compute_staking::Pallet::<Test>::minimum_for(id);
			assert_ok!(Staking::bond(origin(provider), id, minimum));
			id
		}

		/// Sends `machine`'s heartbeat (from its operator) now.
		pub fn heartbeat(machine: MachineId) {
			assert_ok!(Compute::heartbeat(origin(&OPERATOR), machine));
		}

		/// Moves to block `n` with `machine` beating every `MIN_HEARTBEAT_INTERVAL` blocks.
		pub fn run_alive_to(machine: MachineId, n: u64) {
			while System::block_number() < n {
				let last = pallet_compute::Machines::<Test>::get(machine).expect("machine").last_heartbeat;
				let next = (last + MIN_HEARTBEAT_INTERVAL).min(n).max(System::block_number() + 1);
				run_to_block(next);
				if next >= last + MIN_HEARTBEAT_INTERVAL {
					heartbeat(machine);
				}
			}
		}

		/// Transfers `machine`'s NFT from its holder to `to` through pallet-nfts.
		pub fn sell(machine: MachineId, to: &AccountId) {
			let holder = nft_owner(machine).expect("NFT exists");
			assert_ok!(Nfts::transfer(origin(&holder), COLLECTION, machine, to.clone()));
		}

		/// Stakes and pledges `machine`'s NFT from its holder.
		pub fn stake_and_pledge(machine: MachineId) {
			let holder = nft_owner(machine).expect("NFT exists");
			assert_ok!(Staking::stake_nft(origin(&holder), machine));
			assert_ok!(Staking::pledge_nft(origin(&holder), machine));
		}

		pub fn job_spec() -> pallet_market::JobSpecOf<Test> {
			b"ipfs://bafy-job".to_vec().try_into().expect("short")
		}

		/// `customer` rents `machine` for `hours` at its posted price; returns the lease id.
		pub fn rent(customer: &AccountId, machine: MachineId, hours: u32) -> LeaseId {
			let lease = pallet_market::NextLeaseId::<Test>::get();
			let price = pallet_compute::Machines::<Test>::get(machine).expect("machine").price_per_hour;
			assert_ok!(Market::rent_machine(origin(customer), machine, hours, price, job_spec()));
			lease
		}

		pub fn lease(id: LeaseId) -> pallet_market::LeaseOf<Test> {
			pallet_market::Leases::<Test>::get(id).expect("lease exists")
		}

		/// Runs the hooks' `integrity_test` of every pallet (as `construct_runtime` does).
		pub fn integrity_tests() {
			<AllPalletsWithSystem as frame_support::traits::IntegrityTest>::integrity_test();
		}

		/// Machines whose NFT holds any lock.
		pub fn locked_machines() -> Vec<MachineId> {
			pallet_compute::Machines::<Test>::iter()
				.filter(|(_, m)| m.locks.any())
				.map(|(id, _)| id)
				.collect()
		}

		/// The benchmarks' machines, built through the real pallets as in the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		pub struct BenchmarkHelper;

		#[cfg(feature = "runtime-benchmarks")]
		impl pallet_compute_staking::BenchmarkHelper<AccountId> for BenchmarkHelper {
			fn machine(provider: &AccountId, owner: &AccountId) -> MachineId {
				pallet_compute::Pallet::<Test>::benchmark_machine(provider, owner)
			}
			fn set_leased(machine: MachineId, leased: bool) {
				use powerverse_primitives::ComputeLeasing;
				let result =
					if leased { Compute::mark_leased(machine, u64::MAX) } else { Compute::mark_idle(machine) };
				result.expect("benchmark machine is verified and online; qed");
			}
			fn heartbeat(machine: MachineId) {
				let provider = pallet_compute::Machines::<Test>::get(machine).expect("machine").provider;
				Compute::heartbeat(RuntimeOrigin::signed(provider), machine)
					.expect("the benchmark advanced past the heartbeat interval; qed");
			}
			fn list(machine: MachineId) {
				let provider = pallet_compute::Machines::<Test>::get(machine).expect("machine").provider;
				Market::list_machine(RuntimeOrigin::signed(provider), machine)
					.expect("verified machine of its provider; qed");
			}
		}

		#[cfg(feature = "runtime-benchmarks")]
		impl pallet_market::BenchmarkHelper<AccountId> for BenchmarkHelper {
			fn machine(provider: &AccountId, owner: &AccountId) -> MachineId {
				use frame_support::traits::fungible::Mutate;
				let _ = Balances::set_balance(provider, 1_000_000_000);
				let machine = pallet_compute::Pallet::<Test>::benchmark_machine(provider, owner);
				Staking::benchmark_pledge_and_bond(machine, provider, owner);
				machine
			}
			fn heartbeat(machine: MachineId) {
				<Self as pallet_compute_staking::BenchmarkHelper<AccountId>>::heartbeat(machine)
			}
		}

		#[cfg(feature = "runtime-benchmarks")]
		impl pallet_supervisors::BenchmarkHelper<AccountId> for BenchmarkHelper {
			fn machine(provider: &AccountId, owner: &AccountId) -> MachineId {
				<Self as pallet_market::BenchmarkHelper<AccountId>>::machine(provider, owner)
			}
		}
	};
}

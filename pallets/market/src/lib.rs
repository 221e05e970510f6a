#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;
// The test runtime (`powerverse_test_runtime::construct_test_runtime!`) names every pallet by
// its crate name, this one included.
#[cfg(test)]
extern crate self as pallet_market;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
pub mod migrations;
/// The test runtime of the real pallets, shared by every PowerVerse pallet's tests.
#[cfg(test)]
pub(crate) mod mock {
	powerverse_test_runtime::construct_test_runtime!();
}
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

/// The highest protocol fee governance may set.
pub const MAX_PROTOCOL_FEE: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(50);

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, tokens::Balance as BalanceTrait},
	};
	use frame_system::pallet_prelude::*;
	use powerverse_primitives::{
		ComputeInspect, ComputeLeasing, CustomerBenefits, DisputeJury, JobId, JobRequirements,
		LeaseId, MachineCollateral, MachineId, MachineSlashing, PriorityLevel, RewardsObserver,
		Verdict,
	};
	use sp_runtime::traits::Zero;

	/// 2: offers carry their price-index key ([`migrations::v2`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds PEC.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A customer's budget for an open job or a lease.
		Escrow,
		/// A customer's dispute deposit, returned if the dispute is upheld or gets no verdict.
		DisputeDeposit,
		/// Earnings a beneficiary's account could not take when paid (below the existential
		/// deposit), held on the treasury account until `claim_unclaimed`.
		Unclaimed,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// $PEC: escrowed from customers, paid to owners and the treasury.
		type Currency: fungible::Inspect<Self::AccountId, Balance = Self::Balance>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The PEC balance type.
		type Balance: BalanceTrait + MaxEncodedLen + From<u64> + TryInto<u128> + TryFrom<u128>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The compute registry: specs, states, owners; marks machines leased and idle.
		type Compute: ComputeInspect<Self::AccountId, Self::Balance, BlockNumberFor<Self>>
			+ ComputeLeasing<BlockNumberFor<Self>>;

		/// Machines' collateral (a lease needs enough).
		type Collateral: MachineCollateral<Self::Balance>;

		/// Slashes a machine that fails a lease or loses a dispute.
		type Slashing: MachineSlashing<Self::AccountId, Self::Balance>;

		/// Customers' priority level and fee discount (the loyalty tiers).
		type Benefits: CustomerBenefits<Self::AccountId>;

		/// Hands disputes to a jury (the supervisor DAO).
		type Jury: DisputeJury<Self::AccountId>;

		/// Told when a machine's availability changes here (listed, delisted, a lease started
		/// or ended): staking re-weighs its NFT's rewards.
		type Rewards: RewardsObserver;

		/// Receives protocol fees.
		type TreasuryAccount: Get<Self::AccountId>;

		/// PEC's price in the stable asset (the price oracle): converts stable-priced offers
		/// when a lease starts.
		type Price: powerverse_primitives::PecPrice<Self::Balance>;

		/// Sets the parameters (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Gives dispute verdicts until the supervisor DAO does it through `DisputeResolution`.
		type DisputeOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Blocks per hour: the unit prices are quoted in.
		#[pallet::constant]
		type BlocksPerHour: Get<BlockNumberFor<Self>>;

		/// Longest lease, in hours.
		#[pallet::constant]
		type MaxHours: Get<u32>;

		/// Longest job spec pointer, in bytes.
		#[pallet::constant]
		type MaxJobSpecLen: Get<u32>;

		/// Highest priority level; customers' levels are capped to it.
		#[pallet::constant]
		type MaxPriorityLevel: Get<PriorityLevel>;

		/// Most open jobs per priority level.
		#[pallet::constant]
		type MaxOpenJobsPerLevel: Get<u32>;

		/// Most open jobs per customer.
		#[pallet::constant]
		type MaxJobsPerCustomer: Get<u32>;

		/// Most unsettled leases (running, or ended and not yet paid out) per customer.
		#[pallet::constant]
		type MaxLeasesPerCustomer: Get<u32>;

		/// The smallest budget (price × hours) a posted job may escrow.
		#[pallet::constant]
		type MinJobBudget: Get<Self::Balance>;

		/// Paid to the treasury for every posted job, never refunded: keeping the job queue
		/// full costs this per slot and per `JobLifetime` (see docs/economics.md).
		#[pallet::constant]
		type JobPostingFee: Get<Self::Balance>;

		/// Blocks an open job waits for a machine; after that anyone may remove it (its escrow
		/// goes back to the customer) and a full queue drops it for a new job.
		#[pallet::constant]
		type JobLifetime: Get<BlockNumberFor<Self>>;

		/// Held from a customer who opens a dispute; returned if the dispute is upheld or gets
		/// no verdict in time, paid to the treasury if it is rejected.
		#[pallet::constant]
		type DisputeDeposit: Get<Self::Balance>;

		/// Blocks a dispute waits for a verdict; after that anyone may close it by the default
		/// verdict (no refund, no slash, deposit returned).
		#[pallet::constant]
		type DisputePeriod: Get<BlockNumberFor<Self>>;

		/// Most machines listed for rent.
		#[pallet::constant]
		type MaxOffers: Get<u32>;

		/// How long a leased machine may miss heartbeats before the lease fails.
		#[pallet::constant]
		type OfflineGracePeriod: Get<BlockNumberFor<Self>>;

		/// How long after a lease ends (or its result arrives) the customer may dispute.
		#[pallet::constant]
		type ChallengePeriod: Get<BlockNumberFor<Self>>;

		/// Most jurors paid by one verdict.
		#[pallet::constant]
		type MaxJurors: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates machines for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// What the benchmarks need from the compute registry and the collateral pallet.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// A verified, online, collateralized machine of `provider` whose NFT `owner` holds,
		/// able to serve `JobRequirements::default()` plus one GPU, whose collateral is mostly
		/// a pledged NFT, so that a slash of it seizes the NFT (the worst path).
		fn machine(provider: &AccountId, owner: &AccountId) -> MachineId;
		/// Records a heartbeat of the machine now.
		fn heartbeat(machine: MachineId);
	}

	/// Governance parameters.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, MarketParams, ValueQuery>;

	/// Open jobs.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageMap<_, Twox64Concat, JobId, JobOf<T>>;

	/// The id the next job gets.
	#[pallet::storage]
	pub type NextJobId<T: Config> = StorageValue<_, JobId, ValueQuery>;

	/// Open jobs by priority level, oldest first: providers serve the highest level first.
	#[pallet::storage]
	pub type OpenJobs<T: Config> = StorageMap<
		_,
		Twox64Concat,
		PriorityLevel,
		BoundedVec<JobId, T::MaxOpenJobsPerLevel>,
		ValueQuery,
	>;

	/// A customer's open jobs.
	#[pallet::storage]
	pub type CustomerJobs<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<JobId, T::MaxJobsPerCustomer>,
		ValueQuery,
	>;

	/// Leases not yet fully paid out.
	#[pallet::storage]
	pub type Leases<T: Config> = StorageMap<_, Twox64Concat, LeaseId, LeaseOf<T>>;

	/// The id the next lease gets.
	#[pallet::storage]
	pub type NextLeaseId<T: Config> = StorageValue<_, LeaseId, ValueQuery>;

	/// The running lease of each leased machine (a machine never holds two).
	#[pallet::storage]
	pub type ActiveLease<T: Config> = StorageMap<_, Twox64Concat, MachineId, LeaseId>;

	/// A machine's unsettled leases (running, ended, disputed). Not a bounded list: a machine
	/// never runs out of lease slots, so nobody can lock it out of the market by renting and
	/// disputing; each entry is paid for by a lease.
	#[pallet::storage]
	pub type MachineLeases<T: Config> =
		StorageDoubleMap<_, Twox64Concat, MachineId, Twox64Concat, LeaseId, ()>;

	/// Open disputes per machine: while any is open, the machine's collateral and NFT cannot
	/// leave (`JudgementGuard`).
	#[pallet::storage]
	pub type OpenDisputes<T: Config> = StorageMap<_, Twox64Concat, MachineId, u32, ValueQuery>;

	/// PEC held as dispute deposits.
	#[pallet::storage]
	pub type TotalDisputeDeposits<T: Config> = StorageValue<_, T::Balance, ValueQuery>;

	/// A customer's unsettled leases.
	#[pallet::storage]
	pub type CustomerLeases<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<LeaseId, T::MaxLeasesPerCustomer>,
		ValueQuery,
	>;

	/// Machines their providers list for rent, with their place in [`OffersByPrice`].
	#[pallet::storage]
	pub type Offers<T: Config> = CountedStorageMap<_, Twox64Concat, MachineId, Offer>;

	/// The listed machines by price, cheapest first within each unit (identity-hashed
	/// big-endian keys iterate in price order): quotes read O(page) entries, not every offer.
	/// Kept in step with [`Offers`] by listing, delisting, `set_stable_price` and the compute
	/// pallet's price updates (`PriceObserver`).
	#[pallet::storage]
	pub type OffersByPrice<T: Config> =
		StorageDoubleMap<_, Identity, PriceUnit, Identity, OfferKey, ()>;

	/// Machines priced in the stable asset: units of it per hour, converted to PEC at the
	/// oracle's average when a lease starts (the lease is then fixed in PEC).
	#[pallet::storage]
	pub type StablePrices<T: Config> = StorageMap<_, Twox64Concat, MachineId, T::Balance>;

	/// Earnings owed to accounts that could not take them when paid (an account below the
	/// existential deposit): held on the treasury account under `HoldReason::Unclaimed`
	/// (governance cannot spend them) until the account calls `claim_unclaimed`.
	#[pallet::storage]
	pub type Unclaimed<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, T::Balance>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial parameters.
		pub params: MarketParams,
		/// Minted to the treasury account at genesis if it holds less (plancks), so it exists
		/// from the first block and fees below the existential deposit are credited; a
		/// network's genesis need not list it among its endowments.
		pub treasury_endowment: u128,
		#[serde(skip)]
		pub _phantom: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(self.params.protocol_fee <= MAX_PROTOCOL_FEE, "protocol fee above the cap");
			Params::<T>::put(self.params);
			use frame_support::traits::fungible::{Inspect as _, Mutate as _};
			use sp_runtime::traits::{Saturating as _, UniqueSaturatedInto as _};
			let treasury = T::TreasuryAccount::get();
			let endowment: T::Balance = self.treasury_endowment.unique_saturated_into();
			let held = T::Currency::balance(&treasury);
			if held < endowment {
				T::Currency::mint_into(&treasury, endowment.saturating_sub(held))
					.expect("minting to the treasury at genesis; qed");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A job was posted and its budget escrowed.
		JobPosted {
			job: JobId,
			customer: T::AccountId,
			priority: PriorityLevel,
			escrow: T::Balance,
		},
		/// A job was cancelled and its escrow released.
		JobCancelled { job: JobId, refunded: T::Balance },
		/// An open job outlived `JobLifetime` and was removed; its escrow went back.
		JobExpired { job: JobId, refunded: T::Balance },
		/// A machine accepted a job; `released` is the escrow above the agreed price.
		JobAccepted { job: JobId, machine: MachineId, lease: LeaseId, released: T::Balance },
		/// A lease started.
		LeaseStarted {
			lease: LeaseId,
			machine: MachineId,
			customer: T::AccountId,
			price_per_hour: T::Balance,
			hours: u32,
			end: BlockNumberFor<T>,
		},
		/// A lease ended; `refunded` is the unused budget returned to the customer.
		LeaseEnded {
			lease: LeaseId,
			reason: EndReason,
			at: BlockNumberFor<T>,
			refunded: T::Balance,
		},
		/// Earnings were paid: `amount` to the owner (zero if its account could not take them:
		/// see `EarningsDeferred`), `fee` to the treasury.
		EarningsPaid { lease: LeaseId, to: T::AccountId, amount: T::Balance, fee: T::Balance },
		/// Earnings the beneficiary's account could not take yet (below the existential
		/// deposit) were kept for it: `claim_unclaimed` pays them.
		EarningsDeferred { lease: LeaseId, to: T::AccountId, amount: T::Balance },
		/// Earnings kept in `Unclaimed` were paid to their account.
		UnclaimedPaid { who: T::AccountId, amount: T::Balance },
		/// The provider submitted the result.
		ResultSubmitted { lease: LeaseId, result: ResultHash },
		/// Nothing about the lease can be disputed any more.
		LeaseFinalized { lease: LeaseId },
		/// A lease was fully paid out and removed.
		LeaseSettled { lease: LeaseId },
		/// The customer disputed a lease; `held` waits for the verdict, `deposit` is held until
		/// then, and the verdict is due by `deadline`.
		DisputeOpened {
			lease: LeaseId,
			held: T::Balance,
			deposit: T::Balance,
			deadline: BlockNumberFor<T>,
		},
		/// A dispute was decided (`by_default`: no verdict came before its deadline). The
		/// deposit went back to the customer if `deposit_returned`, else to the treasury.
		DisputeResolved {
			lease: LeaseId,
			verdict: Verdict,
			refunded: T::Balance,
			slashed: T::Balance,
			deposit_returned: bool,
			by_default: bool,
		},
		/// A failed machine's collateral was slashed (or could not be: `slashed` is zero).
		ProviderSlashed { lease: LeaseId, machine: MachineId, slashed: T::Balance },
		/// A machine was listed for rent.
		MachineListed { machine: MachineId },
		/// A machine was taken off the list.
		MachineDelisted { machine: MachineId },
		/// `machine` is priced at `per_hour` stable units an hour (`None`: in PEC again).
		StablePriceSet { machine: MachineId, per_hour: Option<T::Balance> },
		/// A stable price was converted for a lease: `stable` units an hour are `pec` an hour.
		StablePriceConverted { machine: MachineId, stable: T::Balance, pec: T::Balance },
		/// Parameters changed.
		ParamsSet { params: MarketParams },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Zero hours.
		ZeroHours,
		/// More hours than `MaxHours`.
		TooManyHours,
		/// Zero price.
		ZeroPrice,
		/// The machine is priced in the stable asset and the oracle has no price (no pool
		/// tracked, or not enough history).
		NoStablePrice,
		/// The machine is priced in the stable asset and the oracle's price is stale.
		StablePriceStale,
		/// The job spec pointer is empty.
		EmptyJobSpec,
		/// A requirement names an empty GPU model.
		EmptyGpuModel,
		/// A requirement's region is not an upper-case two-letter country code.
		InvalidRegion,
		/// Price × hours overflows.
		BudgetOverflow,
		/// The customer's free balance cannot cover the escrow.
		InsufficientBalance,
		/// The priority level's job queue is full.
		TooManyOpenJobs,
		/// The customer has too many open jobs.
		TooManyJobsOfCustomer,
		/// The customer has too many unsettled leases.
		TooManyLeasesOfCustomer,
		/// The job's budget (price × hours) is below `MinJobBudget`.
		BudgetTooSmall,
		/// The job outlived `JobLifetime`; it can only be removed.
		JobExpired,
		/// Only the customer may cancel a job that has not expired.
		JobNotExpired,
		/// The machine's posted price is above the most the customer accepts.
		PriceAboveLimit,
		/// The customer cannot cover the dispute deposit.
		InsufficientDeposit,
		/// The lease cost nothing (it ended in the block it started): there is nothing to
		/// dispute.
		NothingToDispute,
		/// The machine's announced maintenance window falls inside the lease: a customer never
		/// pays for a machine its provider plans to take down.
		MaintenanceDuringLease,
		/// No job with this id was ever posted.
		UnknownJob,
		/// The job was already accepted or cancelled.
		JobNotOpen,
		/// Only the job's customer may do this.
		NotJobCustomer,
		/// The machine does not exist or is retired.
		UnknownMachine,
		/// Only the machine's provider or operator may do this.
		NotMachineOperator,
		/// The machine is not verified.
		MachineNotVerified,
		/// The machine's last heartbeat is too old.
		MachineOffline,
		/// The machine is in a maintenance window.
		MachineInMaintenance,
		/// The machine is already leased.
		MachineLeased,
		/// The machine's collateral is below its minimum.
		InsufficientCollateral,
		/// The machine has too few GPUs of the model and memory asked for.
		NotEnoughGpus,
		/// The machine has too few CPU cores.
		NotEnoughCores,
		/// The machine has too little RAM.
		NotEnoughRam,
		/// The machine's provider is in another country.
		WrongRegion,
		/// The machine's price is above the job's maximum.
		PriceAboveMaximum,
		/// No lease with this id (or it is already settled).
		UnknownLease,
		/// Only the lease's customer may do this.
		NotLeaseCustomer,
		/// Only the owner the lease pays may claim its earnings.
		NotBeneficiary,
		/// Only the machine's provider or operator may submit its result.
		NotLeaseProvider,
		/// The lease has ended.
		LeaseNotActive,
		/// The lease is still running (and its machine is online).
		LeaseStillRunning,
		/// The lease has not ended yet.
		LeaseNotEnded,
		/// The lease is disputed; its payment waits for the verdict.
		LeaseDisputed,
		/// The lease is not disputed.
		LeaseNotDisputed,
		/// The challenge window is still open.
		ChallengeWindowOpen,
		/// The challenge window has closed.
		ChallengeWindowClosed,
		/// A result was already submitted.
		ResultAlreadySubmitted,
		/// Nothing has accrued since the last claim.
		NothingToClaim,
		/// No earnings are kept for this account.
		NothingUnclaimed,
		/// The account still cannot take what is kept for it (below the existential deposit):
		/// fund it first.
		BelowExistentialDeposit,
		/// The machine is already listed.
		AlreadyListed,
		/// The machine is not listed.
		NotListed,
		/// The offer list is full.
		TooManyOffers,
		/// The machine is listed for rent: delist it first.
		MachineListedForRent,
		/// The machine still has unsettled leases.
		MachineHasLeases,
		/// The protocol fee is above `MAX_PROTOCOL_FEE`.
		FeeTooHigh,
		/// More jurors than `MaxJurors`.
		TooManyJurors,
		/// The dispute still waits for its verdict (its deadline has not passed).
		DisputePending,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Posts a job and holds its budget, `max_price_per_hour × hours` (at least
		/// `MinJobBudget`), from the caller, who also pays the `JobPostingFee` to the treasury.
		/// The job waits `JobLifetime` blocks for a machine. A full queue first drops its oldest
		/// job if that one expired.
		///
		/// Origin: signed (the customer). The job is queued at the customer's priority level.
		/// Emits `JobPosted` (and `JobExpired`). O(1). Charged the dropping of an expired job
		/// only when it happens.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::post_job().saturating_add(T::Benefits::weight()))]
		pub fn post_job(
			origin: OriginFor<T>,
			requirements: JobRequirements,
			max_price_per_hour: T::Balance,
			hours: u32,
			spec: JobSpecOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (_, dropped_expired) =
				Self::do_post_job(who, requirements, max_price_per_hour, hours, spec)?;
			let actual = if dropped_expired {
				T::WeightInfo::post_job()
			} else {
				T::WeightInfo::post_job_no_expiry()
			};
			Ok(Some(actual.saturating_add(T::Benefits::weight())).into())
		}

		/// Cancels an open job and releases its escrow to its customer.
		///
		/// Origin: the job's customer, or anyone once the job has expired. Emits
		/// `JobCancelled` (`JobExpired` for an expired job). O(1) (bounded queues).
		#[pallet::call_index(1)]
		pub fn cancel_job(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_job(who, job)
		}

		/// Accepts an open job with `machine` at the machine's posted price, which must not
		/// exceed the job's maximum. The lease starts now; the escrow above the agreed price is
		/// released to the customer.
		///
		/// Origin: the machine's provider or operator. The machine must be verified, online,
		/// idle, sufficiently collateralized and meet every requirement. Emits `JobAccepted`,
		/// `LeaseStarted`. O(1) (bounded queues).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::accept_job()
			.saturating_add(T::Benefits::weight())
			.saturating_add(<T::Price as powerverse_primitives::PecPrice<T::Balance>>::weight()))]
		pub fn accept_job(origin: OriginFor<T>, job: JobId, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_job(who, job, machine).map(|_| ())
		}

		/// Rents an idle machine directly at its posted price for `hours`, holding
		/// `price × hours` from the caller. Refused (`PriceAboveLimit`) if the posted price is
		/// above `max_price_per_hour`, so a price change sent just before cannot raise the bill.
		///
		/// Origin: signed (the customer). Emits `LeaseStarted`. O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::rent_machine()
			.saturating_add(T::Benefits::weight())
			.saturating_add(<T::Price as powerverse_primitives::PecPrice<T::Balance>>::weight()))]
		pub fn rent_machine(
			origin: OriginFor<T>,
			machine: MachineId,
			hours: u32,
			max_price_per_hour: T::Balance,
			spec: JobSpecOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rent_machine(who, machine, hours, max_price_per_hour, spec).map(|_| ())
		}

		/// Ends a running lease now and refunds the unused budget.
		///
		/// Origin: the lease's customer. Emits `LeaseEnded` (and `ProviderSlashed` if the
		/// machine had already failed). O(1).
		#[pallet::call_index(4)]
		pub fn end_lease(origin: OriginFor<T>, lease: LeaseId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_end_lease(who, lease)
		}

		/// Settles a lease that is over: ends an expired lease or one whose machine failed
		/// (refunding and slashing), and pays out a lease whose challenge window has passed.
		///
		/// Origin: signed, anyone (the caller is the reporter of a failure). Emits
		/// `LeaseEnded`, `ProviderSlashed`, `LeaseFinalized`, `EarningsPaid`, `LeaseSettled` as
		/// they apply. O(1).
		#[pallet::call_index(5)]
		pub fn close_lease(origin: OriginFor<T>, lease: LeaseId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_lease(who, lease)
		}

		/// Pays what the lease has accrued and not yet paid to the owner it pays, minus the
		/// protocol fee. While it runs that is the accrual so far; after it ends, the rest is
		/// paid once the lease is final.
		///
		/// Origin: the lease's beneficiary (the machine's NFT owner when it started), or the
		/// machine's provider or operator key (the provider agent claims on the owner's behalf;
		/// the earnings always go to the beneficiary). Emits
		/// `EarningsPaid` (and `LeaseSettled` once nothing is left). O(1). A running lease's
		/// claim is charged only its own path; one that ends, slashes or settles the lease,
		/// the whole declared weight.
		#[pallet::call_index(6)]
		pub fn claim_earnings(origin: OriginFor<T>, lease: LeaseId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let still_running = Self::do_claim_earnings(who, lease)?;
			Ok(still_running.then(T::WeightInfo::claim_earnings_running).into())
		}

		/// Records the hash of the job's result. After the lease ends the customer has
		/// `ChallengePeriod` blocks from the later of the end and this submission to dispute.
		///
		/// Origin: the machine's provider or operator. Emits `ResultSubmitted`. O(1).
		#[pallet::call_index(7)]
		pub fn submit_result(
			origin: OriginFor<T>,
			lease: LeaseId,
			result: ResultHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit_result(who, lease, result)
		}

		/// Accepts an ended lease's outcome: it becomes final and the owner is paid the rest.
		///
		/// Origin: the lease's customer. Emits `LeaseFinalized`, `EarningsPaid`,
		/// `LeaseSettled`. O(1).
		#[pallet::call_index(8)]
		pub fn confirm_result(origin: OriginFor<T>, lease: LeaseId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm_result(who, lease)
		}

		/// Disputes a lease while it runs (which ends it now) or within its challenge window,
		/// holding the `DisputeDeposit` from the customer. The unpaid payment stays held until
		/// a jury (or `DisputeOrigin`) decides; with no verdict within `DisputePeriod`, anyone
		/// may close it by the default verdict (no refund, no slash, deposit returned). While
		/// the dispute is open, the machine's collateral and NFT cannot leave.
		///
		/// Origin: the lease's customer. Emits `DisputeOpened`. O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::open_dispute()
			.saturating_add(T::Jury::dispute_opened_weight()))]
		pub fn open_dispute(origin: OriginFor<T>, lease: LeaseId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_dispute(who, lease)
		}

		/// Decides a dispute: refunds `verdict.refund` of the held payment, pays the rest to the
		/// owner, and slashes `verdict.slash` of the machine's collateral, compensating the
		/// customer first.
		///
		/// Origin: `DisputeOrigin` (governance until the supervisor DAO). Emits
		/// `DisputeResolved`, `EarningsPaid`, `LeaseSettled`. O(1).
		#[pallet::call_index(10)]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			lease: LeaseId,
			verdict: Verdict,
		) -> DispatchResult {
			T::DisputeOrigin::ensure_origin(origin)?;
			Self::do_resolve_dispute(lease, verdict, &[])
		}

		/// Lists a verified machine for rent, so quotes include it.
		///
		/// Origin: the machine's provider, operator or NFT holder (who earns its leases).
		/// Emits `MachineListed`. O(1).
		#[pallet::call_index(11)]
		pub fn list_machine(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_list_machine(who, machine)
		}

		/// Takes a machine off the rent list. Anyone may delist a machine that no longer
		/// exists.
		///
		/// Origin: the machine's provider, operator or NFT holder. Emits `MachineDelisted`.
		/// O(1).
		#[pallet::call_index(12)]
		pub fn delist_machine(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delist_machine(who, machine)
		}

		/// Sets the market parameters.
		///
		/// Origin: `AdminOrigin` (governance). Emits `ParamsSet`. O(1).
		#[pallet::call_index(13)]
		pub fn set_params(origin: OriginFor<T>, params: MarketParams) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(params.protocol_fee <= MAX_PROTOCOL_FEE, Error::<T>::FeeTooHigh);
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}

		/// Pays the caller the earnings kept for it because its account could not take them
		/// when they were paid (below the existential deposit).
		///
		/// Origin: signed. Emits `UnclaimedPaid`. O(1).
		#[pallet::call_index(14)]
		pub fn claim_unclaimed(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_unclaimed(who)
		}

		/// Prices `machine` in the stable asset: `per_hour` units an hour, converted to PEC at
		/// the oracle's average when a lease starts (`None` returns to the PEC price). A zero
		/// price is refused.
		///
		/// Origin: signed (the machine's provider, operator or NFT holder; anyone may clear a
		/// retired machine's). Emits `StablePriceSet`. O(1).
		#[pallet::call_index(15)]
		pub fn set_stable_price(
			origin: OriginFor<T>,
			machine: MachineId,
			per_hour: Option<T::Balance>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_stable_price(who, machine, per_hour)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxJurors::get() <= T::Slashing::max_jurors(),
				"the market pays more jurors than a slash may"
			);
			assert!(!T::JobLifetime::get().is_zero(), "jobs need a lifetime");
			assert!(!T::DisputePeriod::get().is_zero(), "disputes need a deadline");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;
// The test runtime (`powerverse_test_runtime::construct_test_runtime!`) names every pallet by
// its crate name, this one included.
#[cfg(test)]
extern crate self as pallet_supervisors;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
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

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, tokens::Balance as BalanceTrait},
	};
	use frame_system::pallet_prelude::*;
	use powerverse_primitives::{
		ComputeInspect, DisputeResolution, MachineId, MachineSlashing, MachineVerification,
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds PEC.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A supervisor's (or applicant's) contribution behind its judgement.
		Contribution,
		/// A reporter's bond until its report is judged.
		ReportBond,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// $PEC: contributions and report bonds are held, juror fees paid.
		type Currency: fungible::Inspect<Self::AccountId, Balance = Self::Balance>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The PEC balance type.
		type Balance: BalanceTrait + MaxEncodedLen + From<u64> + TryInto<u128> + TryFrom<u128>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The compute registry: who provides, operates and holds a machine (they never judge
		/// it).
		type Compute: ComputeInspect<Self::AccountId, Self::Balance, BlockNumberFor<Self>>;

		/// Where a verification verdict goes (the compute pallet).
		type Verification: MachineVerification;

		/// Where a dispute verdict goes (the market).
		type Disputes: DisputeResolution<Self::AccountId>;

		/// Slashes for confirmed reports (the staking pallet).
		type Slashing: MachineSlashing<Self::AccountId, Self::Balance>;

		/// A dispute's customer's priority level (the loyalty tiers): its jury's commit and
		/// reveal phases are shorter, so higher tiers get their verdict sooner.
		type Benefits: powerverse_primitives::CustomerBenefits<Self::AccountId>;

		/// Admits and removes supervisors directly (governance).
		type AdmissionOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Sets the parameters (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Pays juror fees; receives forfeited report bonds and slashes of absent jurors when
		/// no majority shares them.
		type TreasuryAccount: Get<Self::AccountId>;

		/// Most supervisors at once.
		#[pallet::constant]
		type MaxSupervisors: Get<u32>;

		/// Most pending applications at once.
		#[pallet::constant]
		type MaxApplications: Get<u32>;

		/// Jurors per case (odd).
		#[pallet::constant]
		type JurySize: Get<u32>;

		/// Juries drawn again when one reaches no majority, before a case ends undecided.
		#[pallet::constant]
		type MaxRedraws: Get<u32>;

		/// Longest application statement, in bytes.
		#[pallet::constant]
		type MaxStatementLen: Get<u32>;

		type WeightInfo: WeightInfo;

		/// Builds machines for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// What the benchmarks need from other pallets.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// A verified machine of `provider` whose NFT `owner` holds, whose collateral is mostly
		/// a pledged NFT, so that a slash of it seizes the NFT (the worst path of a report).
		fn machine(provider: &AccountId, owner: &AccountId) -> MachineId;
	}

	/// Governance parameters.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, ValueQuery>;

	/// Supervisors, admitted and leaving.
	#[pallet::storage]
	pub type Members<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, SupervisorOf<T>>;

	/// The supervisors juries are drawn from (admitted and not leaving).
	#[pallet::storage]
	pub type Pool<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxSupervisors>, ValueQuery>;

	/// Pending applications.
	#[pallet::storage]
	pub type Applications<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, ApplicationOf<T>>;

	/// Supervisors' votes on applications: (candidate, supervisor) → aye.
	#[pallet::storage]
	pub type AdmissionVotes<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, T::AccountId, bool>;

	/// Open motions to remove a supervisor, by supervisors' vote: (ayes, nays).
	#[pallet::storage]
	pub type Removals<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, (u32, u32)>;

	/// Supervisors' votes on removals: (supervisor to remove, voter) → aye.
	#[pallet::storage]
	pub type RemovalVotes<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, T::AccountId, bool>;

	/// Open cases.
	#[pallet::storage]
	pub type Cases<T: Config> = StorageMap<_, Twox64Concat, CaseId, CaseOf<T>>;

	/// The cases each supervisor sits on as a juror, undecided (its tasks; what
	/// `powerverse_supervisor` lists). As many per supervisor as its `open_duties`.
	#[pallet::storage]
	pub type Duties<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, CaseId, ()>;

	/// The next case id.
	#[pallet::storage]
	pub type NextCaseId<T: Config> = StorageValue<_, CaseId, ValueQuery>;

	/// Open report cases per machine: while any is open the machine's collateral and NFT stay
	/// where a verdict can reach them (`JudgementGuard`).
	#[pallet::storage]
	pub type OpenReports<T: Config> = StorageMap<_, Twox64Concat, MachineId, u32>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial parameters.
		pub params: ParamsOf<T>,
		/// Founding supervisors and their contributions (held from their balances).
		pub supervisors: alloc::vec::Vec<(T::AccountId, BalanceOf<T>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Params::<T>::put(self.params.clone());
			for (who, contribution) in &self.supervisors {
				Pallet::<T>::hold_contribution(who, *contribution)
					.expect("founding supervisors are endowed with their contribution; qed");
				Pallet::<T>::admit_now(who.clone(), *contribution)
					.expect("at most MaxSupervisors founding supervisors; qed");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account applied to become a supervisor.
		Applied { who: T::AccountId, contribution: T::Balance },
		/// An applicant withdrew its application; its contribution is released.
		ApplicationWithdrawn { who: T::AccountId },
		/// A supervisor voted on an application.
		AdmissionVoted { candidate: T::AccountId, voter: T::AccountId, aye: bool },
		/// An applicant became a supervisor.
		Admitted { who: T::AccountId },
		/// A supervisor voted on removing another.
		RemovalVoted { target: T::AccountId, voter: T::AccountId, aye: bool },
		/// Half or more of the supervisors voted against removing `target`: the motion ends.
		RemovalRejected { target: T::AccountId },
		/// An application was rejected; its contribution is released.
		Rejected { who: T::AccountId },
		/// A supervisor resigned or was removed: no longer drawn; its contribution is released
		/// from `release_at` once no jury duty is open.
		Leaving { who: T::AccountId, release_at: BlockNumberFor<T>, removed: bool },
		/// A former supervisor's contribution was released.
		ContributionReleased { who: T::AccountId, amount: T::Balance },
		/// A case was opened; its jury is drawn once newer randomness exists.
		CaseOpened { case: CaseId, machine: MachineId },
		/// A jury was drawn.
		JuryDrawn { case: CaseId, round: u32, jurors: alloc::vec::Vec<T::AccountId> },
		/// Not enough eligible supervisors to draw a jury: the case waits for more, up to
		/// `max_wait`.
		JuryShort { case: CaseId, eligible: u32 },
		/// A juror committed.
		VoteCommitted { case: CaseId, juror: T::AccountId },
		/// The commit period ended; jurors reveal.
		RevealStarted { case: CaseId, until: BlockNumberFor<T> },
		/// A juror revealed.
		VoteRevealed { case: CaseId, juror: T::AccountId, vote: Vote },
		/// No majority: a new jury is drawn.
		Redrawn { case: CaseId, round: u32 },
		/// The case was decided (or ended undecided).
		CaseClosed { case: CaseId, outcome: Outcome, ayes: u32, nays: u32 },
		/// The verdict could not be applied (the machine or lease moved on meanwhile).
		VerdictNotApplied { case: CaseId, error: DispatchError },
		/// A juror was paid its fee and its share of the incoherent jurors' slashes.
		JurorPaid { case: CaseId, juror: T::AccountId, fee: T::Balance, share: T::Balance },
		/// The treasury could not pay a juror's fee: nothing moved.
		JurorFeeUnpaid { case: CaseId, juror: T::AccountId, fee: T::Balance },
		/// A juror lost part of its contribution for not revealing or voting against the
		/// majority.
		JurorSlashed { case: CaseId, juror: T::AccountId, amount: T::Balance },
		/// A machine was reported.
		Reported { case: CaseId, machine: MachineId, reporter: T::AccountId, bond: T::Balance },
		/// Parameters changed.
		ParamsSet { params: ParamsOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The contribution is below `min_contribution`.
		ContributionTooLow,
		/// More than the account's free balance.
		InsufficientBalance,
		/// The account is already a supervisor.
		AlreadySupervisor,
		/// The account has already applied.
		AlreadyApplied,
		/// No such application.
		NoApplication,
		/// `MaxApplications` applications are pending.
		TooManyApplications,
		/// `MaxSupervisors` supervisors are admitted.
		TooManySupervisors,
		/// Only a supervisor may do this.
		NotSupervisor,
		/// The supervisor already voted on this application or removal.
		AlreadyVoted,
		/// A supervisor cannot vote on its own removal.
		OwnRemoval,
		/// The supervisor is already leaving.
		AlreadyLeaving,
		/// The supervisor has not resigned.
		NotLeaving,
		/// The resignation delay has not passed.
		TooEarly,
		/// The supervisor still sits on an undecided jury.
		DutyOpen,
		/// No such case.
		UnknownCase,
		/// The caller is not on this case's jury.
		NotJuror,
		/// The case is not in its commit period.
		NotCommitting,
		/// The case is not in its reveal period.
		NotRevealing,
		/// The deadline of this phase has passed.
		DeadlinePassed,
		/// Nothing to do yet: the phase's deadline has not passed and not every juror has
		/// acted, or no randomness newer than the case exists yet.
		NotYet,
		/// The juror did not commit.
		NotCommitted,
		/// The juror already revealed.
		AlreadyRevealed,
		/// The revealed vote and salt do not match the commitment.
		CommitmentMismatch,
		/// The machine does not exist.
		UnknownMachine,
		/// The reporter cannot report a machine it provides, operates or holds.
		OwnMachine,
		/// `JurySize` is even or zero.
		BadJurySize,
		/// A period is zero.
		ZeroPeriod,
		/// `report_bond` or `min_contribution` is zero.
		ZeroAmount,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let k = T::JurySize::get();
			assert!(k % 2 == 1, "juries have an odd size");
			assert!(k <= T::MaxSupervisors::get(), "a jury fits in the supervisors");
			assert!(k <= T::Slashing::max_jurors(), "a slash pays every juror");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Applies to become a supervisor with `contribution` PEC (at least `min_contribution`,
		/// held and slashable) and a statement.
		///
		/// Origin: signed. Emits `Applied`. O(1).
		#[pallet::call_index(0)]
		pub fn apply(
			origin: OriginFor<T>,
			contribution: T::Balance,
			statement: Statement<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_apply(who, contribution, statement)
		}

		/// Withdraws the caller's pending application and releases its contribution.
		///
		/// Origin: signed, the applicant. Emits `ApplicationWithdrawn`. O(1).
		#[pallet::call_index(1)]
		pub fn withdraw_application(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_application(who)
		}

		/// A supervisor's vote on an application. More than half of the supervisors for admits
		/// the applicant; half or more against rejects it (contribution released).
		///
		/// Origin: signed, a supervisor not leaving. Emits `AdmissionVoted`, maybe `Admitted`
		/// or `Rejected`. O(1).
		#[pallet::call_index(2)]
		pub fn vote_admission(
			origin: OriginFor<T>,
			candidate: T::AccountId,
			aye: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_vote_admission(who, candidate, aye)
		}

		/// Admits an applicant directly (governance: a PEC holders' referendum once governance
		/// exists; the founding path while there are no supervisors).
		///
		/// Origin: `AdmissionOrigin`. Emits `Admitted`. O(1).
		#[pallet::call_index(3)]
		pub fn admit(origin: OriginFor<T>, candidate: T::AccountId) -> DispatchResult {
			T::AdmissionOrigin::ensure_origin(origin)?;
			Self::do_admit(candidate)
		}

		/// Removes a supervisor (governance): it is no longer drawn; its contribution is
		/// released like a resignation's.
		///
		/// Origin: `AdmissionOrigin`. Emits `Leaving`. O(1).
		#[pallet::call_index(4)]
		pub fn remove(origin: OriginFor<T>, supervisor: T::AccountId) -> DispatchResult {
			T::AdmissionOrigin::ensure_origin(origin)?;
			Self::do_leave(supervisor, true)
		}

		/// Resigns: no longer drawn; the contribution is released `resign_delay` later, once
		/// no jury duty is open.
		///
		/// Origin: signed, a supervisor. Emits `Leaving`. O(1).
		#[pallet::call_index(5)]
		pub fn resign(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_leave(who, false)
		}

		/// Releases a former supervisor's contribution after the delay.
		///
		/// Origin: signed, the former supervisor. Emits `ContributionReleased`. O(1).
		#[pallet::call_index(6)]
		pub fn withdraw_contribution(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_contribution(who)
		}

		/// Commits a juror's vote: `blake2_256(SCALE((case, juror, vote, salt)))`, salt 32
		/// bytes. A new commitment within the period replaces the old.
		///
		/// Origin: signed, a juror of the case. Emits `VoteCommitted`. O(1).
		#[pallet::call_index(7)]
		pub fn commit_verdict(
			origin: OriginFor<T>,
			case: CaseId,
			commitment: Commitment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit(who, case, commitment)
		}

		/// Reveals a committed vote.
		///
		/// Origin: signed, a juror who committed. Emits `VoteRevealed`. O(1).
		#[pallet::call_index(8)]
		pub fn reveal_verdict(
			origin: OriginFor<T>,
			case: CaseId,
			vote: Vote,
			salt: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal(who, case, vote, salt)
		}

		/// Moves a case on once it can: draws its jury (when randomness newer than the case
		/// exists), opens the reveal (after the commit period, or once every juror committed),
		/// decides it (after the reveal period, or once every juror revealed) — applying the
		/// verdict, paying and slashing the jurors — or draws a new jury when there is no
		/// majority.
		///
		/// Origin: signed, anyone. Emits `JuryDrawn`, `RevealStarted`, `CaseClosed`,
		/// `Redrawn`, … O(`JurySize`), plus the verdict's effect.
		#[pallet::call_index(9)]
		#[pallet::weight(
			T::WeightInfo::advance_draw()
				.max(T::WeightInfo::advance_decide())
				.saturating_add(T::Disputes::resolve_weight())
		)]
		pub fn advance(origin: OriginFor<T>, case: CaseId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_advance(case)
		}

		/// Reports a machine, with `report_bond` held until a jury judges it: a confirmed
		/// report slashes `report_slash` of the machine's collateral and pays the reporter its
		/// share; a rejected one forfeits the bond to the treasury.
		///
		/// Origin: signed, anyone but the machine's provider, operator and NFT holder. Emits
		/// `Reported`, `CaseOpened`. O(1).
		#[pallet::call_index(10)]
		pub fn report(origin: OriginFor<T>, machine: MachineId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_report(who, machine)
		}

		/// A supervisor's vote on removing another supervisor. More than half of the supervisors
		/// for removes it (as `remove` would: out of the draw at once, its contribution released
		/// after `resign_delay` once no jury duty is open); half or more against ends the motion.
		///
		/// Origin: signed, a supervisor not leaving, other than `target`. Emits `RemovalVoted`,
		/// maybe `Leaving` or `RemovalRejected`. O(1).
		#[pallet::call_index(12)]
		pub fn vote_removal(
			origin: OriginFor<T>,
			target: T::AccountId,
			aye: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_vote_removal(who, target, aye)
		}

		/// Sets the parameters.
		///
		/// Origin: `AdminOrigin` (governance). Emits `ParamsSet`. O(1).
		#[pallet::call_index(11)]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(
				!params.commit_period.is_zero() && !params.reveal_period.is_zero(),
				Error::<T>::ZeroPeriod
			);
			// A free report would let anyone hold any machine under judgement; a free seat
			// would make a jury's slash worth nothing.
			ensure!(
				!params.report_bond.is_zero() && !params.min_contribution.is_zero(),
				Error::<T>::ZeroAmount
			);
			Params::<T>::put(params.clone());
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}
	}
}

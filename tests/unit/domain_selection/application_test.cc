// Rules of an application: submission to an open call, reviews, the CPAS
// opinion, and the decisions, each accepted and refused.
#include "gtest/gtest.h"
#include "scenario.h"
#include "selection_fixtures.h"

namespace coopcraft::testing {
namespace {

using domain::selection::ApplicationState;
using domain::selection::ApplicationStatus;
using domain::selection::ApplicationStream;
using domain::selection::CallState;

CallState OpenCallState() {
  return Fold<CallState>(std::vector<v1::CallEvent>{CallOpened()});
}

v1::SubmitApplicationRequest BornOn(const v1::Date& birth) {
  return With(Submit(), [&](auto& c) {
    *c.mutable_applicant()->mutable_birth_date() = birth;
  });
}

v1::ApplicationEvent SubmittedBornOn(const v1::Date& birth, v1::AgeBand band) {
  return With(Submitted(), [&](auto& e) {
    auto* s = e.mutable_application_submitted();
    *s->mutable_applicant()->mutable_birth_date() = birth;
    s->set_age_band(band);
  });
}

// A dossier ready for a decision: reviewed and a favourable CPAS opinion.
std::vector<v1::ApplicationEvent> Ready() {
  return {Submitted(), Reviewed(), OpinionRecorded()};
}

// ---- SubmitApplication ----

TEST(ApplicationStreamTest, IsNamedAfterTheApplicationId) {
  EXPECT_EQ(ApplicationStream("app-1"), "application-app-1");
}

TEST(SubmitApplicationTest, RecordsDossierWithAgeBandAndRubric) {
  Given(kNoApplication).When(Submit(), OpenCallState()).Then({Submitted()});
}

TEST(SubmitApplicationTest, AgeBandsFollowTheContractBands) {
  // Ages on 2 Feb 2026: 35, 36, 49, 50.
  Given(kNoApplication)
      .When(BornOn(D(1990, 2, 3)), OpenCallState())
      .Then({SubmittedBornOn(D(1990, 2, 3), v1::AGE_BAND_UNDER_36)});
  Given(kNoApplication)
      .When(BornOn(D(1990, 2, 2)), OpenCallState())
      .Then({SubmittedBornOn(D(1990, 2, 2), v1::AGE_BAND_36_TO_49)});
  Given(kNoApplication)
      .When(BornOn(D(1976, 2, 3)), OpenCallState())
      .Then({SubmittedBornOn(D(1976, 2, 3), v1::AGE_BAND_36_TO_49)});
  Given(kNoApplication)
      .When(BornOn(D(1976, 2, 2)), OpenCallState())
      .Then({SubmittedBornOn(D(1976, 2, 2), v1::AGE_BAND_50_AND_OVER)});
}

TEST(SubmitApplicationTest, IsSubmittedOnce) {
  Given({Submitted()})
      .When(Submit(), OpenCallState())
      .ThenRefuses("APPLICATION_ALREADY_SUBMITTED");
}

TEST(SubmitApplicationTest, UnknownCallIsNotFound) {
  Given(kNoApplication)
      .When(Submit(), CallState())
      .ThenFails(absl::StatusCode::kNotFound, "CALL_NOT_FOUND");
}

TEST(SubmitApplicationTest, ClosedCallTakesNoApplication) {
  const CallState closed = Fold<CallState>(std::vector<v1::CallEvent>{
      CallOpened(), CallClosed(D(2026, 2, 10), true)});
  Given(kNoApplication).When(Submit(), closed).ThenRefuses("CALL_CLOSED");
}

TEST(SubmitApplicationTest, DossierBeforeTheCallOpensIsRefused) {
  Given(kNoApplication)
      .When(With(Submit(),
                 [](auto& c) { *c.mutable_received_on() = D(2026, 1, 4); }),
            OpenCallState())
      .ThenRefuses("CALL_NOT_YET_OPEN");
}

TEST(SubmitApplicationTest, DossierOnTheClosingDayIsAccepted) {
  Given(kNoApplication)
      .On(ClosesOn())
      .When(With(Submit(),
                 [](auto& c) { *c.mutable_received_on() = ClosesOn(); }),
            OpenCallState())
      .Then({With(Submitted(), [](auto& e) {
        *e.mutable_application_submitted()->mutable_received_on() = ClosesOn();
      })});
}

TEST(SubmitApplicationTest, DossierAfterTheClosingDateIsRefused) {
  Given(kNoApplication)
      .On(D(2026, 3, 2))
      .When(With(Submit(),
                 [](auto& c) { *c.mutable_received_on() = D(2026, 2, 28); }),
            OpenCallState())
      .ThenRefuses("APPLICATION_AFTER_CLOSING_DATE");
}

TEST(SubmitApplicationTest, DossierReceivedInTimeMayBeRecordedLater) {
  Given(kNoApplication)
      .On(D(2026, 3, 2))
      .When(Submit(), OpenCallState())
      .Then({Submitted()});
}

TEST(SubmitApplicationTest, ReceiptCannotBeInTheFuture) {
  Given(kNoApplication)
      .When(With(Submit(),
                 [](auto& c) { *c.mutable_received_on() = D(2026, 2, 17); }),
            OpenCallState())
      .ThenRefuses("DATE_IN_FUTURE");
}

TEST(SubmitApplicationTest, CpasMustBeAPartnerOfTheCall) {
  Given(kNoApplication)
      .When(With(Submit(), [](auto& c) { c.set_cpas_id("cpas-uccle"); }),
            OpenCallState())
      .ThenRefuses("CPAS_NOT_PARTNER_OF_CALL");
}

TEST(SubmitApplicationTest, ApplicantMustBeEighteen) {
  Given(kNoApplication)
      .When(BornOn(D(2008, 2, 3)), OpenCallState())
      .ThenRefuses("APPLICANT_UNDER_18");
}

TEST(SubmitApplicationTest, ApplicantTurningEighteenThatDayIsAccepted) {
  Given(kNoApplication)
      .When(BornOn(D(2008, 2, 2)), OpenCallState())
      .Then({SubmittedBornOn(D(2008, 2, 2), v1::AGE_BAND_UNDER_36)});
}

TEST(SubmitApplicationTest, BirthDateMustPrecedeReceipt) {
  Given(kNoApplication)
      .When(BornOn(D(2026, 2, 2)), OpenCallState())
      .ThenRefuses("BIRTH_DATE_AFTER_RECEIPT");
}

TEST(ApplicationEvolveTest, HoldsWhatAProjectIsOpenedFrom) {
  const ApplicationState state = Fold<ApplicationState>(
      std::vector{Submitted(), Reviewed(), OpinionRecorded(), Selected()});
  EXPECT_EQ(state.status, ApplicationStatus::kSelected);
  EXPECT_EQ(state.event_count, 4u);
  EXPECT_EQ(state.person_id, kPerson);
  EXPECT_EQ(state.call_id, kCall);
  EXPECT_EQ(state.cpas_id, kCpas);
  EXPECT_EQ(state.birth_date.year(), 1990);
  EXPECT_EQ(state.gender_category, v1::GENDER_CATEGORY_WOMAN);
  EXPECT_EQ(state.age_band, v1::AGE_BAND_UNDER_36);
  EXPECT_EQ(state.months_on_integration_income, 24);
}

// ---- ReviewApplication ----

TEST(ReviewApplicationTest, RecordsScoresAndTotals) {
  Given({Submitted()}).When(Review()).Then({Reviewed()});
}

TEST(ReviewApplicationTest, UnknownApplicationIsNotFound) {
  Given(kNoApplication)
      .When(Review())
      .ThenFails(absl::StatusCode::kNotFound, "APPLICATION_NOT_FOUND");
}

TEST(ReviewApplicationTest, AReviewerReviewsOnce) {
  Given({Submitted(), Reviewed()})
      .When(Review())
      .ThenRefuses("REVIEWER_ALREADY_REVIEWED");
}

TEST(ReviewApplicationTest, ASecondReviewerMayReview) {
  Given({Submitted(), Reviewed()})
      .When(Review("reviewer-b"))
      .Then({Reviewed("reviewer-b")});
}

TEST(ReviewApplicationTest, WaitlistedApplicationIsNoLongerUnderReview) {
  Given({Submitted(), Reviewed(), Waitlisted()})
      .When(Review("reviewer-b"))
      .ThenRefuses("APPLICATION_NOT_UNDER_REVIEW");
}

TEST(ReviewApplicationTest, DecidedApplicationIsNotReviewed) {
  Given({Submitted(), Rejected()})
      .When(Review())
      .ThenRefuses("APPLICATION_ALREADY_DECIDED");
}

TEST(ReviewApplicationTest, WithdrawnApplicationIsNotReviewed) {
  Given({Submitted(), Withdrawn()})
      .When(Review())
      .ThenRefuses("APPLICATION_WITHDRAWN");
}

TEST(ReviewApplicationTest, UnknownCriterionIsRefused) {
  Given({Submitted()})
      .When(With(Review(),
                 [](auto& c) { *c.add_scores() = Score("charisma", 1); }))
      .ThenRefuses("RUBRIC_CRITERION_UNKNOWN");
}

TEST(ReviewApplicationTest, CriterionScoredTwiceIsRefused) {
  Given({Submitted()})
      .When(With(Review(),
                 [](auto& c) { *c.add_scores() = Score("project", 1); }))
      .ThenRefuses("RUBRIC_CRITERION_SCORED_TWICE");
}

TEST(ReviewApplicationTest, ScoreAboveTheCriterionMaximumIsRefused) {
  Given({Submitted()})
      .When(With(Review(), [](auto& c) { c.mutable_scores(0)->set_score(6); }))
      .ThenRefuses("SCORE_OUT_OF_RANGE");
}

TEST(ReviewApplicationTest, ScoreAtTheCriterionMaximumIsAccepted) {
  Given({Submitted()})
      .When(With(Review(), [](auto& c) { c.mutable_scores(0)->set_score(5); }))
      .Then({With(Reviewed(), [](auto& e) {
        auto* r = e.mutable_application_reviewed();
        r->mutable_scores(0)->set_score(5);
        r->set_total_score(17);
      })});
}

TEST(ReviewApplicationTest, EveryCriterionMustBeScored) {
  Given({Submitted()})
      .When(With(Review(), [](auto& c) { c.mutable_scores()->RemoveLast(); }))
      .ThenRefuses("RUBRIC_CRITERION_NOT_SCORED");
}

TEST(ReviewApplicationTest, ReviewBeforeSubmissionIsRefused) {
  Given({Submitted()})
      .When(With(Review(),
                 [](auto& c) { *c.mutable_reviewed_on() = D(2026, 2, 1); }))
      .ThenRefuses("DATE_BEFORE_SUBMISSION");
}

TEST(ReviewApplicationTest, ReviewOnTheDayOfSubmissionIsAccepted) {
  Given({Submitted()})
      .When(With(Review(),
                 [](auto& c) { *c.mutable_reviewed_on() = ReceivedOn(); }))
      .Then({Reviewed("reviewer-a", ReceivedOn())});
}

TEST(ReviewApplicationTest, ReviewInTheFutureIsRefused) {
  Given({Submitted()})
      .When(With(Review(),
                 [](auto& c) { *c.mutable_reviewed_on() = D(2026, 2, 17); }))
      .ThenRefuses("DATE_IN_FUTURE");
}

// ---- RecordCpasOpinion ----

TEST(RecordCpasOpinionTest, RecordsTheApplicantsCpasOpinion) {
  Given({Submitted()}).When(Opinion()).Then({OpinionRecorded()});
}

TEST(RecordCpasOpinionTest, UnknownApplicationIsNotFound) {
  Given(kNoApplication)
      .When(Opinion())
      .ThenFails(absl::StatusCode::kNotFound, "APPLICATION_NOT_FOUND");
}

TEST(RecordCpasOpinionTest, OnlyTheApplicantsCpasGivesAnOpinion) {
  Given({Submitted()})
      .When(With(Opinion(), [](auto& c) { c.set_cpas_id("cpas-molenbeek"); }))
      .ThenRefuses("NOT_APPLICANTS_CPAS");
}

TEST(RecordCpasOpinionTest, ARevisedOpinionReplacesThePrevious) {
  Given({Submitted(), OpinionRecorded(v1::CPAS_OPINION_UNFAVOURABLE)})
      .When(Opinion(v1::CPAS_OPINION_FAVOURABLE, D(2026, 2, 11)))
      .Then({OpinionRecorded(v1::CPAS_OPINION_FAVOURABLE,
                             v1::CPAS_OPINION_UNFAVOURABLE, D(2026, 2, 11))});
}

TEST(RecordCpasOpinionTest, ARevisionOlderThanTheOpinionInForceIsRefused) {
  Given({Submitted(), OpinionRecorded()})
      .When(Opinion(v1::CPAS_OPINION_UNFAVOURABLE, D(2026, 2, 9)))
      .ThenRefuses("OPINION_OLDER_THAN_PREVIOUS");
}

TEST(RecordCpasOpinionTest, WaitlistedApplicationMayGetAnOpinion) {
  Given({Submitted(), Reviewed(), Waitlisted()})
      .When(Opinion(v1::CPAS_OPINION_FAVOURABLE, D(2026, 2, 13)))
      .Then({OpinionRecorded(v1::CPAS_OPINION_FAVOURABLE,
                             v1::CPAS_OPINION_UNSPECIFIED, D(2026, 2, 13))});
}

TEST(RecordCpasOpinionTest, DecidedApplicationGetsNoOpinion) {
  Given({Submitted(), Rejected()})
      .When(Opinion())
      .ThenRefuses("APPLICATION_ALREADY_DECIDED");
}

TEST(RecordCpasOpinionTest, WithdrawnApplicationGetsNoOpinion) {
  Given({Submitted(), Withdrawn()})
      .When(Opinion())
      .ThenRefuses("APPLICATION_WITHDRAWN");
}

TEST(RecordCpasOpinionTest, OpinionBeforeSubmissionIsRefused) {
  Given({Submitted()})
      .When(Opinion(v1::CPAS_OPINION_FAVOURABLE, D(2026, 2, 1)))
      .ThenRefuses("DATE_BEFORE_SUBMISSION");
}

TEST(RecordCpasOpinionTest, OpinionInTheFutureIsRefused) {
  Given({Submitted()})
      .When(Opinion(v1::CPAS_OPINION_FAVOURABLE, D(2026, 2, 17)))
      .ThenRefuses("DATE_IN_FUTURE");
}

// ---- SelectCandidate ----

TEST(SelectCandidateTest, SelectsAReviewedCandidateTheCpasSupports) {
  Given(Ready()).When(Select()).Then({Selected()});
}

TEST(SelectCandidateTest, CarriesTheMeanScoreOfAllReviews) {
  // 16/20 and 10/20: 26/40 = 65%.
  auto low = With(Reviewed("reviewer-b"), [](auto& e) {
    e.mutable_application_reviewed()->set_total_score(10);
  });
  Given({Submitted(), Reviewed(), low, OpinionRecorded()})
      .When(Select())
      .Then({With(Selected(), [](auto& e) {
        e.mutable_candidate_selected()->set_review_count(2);
        e.mutable_candidate_selected()->set_mean_score_percent(65);
      })});
}

TEST(SelectCandidateTest, UnknownApplicationIsNotFound) {
  Given(kNoApplication)
      .When(Select())
      .ThenFails(absl::StatusCode::kNotFound, "APPLICATION_NOT_FOUND");
}

TEST(SelectCandidateTest, SelectionNeedsAReview) {
  Given({Submitted(), OpinionRecorded()})
      .When(Select())
      .ThenRefuses("DECISION_NEEDS_REVIEW");
}

TEST(SelectCandidateTest, SelectionNeedsTheCpasOpinion) {
  Given({Submitted(), Reviewed()})
      .When(Select())
      .ThenRefuses("SELECTION_NEEDS_CPAS_OPINION");
}

TEST(SelectCandidateTest, UnfavourableCpasOpinionBlocksSelection) {
  Given(
      {Submitted(), Reviewed(), OpinionRecorded(v1::CPAS_OPINION_UNFAVOURABLE)})
      .When(Select())
      .ThenRefuses("CPAS_OPINION_UNFAVOURABLE");
}

TEST(SelectCandidateTest, OpinionWithReservationsAllowsSelection) {
  Given({Submitted(), Reviewed(),
         OpinionRecorded(v1::CPAS_OPINION_FAVOURABLE_WITH_RESERVATIONS)})
      .When(Select())
      .Then({With(Selected(), [](auto& e) {
        e.mutable_candidate_selected()->set_cpas_opinion(
            v1::CPAS_OPINION_FAVOURABLE_WITH_RESERVATIONS);
      })});
}

TEST(SelectCandidateTest, WaitlistedCandidateMayBeSelected) {
  Given({Submitted(), Reviewed(), OpinionRecorded(), Waitlisted()})
      .When(Select(D(2026, 2, 14)))
      .Then({With(Selected(D(2026, 2, 14)), [](auto& e) {
        e.mutable_candidate_selected()->set_from_waitlist(true);
      })});
}

TEST(SelectCandidateTest, SelectedCandidateIsNotSelectedAgain) {
  Given({Submitted(), Reviewed(), OpinionRecorded(), Selected()})
      .When(Select())
      .ThenRefuses("APPLICATION_ALREADY_DECIDED");
}

TEST(SelectCandidateTest, RejectedCandidateIsNotSelected) {
  Given({Submitted(), Reviewed(), OpinionRecorded(), Rejected()})
      .When(Select())
      .ThenRefuses("APPLICATION_ALREADY_DECIDED");
}

TEST(SelectCandidateTest, WithdrawnCandidateIsNotSelected) {
  Given({Submitted(), Reviewed(), OpinionRecorded(), Withdrawn()})
      .When(Select())
      .ThenRefuses("APPLICATION_WITHDRAWN");
}

TEST(SelectCandidateTest, DecisionCannotPredateTheOpinionItRestsOn) {
  Given(Ready())
      .When(Select(D(2026, 2, 9)))
      .ThenRefuses("DATE_BEFORE_PREVIOUS_STEP");
}

TEST(SelectCandidateTest, DecisionInTheFutureIsRefused) {
  Given(Ready()).When(Select(D(2026, 2, 17))).ThenRefuses("DATE_IN_FUTURE");
}

// ---- WaitlistCandidate ----

TEST(WaitlistCandidateTest, WaitlistsAReviewedCandidateWithItsRank) {
  Given({Submitted(), Reviewed()}).When(Waitlist()).Then({Waitlisted()});
}

TEST(WaitlistCandidateTest, UnknownApplicationIsNotFound) {
  Given(kNoApplication)
      .When(Waitlist())
      .ThenFails(absl::StatusCode::kNotFound, "APPLICATION_NOT_FOUND");
}

TEST(WaitlistCandidateTest, WaitlistingNeedsAReview) {
  Given({Submitted()}).When(Waitlist()).ThenRefuses("DECISION_NEEDS_REVIEW");
}

TEST(WaitlistCandidateTest, WaitlistedCandidateIsNotWaitlistedAgain) {
  Given({Submitted(), Reviewed(), Waitlisted()})
      .When(Waitlist(D(2026, 2, 13)))
      .ThenRefuses("CANDIDATE_ALREADY_WAITLISTED");
}

TEST(WaitlistCandidateTest, SelectedCandidateIsNotWaitlisted) {
  Given({Submitted(), Reviewed(), OpinionRecorded(), Selected()})
      .When(Waitlist())
      .ThenRefuses("APPLICATION_ALREADY_DECIDED");
}

TEST(WaitlistCandidateTest, DecisionCannotPredateTheReview) {
  Given({Submitted(), Reviewed()})
      .When(Waitlist(D(2026, 2, 8)))
      .ThenRefuses("DATE_BEFORE_PREVIOUS_STEP");
}

TEST(WaitlistCandidateTest, DecisionInTheFutureIsRefused) {
  Given({Submitted(), Reviewed()})
      .When(Waitlist(D(2026, 2, 17)))
      .ThenRefuses("DATE_IN_FUTURE");
}

// ---- RejectCandidate ----

TEST(RejectCandidateTest, IneligibleDossierIsRejectedWithoutReview) {
  Given({Submitted()}).When(Reject()).Then({Rejected()});
}

TEST(RejectCandidateTest, WaitlistedCandidateMayBeRejected) {
  Given({Submitted(), Reviewed(), Waitlisted()})
      .When(Reject(D(2026, 2, 14)))
      .Then({With(Rejected(D(2026, 2, 14)), [](auto& e) {
        e.mutable_candidate_rejected()->set_from_waitlist(true);
        e.mutable_candidate_rejected()->set_review_count(1);
      })});
}

TEST(RejectCandidateTest, UnknownApplicationIsNotFound) {
  Given(kNoApplication)
      .When(Reject())
      .ThenFails(absl::StatusCode::kNotFound, "APPLICATION_NOT_FOUND");
}

TEST(RejectCandidateTest, RejectionNeedsAReason) {
  Given({Submitted()})
      .When(
          With(Reject(),
               [](auto& c) { c.set_reason(v1::REJECTION_REASON_UNSPECIFIED); }))
      .ThenRefuses("REJECTION_NEEDS_REASON");
}

TEST(RejectCandidateTest, SelectedCandidateIsNotRejected) {
  Given({Submitted(), Reviewed(), OpinionRecorded(), Selected()})
      .When(Reject())
      .ThenRefuses("APPLICATION_ALREADY_DECIDED");
}

TEST(RejectCandidateTest, RejectedCandidateIsNotRejectedAgain) {
  Given({Submitted(), Rejected()})
      .When(Reject())
      .ThenRefuses("APPLICATION_ALREADY_DECIDED");
}

TEST(RejectCandidateTest, DecisionCannotPredateTheWaitlisting) {
  Given({Submitted(), Reviewed(), Waitlisted()})
      .When(Reject(D(2026, 2, 11)))
      .ThenRefuses("DATE_BEFORE_PREVIOUS_STEP");
}

TEST(RejectCandidateTest, DecisionInTheFutureIsRefused) {
  Given({Submitted()})
      .When(Reject(D(2026, 2, 17)))
      .ThenRefuses("DATE_IN_FUTURE");
}

// ---- WithdrawApplication ----

TEST(WithdrawApplicationTest, SubmittedApplicationMayBeWithdrawn) {
  Given({Submitted()}).When(Withdraw()).Then({Withdrawn()});
}

TEST(WithdrawApplicationTest, WaitlistedApplicationMayBeWithdrawn) {
  Given({Submitted(), Reviewed(), Waitlisted()})
      .When(Withdraw(D(2026, 2, 14)))
      .Then({With(Withdrawn(D(2026, 2, 14)), [](auto& e) {
        e.mutable_application_withdrawn()->set_from_waitlist(true);
      })});
}

TEST(WithdrawApplicationTest, WithdrawalMayPredateAReviewRecordedFirst) {
  Given({Submitted(), Reviewed()})
      .When(Withdraw(D(2026, 2, 5)))
      .Then({Withdrawn(D(2026, 2, 5))});
}

TEST(WithdrawApplicationTest, UnknownApplicationIsNotFound) {
  Given(kNoApplication)
      .When(Withdraw())
      .ThenFails(absl::StatusCode::kNotFound, "APPLICATION_NOT_FOUND");
}

TEST(WithdrawApplicationTest, SelectedCandidateCannotWithdrawHere) {
  Given({Submitted(), Reviewed(), OpinionRecorded(), Selected()})
      .When(Withdraw(D(2026, 2, 14)))
      .ThenRefuses("APPLICATION_ALREADY_DECIDED");
}

TEST(WithdrawApplicationTest, WithdrawsOnlyOnce) {
  Given({Submitted(), Withdrawn()})
      .When(Withdraw(D(2026, 2, 14)))
      .ThenRefuses("APPLICATION_WITHDRAWN");
}

TEST(WithdrawApplicationTest, WithdrawalBeforeSubmissionIsRefused) {
  Given({Submitted()})
      .When(Withdraw(D(2026, 2, 1)))
      .ThenRefuses("DATE_BEFORE_PREVIOUS_STEP");
}

TEST(WithdrawApplicationTest, WithdrawalBeforeTheWaitlistingIsRefused) {
  Given({Submitted(), Reviewed(), Waitlisted()})
      .When(Withdraw(D(2026, 2, 11)))
      .ThenRefuses("DATE_BEFORE_PREVIOUS_STEP");
}

TEST(WithdrawApplicationTest, WithdrawalInTheFutureIsRefused) {
  Given({Submitted()})
      .When(Withdraw(D(2026, 2, 17)))
      .ThenRefuses("DATE_IN_FUTURE");
}

}  // namespace
}  // namespace coopcraft::testing

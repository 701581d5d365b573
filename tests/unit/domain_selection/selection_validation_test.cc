// Field validation of every SelectionService command: each bad field comes
// back as INVALID_ARGUMENT with a google.rpc.BadRequest naming it.
#include "services/api/validation/selection_validation.h"

#include <functional>
#include <string>
#include <vector>

#include "bad_field_case.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scenario.h"
#include "selection_fixtures.h"
#include "services/api/validation/field_errors.h"

namespace coopcraft::testing {
namespace {

using api::kMaxLongText;
using api::kMaxShortText;

const std::string kLongShort(kMaxShortText + 1, 'x');
const std::string kLongLong(kMaxLongText + 1, 'x');

TEST(SelectionValidationTest, FixtureRequestsAreValid) {
  EXPECT_TRUE(api::Validate(OpenCall()).ok());
  EXPECT_TRUE(api::Validate(CloseCall(D(2026, 2, 16))).ok());
  EXPECT_TRUE(api::Validate(Submit()).ok());
  EXPECT_TRUE(api::Validate(Review()).ok());
  EXPECT_TRUE(api::Validate(Opinion()).ok());
  EXPECT_TRUE(api::Validate(Select()).ok());
  EXPECT_TRUE(api::Validate(Waitlist()).ok());
  EXPECT_TRUE(api::Validate(Reject()).ok());
  EXPECT_TRUE(api::Validate(Withdraw()).ok());
}

TEST(SelectionValidationTest, ReportsEveryBadFieldAtOnce) {
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(api::BadRequestOf(api::Validate(v1::SubmitApplicationRequest()),
                                &bad_request));
  // request_id, four ids, received_on, applicant, three enums.
  EXPECT_EQ(bad_request.field_violations_size(), 10);
}

TEST(SelectionValidationTest, ContactByPostAloneIsEnough) {
  EXPECT_TRUE(api::Validate(With(Submit(), [](auto& c) {
                c.mutable_applicant()->clear_email();
                c.mutable_applicant()->clear_phone();
              })).ok());
}

TEST(SelectionValidationTest, FavourableOpinionNeedsNoComment) {
  EXPECT_TRUE(
      api::Validate(With(Opinion(), [](auto& c) { c.clear_comment(); })).ok());
}

// Shared by every instantiation (cohort_validation_test.cc too).
TEST_P(BadFieldTest, IsInvalidArgumentNamingTheField) {
  const absl::Status status = GetParam().validate();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(api::BadRequestOf(status, &bad_request)) << status;
  std::vector<std::string> fields;
  for (const auto& violation : bad_request.field_violations()) {
    fields.push_back(violation.field());
  }
  // Exactly one: the spoiled field, and nothing else of the valid request.
  EXPECT_THAT(fields, ::testing::ElementsAre(GetParam().field)) << status;
}

const std::vector<BadFieldCase>& Cases() {
  static const auto* cases = new std::vector<BadFieldCase>{
      // OpenCall
      Bad("OpenCallWithoutRequestId", OpenCall(),
          [](auto& c) { c.clear_request_id(); }, "request_id"),
      Bad("OpenCallRequestIdNotUuid", OpenCall(),
          [](auto& c) { c.set_request_id("retry-1"); }, "request_id"),
      Bad("OpenCallWithoutCallId", OpenCall(),
          [](auto& c) { c.clear_call_id(); }, "call_id"),
      Bad("OpenCallUpperCaseCallId", OpenCall(),
          [](auto& c) { c.set_call_id("DM-2026"); }, "call_id"),
      Bad("OpenCallBlankTitle", OpenCall(),
          [](auto& c) { c.set_title("  "); }, "title"),
      Bad("OpenCallOversizeTitle", OpenCall(),
          [](auto& c) { c.set_title(kLongShort); }, "title"),
      Bad("OpenCallOversizeDescription", OpenCall(),
          [](auto& c) { c.set_description(kLongLong); }, "description"),
      Bad("OpenCallWithoutOpeningDate", OpenCall(),
          [](auto& c) { c.clear_opens_on(); }, "opens_on"),
      Bad("OpenCallImpossibleClosingDate", OpenCall(),
          [](auto& c) { *c.mutable_closes_on() = D(2026, 2, 30); },
          "closes_on"),
      Bad("OpenCallWithoutPartnerCpas", OpenCall(),
          [](auto& c) { c.clear_partner_cpas_ids(); }, "partner_cpas_ids"),
      Bad("OpenCallBadPartnerCpasId", OpenCall(),
          [](auto& c) { c.set_partner_cpas_ids(1, "CPAS Molenbeek"); },
          "partner_cpas_ids[1]"),
      Bad("OpenCallPartnerCpasTwice", OpenCall(),
          [](auto& c) { c.add_partner_cpas_ids(kCpas); },
          "partner_cpas_ids[2]"),
      Bad("OpenCallWithoutRubric", OpenCall(),
          [](auto& c) { c.clear_rubric(); }, "rubric"),
      Bad("OpenCallCriterionWithoutTitle", OpenCall(),
          [](auto& c) { c.mutable_rubric(1)->clear_title(); },
          "rubric[1].title"),
      Bad("OpenCallCriterionMaxScoreZero", OpenCall(),
          [](auto& c) { c.mutable_rubric(0)->set_max_score(0); },
          "rubric[0].max_score"),
      Bad("OpenCallCriterionTwice", OpenCall(),
          [](auto& c) { *c.add_rubric() = Criterion("project", 3); },
          "rubric[3].criterion_id"),
      Bad("OpenCallNoPlaces", OpenCall(), [](auto& c) { c.set_places(0); },
          "places"),
      // CloseCall
      Bad("CloseCallWithoutRequestId", CloseCall(D(2026, 2, 16)),
          [](auto& c) { c.clear_request_id(); }, "request_id"),
      Bad("CloseCallWithoutCallId", CloseCall(D(2026, 2, 16)),
          [](auto& c) { c.clear_call_id(); }, "call_id"),
      Bad("CloseCallWithoutDate", CloseCall(D(2026, 2, 16)),
          [](auto& c) { c.clear_closed_on(); }, "closed_on"),
      Bad("CloseCallImpossibleDate", CloseCall(D(2026, 13, 1)), [](auto&) {},
          "closed_on"),
      // SubmitApplication
      Bad("SubmitWithoutRequestId", Submit(),
          [](auto& c) { c.clear_request_id(); }, "request_id"),
      Bad("SubmitWithoutApplicationId", Submit(),
          [](auto& c) { c.clear_application_id(); }, "application_id"),
      Bad("SubmitOversizeApplicationId", Submit(),
          [](auto& c) { c.set_application_id(std::string(64, 'a')); },
          "application_id"),
      Bad("SubmitWithoutCallId", Submit(), [](auto& c) { c.clear_call_id(); },
          "call_id"),
      Bad("SubmitWithoutPersonId", Submit(),
          [](auto& c) { c.clear_person_id(); }, "person_id"),
      Bad("SubmitPersonIdWithSpaces", Submit(),
          [](auto& c) { c.set_person_id("amina el idrissi"); }, "person_id"),
      Bad("SubmitWithoutCpasId", Submit(), [](auto& c) { c.clear_cpas_id(); },
          "cpas_id"),
      Bad("SubmitWithoutReceiptDate", Submit(),
          [](auto& c) { c.clear_received_on(); }, "received_on"),
      Bad("SubmitWithoutApplicant", Submit(),
          [](auto& c) { c.clear_applicant(); }, "applicant"),
      Bad("SubmitBlankGivenName", Submit(),
          [](auto& c) { c.mutable_applicant()->set_given_name(""); },
          "applicant.given_name"),
      Bad("SubmitOversizeFamilyName", Submit(),
          [](auto& c) { c.mutable_applicant()->set_family_name(kLongShort); },
          "applicant.family_name"),
      Bad("SubmitWithoutBirthDate", Submit(),
          [](auto& c) { c.mutable_applicant()->clear_birth_date(); },
          "applicant.birth_date"),
      Bad("SubmitImpossibleBirthDate", Submit(),
          [](auto& c) {
            *c.mutable_applicant()->mutable_birth_date() = D(1990, 2, 29);
          },
          "applicant.birth_date"),
      Bad("SubmitBadEmail", Submit(),
          [](auto& c) { c.mutable_applicant()->set_email("amina-at-home"); },
          "applicant.email"),
      Bad("SubmitBadPhone", Submit(),
          [](auto& c) { c.mutable_applicant()->set_phone("call me"); },
          "applicant.phone"),
      Bad("SubmitWithoutAnyContact", Submit(),
          [](auto& c) {
            c.mutable_applicant()->clear_email();
            c.mutable_applicant()->clear_phone();
            c.mutable_applicant()->clear_postal_address();
          },
          "applicant.email"),
      Bad("SubmitAddressWithoutPostalCode", Submit(),
          [](auto& c) {
            c.mutable_applicant()->mutable_postal_address()->clear_postal_code();
          },
          "applicant.postal_address.postal_code"),
      Bad("SubmitAddressWithoutStreet", Submit(),
          [](auto& c) {
            c.mutable_applicant()
                ->mutable_postal_address()
                ->clear_street_address();
          },
          "applicant.postal_address.street_address"),
      Bad("SubmitBlankMotivations", Submit(),
          [](auto& c) { c.mutable_applicant()->set_motivations(" \n"); },
          "applicant.motivations"),
      Bad("SubmitOversizePitch", Submit(),
          [](auto& c) { c.mutable_applicant()->set_project_pitch(kLongLong); },
          "applicant.project_pitch"),
      Bad("SubmitCareerPathWithControlCharacter", Submit(),
          [](auto& c) {
            c.mutable_applicant()->set_career_path(std::string("a\0b", 3));
          },
          "applicant.career_path"),
      Bad("SubmitWithoutProjectTitle", Submit(),
          [](auto& c) { c.mutable_applicant()->clear_project_title(); },
          "applicant.project_title"),
      Bad("SubmitWithoutGender", Submit(),
          [](auto& c) {
            c.set_gender_category(v1::GENDER_CATEGORY_UNSPECIFIED);
          },
          "gender_category"),
      Bad("SubmitUnknownGender", Submit(),
          [](auto& c) { c.set_gender_category(v1::GenderCategory(99)); },
          "gender_category"),
      Bad("SubmitUnknownEducationLevel", Submit(),
          [](auto& c) { c.set_education_level(v1::EducationLevel(42)); },
          "education_level"),
      Bad("SubmitNegativeMonths", Submit(),
          [](auto& c) { c.set_months_on_integration_income(-1); },
          "months_on_integration_income"),
      Bad("SubmitWithoutProjectKind", Submit(),
          [](auto& c) { c.clear_project_kind(); }, "project_kind"),
      // ReviewApplication
      Bad("ReviewWithoutRequestId", Review(),
          [](auto& c) { c.clear_request_id(); }, "request_id"),
      Bad("ReviewWithoutApplicationId", Review(),
          [](auto& c) { c.clear_application_id(); }, "application_id"),
      Bad("ReviewWithoutReviewer", Review(),
          [](auto& c) { c.clear_reviewer_id(); }, "reviewer_id"),
      Bad("ReviewImpossibleDate", Review(),
          [](auto& c) { *c.mutable_reviewed_on() = D(2026, 4, 31); },
          "reviewed_on"),
      Bad("ReviewWithoutScores", Review(), [](auto& c) { c.clear_scores(); },
          "scores"),
      Bad("ReviewScoreWithoutCriterion", Review(),
          [](auto& c) { c.mutable_scores(2)->clear_criterion_id(); },
          "scores[2].criterion_id"),
      Bad("ReviewNegativeScore", Review(),
          [](auto& c) { c.mutable_scores(1)->set_score(-1); },
          "scores[1].score"),
      Bad("ReviewWithoutRecommendation", Review(),
          [](auto& c) { c.clear_recommendation(); }, "recommendation"),
      Bad("ReviewOversizeComment", Review(),
          [](auto& c) { c.set_comment(kLongLong); }, "comment"),
      // RecordCpasOpinion
      Bad("OpinionWithoutRequestId", Opinion(),
          [](auto& c) { c.clear_request_id(); }, "request_id"),
      Bad("OpinionWithoutApplicationId", Opinion(),
          [](auto& c) { c.clear_application_id(); }, "application_id"),
      Bad("OpinionWithoutCpasId", Opinion(),
          [](auto& c) { c.clear_cpas_id(); }, "cpas_id"),
      Bad("OpinionWithoutSocialWorker", Opinion(),
          [](auto& c) { c.clear_social_worker_id(); }, "social_worker_id"),
      Bad("OpinionWithoutDate", Opinion(), [](auto& c) { c.clear_given_on(); },
          "given_on"),
      Bad("OpinionUnspecified", Opinion(), [](auto& c) { c.clear_opinion(); },
          "opinion"),
      Bad("OpinionUnknown", Opinion(),
          [](auto& c) { c.set_opinion(v1::CpasOpinion(7)); }, "opinion"),
      Bad("UnfavourableOpinionWithoutComment",
          Opinion(v1::CPAS_OPINION_UNFAVOURABLE),
          [](auto& c) { c.clear_comment(); }, "comment"),
      Bad("ReservationsWithoutComment",
          Opinion(v1::CPAS_OPINION_FAVOURABLE_WITH_RESERVATIONS),
          [](auto& c) { c.clear_comment(); }, "comment"),
      // SelectCandidate
      Bad("SelectWithoutRequestId", Select(),
          [](auto& c) { c.clear_request_id(); }, "request_id"),
      Bad("SelectWithoutApplicationId", Select(),
          [](auto& c) { c.clear_application_id(); }, "application_id"),
      Bad("SelectWithoutDate", Select(), [](auto& c) { c.clear_decided_on(); },
          "decided_on"),
      Bad("SelectYearOutOfRange", Select(D(1899, 12, 31)), [](auto&) {},
          "decided_on"),
      // WaitlistCandidate
      Bad("WaitlistWithoutRequestId", Waitlist(),
          [](auto& c) { c.clear_request_id(); }, "request_id"),
      Bad("WaitlistWithoutApplicationId", Waitlist(),
          [](auto& c) { c.clear_application_id(); }, "application_id"),
      Bad("WaitlistWithoutDate", Waitlist(),
          [](auto& c) { c.clear_decided_on(); }, "decided_on"),
      Bad("WaitlistNegativeRank", Waitlist(), [](auto& c) { c.set_rank(-2); },
          "rank"),
      // RejectCandidate
      Bad("RejectWithoutRequestId", Reject(),
          [](auto& c) { c.clear_request_id(); }, "request_id"),
      Bad("RejectWithoutApplicationId", Reject(),
          [](auto& c) { c.clear_application_id(); }, "application_id"),
      Bad("RejectWithoutDate", Reject(), [](auto& c) { c.clear_decided_on(); },
          "decided_on"),
      Bad("RejectWithoutReason", Reject(), [](auto& c) { c.clear_reason(); },
          "reason"),
      Bad("RejectUnknownReason", Reject(),
          [](auto& c) { c.set_reason(v1::RejectionReason(100)); }, "reason"),
      Bad("RejectOtherWithoutExplanation", Reject(),
          [](auto& c) {
            c.set_reason(v1::REJECTION_REASON_OTHER);
            c.clear_explanation();
          },
          "explanation"),
      Bad("RejectOversizeExplanation", Reject(),
          [](auto& c) { c.set_explanation(kLongLong); }, "explanation"),
      // WithdrawApplication
      Bad("WithdrawWithoutRequestId", Withdraw(),
          [](auto& c) { c.clear_request_id(); }, "request_id"),
      Bad("WithdrawWithoutApplicationId", Withdraw(),
          [](auto& c) { c.clear_application_id(); }, "application_id"),
      Bad("WithdrawWithoutDate", Withdraw(),
          [](auto& c) { c.clear_withdrawn_on(); }, "withdrawn_on"),
      Bad("WithdrawWithoutReason", Withdraw(),
          [](auto& c) { c.clear_reason(); }, "reason"),
      Bad("WithdrawUnknownReason", Withdraw(),
          [](auto& c) { c.set_reason(v1::WithdrawalReason(-3)); }, "reason"),
      Bad("WithdrawOtherWithoutNote", Withdraw(),
          [](auto& c) {
            c.set_reason(v1::WITHDRAWAL_REASON_OTHER);
            c.clear_note();
          },
          "note"),
  };
  return *cases;
}

INSTANTIATE_TEST_SUITE_P(SelectionRequests, BadFieldTest,
                         ::testing::ValuesIn(Cases()), BadFieldCaseName);

}  // namespace
}  // namespace coopcraft::testing

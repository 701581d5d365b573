// Decider of one application (stream "application-<application_id>"): from
// the dossier's receipt through reviews and the CPAS opinion to selection,
// the waiting list, rejection or withdrawal.
//
//   submitted ──▶ waitlisted ──▶ selected | rejected | withdrawn
//       └──────────────────────▶ selected | rejected | withdrawn
//
// Selected, rejected and withdrawn are final.
#ifndef COOPCRAFT_SERVICES_DOMAIN_SELECTION_APPLICATION_H_
#define COOPCRAFT_SERVICES_DOMAIN_SELECTION_APPLICATION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coopcraft/v1/common.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "coopcraft/v1/selection_service.pb.h"
#include "services/domain/decision.h"
#include "services/domain/selection/call.h"

namespace coopcraft::domain::selection {

// "application-<application_id>"; application ids are opaque.
std::string ApplicationStream(std::string_view application_id);

enum class ApplicationStatus {
  kNone,  // No event folded yet.
  kSubmitted,
  kWaitlisted,
  kSelected,
  kRejected,
  kWithdrawn,
};

// Lower-case name for messages, e.g. "waitlisted".
absl::string_view StatusName(ApplicationStatus status);

// Everything the rules (and the Project aggregate, which opens a project
// from a selected candidate) need to know about an application.
struct ApplicationState {
  // True once ApplicationSubmitted was folded.
  bool exists = false;
  // Events folded so far; the stream's next revision.
  uint64_t event_count = 0;
  ApplicationStatus status = ApplicationStatus::kNone;

  std::string application_id;
  std::string call_id;
  // The data subject.
  std::string person_id;
  // The applicant's CPAS, the future Article 60 employer.
  std::string cpas_id;
  v1::Date received_on;
  // From the personal details: unset once the person has been erased.
  v1::Date birth_date;
  v1::GenderCategory gender_category = v1::GENDER_CATEGORY_UNSPECIFIED;
  v1::AgeBand age_band = v1::AGE_BAND_UNSPECIFIED;
  v1::EducationLevel education_level = v1::EDUCATION_LEVEL_UNSPECIFIED;
  int32_t months_on_integration_income = 0;
  v1::ProjectKind project_kind = v1::PROJECT_KIND_UNSPECIFIED;
  // The call's rubric as it stood at submission.
  std::vector<v1::RubricCriterion> rubric;

  // reviewer_id -> day of their review.
  absl::flat_hash_map<std::string, v1::Date> reviews;
  // Sums over all reviews, for the mean score.
  int64_t score_points = 0;
  int64_t max_score_points = 0;
  // Latest review day (unset before the first review).
  v1::Date last_review_on;

  // The CPAS opinion in force; UNSPECIFIED while none was recorded.
  v1::CpasOpinion cpas_opinion = v1::CPAS_OPINION_UNSPECIFIED;
  v1::Date cpas_opinion_on;

  v1::Date waitlisted_on;  // Set while or after being wait-listed.
  // Day of the final step (selected, rejected or withdrawn).
  v1::Date decided_on;
};

// Mean review score as a rounded percentage of the rubric maximum; 0 before
// any review.
int32_t MeanScorePercent(const ApplicationState& state);

// Folds one event. Holds no rules and never fails; an event case this build
// does not know is counted and otherwise ignored.
ApplicationState Evolve(ApplicationState state,
                        const v1::ApplicationEvent& event);

// Records the dossier. `call` is the state of the call named by
// command.call_id, loaded by the caller. NOT_FOUND CALL_NOT_FOUND; refuses
// APPLICATION_ALREADY_SUBMITTED, CALL_CLOSED, CALL_NOT_YET_OPEN,
// APPLICATION_AFTER_CLOSING_DATE, CPAS_NOT_PARTNER_OF_CALL,
// BIRTH_DATE_AFTER_RECEIPT, APPLICANT_UNDER_18, DATE_IN_FUTURE.
absl::StatusOr<std::vector<v1::ApplicationEvent>> Decide(
    const ApplicationState& state, const v1::SubmitApplicationRequest& command,
    const CallState& call, const DecisionContext& context);

// Records a review; only a submitted application (not yet wait-listed or
// decided) is under review. NOT_FOUND APPLICATION_NOT_FOUND; refuses
// APPLICATION_ALREADY_DECIDED, APPLICATION_WITHDRAWN,
// APPLICATION_NOT_UNDER_REVIEW, REVIEWER_ALREADY_REVIEWED,
// RUBRIC_CRITERION_UNKNOWN, RUBRIC_CRITERION_SCORED_TWICE,
// SCORE_OUT_OF_RANGE, RUBRIC_CRITERION_NOT_SCORED, DATE_BEFORE_SUBMISSION,
// DATE_IN_FUTURE.
absl::StatusOr<std::vector<v1::ApplicationEvent>> Decide(
    const ApplicationState& state, const v1::ReviewApplicationRequest& command,
    const DecisionContext& context);

// Records or revises the CPAS opinion; the latest opinion is the one in
// force. NOT_FOUND APPLICATION_NOT_FOUND; refuses NOT_APPLICANTS_CPAS,
// APPLICATION_ALREADY_DECIDED, APPLICATION_WITHDRAWN, DATE_BEFORE_SUBMISSION,
// OPINION_OLDER_THAN_PREVIOUS, DATE_IN_FUTURE.
absl::StatusOr<std::vector<v1::ApplicationEvent>> Decide(
    const ApplicationState& state, const v1::RecordCpasOpinionRequest& command,
    const DecisionContext& context);

// Selects the candidate. NOT_FOUND APPLICATION_NOT_FOUND; refuses
// APPLICATION_ALREADY_DECIDED, APPLICATION_WITHDRAWN, DECISION_NEEDS_REVIEW,
// SELECTION_NEEDS_CPAS_OPINION, CPAS_OPINION_UNFAVOURABLE,
// DATE_BEFORE_PREVIOUS_STEP, DATE_IN_FUTURE.
absl::StatusOr<std::vector<v1::ApplicationEvent>> Decide(
    const ApplicationState& state, const v1::SelectCandidateRequest& command,
    const DecisionContext& context);

// Wait-lists the candidate. NOT_FOUND APPLICATION_NOT_FOUND; refuses
// APPLICATION_ALREADY_DECIDED, APPLICATION_WITHDRAWN,
// CANDIDATE_ALREADY_WAITLISTED, DECISION_NEEDS_REVIEW,
// DATE_BEFORE_PREVIOUS_STEP, DATE_IN_FUTURE.
absl::StatusOr<std::vector<v1::ApplicationEvent>> Decide(
    const ApplicationState& state, const v1::WaitlistCandidateRequest& command,
    const DecisionContext& context);

// Rejects the application; no review is needed, so an ineligible dossier
// can be turned down administratively. NOT_FOUND APPLICATION_NOT_FOUND;
// refuses REJECTION_NEEDS_REASON, APPLICATION_ALREADY_DECIDED,
// APPLICATION_WITHDRAWN, DATE_BEFORE_PREVIOUS_STEP, DATE_IN_FUTURE.
absl::StatusOr<std::vector<v1::ApplicationEvent>> Decide(
    const ApplicationState& state, const v1::RejectCandidateRequest& command,
    const DecisionContext& context);

// Records a withdrawal before any final decision. Only the receipt and
// wait-listing days bound its date: an applicant may withdraw before a
// review that was recorded first. NOT_FOUND
// APPLICATION_NOT_FOUND; refuses APPLICATION_ALREADY_DECIDED,
// APPLICATION_WITHDRAWN, DATE_BEFORE_PREVIOUS_STEP, DATE_IN_FUTURE.
absl::StatusOr<std::vector<v1::ApplicationEvent>> Decide(
    const ApplicationState& state,
    const v1::WithdrawApplicationRequest& command,
    const DecisionContext& context);

}  // namespace coopcraft::domain::selection

#endif  // COOPCRAFT_SERVICES_DOMAIN_SELECTION_APPLICATION_H_

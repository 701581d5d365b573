// The Project aggregate's rules: one pure Decide overload per command of
// ProjectService and HandOffService. Each returns the events to append to
// "project-<project_id>", or the reason the command is refused:
//   NOT_FOUND "PROJECT_NOT_FOUND: ..."  the project was never opened;
//   FAILED_PRECONDITION "REASON: ..."   a programme rule (RuleViolation);
//   INVALID_ARGUMENT                    a field the validation layer should
//                                       have refused (defence in depth).
// Field-level checks (ids, lengths, enum values, real dates) belong to
// services/api/validation/project_validation.h and run before Decide.
#ifndef COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_DECIDER_H_
#define COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_DECIDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "coopcraft/v1/common.pb.h"
#include "coopcraft/v1/handoff_service.pb.h"
#include "coopcraft/v1/project_events.pb.h"
#include "coopcraft/v1/project_service.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "services/domain/decision.h"
#include "services/domain/project/project_state.h"

namespace coopcraft::domain::project {

using ProjectEvents = std::vector<coopcraft::v1::ProjectEvent>;

// What OpenProject needs from the Selection aggregate; the app layer fills
// it from the application stream. The birth date is used only to derive the
// age at the contract start and never enters the project stream.
struct SelectedCandidate {
  // The application's id; the project id must equal it, which is what lets
  // a "no stream" expectation enforce one project per application.
  std::string application_id;
  // True when the application's last decision is CandidateSelected.
  bool selected = false;
  std::string person_id;
  std::string call_id;
  // The CPAS of which the candidate is a beneficiary.
  std::string cpas_id;
  // Day of the selection decision; the contract cannot start before it.
  coopcraft::v1::Date selected_on;
  coopcraft::v1::Date birth_date;
  coopcraft::v1::GenderCategory gender_category =
      coopcraft::v1::GENDER_CATEGORY_UNSPECIFIED;
  int32_t months_on_integration_income = 0;
};

absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state, const coopcraft::v1::OpenProjectRequest& command,
    const SelectedCandidate& candidate, const DecisionContext& context);

// Contract and worked days (decide_contract.cc).
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::RecordWorkedDaysRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state, const coopcraft::v1::EndContractRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::CloseProjectRequest& command,
    const DecisionContext& context);

// Roadmap deliverables, mentoring, interviews, evaluation
// (decide_roadmap.cc).
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::DraftDeliverableRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::SubmitDeliverableRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::RequestDeliverableChangesRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::ValidateDeliverableRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::AssignMentorRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::ScheduleMentorMeetingRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::RecordMentorMeetingRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::RecordInterviewRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::RecordEvaluationRequest& command,
    const DecisionContext& context);

// Actions, milestones, resources, funding, partners, communication
// (decide_activity.cc).
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state, const coopcraft::v1::LogActionRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::PlanMilestoneRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::MoveMilestoneRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::CompleteMilestoneRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::RequestResourceRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::DecideResourceRequestRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::SubmitFundingApplicationRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::RecordFundingDecisionRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::ContactPartnerRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::AgreePartnershipRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::PublishCommunicationRequest& command,
    const DecisionContext& context);

// Hand-off (decide_handoff.cc).
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::ProposeHandOffRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::AcceptHandOffRequest& command,
    const DecisionContext& context);
absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const coopcraft::v1::DeclineHandOffRequest& command,
    const DecisionContext& context);

}  // namespace coopcraft::domain::project

#endif  // COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_DECIDER_H_

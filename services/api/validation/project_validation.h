// Field-level validation of ProjectService requests: ids, lengths, enum
// values, real dates, amounts, and fields required by another field's value.
// Each function is pure and returns OK or INVALID_ARGUMENT whose
// google.rpc.BadRequest names every bad field by path (e.g.
// "dossier.revenue_to_date.cents"). Programme rules (date order against the
// project, states) are the domain's: services/domain/project.
#ifndef COOPCRAFT_SERVICES_API_VALIDATION_PROJECT_VALIDATION_H_
#define COOPCRAFT_SERVICES_API_VALIDATION_PROJECT_VALIDATION_H_

#include "absl/status/status.h"
#include "coopcraft/v1/project_service.pb.h"

namespace coopcraft::api {

absl::Status Validate(const coopcraft::v1::OpenProjectRequest& request);
absl::Status Validate(const coopcraft::v1::RecordWorkedDaysRequest& request);
absl::Status Validate(const coopcraft::v1::DraftDeliverableRequest& request);
absl::Status Validate(const coopcraft::v1::SubmitDeliverableRequest& request);
absl::Status Validate(
    const coopcraft::v1::RequestDeliverableChangesRequest& request);
absl::Status Validate(const coopcraft::v1::ValidateDeliverableRequest& request);
absl::Status Validate(const coopcraft::v1::AssignMentorRequest& request);
absl::Status Validate(
    const coopcraft::v1::ScheduleMentorMeetingRequest& request);
absl::Status Validate(const coopcraft::v1::RecordMentorMeetingRequest& request);
absl::Status Validate(const coopcraft::v1::RecordInterviewRequest& request);
absl::Status Validate(const coopcraft::v1::LogActionRequest& request);
absl::Status Validate(const coopcraft::v1::PlanMilestoneRequest& request);
absl::Status Validate(const coopcraft::v1::MoveMilestoneRequest& request);
absl::Status Validate(const coopcraft::v1::CompleteMilestoneRequest& request);
absl::Status Validate(const coopcraft::v1::RequestResourceRequest& request);
absl::Status Validate(
    const coopcraft::v1::DecideResourceRequestRequest& request);
absl::Status Validate(
    const coopcraft::v1::SubmitFundingApplicationRequest& request);
absl::Status Validate(
    const coopcraft::v1::RecordFundingDecisionRequest& request);
absl::Status Validate(const coopcraft::v1::ContactPartnerRequest& request);
absl::Status Validate(const coopcraft::v1::AgreePartnershipRequest& request);
absl::Status Validate(
    const coopcraft::v1::PublishCommunicationRequest& request);
absl::Status Validate(const coopcraft::v1::RecordEvaluationRequest& request);
absl::Status Validate(const coopcraft::v1::ProposeHandOffRequest& request);
absl::Status Validate(const coopcraft::v1::EndContractRequest& request);
absl::Status Validate(const coopcraft::v1::CloseProjectRequest& request);

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_VALIDATION_PROJECT_VALIDATION_H_

// Field-level checks of SelectionService requests: ids, required text and
// its length, known enum values, real dates, numbers in range. Programme
// rules (dates against the dossier, who may decide what) live in the
// deciders of services/domain/selection.
#ifndef COOPCRAFT_SERVICES_API_VALIDATION_SELECTION_VALIDATION_H_
#define COOPCRAFT_SERVICES_API_VALIDATION_SELECTION_VALIDATION_H_

#include "absl/status/status.h"
#include "coopcraft/v1/selection_service.pb.h"

namespace coopcraft::api {

// Each returns OK, or INVALID_ARGUMENT whose google.rpc.BadRequest names
// every bad field by its path (e.g. "applicant.birth_date", "rubric[1].title").
absl::Status Validate(const coopcraft::v1::OpenCallRequest& request);
absl::Status Validate(const coopcraft::v1::CloseCallRequest& request);
absl::Status Validate(const coopcraft::v1::SubmitApplicationRequest& request);
absl::Status Validate(const coopcraft::v1::ReviewApplicationRequest& request);
absl::Status Validate(const coopcraft::v1::RecordCpasOpinionRequest& request);
absl::Status Validate(const coopcraft::v1::SelectCandidateRequest& request);
absl::Status Validate(const coopcraft::v1::WaitlistCandidateRequest& request);
absl::Status Validate(const coopcraft::v1::RejectCandidateRequest& request);
absl::Status Validate(const coopcraft::v1::WithdrawApplicationRequest& request);

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_VALIDATION_SELECTION_VALIDATION_H_

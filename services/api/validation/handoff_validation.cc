// Field-level checks of HandOffService requests.
#include "services/api/validation/handoff_validation.h"

#include "services/api/validation/field_errors.h"

namespace coopcraft::api {
namespace {

namespace v1 = ::coopcraft::v1;

// Both answers name the request, the project, the hand-off and the
// answering organisation.
template <typename Request>
FieldErrors AnswerErrors(const Request& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("project_id", request.project_id());
  errors.RequireId("handoff_id", request.handoff_id());
  errors.RequireId("partner_organisation_id",
                   request.partner_organisation_id());
  return errors;
}

}  // namespace

absl::Status Validate(const v1::AcceptHandOffRequest& request) {
  FieldErrors errors = AnswerErrors(request);
  errors.OptionalText("comment", request.comment(), kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::DeclineHandOffRequest& request) {
  FieldErrors errors = AnswerErrors(request);
  errors.RequireText("reason", request.reason(), kMaxLongText);
  return errors.ToStatus();
}

}  // namespace coopcraft::api

// Field-level validation of HandOffService requests (partner-facing). Pure;
// OK or INVALID_ARGUMENT with a google.rpc.BadRequest naming each bad field.
// Whether the caller may speak for partner_organisation_id is the auth
// layer's check, not this one.
#ifndef COOPCRAFT_SERVICES_API_VALIDATION_HANDOFF_VALIDATION_H_
#define COOPCRAFT_SERVICES_API_VALIDATION_HANDOFF_VALIDATION_H_

#include "absl/status/status.h"
#include "coopcraft/v1/handoff_service.pb.h"

namespace coopcraft::api {

absl::Status Validate(const coopcraft::v1::AcceptHandOffRequest& request);
absl::Status Validate(const coopcraft::v1::DeclineHandOffRequest& request);

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_VALIDATION_HANDOFF_VALIDATION_H_

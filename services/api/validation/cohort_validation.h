// Field-level checks of CohortService requests. Attendance coherence and
// durations that must nest are rules of services/domain/cohort.
#ifndef COOPCRAFT_SERVICES_API_VALIDATION_COHORT_VALIDATION_H_
#define COOPCRAFT_SERVICES_API_VALIDATION_COHORT_VALIDATION_H_

#include "absl/status/status.h"
#include "coopcraft/v1/cohort_service.pb.h"

namespace coopcraft::api {

// OK, or INVALID_ARGUMENT whose google.rpc.BadRequest names every bad field
// by its path (e.g. "agenda_items[0].speaking_times[2].minutes").
absl::Status Validate(const coopcraft::v1::RecordGroupMeetingRequest& request);

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_VALIDATION_COHORT_VALIDATION_H_

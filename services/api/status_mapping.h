// The one place where absl::Status becomes grpc::Status (ARCHITECTURE §5).
#ifndef COOPCRAFT_SERVICES_API_STATUS_MAPPING_H_
#define COOPCRAFT_SERVICES_API_STATUS_MAPPING_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace coopcraft::api {

// Same code and message; typed details travel as a serialized
// google.rpc.Status in the grpc-status-details-bin trailer:
//  - every absl payload stored under a "type.googleapis.com/..." URL (e.g.
//    google.rpc.BadRequest from request validation) becomes an Any detail;
//  - a FAILED_PRECONDITION, ABORTED, NOT_FOUND, ALREADY_EXISTS or
//    PERMISSION_DENIED message that starts with a stable
//    "UPPER_SNAKE_REASON: " prefix adds a google.rpc.ErrorInfo with that
//    reason in domain "coopcraft.v1", so clients branch on codes and
//    reasons, never on message text (docs/REASONS.md lists them).
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse for clients and tests: code and message only.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_STATUS_MAPPING_H_

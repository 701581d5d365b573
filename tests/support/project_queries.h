// Reading a project's view over QueryService the way integration tests do
// after a command: at least at the position the command returned, so the
// view already shows it (read-your-writes).
#ifndef COOPCRAFT_TESTS_SUPPORT_PROJECT_QUERIES_H_
#define COOPCRAFT_TESTS_SUPPORT_PROJECT_QUERIES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coopcraft/v1/query_service.grpc.pb.h"

namespace coopcraft::testing {

// GetProject for `project_id` once the projection applied `min_position`,
// with `timeout` as the call's deadline. A failed call comes back as an
// absl::Status of the same code and message; its google.rpc details are
// dropped, so tests that read them call the stub themselves.
absl::StatusOr<v1::GetProjectResponse> GetProjectAt(
    v1::QueryService::Stub& queries, const std::string& project_id,
    uint64_t min_position, absl::Duration timeout = absl::Seconds(10));

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_SUPPORT_PROJECT_QUERIES_H_

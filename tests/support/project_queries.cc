// GetProjectAt.
#include "tests/support/project_queries.h"

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include "absl/time/clock.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {

absl::StatusOr<v1::GetProjectResponse> GetProjectAt(
    v1::QueryService::Stub& queries, const std::string& project_id,
    uint64_t min_position, absl::Duration timeout) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  v1::GetProjectRequest request;
  request.set_project_id(project_id);
  request.set_min_position(min_position);
  v1::GetProjectResponse response;
  grpc::Status status = queries.GetProject(&context, request, &response);
  if (!status.ok()) return ProgrammeClient::ToAbslStatus(status);
  return response;
}

}  // namespace coopcraft::testing

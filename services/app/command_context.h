// What the edge knows about a command beyond its fields.
#ifndef COOPCRAFT_SERVICES_APP_COMMAND_CONTEXT_H_
#define COOPCRAFT_SERVICES_APP_COMMAND_CONTEXT_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coopcraft/v1/common.pb.h"
#include "storage/event_log.h"

namespace coopcraft::app {

struct CommandContext {
  // The request's request_id (validated UUID text).
  std::string request_id;
  // The client's concurrency condition; nullopt means "any": the handler
  // then retries a bounded number of times on conflict.
  std::optional<storage::ExpectedRevision> expected;
  // Opaque principal id, recorded as event metadata.
  std::string actor;
  // Correlation id for the event metadata; defaults to request_id.
  std::string correlation_id;
  // The caller's deadline. A command that has not started by then (it
  // waited for a worker, or behind an earlier command on its stream) is not
  // run: its caller was already told DEADLINE_EXCEEDED and must not find it
  // written behind its back (a retry with the same request_id would still
  // be safe, but a caller that gave up should see nothing change).
  absl::Time deadline = absl::InfiniteFuture();
};

// The proto condition as a storage condition; nullopt when none is set.
std::optional<storage::ExpectedRevision> ExpectedFromProto(
    const coopcraft::v1::ExpectedRevision& expected, bool has_expected);

}  // namespace coopcraft::app

#endif  // COOPCRAFT_SERVICES_APP_COMMAND_CONTEXT_H_

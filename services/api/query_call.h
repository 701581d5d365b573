// The shape every query RPC shares: validate on the gRPC thread, wait for
// the caller's min_position when the projections are behind it (on a
// worker, never on a gRPC thread), then read the view and finish.
#ifndef COOPCRAFT_SERVICES_API_QUERY_CALL_H_
#define COOPCRAFT_SERVICES_API_QUERY_CALL_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/api/validation/field_errors.h"
#include "services/api/worker_pool.h"
#include "services/auth/principal.h"
#include "services/projections/projection_engine.h"

namespace coopcraft::api {

// Page sizes of every list query: 0 asks for the default, larger than the
// maximum is capped.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// An opaque, versioned page token carrying the last key returned.
std::string EncodePageToken(const std::string& last_key);

// Validates page_size (>= 0) and page_token into `errors` (naming each);
// sets `*page_size` to the effective size and returns the key to resume
// after (empty for the first page or when the token is bad).
std::string ReadPageRequest(int32_t requested_size, const std::string& token,
                            int* page_size, FieldErrors* errors);

// Finishes at once with the guard's refusal (`admitted`) or `validation`'s;
// runs `read(caller)` at once when the projections reached `min_position`;
// OUT_OF_RANGE when `min_position` is beyond the log's head; else waits for
// it on `pool` within the call's deadline (DEADLINE_EXCEEDED when it passes
// first), for at most 30 s (then UNAVAILABLE), and ends with CANCELLED soon
// after the caller cancels. `read` runs under
// ProjectionEngine::ReadAtLeast, so the views it reads have reached
// `min_position` (a rebuild that lowers them first sends the query back
// to waiting); it is short and never calls ReadAtLeast itself. `read`
// checks the caller's row scope against what it reads.
grpc::ServerUnaryReactor* AnswerQuery(
    grpc::CallbackServerContext* call, absl::StatusOr<auth::Principal> admitted,
    const projections::ProjectionEngine& engine, WorkerPool& pool,
    uint64_t min_position, const absl::Status& validation,
    std::function<absl::Status(const auth::Principal& caller)> read);

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_QUERY_CALL_H_

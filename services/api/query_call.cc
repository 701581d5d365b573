// Query plumbing shared by QueryService and HandOffService's read side.
#include "services/api/query_call.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/api/status_mapping.h"

namespace coopcraft::api {
namespace {

// Page tokens carry a version so their format can change.
constexpr char kTokenPrefix[] = "p1:";

// A wait for the projections holds a query thread. It checks this often
// whether its caller has gone, and it never lasts longer than the cap,
// whatever the call's deadline: projections that have not caught up by
// then are rebuilding or failing, and a retry later is the answer.
constexpr absl::Duration kWaitSlice = absl::Milliseconds(100);
constexpr absl::Duration kMaxWait = absl::Seconds(30);

// Reads the views once they reach `position`: waits for it in slices
// until the call is cancelled, its deadline passes or kMaxWait has gone
// by. A wait that ends reached is no promise (a rebuild may lower the
// position before the read), so the read checks again and the query goes
// back to waiting when it lost the race.
absl::Status ReadWhenReached(grpc::CallbackServerContext* call,
                             const projections::ProjectionEngine& engine,
                             uint64_t position, absl::Time deadline,
                             absl::FunctionRef<absl::Status()> read) {
  const absl::Time give_up = std::min(deadline, absl::Now() + kMaxWait);
  while (true) {
    if (std::optional<absl::Status> answered =
            engine.ReadAtLeast(position, read)) {
      return *answered;
    }
    if (call->IsCancelled()) {
      return absl::CancelledError("the caller cancelled the call");
    }
    const absl::Time now = absl::Now();
    if (now >= give_up) break;
    const absl::Status waited =
        engine.WaitUntil(position, std::min(give_up, now + kWaitSlice));
    // Stopping; reached or a slice ended, the loop checks again.
    if (!waited.ok() && !absl::IsDeadlineExceeded(waited)) return waited;
  }
  if (give_up == deadline) {
    return absl::DeadlineExceededError(
        absl::StrCat("projections reached position ", engine.Position(),
                     ", not ", position, ", before the deadline"));
  }
  return absl::UnavailableError(
      absl::StrCat("projections have not reached min_position ", position,
                   " within ", absl::FormatDuration(kMaxWait), " (now at ",
                   engine.Position(), "); retry later"));
}

}  // namespace

std::string EncodePageToken(const std::string& last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenPrefix, last_key));
}

std::string ReadPageRequest(int32_t requested_size, const std::string& token,
                            int* page_size, FieldErrors* errors) {
  if (requested_size < 0) errors->Add("page_size", "must not be negative");
  *page_size = requested_size <= 0 ? kDefaultPageSize
                                   : std::min(requested_size, kMaxPageSize);
  if (token.empty()) return std::string();
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded) ||
      decoded.rfind(kTokenPrefix, 0) != 0) {
    errors->Add("page_token", "not a token of this list");
    return std::string();
  }
  return decoded.substr(sizeof(kTokenPrefix) - 1);
}

grpc::ServerUnaryReactor* AnswerQuery(
    grpc::CallbackServerContext* call, absl::StatusOr<auth::Principal> admitted,
    const projections::ProjectionEngine& engine, WorkerPool& pool,
    uint64_t min_position, const absl::Status& validation,
    std::function<absl::Status(const auth::Principal& caller)> read) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  if (!admitted.ok()) {
    reactor->Finish(ToGrpcStatus(admitted.status()));
  } else if (!validation.ok()) {
    reactor->Finish(ToGrpcStatus(validation));
  } else if (std::optional<absl::Status> answered = engine.ReadAtLeast(
                 min_position, [&] { return read(*admitted); })) {
    reactor->Finish(ToGrpcStatus(*answered));
  } else if (const uint64_t head = engine.LogHead(); min_position > head) {
    // Nothing the caller was told of lies beyond the head: a command's
    // reply follows the publication of its position. Waiting for such a
    // position would hold a thread for a write that may never come.
    reactor->Finish(ToGrpcStatus(absl::OutOfRangeError(absl::StrCat(
        "min_position: ", min_position, " is beyond the log's head ", head))));
  } else {
    const absl::Time deadline = absl::FromChrono(call->deadline());
    pool.Schedule([reactor, call, &engine, min_position, deadline,
                   caller = *std::move(admitted), read = std::move(read)] {
      reactor->Finish(ToGrpcStatus(
          ReadWhenReached(call, engine, min_position, deadline,
                          [&read, &caller] { return read(caller); })));
    });
  }
  return reactor;
}

}  // namespace coopcraft::api

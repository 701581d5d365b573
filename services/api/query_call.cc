// Query plumbing shared by QueryService and HandOffService's read side.
#include "services/api/query_call.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/api/status_mapping.h"

namespace coopcraft::api {
namespace {

// Page tokens carry a version so their format can change.
constexpr char kTokenPrefix[] = "p1:";

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
  } else if (engine.Position() >= min_position) {
    reactor->Finish(ToGrpcStatus(read(*admitted)));
  } else {
    const absl::Time deadline = absl::FromChrono(call->deadline());
    pool.Schedule([reactor, &engine, min_position, deadline,
                   caller = *std::move(admitted), read = std::move(read)] {
      absl::Status status = engine.WaitUntil(min_position, deadline);
      reactor->Finish(ToGrpcStatus(status.ok() ? read(caller) : status));
    });
  }
  return reactor;
}

}  // namespace coopcraft::api

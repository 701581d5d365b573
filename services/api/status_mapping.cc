// absl::Status -> grpc::Status with google.rpc details.
#include "services/api/status_mapping.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "storage/event_log.h"

namespace coopcraft::api {
namespace {

constexpr absl::string_view kGoogleTypePrefix = "type.googleapis.com/";

// "SOME_RULE: explanation" -> "SOME_RULE"; empty when there is no such prefix.
std::string ReasonPrefix(absl::string_view message) {
  const size_t colon = message.find(": ");
  if (colon == absl::string_view::npos || colon == 0) return "";
  for (char c : message.substr(0, colon)) {
    if (!(absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_')) {
      return "";
    }
  }
  return std::string(message.substr(0, colon));
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(std::string(status.message()));
  status.ForEachPayload(
      [&](absl::string_view type_url, const absl::Cord& value) {
        if (!absl::StartsWith(type_url, kGoogleTypePrefix)) return;
        auto* any = details.add_details();
        any->set_type_url(std::string(type_url));
        any->set_value(std::string(value));
      });
  if (storage::IsRevisionConflict(status)) {
    const std::optional<uint64_t> revision = storage::CurrentRevisionOf(status);
    // An expected-revision conflict: the client needs the stream's current
    // revision to re-read and retry, in a field, not only in the message.
    google::rpc::ErrorInfo info;
    info.set_reason("REVISION_CONFLICT");
    info.set_domain("coopcraft.v1");
    (*info.mutable_metadata())["current_revision"] =
        revision.has_value() ? std::to_string(*revision) : "none";
    details.add_details()->PackFrom(info);
  } else if (status.code() == absl::StatusCode::kFailedPrecondition ||
             status.code() == absl::StatusCode::kAborted ||
             status.code() == absl::StatusCode::kNotFound ||
             status.code() == absl::StatusCode::kAlreadyExists ||
             status.code() == absl::StatusCode::kPermissionDenied) {
    if (std::string reason = ReasonPrefix(status.message()); !reason.empty()) {
      google::rpc::ErrorInfo info;
      info.set_reason(reason);
      info.set_domain("coopcraft.v1");
      details.add_details()->PackFrom(info);
    }
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()),
                      details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

}  // namespace coopcraft::api

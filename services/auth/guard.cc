// Guard: bearer token -> principal -> role check.
#include "services/auth/guard.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "services/auth/access_policy.h"

namespace coopcraft::auth {
namespace {

constexpr absl::string_view kScheme = "bearer ";

}  // namespace

absl::StatusOr<Principal> Guard::Admit(const grpc::ServerContextBase& call,
                                       absl::string_view method) const {
  const auto& metadata = call.client_metadata();
  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    return absl::UnauthenticatedError(
        "missing authorization metadata: send \"authorization: Bearer "
        "<token>\"");
  }
  absl::string_view value(header->second.data(), header->second.size());
  // The scheme is case-insensitive (RFC 7235); the secret is not.
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
    return absl::UnauthenticatedError(
        "authorization metadata must be \"Bearer <token>\"");
  }
  std::optional<Principal> principal =
      tokens_->Lookup(absl::StripAsciiWhitespace(value.substr(kScheme.size())));
  if (!principal.has_value()) {
    // One message for unknown and revoked: no hint about which tokens exist.
    return absl::UnauthenticatedError("the bearer token is not valid");
  }
  if (absl::Status allowed = Authorize(*principal, method); !allowed.ok()) {
    return allowed;
  }
  return *std::move(principal);
}

absl::Status Guard::Recheck(const Principal& caller,
                            uint64_t* revocations_seen) const {
  // Read before IsLive: a revocation counted here is visible to it.
  const uint64_t revocations = tokens_->revocations();
  if (revocations == *revocations_seen) return absl::OkStatus();
  if (!tokens_->IsLive(caller.token_id)) {
    return absl::UnauthenticatedError(
        "the bearer token was revoked; open a new call with a valid token");
  }
  *revocations_seen = revocations;
  return absl::OkStatus();
}

}  // namespace coopcraft::auth

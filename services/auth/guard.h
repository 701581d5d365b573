// Guard: the door every RPC passes. Authenticates the bearer token in the
// call's metadata, then checks the role against the method's rule.
#ifndef COOPCRAFT_SERVICES_AUTH_GUARD_H_
#define COOPCRAFT_SERVICES_AUTH_GUARD_H_

#include <grpcpp/server_context.h>

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/auth/principal.h"
#include "services/auth/token_store.h"

namespace coopcraft::auth {

// Thread-safe; `tokens` is not owned and must outlive the guard.
class Guard {
 public:
  explicit Guard(const TokenStore* tokens) : tokens_(tokens) {}

  // The caller of `call`:
  //  - UNAUTHENTICATED when the `authorization` header is missing, not
  //    "Bearer <secret>", or names no live token (revoked tokens included);
  //  - PERMISSION_DENIED when its role may not call `method`
  //    ("coopcraft.v1.Service/Rpc").
  absl::StatusOr<Principal> Admit(const grpc::ServerContextBase& call,
                                  absl::string_view method) const;

  // For a call that outlives its admission (a subscription), before each
  // message it sends: UNAUTHENTICATED once the token `caller` was admitted
  // with is revoked. `revocations_seen` is the call's own counter, 0 at
  // admission; the token is looked up again only when a revocation
  // happened since the last check.
  absl::Status Recheck(const Principal& caller,
                       uint64_t* revocations_seen) const;

 private:
  const TokenStore* const tokens_;
};

}  // namespace coopcraft::auth

#endif  // COOPCRAFT_SERVICES_AUTH_GUARD_H_

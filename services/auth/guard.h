// Guard: the door every RPC passes. Authenticates the bearer token in the
// call's metadata, then checks the role against the method's rule.
#ifndef COOPCRAFT_SERVICES_AUTH_GUARD_H_
#define COOPCRAFT_SERVICES_AUTH_GUARD_H_

#include <grpcpp/server_context.h>

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

 private:
  const TokenStore* const tokens_;
};

}  // namespace coopcraft::auth

#endif  // COOPCRAFT_SERVICES_AUTH_GUARD_H_

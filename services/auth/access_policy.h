// The role x RPC matrix: which roles may call which method at all. Row
// scope (which CPAS, mentee or partner) is checked by each service, against
// the records the call touches (services/api/scope_checks.h).
#ifndef COOPCRAFT_SERVICES_AUTH_ACCESS_POLICY_H_
#define COOPCRAFT_SERVICES_AUTH_ACCESS_POLICY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/auth/principal.h"

namespace coopcraft::auth {

// OK when `principal`'s role may call `method` ("coopcraft.v1.Service/Rpc");
// PERMISSION_DENIED naming role and method otherwise. A method without a
// rule is denied to everyone: forgetting a rule fails closed.
absl::Status Authorize(const Principal& principal, absl::string_view method);

// True when `method` has a rule (the policy test checks every RPC does).
bool HasRule(absl::string_view method);

// The roles allowed to call `method`, for docs and tests.
std::vector<coopcraft::v1::Role> AllowedRoles(absl::string_view method);

}  // namespace coopcraft::auth

#endif  // COOPCRAFT_SERVICES_AUTH_ACCESS_POLICY_H_

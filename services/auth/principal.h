// Principal: who is calling, as established from their bearer token.
#ifndef COOPCRAFT_SERVICES_AUTH_PRINCIPAL_H_
#define COOPCRAFT_SERVICES_AUTH_PRINCIPAL_H_

#include <string>

#include "coopcraft/v1/admin_service.pb.h"

namespace coopcraft::auth {

struct Principal {
  // The token holder's name, recorded as the actor of what they write.
  std::string id;
  coopcraft::v1::Role role = coopcraft::v1::ROLE_UNSPECIFIED;
  // The CPAS, mentor or partner organisation a scoped role is limited to;
  // empty for the unscoped roles.
  std::string scope;
  // The token used, so an audit can tell two tokens of one holder apart.
  std::string token_id;
};

// "ADMIN", "CPAS", ... for messages.
std::string RoleName(coopcraft::v1::Role role);

// CPAS, MENTOR and PARTNER see only what their scope names.
bool IsScopedRole(coopcraft::v1::Role role);

// Roles that may read personal data in clear (each within its scope).
// AUDITOR and DASHBOARD never do.
bool MaySeePersonalData(coopcraft::v1::Role role);

}  // namespace coopcraft::auth

#endif  // COOPCRAFT_SERVICES_AUTH_PRINCIPAL_H_

// Role vocabulary shared by the policy, the guard and the services.
#include "services/auth/principal.h"

#include "absl/strings/string_view.h"

namespace coopcraft::auth {

using coopcraft::v1::Role;

std::string RoleName(Role role) {
  if (!coopcraft::v1::Role_IsValid(role)) return "UNKNOWN";
  std::string name = coopcraft::v1::Role_Name(role);
  constexpr absl::string_view kPrefix = "ROLE_";
  return name.substr(kPrefix.size());
}

bool IsScopedRole(Role role) {
  return role == coopcraft::v1::ROLE_CPAS ||
         role == coopcraft::v1::ROLE_MENTOR ||
         role == coopcraft::v1::ROLE_PARTNER;
}

bool MaySeePersonalData(Role role) {
  return role == coopcraft::v1::ROLE_ADMIN ||
         role == coopcraft::v1::ROLE_COACH ||
         role == coopcraft::v1::ROLE_CPAS || role == coopcraft::v1::ROLE_MENTOR;
}

}  // namespace coopcraft::auth

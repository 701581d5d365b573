// Row scope checks.
#include "services/api/scope_checks.h"

#include "absl/strings/str_cat.h"

namespace coopcraft::api {
namespace {

using coopcraft::v1::ROLE_CPAS;
using coopcraft::v1::ROLE_MENTOR;
using coopcraft::v1::ROLE_PARTNER;

absl::Status OutOfScope(const auth::Principal& caller, absl::string_view what) {
  return absl::PermissionDeniedError(
      absl::StrCat("OUT_OF_SCOPE: ", auth::RoleName(caller.role), " ",
                   caller.scope, " has no access to this ", what));
}

}  // namespace

absl::Status RequireUnscoped(const auth::Principal& caller) {
  if (!auth::IsScopedRole(caller.role)) return absl::OkStatus();
  return OutOfScope(caller, "record");
}

absl::Status CheckProjectScope(const auth::Principal& caller,
                               const domain::project::ProjectState& state,
                               absl::string_view partner_in_request) {
  switch (caller.role) {
    case ROLE_CPAS:
      if (state.opened && state.employing_cpas_id == caller.scope) {
        return absl::OkStatus();
      }
      return OutOfScope(caller, "project");
    case ROLE_MENTOR:
      if (state.opened && state.mentor_id == caller.scope) {
        return absl::OkStatus();
      }
      return OutOfScope(caller, "project");
    case ROLE_PARTNER: {
      if (absl::Status own =
              CheckPartnerOrganisation(caller, partner_in_request);
          !own.ok()) {
        return own;
      }
      for (const auto& [id, handoff] : state.handoffs) {
        if (handoff.partner_organisation_id == caller.scope) {
          return absl::OkStatus();
        }
      }
      return OutOfScope(caller, "project");
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status CheckApplicationScope(const auth::Principal& caller,
                                   absl::string_view cpas_id) {
  if (caller.role == ROLE_CPAS) {
    if (!cpas_id.empty() && cpas_id == caller.scope) return absl::OkStatus();
    return OutOfScope(caller, "application");
  }
  return RequireUnscoped(caller);
}

absl::Status CheckProjectViewScope(const auth::Principal& caller,
                                   const coopcraft::v1::ProjectView& view) {
  switch (caller.role) {
    case ROLE_CPAS:
      if (view.employing_cpas_id() == caller.scope) return absl::OkStatus();
      return OutOfScope(caller, "project");
    case ROLE_MENTOR:
      if (view.mentoring().mentor_id() == caller.scope) {
        return absl::OkStatus();
      }
      return OutOfScope(caller, "project");
    default:
      return RequireUnscoped(caller);
  }
}

absl::Status CheckHandOffScope(const auth::Principal& caller,
                               const coopcraft::v1::HandOffView& view) {
  if (caller.role == ROLE_PARTNER) {
    return CheckPartnerOrganisation(caller, view.partner_organisation_id());
  }
  return RequireUnscoped(caller);
}

absl::Status CheckPartnerOrganisation(const auth::Principal& caller,
                                      absl::string_view partner_id) {
  if (caller.role != ROLE_PARTNER || partner_id == caller.scope) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("OUT_OF_SCOPE: partner ", caller.scope,
                   " may only act for its own organisation, not ", partner_id));
}

}  // namespace coopcraft::api

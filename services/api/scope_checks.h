// Row scope: a CPAS sees its beneficiaries, a mentor their mentees, a
// partner the hand-offs addressed to it. The guard has already checked the
// role may call the method at all; these check the records it touches.
//
// Out-of-scope and missing records get the same PERMISSION_DENIED, so a
// scoped caller cannot probe which ids exist elsewhere.
#ifndef COOPCRAFT_SERVICES_API_SCOPE_CHECKS_H_
#define COOPCRAFT_SERVICES_API_SCOPE_CHECKS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "coopcraft/v1/query_service.pb.h"
#include "coopcraft/v1/tracker_views.pb.h"
#include "services/auth/principal.h"
#include "services/domain/project/project_state.h"
#include "services/domain/selection/application.h"

namespace coopcraft::api {

// OK for unscoped roles; PERMISSION_DENIED for CPAS, MENTOR and PARTNER.
// For records that belong to no CPAS, mentee or partner (calls, cohorts):
// failing closed if the matrix ever lets a scoped role near them.
absl::Status RequireUnscoped(const auth::Principal& caller);

// A project: its employing CPAS, its current mentor, or a partner with a
// hand-off on it. `partner_in_request` is the organisation a partner's
// command names; it must be the partner's own.
absl::Status CheckProjectScope(const auth::Principal& caller,
                               const domain::project::ProjectState& state,
                               absl::string_view partner_in_request);

// An application: its CPAS of origin (`cpas_id`, from the stored
// application, or from the request for a new one).
absl::Status CheckApplicationScope(const auth::Principal& caller,
                                   absl::string_view cpas_id);

// A project as the project view shows it.
absl::Status CheckProjectViewScope(const auth::Principal& caller,
                                   const coopcraft::v1::ProjectView& view);

// A hand-off as the hand-off view shows it.
absl::Status CheckHandOffScope(const auth::Principal& caller,
                               const coopcraft::v1::HandOffView& view);

// A partner may only name its own organisation.
absl::Status CheckPartnerOrganisation(const auth::Principal& caller,
                                      absl::string_view partner_id);

// Scope functors for HandleCommand, one per aggregate.
struct ProjectCommandScope {
  template <typename Request>
  absl::Status operator()(const auth::Principal& caller,
                          const domain::project::ProjectState& state,
                          const Request& request) const {
    if constexpr (requires { request.partner_organisation_id(); }) {
      return CheckProjectScope(caller, state,
                               request.partner_organisation_id());
    } else {
      return CheckProjectScope(caller, state, "");
    }
  }
};

struct ApplicationCommandScope {
  template <typename Request>
  absl::Status operator()(const auth::Principal& caller,
                          const domain::selection::ApplicationState& state,
                          const Request& request) const {
    if constexpr (requires { request.cpas_id(); }) {
      // A new application: the CPAS it is filed for.
      if (!state.exists)
        return CheckApplicationScope(caller, request.cpas_id());
    }
    return CheckApplicationScope(caller, state.exists ? state.cpas_id : "");
  }
};

struct UnscopedCommandScope {
  template <typename State, typename Request>
  absl::Status operator()(const auth::Principal& caller, const State&,
                          const Request&) const {
    return RequireUnscoped(caller);
  }
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_SCOPE_CHECKS_H_

// What every decider receives besides state and command, and the error
// vocabulary of domain rules.
#ifndef COOPCRAFT_SERVICES_DOMAIN_DECISION_H_
#define COOPCRAFT_SERVICES_DOMAIN_DECISION_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "coopcraft/v1/common.pb.h"

namespace coopcraft::domain {

// Facts about the moment and the caller that rules may depend on. Passed in
// so deciders stay pure and tests can fix "today".
struct DecisionContext {
  // Today's civil date in Europe/Brussels.
  coopcraft::v1::Date today;
  // Opaque id of the principal issuing the command.
  std::string actor;
};

// "RULE: explanation": the message of every refusal that carries a reason.
// `rule` is a stable UPPER_SNAKE_CASE reason a client may branch on; the
// gRPC edge turns the prefix into a google.rpc.ErrorInfo.
inline std::string ReasonMessage(std::string_view rule,
                                 std::string_view explanation) {
  // Debian's Abseil has its own string_view, so std::string_view is joined
  // by hand rather than through absl::StrCat.
  std::string message(rule);
  message.append(": ").append(explanation);
  return message;
}

// A broken programme rule: FAILED_PRECONDITION ("don't retry until the state
// changes").
inline absl::Status RuleViolation(std::string_view rule,
                                  std::string_view explanation) {
  return absl::FailedPreconditionError(ReasonMessage(rule, explanation));
}

// A record the command names does not exist: an aggregate with no events
// (a call, an application, a project) or a record within one (a milestone,
// a funding application, a hand-off of the project). NOT_FOUND.
inline absl::Status NotFound(std::string_view rule,
                             std::string_view explanation) {
  return absl::NotFoundError(ReasonMessage(rule, explanation));
}

}  // namespace coopcraft::domain

#endif  // COOPCRAFT_SERVICES_DOMAIN_DECISION_H_

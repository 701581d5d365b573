// Decider of a call for applications (stream "call-<call_id>"): it opens
// once and closes once. Applications are their own aggregate (application.h)
// and read the call's state when they are submitted.
#ifndef COOPCRAFT_SERVICES_DOMAIN_SELECTION_CALL_H_
#define COOPCRAFT_SERVICES_DOMAIN_SELECTION_CALL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "coopcraft/v1/common.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "coopcraft/v1/selection_service.pb.h"
#include "services/domain/decision.h"

namespace coopcraft::domain::selection {

// "call-<call_id>". Call ids are opaque, so the name holds no personal data.
std::string CallStream(std::string_view call_id);

// Everything the rules need to know about a call, folded from its events.
struct CallState {
  // True once CallOpened was folded.
  bool exists = false;
  // Events folded so far; the stream's next revision.
  uint64_t event_count = 0;
  std::string call_id;
  v1::Date opens_on;
  v1::Date closes_on;
  std::vector<std::string> partner_cpas_ids;
  std::vector<v1::RubricCriterion> rubric;
  int32_t places = 0;
  bool closed = false;
  v1::Date closed_on;  // Set when closed.
};

// True when `cpas_id` is one of the call's partner CPAS.
bool IsPartnerCpas(const CallState& call, std::string_view cpas_id);

// Folds one event. Holds no rules and never fails; an event case this build
// does not know is counted and otherwise ignored.
CallState Evolve(CallState state, const v1::CallEvent& event);

// Opens the call. Refuses CALL_ALREADY_OPENED, CALL_CLOSES_BEFORE_OPENING,
// CALL_CLOSING_DATE_PASSED.
absl::StatusOr<std::vector<v1::CallEvent>> Decide(
    const CallState& state, const v1::OpenCallRequest& command,
    const DecisionContext& context);

// Closes the call. NOT_FOUND CALL_NOT_FOUND; refuses CALL_ALREADY_CLOSED,
// CALL_CLOSED_BEFORE_OPENING, DATE_IN_FUTURE.
absl::StatusOr<std::vector<v1::CallEvent>> Decide(
    const CallState& state, const v1::CloseCallRequest& command,
    const DecisionContext& context);

}  // namespace coopcraft::domain::selection

#endif  // COOPCRAFT_SERVICES_DOMAIN_SELECTION_CALL_H_

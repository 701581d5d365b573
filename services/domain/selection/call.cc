// Rules of a call for applications.
#include "services/domain/selection/call.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "services/domain/date.h"
#include "services/domain/selection/checks.h"

namespace coopcraft::domain::selection {

std::string CallStream(std::string_view call_id) {
  // Plain append: Debian's absl::StrCat takes no std::string_view.
  std::string stream = "call-";
  stream.append(call_id);
  return stream;
}

bool IsPartnerCpas(const CallState& call, std::string_view cpas_id) {
  return std::find(call.partner_cpas_ids.begin(), call.partner_cpas_ids.end(),
                   cpas_id) != call.partner_cpas_ids.end();
}

CallState Evolve(CallState state, const v1::CallEvent& event) {
  ++state.event_count;
  switch (event.event_case()) {
    case v1::CallEvent::kCallOpened: {
      const v1::CallOpened& e = event.call_opened();
      state.exists = true;
      state.call_id = e.call_id();
      state.opens_on = e.opens_on();
      state.closes_on = e.closes_on();
      state.partner_cpas_ids.assign(e.partner_cpas_ids().begin(),
                                    e.partner_cpas_ids().end());
      state.rubric.assign(e.rubric().begin(), e.rubric().end());
      state.places = e.places();
      break;
    }
    case v1::CallEvent::kCallClosed:
      state.closed = true;
      state.closed_on = event.call_closed().closed_on();
      break;
    case v1::CallEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

absl::StatusOr<std::vector<v1::CallEvent>> Decide(
    const CallState& state, const v1::OpenCallRequest& command,
    const DecisionContext& context) {
  if (state.exists) {
    return RuleViolation(
        "CALL_ALREADY_OPENED",
        absl::StrCat("call ", command.call_id(), " was already opened"));
  }
  if (!DateBefore(command.opens_on(), command.closes_on())) {
    return RuleViolation(
        "CALL_CLOSES_BEFORE_OPENING",
        absl::StrCat("the closing date ", FormatDate(command.closes_on()),
                     " must come after the opening date ",
                     FormatDate(command.opens_on())));
  }
  // A call nobody can apply to any more would only clutter the funnel.
  if (DateBefore(command.closes_on(), context.today)) {
    return RuleViolation(
        "CALL_CLOSING_DATE_PASSED",
        absl::StrCat("the closing date ", FormatDate(command.closes_on()),
                     " has already passed"));
  }
  v1::CallEvent event;
  v1::CallOpened* opened = event.mutable_call_opened();
  opened->set_call_id(command.call_id());
  opened->set_title(command.title());
  opened->set_description(command.description());
  *opened->mutable_opens_on() = command.opens_on();
  *opened->mutable_closes_on() = command.closes_on();
  *opened->mutable_partner_cpas_ids() = command.partner_cpas_ids();
  *opened->mutable_rubric() = command.rubric();
  opened->set_places(command.places());
  return std::vector<v1::CallEvent>{std::move(event)};
}

absl::StatusOr<std::vector<v1::CallEvent>> Decide(
    const CallState& state, const v1::CloseCallRequest& command,
    const DecisionContext& context) {
  if (!state.exists) {
    return NotFound("CALL_NOT_FOUND", absl::StrCat("call ", command.call_id(),
                                                   " was never opened"));
  }
  if (state.closed) {
    return RuleViolation("CALL_ALREADY_CLOSED",
                         absl::StrCat("call ", state.call_id, " was closed on ",
                                      FormatDate(state.closed_on)));
  }
  if (DateBefore(command.closed_on(), state.opens_on)) {
    return RuleViolation(
        "CALL_CLOSED_BEFORE_OPENING",
        absl::StrCat("a call opening on ", FormatDate(state.opens_on),
                     " cannot close on ", FormatDate(command.closed_on())));
  }
  RETURN_IF_ERROR(
      RequireNotInFuture(command.closed_on(), "the closing day", context));
  v1::CallEvent event;
  v1::CallClosed* closed = event.mutable_call_closed();
  closed->set_call_id(state.call_id);
  *closed->mutable_closed_on() = command.closed_on();
  closed->set_closed_early(DateBefore(command.closed_on(), state.closes_on));
  return std::vector<v1::CallEvent>{std::move(event)};
}

}  // namespace coopcraft::domain::selection

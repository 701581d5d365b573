// Checks shared by the project deciders. Internal to services/domain/project;
// each returns OK or the refusal with its stable reason.
#ifndef COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_RULES_H_
#define COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_RULES_H_

#include <cstdint>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "coopcraft/v1/common.pb.h"
#include "coopcraft/v1/project_events.pb.h"
#include "services/domain/decision.h"
#include "services/domain/project/project_decider.h"
#include "services/domain/project/project_state.h"

namespace coopcraft::domain::project::rules {

// NOT_FOUND "PROJECT_NOT_FOUND" before ProjectOpened; "PROJECT_CLOSED" once
// closed, because nothing may be recorded on a closed project.
absl::Status RequireOpen(const ProjectState& state);

// "DATE_BEFORE_CONTRACT_START": `what` (e.g. "the action") on `date` falls
// before the contract's first day.
absl::Status RequireNotBeforeStart(const ProjectState& state,
                                   const coopcraft::v1::Date& date,
                                   absl::string_view what);

// "DATE_IN_FUTURE": a fact that already happened cannot be dated after today.
absl::Status RequireNotInFuture(const coopcraft::v1::Date& date,
                                const DecisionContext& context,
                                absl::string_view what);

// "DATE_AFTER_CONTRACT_END": work dated after an ended contract's last day.
absl::Status RequireNotAfterContractEnd(const ProjectState& state,
                                        const coopcraft::v1::Date& date,
                                        absl::string_view what);

// The three above: work that happened during the contract.
absl::Status RequireWorkDate(const ProjectState& state,
                             const coopcraft::v1::Date& date,
                             const DecisionContext& context,
                             absl::string_view what);

// "CONTRACT_NOT_STARTED" when today is before the contract start.
absl::Status RequireContractStarted(const ProjectState& state,
                                    const DecisionContext& context,
                                    absl::string_view what);

// "CONTRACT_ENDED" once the contract ended.
absl::Status RequireContractNotEnded(const ProjectState& state,
                                     absl::string_view what);

// "DATE_RANGE_INVERTED" when `last` is before `first`.
absl::Status RequireOrderedRange(const coopcraft::v1::Date& first,
                                 const coopcraft::v1::Date& last,
                                 absl::string_view what);

// INVALID_ARGUMENT for an unset or unknown deliverable kind; validation
// refuses these first, Decide double-checks because it indexes by kind.
absl::Status RequireKnownKind(coopcraft::v1::DeliverableKind kind);

// The remaining worked days counted on working days after
// `last_period_end`, or from the contract start (included) when no period
// was recorded yet.
coopcraft::v1::Date ExpectedEndDate(
    const coopcraft::v1::Date& contract_start,
    const std::optional<coopcraft::v1::Date>& last_period_end,
    int32_t remaining_days);

// The latest end of the recorded worked periods, if any.
std::optional<coopcraft::v1::Date> LastPeriodEnd(const ProjectState& state);

// Wraps one event as Decide's result.
inline ProjectEvents One(coopcraft::v1::ProjectEvent event) {
  ProjectEvents events;
  events.push_back(std::move(event));
  return events;
}

}  // namespace coopcraft::domain::project::rules

#endif  // COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_RULES_H_

// Checks shared by the project deciders.
#include "services/domain/project/project_rules.h"

#include "absl/strings/str_cat.h"
#include "services/domain/date.h"
#include "services/domain/project/working_days.h"

namespace coopcraft::domain::project::rules {

namespace v1 = ::coopcraft::v1;

absl::Status RequireOpen(const ProjectState& state) {
  if (!state.opened) {
    return NotFound("PROJECT_NOT_FOUND",
                    "no project has been opened with this id");
  }
  if (state.closed) {
    return RuleViolation("PROJECT_CLOSED",
                         "the project is closed; nothing more is recorded");
  }
  return absl::OkStatus();
}

absl::Status RequireNotBeforeStart(const ProjectState& state,
                                   const v1::Date& date,
                                   absl::string_view what) {
  if (DateBefore(date, state.contract_start_date)) {
    return RuleViolation("DATE_BEFORE_CONTRACT_START",
                         absl::StrCat(what, " on ", FormatDate(date),
                                      " is before the contract start on ",
                                      FormatDate(state.contract_start_date)));
  }
  return absl::OkStatus();
}

absl::Status RequireNotInFuture(const v1::Date& date,
                                const DecisionContext& context,
                                absl::string_view what) {
  if (DateBefore(context.today, date)) {
    return RuleViolation("DATE_IN_FUTURE",
                         absl::StrCat(what, " on ", FormatDate(date),
                                      " has not happened yet (today is ",
                                      FormatDate(context.today), ")"));
  }
  return absl::OkStatus();
}

absl::Status RequireNotAfterContractEnd(const ProjectState& state,
                                        const v1::Date& date,
                                        absl::string_view what) {
  if (state.contract_ended && DateBefore(state.contract_ended_on, date)) {
    return RuleViolation("DATE_AFTER_CONTRACT_END",
                         absl::StrCat(what, " on ", FormatDate(date),
                                      " is after the contract ended on ",
                                      FormatDate(state.contract_ended_on)));
  }
  return absl::OkStatus();
}

absl::Status RequireWorkDate(const ProjectState& state, const v1::Date& date,
                             const DecisionContext& context,
                             absl::string_view what) {
  if (auto status = RequireNotBeforeStart(state, date, what); !status.ok()) {
    return status;
  }
  if (auto status = RequireNotInFuture(date, context, what); !status.ok()) {
    return status;
  }
  return RequireNotAfterContractEnd(state, date, what);
}

absl::Status RequireContractStarted(const ProjectState& state,
                                    const DecisionContext& context,
                                    absl::string_view what) {
  if (DateBefore(context.today, state.contract_start_date)) {
    return RuleViolation(
        "CONTRACT_NOT_STARTED",
        absl::StrCat(what, " needs a started contract; it starts on ",
                     FormatDate(state.contract_start_date)));
  }
  return absl::OkStatus();
}

absl::Status RequireContractNotEnded(const ProjectState& state,
                                     absl::string_view what) {
  if (state.contract_ended) {
    return RuleViolation(
        "CONTRACT_ENDED",
        absl::StrCat(what, " is not possible: the contract ended on ",
                     FormatDate(state.contract_ended_on)));
  }
  return absl::OkStatus();
}

absl::Status RequireOrderedRange(const v1::Date& first, const v1::Date& last,
                                 absl::string_view what) {
  if (DateBefore(last, first)) {
    return RuleViolation(
        "DATE_RANGE_INVERTED",
        absl::StrCat(what, " ends on ", FormatDate(last),
                     ", before it starts on ", FormatDate(first)));
  }
  return absl::OkStatus();
}

absl::Status RequireKnownKind(v1::DeliverableKind kind) {
  if (kind == v1::DELIVERABLE_KIND_UNSPECIFIED ||
      !v1::DeliverableKind_IsValid(kind)) {
    return absl::InvalidArgumentError("kind: not a known deliverable kind");
  }
  return absl::OkStatus();
}

v1::Date ExpectedEndDate(const v1::Date& contract_start,
                         const std::optional<v1::Date>& last_period_end,
                         int32_t remaining_days) {
  // Counting starts on the contract's first day itself, or on the day after
  // the last recorded period.
  const absl::CivilDay counted_until = last_period_end.has_value()
                                           ? ToCivilDay(*last_period_end)
                                           : ToCivilDay(contract_start) - 1;
  if (remaining_days <= 0) return FromCivilDay(counted_until);
  return FromCivilDay(NthCountedDayAfter(counted_until, remaining_days));
}

std::optional<v1::Date> LastPeriodEnd(const ProjectState& state) {
  std::optional<v1::Date> last;
  for (const WorkedPeriod& period : state.worked_periods) {
    if (!last.has_value() || DateBefore(*last, period.end)) last = period.end;
  }
  return last;
}

}  // namespace coopcraft::domain::project::rules

// Rules of the contract's life: opening the project with its Article 60 §7
// contract, worked days, the end of the contract and the project's closure.
#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "services/domain/date.h"
#include "services/domain/project/contract_rule.h"
#include "services/domain/project/project_decider.h"
#include "services/domain/project/project_rules.h"
#include "services/domain/project/working_days.h"

namespace coopcraft::domain::project {

namespace v1 = ::coopcraft::v1;
using rules::One;

namespace {

// Funders' age bands; they are the historic contract bands so that reports
// line up with contract lengths.
v1::AgeBand AgeBandOf(int age) {
  if (age >= 50) return v1::AGE_BAND_50_AND_OVER;
  if (age >= 36) return v1::AGE_BAND_36_TO_49;
  return v1::AGE_BAND_UNDER_36;
}

}  // namespace

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::OpenProjectRequest& command,
                                     const SelectedCandidate& candidate,
                                     const DecisionContext& context) {
  if (state.opened) {
    return RuleViolation("PROJECT_ALREADY_OPENED",
                         "a project was already opened from this application");
  }
  if (command.project_id() != candidate.application_id) {
    return RuleViolation(
        "PROJECT_ID_NOT_APPLICATION_ID",
        "a project's id must be the id of the application it is opened from");
  }
  if (!candidate.selected) {
    return RuleViolation(
        "CANDIDATE_NOT_SELECTED",
        "a project opens only from an application whose candidate is "
        "selected");
  }
  if (command.employing_cpas_id() != candidate.cpas_id) {
    return RuleViolation(
        "EMPLOYING_CPAS_MISMATCH",
        absl::StrCat("under Article 60 §7 the employer is the candidate's own "
                     "CPAS (",
                     candidate.cpas_id, "), not ",
                     command.employing_cpas_id()));
  }
  const v1::Date& start = command.contract_start_date();
  if (!IsValidDate(candidate.birth_date) ||
      !DateBefore(candidate.birth_date, start)) {
    return RuleViolation(
        "CANDIDATE_BIRTH_DATE_INVALID",
        "the candidate's birth date is missing or not before the contract "
        "start, so the contract's target cannot be fixed");
  }
  const int age = AgeOn(candidate.birth_date, start);
  ASSIGN_OR_RETURN(ContractTarget target,
                   TargetWorkedDays(ToCivilDay(start), age));
  // The rule set in force at the start fixes the target, so a start dated
  // before the selection would also pick an older, longer contract.
  if (!IsValidDate(candidate.selected_on) ||
      DateBefore(start, candidate.selected_on)) {
    return RuleViolation(
        "CONTRACT_START_BEFORE_SELECTION",
        absl::StrCat("the contract cannot start on ", FormatDate(start),
                     ", before the candidate was selected (",
                     IsValidDate(candidate.selected_on)
                         ? FormatDate(candidate.selected_on)
                         : std::string("no selection day recorded"),
                     ")"));
  }

  v1::ProjectEvent event;
  v1::ProjectOpened* opened = event.mutable_project_opened();
  opened->set_project_id(command.project_id());
  opened->set_call_id(candidate.call_id);
  opened->set_person_id(candidate.person_id);
  opened->set_employing_cpas_id(command.employing_cpas_id());
  opened->set_user_organisation_id(command.user_organisation_id());
  opened->set_title(command.title());
  *opened->mutable_contract_start_date() = start;
  opened->set_contract_rule_set(target.rule_set);
  opened->set_age_at_start(age);
  opened->set_target_worked_days(target.target_days);
  *opened->mutable_expected_end_date() =
      rules::ExpectedEndDate(start, std::nullopt, target.target_days);
  opened->set_gender_category(candidate.gender_category);
  opened->set_age_band(AgeBandOf(age));
  opened->set_months_on_integration_income(
      candidate.months_on_integration_income);
  opened->set_coach_id(command.coach_id());
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::RecordWorkedDaysRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  const v1::Date& first = command.period_start();
  const v1::Date& last = command.period_end();
  RETURN_IF_ERROR(rules::RequireOrderedRange(first, last, "the period"));
  RETURN_IF_ERROR(rules::RequireWorkDate(state, first, context, "the period"));
  RETURN_IF_ERROR(rules::RequireWorkDate(state, last, context, "the period"));
  if (command.days() < 0) {
    return absl::InvalidArgumentError("days: must not be negative");
  }
  const int64_t countable =
      CountedDaysBetween(ToCivilDay(first), ToCivilDay(last));
  if (command.days() > countable) {
    return RuleViolation(
        "WORKED_DAYS_EXCEED_PERIOD",
        absl::StrCat(command.days(), " days cannot be worked from ",
                     FormatDate(first), " to ", FormatDate(last),
                     ", which holds ", countable,
                     " days of the six-day regime (Monday to Saturday)"));
  }
  for (const WorkedPeriod& period : state.worked_periods) {
    if (!DateBefore(last, period.start) && !DateBefore(period.end, first)) {
      return RuleViolation(
          "WORKED_DAYS_PERIOD_OVERLAP",
          absl::StrCat("the period overlaps the recorded period from ",
                       FormatDate(period.start), " to ",
                       FormatDate(period.end)));
    }
  }
  const int32_t total = state.worked_days + command.days();
  if (total > state.target_worked_days) {
    return RuleViolation(
        "WORKED_DAYS_EXCEED_TARGET",
        absl::StrCat(total,
                     " worked days would exceed the contract's target "
                     "of ",
                     state.target_worked_days));
  }
  std::optional<v1::Date> last_end = rules::LastPeriodEnd(state);
  if (!last_end.has_value() || DateBefore(*last_end, last)) last_end = last;
  const int32_t remaining = state.target_worked_days - total;

  v1::ProjectEvent event;
  v1::WorkedDaysRecorded* recorded = event.mutable_worked_days_recorded();
  recorded->set_project_id(state.project_id);
  *recorded->mutable_period_start() = first;
  *recorded->mutable_period_end() = last;
  recorded->set_days(command.days());
  recorded->set_total_worked_days(total);
  recorded->set_target_worked_days(state.target_worked_days);
  recorded->set_remaining_days(remaining);
  *recorded->mutable_expected_end_date() =
      rules::ExpectedEndDate(state.contract_start_date, last_end, remaining);
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::EndContractRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  if (state.contract_ended) {
    return RuleViolation("CONTRACT_ALREADY_ENDED",
                         absl::StrCat("the contract already ended on ",
                                      FormatDate(state.contract_ended_on)));
  }
  const v1::Date& ended_on = command.ended_on();
  RETURN_IF_ERROR(
      rules::RequireNotBeforeStart(state, ended_on, "the contract's end"));
  RETURN_IF_ERROR(
      rules::RequireNotInFuture(ended_on, context, "the contract's end"));
  if (state.latest_work_date.has_value() &&
      DateBefore(ended_on, *state.latest_work_date)) {
    return RuleViolation(
        "CONTRACT_END_BEFORE_RECORDED_WORK",
        absl::StrCat("work is recorded up to ",
                     FormatDate(*state.latest_work_date),
                     ", after the requested end on ", FormatDate(ended_on)));
  }
  std::string partner;
  if (command.exit_outcome() == v1::EXIT_OUTCOME_HAND_OFF) {
    if (state.accepted_handoff_id.empty()) {
      return RuleViolation(
          "HANDOFF_NOT_ACCEPTED",
          "a hand-off exit needs a hand-off accepted by a partner");
    }
    partner =
        state.handoffs.at(state.accepted_handoff_id).partner_organisation_id;
  }

  v1::ProjectEvent event;
  v1::ContractEnded* ended = event.mutable_contract_ended();
  ended->set_project_id(state.project_id);
  *ended->mutable_ended_on() = ended_on;
  ended->set_exit_outcome(command.exit_outcome());
  ended->set_worked_days(state.worked_days);
  ended->set_target_worked_days(state.target_worked_days);
  ended->set_target_reached(state.worked_days >= state.target_worked_days);
  ended->set_partner_organisation_id(partner);
  if (command.has_notes()) *ended->mutable_notes() = command.notes();
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::CloseProjectRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  if (!state.contract_ended) {
    return RuleViolation("CONTRACT_NOT_ENDED",
                         "a project closes only after its contract ended");
  }
  if (!state.pending_handoff_id.empty()) {
    return RuleViolation("HANDOFF_PENDING",
                         absl::StrCat("hand-off ", state.pending_handoff_id,
                                      " awaits the partner's answer"));
  }
  v1::ProjectEvent event;
  v1::ProjectClosed* closed = event.mutable_project_closed();
  closed->set_project_id(state.project_id);
  *closed->mutable_closed_on() = context.today;
  closed->set_exit_outcome(state.exit_outcome);
  closed->set_worked_days(state.worked_days);
  if (!state.accepted_handoff_id.empty()) {
    closed->set_handed_off_to(
        state.handoffs.at(state.accepted_handoff_id).partner_organisation_id);
  }
  return One(std::move(event));
}

}  // namespace coopcraft::domain::project

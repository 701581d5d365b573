// Rules of the hand-off: the programme proposes a project that is not
// autonomous to a partner organisation, which accepts or declines it once.
#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "services/domain/date.h"
#include "services/domain/project/project_decider.h"
#include "services/domain/project/project_rules.h"

namespace coopcraft::domain::project {

namespace v1 = ::coopcraft::v1;
using rules::One;

namespace {

// OK when `handoff_id` is pending and addressed to `partner`.
absl::Status RequirePendingHandOffFor(const ProjectState& state,
                                      const std::string& handoff_id,
                                      const std::string& partner) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  auto it = state.handoffs.find(handoff_id);
  if (it == state.handoffs.end()) {
    return NotFound("HANDOFF_NOT_FOUND",
                    absl::StrCat("the project has no hand-off ", handoff_id));
  }
  const HandOff& handoff = it->second;
  if (handoff.partner_organisation_id != partner) {
    return RuleViolation(
        "HANDOFF_NOT_ADDRESSED_TO_PARTNER",
        absl::StrCat("hand-off ", handoff_id,
                     " is not addressed to organisation ", partner));
  }
  if (handoff.status != HandOffStatus::kPending) {
    return RuleViolation(
        "HANDOFF_ALREADY_ANSWERED",
        absl::StrCat("hand-off ", handoff_id, " was already ",
                     handoff.status == HandOffStatus::kAccepted ? "accepted"
                                                                : "declined"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::ProposeHandOffRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  if (!state.evaluated) {
    return RuleViolation(
        "EVALUATION_REQUIRED",
        "a hand-off needs the project's final evaluation first");
  }
  if (state.handoffs.contains(command.handoff_id())) {
    return RuleViolation(
        "HANDOFF_ALREADY_EXISTS",
        absl::StrCat("hand-off ", command.handoff_id(), " already exists"));
  }
  if (!state.accepted_handoff_id.empty()) {
    return RuleViolation("PROJECT_ALREADY_HANDED_OFF",
                         absl::StrCat("hand-off ", state.accepted_handoff_id,
                                      " was already accepted"));
  }
  if (!state.pending_handoff_id.empty()) {
    return RuleViolation(
        "HANDOFF_PENDING",
        absl::StrCat("hand-off ", state.pending_handoff_id,
                     " awaits the partner's answer; one proposal at a time"));
  }
  const v1::ShareConsent& consent = command.dossier().consent();
  if (!consent.given()) {
    return RuleViolation(
        "HANDOFF_CONSENT_MISSING",
        "the participant's consent to share the dossier must be recorded");
  }
  RETURN_IF_ERROR(
      rules::RequireNotInFuture(consent.given_on(), context, "the consent"));

  v1::ProjectEvent event;
  v1::HandOffProposed* proposed = event.mutable_hand_off_proposed();
  proposed->set_project_id(state.project_id);
  proposed->set_handoff_id(command.handoff_id());
  proposed->set_partner_organisation_id(command.partner_organisation_id());
  proposed->set_person_id(state.person_id);
  *proposed->mutable_dossier() = command.dossier();
  // Work made under an employment contract is presumed the employer's.
  v1::IntellectualProperty* ip =
      proposed->mutable_dossier()->mutable_intellectual_property();
  if (ip->status() == v1::INTELLECTUAL_PROPERTY_STATUS_UNSPECIFIED) {
    ip->set_status(v1::INTELLECTUAL_PROPERTY_STATUS_EMPLOYER_OWNED);
  }
  v1::ContractStanding* contract = proposed->mutable_contract();
  *contract->mutable_start_date() = state.contract_start_date;
  *contract->mutable_end_date() =
      state.contract_ended ? state.contract_ended_on : state.expected_end_date;
  contract->set_ended(state.contract_ended);
  contract->set_worked_days(state.worked_days);
  contract->set_target_days(state.target_worked_days);
  proposed->set_autonomy_level(state.autonomy_level);
  *proposed->mutable_proposed_on() = context.today;
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::AcceptHandOffRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(RequirePendingHandOffFor(state, command.handoff_id(),
                                           command.partner_organisation_id()));
  v1::ProjectEvent event;
  v1::HandOffAccepted* accepted = event.mutable_hand_off_accepted();
  accepted->set_project_id(state.project_id);
  accepted->set_handoff_id(command.handoff_id());
  accepted->set_partner_organisation_id(command.partner_organisation_id());
  *accepted->mutable_accepted_on() = context.today;
  accepted->set_comment(command.comment());
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::DeclineHandOffRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(RequirePendingHandOffFor(state, command.handoff_id(),
                                           command.partner_organisation_id()));
  v1::ProjectEvent event;
  v1::HandOffDeclined* declined = event.mutable_hand_off_declined();
  declined->set_project_id(state.project_id);
  declined->set_handoff_id(command.handoff_id());
  declined->set_partner_organisation_id(command.partner_organisation_id());
  *declined->mutable_declined_on() = context.today;
  declined->set_reason(command.reason());
  return One(std::move(event));
}

}  // namespace coopcraft::domain::project

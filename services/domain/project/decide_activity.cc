// Rules of the follow-up lines: actions, milestones (the Gantt chart),
// premises and equipment requests, funding applications, partners and
// communication.
#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "services/domain/date.h"
#include "services/domain/project/project_decider.h"
#include "services/domain/project/project_rules.h"

namespace coopcraft::domain::project {

namespace v1 = ::coopcraft::v1;
using rules::One;

namespace {

// "<REASON>" when `id` already names a `what` of the project.
template <typename Map>
absl::Status RequireNewId(const Map& entities, const std::string& id,
                          const std::string& reason, absl::string_view what) {
  if (entities.contains(id)) {
    return RuleViolation(reason,
                         absl::StrCat(what, " ", id, " is already recorded"));
  }
  return absl::OkStatus();
}

// The entity named `id`, or NOT_FOUND "<REASON>" when the project has none.
template <typename Map>
absl::StatusOr<const typename Map::mapped_type*> Find(const Map& entities,
                                                      const std::string& id,
                                                      const std::string& reason,
                                                      absl::string_view what) {
  auto it = entities.find(id);
  if (it == entities.end()) {
    return NotFound(reason, absl::StrCat("the project has no ", what, " ", id));
  }
  return &it->second;
}

}  // namespace

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::LogActionRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  RETURN_IF_ERROR(RequireNewId(state.actions, command.action_id(),
                               "ACTION_ALREADY_LOGGED", "action"));
  RETURN_IF_ERROR(rules::RequireWorkDate(state, command.occurred_on(), context,
                                         "the action"));
  v1::ProjectEvent event;
  v1::ActionLogged* action = event.mutable_action_logged();
  action->set_project_id(state.project_id);
  action->set_action_id(command.action_id());
  action->set_line(command.line());
  *action->mutable_occurred_on() = command.occurred_on();
  action->set_title(command.title());
  action->set_description(command.description());
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::PlanMilestoneRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  RETURN_IF_ERROR(RequireNewId(state.milestones, command.milestone_id(),
                               "MILESTONE_ALREADY_PLANNED", "milestone"));
  RETURN_IF_ERROR(rules::RequireOrderedRange(
      command.start_date(), command.end_date(), "the milestone"));
  RETURN_IF_ERROR(rules::RequireNotBeforeStart(state, command.start_date(),
                                               "the milestone"));
  v1::ProjectEvent event;
  v1::MilestonePlanned* planned = event.mutable_milestone_planned();
  planned->set_project_id(state.project_id);
  planned->set_milestone_id(command.milestone_id());
  planned->set_title(command.title());
  *planned->mutable_start_date() = command.start_date();
  *planned->mutable_end_date() = command.end_date();
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::MoveMilestoneRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  ASSIGN_OR_RETURN(const Milestone* milestone,
                   Find(state.milestones, command.milestone_id(),
                        "MILESTONE_NOT_FOUND", "milestone"));
  if (milestone->completed) {
    return RuleViolation("MILESTONE_ALREADY_COMPLETED",
                         absl::StrCat("milestone ", command.milestone_id(),
                                      " is completed; its dates are history"));
  }
  RETURN_IF_ERROR(rules::RequireOrderedRange(
      command.start_date(), command.end_date(), "the milestone"));
  RETURN_IF_ERROR(rules::RequireNotBeforeStart(state, command.start_date(),
                                               "the milestone"));
  if (CompareDates(command.start_date(), milestone->start_date) == 0 &&
      CompareDates(command.end_date(), milestone->end_date) == 0) {
    return RuleViolation("MILESTONE_NOT_MOVED",
                         "the new dates are the milestone's current dates");
  }
  v1::ProjectEvent event;
  v1::MilestoneMoved* moved = event.mutable_milestone_moved();
  moved->set_project_id(state.project_id);
  moved->set_milestone_id(command.milestone_id());
  *moved->mutable_previous_start_date() = milestone->start_date;
  *moved->mutable_previous_end_date() = milestone->end_date;
  *moved->mutable_start_date() = command.start_date();
  *moved->mutable_end_date() = command.end_date();
  moved->set_reason(command.reason());
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state, const v1::CompleteMilestoneRequest& command,
    const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  ASSIGN_OR_RETURN(const Milestone* milestone,
                   Find(state.milestones, command.milestone_id(),
                        "MILESTONE_NOT_FOUND", "milestone"));
  if (milestone->completed) {
    return RuleViolation("MILESTONE_ALREADY_COMPLETED",
                         absl::StrCat("milestone ", command.milestone_id(),
                                      " is already completed"));
  }
  RETURN_IF_ERROR(rules::RequireWorkDate(state, command.completed_on(), context,
                                         "the milestone's completion"));
  v1::ProjectEvent event;
  v1::MilestoneCompleted* completed = event.mutable_milestone_completed();
  completed->set_project_id(state.project_id);
  completed->set_milestone_id(command.milestone_id());
  *completed->mutable_completed_on() = command.completed_on();
  *completed->mutable_planned_end_date() = milestone->end_date;
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::RequestResourceRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  RETURN_IF_ERROR(
      rules::RequireContractNotEnded(state, "requesting a resource"));
  RETURN_IF_ERROR(
      RequireNewId(state.resource_requests, command.resource_request_id(),
                   "RESOURCE_REQUEST_ALREADY_EXISTS", "resource request"));
  RETURN_IF_ERROR(rules::RequireNotBeforeStart(state, command.needed_from(),
                                               "the resource need"));
  if (command.has_needed_until()) {
    RETURN_IF_ERROR(rules::RequireOrderedRange(
        command.needed_from(), command.needed_until(), "the resource need"));
  }
  v1::ProjectEvent event;
  v1::ResourceRequested* requested = event.mutable_resource_requested();
  requested->set_project_id(state.project_id);
  requested->set_resource_request_id(command.resource_request_id());
  requested->set_kind(command.kind());
  requested->set_description(command.description());
  *requested->mutable_needed_from() = command.needed_from();
  if (command.has_needed_until()) {
    *requested->mutable_needed_until() = command.needed_until();
  }
  *requested->mutable_requested_on() = context.today;
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state, const v1::DecideResourceRequestRequest& command,
    const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  ASSIGN_OR_RETURN(const ResourceRequest* request,
                   Find(state.resource_requests, command.resource_request_id(),
                        "RESOURCE_REQUEST_NOT_FOUND", "resource request"));
  if (request->decided) {
    return RuleViolation(
        "RESOURCE_REQUEST_ALREADY_DECIDED",
        absl::StrCat("resource request ", command.resource_request_id(),
                     " is already decided"));
  }
  v1::ProjectEvent event;
  switch (command.decision()) {
    case v1::RESOURCE_DECISION_GRANTED: {
      v1::ResourceRequestGranted* granted =
          event.mutable_resource_request_granted();
      granted->set_project_id(state.project_id);
      granted->set_resource_request_id(command.resource_request_id());
      granted->set_kind(request->kind);
      *granted->mutable_decided_on() = context.today;
      granted->set_comment(command.comment());
      break;
    }
    case v1::RESOURCE_DECISION_DECLINED: {
      v1::ResourceRequestDeclined* declined =
          event.mutable_resource_request_declined();
      declined->set_project_id(state.project_id);
      declined->set_resource_request_id(command.resource_request_id());
      declined->set_kind(request->kind);
      *declined->mutable_decided_on() = context.today;
      declined->set_reason(command.comment());
      break;
    }
    default:
      return absl::InvalidArgumentError(
          "decision: must be GRANTED or DECLINED");
  }
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const v1::SubmitFundingApplicationRequest& command,
    const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  RETURN_IF_ERROR(RequireNewId(
      state.funding_applications, command.funding_application_id(),
      "FUNDING_APPLICATION_ALREADY_EXISTS", "funding application"));
  RETURN_IF_ERROR(rules::RequireWorkDate(state, command.submitted_on(), context,
                                         "the funding application"));
  if (DateBefore(command.deadline(), command.submitted_on())) {
    return RuleViolation(
        "FUNDING_DEADLINE_PASSED",
        absl::StrCat("the call closed on ", FormatDate(command.deadline()),
                     ", before the application was sent on ",
                     FormatDate(command.submitted_on())));
  }
  v1::ProjectEvent event;
  v1::FundingApplicationSubmitted* submitted =
      event.mutable_funding_application_submitted();
  submitted->set_project_id(state.project_id);
  submitted->set_funding_application_id(command.funding_application_id());
  submitted->set_funder(command.funder());
  submitted->set_call_name(command.call_name());
  *submitted->mutable_amount_requested() = command.amount_requested();
  *submitted->mutable_deadline() = command.deadline();
  *submitted->mutable_submitted_on() = command.submitted_on();
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state, const v1::RecordFundingDecisionRequest& command,
    const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  ASSIGN_OR_RETURN(
      const FundingApplication* application,
      Find(state.funding_applications, command.funding_application_id(),
           "FUNDING_APPLICATION_NOT_FOUND", "funding application"));
  if (application->decided) {
    return RuleViolation(
        "FUNDING_APPLICATION_ALREADY_DECIDED",
        absl::StrCat("funding application ", command.funding_application_id(),
                     " already has the funder's decision"));
  }
  const v1::Date& decided_on = command.decided_on();
  if (DateBefore(decided_on, application->submitted_on)) {
    return RuleViolation(
        "FUNDING_DECISION_BEFORE_SUBMISSION",
        absl::StrCat("the decision on ", FormatDate(decided_on),
                     " precedes the submission on ",
                     FormatDate(application->submitted_on)));
  }
  // Funders often answer after the contract ended, so only the future is
  // refused here.
  RETURN_IF_ERROR(
      rules::RequireNotInFuture(decided_on, context, "the funder's decision"));
  v1::ProjectEvent event;
  switch (command.outcome()) {
    case v1::FUNDING_OUTCOME_GRANTED: {
      if (command.amount_granted().cents() >
          application->amount_requested.cents()) {
        return RuleViolation(
            "FUNDING_GRANT_EXCEEDS_REQUEST",
            absl::StrCat("the grant of ", command.amount_granted().cents(),
                         " cents exceeds the ",
                         application->amount_requested.cents(),
                         " cents requested"));
      }
      v1::FundingApplicationGranted* granted =
          event.mutable_funding_application_granted();
      granted->set_project_id(state.project_id);
      granted->set_funding_application_id(command.funding_application_id());
      granted->set_funder(application->funder);
      *granted->mutable_amount_requested() = application->amount_requested;
      *granted->mutable_amount_granted() = command.amount_granted();
      *granted->mutable_decided_on() = decided_on;
      break;
    }
    case v1::FUNDING_OUTCOME_REFUSED: {
      v1::FundingApplicationRefused* refused =
          event.mutable_funding_application_refused();
      refused->set_project_id(state.project_id);
      refused->set_funding_application_id(command.funding_application_id());
      refused->set_funder(application->funder);
      *refused->mutable_amount_requested() = application->amount_requested;
      *refused->mutable_decided_on() = decided_on;
      refused->set_reason(command.reason());
      break;
    }
    default:
      return absl::InvalidArgumentError("outcome: must be GRANTED or REFUSED");
  }
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::ContactPartnerRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  RETURN_IF_ERROR(RequireNewId(state.partners, command.partner_id(),
                               "PARTNER_ALREADY_CONTACTED", "partner"));
  RETURN_IF_ERROR(rules::RequireWorkDate(state, command.contacted_on(), context,
                                         "the contact"));
  v1::ProjectEvent event;
  v1::PartnerContacted* contacted = event.mutable_partner_contacted();
  contacted->set_project_id(state.project_id);
  contacted->set_partner_id(command.partner_id());
  contacted->set_organisation_name(command.organisation_name());
  *contacted->mutable_contacted_on() = command.contacted_on();
  contacted->set_purpose(command.purpose());
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::AgreePartnershipRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  // Not NOT_FOUND: a partner exists for the project once contacted, so an
  // unknown one is a step not taken yet rather than a wrong id.
  auto found = state.partners.find(command.partner_id());
  if (found == state.partners.end()) {
    return RuleViolation("PARTNER_NOT_CONTACTED",
                         absl::StrCat("the project has no contacted partner ",
                                      command.partner_id()));
  }
  const Partner* partner = &found->second;
  if (partner->agreed) {
    return RuleViolation(
        "PARTNERSHIP_ALREADY_AGREED",
        absl::StrCat("a partnership with ", command.partner_id(),
                     " is already agreed"));
  }
  if (DateBefore(command.agreed_on(), partner->contacted_on)) {
    return RuleViolation(
        "PARTNERSHIP_BEFORE_CONTACT",
        absl::StrCat("the agreement on ", FormatDate(command.agreed_on()),
                     " precedes the first contact on ",
                     FormatDate(partner->contacted_on)));
  }
  RETURN_IF_ERROR(rules::RequireWorkDate(state, command.agreed_on(), context,
                                         "the agreement"));
  v1::ProjectEvent event;
  v1::PartnershipAgreed* agreed = event.mutable_partnership_agreed();
  agreed->set_project_id(state.project_id);
  agreed->set_partner_id(command.partner_id());
  agreed->set_organisation_name(partner->organisation_name);
  *agreed->mutable_agreed_on() = command.agreed_on();
  agreed->set_terms(command.terms());
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state, const v1::PublishCommunicationRequest& command,
    const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  RETURN_IF_ERROR(RequireNewId(state.publications, command.publication_id(),
                               "PUBLICATION_ALREADY_RECORDED", "publication"));
  RETURN_IF_ERROR(rules::RequireWorkDate(state, command.published_on(), context,
                                         "the publication"));
  v1::ProjectEvent event;
  v1::CommunicationPublished* published =
      event.mutable_communication_published();
  published->set_project_id(state.project_id);
  published->set_publication_id(command.publication_id());
  published->set_channel(command.channel());
  published->set_title(command.title());
  published->set_link(command.link());
  *published->mutable_published_on() = command.published_on();
  return One(std::move(event));
}

}  // namespace coopcraft::domain::project

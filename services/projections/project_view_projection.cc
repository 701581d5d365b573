// ProjectViewProjection: folding project events into ProjectView messages.
#include "services/projections/project_view_projection.h"

#include <algorithm>

#include "services/projections/decoded_event.h"
#include "services/projections/risk_flags.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

constexpr int kMentorMeetingsRequired = 2;
constexpr int kDeliverableCount = 7;

// Stages only move forward, whatever order late events arrive in.
void AdvanceStage(v1::ProjectStage stage, v1::ProjectView& view) {
  if (stage > view.stage()) view.set_stage(stage);
}

template <typename Repeated, typename Getter>
auto* FindOrAdd(Repeated* items, const std::string& id, Getter id_of) {
  for (auto& item : *items) {
    if (id_of(item) == id) return &item;
  }
  return items->Add();
}

v1::DeliverableView* Deliverable(v1::DeliverableKind kind,
                                 v1::ProjectView& view) {
  const int index = static_cast<int>(kind) - 1;
  if (index < 0 || index >= view.deliverables_size()) return nullptr;
  return view.mutable_deliverables(index);
}

void SetDeliverable(v1::DeliverableKind kind, v1::DeliverableStatus status,
                    int32_t version, v1::ProjectView& view) {
  if (v1::DeliverableView* deliverable = Deliverable(kind, view)) {
    deliverable->set_status(status);
    deliverable->set_version(std::max(deliverable->version(), version));
  }
}

v1::MilestoneView* Milestone(const std::string& id, v1::ProjectView& view) {
  v1::MilestoneView* milestone =
      FindOrAdd(view.mutable_milestones(), id,
                [](const v1::MilestoneView& m) { return m.milestone_id(); });
  milestone->set_milestone_id(id);
  return milestone;
}

v1::ResourceRequestView* Resource(const std::string& id,
                                  v1::ProjectView& view) {
  v1::ResourceRequestView* request = FindOrAdd(
      view.mutable_resource_requests(), id,
      [](const v1::ResourceRequestView& r) { return r.resource_request_id(); });
  request->set_resource_request_id(id);
  return request;
}

v1::FundingApplicationView* Funding(const std::string& id,
                                    v1::ProjectView& view) {
  v1::FundingApplicationView* application =
      FindOrAdd(view.mutable_funding_applications(), id,
                [](const v1::FundingApplicationView& f) {
                  return f.funding_application_id();
                });
  application->set_funding_application_id(id);
  return application;
}

void CountAction(v1::ActionLine line, v1::ProjectView& view) {
  for (v1::ActionLineCount& count : *view.mutable_action_counts()) {
    if (count.line() == line) {
      count.set_count(count.count() + 1);
      return;
    }
  }
  v1::ActionLineCount* count = view.add_action_counts();
  count->set_line(line);
  count->set_count(1);
}

bool Matches(const ProjectFilter& filter, const v1::ProjectView& view) {
  if (filter.stage != v1::PROJECT_STAGE_UNSPECIFIED &&
      view.stage() != filter.stage) {
    return false;
  }
  if (!filter.mentor_id.empty() &&
      view.mentoring().mentor_id() != filter.mentor_id) {
    return false;
  }
  if (!filter.employing_cpas_id.empty() &&
      view.employing_cpas_id() != filter.employing_cpas_id) {
    return false;
  }
  return filter.call_id.empty() || view.call_id() == filter.call_id;
}

}  // namespace

void ProjectViewProjection::Apply(const DecodedEvent& decoded) {
  if (decoded.project_event() == nullptr) return;
  const v1::ProjectEvent& event = *decoded.project_event();
  const std::string& project_id = decoded.aggregate_id();
  absl::MutexLock lock(&mu_);
  auto it = states_.find(project_id);
  if (it == states_.end()) {
    if (event.event_case() != v1::ProjectEvent::kProjectOpened) return;
    it = states_.emplace(project_id, v1::ProjectView()).first;
  }
  Fold(event, it->second);
  it->second.set_last_position(decoded.position());
  MarkChanged(project_id);
}

void ProjectViewProjection::Fold(const v1::ProjectEvent& event,
                                 v1::ProjectView& view) {
  v1::ContractView& contract = *view.mutable_contract();
  switch (event.event_case()) {
    case v1::ProjectEvent::kProjectOpened: {
      const v1::ProjectOpened& e = event.project_opened();
      view.set_project_id(e.project_id());
      view.set_call_id(e.call_id());
      view.set_employing_cpas_id(e.employing_cpas_id());
      view.set_coach_id(e.coach_id());
      view.set_title(e.title());
      AdvanceStage(v1::PROJECT_STAGE_ROADMAP, view);
      *contract.mutable_start_date() = e.contract_start_date();
      contract.set_rule_set(e.contract_rule_set());
      contract.set_target_worked_days(e.target_worked_days());
      contract.set_remaining_worked_days(e.target_worked_days());
      *contract.mutable_expected_end_date() = e.expected_end_date();
      view.clear_deliverables();
      for (int kind = 1; kind <= kDeliverableCount; ++kind) {
        v1::DeliverableView* deliverable = view.add_deliverables();
        deliverable->set_kind(static_cast<v1::DeliverableKind>(kind));
        deliverable->set_status(v1::DELIVERABLE_STATUS_NOT_STARTED);
      }
      view.mutable_mentoring()->set_meetings_required(kMentorMeetingsRequired);
      view.mutable_hand_off()->set_state(v1::HAND_OFF_STATE_NONE);
      break;
    }
    case v1::ProjectEvent::kWorkedDaysRecorded: {
      const v1::WorkedDaysRecorded& e = event.worked_days_recorded();
      contract.set_worked_days(e.total_worked_days());
      contract.set_target_worked_days(e.target_worked_days());
      contract.set_remaining_worked_days(e.remaining_days());
      *contract.mutable_expected_end_date() = e.expected_end_date();
      break;
    }
    case v1::ProjectEvent::kDeliverableDrafted: {
      const auto& e = event.deliverable_drafted();
      SetDeliverable(e.kind(), v1::DELIVERABLE_STATUS_DRAFT, e.version(), view);
      break;
    }
    case v1::ProjectEvent::kDeliverableSubmitted: {
      const auto& e = event.deliverable_submitted();
      SetDeliverable(e.kind(), v1::DELIVERABLE_STATUS_SUBMITTED, e.version(),
                     view);
      break;
    }
    case v1::ProjectEvent::kDeliverableChangesRequested: {
      const auto& e = event.deliverable_changes_requested();
      SetDeliverable(e.kind(), v1::DELIVERABLE_STATUS_CHANGES_REQUESTED,
                     e.version(), view);
      break;
    }
    case v1::ProjectEvent::kDeliverableValidated: {
      const auto& e = event.deliverable_validated();
      SetDeliverable(e.kind(), v1::DELIVERABLE_STATUS_VALIDATED, e.version(),
                     view);
      if (e.roadmap_complete()) {
        AdvanceStage(v1::PROJECT_STAGE_FOLLOW_UP, view);
      }
      break;
    }
    case v1::ProjectEvent::kMentorAssigned: {
      const auto& e = event.mentor_assigned();
      view.mutable_mentoring()->set_mentor_id(e.mentor_id());
      view.mutable_mentoring()->set_sector(e.sector());
      *view.mutable_mentoring()->mutable_assigned_on() = e.assigned_on();
      break;
    }
    case v1::ProjectEvent::kMentorMeetingHeld: {
      const auto& e = event.mentor_meeting_held();
      view.mutable_mentoring()->set_meetings_held(e.meetings_held());
      *view.mutable_mentoring()->mutable_last_meeting_on() = e.held_on();
      break;
    }
    case v1::ProjectEvent::kActionLogged:
      CountAction(event.action_logged().line(), view);
      break;
    case v1::ProjectEvent::kMilestonePlanned: {
      const auto& e = event.milestone_planned();
      v1::MilestoneView* milestone = Milestone(e.milestone_id(), view);
      milestone->set_title(e.title());
      *milestone->mutable_start_date() = e.start_date();
      *milestone->mutable_end_date() = e.end_date();
      break;
    }
    case v1::ProjectEvent::kMilestoneMoved: {
      const auto& e = event.milestone_moved();
      v1::MilestoneView* milestone = Milestone(e.milestone_id(), view);
      *milestone->mutable_start_date() = e.start_date();
      *milestone->mutable_end_date() = e.end_date();
      milestone->set_times_moved(milestone->times_moved() + 1);
      break;
    }
    case v1::ProjectEvent::kMilestoneCompleted: {
      const auto& e = event.milestone_completed();
      *Milestone(e.milestone_id(), view)->mutable_completed_on() =
          e.completed_on();
      break;
    }
    case v1::ProjectEvent::kResourceRequested: {
      const auto& e = event.resource_requested();
      v1::ResourceRequestView* request =
          Resource(e.resource_request_id(), view);
      request->set_kind(e.kind());
      *request->mutable_requested_on() = e.requested_on();
      break;
    }
    case v1::ProjectEvent::kResourceRequestGranted:
      Resource(event.resource_request_granted().resource_request_id(), view)
          ->set_decision(v1::RESOURCE_DECISION_GRANTED);
      break;
    case v1::ProjectEvent::kResourceRequestDeclined:
      Resource(event.resource_request_declined().resource_request_id(), view)
          ->set_decision(v1::RESOURCE_DECISION_DECLINED);
      break;
    case v1::ProjectEvent::kFundingApplicationSubmitted: {
      const auto& e = event.funding_application_submitted();
      v1::FundingApplicationView* application =
          Funding(e.funding_application_id(), view);
      application->set_funder(e.funder());
      *application->mutable_deadline() = e.deadline();
      *application->mutable_submitted_on() = e.submitted_on();
      *application->mutable_amount_requested() = e.amount_requested();
      break;
    }
    case v1::ProjectEvent::kFundingApplicationGranted: {
      const auto& e = event.funding_application_granted();
      v1::FundingApplicationView* application =
          Funding(e.funding_application_id(), view);
      application->set_outcome(v1::FUNDING_OUTCOME_GRANTED);
      *application->mutable_amount_granted() = e.amount_granted();
      break;
    }
    case v1::ProjectEvent::kFundingApplicationRefused:
      Funding(event.funding_application_refused().funding_application_id(),
              view)
          ->set_outcome(v1::FUNDING_OUTCOME_REFUSED);
      break;
    case v1::ProjectEvent::kEvaluationRecorded: {
      const auto& e = event.evaluation_recorded();
      *view.mutable_evaluation()->mutable_evaluated_on() = e.evaluated_on();
      view.mutable_evaluation()->set_autonomy_level(e.autonomy_level());
      AdvanceStage(v1::PROJECT_STAGE_EVALUATED, view);
      break;
    }
    case v1::ProjectEvent::kHandOffProposed: {
      const auto& e = event.hand_off_proposed();
      v1::HandOffSummary& hand_off = *view.mutable_hand_off();
      hand_off.set_state(v1::HAND_OFF_STATE_PROPOSED);
      hand_off.set_handoff_id(e.handoff_id());
      hand_off.set_partner_organisation_id(e.partner_organisation_id());
      *hand_off.mutable_proposed_on() = e.proposed_on();
      AdvanceStage(v1::PROJECT_STAGE_HAND_OFF, view);
      break;
    }
    case v1::ProjectEvent::kHandOffAccepted:
      if (view.hand_off().handoff_id() ==
          event.hand_off_accepted().handoff_id()) {
        view.mutable_hand_off()->set_state(v1::HAND_OFF_STATE_ACCEPTED);
      }
      break;
    case v1::ProjectEvent::kHandOffDeclined:
      if (view.hand_off().handoff_id() ==
          event.hand_off_declined().handoff_id()) {
        view.mutable_hand_off()->set_state(v1::HAND_OFF_STATE_DECLINED);
      }
      break;
    case v1::ProjectEvent::kContractEnded: {
      const auto& e = event.contract_ended();
      contract.set_ended(true);
      *contract.mutable_ended_on() = e.ended_on();
      contract.set_exit_outcome(e.exit_outcome());
      contract.set_worked_days(e.worked_days());
      AdvanceStage(v1::PROJECT_STAGE_CONTRACT_ENDED, view);
      break;
    }
    case v1::ProjectEvent::kProjectClosed:
      AdvanceStage(v1::PROJECT_STAGE_CLOSED, view);
      break;
    default:
      // Scheduled meetings and interviews do not change this view.
      break;
  }
}

std::optional<v1::ProjectView> ProjectViewProjection::Get(
    std::string_view project_id, const v1::Date& today) const {
  std::optional<v1::ProjectView> view;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = states_.find(std::string(project_id));
    if (it == states_.end()) return std::nullopt;
    view = it->second;
  }
  CompleteForToday(today, &*view);
  return view;
}

ProjectPage ProjectViewProjection::List(const ProjectFilter& filter,
                                        std::string_view after_id,
                                        size_t page_size,
                                        const v1::Date& today) const {
  page_size = std::max<size_t>(page_size, 1);
  ProjectPage page;
  std::string last_key;
  absl::ReaderMutexLock lock(&mu_);
  for (auto it = states_.upper_bound(std::string(after_id));
       it != states_.end(); ++it) {
    if (!Matches(filter, it->second)) continue;
    if (filter.risk_flag != v1::RISK_FLAG_UNSPECIFIED) {
      const std::vector<v1::RiskFlag> flags = RiskFlagsOn(it->second, today);
      if (std::find(flags.begin(), flags.end(), filter.risk_flag) ==
          flags.end()) {
        continue;
      }
    }
    if (page.projects.size() == page_size) {
      page.last_id = last_key;
      break;
    }
    last_key = it->first;
    page.projects.push_back(it->second);
    CompleteForToday(today, &page.projects.back());
  }
  return page;
}

size_t ProjectViewProjection::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return states_.size();
}

}  // namespace coopcraft::projections

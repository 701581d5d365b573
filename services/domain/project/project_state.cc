// Folding project events into ProjectState.
#include "services/domain/project/project_state.h"

#include <utility>

#include "services/domain/date.h"

namespace coopcraft::domain::project {
namespace {

namespace v1 = ::coopcraft::v1;

bool KnownKind(v1::DeliverableKind kind) {
  return kind > v1::DELIVERABLE_KIND_UNSPECIFIED &&
         kind <= v1::DELIVERABLE_KIND_BUSINESS_MODEL;
}

void NoteWork(ProjectState& state, const v1::Date& date) {
  if (!state.latest_work_date.has_value() ||
      DateBefore(*state.latest_work_date, date)) {
    state.latest_work_date = date;
  }
}

void SetDeliverable(ProjectState& state, v1::DeliverableKind kind,
                    v1::DeliverableStatus status, int32_t version,
                    const std::string& document_reference) {
  if (!KnownKind(kind)) return;
  DeliverableRecord& record = state.deliverables[static_cast<size_t>(kind)];
  record.status = status;
  record.version = version;
  if (!document_reference.empty()) {
    record.document_reference = document_reference;
  }
}

}  // namespace

const DeliverableRecord& ProjectState::deliverable(
    v1::DeliverableKind kind) const {
  return deliverables[KnownKind(kind) ? static_cast<size_t>(kind) : 0];
}

int32_t ProjectState::validated_deliverables() const {
  int32_t count = 0;
  for (const DeliverableRecord& record : deliverables) {
    if (record.status == v1::DELIVERABLE_STATUS_VALIDATED) ++count;
  }
  return count;
}

ProjectState Evolve(ProjectState state, const v1::ProjectEvent& event) {
  switch (event.event_case()) {
    case v1::ProjectEvent::kProjectOpened: {
      const auto& e = event.project_opened();
      state.opened = true;
      state.project_id = e.project_id();
      state.person_id = e.person_id();
      state.employing_cpas_id = e.employing_cpas_id();
      state.contract_start_date = e.contract_start_date();
      state.target_worked_days = e.target_worked_days();
      state.expected_end_date = e.expected_end_date();
      break;
    }
    case v1::ProjectEvent::kWorkedDaysRecorded: {
      const auto& e = event.worked_days_recorded();
      state.worked_periods.push_back(
          {.start = e.period_start(), .end = e.period_end(), .days = e.days()});
      state.worked_days = e.total_worked_days();
      state.expected_end_date = e.expected_end_date();
      NoteWork(state, e.period_end());
      break;
    }
    case v1::ProjectEvent::kDeliverableDrafted: {
      const auto& e = event.deliverable_drafted();
      SetDeliverable(state, e.kind(), v1::DELIVERABLE_STATUS_DRAFT, e.version(),
                     e.document_reference());
      break;
    }
    case v1::ProjectEvent::kDeliverableSubmitted: {
      const auto& e = event.deliverable_submitted();
      SetDeliverable(state, e.kind(), v1::DELIVERABLE_STATUS_SUBMITTED,
                     e.version(), e.document_reference());
      break;
    }
    case v1::ProjectEvent::kDeliverableChangesRequested: {
      const auto& e = event.deliverable_changes_requested();
      SetDeliverable(state, e.kind(), v1::DELIVERABLE_STATUS_CHANGES_REQUESTED,
                     e.version(), "");
      break;
    }
    case v1::ProjectEvent::kDeliverableValidated: {
      const auto& e = event.deliverable_validated();
      SetDeliverable(state, e.kind(), v1::DELIVERABLE_STATUS_VALIDATED,
                     e.version(), "");
      break;
    }
    case v1::ProjectEvent::kMentorAssigned: {
      // Every MentorAssigned carries assigned_on, also those written before
      // the request could name the day (they hold the day they were
      // recorded), so replay needs no default here.
      const auto& e = event.mentor_assigned();
      if (e.mentor_id() == state.mentor_id) {
        // The current mentor again: a corrected (earlier) day, which also
        // bounds the meetings scheduled in this mentor's current term.
        for (auto& [id, meeting] : state.mentor_meetings) {
          if (meeting.mentor_id == e.mentor_id() &&
              CompareDates(meeting.mentor_assigned_on,
                           state.mentor_assigned_on) == 0) {
            meeting.mentor_assigned_on = e.assigned_on();
          }
        }
      } else {
        state.previous_mentor_assigned_on = state.mentor_assigned_on;
      }
      state.mentor_id = e.mentor_id();
      state.mentor_assigned_on = e.assigned_on();
      break;
    }
    case v1::ProjectEvent::kMentorMeetingScheduled: {
      const auto& e = event.mentor_meeting_scheduled();
      // A meeting is scheduled with the current mentor; the check keeps a
      // stray mentor id from borrowing the current mentor's day.
      const bool current = e.mentor_id() == state.mentor_id;
      state.mentor_meetings[e.meeting_id()] = {
          .mentor_id = e.mentor_id(),
          .mentor_assigned_on =
              current ? state.mentor_assigned_on : v1::Date()};
      break;
    }
    case v1::ProjectEvent::kMentorMeetingHeld: {
      const auto& e = event.mentor_meeting_held();
      MentorMeeting& meeting = state.mentor_meetings[e.meeting_id()];
      meeting.mentor_id = e.mentor_id();
      meeting.held = true;
      state.mentor_meetings_held = e.meetings_held();
      state.mentor_requirement_met = e.requirement_met();
      NoteWork(state, e.held_on());
      break;
    }
    case v1::ProjectEvent::kInterviewRecorded:
      ++state.interviews_held;
      NoteWork(state, event.interview_recorded().held_on());
      break;
    case v1::ProjectEvent::kActionLogged: {
      const auto& e = event.action_logged();
      state.actions[e.action_id()] = e.occurred_on();
      NoteWork(state, e.occurred_on());
      break;
    }
    case v1::ProjectEvent::kMilestonePlanned: {
      const auto& e = event.milestone_planned();
      state.milestones[e.milestone_id()] = {.start_date = e.start_date(),
                                            .end_date = e.end_date()};
      break;
    }
    case v1::ProjectEvent::kMilestoneMoved: {
      const auto& e = event.milestone_moved();
      Milestone& milestone = state.milestones[e.milestone_id()];
      milestone.start_date = e.start_date();
      milestone.end_date = e.end_date();
      break;
    }
    case v1::ProjectEvent::kMilestoneCompleted: {
      const auto& e = event.milestone_completed();
      state.milestones[e.milestone_id()].completed = true;
      NoteWork(state, e.completed_on());
      break;
    }
    case v1::ProjectEvent::kResourceRequested: {
      const auto& e = event.resource_requested();
      state.resource_requests[e.resource_request_id()] = {.kind = e.kind()};
      break;
    }
    case v1::ProjectEvent::kResourceRequestGranted:
      state
          .resource_requests[event.resource_request_granted()
                                 .resource_request_id()]
          .decided = true;
      break;
    case v1::ProjectEvent::kResourceRequestDeclined:
      state
          .resource_requests[event.resource_request_declined()
                                 .resource_request_id()]
          .decided = true;
      break;
    case v1::ProjectEvent::kFundingApplicationSubmitted: {
      const auto& e = event.funding_application_submitted();
      state.funding_applications[e.funding_application_id()] = {
          .funder = e.funder(),
          .amount_requested = e.amount_requested(),
          .submitted_on = e.submitted_on()};
      NoteWork(state, e.submitted_on());
      break;
    }
    case v1::ProjectEvent::kFundingApplicationGranted:
      state
          .funding_applications[event.funding_application_granted()
                                    .funding_application_id()]
          .decided = true;
      break;
    case v1::ProjectEvent::kFundingApplicationRefused:
      state
          .funding_applications[event.funding_application_refused()
                                    .funding_application_id()]
          .decided = true;
      break;
    case v1::ProjectEvent::kPartnerContacted: {
      const auto& e = event.partner_contacted();
      state.partners[e.partner_id()] = {
          .organisation_name = e.organisation_name(),
          .contacted_on = e.contacted_on()};
      NoteWork(state, e.contacted_on());
      break;
    }
    case v1::ProjectEvent::kPartnershipAgreed: {
      const auto& e = event.partnership_agreed();
      state.partners[e.partner_id()].agreed = true;
      NoteWork(state, e.agreed_on());
      break;
    }
    case v1::ProjectEvent::kCommunicationPublished: {
      const auto& e = event.communication_published();
      state.publications[e.publication_id()] = e.published_on();
      NoteWork(state, e.published_on());
      break;
    }
    case v1::ProjectEvent::kEvaluationRecorded:
      state.evaluated = true;
      state.autonomy_level = event.evaluation_recorded().autonomy_level();
      break;
    case v1::ProjectEvent::kHandOffProposed: {
      const auto& e = event.hand_off_proposed();
      state.handoffs[e.handoff_id()] = {.partner_organisation_id =
                                            e.partner_organisation_id()};
      state.pending_handoff_id = e.handoff_id();
      break;
    }
    case v1::ProjectEvent::kHandOffAccepted: {
      const auto& e = event.hand_off_accepted();
      state.handoffs[e.handoff_id()].status = HandOffStatus::kAccepted;
      state.accepted_handoff_id = e.handoff_id();
      if (state.pending_handoff_id == e.handoff_id()) {
        state.pending_handoff_id.clear();
      }
      break;
    }
    case v1::ProjectEvent::kHandOffDeclined: {
      const auto& e = event.hand_off_declined();
      state.handoffs[e.handoff_id()].status = HandOffStatus::kDeclined;
      if (state.pending_handoff_id == e.handoff_id()) {
        state.pending_handoff_id.clear();
      }
      break;
    }
    case v1::ProjectEvent::kContractEnded: {
      const auto& e = event.contract_ended();
      state.contract_ended = true;
      state.contract_ended_on = e.ended_on();
      state.exit_outcome = e.exit_outcome();
      break;
    }
    case v1::ProjectEvent::kProjectClosed:
      state.closed = true;
      break;
    case v1::ProjectEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

}  // namespace coopcraft::domain::project

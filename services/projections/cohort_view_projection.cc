// CohortViewProjection: folding call, application and cohort events into
// one CohortState per call; the funnel and the attendance rate are derived
// when read, so the stored state holds each fact once.
#include "services/projections/cohort_view_projection.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "coopcraft/v1/cohort_events.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "services/domain/date.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

v1::CohortApplication& ApplicationOf(const std::string& application_id,
                                     v1::CohortState& state) {
  auto* applications = state.mutable_applications();
  auto it = std::lower_bound(
      applications->begin(), applications->end(), application_id,
      [](const v1::CohortApplication& a, const std::string& id) {
        return a.application_id() < id;
      });
  if (it != applications->end() && it->application_id() == application_id) {
    return *it;
  }
  // Kept sorted so lookups stay logarithmic and the stored bytes do not
  // depend on arrival order.
  const int index = static_cast<int>(it - applications->begin());
  applications->Add()->set_application_id(application_id);
  for (int i = applications->size() - 1; i > index; --i) {
    applications->SwapElements(i, i - 1);
  }
  return *applications->Mutable(index);
}

bool MeetingBefore(const v1::CohortMeetingView& a,
                   const v1::CohortMeetingView& b) {
  const int order = domain::CompareDates(a.held_on(), b.held_on());
  if (order != 0) return order < 0;
  return a.meeting_id() < b.meeting_id();
}

void Derive(const v1::CohortState& state, v1::CohortView& view) {
  v1::SelectionFunnel& funnel = *view.mutable_funnel();
  funnel.Clear();
  for (const v1::CohortApplication& application : state.applications()) {
    funnel.set_applied(funnel.applied() + 1);
    if (application.reviewed()) funnel.set_reviewed(funnel.reviewed() + 1);
    switch (application.outcome()) {
      case v1::APPLICATION_OUTCOME_SELECTED:
        funnel.set_selected(funnel.selected() + 1);
        break;
      case v1::APPLICATION_OUTCOME_WAITLISTED:
        funnel.set_waitlisted(funnel.waitlisted() + 1);
        break;
      case v1::APPLICATION_OUTCOME_REJECTED:
        funnel.set_rejected(funnel.rejected() + 1);
        break;
      case v1::APPLICATION_OUTCOME_WITHDRAWN:
        funnel.set_withdrawn(funnel.withdrawn() + 1);
        break;
      default:
        funnel.set_pending(funnel.pending() + 1);
        break;
    }
  }
  int64_t present = 0;
  int64_t expected = 0;
  for (const v1::CohortMeetingView& meeting : view.meetings()) {
    present += meeting.present();
    expected += meeting.expected();
  }
  view.set_attendance_rate(expected == 0 ? 0.0
                                         : static_cast<double>(present) /
                                               static_cast<double>(expected));
}

}  // namespace

v1::CohortState& CohortViewProjection::StateOf(const std::string& call_id) {
  auto [it, inserted] = states_.try_emplace(call_id);
  if (inserted) it->second.mutable_view()->set_call_id(call_id);
  MarkChanged(call_id);
  return it->second;
}

void CohortViewProjection::Apply(const DecodedEvent& decoded) {
  if (const v1::CallEvent* event = decoded.call_event()) {
    ApplyCall(*event);
  } else if (const v1::ApplicationEvent* event = decoded.application_event()) {
    ApplyApplication(*event);
  } else if (const v1::CohortEvent* event = decoded.cohort_event()) {
    ApplyCohort(*event);
  }
}

void CohortViewProjection::ApplyCall(const v1::CallEvent& event) {
  absl::MutexLock lock(&mu_);
  switch (event.event_case()) {
    case v1::CallEvent::kCallOpened: {
      const v1::CallOpened& e = event.call_opened();
      v1::CohortView& view = *StateOf(e.call_id()).mutable_view();
      view.set_title(e.title());
      view.set_places(e.places());
      *view.mutable_opens_on() = e.opens_on();
      *view.mutable_closes_on() = e.closes_on();
      break;
    }
    case v1::CallEvent::kCallClosed:
      StateOf(event.call_closed().call_id()).mutable_view()->set_closed(true);
      break;
    default:
      break;
  }
}

void CohortViewProjection::ApplyApplication(const v1::ApplicationEvent& event) {
  std::string call_id;
  std::string application_id;
  std::optional<v1::ApplicationOutcome> outcome;
  bool reviewed = false;
  switch (event.event_case()) {
    case v1::ApplicationEvent::kApplicationSubmitted:
      call_id = event.application_submitted().call_id();
      application_id = event.application_submitted().application_id();
      break;
    case v1::ApplicationEvent::kApplicationReviewed:
      call_id = event.application_reviewed().call_id();
      application_id = event.application_reviewed().application_id();
      reviewed = true;
      break;
    case v1::ApplicationEvent::kCandidateSelected:
      call_id = event.candidate_selected().call_id();
      application_id = event.candidate_selected().application_id();
      outcome = v1::APPLICATION_OUTCOME_SELECTED;
      break;
    case v1::ApplicationEvent::kCandidateWaitlisted:
      call_id = event.candidate_waitlisted().call_id();
      application_id = event.candidate_waitlisted().application_id();
      outcome = v1::APPLICATION_OUTCOME_WAITLISTED;
      break;
    case v1::ApplicationEvent::kCandidateRejected:
      call_id = event.candidate_rejected().call_id();
      application_id = event.candidate_rejected().application_id();
      outcome = v1::APPLICATION_OUTCOME_REJECTED;
      break;
    case v1::ApplicationEvent::kApplicationWithdrawn:
      call_id = event.application_withdrawn().call_id();
      application_id = event.application_withdrawn().application_id();
      outcome = v1::APPLICATION_OUTCOME_WITHDRAWN;
      break;
    default:
      // A CPAS opinion moves no application along the funnel.
      return;
  }
  if (call_id.empty() || application_id.empty()) return;
  absl::MutexLock lock(&mu_);
  v1::CohortApplication& application =
      ApplicationOf(application_id, StateOf(call_id));
  if (reviewed) application.set_reviewed(true);
  if (outcome.has_value()) application.set_outcome(*outcome);
}

void CohortViewProjection::ApplyCohort(const v1::CohortEvent& event) {
  if (event.event_case() != v1::CohortEvent::kGroupMeetingRecorded) return;
  const v1::GroupMeetingRecorded& e = event.group_meeting_recorded();
  if (e.call_id().empty()) return;
  v1::CohortMeetingView meeting;
  meeting.set_meeting_id(e.meeting_id());
  *meeting.mutable_held_on() = e.held_on();
  meeting.set_present(e.present_project_ids_size());
  meeting.set_expected(e.present_project_ids_size() + e.absences_size());
  meeting.set_excused_absences(static_cast<int32_t>(
      std::count_if(e.absences().begin(), e.absences().end(),
                    [](const v1::Absence& a) { return a.excused(); })));
  absl::MutexLock lock(&mu_);
  auto* meetings = StateOf(e.call_id()).mutable_view()->mutable_meetings();
  // A meeting recorded again replaces its earlier record.
  for (int i = 0; i < meetings->size(); ++i) {
    if (meetings->at(i).meeting_id() == e.meeting_id()) {
      meetings->DeleteSubrange(i, 1);
      break;
    }
  }
  *meetings->Add() = std::move(meeting);
  std::stable_sort(meetings->begin(), meetings->end(), MeetingBefore);
}

std::optional<v1::CohortView> CohortViewProjection::Get(
    std::string_view call_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = states_.find(std::string(call_id));
  if (it == states_.end()) return std::nullopt;
  v1::CohortView view = it->second.view();
  Derive(it->second, view);
  return view;
}

}  // namespace coopcraft::projections

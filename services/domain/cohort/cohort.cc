// Rules of a cohort's weekly group meetings.
#include "services/domain/cohort/cohort.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "services/domain/date.h"
#include "services/domain/selection/checks.h"

namespace coopcraft::domain::cohort {
namespace {

// Attendance must be a partition: each listed worker is either present or
// absent, once. Otherwise attendance rates sent to the CPAS would be wrong.
absl::Status CheckAttendance(const v1::RecordGroupMeetingRequest& command,
                             std::set<std::string_view>* present) {
  for (const std::string& id : command.present_project_ids()) {
    if (!present->insert(id).second) {
      return RuleViolation("ATTENDEE_LISTED_TWICE",
                           absl::StrCat("project ", id, " is present twice"));
    }
  }
  std::set<std::string_view> absent;
  for (const v1::Absence& absence : command.absences()) {
    const std::string& id = absence.project_id();
    if (present->count(id) > 0) {
      return RuleViolation(
          "ATTENDEE_BOTH_PRESENT_AND_ABSENT",
          absl::StrCat("project ", id, " is listed as present and absent"));
    }
    if (!absent.insert(id).second) {
      return RuleViolation("ATTENDEE_LISTED_TWICE",
                           absl::StrCat("project ", id, " is absent twice"));
    }
  }
  if (present->empty()) {
    return RuleViolation("MEETING_WITHOUT_ATTENDEES",
                         "a group meeting needs at least one worker present");
  }
  return absl::OkStatus();
}

// Durations nest: speakers within their slot, slots within the meeting.
absl::Status CheckAgenda(const v1::RecordGroupMeetingRequest& command,
                         const std::set<std::string_view>& present) {
  int64_t agenda_minutes = 0;
  for (int i = 0; i < command.agenda_items_size(); ++i) {
    const v1::AgendaItem& item = command.agenda_items(i);
    agenda_minutes += item.duration_minutes();
    std::set<std::string_view> speakers;
    int64_t spoken = 0;
    for (const v1::SpeakingTime& time : item.speaking_times()) {
      if (present.count(time.project_id()) == 0) {
        return RuleViolation(
            "SPEAKER_NOT_PRESENT",
            absl::StrCat("project ", time.project_id(), " speaks in item ",
                         i + 1, " but is not listed as present"));
      }
      if (!speakers.insert(time.project_id()).second) {
        return RuleViolation(
            "SPEAKER_LISTED_TWICE",
            absl::StrCat("project ", time.project_id(),
                         " has two speaking times in item ", i + 1));
      }
      spoken += time.minutes();
    }
    if (spoken > item.duration_minutes()) {
      return RuleViolation(
          "SPEAKING_TIME_EXCEEDS_ITEM",
          absl::StrCat("item ", i + 1, " lasts ", item.duration_minutes(),
                       " minutes but ", spoken,
                       " minutes of speaking are "
                       "recorded"));
    }
  }
  if (agenda_minutes > command.duration_minutes()) {
    return RuleViolation("AGENDA_LONGER_THAN_MEETING",
                         absl::StrCat("the agenda takes ", agenda_minutes,
                                      " minutes; the meeting lasted ",
                                      command.duration_minutes()));
  }
  return absl::OkStatus();
}

}  // namespace

std::string CohortStream(std::string_view call_id) {
  // Plain append: Debian's absl::StrCat takes no std::string_view.
  std::string stream = "cohort-";
  stream.append(call_id);
  return stream;
}

CohortState Evolve(CohortState state, const v1::CohortEvent& event) {
  ++state.event_count;
  switch (event.event_case()) {
    case v1::CohortEvent::kGroupMeetingRecorded: {
      const v1::GroupMeetingRecorded& e = event.group_meeting_recorded();
      state.exists = true;
      state.call_id = e.call_id();
      state.meetings[e.meeting_id()] = e.held_on();
      state.meeting_by_day[FormatDate(e.held_on())] = e.meeting_id();
      break;
    }
    case v1::CohortEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

absl::StatusOr<std::vector<v1::CohortEvent>> Decide(
    const CohortState& state, const v1::RecordGroupMeetingRequest& command,
    const selection::CallState& call, const DecisionContext& context) {
  // A typo in the call id would otherwise start a stray cohort.
  if (!call.exists) {
    return NotFound("CALL_NOT_FOUND", absl::StrCat("call ", command.call_id(),
                                                   " was never opened"));
  }
  if (auto it = state.meetings.find(command.meeting_id());
      it != state.meetings.end()) {
    return RuleViolation(
        "MEETING_ALREADY_RECORDED",
        absl::StrCat("meeting ", command.meeting_id(), " was recorded for ",
                     FormatDate(it->second)));
  }
  const std::string day = FormatDate(command.held_on());
  if (auto it = state.meeting_by_day.find(day);
      it != state.meeting_by_day.end()) {
    return RuleViolation(
        "MEETING_DAY_TAKEN",
        absl::StrCat("meeting ", it->second, " is already recorded on ", day));
  }
  if (DateBefore(command.held_on(), call.opens_on)) {
    return RuleViolation("MEETING_BEFORE_CALL_OPENED",
                         absl::StrCat("the cohort of call ", call.call_id,
                                      " cannot meet before the call opened on ",
                                      FormatDate(call.opens_on)));
  }
  RETURN_IF_ERROR(selection::RequireNotInFuture(command.held_on(),
                                                "the meeting day", context));
  std::set<std::string_view> present;
  RETURN_IF_ERROR(CheckAttendance(command, &present));
  RETURN_IF_ERROR(CheckAgenda(command, present));

  v1::CohortEvent event;
  v1::GroupMeetingRecorded* e = event.mutable_group_meeting_recorded();
  e->set_call_id(call.call_id);
  e->set_meeting_id(command.meeting_id());
  *e->mutable_held_on() = command.held_on();
  e->set_facilitator_id(command.facilitator_id());
  e->set_duration_minutes(command.duration_minutes());
  *e->mutable_present_project_ids() = command.present_project_ids();
  *e->mutable_absences() = command.absences();
  *e->mutable_agenda_items() = command.agenda_items();
  const int listed =
      command.present_project_ids_size() + command.absences_size();
  e->set_attendance_percent(100 * command.present_project_ids_size() / listed);
  std::vector<v1::CohortEvent> events;
  events.push_back(std::move(event));
  return events;
}

}  // namespace coopcraft::domain::cohort

// Decider of a cohort: the workers hired from one call, who meet weekly as a
// group (stream "cohort-<call_id>").
#ifndef COOPCRAFT_SERVICES_DOMAIN_COHORT_COHORT_H_
#define COOPCRAFT_SERVICES_DOMAIN_COHORT_COHORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "coopcraft/v1/cohort_events.pb.h"
#include "coopcraft/v1/cohort_service.pb.h"
#include "coopcraft/v1/common.pb.h"
#include "services/domain/decision.h"
#include "services/domain/selection/call.h"

namespace coopcraft::domain::cohort {

// "cohort-<call_id>": a cohort is named by the call it was recruited from.
std::string CohortStream(std::string_view call_id);

// What the rules need to know about a cohort's meetings.
struct CohortState {
  // True once a first meeting was folded.
  bool exists = false;
  // Events folded so far; the stream's next revision.
  uint64_t event_count = 0;
  std::string call_id;
  // meeting_id -> day held.
  absl::flat_hash_map<std::string, v1::Date> meetings;
  // Day held ("2026-03-02") -> meeting_id.
  absl::flat_hash_map<std::string, std::string> meeting_by_day;
};

// Folds one event. Holds no rules and never fails; an event case this build
// does not know is counted and otherwise ignored.
CohortState Evolve(CohortState state, const v1::CohortEvent& event);

// Records a group meeting. `call` is the state of command.call_id, loaded by
// the caller. NOT_FOUND CALL_NOT_FOUND; refuses MEETING_ALREADY_RECORDED,
// MEETING_DAY_TAKEN, MEETING_BEFORE_CALL_OPENED, DATE_IN_FUTURE,
// ATTENDEE_LISTED_TWICE, ATTENDEE_BOTH_PRESENT_AND_ABSENT,
// MEETING_WITHOUT_ATTENDEES, AGENDA_LONGER_THAN_MEETING,
// SPEAKER_NOT_PRESENT, SPEAKER_LISTED_TWICE, SPEAKING_TIME_EXCEEDS_ITEM.
absl::StatusOr<std::vector<v1::CohortEvent>> Decide(
    const CohortState& state, const v1::RecordGroupMeetingRequest& command,
    const selection::CallState& call, const DecisionContext& context);

}  // namespace coopcraft::domain::cohort

#endif  // COOPCRAFT_SERVICES_DOMAIN_COHORT_COHORT_H_

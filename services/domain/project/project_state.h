// The Project aggregate's state, folded from its events. Evolve holds no
// rules and never fails: every rule lives in Decide (project_decider.h).
#ifndef COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_STATE_H_
#define COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_STATE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "coopcraft/v1/common.pb.h"
#include "coopcraft/v1/project_events.pb.h"

namespace coopcraft::domain::project {

// Mentor meetings a participant must hold with their mentor.
inline constexpr int32_t kRequiredMentorMeetings = 2;

// One roadmap deliverable's review cycle.
struct DeliverableRecord {
  coopcraft::v1::DeliverableStatus status =
      coopcraft::v1::DELIVERABLE_STATUS_NOT_STARTED;
  // 0 until the first draft.
  int32_t version = 0;
  std::string document_reference;
};

// A period with recorded worked days.
struct WorkedPeriod {
  coopcraft::v1::Date start;
  coopcraft::v1::Date end;
  int32_t days = 0;
};

// A mentor meeting, scheduled or held; it keeps the mentor it was with.
struct MentorMeeting {
  std::string mentor_id;
  // The day that mentor was assigned, as it stood when the meeting was
  // scheduled: a meeting with a replaced mentor is still bounded by that
  // mentor's assignment, not by the new one's. Unset if unknown.
  coopcraft::v1::Date mentor_assigned_on;
  bool held = false;
};

// A bar of the Gantt chart.
struct Milestone {
  coopcraft::v1::Date start_date;
  coopcraft::v1::Date end_date;
  bool completed = false;
};

// A request for premises or equipment; decided once.
struct ResourceRequest {
  coopcraft::v1::ResourceKind kind = coopcraft::v1::RESOURCE_KIND_UNSPECIFIED;
  bool decided = false;
};

// A funding application; its decision must follow its submission.
struct FundingApplication {
  std::string funder;
  coopcraft::v1::Money amount_requested;
  coopcraft::v1::Date submitted_on;
  bool decided = false;
};

// A contacted partner; an agreement must follow the contact.
struct Partner {
  std::string organisation_name;
  coopcraft::v1::Date contacted_on;
  bool agreed = false;
};

// A hand-off is answered once.
enum class HandOffStatus { kPending, kAccepted, kDeclined };

// A proposal to a partner organisation; only it may answer.
struct HandOff {
  std::string partner_organisation_id;
  HandOffStatus status = HandOffStatus::kPending;
};

// Everything the rules of project_decider.h need to know.
struct ProjectState {
  // False until ProjectOpened: the stream does not exist yet.
  bool opened = false;
  std::string project_id;
  std::string person_id;
  // The CPAS that employs the participant; its workers see the project.
  std::string employing_cpas_id;

  // The contract and its worked days.
  coopcraft::v1::Date contract_start_date;
  int32_t target_worked_days = 0;
  int32_t worked_days = 0;
  std::vector<WorkedPeriod> worked_periods;
  coopcraft::v1::Date expected_end_date;
  // The latest date of any recorded work (worked period end, meeting,
  // interview, action, publication, ...); a contract cannot end before it.
  std::optional<coopcraft::v1::Date> latest_work_date;

  // Roadmap deliverables, indexed by DeliverableKind (index 0 unused and
  // always NOT_STARTED).
  std::array<DeliverableRecord, 8> deliverables;

  // Mentoring.
  std::string mentor_id;
  // The day the current mentor was assigned; no meeting with them before.
  coopcraft::v1::Date mentor_assigned_on;
  // The day the mentor before the current one was assigned (unset when
  // there was none): a corrected day of the current assignment stays after
  // it.
  coopcraft::v1::Date previous_mentor_assigned_on;
  absl::flat_hash_map<std::string, MentorMeeting> mentor_meetings;
  int32_t mentor_meetings_held = 0;
  bool mentor_requirement_met = false;

  // Sub-entities by their client-chosen ids; an id names one thing only.
  absl::flat_hash_map<std::string, coopcraft::v1::Date> actions;
  absl::flat_hash_map<std::string, Milestone> milestones;
  absl::flat_hash_map<std::string, ResourceRequest> resource_requests;
  absl::flat_hash_map<std::string, FundingApplication> funding_applications;
  absl::flat_hash_map<std::string, Partner> partners;
  absl::flat_hash_map<std::string, coopcraft::v1::Date> publications;
  int32_t interviews_held = 0;

  // The final evaluation.
  bool evaluated = false;
  coopcraft::v1::AutonomyLevel autonomy_level =
      coopcraft::v1::AUTONOMY_LEVEL_UNSPECIFIED;

  // Hand-offs: at most one pending, and none after one was accepted.
  absl::flat_hash_map<std::string, HandOff> handoffs;
  std::string pending_handoff_id;
  std::string accepted_handoff_id;

  // End of contract and closure.
  bool contract_ended = false;
  coopcraft::v1::Date contract_ended_on;
  coopcraft::v1::ExitOutcome exit_outcome =
      coopcraft::v1::EXIT_OUTCOME_UNSPECIFIED;
  bool closed = false;

  // The record of `kind`; an unknown kind reads as never started.
  const DeliverableRecord& deliverable(
      coopcraft::v1::DeliverableKind kind) const;
  // Number of deliverables validated.
  int32_t validated_deliverables() const;
};

// Applies one event. Unknown or empty events leave the state unchanged, so
// old readers survive new event types.
ProjectState Evolve(ProjectState state,
                    const coopcraft::v1::ProjectEvent& event);

}  // namespace coopcraft::domain::project

#endif  // COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_STATE_H_
